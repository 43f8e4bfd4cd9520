"""The cases read model: one row per case (what `Case` shows, plus filter and sort columns)
and its evidence list. Reads are filtered by `rm_case_visibility` in SQL."""

from __future__ import annotations

import base64
import dataclasses
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from casebridge.domain.case import Case
from casebridge.domain.values import Subject
from casebridge.infra.database import Database
from casebridge.projections.projection import Positioned, Projection, RowSet, apply_versioned
from casebridge.domain.values import OutcomeDetails
from casebridge.projections.rows import (
    CaseFilter,
    CaseRow,
    DisputeRow,
    EvidenceRow,
    Page,
    ParticipantRow,
    PendingTransferRow,
    PlatformOperatorRow,
)
from casebridge.projections.sql import Sql, dumps, loads_tuple, read_ts, select_in, well_formed_ids
from casebridge.projections.tables import Index, Table, col
from casebridge.projections.visibility import VisibilityView, visible_clause

CASES = Table(
    "rm_cases",
    (
        col("id", "TEXT NOT NULL"), col("reference", "TEXT NOT NULL"), col("title", "TEXT NOT NULL"),
        col("summary", "TEXT NOT NULL"), col("status", "TEXT NOT NULL"), col("handling_jurisdiction", "TEXT NOT NULL"),
        col("subject_name", "TEXT NOT NULL"), col("subject_kind", "TEXT NOT NULL"), col("subject_identifier", "TEXT"),
        col("subject_product_codes", "TEXT NOT NULL"), col("category", "TEXT NOT NULL"), col("legal_basis", "TEXT"),
        col("outcome", "TEXT"), col("closing_summary", "TEXT"),
        col("pending_sender", "TEXT"), col("pending_to", "TEXT"), col("pending_reason", "TEXT"),
        col("pending_requested_at", "TS"), col("pending_requested_by_client", "TEXT"),
        col("search_text", "TEXT NOT NULL"), col("version", "INT NOT NULL"),
        col("opened_at", "TS NOT NULL"), col("updated_at", "TS NOT NULL"), col("opened_by_client", "TEXT NOT NULL"),
        # issue 11 (version 2): the subject's credit code (given, or a valid one in `identifier`), places, platform, store
        col("subject_credit_code", "TEXT"), col("subject_domicile", "TEXT"), col("subject_place_of_business", "TEXT"),
        col("subject_platform_operator", "TEXT"), col("subject_store", "TEXT"),
        col("decision_due_at", "TS"), col("clock_paused_on", "TEXT"), col("clock_pause_reason", "TEXT"),
        col("decision_extensions", "INT NOT NULL"), col("dispute_superior", "TEXT"), col("dispute_sender", "TEXT"),
        col("dispute_receiver", "TEXT"), col("dispute_reason", "TEXT"), col("dispute_opened_at", "TS"),
        col("dispute_settle_due_at", "TS"), col("dispute_designation_due_at", "TS"), col("outcome_details", "TEXT"),
        col("suspension_reason", "TEXT"),
    ),
    ("id",),
    (
        Index("ix_rm_cases_updated", "updated_at DESC, id"),
        Index("ix_rm_cases_dispute_superior", "dispute_superior, dispute_opened_at, id"),
        Index("ix_rm_cases_handling_updated", "handling_jurisdiction, updated_at DESC, id"),
        Index("ix_rm_cases_reference", "reference"),
        Index("ix_rm_cases_credit_code", "subject_credit_code, status"),
        Index("ix_rm_cases_store", "subject_store"),
    ),
)

CASE_EVIDENCE = Table(
    "rm_case_evidence",
    (
        col("case_id", "TEXT NOT NULL"), col("evidence_id", "TEXT NOT NULL"), col("title", "TEXT NOT NULL"),
        col("sha256", "TEXT NOT NULL"), col("description", "TEXT"), col("collected_by_client", "TEXT NOT NULL"),
        col("collected_by_jurisdiction", "TEXT NOT NULL"), col("collected_at", "TS NOT NULL"),
    ),
    ("case_id", "evidence_id"),
)


