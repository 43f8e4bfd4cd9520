"""CaseBridge benchmarks: one command, ratios measured in the same run, on one store.

    python bench/run.py                                    # embedded SQLite (a fresh temporary file)
    python bench/run.py --database-url postgresql://postgres@127.0.0.1:5432/test   # a private schema, dropped after
    python bench/run.py --scale full                       # 100,000 cases, 1,000,000 events

What it measures (all on loopback, every phase bounded by --seconds or a fixed request count):

1. writes: the raw database's single-row commit rate (a sqlite3/psycopg loop, one row per
   transaction) vs the application's direct command rate (`add_evidence`) vs `addEvidence`
   through GraphQL (token check, command, read-your-writes wait, read back);
2. reads: `cases(first: 20)` through GraphQL vs a plain FastAPI JSON route over the same rows
   (requests/s, p50/p99); the GraphQL comparisons reuse bench/bench_graphql.py;
3. read-your-writes: a mutation, then a query that must show it (p50/p99, stale reads counted);
4. projection catch-up from position 0 over the whole data set: our batched runner vs the
   eventsourcing library's ProjectionRunner (PostgreSQL; reuses bench/bench_projections.py);
5. legal replay on a case with 10,000 events: `caseAsOf` (by version and by time),
   `caseHistory` (first page, a page at the end, all pages), `verifyCase`;
6. PostgreSQL only: 1 vs 2 API processes (`serve --no-projections` + a worker), and the
   application's command rate with 1-8 writer threads (the event table's insert lock);
7. peak RSS of the server (VmHWM), of each phase's process and of this process.

Writes bench/results/<store>.json and bench/results/<store>.png (<store>-full.* for --scale full), and prints
the tables.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import resource
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(BENCH))

import httpx  # noqa: E402

import bench_data  # noqa: E402
import bench_graphql  # noqa: E402
import bench_scale  # noqa: E402

RESULTS = BENCH / "results"
SCALES = {"small": {"cases": 2_000, "long_case": 10_000}, "full": {"cases": 100_000, "long_case": 10_000}}
LIBRARY_RUNNER_MAX_EVENTS = 150_000  # one transaction per event: beyond this it would run for many minutes
HISTORY_SCOPE = "cases:read cases:write evidence:write history:read"

CASE_VERSION = "query($id: ID!) { case(id: $id) { version } }"
AS_OF_VERSION = "query($id: ID!, $v: Int) { caseAsOf(caseId: $id, version: $v) { version status evidence { sha256 } } }"
AS_OF_TIME = "query($id: ID!, $at: DateTime) { caseAsOf(caseId: $id, at: $at) { version status } }"
HISTORY = """query($id: ID!, $first: Int!, $after: String) { caseHistory(caseId: $id, first: $first, after: $after) {
  edges { cursor node { position version type occurredAt actor { clientId jurisdiction } data digest } }
  pageInfo { hasNextPage endCursor } } }"""
VERIFY = "query($id: ID!) { verifyCase(caseId: $id) { valid eventCount headDigest } }"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="", help="postgresql://... (a private schema is created and dropped); "
                                                           "default: embedded SQLite in a temporary file")
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--seconds", type=float, default=4.0, help="duration of each load phase")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads of each load phase")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds of the GraphQL comparisons (best kept)")
    parser.add_argument("--repeat", type=int, default=30, help="requests per latency measurement of the legal replay")
    args = parser.parse_args(argv)

    url, cleanup = bench_graphql.prepare_database(args.database_url or None)
    store = "postgresql" if url.startswith("postgres") else "sqlite"
    scale = SCALES[args.scale]
    results: dict[str, Any] = {"store": store, "scale": args.scale, "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
                               "machine": machine(), "parameters": vars(args) | {"database_url": None}}
    try:
        results.update(run(args, url, store, scale))
    finally:
        cleanup()
    results["peak_rss_mb"]["bench process"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    RESULTS.mkdir(exist_ok=True)
    name = store if args.scale == "small" else f"{store}-{args.scale}"  # the full scale does not overwrite the small
    (RESULTS / f"{name}.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print_tables(results)
    plotted = plot(results, RESULTS / f"{name}.png")
    print(f"\nwritten: bench/results/{name}.json" + (f", bench/results/{name}.png" if plotted else " (no plot: pip install -e '.[bench]')"))
    return 0


def machine() -> dict[str, Any]:
    memory = None
    try:
        memory = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (ValueError, OSError):
        pass
    return {"cpus": os.cpu_count(), "memory_gib": memory, "python": platform.python_version(),
            "platform": platform.platform(), "load_average_1m_at_start": round(os.getloadavg()[0], 2)}


def step(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def run(args: argparse.Namespace, url: str, store: str, scale: dict[str, int]) -> dict[str, Any]:
    out: dict[str, Any] = {"peak_rss_mb": {}}

    step(f"generating {scale['cases']:,} cases through the application ...")
    out["data_set"] = bench_data.generate(url, scale["cases"])
    step(f"  {out['data_set']['events']:,} events in {out['data_set']['seconds']}s ({out['data_set']['events_per_s']:,}/s)")
    step(f"one case with {scale['long_case']:,} events ...")
    long_case = bench_data.long_case(url, scale["long_case"])
    out["long_case"] = long_case
    application, case_ids = bench_graphql.seed(url, 200, args.concurrency)

    step("raw single-row commits ...")
    out["raw_commits"] = phase("commits", url)

    step("projection catch-up from position 0 (each phase in its own process) ...")
    catch_up: dict[str, Any] = {}
    if store == "postgresql":
        events = out["data_set"]["events"] + long_case["events"]
        if events <= LIBRARY_RUNNER_MAX_EVENTS:
            step("  the library's ProjectionRunner (cases, one event per transaction) ...")
            catch_up["library_cases"] = phase("library", url)
        else:
            catch_up["library_cases"] = {"skipped": f"{events:,} events at one transaction each; see --scale small"}
    catch_up["ours_cases"] = phase("ours-cases", url)
    catch_up["ours_all"] = phase("ours-all", url)
    out["projections"] = catch_up
    for name, measured in catch_up.items():
        if "peak_rss_mb" in measured:
            out["peak_rss_mb"][f"projections: {name}"] = measured["peak_rss_mb"]

    step("starting the server (create_app + a plain JSON route) ...")
    context = multiprocessing.get_context("spawn")
    ports = context.Queue()
    server = context.Process(target=bench_graphql.serve, args=(url, ports), daemon=True)
    server.start()
    try:
        base = f"http://127.0.0.1:{ports.get(timeout=120)}"
        graphql_token = token_for(url, base, bench_graphql.SCOPE)
        history_token = token_for(url, base, HISTORY_SCOPE)
        step("GraphQL vs plain JSON reads, GraphQL vs direct writes (bench_graphql) ...")
        measured = bench_graphql.run(args, url, base, graphql_token, application, case_ids,
                                     bench_graphql.process_cpu(server.pid), bench_graphql.process_cpu(os.getpid()))
        out["http"] = {m.name: m.as_json() for m in measured.values()}
        step("read-your-writes ...")
        out["read_your_writes"] = read_your_writes(base, graphql_token, case_ids, args)
        step(f"legal replay on the {scale['long_case']:,}-event case ...")
        out["legal_replay"] = legal_replay(base, history_token, long_case, args.repeat)
        out["peak_rss_mb"]["API server"] = vm_hwm_mb(server.pid)
    finally:
        server.terminate()
        server.join(15)

    if store == "postgresql":
        step("1 vs 2 API processes (serve --no-projections + worker) ...")
        client = register(url, bench_graphql.SCOPE)
        out["api_processes"] = bench_scale.api_processes(url, lambda base: token(base, client),
                                                         case_ids[-2 * args.concurrency:-args.concurrency],
                                                         seconds=args.seconds, concurrency=args.concurrency)
        step("writer threads against the event table's insert lock ...")
        out["writer_threads"] = bench_scale.writer_threads(application, case_ids[-args.concurrency:], url, seconds=args.seconds)
    application.close()
    out["ratios"] = ratios(out)
    return out


def phase(name: str, url: str, page_size: int = 1000) -> dict[str, Any]:
    """One of bench_projections.py's phases in its own process, as its `spawn` runs them, but
    with the peak RSS read from the kernel (VmHWM, sampled while it runs): `ru_maxrss` survives
    fork and exec, so a phase started by a big parent would report the parent's peak."""
    import subprocess
    import tempfile

    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        proc = subprocess.Popen([sys.executable, str(BENCH / "bench_projections.py"), "--phase", name, "--url", url,
                                 "--page-size", str(page_size)], stdout=stdout, stderr=stderr, env=env)
        peak = 0.0
        while proc.poll() is None:
            peak = max(peak, vm_hwm_mb(proc.pid) or 0.0)
            time.sleep(0.05)
        stdout.seek(0)
        stderr.seek(0)
        if proc.returncode != 0:
            raise SystemExit(f"phase {name} failed:\n{stderr.read().decode(errors='replace')[-3000:]}")
        result = json.loads(stdout.read().decode().strip().splitlines()[-1])
    result["events_per_s"] = round(result["events"] / result["seconds"]) if result["seconds"] else None
    result["peak_rss_mb"] = round(peak, 1) or None
    return result


