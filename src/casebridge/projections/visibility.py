"""Who may see which case, and why (CONTRACT.md "Who sees what"), as rows an API query can
join on with an index: `rm_case_visibility(case_id, jurisdiction, reason, source)`.

`source` is the id of the aggregate that grants the row: the case itself for HANDLING,
FORMER_HANDLER, TRANSFER_TARGET and SUPERVISING_ANCESTOR, the evidence request or the joint
action otherwise. Supervising ancestors come from the jurisdiction registry; a change of the
registry changes `config()` and so rebuilds this read model.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from casebridge.domain.case import Case
from casebridge.domain.evidence_request import EvidenceRequest
from casebridge.domain.joint_action import JointAction
from casebridge.domain.jurisdictions import JurisdictionRegistry
from casebridge.infra.database import Database
from casebridge.projections.projection import Positioned, Projection
from casebridge.projections.rows import ParticipantRow
from casebridge.projections.sql import Sql, execute_in, select_in
from casebridge.projections.tables import Index, Table, col

HANDLING = "HANDLING"
FORMER_HANDLER = "FORMER_HANDLER"
TRANSFER_TARGET = "TRANSFER_TARGET"
EVIDENCE_REQUEST_PARTY = "EVIDENCE_REQUEST_PARTY"
JOINT_ACTION_PARTICIPANT = "JOINT_ACTION_PARTICIPANT"
SUPERVISING_ANCESTOR = "SUPERVISING_ANCESTOR"
REASONS = (HANDLING, FORMER_HANDLER, TRANSFER_TARGET, EVIDENCE_REQUEST_PARTY, JOINT_ACTION_PARTICIPANT, SUPERVISING_ANCESTOR)

CASE_VISIBILITY = Table(
    "rm_case_visibility",
    (col("case_id", "TEXT NOT NULL"), col("jurisdiction", "TEXT NOT NULL"), col("reason", "TEXT NOT NULL"),
     col("source", "TEXT NOT NULL")),
    ("case_id", "reason", "jurisdiction", "source"),
    (Index("ix_rm_case_visibility_jurisdiction", "jurisdiction, case_id"),),
)


def visible_clause(case_column: str, *, role: bool = False) -> str:
    """SQL true when the jurisdiction (the next `?`, then the reason if `role`) may see the case."""
    reason = " AND v.reason = ?" if role else ""
    return (f"EXISTS (SELECT 1 FROM rm_case_visibility v WHERE v.case_id = {case_column} "
            f"AND v.jurisdiction = ?{reason})")


class VisibilityProjection(Projection):
    name = "visibility"
    version = 1
    tables = (CASE_VISIBILITY,)
    handles = (
        Case.Opened, Case.TransferRequested, Case.TransferAccepted, Case.TransferDeclined, Case.TransferWithdrawn,
        Case.JurisdictionDesignated, EvidenceRequest.Requested, JointAction.Proposed, JointAction.ParticipantDeclined,
    )

    def __init__(self, sql: Sql, registry: JurisdictionRegistry) -> None:
        super().__init__(sql)
        self.registry = registry

    def config(self) -> str:
        tree = "\n".join(f"{j.code}>{j.parent or ''}" for j in self.registry)
        return "registry:" + hashlib.sha256(tree.encode()).hexdigest()[:16]

    def _ancestors(self, code: str) -> list[str]:
        return self.registry.ancestors(code) if code in self.registry else []

    def apply(self, cur: Any, events: Sequence[Positioned]) -> None:
        # Replace-sets: the final handler and pending target per case replace whatever was there.
        handling: dict[str, str] = {}
        target: dict[str, str | None] = {}
        opened: set[str] = set()
        adds: set[tuple[str, str, str, str]] = set()
        declined: list[tuple[str, str]] = []  # (jurisdiction, joint action id), applied after the adds
        for _, e in events:
            kind = type(e)
            if kind is Case.Opened:
                case_id = str(e.originator_id)
                opened.add(case_id)
                handling[case_id] = e.handling_jurisdiction
                target[case_id] = None
            elif kind is Case.TransferRequested:
                target[str(e.originator_id)] = e.to
            elif kind is Case.TransferAccepted:
                case_id = str(e.originator_id)
                adds.add((case_id, e.sender, FORMER_HANDLER, case_id))
                handling[case_id] = e.receiver
                target[case_id] = None
            elif kind is Case.TransferDeclined or kind is Case.TransferWithdrawn:
                target[str(e.originator_id)] = None
            elif kind is Case.JurisdictionDesignated:
                case_id = str(e.originator_id)
                if e.jurisdiction != e.previous:
                    adds.add((case_id, e.previous, FORMER_HANDLER, case_id))
                handling[case_id] = e.jurisdiction
                target[case_id] = None
            elif kind is EvidenceRequest.Requested:
                case_id, source = str(e.case_id), str(e.originator_id)
                adds.add((case_id, e.applicant, EVIDENCE_REQUEST_PARTY, source))
                adds.add((case_id, e.requested, EVIDENCE_REQUEST_PARTY, source))
            elif kind is JointAction.Proposed:
                source = str(e.originator_id)
                for case_id in map(str, e.case_ids):
                    for code in (e.coordinator, *e.participants):
                        adds.add((case_id, code, JOINT_ACTION_PARTICIPANT, source))
            elif kind is JointAction.ParticipantDeclined:
                declined.append((e.jurisdiction, str(e.originator_id)))
        self._flush(cur, handling, target, opened, adds, declined)

    def _flush(self, cur: Any, handling: dict[str, str], target: dict[str, str | None], opened: set[str],
               adds: set[tuple[str, str, str, str]], declined: list[tuple[str, str]]) -> None:
        t = self.sql.t(CASE_VISIBILITY)
        rows = set(adds)
        replaced: dict[str, list[str]] = {HANDLING: [], SUPERVISING_ANCESTOR: [], TRANSFER_TARGET: []}
        for case_id, code in handling.items():
            if case_id not in opened:
                replaced[HANDLING].append(case_id)
                replaced[SUPERVISING_ANCESTOR].append(case_id)
            rows.add((case_id, code, HANDLING, case_id))
            rows.update((case_id, a, SUPERVISING_ANCESTOR, case_id) for a in self._ancestors(code))
        for case_id, code in target.items():
            if case_id not in opened:
                replaced[TRANSFER_TARGET].append(case_id)
            if code is not None:
                rows.add((case_id, code, TRANSFER_TARGET, case_id))
        for reason, case_ids in replaced.items():
            execute_in(cur, f"DELETE FROM {t} WHERE reason = ? AND case_id IN ({{in}})", sorted(case_ids), before=(reason,))
        self.sql.insert_ignore_rows(cur, CASE_VISIBILITY, sorted(rows), ("case_id", "jurisdiction", "reason", "source"))
        if declined:
            cur.executemany(f"DELETE FROM {t} WHERE jurisdiction = ? AND reason = '{JOINT_ACTION_PARTICIPANT}' AND source = ?",
                            declined)


class VisibilityView:
    def __init__(self, db: Database) -> None:
        self.db = db

    def participants(self, case_ids: Sequence[str]) -> dict[str, list[ParticipantRow]]:
        out: dict[str, list[ParticipantRow]] = {str(i): [] for i in case_ids}
        statement = ("SELECT DISTINCT case_id, jurisdiction, reason FROM rm_case_visibility WHERE case_id IN ({in}) "
                     "ORDER BY case_id, reason, jurisdiction")
        with self.db.transaction(write=False) as cur:
            for case_id, code, reason in select_in(cur, statement, list(out)):
                out[case_id].append(ParticipantRow(jurisdiction=code, role=reason))
        order = {r: i for i, r in enumerate(REASONS)}
        return {k: sorted(v, key=lambda p: (order.get(p.role, 99), p.jurisdiction)) for k, v in out.items()}

    def access(self, jurisdiction: str, case_id: str) -> set[str]:
        rows = self.db.query("SELECT DISTINCT reason FROM rm_case_visibility WHERE case_id = ? AND jurisdiction = ?",
                             (str(case_id), jurisdiction))
        return {r[0] for r in rows}
