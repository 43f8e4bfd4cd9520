"""Projection catch-up speed: this project's batched runner vs the eventsourcing library's
`ProjectionRunner`, on the same events in the same run.

    python bench/bench_projections.py                      # 2,000 cases: 21,300 domain events
    python bench/bench_projections.py --cases 10000        # more
    python bench/bench_projections.py --pg-url postgresql://postgres@127.0.0.1:5432/test

1. Generates a history through the application (bulk: a few saves per case, each with many
   events): cases opened (with the application's internal reference events), revised,
   evidence added, transfers requested and accepted/declined, evidence requests extended and answered,
   joint actions run. Once into a fresh PostgreSQL schema, once into a fresh SQLite file.
2. Times, each phase in its own process (so peak RSS is the phase's own):
   (a) the library's `ProjectionRunner` (PostgreSQL only: its subscription needs LISTEN/NOTIFY)
       with a minimal Projection writing the same `cases` rows (this project's own row code)
       one event per transaction, tracked by the library's tracking table;
   (b) this project's `BatchProjectionRunner` from position 0, for the same `cases` read model
       (the like-for-like ratio), and for all six read models;
   (c) a full `projections rebuild` of all six (shadow tables, then the swap).
3. Checks the library's rows equal ours, prints a table, writes bench/results/projections.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

RESULTS = ROOT / "bench" / "results" / "projections.json"
DEFAULT_PG = os.environ.get("CASEBRIDGE_TEST_DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/test"
LIB_SUFFIX = "__lib"


# -- generating the history ----------------------------------------------------------------------

def generate(url: str, n_cases: int) -> dict[str, int]:
    from casebridge.application.app import CaseBridge
    from casebridge.domain.evidence_request import EvidenceRequest
    from casebridge.domain.joint_action import JointAction
    from casebridge.domain.values import (
        Actor,
        CaseCategory,
        CaseOutcome,
        EvidenceItem,
        Subject,
        SubjectKind,
    )
    from casebridge.infra.migrations import migrate
    from casebridge.infra.settings import Settings

    settings = Settings.from_env({"CASEBRIDGE_DATABASE_URL": url})
    migrate(settings)
    app = CaseBridge(env=settings.database.eventsourcing_env())
    handlers = ["310000", "330100", "320500", "440300", "330200", "320100"]
    targets = {"310000": "330100", "330100": "320500", "320500": "440300", "440300": "310000",
               "330200": "310000", "320100": "330100"}
    categories = list(CaseCategory)
    now = datetime.now(timezone.utc)
    started = time.perf_counter()
    for i in range(n_cases):
        home = handlers[i % len(handlers)]
        me, there = Actor(f"client-{home}", home), Actor(f"client-{targets[home]}", targets[home])
        opened = app.open_case(me, title=f"Case {i}: counterfeit earphones", summary="Test purchases.",
                               subject=Subject.create(f"Seller {i % 97}", SubjectKind.MARKETPLACE_SELLER,
                                                      f"9131{i:014d}", ("SKU-1", "SKU-2")),
                               category=categories[i % len(categories)])
        case: Any = app.get_case(opened.aggregate_id)
        case.revise_details(me, summary="Test purchases and platform data.", category=categories[(i + 1) % 7])
        for k in range(2):
            case.add_evidence(me, evidence_id=uuid.uuid4().hex, item=EvidenceItem.create(f"item {k}", f"{i * 7 + k:064x}"))
        case.request_transfer(me, to=there.jurisdiction, reason="the seller is registered there", registry=app.registry)
        if i % 3:
            case.accept_transfer(there)
            me = there
        else:
            case.decline_transfer(there, reason="not registered here")
        other = Actor("client-440000", "440000")
        request: Any = EvidenceRequest.request(actor=me, case_id=case.id, requested=other.jurisdiction,
                                               description="platform order records", legal_basis=None,
                                               due_at=now + timedelta(days=20), now=now)
        request.acknowledge(other)
        request.extend(other, due_at=now + timedelta(days=30), reason="large volume", now=now)
        request.fulfil(other, items=(EvidenceItem.create("orders.csv", f"{i:064x}"),))
        pending = [case, request]
        if i % 10 == 0:
            action: Any = JointAction.propose(actor=me, title=f"Operation {i}", objective=None, case_ids=(case.id,),
                                              participants=("320000", "440000"))
            action.join(Actor("client-320000", "320000"))
            action.decline(Actor("client-440000", "440000"), reason="no capacity")
            action.assign_task(me, task_id=uuid.uuid4().hex[:12], title="inspect", assignee="320000", due_at=None, now=now)
            pending.append(action)
        if i % 4 == 0:
            case.close(me, outcome=CaseOutcome.PENALTY_DECISION, summary="fined")
        app.save(*pending)
    seconds = time.perf_counter() - started
    head = app.max_position()
    app.close()
    return {"notifications": head, "seconds": round(seconds, 1)}


# -- phases (each in its own process) -------------------------------------------------------------

def _context(url: str) -> tuple[Any, Any, Any]:
    from casebridge.application.app import CaseBridge
    from casebridge.infra.database import Database
    from casebridge.infra.settings import Settings

    settings = Settings.from_env({"CASEBRIDGE_DATABASE_URL": url})
    return settings, Database(settings.database), CaseBridge(env=settings.database.eventsourcing_env())


def _events_for(app: Any, names: list[str] | None) -> int:
    from casebridge.projections import catalog

    topics = set().union(*(p.topics() for p in catalog.build("sqlite", app.registry, names=names)))
    count, start = 0, 0
    while True:
        page = app.recorder.select_notifications(start=start, limit=5000, inclusive_of_start=False)
        if not page:
            return count
        count += sum(1 for n in page if n.topic in topics)
        start = page[-1].id


def phase_ours(url: str, names: list[str] | None, page_size: int) -> dict[str, Any]:
    from casebridge.projections import catalog
    from casebridge.projections.runner import ApplicationLog, BatchProjectionRunner

    settings, db, app = _context(url)
    projections = catalog.build(db.dialect, app.registry, names=names)
    with db.transaction() as cur:  # from zero: empty tables, positions at 0
        for p in projections:
            for t in p.tables:
                cur.execute(f"DELETE FROM {t.name}")
        cur.execute("DELETE FROM projection_positions")
    runner = BatchProjectionRunner(db, ApplicationLog(app.recorder, app.mapper), projections, page_size=page_size)
    runner.prepare()
    started = time.perf_counter()
    position = runner.catch_up()
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "position": position, "events": _events_for(app, names)}


def phase_rebuild(url: str, page_size: int) -> dict[str, Any]:
    from casebridge.projections.rebuild import rebuild_all
    from casebridge.projections.runner import ApplicationLog

    settings, db, app = _context(url)
    started = time.perf_counter()
    reached = rebuild_all(db, ApplicationLog(app.recorder, app.mapper), app.registry, page_size=page_size)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "position": max(reached.values()), "events": _events_for(app, None)}


def phase_library(url: str) -> dict[str, Any]:
    """The library's ProjectionRunner: one transaction per event (tracking row + the case row)."""
    from eventsourcing.postgres import PostgresTrackingRecorder
    from eventsourcing.projection import Projection, ProjectionRunner

    from casebridge.application.app import CaseBridge
    from casebridge.projections.cases import CasesProjection
    from casebridge.projections.sql import Sql

    settings, db, app = _context(url)
    for table in CasesProjection.tables:
        db.execute(f"DROP TABLE IF EXISTS {table.name}{LIB_SUFFIX}")
        db.execute(table.create_table("postgresql", LIB_SUFFIX))
    db.execute("DROP TABLE IF EXISTS benchcases_tracking")
    class QualifiedSql(Sql):  # the library's connections do not set search_path: name the schema
        def t(self, table: Any) -> str:
            return f'"{settings.database.schema}".{super().t(table)}' if settings.database.schema else super().t(table)

    cases = CasesProjection(QualifiedSql("postgresql", LIB_SUFFIX))

    class LibraryCasesView(PostgresTrackingRecorder):
        def apply(self, event: Any, tracking: Any) -> None:
            with self.datastore.transaction(commit=True) as curs:
                self._insert_tracking(curs, tracking)
                cases.apply(_TupleCursor(curs), [(tracking.notification_id, event)])

    class BenchCases(Projection[LibraryCasesView]):
        name = "BenchCases"
        topics = tuple(sorted(CasesProjection.topics()))

        def process_event(self, domain_event: Any, tracking: Any) -> None:  # one event, one transaction
            self.view.apply(domain_event, tracking)

    last = db.query_one("SELECT MAX(notification_id) FROM casebridge_events WHERE topic = ANY(?)",
                        (list(BenchCases.topics),))[0]
    env = {**settings.database.eventsourcing_env(), "CREATE_TABLE": "y"}
    started = time.perf_counter()
    with ProjectionRunner(application_class=CaseBridge, projection_class=BenchCases, view_class=LibraryCasesView,
                          env=env) as runner:
        # The runner's own wait() polls with up to 0.8 s sleeps; poll the tracking row finely instead.
        while (runner.view.max_tracking_id(runner.app_name) or 0) < last:
            runner.run_forever(timeout=0.05)  # re-raises an error of the processing thread
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "position": last, "events": _events_for(app, ["cases"])}


