"""A live CaseBridge app per test, on both stores, and callers holding real tokens.

Every caller is a registered OAuth client whose token comes from the real `POST /oauth/token`;
the odd tokens of the access matrix (expired, signed by another key, for another audience)
are signed the way the server signs, with only that one thing wrong.
"""

from __future__ import annotations

import dataclasses
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from joserfc import jwt
from joserfc.jwk import ECKey

from casebridge.api.app import create_app
from casebridge.infra.settings import Settings
from casebridge.infra.auth import AccessTokenIssuer, ClientStore

AUTH_ENV = ("CASEBRIDGE_ISSUER", "CASEBRIDGE_AUDIENCE", "CASEBRIDGE_TOKEN_TTL", "CASEBRIDGE_OIDC_ISSUER",
            "CASEBRIDGE_OIDC_AUDIENCE", "CASEBRIDGE_OIDC_JWKS_URL", "CASEBRIDGE_ENV")
WRITE_SCOPES = "cases:read cases:write evidence:write joint-actions:write"

HANGZHOU, SHANGHAI, SUZHOU, SHENZHEN, ZHEJIANG, JIANGSU = "330100", "310000", "320500", "440300", "330000", "320000"
SHA_A = "a" * 64
SHA_B = "b" * 64


class Caller:
    """One registered client of one jurisdiction, talking GraphQL over HTTP."""

    def __init__(self, api: Api, client_id: str, client_secret: str, jurisdiction: str, scope: str) -> None:
        self.api = api
        self.client_id = client_id
        self.client_secret = client_secret
        self.jurisdiction = jurisdiction
        self.scope = scope
        self.token = api.token(client_id, client_secret)

    def post(self, query: str, variables: dict | None = None, *, token: str | None = None, **kwargs: Any):
        token = self.token if token is None else token
        body: dict[str, Any] = {"query": query}
        if variables is not None:
            body["variables"] = variables
        return self.api.http.post("/graphql", json=body, headers={"Authorization": f"Bearer {token}"}, **kwargs)

    def gql(self, query: str, variables: dict | None = None, *, status: int = 200, **kwargs: Any) -> dict:
        response = self.post(query, variables, **kwargs)
        assert response.status_code == status, response.text
        return response.json()

    def data(self, query: str, variables: dict | None = None) -> dict:
        """The `data` of a request that must succeed without errors."""
        body = self.gql(query, variables)
        assert "errors" not in body, body["errors"]
        return body["data"]

    def mutate(self, name: str, input: dict, selection: str = "") -> dict:
        """Runs mutation `name` with `input`; returns its result (with `__typename` and, for
        problems, `code message`)."""
        return self.data(mutation(name, selection), {"input": input})[name]

    def succeed(self, name: str, input: dict, selection: str = "") -> dict:
        result = self.mutate(name, input, selection)
        assert result["__typename"] == name[0].upper() + name[1:] + "Success", result
        return result


def mutation(name: str, selection: str = "") -> str:
    type_name = name[0].upper() + name[1:]
    return f"""mutation($input: {type_name}Input!) {{
      {name}(input: $input) {{
        __typename
        ... on Problem {{ code message }}
        ... on ValidationProblem {{ field }}
        ... on NotFoundProblem {{ field }}
        ... on ConflictProblem {{ currentVersion }}
        ... on {type_name}Success {{ clientMutationId {selection} }}
      }}
    }}"""