def _search_text(row: dict[str, Any]) -> str:
    return "\n".join((row["title"], row["reference"], row["subject_name"])).casefold()


class CasesProjection(Projection):
    name = "cases"
    version = 3  # 2: the subject's credit code (first filer), places, platform, store; 3: decision period, dispute, outcome details, suspension
    tables = (CASES, CASE_EVIDENCE)
    handles = (
        Case.Opened, Case.DetailsRevised, Case.TransferRequested, Case.TransferAccepted, Case.TransferDeclined,
        Case.TransferWithdrawn, Case.JurisdictionDesignated, Case.EvidenceAdded, Case.Closed, Case.Reopened,
        Case.TransferDisputed, Case.TakenOver, Case.Assigned, Case.DecisionPeriodExtended, Case.DecisionClockPaused,
        Case.DecisionClockResumed, Case.Suspended, Case.Resumed,
    )

    def apply(self, cur: Any, events: Sequence[Positioned]) -> None:
        sql = self.sql
        cases = RowSet(sql, CASES)
        cases.load(cur, (str(e.originator_id) for _, e in events))
        evidence: list[tuple[Any, ...]] = []
        for _, e in events:
            case_id = str(e.originator_id)
            if type(e) is Case.Opened:
                if case_id in cases.rows:
                    continue  # already applied
                row = cases.put({
                    "id": case_id, "reference": e.reference, "title": e.title, "summary": e.summary, "status": "OPEN",
                    "handling_jurisdiction": e.handling_jurisdiction, "subject_name": e.subject.name,
                    "subject_kind": e.subject.kind.value, "subject_identifier": e.subject.identifier,
                    "subject_product_codes": dumps(list(e.subject.product_codes)), "category": e.category.value,
                    "legal_basis": e.legal_basis, "outcome": None, "closing_summary": None,
                    "pending_sender": None, "pending_to": None, "pending_reason": None,
                    "pending_requested_at": None, "pending_requested_by_client": None, "search_text": "",
                    "version": e.originator_version, "opened_at": sql.ts(e.timestamp),
                    "updated_at": sql.ts(e.timestamp), "opened_by_client": e.actor.client_id,
                    **_subject_columns(e.subject),
                    "decision_due_at": sql.ts(e.decision_due_at) if e.decision_due_at is not None else None,
                    "clock_paused_on": None, "clock_pause_reason": None, "decision_extensions": 0,
                    **_NO_DISPUTE, "outcome_details": None, "suspension_reason": None,
                })
                row["search_text"] = _search_text(row)
                continue
            row = apply_versioned(cases, e, case_id)
            if row is None:
                continue
            row["updated_at"] = sql.ts(e.timestamp)
            kind = type(e)
            if kind is Case.DetailsRevised:
                row.update(title=e.title, summary=e.summary, category=e.category.value, legal_basis=e.legal_basis)
                row["search_text"] = _search_text(row)
            elif kind is Case.TransferRequested:
                row.update(pending_sender=e.sender, pending_to=e.to, pending_reason=e.reason,
                           pending_requested_at=sql.ts(e.timestamp), pending_requested_by_client=e.actor.client_id)
            elif kind is Case.TransferAccepted:
                _clear_pending(row)
                row["handling_jurisdiction"] = e.receiver
            elif kind is Case.TransferDeclined or kind is Case.TransferWithdrawn:
                _clear_pending(row)
            elif kind is Case.JurisdictionDesignated or kind is Case.TakenOver or kind is Case.Assigned:
                _clear_pending(row)
                row["handling_jurisdiction"] = e.jurisdiction
            elif kind is Case.TransferDisputed:
                row.update(dispute_superior=e.superior, dispute_sender=e.sender, dispute_receiver=e.receiver,
                           dispute_reason=e.reason, dispute_opened_at=sql.ts(e.timestamp),
                           dispute_settle_due_at=sql.ts(e.settle_due_at),
                           dispute_designation_due_at=sql.ts(e.designation_due_at))
            elif kind is Case.DecisionPeriodExtended or kind is Case.DecisionClockResumed:
                row.update(decision_due_at=sql.ts(e.due_at), clock_paused_on=None, clock_pause_reason=None)
                if kind is Case.DecisionPeriodExtended:
                    row["decision_extensions"] = int(row["decision_extensions"]) + 1
            elif kind is Case.DecisionClockPaused:
                row.update(clock_paused_on=e.paused_on.isoformat(), clock_pause_reason=e.reason.value)
            elif kind is Case.Suspended:
                row.update(suspension_reason=e.reason)
            elif kind is Case.Resumed:
                row.update(suspension_reason=None)
            elif kind is Case.EvidenceAdded:
                evidence.append((case_id, e.evidence_id, e.item.title, e.item.sha256, e.item.description,
                                 e.actor.client_id, e.actor.jurisdiction, sql.ts(e.timestamp)))
            elif kind is Case.Closed:
                row.update(outcome=e.outcome.value, closing_summary=e.summary,
                           outcome_details=_details_json(e.details))
            elif kind is Case.Reopened:
                row.update(outcome=None, closing_summary=None, outcome_details=None)
            row["status"] = _status(row)
        cases.flush(cur)
        sql.insert_ignore_rows(cur, CASE_EVIDENCE, evidence)


