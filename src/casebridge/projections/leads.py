"""The leads read model (线索): one row per lead, visible to its holding jurisdiction only
(domain/access.py `lead_visible_to`: the SQL filters on `holder`). Each clock is a due time;
`overdue` is derived at read time from it and the clock of the reader."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from casebridge.domain.lead import Lead
from casebridge.infra.database import Database
from casebridge.projections.cases import InvalidCursorError, decode_cursor, encode_cursor
from casebridge.projections.projection import Positioned, Projection, RowSet, apply_versioned
from casebridge.projections.rows import Page
from casebridge.projections.sql import Sql, dumps, loads_tuple, read_ts, select_in
from casebridge.projections.tables import Index, Table, col

LEADS = Table(
    "rm_leads",
    (
        col("id", "TEXT NOT NULL"), col("holder", "TEXT NOT NULL"), col("source", "TEXT NOT NULL"),
        col("subject_name", "TEXT NOT NULL"), col("subject_kind", "TEXT NOT NULL"), col("subject_identifier", "TEXT"),
        col("product_codes", "TEXT NOT NULL"), col("findings", "TEXT NOT NULL"),
        col("reporter_sealed", "TEXT"), col("reporter_erased_at", "TS"), col("status", "TEXT NOT NULL"),
        col("check_due_at", "TS NOT NULL"), col("extended", "BOOL NOT NULL"), col("extension_approval", "TEXT"),
        col("paused_since", "TS"), col("pause_reason", "TEXT"), col("case_id", "TEXT"), col("filing_number", "TEXT"),
        col("filing_date", "TEXT"), col("decline_reason", "TEXT"), col("decline_detail", "TEXT"),
        col("decided_at", "TS"), col("notice_due_at", "TS"), col("reporter_notified_at", "TS"),
        col("registered_at", "TS NOT NULL"), col("registered_by_client", "TEXT NOT NULL"), col("version", "INT NOT NULL"),
    ),
    ("id",),
    (
        Index("ix_rm_leads_holder_registered", "holder, registered_at, id"),
        Index("ix_rm_leads_holder_status_due", "holder, status, check_due_at"),
    ),
)


@dataclass(frozen=True)
class LeadFilter:
    status: str | None = None
    source: str | None = None
    subject_identifier: str | None = None


@dataclass(frozen=True)
class LeadRow:
    id: str
    holder: str
    source: str
    subject_name: str
    subject_kind: str
    subject_identifier: str | None
    subject_product_codes: tuple[str, ...]
    findings: str
    reporter_sealed: str | None  # the reporter, encrypted with the lead's own key (infra/reporter_keys.py)
    reporter_erased_at: datetime | None
    status: str  # CHECKING, FILED, DECLINED
    check_due_at: datetime
    extended: bool
    extension_approval: str | None
    paused_since: datetime | None
    pause_reason: str | None
    case_id: str | None
    filing_number: str | None
    filing_date: date | None
    decline_reason: str | None
    decline_detail: str | None
    decided_at: datetime | None
    notice_due_at: datetime | None
    reporter_notified_at: datetime | None
    registered_at: datetime
    version: int

    def check_overdue(self, now: datetime) -> bool:
        """Past the check's due time while checking and not paused (程序规定 Art 18)."""
        return self.status == "CHECKING" and self.paused_since is None and now > self.check_due_at

    def notice_overdue(self, now: datetime) -> bool:
        """A named reporter not yet told the decision after its due time (投诉举报办法 Art 31)."""
        return self.notice_due_at is not None and self.reporter_notified_at is None and now > self.notice_due_at


class LeadsProjection(Projection):
    name = "leads"
    version = 1
    tables = (LEADS,)
    handles = (
        Lead.Registered, Lead.CheckExtended, Lead.ClockPaused, Lead.ClockResumed, Lead.Filed, Lead.DeclinedToFile,
        Lead.ReporterNotified, Lead.ReporterErased,
    )

    def apply(self, cur: Any, events: Sequence[Positioned]) -> None:
        sql = self.sql
        leads = RowSet(sql, LEADS)
        leads.load(cur, (str(e.originator_id) for _, e in events))
        for _, e in events:
            lead_id = str(e.originator_id)
            kind = type(e)
            if kind is Lead.Registered:
                if lead_id not in leads.rows:
                    leads.put({
                        "id": lead_id, "holder": e.holder, "source": e.source.value, "subject_name": e.subject.name,
                        "subject_kind": e.subject.kind.value, "subject_identifier": e.subject.identifier,
                        "product_codes": dumps(list(e.subject.product_codes)), "findings": e.findings,
                        "reporter_sealed": e.sealed_reporter, "reporter_erased_at": None, "status": "CHECKING",
                        "check_due_at": sql.ts(e.check_due_at), "extended": sql.flag(False),
                        "extension_approval": None, "paused_since": None, "pause_reason": None, "case_id": None,
                        "filing_number": None, "filing_date": None, "decline_reason": None, "decline_detail": None,
                        "decided_at": None, "notice_due_at": None, "reporter_notified_at": None,
                        "registered_at": sql.ts(e.timestamp), "registered_by_client": e.actor.client_id,
                        "version": e.originator_version,
                    })
                continue
            row = apply_versioned(leads, e, lead_id)
            if row is None:
                continue
            if kind is Lead.CheckExtended:
                row.update(check_due_at=sql.ts(e.check_due_at), extended=sql.flag(True), extension_approval=e.approval)
            elif kind is Lead.ClockPaused:
                row.update(paused_since=sql.ts(e.paused_at), pause_reason=e.reason)
            elif kind is Lead.ClockResumed:
                row.update(check_due_at=sql.ts(e.check_due_at), paused_since=None, pause_reason=None)
            elif kind is Lead.Filed:
                row.update(status="FILED", case_id=str(e.case_id), filing_number=e.filing_number,
                           filing_date=e.filing_date.isoformat(), decided_at=sql.ts(e.timestamp),
                           notice_due_at=sql.ts(e.notice_due_at), paused_since=None, pause_reason=None)
            elif kind is Lead.DeclinedToFile:
                row.update(status="DECLINED", decline_reason=e.reason.value, decline_detail=e.detail,
                           decided_at=sql.ts(e.timestamp), notice_due_at=sql.ts(e.notice_due_at), paused_since=None,
                           pause_reason=None)
            elif kind is Lead.ReporterNotified:
                row.update(reporter_notified_at=sql.ts(e.timestamp))
            elif kind is Lead.ReporterErased:
                row.update(reporter_sealed=None, reporter_erased_at=sql.ts(e.timestamp))
        leads.flush(cur)


