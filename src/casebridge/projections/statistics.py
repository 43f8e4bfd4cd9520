"""The statistics read model: counters per jurisdiction, kept by deltas.

Open and closed cases by category, transfers sent and received by outcome with the time the
target took to decide, evidence requests answered on time or late. The projection keeps the
small state it needs to compute a delta (each case's current handler, status and category;
each pending transfer's request time; each request's due time) in its own `rm_stats_*`
tables, so it never depends on another read model's progress. "Open and overdue" depends on
the clock, so it is counted when read, from the indexed request state.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any

from casebridge.domain.case import Case
from casebridge.domain.evidence_request import EvidenceRequest
from casebridge.infra.database import Database
from casebridge.projections.projection import Positioned, Projection, RowSet
from casebridge.projections.rows.statistics import CaseCount, EvidenceStats, JurisdictionStats, TransferStats
from casebridge.projections.sql import Sql, execute_in, read_ts
from casebridge.projections.tables import Index, Table, col

STATS_CASES = Table(
    "rm_stats_cases",
    (col("case_id", "TEXT NOT NULL"), col("jurisdiction", "TEXT NOT NULL"), col("status", "TEXT NOT NULL"),
     col("category", "TEXT NOT NULL")),
    ("case_id",),
)
STATS_CASE_COUNTS = Table(
    "rm_stats_case_counts",
    (col("jurisdiction", "TEXT NOT NULL"), col("status", "TEXT NOT NULL"), col("category", "TEXT NOT NULL"),
     col("cases", "INT NOT NULL")),
    ("jurisdiction", "status", "category"),
)
STATS_PENDING_TRANSFERS = Table(
    "rm_stats_pending_transfers",
    (col("case_id", "TEXT NOT NULL"), col("sender", "TEXT NOT NULL"), col("receiver", "TEXT NOT NULL"),
     col("requested_at", "TS NOT NULL")),
    ("case_id",),
)
STATS_TRANSFERS = Table(
    "rm_stats_transfers",
    (col("jurisdiction", "TEXT NOT NULL"), col("direction", "TEXT NOT NULL"), col("outcome", "TEXT NOT NULL"),
     col("transfers", "INT NOT NULL"), col("decision_microseconds", "INT NOT NULL")),
    ("jurisdiction", "direction", "outcome"),
)
STATS_REQUESTS = Table(
    "rm_stats_requests",
    (col("request_id", "TEXT NOT NULL"), col("applicant", "TEXT NOT NULL"), col("requested", "TEXT NOT NULL"),
     col("due_at", "TS NOT NULL"), col("status", "TEXT NOT NULL")),
    ("request_id",),
    (Index("ix_rm_stats_requests_requested", "requested, status, due_at"),),
)
STATS_EVIDENCE = Table(
    "rm_stats_evidence",
    (col("jurisdiction", "TEXT NOT NULL"), col("role", "TEXT NOT NULL"), col("outcome", "TEXT NOT NULL"),
     col("requests", "INT NOT NULL")),
    ("jurisdiction", "role", "outcome"),
)

_TRANSFER_OUTCOMES = {
    Case.TransferAccepted: "ACCEPTED", Case.TransferDeclined: "DECLINED",
    Case.TransferWithdrawn: "WITHDRAWN", Case.JurisdictionDesignated: "SUPERSEDED", Case.TakenOver: "SUPERSEDED",
    Case.Assigned: "SUPERSEDED",  # (an assignment needs no pending transfer: listed for the handler change)
}


class StatisticsProjection(Projection):
    name = "statistics"
    # 2: decision times summed as integer microseconds, exact whatever the batches' bounds
    # (float sums differed in the last bit between a resumed run and a rebuild).
    # 3: a request waiting for a clarification is PAUSED (never overdue) and its answer moves the due time.
    version = 3
    tables = (STATS_CASES, STATS_CASE_COUNTS, STATS_PENDING_TRANSFERS, STATS_TRANSFERS, STATS_REQUESTS, STATS_EVIDENCE)
    handles = (
        Case.Opened, Case.DetailsRevised, Case.TransferRequested, Case.TransferAccepted, Case.TransferDeclined,
        Case.TransferWithdrawn, Case.JurisdictionDesignated, Case.Closed, Case.Reopened, Case.TakenOver, Case.Assigned,
        EvidenceRequest.Requested, EvidenceRequest.Extended, EvidenceRequest.Fulfilled, EvidenceRequest.Refused,
        EvidenceRequest.Withdrawn, EvidenceRequest.ClarificationAsked, EvidenceRequest.ClarificationAnswered,
    )

    def apply(self, cur: Any, events: Sequence[Positioned]) -> None:
        sql = self.sql
        cases = RowSet(sql, STATS_CASES, key="case_id")
        pending = RowSet(sql, STATS_PENDING_TRANSFERS, key="case_id")
        requests = RowSet(sql, STATS_REQUESTS, key="request_id")
        case_ids = [str(e.originator_id) for _, e in events if isinstance(e, Case.Event)]
        cases.load(cur, case_ids)
        pending.load(cur, case_ids)
        requests.load(cur, (str(e.originator_id) for _, e in events if isinstance(e, EvidenceRequest.Event)))
        before = {k: (r["jurisdiction"], r["status"], r["category"]) for k, r in cases.rows.items()}
        pending_before = set(pending.rows)
        transfers: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
        evidence: dict[tuple[str, str, str], int] = defaultdict(int)

        for _, e in events:
            kind = type(e)
            key = str(e.originator_id)
            if kind is Case.Opened:
                cases.put({"case_id": key, "jurisdiction": e.handling_jurisdiction, "status": "OPEN",
                           "category": e.category.value})
            elif isinstance(e, Case.Event):
                row = cases.get(key)
                if row is None:
                    continue
                cases.touch(key)
                if kind is Case.DetailsRevised:
                    row["category"] = e.category.value
                elif kind is Case.Closed:
                    row["status"] = "CLOSED"
                elif kind is Case.Reopened:
                    row["status"] = "OPEN"
                elif kind is Case.TransferRequested:
                    pending.put({"case_id": key, "sender": e.sender, "receiver": e.to, "requested_at": sql.ts(e.timestamp)})
                    _count(transfers, e.sender, "SENT", "REQUESTED")
                    _count(transfers, e.to, "RECEIVED", "REQUESTED")
                else:  # a decision, or a designation that may supersede a pending transfer
                    if kind is Case.TransferAccepted:
                        row["jurisdiction"] = e.receiver
                    elif kind is Case.JurisdictionDesignated or kind is Case.TakenOver or kind is Case.Assigned:
                        row["jurisdiction"] = e.jurisdiction
                    p = pending.rows.pop(key, None)
                    if p is not None:
                        elapsed = e.timestamp - read_ts(p["requested_at"])
                        micros = (elapsed.days * 86_400 + elapsed.seconds) * 1_000_000 + elapsed.microseconds
                        outcome = _TRANSFER_OUTCOMES[kind]
                        _count(transfers, p["sender"], "SENT", outcome, micros)
                        _count(transfers, p["receiver"], "RECEIVED", outcome, micros)
            elif kind is EvidenceRequest.Requested:
                requests.put({"request_id": key, "applicant": e.applicant, "requested": e.requested,
                              "due_at": sql.ts(e.due_at), "status": "OPEN"})
                evidence[(e.applicant, "APPLICANT", "REQUESTED")] += 1
                evidence[(e.requested, "REQUESTED", "REQUESTED")] += 1
            else:
                row = requests.get(key)
                if row is None or row["status"] not in ("OPEN", "PAUSED"):
                    continue
                requests.touch(key)
                if kind is EvidenceRequest.Extended:
                    row["due_at"] = sql.ts(e.due_at)
                    continue
                if kind is EvidenceRequest.ClarificationAsked:
                    row["status"] = "PAUSED"
                    continue
                if kind is EvidenceRequest.ClarificationAnswered:
                    row.update(status="OPEN", due_at=sql.ts(e.due_at))
                    continue
                if kind is EvidenceRequest.Withdrawn:
                    outcome = "WITHDRAWN"
                else:
                    # Answered while the clock stood still is answered in time.
                    paused = row["status"] == "PAUSED"
                    outcome = "ON_TIME" if paused or e.timestamp <= read_ts(row["due_at"]) else "LATE"
                row["status"] = {"WITHDRAWN": "WITHDRAWN"}.get(outcome, "ANSWERED")
                evidence[(row["applicant"], "APPLICANT", outcome)] += 1
                evidence[(row["requested"], "REQUESTED", outcome)] += 1

        counts: dict[tuple[str, str, str], int] = defaultdict(int)
        for key in cases.dirty:
            row = cases.rows[key]
            after = (row["jurisdiction"], row["status"], row["category"])
            if before.get(key) != after:
                if key in before:
                    counts[before[key]] -= 1
                counts[after] += 1
        cases.flush(cur)
        gone = sorted(pending_before - set(pending.rows))
        execute_in(cur, f"DELETE FROM {sql.t(STATS_PENDING_TRANSFERS)} WHERE case_id IN ({{in}})", gone)
        pending.dirty &= set(pending.rows)
        pending.flush(cur)
        requests.flush(cur)
        self._add(cur, STATS_CASE_COUNTS, "cases", [(*k, v) for k, v in counts.items() if v])
        if any(v < 0 for v in counts.values()):  # a rebuild never writes zero counters: neither do deltas
            cur.execute(f"DELETE FROM {sql.t(STATS_CASE_COUNTS)} WHERE cases = 0")
        self._add(cur, STATS_TRANSFERS, "transfers", [(*k, int(v[0]), v[1]) for k, v in transfers.items()],
                  extra="decision_microseconds")
        self._add(cur, STATS_EVIDENCE, "requests", [(*k, v) for k, v in evidence.items()])

    def _add(self, cur: Any, table: Table, counter: str, rows: list[tuple[Any, ...]], extra: str | None = None) -> None:
        if not rows:
            return
        t = self.sql.t(table)
        sets = [f"{counter} = {t}.{counter} + excluded.{counter}"]
        if extra:
            sets.append(f"{extra} = {t}.{extra} + excluded.{extra}")
        self.sql.insert_rows(cur, table, sorted(rows), table.column_names,
                             f"ON CONFLICT ({', '.join(table.primary_key)}) DO UPDATE SET {', '.join(sets)}")


def _count(into: dict[tuple[str, str, str], list[int]], jurisdiction: str, direction: str, outcome: str,
           micros: int = 0) -> None:
    entry = into[(jurisdiction, direction, outcome)]
    entry[0] += 1
    entry[1] += micros


class StatisticsView:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.sql = Sql(db.dialect)

    def for_jurisdiction(self, jurisdiction: str, now: datetime | None = None) -> JurisdictionStats:
        now = now or datetime.now(timezone.utc)
        with self.db.transaction(write=False) as cur:
            cur.execute("SELECT status, category, cases FROM rm_stats_case_counts WHERE jurisdiction = ? AND cases <> 0 "
                        "ORDER BY status DESC, category", (jurisdiction,))
            counts = tuple(CaseCount(status=s, category=c, cases=int(n)) for s, c, n in cur.fetchall())
            cur.execute("SELECT direction, outcome, transfers, decision_microseconds FROM rm_stats_transfers "
                        "WHERE jurisdiction = ?", (jurisdiction,))
            t = {(d, o): (int(n), int(us) / 1_000_000) for d, o, n, us in cur.fetchall()}
            cur.execute("SELECT role, outcome, requests FROM rm_stats_evidence WHERE jurisdiction = ?", (jurisdiction,))
            ev = {(r, o): int(n) for r, o, n in cur.fetchall()}
            cur.execute("SELECT COUNT(*) FROM rm_stats_requests WHERE requested = ? AND status = 'OPEN' AND due_at < ?",
                        (jurisdiction, self.sql.ts(now)))
            overdue = int(cur.fetchone()[0])

        def n(direction: str, outcome: str) -> int:
            return t.get((direction, outcome), (0, 0.0))[0]

        def mean(direction: str) -> float | None:
            decided = [t[(direction, o)] for o in ("ACCEPTED", "DECLINED") if (direction, o) in t]
            count = sum(c for c, _ in decided)
            return sum(s for _, s in decided) / count if count else None

        sent, received = n("SENT", "REQUESTED"), n("RECEIVED", "REQUESTED")
        ended = ("ACCEPTED", "DECLINED", "WITHDRAWN", "SUPERSEDED")
        transfers = TransferStats(
            sent=sent, received=received, accepted_sent=n("SENT", "ACCEPTED"), declined_sent=n("SENT", "DECLINED"),
            withdrawn_sent=n("SENT", "WITHDRAWN"), accepted_received=n("RECEIVED", "ACCEPTED"),
            declined_received=n("RECEIVED", "DECLINED"),
            pending_sent=sent - sum(n("SENT", o) for o in ended),
            pending_received=received - sum(n("RECEIVED", o) for o in ended),
            mean_seconds_to_decision_sent=mean("SENT"), mean_seconds_to_decision_received=mean("RECEIVED"),
        )
        received_requests = ev.get(("REQUESTED", "REQUESTED"), 0)
        on_time, late = ev.get(("REQUESTED", "ON_TIME"), 0), ev.get(("REQUESTED", "LATE"), 0)
        withdrawn = ev.get(("REQUESTED", "WITHDRAWN"), 0)
        evidence = EvidenceStats(
            requested=ev.get(("APPLICANT", "REQUESTED"), 0), received=received_requests, answered_on_time=on_time,
            answered_late=late, open_overdue=overdue,
            open_on_time=received_requests - on_time - late - withdrawn - overdue, withdrawn=withdrawn,
        )
        return JurisdictionStats(
            jurisdiction=jurisdiction,
            open_cases=sum(c.cases for c in counts if c.status == "OPEN"),
            closed_cases=sum(c.cases for c in counts if c.status == "CLOSED"),
            cases_by_status_and_category=counts, transfers=transfers, evidence_requests=evidence,
        )
