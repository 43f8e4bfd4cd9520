"""Who may see which case, and why (docs/contract.md, "Who sees what"), as rows an API query can
join on with an index: `rm_case_visibility(case_id, jurisdiction, reason, source)`.

`source` is the id of the aggregate that grants the row: the case itself for HANDLING,
FORMER_HANDLER, TRANSFER_TARGET and SUPERVISING_ANCESTOR, the evidence request or the joint
action otherwise. Supervising ancestors come from the jurisdiction registry; a change of the
registry changes `config()` and so rebuilds this read model. The rule itself — which facts
grant what — is domain/access.py's; this module only keeps its rows up to date, event by event
(tests/projections/test_visibility_rule.py holds the two equal).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from casebridge.domain.access import (
    AccessReason,
    Grant,
    case_grants,
    disclosed,
    participant_grants,
    request_grants,
    sources_held,
)
from casebridge.domain.case import Case
from casebridge.domain.evidence_request import EvidenceRequest
from casebridge.domain.joint_action import JointAction
from casebridge.domain.jurisdictions import JurisdictionRegistry
from casebridge.domain.values import ParticipationStatus
from casebridge.infra.database import Database
from casebridge.projections.projection import Positioned, Projection
from casebridge.projections.rows.cases import ParticipantRow
from casebridge.projections.sql import Sql, execute_in, select_in
from casebridge.projections.tables import Index, Table, col

HANDLING = AccessReason.HANDLING.value
FORMER_HANDLER = AccessReason.FORMER_HANDLER.value
TRANSFER_TARGET = AccessReason.TRANSFER_TARGET.value
EVIDENCE_REQUEST_PARTY = AccessReason.EVIDENCE_REQUEST_PARTY.value
JOINT_ACTION_PARTICIPANT = AccessReason.JOINT_ACTION_PARTICIPANT.value
SUPERVISING_ANCESTOR = AccessReason.SUPERVISING_ANCESTOR.value

CASE_VISIBILITY = Table(
    "rm_case_visibility",
    (col("case_id", "TEXT NOT NULL"), col("jurisdiction", "TEXT NOT NULL"), col("reason", "TEXT NOT NULL"),
     col("source", "TEXT NOT NULL")),
    ("case_id", "reason", "jurisdiction", "source"),
    (Index("ix_rm_case_visibility_jurisdiction", "jurisdiction, case_id"),
     Index("ix_rm_case_visibility_source", "source, reason")),
)


def visible_clause(case_column: str, *, role: bool = False) -> str:
    """SQL true when the jurisdiction (the next `?`, then the reason if `role`) may see the case."""
    reason = " AND v.reason = ?" if role else ""
    return (f"EXISTS (SELECT 1 FROM rm_case_visibility v WHERE v.case_id = {case_column} "
            f"AND v.jurisdiction = ?{reason})")


class VisibilityProjection(Projection):
    name = "visibility"
    version = 2  # 2: invitees see a joint action's cases only once they join
    tables = (CASE_VISIBILITY,)
    handles = (
        Case.Opened, Case.TransferRequested, Case.TransferAccepted, Case.TransferDeclined, Case.TransferWithdrawn,
        Case.JurisdictionDesignated, Case.TakenOver, Case.Assigned, EvidenceRequest.Requested, JointAction.Proposed, JointAction.ParticipantJoined,
        JointAction.ParticipantDeclined,
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
        adds: set[Grant] = set()
        action_cases: dict[str, list[str]] = {}  # joint actions proposed in this batch
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
                adds |= self._former(case_id, e.sender)
                handling[case_id] = e.receiver
                target[case_id] = None
            elif kind is Case.TransferDeclined or kind is Case.TransferWithdrawn:
                target[str(e.originator_id)] = None
            elif kind is Case.JurisdictionDesignated or kind is Case.TakenOver or kind is Case.Assigned:
                case_id = str(e.originator_id)
                if e.jurisdiction != e.previous:
                    adds |= self._former(case_id, e.previous)
                handling[case_id] = e.jurisdiction
                target[case_id] = None
            elif kind is EvidenceRequest.Requested:
                adds |= request_grants(str(e.originator_id), str(e.case_id), applicant=e.applicant, requested=e.requested)
            elif kind is JointAction.Proposed:
                source = str(e.originator_id)
                action_cases[source] = [str(c) for c in e.case_ids]
                adds |= participant_grants(source, action_cases[source], e.coordinator, ParticipationStatus.COORDINATOR)
                # The invitees' part grants nothing yet: they see the invitation, not the cases.
            elif kind is JointAction.ParticipantJoined:
                source = str(e.originator_id)
                if source not in action_cases:
                    action_cases[source] = self._action_cases(cur, source)
                adds |= participant_grants(source, action_cases[source], e.jurisdiction, ParticipationStatus.JOINED)
            elif kind is JointAction.ParticipantDeclined:
                declined.append((e.jurisdiction, str(e.originator_id)))
        self._flush(cur, handling, target, opened, adds, declined)

    @staticmethod
    def _former(case_id: str, code: str) -> set[Grant]:
        return {Grant(case_id, code, AccessReason.FORMER_HANDLER, case_id)}

    def _action_cases(self, cur: Any, action_id: str) -> list[str]:
        """The cases of a joint action proposed in an earlier batch, from its coordinator's rows."""
        cur.execute(f"SELECT DISTINCT case_id FROM {self.sql.t(CASE_VISIBILITY)} WHERE source = ? AND reason = ?",
                    (action_id, JOINT_ACTION_PARTICIPANT))
        return sorted(r[0] for r in cur.fetchall())

    def _flush(self, cur: Any, handling: dict[str, str], target: dict[str, str | None], opened: set[str],
               adds: set[Grant], declined: list[tuple[str, str]]) -> None:
        t = self.sql.t(CASE_VISIBILITY)
        rows = set(adds)
        replaced: dict[str, list[str]] = {HANDLING: [], SUPERVISING_ANCESTOR: [], TRANSFER_TARGET: []}
        for case_id, code in handling.items():
            if case_id not in opened:
                replaced[HANDLING].append(case_id)
                replaced[SUPERVISING_ANCESTOR].append(case_id)
            rows |= case_grants(case_id, handling=code, former_handlers=(), transfer_target=None,
                                ancestors=self._ancestors(code))
        for case_id, code in target.items():
            if case_id not in opened:
                replaced[TRANSFER_TARGET].append(case_id)
            if code is not None:
                rows.add(Grant(case_id, code, AccessReason.TRANSFER_TARGET, case_id))
        for reason, case_ids in replaced.items():
            execute_in(cur, f"DELETE FROM {t} WHERE reason = ? AND case_id IN ({{in}})", sorted(case_ids), before=(reason,))
        self.sql.insert_ignore_rows(cur, CASE_VISIBILITY, sorted((g.case_id, g.jurisdiction, g.reason.value, g.source) for g in rows),
                                    ("case_id", "jurisdiction", "reason", "source"))
        if declined:
            # A participant that declines sees nothing of the action's cases (none it was granted survives).
            cur.executemany(f"DELETE FROM {t} WHERE jurisdiction = ? AND reason = '{JOINT_ACTION_PARTICIPANT}' AND source = ?",
                            declined)