def _subject_columns(subject: Subject) -> dict[str, Any]:
    operator = subject.platform_operator
    return {
        "subject_credit_code": subject.known_credit_code, "subject_domicile": subject.domicile,
        "subject_place_of_business": subject.place_of_business,
        "subject_platform_operator": dumps([operator.name, operator.credit_code, operator.domicile]) if operator else None,
        "subject_store": subject.store or _url(subject.identifier),
    }


def _url(identifier: str | None) -> str | None:
    """A store URL recorded in the free identifier (before `store` existed) is searchable as a store."""
    if identifier and identifier.lower().startswith(("http://", "https://")):
        return identifier
    return None


_NO_DISPUTE = {name: None for name in ("dispute_superior", "dispute_sender", "dispute_receiver", "dispute_reason",
                                       "dispute_opened_at", "dispute_settle_due_at", "dispute_designation_due_at")}


def _clear_pending(row: dict[str, Any]) -> None:
    """The transfer is settled one way or another, and with it any dispute about it."""
    row.update(pending_sender=None, pending_to=None, pending_reason=None,
               pending_requested_at=None, pending_requested_by_client=None, **_NO_DISPUTE)


def _status(row: dict[str, Any]) -> str:
    """As `Case._refresh_status`: closed, else suspended, else disputed, else open."""
    if row["outcome"] is not None:
        return "CLOSED"
    if row["suspension_reason"] is not None:
        return "SUSPENDED"
    return "DISPUTED" if row["dispute_superior"] is not None else "OPEN"


def _details_json(details: OutcomeDetails | None) -> str | None:
    if details is None:
        return None
    return dumps({k: v for k, v in dataclasses.asdict(details).items() if v is not None})


# -- the view ------------------------------------------------------------------------------------

_CASE_COLUMNS = ", ".join(f"c.{name}" for name in CASES.column_names)


