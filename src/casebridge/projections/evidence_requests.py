"""The evidence-requests read model (协助调查): one row per request, its returned items,
indexed per applicant and per requested jurisdiction. Visible to those two parties only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from casebridge.domain.evidence_request import EvidenceRequest
from casebridge.infra.database import Database
from casebridge.projections.projection import Positioned, Projection, RowSet, apply_versioned
from casebridge.projections.rows.evidence_requests import EvidenceItemRow, EvidenceRequestRow
from casebridge.projections.sql import Sql, read_ts, select_in
from casebridge.projections.tables import Index, Table, col

EVIDENCE_REQUESTS = Table(
    "rm_evidence_requests",
    (
        col("id", "TEXT NOT NULL"), col("case_id", "TEXT NOT NULL"), col("applicant", "TEXT NOT NULL"),
        col("requested", "TEXT NOT NULL"), col("description", "TEXT NOT NULL"), col("legal_basis", "TEXT"),
        col("status", "TEXT NOT NULL"), col("due_at", "TS NOT NULL"), col("acknowledged", "BOOL NOT NULL"),
        col("refusal_reason", "TEXT"), col("refusal_detail", "TEXT"), col("requested_at", "TS NOT NULL"),
        col("answered_at", "TS"), col("requested_by_client", "TEXT NOT NULL"), col("version", "INT NOT NULL"),
    ),
    ("id",),
    (
        Index("ix_rm_evidence_requests_requested", "requested, status, due_at"),
        Index("ix_rm_evidence_requests_applicant", "applicant, status, due_at"),
        Index("ix_rm_evidence_requests_case", "case_id"),
    ),
)

EVIDENCE_REQUEST_ITEMS = Table(
    "rm_evidence_request_items",
    (col("request_id", "TEXT NOT NULL"), col("position", "INT NOT NULL"), col("title", "TEXT NOT NULL"),
     col("sha256", "TEXT NOT NULL"), col("description", "TEXT")),
    ("request_id", "position"),
)


class EvidenceRequestsProjection(Projection):
    name = "evidence_requests"
    version = 1
    tables = (EVIDENCE_REQUESTS, EVIDENCE_REQUEST_ITEMS)
    handles = (
        EvidenceRequest.Requested, EvidenceRequest.Acknowledged, EvidenceRequest.Extended,
        EvidenceRequest.Fulfilled, EvidenceRequest.Refused, EvidenceRequest.Withdrawn,
    )

    def apply(self, cur: Any, events: Sequence[Positioned]) -> None:
        sql = self.sql
        requests = RowSet(sql, EVIDENCE_REQUESTS)
        requests.load(cur, (str(e.originator_id) for _, e in events))
        items: list[tuple[Any, ...]] = []
        for _, e in events:
            request_id = str(e.originator_id)
            kind = type(e)
            if kind is EvidenceRequest.Requested:
                if request_id not in requests.rows:
                    requests.put({
                        "id": request_id, "case_id": str(e.case_id), "applicant": e.applicant, "requested": e.requested,
                        "description": e.description, "legal_basis": e.legal_basis, "status": "OPEN",
                        "due_at": sql.ts(e.due_at), "acknowledged": sql.flag(False), "refusal_reason": None,
                        "refusal_detail": None, "requested_at": sql.ts(e.timestamp), "answered_at": None,
                        "requested_by_client": e.actor.client_id, "version": e.originator_version,
                    })
                continue
            row = apply_versioned(requests, e, request_id)
            if row is None:
                continue
            if kind is EvidenceRequest.Acknowledged:
                row["acknowledged"] = sql.flag(True)
            elif kind is EvidenceRequest.Extended:
                row["due_at"] = sql.ts(e.due_at)
            elif kind is EvidenceRequest.Fulfilled:
                row.update(status="FULFILLED", answered_at=sql.ts(e.timestamp))
                items += [(request_id, i, it.title, it.sha256, it.description) for i, it in enumerate(e.items)]
            elif kind is EvidenceRequest.Refused:
                row.update(status="REFUSED", answered_at=sql.ts(e.timestamp), refusal_reason=e.reason.value,
                           refusal_detail=e.detail)
            elif kind is EvidenceRequest.Withdrawn:
                row.update(status="WITHDRAWN", answered_at=sql.ts(e.timestamp))
        requests.flush(cur)
        sql.upsert_rows(cur, EVIDENCE_REQUEST_ITEMS, items)


_COLUMNS = ("id, case_id, applicant, requested, description, legal_basis, status, due_at, acknowledged, "
            "refusal_reason, refusal_detail, requested_at, answered_at, version")


def _row(r: Sequence[Any]) -> EvidenceRequestRow:
    return EvidenceRequestRow(
        id=r[0], case_id=r[1], applicant=r[2], requested=r[3], description=r[4], legal_basis=r[5], status=r[6],
        due_at=read_ts(r[7]), acknowledged=bool(r[8]), refusal_reason=r[9], refusal_detail=r[10],
        requested_at=read_ts(r[11]), answered_at=read_ts(r[12]), version=int(r[13]),
    )


_PARTY = "(applicant = ? OR requested = ?)"


class EvidenceRequestsView:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.sql = Sql(db.dialect)

    def get(self, jurisdiction: str, request_id: str) -> EvidenceRequestRow | None:
        return self.get_many(jurisdiction, [request_id]).get(str(request_id))

    def get_many(self, jurisdiction: str, ids: Sequence[str]) -> dict[str, EvidenceRequestRow]:
        with self.db.transaction(write=False) as cur:
            rows = select_in(cur, f"SELECT {_COLUMNS} FROM rm_evidence_requests WHERE id IN ({{in}}) AND {_PARTY}",
                             [str(i) for i in ids], after=(jurisdiction, jurisdiction))
        return {r.id: r for r in map(_row, rows)}

    def for_cases(self, jurisdiction: str, case_ids: Sequence[str]) -> dict[str, list[EvidenceRequestRow]]:
        out: dict[str, list[EvidenceRequestRow]] = {str(i): [] for i in case_ids}
        with self.db.transaction(write=False) as cur:
            rows = select_in(cur, f"SELECT {_COLUMNS} FROM rm_evidence_requests WHERE case_id IN ({{in}}) AND {_PARTY} "
                                  "ORDER BY requested_at, id", list(out), after=(jurisdiction, jurisdiction))
        for r in map(_row, rows):
            out[r.case_id].append(r)
        return out

    def awaiting(self, jurisdiction: str) -> list[EvidenceRequestRow]:
        """Open requests addressed to J, the soonest due first."""
        rows = self.db.query(f"SELECT {_COLUMNS} FROM rm_evidence_requests WHERE requested = ? AND status = 'OPEN' "
                             "ORDER BY due_at, id", (jurisdiction,))
        return [_row(r) for r in rows]

    def sent(self, jurisdiction: str) -> list[EvidenceRequestRow]:
        """Open requests J has made, the soonest due first."""
        rows = self.db.query(f"SELECT {_COLUMNS} FROM rm_evidence_requests WHERE applicant = ? AND status = 'OPEN' "
                             "ORDER BY due_at, id", (jurisdiction,))
        return [_row(r) for r in rows]

    def items(self, request_ids: Sequence[str]) -> dict[str, list[EvidenceItemRow]]:
        out: dict[str, list[EvidenceItemRow]] = {str(i): [] for i in request_ids}
        with self.db.transaction(write=False) as cur:
            rows = select_in(cur, "SELECT request_id, title, sha256, description FROM rm_evidence_request_items "
                                  "WHERE request_id IN ({in}) ORDER BY request_id, position", list(out))
        for r in rows:
            out[r[0]].append(EvidenceItemRow(title=r[1], sha256=r[2], description=r[3]))
        return out