class VisibilityView:
    def __init__(self, db: Database) -> None:
        self.db = db

    def grants(self, case_ids: Sequence[str]) -> dict[str, list[Grant]]:
        """Every grant on the cases, as the read model holds them."""
        out: dict[str, list[Grant]] = {str(i): [] for i in case_ids}
        statement = "SELECT case_id, jurisdiction, reason, source FROM rm_case_visibility WHERE case_id IN ({in})"
        with self.db.transaction(write=False) as cur:
            for case_id, code, reason, source in select_in(cur, statement, list(out)):
                out[case_id].append(Grant(case_id, code, AccessReason(reason), source))
        return out

    def participants(self, case_ids: Sequence[str]) -> dict[str, list[ParticipantRow]]:
        """Every jurisdiction that may see each case, and why (undisclosed: the read model's view)."""
        return {k: _participant_rows(v) for k, v in self.grants(case_ids).items()}

    def participants_for(self, viewer: str, case_ids: Sequence[str]) -> dict[str, list[ParticipantRow]]:
        """What `viewer` may be told of who sees each case (`disclosed` in domain/access.py)."""
        return {k: _participant_rows(disclosed(v, sources_held(v, viewer))) for k, v in self.grants(case_ids).items()}

    def access(self, jurisdiction: str, case_id: str) -> set[str]:
        rows = self.db.query("SELECT DISTINCT reason FROM rm_case_visibility WHERE case_id = ? AND jurisdiction = ?",
                             (str(case_id), jurisdiction))
        return {r[0] for r in rows}


def _participant_rows(grants: Sequence[Grant]) -> list[ParticipantRow]:
    order = {reason: i for i, reason in enumerate(AccessReason)}
    pairs = {(g.reason, g.jurisdiction) for g in grants}
    return [ParticipantRow(jurisdiction=code, role=reason.value)
            for reason, code in sorted(pairs, key=lambda p: (order[p[0]], p[1]))]