def _case_row(values: Sequence[Any]) -> CaseRow:
    r = dict(zip(CASES.column_names, values))
    pending = None
    if r["pending_to"] is not None:
        pending = PendingTransferRow(
            sender=r["pending_sender"], to=r["pending_to"], reason=r["pending_reason"],
            requested_at=read_ts(r["pending_requested_at"]), requested_by_client=r["pending_requested_by_client"] or "",
        )
    dispute = None
    if r["dispute_superior"] is not None:
        dispute = DisputeRow(
            case_id=r["id"], superior=r["dispute_superior"], sender=r["dispute_sender"], receiver=r["dispute_receiver"],
            reason=r["dispute_reason"], opened_at=read_ts(r["dispute_opened_at"]),
            settle_due_at=read_ts(r["dispute_settle_due_at"]), designation_due_at=read_ts(r["dispute_designation_due_at"]),
        )
    return CaseRow(
        id=r["id"], reference=r["reference"], title=r["title"], summary=r["summary"], status=r["status"],
        handling_jurisdiction=r["handling_jurisdiction"], subject_name=r["subject_name"], subject_kind=r["subject_kind"],
        subject_identifier=r["subject_identifier"], subject_product_codes=loads_tuple(r["subject_product_codes"]),
        category=r["category"], legal_basis=r["legal_basis"], outcome=r["outcome"], closing_summary=r["closing_summary"],
        pending_transfer=pending, version=int(r["version"]), opened_at=read_ts(r["opened_at"]),
        updated_at=read_ts(r["updated_at"]), opened_by_client=r["opened_by_client"],
        subject_credit_code=r["subject_credit_code"], subject_domicile=r["subject_domicile"],
        subject_place_of_business=r["subject_place_of_business"],
        subject_platform_operator=PlatformOperatorRow(*json.loads(r["subject_platform_operator"]))
        if r["subject_platform_operator"] else None,
        subject_store=r["subject_store"],
        decision_due_at=read_ts(r["decision_due_at"]) if r["decision_due_at"] is not None else None,
        decision_clock_paused_on=r["clock_paused_on"], decision_pause_reason=r["clock_pause_reason"],
        decision_extensions=int(r["decision_extensions"]), dispute=dispute,
        outcome_details=json.loads(r["outcome_details"]) if r["outcome_details"] else None,
        suspension_reason=r["suspension_reason"],
    )


def encode_cursor(*parts: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, arity: int) -> list[Any] | None:
    try:
        parts = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError):
        return None
    if not isinstance(parts, list) or len(parts) != arity or not all(isinstance(p, str) for p in parts):
        return None
    if len(well_formed_ids(parts[1:])) != arity - 1:  # (timestamp, id): an altered id never reaches SQL
        return None
    try:
        datetime.fromisoformat(parts[0])
    except ValueError:
        return None
    return parts


class InvalidCursorError(ValueError):
    """The `after` cursor was not issued by this API."""

    code = "VALIDATION"
    field = "after"