class _TupleCursor:
    """The library's dict-row psycopg cursor, seen through our `?`-placeholder, tuple-row interface."""

    def __init__(self, curs: Any) -> None:
        self.curs = curs

    def execute(self, sql: str, params: Any = ()) -> Any:
        self.curs.execute(sql.replace("%", "%%").replace("?", "%s"), params)
        return self

    def executemany(self, sql: str, params: Any) -> Any:
        self.curs.executemany(sql.replace("%", "%%").replace("?", "%s"), params)
        return self

    def fetchall(self) -> list[tuple[Any, ...]]:
        return [tuple(r.values()) for r in self.curs.fetchall()]

    @property
    def rowcount(self) -> int:
        return self.curs.rowcount


def _compare_lib_rows(db: Any) -> int:
    """How many rows of the library-built cases tables differ from ours (expected: 0)."""
    from casebridge.projections.cases import CasesProjection

    differ = 0
    for table in CasesProjection.tables:
        cols = ", ".join(table.column_names)
        key = ", ".join(table.primary_key)
        ours = db.query(f"SELECT {cols} FROM {table.name} ORDER BY {key}")
        theirs = db.query(f"SELECT {cols} FROM {table.name}{LIB_SUFFIX} ORDER BY {key}")
        differ += len(set(map(tuple, ours)) ^ set(map(tuple, theirs)))
    return differ


