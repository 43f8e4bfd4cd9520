"""Live updates must not stall everybody else (issue 10, item 13).

    python bench/bench_subscriptions.py                      # embedded SQLite (a fresh temporary file)
    python bench/bench_subscriptions.py --database-url postgresql://postgres@127.0.0.1:5432/test

A real `casebridge serve` on 127.0.0.1 (an ephemeral port). Clients come from `casebridge
client create`. Then, each phase bounded by `--seconds`:

1. baseline: one writer (Hangzhou: `openCase`, `addEvidence`) and `--readers` threads of
   Shanghai reading `cases(first: 20)`, no subscriptions;
2. the same load with `--subscriptions` (3,000) `inboxChanged`/`caseChanged` subscriptions
   open over websockets: 60 principals x 5 sockets x 10, most of jurisdictions the writes do not
   concern, 1 in 10 of Zhejiang (which supervises Hangzhou, so every write concerns it);
3. one greedy token trying 300 sockets x 10 `inboxChanged`: how many the server accepts.

Prints p50/p99 of the reads and writes per phase and the pushes received; writes
bench/results/subscriptions.json (one entry per store). Never run by the tests.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx
import websockets

RESULTS = Path(__file__).resolve().parent / "results" / "subscriptions.json"
SCOPE = "cases:read cases:write evidence:write"
CASES = """query { cases(first: 20) { edges { node { id reference title status version
  handlingJurisdiction { code name } } } pageInfo { hasNextPage endCursor } } }"""
OPEN = """mutation($input: OpenCaseInput!) { openCase(input: $input) { __typename
  ... on OpenCaseSuccess { case { id version } } } }"""
ADD = """mutation($input: AddEvidenceInput!) { addEvidence(input: $input) { __typename } }"""
INBOX = "subscription { inboxChanged { incomingTransfers { case { id } } evidenceRequests { id } } }"
UNRELATED = ["310000", "320500", "440300", "320000", "440000"]  # Hangzhou's writes concern none of them


def cli(env: dict, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "casebridge", *args], env=env, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise SystemExit(f"casebridge {' '.join(args)} failed: {done.stderr}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def token(base: str, client: dict) -> str:
    r = httpx.post(f"{base}/oauth/token", data={"grant_type": "client_credentials"},
                   auth=(client["client_id"], client["client_secret"]), timeout=30)
    r.raise_for_status()
    return r.json()["access_token"]


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))] * 1000


def load(base: str, writer: str, reader: str, seconds: float, readers: int) -> dict:
    stop = time.monotonic() + seconds
    reads: list[float] = []
    writes: list[float] = []

    def read_loop() -> None:
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {reader}"}, timeout=60) as http:
            while time.monotonic() < stop:
                t = time.perf_counter()
                assert http.post("/graphql", json={"query": CASES}).status_code == 200
                reads.append(time.perf_counter() - t)

    def write_loop() -> None:
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {writer}"}, timeout=60) as http:
            case_id = None
            while time.monotonic() < stop:
                t = time.perf_counter()
                if case_id is None:
                    r = http.post("/graphql", json={"query": OPEN, "variables": {"input": {
                        "title": "Bench case", "summary": "bench", "category": "COUNTERFEIT",
                        "subject": {"name": "Bench Co.", "kind": "MANUFACTURER"}}}}).json()
                    case_id = r["data"]["openCase"]["case"]["id"]
                else:
                    http.post("/graphql", json={"query": ADD, "variables": {"input": {
                        "caseId": case_id, "title": "item", "sha256": uuid.uuid4().hex * 2}}})
                    case_id = None if len(writes) % 5 == 4 else case_id
                writes.append(time.perf_counter() - t)

    threads = [threading.Thread(target=read_loop) for _ in range(readers)] + [threading.Thread(target=write_loop)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"reads": len(reads), "read_p50_ms": round(pct(reads, 50), 1), "read_p99_ms": round(pct(reads, 99), 1),
            "writes": len(writes), "write_p50_ms": round(pct(writes, 50), 1), "write_p99_ms": round(pct(writes, 99), 1)}


class Subscribers:
    """Websocket clients in their own thread and event loop."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.pushes = 0
        self.closed: dict[int, int] = {}
        self.refused = 0
        self.open = 0
        self._sockets: list = []

    def run(self, *coros, timeout: float = 300):
        async def together():
            return await asyncio.gather(*coros)

        return asyncio.run_coroutine_threadsafe(together(), self.loop).result(timeout)

    async def socket(self, tok: str, subscriptions: int, query: str = INBOX) -> None:
        ws = await websockets.connect(self.url, subprotocols=["graphql-transport-ws"], max_queue=None)
        await ws.send(json.dumps({"type": "connection_init", "payload": {"token": tok}}))
        try:
            ack = json.loads(await ws.recv())
        except websockets.ConnectionClosed as closed:
            self.closed[closed.rcvd.code if closed.rcvd else 0] = self.closed.get(closed.rcvd.code if closed.rcvd else 0, 0) + 1
            return
        assert ack["type"] == "connection_ack", ack
        self._sockets.append(ws)
        for n in range(subscriptions):
            await ws.send(json.dumps({"id": str(n), "type": "subscribe", "payload": {"query": query}}))
        firsts = 0
        while firsts < subscriptions:
            message = json.loads(await ws.recv())
            firsts += 1
            if message["type"] == "next":
                self.open += 1
            else:
                self.refused += 1
        asyncio.ensure_future(self._drain(ws))

    async def _drain(self, ws) -> None:
        try:
            async for _ in ws:
                self.pushes += 1
        except websockets.ConnectionClosed:
            pass

    async def close_all(self) -> None:
        await asyncio.gather(*(ws.close() for ws in self._sockets), return_exceptions=True)
        self._sockets.clear()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--readers", type=int, default=2)
    parser.add_argument("--subscriptions", type=int, default=3000)
    parser.add_argument("--concerned-every", type=int, default=10,
                        help="one principal in N is of Zhejiang, concerned by every write (0: none)")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="casebridge-bench-subs-")
    env = dict(os.environ, CASEBRIDGE_DATABASE_URL=args.database_url or f"sqlite:///{tmp}/casebridge.db",
               CASEBRIDGE_CHECKPOINT_INTERVAL="0")
    port = free_port()
    base, url = f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}/graphql"
    env["CASEBRIDGE_ISSUER"] = f"http://localhost:{port}"
    cli(env, "migrate")
    clients = {j: json.loads(cli(env, "client", "create", "--jurisdiction", j, "--scope", SCOPE, "--json"))
               for j in ("330100", "310000")}
    principals = args.subscriptions // 50
    subscribers = [json.loads(cli(env, "client", "create", "--jurisdiction",
                                  "330000" if args.concerned_every and i % args.concerned_every == 0 else UNRELATED[i % len(UNRELATED)], "--scope", "cases:read", "--json"))
                   for i in range(principals)]
    greedy = json.loads(cli(env, "client", "create", "--jurisdiction", "440300", "--scope", "cases:read", "--json"))
    server = subprocess.Popen([sys.executable, "-m", "casebridge", "serve", "--host", "127.0.0.1", "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        writer, reader = token(base, clients["330100"]), token(base, clients["310000"])
        result: dict = {"store": "postgresql" if args.database_url else "sqlite", "seconds": args.seconds,
                        "readers": args.readers, "concerned_every": args.concerned_every}
        load(base, writer, reader, 2, 1)  # warm-up
        result["baseline"] = load(base, writer, reader, args.seconds, args.readers)
        print("baseline          ", result["baseline"], flush=True)

        live = Subscribers(url)
        started = time.perf_counter()
        tokens = [token(base, c) for c in subscribers]
        for tok in tokens:  # 5 sockets x 10 subscriptions per principal
            live.run(*(live.socket(tok, 10) for _ in range(5)))
        result["subscriptions_open"] = live.open
        result["open_seconds"] = round(time.perf_counter() - started, 1)
        pushes_before = live.pushes
        result["with_subscriptions"] = load(base, writer, reader, args.seconds, args.readers)
        result["with_subscriptions"]["pushes"] = live.pushes - pushes_before
        print(f"{live.open} subscriptions", result["with_subscriptions"], flush=True)

        greedy_live = Subscribers(url)
        greedy_token = token(base, greedy)
        greedy_live.run(*(greedy_live.socket(greedy_token, 10) for _ in range(300)))
        result["greedy"] = {"sockets_tried": 300, "subscriptions_tried": 3000, "subscriptions_open": greedy_live.open,
                            "subscriptions_refused": greedy_live.refused,
                            "sockets_closed_by_code": {str(k): v for k, v in greedy_live.closed.items()}}
        print("greedy token      ", result["greedy"], flush=True)
        greedy_live.run(greedy_live.close_all())
        live.run(live.close_all())
    finally:
        server.terminate()
        server.wait(timeout=30)
    stored = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    stored[f"{result['store']}-concerned-every-{args.concerned_every}"] = result
    RESULTS.write_text(json.dumps(stored, indent=2) + "\n")


if __name__ == "__main__":
    main()