class CasesView:
    """Cases as jurisdiction J may see them (SqliteCasesView and PostgresCasesView share this SQL)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.sql = Sql(db.dialect)
        self.visibility = VisibilityView(db)

    def get(self, jurisdiction: str, case_id: str) -> CaseRow | None:
        return self.get_many(jurisdiction, [case_id]).get(case_id)

    def get_many(self, jurisdiction: str, case_ids: Sequence[str]) -> dict[str, CaseRow]:
        statement = f"SELECT {_CASE_COLUMNS} FROM rm_cases c WHERE c.id IN ({{in}}) AND {visible_clause('c.id')}"
        with self.db.transaction(write=False) as cur:
            rows = select_in(cur, statement, well_formed_ids(case_ids), after=(jurisdiction,))
        return {r.id: r for r in map(_case_row, rows)}

    def page(self, jurisdiction: str, *, first: int, after: str | None = None, filter: CaseFilter | None = None) -> Page[CaseRow]:
        f = filter or CaseFilter()
        first = max(0, min(int(first), 500))
        where = [visible_clause("c.id", role=f.role is not None)]
        params: list[Any] = [jurisdiction] + ([f.role] if f.role is not None else [])
        for column, value in (("status", f.status), ("category", f.category),
                              ("handling_jurisdiction", f.handling_jurisdiction), ("subject_kind", f.subject_kind),
                              ("subject_credit_code", f.credit_code), ("subject_store", f.store)):
            if value is not None:
                where.append(f"c.{column} = ?")
                params.append(value)
        if f.text:
            where.append("c.search_text LIKE ? ESCAPE '\\'")
            params.append("%" + _escape_like(f.text.strip().casefold()) + "%")
        if after:
            parts = decode_cursor(after, 2)
            if parts is None:
                raise InvalidCursorError("the cursor `after` is not one this API issued")
            updated = self.sql.ts(read_ts(parts[0]))
            where.append("(c.updated_at < ? OR (c.updated_at = ? AND c.id > ?))")
            params += [updated, updated, parts[1]]
        statement = (f"SELECT {_CASE_COLUMNS} FROM rm_cases c WHERE {' AND '.join(where)} "
                     f"ORDER BY c.updated_at DESC, c.id LIMIT ?")
        with self.db.transaction(write=False) as cur:
            cur.execute(statement, (*params, first + 1))
            rows = [_case_row(v) for v in cur.fetchall()]
        items = rows[:first]
        cursors = [encode_cursor(r.updated_at.isoformat(), r.id) for r in items]
        return Page(items=items, cursors=cursors, has_next_page=len(rows) > first,
                    end_cursor=cursors[-1] if cursors else None)

    def open_on_credit_code(self, credit_code: str) -> list[tuple[str, datetime]]:
        """(handling jurisdiction, opened at) of every case not closed whose subject has `credit_code`,
        whoever may see it: the first-filer check (行政处罚法 Art 25) discloses only these two facts
        per jurisdiction, deliberately. Grouped in SQL, so one row per jurisdiction, from the index."""
        statement = ("SELECT handling_jurisdiction, MIN(opened_at) FROM rm_cases "
                     "WHERE subject_credit_code = ? AND status <> 'CLOSED' GROUP BY handling_jurisdiction")
        with self.db.transaction(write=False) as cur:
            cur.execute(statement, (credit_code,))
            return [(r[0], read_ts(r[1])) for r in cur.fetchall()]


    def designation_petitions(self, jurisdiction: str, *, limit: int = 200) -> list[CaseRow]:
        """Disputed cases awaiting `jurisdiction`'s designation as the nearest common superior,
        oldest first (a superior sees them as a supervising ancestor of the handler)."""
        statement = (f"SELECT {_CASE_COLUMNS} FROM rm_cases c WHERE c.dispute_superior = ? AND {visible_clause('c.id')} "
                     "ORDER BY c.dispute_opened_at, c.id LIMIT ?")
        with self.db.transaction(write=False) as cur:
            cur.execute(statement, (jurisdiction, jurisdiction, max(0, min(int(limit), 500))))
            return [_case_row(v) for v in cur.fetchall()]

    def evidence(self, case_ids: Sequence[str]) -> dict[str, list[EvidenceRow]]:
        out: dict[str, list[EvidenceRow]] = {str(i): [] for i in case_ids}
        statement = ("SELECT case_id, evidence_id, title, sha256, description, collected_by_client, "
                     "collected_by_jurisdiction, collected_at FROM rm_case_evidence WHERE case_id IN ({in}) "
                     "ORDER BY collected_at, evidence_id")
        with self.db.transaction(write=False) as cur:
            for r in select_in(cur, statement, list(out)):
                out[r[0]].append(EvidenceRow(id=r[1], title=r[2], sha256=r[3], description=r[4],
                                             collected_by_client=r[5], collected_by_jurisdiction=r[6],
                                             collected_at=read_ts(r[7])))
        return out

    def participants(self, case_ids: Sequence[str]) -> dict[str, list[ParticipantRow]]:
        return self.visibility.participants(case_ids)

    def access(self, jurisdiction: str, case_id: str) -> set[str]:
        return self.visibility.access(jurisdiction, case_id)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
