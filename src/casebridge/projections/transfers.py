"""The transfers read model (移送): every transfer a case went through, pending and past,
indexed per sender and per target. A transfer's id is `<case id>:<version of its request>`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from casebridge.domain.case import Case
from casebridge.infra.database import Database
from casebridge.projections.projection import Positioned, Projection
from casebridge.projections.rows.transfers import TransferRow
from casebridge.projections.sql import Sql, read_ts, select_in
from casebridge.projections.tables import Index, Table, col

TRANSFERS = Table(
    "rm_transfers",
    (
        col("id", "TEXT NOT NULL"), col("case_id", "TEXT NOT NULL"), col("sender", "TEXT NOT NULL"),
        col("receiver", "TEXT NOT NULL"), col("reason", "TEXT NOT NULL"), col("status", "TEXT NOT NULL"),
        col("requested_at", "TS NOT NULL"), col("requested_by_client", "TEXT NOT NULL"), col("decided_at", "TS"),
        col("decision_reason", "TEXT"), col("decided_by_client", "TEXT"),
    ),
    ("id",),
    (
        Index("ix_rm_transfers_receiver", "receiver, status, requested_at"),
        Index("ix_rm_transfers_sender", "sender, status, requested_at"),
        Index("ix_rm_transfers_case", "case_id, requested_at"),
    ),
)

_DECISIONS = {
    Case.TransferAccepted: "ACCEPTED",
    Case.TransferDeclined: "DECLINED",
    Case.TransferWithdrawn: "WITHDRAWN",
    Case.JurisdictionDesignated: "SUPERSEDED",  # a designation settles the case's handler; a pending transfer lapses
    Case.TakenOver: "SUPERSEDED",  # so does a superior taking the case up
}


class TransfersProjection(Projection):
    name = "transfers"
    version = 2  # 2: a decline is a dispute (DISPUTED), still open to acceptance, withdrawal or designation
    tables = (TRANSFERS,)
    handles = (Case.TransferRequested, Case.TransferDisputed, *_DECISIONS)

    def apply(self, cur: Any, events: Sequence[Positioned]) -> None:
        sql = self.sql
        new: dict[str, dict[str, Any]] = {}  # transfers requested in this batch, by id
        pending: dict[str, str] = {}  # case id -> id of its pending transfer requested in this batch
        earlier: list[tuple[Any, ...]] = []  # decisions on transfers requested in an earlier batch
        disputes: list[tuple[Any, ...]] = []  # disputes of transfers requested in an earlier batch
        for _, e in events:
            case_id = str(e.originator_id)
            if type(e) is Case.TransferRequested:
                transfer_id = f"{case_id}:{e.originator_version}"
                new[transfer_id] = {
                    "id": transfer_id, "case_id": case_id, "sender": e.sender, "receiver": e.to, "reason": e.reason,
                    "status": "PENDING", "requested_at": sql.ts(e.timestamp), "requested_by_client": e.actor.client_id,
                    "decided_at": None, "decision_reason": None, "decided_by_client": None,
                }
                pending[case_id] = transfer_id
                continue
            if type(e) is Case.TransferDisputed:
                # Not a decision: the transfer stays open (and in `pending`) until settled or designated.
                transfer_id = pending.get(case_id)
                if transfer_id is not None:
                    new[transfer_id].update(status="DISPUTED", decision_reason=e.reason)
                else:
                    disputes.append(("DISPUTED", e.reason, case_id))
                continue
            status = _DECISIONS[type(e)]
            reason = getattr(e, "reason", None) if status in ("DECLINED", "SUPERSEDED") else None
            decision = (status, sql.ts(e.timestamp), reason, e.actor.client_id)
            transfer_id = pending.pop(case_id, None)
            if transfer_id is not None:
                new[transfer_id].update(zip(("status", "decided_at", "decision_reason", "decided_by_client"), decision))
            else:
                earlier.append((*decision, case_id))
        # Before the inserts: they must not touch a transfer requested later in this batch. A dispute
        # and then a decision on the same earlier transfer may both be in this batch: in that order.
        if disputes:
            cur.executemany(f"UPDATE {sql.t(TRANSFERS)} SET status = ?, decision_reason = ? "
                            "WHERE case_id = ? AND status = 'PENDING'", disputes)
        if earlier:
            cur.executemany(f"UPDATE {sql.t(TRANSFERS)} SET status = ?, decided_at = ?, decision_reason = ?, "
                            "decided_by_client = ? WHERE case_id = ? AND status IN ('PENDING', 'DISPUTED')", earlier)
        cols = TRANSFERS.column_names
        sql.upsert_rows(cur, TRANSFERS, [tuple(r[c] for c in cols) for r in new.values()])


_COLUMNS = "id, case_id, sender, receiver, reason, status, requested_at, decided_at, decision_reason, requested_by_client"


def _row(r: Sequence[Any]) -> TransferRow:
    return TransferRow(id=r[0], case_id=r[1], sender=r[2], receiver=r[3], reason=r[4], status=r[5],
                       requested_at=read_ts(r[6]), decided_at=read_ts(r[7]), decision_reason=r[8],
                       requested_by_client=r[9])


class TransfersView:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.sql = Sql(db.dialect)

    def incoming(self, jurisdiction: str) -> list[TransferRow]:
        """Pending transfers addressed to J, oldest first (a disputed one was answered: it is before the superior)."""
        rows = self.db.query(f"SELECT {_COLUMNS} FROM rm_transfers WHERE receiver = ? AND status = 'PENDING' "
                             "ORDER BY requested_at, id", (jurisdiction,))
        return [_row(r) for r in rows]

    def outgoing(self, jurisdiction: str) -> list[TransferRow]:
        """Pending transfers J has sent, disputed ones included (J may still withdraw them), oldest first."""
        rows = self.db.query(f"SELECT {_COLUMNS} FROM rm_transfers WHERE sender = ? AND status IN ('PENDING', 'DISPUTED') "
                             "ORDER BY requested_at, id", (jurisdiction,))
        return [_row(r) for r in rows]

    def for_cases(self, case_ids: Sequence[str]) -> dict[str, list[TransferRow]]:
        """Every transfer of each case, oldest first (the caller has checked the cases are visible)."""
        out: dict[str, list[TransferRow]] = {str(i): [] for i in case_ids}
        with self.db.transaction(write=False) as cur:
            rows = select_in(cur, f"SELECT {_COLUMNS} FROM rm_transfers WHERE case_id IN ({{in}}) "
                                  "ORDER BY requested_at, id", list(out))
        for r in rows:
            out[r[1]].append(_row(r))
        return out