def register(url: str, scope: str) -> tuple[str, str]:
    """A client of Hangzhou with `scope`: (client_id, client_secret)."""
    from casebridge.infra.auth import ClientStore
    from casebridge.infra.database import Database
    from casebridge.infra.settings import Settings

    db = Database(Settings.from_env({"CASEBRIDGE_DATABASE_URL": url}).database)
    try:
        credentials = ClientStore(db).create(jurisdiction=bench_graphql.HANGZHOU, scope=scope, name="bench run")
    finally:
        db.close()
    return credentials.client_id, credentials.client_secret


def token(base: str, client: tuple[str, str]) -> str:
    """An access token from that server's /oauth/token (each server names itself the issuer)."""
    response = httpx.post(f"{base}/oauth/token", data={"grant_type": "client_credentials", "client_id": client[0],
                                                       "client_secret": client[1]}, timeout=30)
    return response.raise_for_status().json()["access_token"]


def token_for(url: str, base: str, scope: str) -> str:
    return token(base, register(url, scope))


def vm_hwm_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def percentiles(latencies: list[float]) -> dict[str, float]:
    ordered = sorted(latencies)
    if not ordered:
        return {"n": 0}
    return {"n": len(ordered), "p50_ms": round(statistics.median(ordered) * 1000, 2),
            "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 2)}


def read_your_writes(base: str, token: str, case_ids: list[Any], args: argparse.Namespace) -> dict[str, Any]:
    """Each thread: addEvidence on its case, then `case(id)` until it shows the new version.
    The time from sending the mutation to the first read that shows it; stale reads counted."""
    targets = [str(c) for k, c in enumerate(case_ids) if k % 5][: args.concurrency]
    clients = bench_graphql.http_clients(base, token, len(targets))
    stale = [0] * len(targets)

    def make(i: int):
        client, case_id = clients[i], targets[i]

        def call() -> bool:
            body = {"query": bench_graphql.ADD_EVIDENCE,
                    "variables": {"input": {"caseId": case_id, "title": "RYW", "sha256": bench_graphql.SHA}}}
            answer = client.post("/graphql", json=body).json()["data"]["addEvidence"]
            if answer["__typename"] != "AddEvidenceSuccess":
                return False
            for _ in range(1000):
                seen = client.post("/graphql", json={"query": CASE_VERSION, "variables": {"id": case_id}}).json()
                if seen["data"]["case"]["version"] >= answer["case"]["version"]:
                    return True
                stale[i] += 1
            return False

        return call

    m = bench_graphql.drive("read-your-writes", args.seconds, len(targets), make, lambda: 0.0)
    for client in clients:
        client.close()
    return {**m.as_json(), "stale_reads": sum(stale)}


def legal_replay(base: str, token: str, long_case: dict[str, Any], repeat: int) -> dict[str, Any]:
    case_id, events = long_case["case_id"], long_case["events"]
    out: dict[str, Any] = {}
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=120) as client:
        def timed(name: str, query: str, variables: dict, times: int = repeat) -> Any:
            latencies, last = [], None
            for _ in range(times):
                t0 = time.perf_counter()
                response = client.post("/graphql", json={"query": query, "variables": variables})
                latencies.append(time.perf_counter() - t0)
                last = response.json()
                assert "errors" not in last, last
            out[name] = percentiles(latencies)
            return last["data"]

        timed("caseHistory first 50", HISTORY, {"id": case_id, "first": 50})
        started, pages, after, cursors = time.perf_counter(), 0, None, []
        while True:  # every event, 100 at a time
            page = client.post("/graphql", json={"query": HISTORY, "variables": {"id": case_id, "first": 100, "after": after}}).json()
            history = page["data"]["caseHistory"]
            pages += 1
            cursors.append(after)
            if not history["pageInfo"]["hasNextPage"]:
                break
            after = history["pageInfo"]["endCursor"]
        out["caseHistory all pages of 100"] = {"pages": pages, "seconds": round(time.perf_counter() - started, 2)}
        timed("caseHistory last page", HISTORY, {"id": case_id, "first": 100, "after": cursors[-1]})
        state = timed("caseAsOf version 10", AS_OF_VERSION, {"id": case_id, "v": 10})["caseAsOf"]
        assert state["version"] == 10
        timed(f"caseAsOf version {events // 2}", AS_OF_VERSION, {"id": case_id, "v": events // 2})
        timed(f"caseAsOf version {events}", AS_OF_VERSION, {"id": case_id, "v": events})
        if long_case.get("middle_at"):
            timed("caseAsOf at the middle", AS_OF_TIME, {"id": case_id, "at": long_case["middle_at"]})
        verified = timed("verifyCase", VERIFY, {"id": case_id}, max(3, repeat // 5))["verifyCase"]
        assert verified["valid"] and verified["eventCount"] >= events, verified
    return out


def ratios(out: dict[str, Any]) -> dict[str, Any]:
    http = out.get("http", {})

    def rate(name: str) -> float | None:
        return (http.get(name) or {}).get("per_second")

    def div(a: float | None, b: float | None) -> float | None:
        return round(a / b, 3) if a and b else None

    raw = out["raw_commits"]["events_per_s"]
    direct, graphql_write = rate("direct add_evidence"), rate("GraphQL addEvidence")
    projections = out["projections"]
    library = projections.get("library_cases", {}).get("events_per_s")
    return {
        "direct commands / raw single-row commits": div(direct, raw),
        "GraphQL commands / direct commands": div(graphql_write, direct),
        "GraphQL commands / raw single-row commits": div(graphql_write, raw),
        "GraphQL cases(first: 20) / plain JSON route": div(rate("GraphQL cases(first: 20)"), rate("plain JSON cases(first: 20)")),
        "our runner (cases) / library's runner (cases)": div(projections["ours_cases"]["events_per_s"], library),
        "our runner (all 6 read models) / library's runner (cases)": div(projections["ours_all"]["events_per_s"], library),
        "2 API processes / 1 (writes)": (out.get("api_processes") or {}).get("ratio_writes_2_over_1"),
        "2 API processes / 1 (reads)": (out.get("api_processes") or {}).get("ratio_reads_2_over_1"),
    }


def print_tables(r: dict[str, Any]) -> None:
    m = r["machine"]
    print(f"\nCaseBridge bench — {r['store']}, scale {r['scale']} ({r['data_set']['cases']:,} cases, "
          f"{r['data_set']['events']:,} events + one case of {r['long_case']['events']:,}), {m['cpus']} CPUs, "
          f"{m['memory_gib']} GiB, {r['measured_at']}")
    print(f"data set written at {r['data_set']['events_per_s']:,} events/s by {r['data_set']['processes']} processes")
    print(f"\n{'throughput':46} {'per s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    print(f"{'raw single-row commits (one row per txn)':46} {r['raw_commits']['events_per_s']:>9,}")
    for name, v in r["http"].items():
        print(f"{name:46} {v['per_second']:>9,.1f} {v['p50_ms']:>8.2f} {v['p99_ms']:>8.2f} {v['errors']:>7}")
    ryw = r["read_your_writes"]
    print(f"{'read-your-writes (mutation -> visible)':46} {ryw['per_second']:>9,.1f} {ryw['p50_ms']:>8.2f} "
          f"{ryw['p99_ms']:>8.2f} {ryw['errors']:>7}   stale reads: {ryw['stale_reads']}")
    for name, v in (r.get("api_processes") or {}).items():
        if isinstance(v, dict):
            print(f"{name.replace('_', ' '):46} {v['per_second']:>9,.1f} {v['p50_ms']:>8.2f} {v['p99_ms']:>8.2f} {v['errors']:>7}")
    for threads, v in (r.get("writer_threads") or {}).items():
        print(f"{'direct add_evidence, ' + threads + ' writer thread(s)':46} {v['per_second']:>9,.1f} {v['p50_ms']:>8.2f} "
              f"{v['p99_ms']:>8.2f} {v['errors']:>7}   event-table lock held {v['lock_held_fraction']:.0%} of the time, "
              f"{v['mean_writers_waiting_for_lock']} writers waiting on average")
    print(f"\n{'projection catch-up from 0':46} {'events':>9} {'seconds':>8} {'ev/s':>8} {'RSS MB':>7}")
    for name, v in r["projections"].items():
        if "skipped" in v:
            print(f"{name:46} skipped: {v['skipped']}")
        else:
            print(f"{name:46} {v['events']:>9,} {v['seconds']:>8.2f} {v['events_per_s']:>8,} {v['peak_rss_mb']:>7.0f}")
    print(f"\n{'legal replay, ' + format(r['long_case']['events'], ',') + '-event case':46} {'n':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for name, v in r["legal_replay"].items():
        if "p50_ms" in v:
            print(f"{name:46} {v['n']:>9} {v['p50_ms']:>8.2f} {v['p99_ms']:>8.2f}")
        else:
            print(f"{name:46} {v['pages']:>9} pages in {v['seconds']}s")
    print(f"\n{'ratio (same run)':60} {'value':>8}")
    for name, value in r["ratios"].items():
        print(f"{name:60} {'n/a' if value is None else format(value, '.3f'):>8}")
    print(f"\n{'peak RSS':46} {'MB':>9}")
    for name, value in r["peak_rss_mb"].items():
        print(f"{name:46} {value if value is not None else 'n/a':>9}")


def plot(r: dict[str, Any], path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    fig, (rates, latencies) = plt.subplots(1, 2, figsize=(14, 6))
    bars = {"raw commits": r["raw_commits"]["events_per_s"]}
    for name in ("direct add_evidence", "GraphQL addEvidence", "plain JSON cases(first: 20)", "GraphQL cases(first: 20)"):
        if name in r["http"]:
            bars[name] = r["http"][name]["per_second"]
    for name, v in r["projections"].items():
        if "events_per_s" in v:
            bars[f"catch-up {name} (ev/s)"] = v["events_per_s"]
    for n in (1, 2):
        v = (r.get("api_processes") or {}).get(f"{n}_process_writes")
        if v:
            bars[f"addEvidence, {n} API proc"] = v["per_second"]
    rates.barh(list(bars), list(bars.values()), color="#4472c4")
    rates.set_xscale("log")
    rates.set_xlabel("per second (log scale)")
    rates.set_title("Throughput")
    for y, value in enumerate(bars.values()):
        rates.text(value, y, f" {value:,.0f}", va="center", fontsize=8)
    points = {name: v for name, v in r["http"].items() if "p50_ms" in v}
    points["read-your-writes"] = r["read_your_writes"]
    points.update({name: v for name, v in r["legal_replay"].items() if "p50_ms" in v})
    names = list(points)
    latencies.barh([y - 0.2 for y in range(len(names))], [points[n]["p50_ms"] for n in names], height=0.4, label="p50")
    latencies.barh([y + 0.2 for y in range(len(names))], [points[n]["p99_ms"] for n in names], height=0.4, label="p99")
    latencies.set_yticks(range(len(names)), names)
    latencies.set_xscale("log")
    latencies.set_xlabel("milliseconds (log scale)")
    latencies.set_title("Latency")
    latencies.legend()
    m = r["machine"]
    fig.suptitle(f"CaseBridge on {r['store']}, {r['data_set']['cases']:,} cases / {r['data_set']['events']:,} events, "
                 f"{m['cpus']} CPUs, {m['memory_gib']} GiB, {r['measured_at'][:10]}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


if __name__ == "__main__":
    sys.exit(main())