def commit_rate(url: str, n: int = 300) -> dict[str, Any]:
    """Single-row transactions per second on this server and disk: the ceiling of any runner
    that commits once per event."""
    settings, db, app = _context(url)
    db.execute("CREATE TABLE IF NOT EXISTS bench_commits (n BIGINT)")
    started = time.perf_counter()
    for i in range(n):
        db.execute("INSERT INTO bench_commits VALUES (?)", (i,))
    seconds = time.perf_counter() - started
    db.execute("DROP TABLE bench_commits")
    return {"seconds": seconds, "events": n, "position": 0}


def _asynchronous_commit() -> None:
    """Every PostgreSQL session of this process commits without waiting for the WAL flush
    (`synchronous_commit = off`): shows each runner's speed when commits are cheap."""
    import psycopg

    connect = psycopg.Connection.connect.__func__  # type: ignore[attr-defined]

    def patched(cls: Any, *args: Any, **kwargs: Any) -> Any:
        conn = connect(cls, *args, **kwargs)
        conn.execute("SET synchronous_commit = off")
        if not conn.autocommit:
            conn.commit()
        return conn

    psycopg.Connection.connect = classmethod(patched)  # type: ignore[method-assign]


def run_phase(args: argparse.Namespace) -> None:
    if os.environ.get("CASEBRIDGE_BENCH_ASYNC_COMMIT"):
        _asynchronous_commit()
    if args.phase == "commits":
        out = commit_rate(args.url)
    elif args.phase == "library":
        out = phase_library(args.url)
    elif args.phase == "rebuild":
        out = phase_rebuild(args.url, args.page_size)
    else:
        out = phase_ours(args.url, ["cases"] if args.phase == "ours-cases" else None, args.page_size)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(out))


