"""GraphQL overhead, measured in one run against the same server and the same rows.

    python bench/bench_graphql.py                       # embedded SQLite (a fresh temporary file)
    python bench/bench_graphql.py --database-url postgresql://postgres@127.0.0.1:5432/test

The server (the real app from `create_app`, plus one plain FastAPI JSON route returning the
same rows) runs under uvicorn in its own process on 127.0.0.1, on an ephemeral port. This
process seeds cases, gets a real token from /oauth/token, then drives load from a bounded
pool of threads, each with its own keep-alive httpx client:

- reads: `cases(first: 20)` through POST /graphql vs GET /bench/cases (same fields, same
  token check, same read-model call); target ratio >= 0.6;
- writes: `addEvidence` through GraphQL (token check, command, read-your-writes wait, read
  back) vs the application's own `add_evidence` called directly in this process at the same
  concurrency; target ratio >= 0.5. The server's projections catch up the direct writes
  between phases, not during a GraphQL phase.

Each row also shows requests per CPU-second of the process doing the work (the server, or
this process for direct commands): steadier than requests/s when the machine is shared.

Prints a table and writes bench/results/graphql.json (one entry per store).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import httpx
from fastapi import Request
from fastapi.responses import JSONResponse

RESULTS = Path(__file__).resolve().parent / "results" / "graphql.json"
HANGZHOU = "330100"
SHA = "c" * 64
SCOPE = "cases:read cases:write evidence:write joint-actions:write"

CASES_QUERY = """query Cases($first: Int!) { cases(first: $first) { edges { cursor node {
  id reference title status category version openedAt updatedAt
  handlingJurisdiction { code name } subject { name kind } pendingTransfer { to { code } reason }
} } pageInfo { hasNextPage endCursor } } }"""

ADD_EVIDENCE = """mutation Add($input: AddEvidenceInput!) { addEvidence(input: $input) {
  __typename ... on AddEvidenceSuccess { case { id version } } ... on Problem { code message } } }"""


# -- the server process -------------------------------------------------------------------------


def build_bench_app(database_url: str):
    """The real app, plus the plain JSON route the GraphQL numbers are compared with."""
    from casebridge.api.app import create_app
    from casebridge.api.auth import authenticate_request
    from casebridge.infra.settings import Settings
    from casebridge.projections.views import CaseFilter

    app = create_app(Settings.from_env({"CASEBRIDGE_DATABASE_URL": database_url}))
    read_models = app.state.read_models
    registry = app.state.graphql.registry

    def _time(value: datetime) -> str:
        return value.isoformat()

    @app.get("/bench/cases")
    def plain_cases(request: Request, first: int = 20) -> JSONResponse:
        principal = authenticate_request(request)
        page = read_models.cases.page(principal.jurisdiction, first=first, after=None, filter=CaseFilter())
        edges = []
        for row, cursor in zip(page.items, page.cursors, strict=True):
            handling = registry.get(row.handling_jurisdiction)
            pending = row.pending_transfer
            edges.append({"cursor": cursor, "node": {
                "id": row.id, "reference": row.reference, "title": row.title, "status": row.status,
                "category": row.category, "version": row.version, "openedAt": _time(row.opened_at),
                "updatedAt": _time(row.updated_at),
                "handlingJurisdiction": {"code": handling.code, "name": handling.name},
                "subject": {"name": row.subject_name, "kind": row.subject_kind},
                "pendingTransfer": None if pending is None else {"to": {"code": pending.to}, "reason": pending.reason},
            }})
        return JSONResponse({"data": {"cases": {"edges": edges, "pageInfo": {
            "hasNextPage": page.has_next_page, "endCursor": page.end_cursor}}}})

    return app


def serve(database_url: str, ports: multiprocessing.Queue) -> None:
    import logging

    import uvicorn

    logging.basicConfig(level=logging.WARNING)
    app = build_bench_app(database_url)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", access_log=False,
                                           lifespan="on"))

    def report_port() -> None:
        while not server.started:
            time.sleep(0.05)
        ports.put(server.servers[0].sockets[0].getsockname()[1])

    threading.Thread(target=report_port, daemon=True).start()
    server.run()


# -- load -----------------------------------------------------------------------------------------


class Measurement:
    def __init__(self, name: str, latencies: list[float], errors: int, seconds: float, cpu_seconds: float) -> None:
        self.name = name
        self.count = len(latencies)
        self.errors = errors
        self.rate = self.count / seconds if seconds else 0.0
        # Requests per CPU-second of the process doing the work: steadier than wall-clock rates
        # when other programs share the machine.
        self.cpu_seconds = cpu_seconds
        self.per_cpu_second = self.count / cpu_seconds if cpu_seconds else 0.0
        ordered = sorted(latencies)
        self.p50 = statistics.median(ordered) * 1000 if ordered else float("nan")
        self.p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000 if ordered else float("nan")

    def as_json(self) -> dict:
        return {"requests": self.count, "errors": self.errors, "per_second": round(self.rate, 1),
                "p50_ms": round(self.p50, 2), "p99_ms": round(self.p99, 2),
                "per_cpu_second": round(self.per_cpu_second, 1)}


def drive(name: str, seconds: float, concurrency: int, make_call: Callable[[int], Callable[[], bool]],
          cpu: Callable[[], float]) -> Measurement:
    """`concurrency` threads call their own `make_call(i)()` in a loop for `seconds`; `cpu`
    reads the CPU time of the process that does the work."""
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors = [0] * concurrency
    start_line = threading.Barrier(concurrency + 1)
    deadline = [0.0]

    def worker(i: int) -> None:
        call = make_call(i)
        mine = latencies[i]
        start_line.wait()
        while True:
            t0 = time.perf_counter()
            if t0 >= deadline[0]:
                return
            ok = call()
            if ok:
                mine.append(time.perf_counter() - t0)
            else:
                errors[i] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for t in threads:
        t.start()
    cpu_before = cpu()
    began = time.perf_counter()
    deadline[0] = began + seconds
    start_line.wait()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    return Measurement(name, [x for mine in latencies for x in mine], sum(errors), elapsed, cpu() - cpu_before)


def process_cpu(pid: int) -> Callable[[], float]:
    """CPU seconds (user + system, all threads) used so far by process `pid`."""
    ticks = os.sysconf("SC_CLK_TCK")

    def read() -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / ticks

    return read


def http_clients(base: str, token: str, concurrency: int) -> list[httpx.Client]:
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    return [httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, limits=limits, timeout=30)
            for _ in range(concurrency)]


# -- the run --------------------------------------------------------------------------------------


def prepare_database(url: str | None) -> tuple[str, Callable[[], None]]:
    from casebridge.infra.migrations import migrate
    from casebridge.infra.settings import DatabaseUrl, Settings

    if not url:
        directory = tempfile.mkdtemp(prefix="casebridge-bench-")
        url = f"sqlite:///{directory}/bench.db"
        cleanup: Callable[[], None] = lambda: None  # noqa: E731
    else:
        parsed = DatabaseUrl.parse(url)
        if parsed.is_postgres and not parsed.schema:  # a private schema, dropped afterwards
            schema = f"bench_{uuid.uuid4().hex[:10]}"
            url = f"{url}{'&' if '?' in url else '?'}schema={schema}"

            def cleanup() -> None:
                import psycopg

                with psycopg.connect(parsed.psycopg_conninfo(), autocommit=True) as conn:
                    conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        else:
            cleanup = lambda: None  # noqa: E731
    migrate(Settings.from_env({"CASEBRIDGE_DATABASE_URL": url}))
    return url, cleanup


def seed(url: str, cases: int, writers: int):
    """Cases in Hangzhou (a fifth with a pending transfer); returns the application and the
    ids of the cases the writers will add evidence to."""
    from casebridge.application.app import CaseBridge
    from casebridge.domain.values import Actor, CaseCategory, Subject, SubjectKind
    from casebridge.infra.settings import Settings

    settings = Settings.from_env({"CASEBRIDGE_DATABASE_URL": url})
    app = CaseBridge(env=settings.database.eventsourcing_env())
    actor = Actor("bench-seed", HANGZHOU)
    subject = Subject.create("Bench Seller Co.", SubjectKind.MARKETPLACE_SELLER, "91330100BENCH0001")
    ids = []
    for n in range(cases + 2 * writers):
        case_id = app.open_case(actor, title=f"Bench case {n}", summary="Seeded for the benchmark.", subject=subject,
                                category=CaseCategory.PRICING).aggregate_id
        if n % 5 == 0:
            app.request_transfer(actor, case_id, to="310000", reason="seeded transfer")
        ids.append(case_id)
    return app, ids


def register_client(url: str) -> tuple[str, str]:
    from casebridge.infra.auth import ClientStore
    from casebridge.infra.database import Database
    from casebridge.infra.settings import Settings

    db = Database(Settings.from_env({"CASEBRIDGE_DATABASE_URL": url}).database)
    try:
        credentials = ClientStore(db).create(jurisdiction=HANGZHOU, scope=SCOPE, name="bench")
    finally:
        db.close()
    return credentials.client_id, credentials.client_secret


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("CASEBRIDGE_BENCH_DATABASE_URL", ""),
                        help="PostgreSQL URL (a private schema is created and dropped); default: embedded SQLite")
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=5.0, help="per measurement")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds; the best of each is kept")
    args = parser.parse_args(argv)

    url, cleanup = prepare_database(args.database_url or None)
    store = "postgresql" if url.startswith("postgres") else "sqlite"
    application, case_ids = seed(url, args.cases, args.concurrency)

    ports: multiprocessing.Queue = multiprocessing.get_context("spawn").Queue()
    server = multiprocessing.get_context("spawn").Process(target=serve, args=(url, ports), daemon=True)
    server.start()
    try:
        port = ports.get(timeout=60)
        base = f"http://127.0.0.1:{port}"
        client_id, client_secret = register_client(url)
        token = httpx.post(f"{base}/oauth/token", data={"grant_type": "client_credentials", "client_id": client_id,
                                                        "client_secret": client_secret}).raise_for_status().json()["access_token"]
        results = run(args, url, base, token, application, case_ids, process_cpu(server.pid), process_cpu(os.getpid()))
    finally:
        server.terminate()
        server.join(10)
        application.close()
        cleanup()

    report(store, args, results)
    return 0


def run(args, url: str, base: str, token: str, application, case_ids: list, server_cpu: Callable[[], float],
        own_cpu: Callable[[], float]) -> dict[str, Measurement]:
    from casebridge.domain.values import Actor, EvidenceItem

    clients = http_clients(base, token, args.concurrency)
    graphql_body = json.dumps({"query": CASES_QUERY, "variables": {"first": 20}})

    def graphql_read(i: int) -> Callable[[], bool]:
        client = clients[i]
        headers = {"Content-Type": "application/json"}

        def call() -> bool:
            response = client.post("/graphql", content=graphql_body, headers=headers)
            return response.status_code == 200 and b'"errors"' not in response.content

        return call

    def plain_read(i: int) -> Callable[[], bool]:
        client = clients[i]
        return lambda: client.get("/bench/cases", params={"first": 20}).status_code == 200

    def alive(i: int) -> Callable[[], bool]:
        client = clients[i]
        return lambda: client.get("/healthz").status_code == 200

    graphql_cases = case_ids[-2 * args.concurrency:-args.concurrency]
    direct_cases = case_ids[-args.concurrency:]

    def graphql_write(i: int) -> Callable[[], bool]:
        client = clients[i]
        case_id = str(graphql_cases[i])

        def call() -> bool:
            body = {"query": ADD_EVIDENCE, "variables": {"input": {"caseId": case_id, "title": "Bench", "sha256": SHA}}}
            response = client.post("/graphql", json=body)
            return response.status_code == 200 and b'"AddEvidenceSuccess"' in response.content

        return call

    item = EvidenceItem.create("Bench", SHA)
    actor = Actor("bench-direct", HANGZHOU)

    def direct_write(i: int) -> Callable[[], bool]:
        case_id = direct_cases[i]

        def call() -> bool:
            application.add_evidence(actor, case_id, item=item)
            return True

        return call

    def settle() -> None:
        """One GraphQL write wakes the server's projections; return once they reached the head."""
        from casebridge.infra.database import Database
        from casebridge.infra.settings import DatabaseUrl
        from casebridge.projections.waiter import min_live_position

        graphql_write(0)()
        db = Database(DatabaseUrl.parse(url))
        try:
            deadline = time.monotonic() + 120
            while min_live_position(db) < application.max_position() and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            db.close()

    # Warm up both paths (caches, connections, the server's code paths).
    drive("warm-up", 1.0, args.concurrency, graphql_read, server_cpu)
    drive("warm-up", 1.0, args.concurrency, plain_read, server_cpu)
    best: dict[str, Measurement] = {}

    def keep(m: Measurement) -> None:
        if m.name not in best or m.rate > best[m.name].rate:
            best[m.name] = m

    keep(drive("client ceiling (GET /healthz)", args.seconds, args.concurrency, alive, server_cpu))
    for _ in range(args.rounds):
        keep(drive("plain JSON cases(first: 20)", args.seconds, args.concurrency, plain_read, server_cpu))
        keep(drive("GraphQL cases(first: 20)", args.seconds, args.concurrency, graphql_read, server_cpu))
    for _ in range(args.rounds):
        settle()  # the server's projections catch up the direct writes before, not during, the GraphQL phase
        keep(drive("GraphQL addEvidence", args.seconds, args.concurrency, graphql_write, server_cpu))
        keep(drive("direct add_evidence", args.seconds, args.concurrency, direct_write, own_cpu))
    for client in clients:
        client.close()
    return best


