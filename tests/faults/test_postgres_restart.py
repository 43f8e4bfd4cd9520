"""A private PostgreSQL cluster stopped (immediate: every connection cut, crash recovery on
start) and started again under a running `casebridge serve` while clients stream commands.

Each client keeps one case and adds evidence to it with `expectedVersion` and a fresh
`clientMutationId`; after any failure (a cut connection, a 503, an error-coded answer) it
sends the very same request again until it is answered. A command whose first attempt was
committed before the client lost the answer must come back as its original result (the
version it made), never as a CONFLICT against itself.
"""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from scale.live import Caller, Deployment, Process, wait_until

pytestmark = pytest.mark.slow

CLIENTS = 4
OPEN_CASE = """mutation($input: OpenCaseInput!) { openCase(input: $input) {
  __typename ... on OpenCaseSuccess { case { id version } } ... on Problem { code message } } }"""
ADD_EVIDENCE = """mutation($input: AddEvidenceInput!) { addEvidence(input: $input) {
  __typename ... on AddEvidenceSuccess { case { id version evidence { title } } } ... on Problem { code message } } }"""
CASE = "query($id: ID!) { case(id: $id) { version evidence { title sha256 } } verifyCase(caseId: $id) { valid eventCount } }"
SUBJECT = {"name": "Ningbo Harbour Trading Co.", "kind": "MARKETPLACE_SELLER", "identifier": "91330200MA2XXXXX7"}
STORAGE_CODES = {"INTERNAL", "UNAVAILABLE", "READ_MODEL_LAGGING"}


class Stream(threading.Thread):
    """One client adding evidence to its own case until told to stop."""

    def __init__(self, n: int, caller: Caller, server: Process, case_id: str, stop: threading.Event) -> None:
        super().__init__(name=f"client-{n}", daemon=True)
        self.n, self.caller, self.server, self.case_id, self._halt = n, caller, server, case_id, stop
        self.version = 1
        self.acknowledged: list[str] = []  # titles of the commands answered with success, in order
        self.failures: list[str] = []  # what each failed attempt looked like
        self.attempts: list[tuple[float, float]] = []  # (sent, answered or failed), monotonic
        self.problems: list[dict] = []  # answers that are not success after a retry: must stay empty
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with httpx.Client(timeout=120) as http:
                while not self._halt.is_set():
                    self.one_command(http, len(self.acknowledged))
        except BaseException as exc:  # reported by the test
            self.error = exc

    def one_command(self, http: httpx.Client, k: int) -> None:
        title = f"client {self.n} item {k}"
        payload = {"input": {"caseId": self.case_id, "title": title, "sha256": f"{self.n:032x}{k:032x}",
                             "expectedVersion": self.version, "clientMutationId": f"client-{self.n}-{k}"}}
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            sent = time.monotonic()
            try:
                response = self.caller.post(self.server, ADD_EVIDENCE, payload, client=http)
            except httpx.TransportError as exc:
                self.attempts.append((sent, time.monotonic()))
                self.failures.append(type(exc).__name__)
                time.sleep(0.2)
                continue
            self.attempts.append((sent, time.monotonic()))
            body = response.json()
            assert response.status_code in (200, 503), response.text
            if response.status_code == 503 or body.get("errors"):
                codes = {e["extensions"]["code"] for e in body.get("errors", [])}
                assert codes <= STORAGE_CODES, body
                self.failures.append(",".join(sorted(codes)) or str(response.status_code))
                time.sleep(0.2)
                continue
            result = body["data"]["addEvidence"]
            if result["__typename"] != "AddEvidenceSuccess":
                self.problems.append({"title": title, "expectedVersion": self.version, "answer": result})
                return self._halt.set()
            assert result["case"]["version"] == self.version + 1, (title, self.version, result)  # its own result
            self.version += 1
            self.acknowledged.append(title)
            return
        raise AssertionError(f"{title} was not answered within 180 s")


def test_commands_streamed_through_a_database_restart_are_each_stored_exactly_once(private_postgres, tmp_path):
    deployment = Deployment(private_postgres.url, tmp_path).migrate()
    try:
        server = deployment.serve()
        callers = [deployment.caller("330200").sign_in(server) for _ in range(CLIENTS)]
        case_ids = [callers[i].data(server, OPEN_CASE, {"input": {
            "title": f"Mislabelled helmets {i}", "summary": "Test purchases.", "subject": SUBJECT,
            "category": "PRODUCT_QUALITY"}})["openCase"]["case"]["id"] for i in range(CLIENTS)]
        stop = threading.Event()
        streams = [Stream(i, callers[i], server, case_ids[i], stop) for i in range(CLIENTS)]
        for stream in streams:
            stream.start()
        wait_until(lambda: all(len(s.acknowledged) >= 3 for s in streams) or stop.is_set(), "commands to flow")

        stopped = time.monotonic()
        private_postgres.stop()
        ready = httpx.get(f"{server.base}/readyz", timeout=60)
        assert ready.status_code == 503 and "Traceback" not in ready.text
        time.sleep(1.0)
        private_postgres.start()
        restarted = time.monotonic()
        wait_until(lambda: httpx.get(f"{server.base}/readyz", timeout=60).status_code == 200,
                   "/readyz to recover without a restart of the server")
        before = [len(s.acknowledged) for s in streams]
        wait_until(lambda: all(len(s.acknowledged) >= b + 3 for s, b in zip(streams, before)) or stop.is_set(),
                   "commands to flow again", timeout=120)
        stop.set()
        for stream in streams:
            stream.join(200)
            assert not stream.is_alive()

        for stream in streams:
            assert stream.error is None, repr(stream.error)
            assert stream.problems == []  # never a CONFLICT with itself, nor any other refusal
        # Commands were in flight across the outage (each either waited it out or failed and
        # was sent again: both must end stored once).
        assert any(sent < restarted and done > stopped for s in streams for sent, done in s.attempts)
        assert server.alive()

        reader = deployment.caller("330200").sign_in(server)
        for stream in streams:
            data = reader.data(server, CASE, {"id": stream.case_id})
            titles = [item["title"] for item in data["case"]["evidence"]]
            assert sorted(titles) == sorted(stream.acknowledged)  # every acknowledged command, each once
            assert data["case"]["version"] == 1 + len(stream.acknowledged) == stream.version
            assert data["verifyCase"]["valid"] is True
    finally:
        deployment.close()