_COLUMNS = ", ".join(c for c in LEADS.column_names if c != "registered_by_client")


def _row(r: Sequence[Any]) -> LeadRow:
    v = dict(zip((c for c in LEADS.column_names if c != "registered_by_client"), r))
    return LeadRow(
        id=v["id"], holder=v["holder"], source=v["source"], subject_name=v["subject_name"],
        subject_kind=v["subject_kind"], subject_identifier=v["subject_identifier"],
        subject_product_codes=loads_tuple(v["product_codes"]), findings=v["findings"], reporter_sealed=v["reporter_sealed"],
        reporter_erased_at=read_ts(v["reporter_erased_at"]), status=v["status"], check_due_at=read_ts(v["check_due_at"]),
        extended=bool(v["extended"]), extension_approval=v["extension_approval"],
        paused_since=read_ts(v["paused_since"]), pause_reason=v["pause_reason"], case_id=v["case_id"],
        filing_number=v["filing_number"],
        filing_date=date.fromisoformat(v["filing_date"]) if v["filing_date"] else None,
        decline_reason=v["decline_reason"], decline_detail=v["decline_detail"], decided_at=read_ts(v["decided_at"]),
        notice_due_at=read_ts(v["notice_due_at"]), reporter_notified_at=read_ts(v["reporter_notified_at"]),
        registered_at=read_ts(v["registered_at"]), version=int(v["version"]),
    )


class LeadsView:
    """Leads as their holding jurisdiction sees them; every query filters on `holder`."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.sql = Sql(db.dialect)

    def get(self, jurisdiction: str, lead_id: str) -> LeadRow | None:
        return self.get_many(jurisdiction, [lead_id]).get(str(lead_id))

    def get_many(self, jurisdiction: str, ids: Sequence[str]) -> dict[str, LeadRow]:
        with self.db.transaction(write=False) as cur:
            rows = select_in(cur, f"SELECT {_COLUMNS} FROM rm_leads WHERE id IN ({{in}}) AND holder = ?",
                             [str(i) for i in ids], after=(jurisdiction,))
        return {r.id: r for r in map(_row, rows)}

    def page(self, jurisdiction: str, *, first: int, after: str | None = None,
             filter: LeadFilter | None = None) -> Page[LeadRow]:
        """The newest first, keyset-paged on (registered_at, id)."""
        f = filter or LeadFilter()
        first = max(0, min(int(first), 500))
        where, params = ["holder = ?"], [jurisdiction]
        for column, value in (("status", f.status), ("source", f.source), ("subject_identifier", f.subject_identifier)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if after:
            parts = decode_cursor(after, 2)
            if parts is None:
                raise InvalidCursorError("the cursor `after` is not one this API issued")
            at = self.sql.ts(read_ts(parts[0]))
            where.append("(registered_at < ? OR (registered_at = ? AND id > ?))")
            params += [at, at, parts[1]]
        statement = (f"SELECT {_COLUMNS} FROM rm_leads WHERE {' AND '.join(where)} "
                     "ORDER BY registered_at DESC, id LIMIT ?")
        with self.db.transaction(write=False) as cur:
            cur.execute(statement, (*params, first + 1))
            rows = [_row(v) for v in cur.fetchall()]
        items = rows[:first]
        cursors = [encode_cursor(r.registered_at.isoformat(), r.id) for r in items]
        return Page(items=items, cursors=cursors, has_next_page=len(rows) > first,
                    end_cursor=cursors[-1] if cursors else None)

    def to_check(self, jurisdiction: str, limit: int = 200) -> list[LeadRow]:
        """J's leads still being checked, the soonest due first (the inbox)."""
        rows = self.db.query(f"SELECT {_COLUMNS} FROM rm_leads WHERE holder = ? AND status = 'CHECKING' "
                             "ORDER BY check_due_at, id LIMIT ?", (jurisdiction, limit))
        return [_row(r) for r in rows]