class Api:
    def __init__(self, app, http: TestClient) -> None:
        self.app = app
        self.http = http
        self._callers = 0

    def caller(self, jurisdiction: str, scope: str = WRITE_SCOPES) -> Caller:
        self._callers += 1
        credentials = ClientStore(self.app.state.db).create(jurisdiction=jurisdiction, scope=scope,
                                                            name=f"test client {self._callers} of {jurisdiction}")
        return Caller(self, credentials.client_id, credentials.client_secret, jurisdiction, scope)

    def token(self, client_id: str, client_secret: str) -> str:
        response = self.http.post("/oauth/token", data={"grant_type": "client_credentials", "client_id": client_id,
                                                       "client_secret": client_secret})
        assert response.status_code == 200, response.text
        return response.json()["access_token"]

    # -- tokens with one thing wrong ------------------------------------------------------------

    def _issuer(self, **config_changes: Any) -> AccessTokenIssuer:
        auth = self.app.state.auth
        return AccessTokenIssuer(auth.keys, dataclasses.replace(auth.config, **config_changes))

    def expired_token(self, caller: Caller) -> str:
        auth = self.app.state.auth
        an_hour_ago = time.time() - 3600
        issuer = AccessTokenIssuer(auth.keys, auth.config, clock=lambda: an_hour_ago)
        return issuer.issue(client_id=caller.client_id, jurisdiction=caller.jurisdiction, scopes=caller.scope.split()).access_token

    def wrong_audience_token(self, caller: Caller) -> str:
        issuer = self._issuer(audience="someone-elses-api")
        return issuer.issue(client_id=caller.client_id, jurisdiction=caller.jurisdiction, scopes=caller.scope.split()).access_token

    def forged_token(self, caller: Caller) -> str:
        """The caller's own token, header and claims unchanged, signed by a key we never issued."""
        header, claims = _decode_unverified(caller.token)
        return jwt.encode(header, claims, ECKey.generate_key("P-256"), algorithms=[header["alg"]])

    # -- state --------------------------------------------------------------------------------------

    @property
    def application(self):
        return self.app.state.runtime.application

    def log_head(self) -> int:
        return self.application.max_position()


def _decode_unverified(token: str) -> tuple[dict, dict]:
    import base64
    import json

    def part(segment: str) -> dict:
        return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))

    header, claims, _ = token.split(".")
    return part(header), part(claims)


def _configured(settings: Settings, **environment: str) -> Settings:
    """`settings` as `Settings.from_env` reads them from an environment with these variables
    as well (the database stays `settings`'s)."""
    return Settings.from_env({"CASEBRIDGE_DATABASE_URL": settings.database.raw,
                              "CASEBRIDGE_ENV": settings.environment,
                              "CASEBRIDGE_JURISDICTIONS_FILE": settings.jurisdictions_file,
                              "CASEBRIDGE_HOLIDAYS_FILE": settings.holidays_file, **environment})


@pytest.fixture
def configured():
    """`configured(settings, CASEBRIDGE_X="...")`: the settings a process started with those variables builds."""
    return _configured


@pytest.fixture
def make_api(monkeypatch):
    """Builds a served app on `settings` (with environment overrides); stopped after the test."""
    for name in AUTH_ENV:
        monkeypatch.delenv(name, raising=False)
    started: list[TestClient] = []

    def make(settings, **environment: str) -> Api:
        if environment:
            settings = dataclasses.replace(settings, **environment)
        app = create_app(settings)
        http = TestClient(app, base_url="http://localhost:8000")
        http.__enter__()
        started.append(http)
        return Api(app, http)

    yield make
    for http in started:
        http.__exit__(None, None, None)


@pytest.fixture
def api(make_api, settings) -> Api:
    return make_api(settings)


@pytest.fixture
def hangzhou(api) -> Caller:
    return api.caller(HANGZHOU)


@pytest.fixture
def shanghai(api) -> Caller:
    return api.caller(SHANGHAI)


@pytest.fixture
def suzhou(api) -> Caller:
    return api.caller(SUZHOU)


@pytest.fixture
def shenzhen(api) -> Caller:
    return api.caller(SHENZHEN)


def open_case_input(**overrides: Any) -> dict:
    value = {
        "title": "Counterfeit chargers sold by livestream",
        "summary": "Phone chargers without CCC marks sold during livestreams.",
        "subject": {"name": "Hangzhou Bright Trading Co.", "kind": "LIVESTREAM_SELLER", "identifier": "91330100MA2XXXXX1"},
        "category": "COUNTERFEIT",
    }
    value.update(overrides)
    return value


@pytest.fixture
def open_case():
    """Opens a case as `caller` and returns its id and version."""

    def open_(caller: Caller, **overrides: Any) -> dict:
        return caller.succeed("openCase", open_case_input(**overrides), "case { id version }")["case"]

    return open_