def spawn(phase: str, url: str, page_size: int, *, async_commit: bool = False) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    if async_commit:
        env["CASEBRIDGE_BENCH_ASYNC_COMMIT"] = "1"
    proc = subprocess.run([sys.executable, __file__, "--phase", phase, "--url", url, "--page-size", str(page_size)],
                          capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise SystemExit(f"phase {phase} failed:\n{proc.stderr}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["events_per_s"] = round(out["events"] / out["seconds"]) if out["seconds"] else None
    return out


# -- orchestration -------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000, help="cases to generate (about 12 notifications each)")
    parser.add_argument("--pg-url", default=DEFAULT_PG, help="PostgreSQL URL (a fresh schema is created and dropped)")
    parser.add_argument("--page-size", type=int, default=1000, help="our runner's events per transaction")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--no-async", action="store_true",
                        help="skip the second PostgreSQL comparison with synchronous_commit=off")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL schema and SQLite file")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        return run_phase(args)

    results: dict[str, Any] = {
        "benchmark": "projections", "cases": args.cases, "page_size": args.page_size,
        "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "stores": {},
    }
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    sep = "&" if "?" in args.pg_url else "?"
    pg_url = f"{args.pg_url}{sep}schema={schema}"
    tmp = tempfile.mkdtemp(prefix="casebridge-bench-")
    sqlite_url = f"sqlite:///{tmp}/bench.db"
    try:
        stores = [("postgresql", pg_url)] + ([] if args.no_sqlite else [("sqlite", sqlite_url)])
        for store, url in stores:
            print(f"[{store}] generating {args.cases} cases through the application ...", file=sys.stderr)
            generated = generate(url, args.cases)
            print(f"[{store}]   {generated['notifications']} notifications in {generated['seconds']}s", file=sys.stderr)
            phases: dict[str, Any] = {}
            if store == "postgresql":
                print(f"[{store}] library ProjectionRunner (cases, one event per transaction) ...", file=sys.stderr)
                phases["library_cases"] = spawn("library", url, args.page_size)
            for phase, key in (("ours-cases", "ours_cases"), ("ours-all", "ours_all"), ("rebuild", "rebuild_all")):
                print(f"[{store}] {phase} ...", file=sys.stderr)
                phases[key] = spawn(phase, url, args.page_size)
                if key == "ours_cases" and "library_cases" in phases:
                    _, db, app = _context(url)
                    phases["library_cases"]["rows_differ"] = _compare_lib_rows(db)
                    db.close()
                    app.close()
            if store == "postgresql":
                phases["commit_rate"] = spawn("commits", url, args.page_size)
                if not args.no_async:
                    print(f"[{store}] both again with synchronous_commit=off ...", file=sys.stderr)
                    phases["library_cases_async"] = spawn("library", url, args.page_size, async_commit=True)
                    phases["ours_cases_async"] = spawn("ours-cases", url, args.page_size, async_commit=True)
                    phases["ratio_cases_vs_library_async"] = round(
                        phases["ours_cases_async"]["events_per_s"] / phases["library_cases_async"]["events_per_s"], 1)
            lib = phases.get("library_cases")
            if lib:
                phases["ratio_cases_vs_library"] = round(phases["ours_cases"]["events_per_s"] / lib["events_per_s"], 1)
                phases["ratio_all_vs_library_cases"] = round(phases["ours_all"]["events_per_s"] / lib["events_per_s"], 1)
            results["stores"][store] = {"generated": generated, **phases}
    finally:
        if not args.keep:
            _drop_schema(args.pg_url, schema)
            for f in Path(tmp).glob("*"):
                f.unlink()
            os.rmdir(tmp)
    print_table(results)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwritten to {RESULTS.relative_to(ROOT)}")


def _drop_schema(url: str, schema: str) -> None:
    import psycopg

    from casebridge.infra.settings import DatabaseUrl

    with psycopg.connect(DatabaseUrl.parse(url).psycopg_conninfo(), autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def print_table(results: dict[str, Any]) -> None:
    print(f"\nProjection catch-up from position 0 — {results['cases']} cases, page size {results['page_size']}, "
          f"{results['machine']['cpus']} CPUs")
    print(f"{'store':<11} {'runner':<48} {'events':>7} {'seconds':>8} {'events/s':>9} {'peak RSS':>9}")
    labels = {
        "library_cases": "library ProjectionRunner, cases (1 event/txn)",
        "ours_cases": "BatchProjectionRunner, cases",
        "ours_all": "BatchProjectionRunner, all 6 read models",
        "rebuild_all": "projections rebuild (shadow + swap), all 6",
        "library_cases_async": "library, cases, synchronous_commit=off",
        "ours_cases_async": "ours, cases, synchronous_commit=off",
        "commit_rate": "(server: single-row commits, for reference)",
    }
    for store, r in results["stores"].items():
        for key, label in labels.items():
            if key in r:
                p = r[key]
                print(f"{store:<11} {label:<48} {p['events']:>7} {p['seconds']:>8.2f} {p['events_per_s']:>9} "
                      f"{p['peak_rss_mb']:>7.0f}MB")
        if "ratio_cases_vs_library_async" in r:
            print(f"{store:<11} ratio with synchronous_commit=off, cases vs library: {r['ratio_cases_vs_library_async']}x")
        if "ratio_cases_vs_library" in r:
            print(f"{store:<11} ratio, cases vs library: {r['ratio_cases_vs_library']}x   "
                  f"all 6 read models vs library's one: {r['ratio_all_vs_library_cases']}x   "
                  f"library rows differing from ours: {r['library_cases']['rows_differ']}")
        print(f"{store:<11} log: {r['generated']['notifications']} notifications "
              f"(domain events + the application's internal ones)")


if __name__ == "__main__":
    main()
