"""Real CaseBridge processes on loopback for the scale, fault and security tests.

- `Deployment`: `casebridge serve` / `casebridge worker` processes against one database URL,
  each on an ephemeral port (uvicorn binds port 0 and logs the port it got), each stopped
  at the end of the test; registered OAuth clients with real tokens from `/oauth/token`.
- `PrivatePostgres`: a throw-away PostgreSQL cluster (initdb into a temporary directory, a
  free port, its socket in that directory) that a test may stop and start at will; never
  the shared instance. Torn down (immediate stop, files removed) by `close()`.

Every wait is bounded; nothing here asserts a timing.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from casebridge.infra.database import Database
from casebridge.infra.migrations import migrate
from casebridge.infra.settings import Settings

ALL_SCOPES = "cases:read cases:write evidence:write joint-actions:write history:read"
STARTUP_TIMEOUT = 60.0
_PORT_LINE = re.compile(rb"Uvicorn running on http://127\.0\.0\.1:(\d+)")


def wait_until(predicate: Callable[[], Any], what: str, timeout: float = 60.0, step: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g}s waiting for {what}")
        time.sleep(step)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- CaseBridge processes ----------------------------------------------------------------------


@dataclass
class Process:
    popen: subprocess.Popen
    log: Path
    port: int | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def kill(self) -> None:
        if self.alive():
            self.popen.send_signal(signal.SIGKILL)
        self.popen.wait(10)

    def stop(self, timeout: float = 15.0) -> None:
        if self.alive():
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(10)


class Caller:
    """One registered client of one jurisdiction, talking GraphQL over HTTP to any server."""

    def __init__(self, client_id: str, client_secret: str, jurisdiction: str) -> None:
        self.client_id, self.client_secret, self.jurisdiction = client_id, client_secret, jurisdiction
        self.token = ""

    def sign_in(self, server: Process) -> Caller:
        response = httpx.post(f"{server.base}/oauth/token", timeout=30, data={
            "grant_type": "client_credentials", "client_id": self.client_id, "client_secret": self.client_secret})
        response.raise_for_status()
        self.token = response.json()["access_token"]
        return self

    def post(self, server: Process | str, query: str, variables: dict | None = None, *,
             timeout: float = 30.0, client: httpx.Client | None = None) -> httpx.Response:
        base = server if isinstance(server, str) else server.base
        body: dict[str, Any] = {"query": query}
        if variables is not None:
            body["variables"] = variables
        headers = {"Authorization": f"Bearer {self.token}"}
        if client is not None:
            return client.post(f"{base}/graphql", json=body, headers=headers, timeout=timeout)
        return httpx.post(f"{base}/graphql", json=body, headers=headers, timeout=timeout)

    def data(self, server: Process | str, query: str, variables: dict | None = None) -> dict:
        response = self.post(server, query, variables)
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body
        return body["data"]


class Deployment:
    """CaseBridge processes sharing one database, all stopped by `close()`."""

    def __init__(self, database_url: str, logs: Path, **environment: str) -> None:
        self.database_url = database_url
        self.logs = logs
        self.settings = Settings.from_env({"CASEBRIDGE_DATABASE_URL": database_url})
        self.environment = {"CASEBRIDGE_CHECKPOINT_INTERVAL": "0", **environment}
        self.processes: list[Process] = []
        self._clients = 0

    def migrate(self) -> Deployment:
        migrate(self.settings)
        return self

    def _spawn(self, name: str, *args: str) -> Process:
        env = {**os.environ, **self.environment, "CASEBRIDGE_DATABASE_URL": self.database_url,
               "PYTHONUNBUFFERED": "1"}
        log = self.logs / f"{name}-{len(self.processes)}.log"
        with open(log, "wb") as out:
            popen = subprocess.Popen([sys.executable, "-m", "casebridge", *args], env=env, stdout=out,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        process = Process(popen, log)
        self.processes.append(process)
        return process

    def serve(self, *, projections: bool = True, port: int = 0) -> Process:
        """`casebridge serve` on `port` (default: an ephemeral one); returns once /healthz answers."""
        args = ["serve", "--host", "127.0.0.1", "--port", str(port)] + ([] if projections else ["--no-projections"])
        process = self._spawn("serve", *args)

        def port() -> int | None:
            if not process.alive():
                raise AssertionError(f"casebridge serve exited:\n{process.output()[-3000:]}")
            found = _PORT_LINE.search(process.log.read_bytes())
            return int(found.group(1)) if found else None

        process.port = wait_until(port, "casebridge serve to listen", STARTUP_TIMEOUT)
        wait_until(lambda: _answers(f"{process.base}/healthz"), "/healthz", STARTUP_TIMEOUT)
        return process

    def worker(self, *args: str) -> Process:
        return self._spawn("worker", "worker", *args)

    def caller(self, jurisdiction: str, scope: str = ALL_SCOPES) -> Caller:
        from casebridge.infra.auth import ClientStore

        self._clients += 1
        db = Database(self.settings.database)
        try:
            credentials = ClientStore(db).create(jurisdiction=jurisdiction, scope=scope,
                                                 name=f"live client {self._clients} of {jurisdiction}")
        finally:
            db.close()
        return Caller(credentials.client_id, credentials.client_secret, jurisdiction)

    def close(self) -> None:
        for process in self.processes:
            process.stop()

    def outputs(self) -> str:
        return "\n".join(f"--- {p.log.name}\n{p.output()[-4000:]}" for p in self.processes)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@contextmanager
def deployment(database_url: str, logs: Path, **environment: str) -> Iterator[Deployment]:
    d = Deployment(database_url, logs, **environment).migrate()
    try:
        yield d
    finally:
        d.close()


# -- a private PostgreSQL cluster -------------------------------------------------------------


class PrivatePostgres:
    """A PostgreSQL cluster of this test alone, which it may stop and start."""

    BIN = Path("/usr/lib/postgresql/15/bin")

    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="casebridge-pg-"))
        self.data = self.directory / "data"
        self.port = free_port()
        self._as_postgres = os.geteuid() == 0  # initdb refuses to run as root
        if self._as_postgres:
            entry = pwd.getpwnam("postgres")
            os.chown(self.directory, entry.pw_uid, entry.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8",
                  timeout=120)

    @classmethod
    def available(cls) -> bool:
        if not (cls.BIN / "initdb").exists():
            return False
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                return False
        return True

    def _run(self, tool: str, *args: str, timeout: float = 60) -> None:
        command = [str(self.BIN / tool), *args]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=timeout, cwd=self.directory)

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c max_connections=200 -c shared_buffers=32MB")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.directory / "server.log"),
                  "-w", "-t", "60", "start", timeout=90)

    def stop(self) -> None:
        """An immediate stop: every connection is cut, the next start recovers from the WAL."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "-t", "30", "stop", timeout=60)

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def close(self) -> None:
        try:
            if self.running():
                self.stop()
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)
