"""Fixtures for the auth tests: a controllable clock, the wired auth services on a real
database, and a real HTTP server standing in for an external OpenID provider's JWKS."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from casebridge.domain.jurisdictions import JurisdictionRegistry
from casebridge.infra.auth import AuthConfig, AuthServices
from casebridge.infra.database import Database

START = 1_750_000_000.0


class FakeClock:
    """Seconds since the epoch that move only when a test says so."""

    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def jurisdictions() -> JurisdictionRegistry:
    return JurisdictionRegistry.load()


@pytest.fixture
def db(settings) -> Iterator[Database]:
    database = Database(settings.database)
    yield database
    database.close()


@pytest.fixture
def auth(db, jurisdictions, clock) -> Iterator[AuthServices]:
    services = AuthServices.build(db, AuthConfig(), jurisdictions, clock=clock)
    yield services
    services.close()


class JwksServer:
    """Serves `document` at `url` and counts the fetches."""

    def __init__(self) -> None:
        self.document: dict = {"keys": []}
        self.fetches = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.fetches += 1
                body = json.dumps(server.document).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}/realms/regulators/protocol/openid-connect/certs"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()


@pytest.fixture
def jwks_server() -> Iterator[JwksServer]:
    server = JwksServer()
    yield server
    server.stop()
