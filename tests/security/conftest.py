"""The running app (the real `create_app`, its projections and OAuth server, served through
Starlette's test transport with server exceptions turned into responses, as a client would
see them), callers with real tokens, and checks that a response gives nothing away."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from casebridge.api.app import create_app
from casebridge.infra.auth import ClientStore

AUTH_ENV = ("CASEBRIDGE_ISSUER", "CASEBRIDGE_AUDIENCE", "CASEBRIDGE_TOKEN_TTL", "CASEBRIDGE_OIDC_ISSUER",
            "CASEBRIDGE_OIDC_AUDIENCE", "CASEBRIDGE_OIDC_JWKS_URL", "CASEBRIDGE_ENV")
ALL_SCOPES = "cases:read cases:write evidence:write joint-actions:write history:read"
# What a stack trace or an internal path looks like in a response body.
LEAKS = re.compile(r'Traceback|File "[^"]*", line \d+|site-packages|/src/casebridge/|\.py\b|psycopg|sqlite3\.')


class Served:
    def __init__(self, app: Any, http: TestClient) -> None:
        self.app = app
        self.http = http
        self._clients = 0

    @property
    def application(self) -> Any:
        return self.app.state.runtime.application

    def head(self) -> int:
        return self.application.max_position()

    def settle(self) -> None:
        """Wait until the read models show everything written so far."""
        self.app.state.runtime.wait_for(self.head(), timeout=60)

    def caller(self, jurisdiction: str, scope: str = ALL_SCOPES) -> Caller:
        self._clients += 1
        credentials = ClientStore(self.app.state.db).create(jurisdiction=jurisdiction, scope=scope,
                                                            name=f"security client {self._clients}")
        response = self.http.post("/oauth/token", data={"grant_type": "client_credentials",
                                                        "client_id": credentials.client_id,
                                                        "client_secret": credentials.client_secret})
        assert response.status_code == 200, response.text
        return Caller(self, jurisdiction, response.json()["access_token"])


class Caller:
    def __init__(self, served: Served, jurisdiction: str, token: str) -> None:
        self.served, self.jurisdiction, self.token = served, jurisdiction, token

    def post(self, query: str, variables: Any = None, **kwargs: Any):
        body: dict[str, Any] = {"query": query}
        if variables is not None:
            body["variables"] = variables
        return self.served.http.post("/graphql", json=body, headers={"Authorization": f"Bearer {self.token}"}, **kwargs)

    def raw(self, content: bytes, content_type: str = "application/json"):
        return self.served.http.post("/graphql", content=content, headers={
            "Authorization": f"Bearer {self.token}", "Content-Type": content_type})

    def data(self, query: str, variables: Any = None) -> dict:
        response = self.post(query, variables)
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body
        return body["data"]


def assert_safe(response) -> None:
    """No server error, no stack trace or internal path, and every error carries a code."""
    assert response.status_code < 500, (response.status_code, response.text[:2000])
    assert not LEAKS.search(response.text), response.text[:2000]
    if response.headers.get("content-type", "").startswith("application/json"):
        body = response.json()
        for error in (body.get("errors") or []) if isinstance(body, dict) else []:
            assert isinstance((error.get("extensions") or {}).get("code"), str), error


@pytest.fixture
def served(settings, monkeypatch) -> Iterator[Served]:
    for name in AUTH_ENV:
        monkeypatch.delenv(name, raising=False)
    app = create_app(settings)
    with TestClient(app, base_url="http://localhost:8000", raise_server_exceptions=False) as http:
        yield Served(app, http)