def report(store: str, args, results: dict[str, Measurement]) -> None:
    def ratio(a: str, b: str, attribute: str) -> float:
        return getattr(results[a], attribute) / getattr(results[b], attribute)

    reads = ("GraphQL cases(first: 20)", "plain JSON cases(first: 20)")
    writes = ("GraphQL addEvidence", "direct add_evidence")
    read_ratio, write_ratio = ratio(*reads, "rate"), ratio(*writes, "rate")
    read_cpu_ratio, write_cpu_ratio = ratio(*reads, "per_cpu_second"), ratio(*writes, "per_cpu_second")
    print(f"\nCaseBridge GraphQL bench — {store}, {args.cases} cases, {args.concurrency} threads, "
          f"{args.seconds:g}s x {args.rounds} rounds (best kept)\n")
    print(f"{'measurement':38} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'req/cpu-s':>10}")
    for m in results.values():
        print(f"{m.name:38} {m.rate:9.1f} {m.p50:8.2f} {m.p99:8.2f} {m.errors:7d} {m.per_cpu_second:10.1f}")
    print(f"\n{'ratio':38} {'req/s':>9} {'req/cpu-s':>10}")
    print(f"{'reads:  GraphQL / plain JSON':38} {read_ratio:9.2f} {read_cpu_ratio:10.2f}   (target >= 0.60)")
    print(f"{'writes: GraphQL / direct command':38} {write_ratio:9.2f} {write_cpu_ratio:10.2f}   (target >= 0.50)\n")

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    existing = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    existing[store] = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "parameters": {"cases": args.cases, "seconds": args.seconds, "concurrency": args.concurrency, "rounds": args.rounds},
        "measurements": {m.name: m.as_json() for m in results.values()},
        "ratios": {"reads_graphql_over_plain": round(read_ratio, 3), "writes_graphql_over_direct": round(write_ratio, 3)},
        "ratios_per_cpu_second": {"reads_graphql_over_plain": round(read_cpu_ratio, 3),
                                  "writes_graphql_over_direct": round(write_cpu_ratio, 3)},
        "load_average_1m": round(os.getloadavg()[0], 2),
        "targets": {"reads_graphql_over_plain": 0.6, "writes_graphql_over_direct": 0.5},
    }
    RESULTS.write_text(json.dumps(existing, indent=2, ensure_ascii=False) + "\n")
    print(f"written to {RESULTS.relative_to(Path.cwd()) if RESULTS.is_relative_to(Path.cwd()) else RESULTS}")


if __name__ == "__main__":
    sys.exit(main())
