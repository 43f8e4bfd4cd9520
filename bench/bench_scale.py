"""Scale-out measurements on PostgreSQL (used by `bench/run.py`):

- `api_processes(url, ...)`: GraphQL `addEvidence` and `cases(first: 20)` throughput with one
  and with two `casebridge serve --no-projections` processes (plus one `casebridge worker`),
  the same clients and the same total concurrency;
- `writer_threads(url, ...)`: the application's direct command rate with 1, 2, 4 and 8
  threads on distinct cases. Every insert into the event table takes the library's
  `LOCK TABLE ... IN EXCLUSIVE MODE` (notification ids are issued in commit order), so
  writers queue on one lock per database: the rate stops growing with threads.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_graphql import ADD_EVIDENCE, CASES_QUERY, HANGZHOU, SHA, drive, http_clients, process_cpu  # noqa: E402

_PORT_LINE = re.compile(rb"Uvicorn running on http://127\.0\.0\.1:(\d+)")


class Processes:
    """`casebridge` processes on loopback, stopped by `close()`."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.logs = Path(tempfile.mkdtemp(prefix="casebridge-bench-procs-"))
        self.procs: list[subprocess.Popen] = []

    def start(self, *args: str) -> subprocess.Popen:
        env = {**os.environ, "CASEBRIDGE_DATABASE_URL": self.url, "CASEBRIDGE_CHECKPOINT_INTERVAL": "0"}
        log = open(self.logs / f"{len(self.procs)}.log", "wb")
        proc = subprocess.Popen([sys.executable, "-m", "casebridge", *args], env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
        proc.log_path = log.name  # type: ignore[attr-defined]
        self.procs.append(proc)
        return proc

    def serve(self) -> tuple[subprocess.Popen, str]:
        proc = self.start("serve", "--no-projections", "--host", "127.0.0.1", "--port", "0")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            found = _PORT_LINE.search(Path(proc.log_path).read_bytes())  # type: ignore[attr-defined]
            if found:
                base = f"http://127.0.0.1:{int(found.group(1))}"
                while time.monotonic() < deadline:
                    try:
                        if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                            return proc, base
                    except httpx.HTTPError:
                        pass
                    time.sleep(0.1)
            if proc.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeError(f"casebridge serve did not start:\n{Path(proc.log_path).read_text()[-2000:]}")  # type: ignore[attr-defined]

    def close(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)


def api_processes(url: str, token_from: Any, case_ids: list[Any], *, seconds: float, concurrency: int) -> dict[str, Any]:
    """Writes and reads through 1 and through 2 API processes (one worker projecting).
    `token_from(base)` gets an access token from the server at `base`."""
    procs = Processes(url)
    out: dict[str, Any] = {}
    try:
        procs.start("worker")
        servers = [procs.serve(), procs.serve()]
        token = token_from(servers[0][1])  # any replica accepts it: same issuer, same keys
        cases = [str(c) for c in case_ids[:concurrency]]
        for n in (1, 2):
            bases = [base for _, base in servers[:n]]
            clients = [c for i in range(concurrency) for c in http_clients(bases[i % n], token, 1)]
            cpus = [process_cpu(p.pid) for p, _ in servers[:n]]

            def cpu() -> float:
                return sum(read() for read in cpus)

            def write(i: int):
                client, case_id = clients[i], cases[i]

                def call() -> bool:
                    body = {"query": ADD_EVIDENCE, "variables": {"input": {"caseId": case_id, "title": "Bench", "sha256": SHA}}}
                    return b'"AddEvidenceSuccess"' in client.post("/graphql", json=body).content

                return call

            def read(i: int):
                client = clients[i]
                body = {"query": CASES_QUERY, "variables": {"first": 20}}
                return lambda: client.post("/graphql", json=body).status_code == 200

            drive("warm-up", 1.0, concurrency, read, cpu)
            out[f"{n}_process_writes"] = drive(f"addEvidence, {n} API process(es)", seconds, concurrency, write, cpu).as_json()
            out[f"{n}_process_reads"] = drive(f"cases(first: 20), {n} API process(es)", seconds, concurrency, read, cpu).as_json()
            for client in clients:
                client.close()
    finally:
        procs.close()
    for kind in ("writes", "reads"):
        one, two = out[f"1_process_{kind}"]["per_second"], out[f"2_process_{kind}"]["per_second"]
        out[f"ratio_{kind}_2_over_1"] = round(two / one, 2) if one else None
    return out


def writer_threads(application: Any, case_ids: list[Any], url: str, *, seconds: float) -> dict[str, Any]:
    """The application's own command rate with more and more threads, each on its own case,
    and how many of them were queued on the event table's lock (pg_locks, sampled every 10 ms)."""
    from casebridge.domain.values import Actor, EvidenceItem

    item = EvidenceItem.create("Bench", SHA)
    actor = Actor("bench-threads", HANGZHOU)
    cpu = process_cpu(os.getpid())
    out = {}
    for threads in (1, 2, 4, 8):
        def write(i: int):
            case_id = case_ids[i]
            return lambda: bool(application.add_evidence(actor, case_id, item=item))

        with LockSampler(url) as sampler:
            out[str(threads)] = drive(f"direct add_evidence x{threads}", seconds, threads, write, cpu).as_json()
        out[str(threads)].update(sampler.summary())
    return out


class LockSampler:
    """Counts, every 10 ms, the sessions holding and waiting for `casebridge_events`' lock."""

    def __init__(self, url: str) -> None:
        from casebridge.infra.settings import DatabaseUrl

        self.conninfo = DatabaseUrl.parse(url).psycopg_conninfo()
        self.samples: list[tuple[int, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> LockSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(10)

    def _run(self) -> None:
        import psycopg

        with psycopg.connect(self.conninfo, autocommit=True) as conn:
            while not self._stop.is_set():
                row = conn.execute(
                    "SELECT count(*) FILTER (WHERE l.granted), count(*) FILTER (WHERE NOT l.granted) FROM pg_locks l "
                    "JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE c.relname = 'casebridge_events' AND n.nspname = current_schema() AND l.mode = 'ExclusiveLock'"
                ).fetchone()
                self.samples.append((int(row[0]), int(row[1])))
                time.sleep(0.01)

    def summary(self) -> dict[str, Any]:
        n = len(self.samples) or 1
        return {"lock_held_fraction": round(sum(1 for h, _ in self.samples if h) / n, 3),
                "mean_writers_waiting_for_lock": round(sum(w for _, w in self.samples) / n, 2),
                "lock_samples": len(self.samples)}
