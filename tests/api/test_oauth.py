"""The token endpoint, metadata, JWKS and bearer authentication, over HTTP on the real app."""

from __future__ import annotations

import base64
from typing import Annotated

import pytest
from fastapi import Depends
from joserfc import jwt
from joserfc.jwk import KeySet
from oauth_helpers import AsgiClient, request_token, use_clock

from casebridge.api.app import create_app
from casebridge.api.auth import authenticate_request
from casebridge.infra.auth import ClientStore, Principal

AUTH_ENV = ("CASEBRIDGE_ISSUER", "CASEBRIDGE_AUDIENCE", "CASEBRIDGE_TOKEN_TTL", "CASEBRIDGE_OIDC_ISSUER",
            "CASEBRIDGE_OIDC_AUDIENCE", "CASEBRIDGE_OIDC_JWKS_URL")
ERROR_HEADERS = {"cache-control": "no-store", "content-type": "application/json"}


@pytest.fixture
def app(settings, monkeypatch):
    for name in AUTH_ENV:
        monkeypatch.delenv(name, raising=False)
    application = create_app(settings)

    @application.get("/test/whoami")
    def whoami(principal: Annotated[Principal, Depends(authenticate_request)]) -> dict:
        return {"client_id": principal.client_id, "jurisdiction": principal.jurisdiction, "scopes": sorted(principal.scopes)}

    yield application
    application.state.auth.close()
    application.state.db.close()


@pytest.fixture
def http(app) -> AsgiClient:
    return AsgiClient(app)


@pytest.fixture
def client(app):
    return ClientStore(app.state.db).create(jurisdiction="330100", scope="cases:read cases:write history:read", name="Hangzhou")


def assert_oauth_error(response, status: int, error: str) -> None:
    assert response.status_code == status
    assert set(response.json()) == {"error", "error_description"}
    assert response.json()["error"] == error
    assert {name: response.headers[name].split(";")[0] for name in ERROR_HEADERS} == ERROR_HEADERS


def test_a_client_gets_a_token_with_http_basic(http, client):
    response = request_token(http, client.client_id, client.client_secret)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "scope"}
    assert (body["token_type"], body["expires_in"], body["scope"]) == ("Bearer", 600, "cases:read cases:write history:read")
    assert response.headers["cache-control"] == "no-store"


def test_a_client_gets_a_token_with_form_credentials(http, client):
    response = http.post("/oauth/token", data={
        "grant_type": "client_credentials", "client_id": client.client_id, "client_secret": client.client_secret,
    })

    assert response.status_code == 200 and response.json()["token_type"] == "Bearer"


def test_a_requested_scope_narrows_the_token(http, app, client):
    response = request_token(http, client.client_id, client.client_secret, scope="history:read cases:read")

    assert response.json()["scope"] == "cases:read history:read"
    principal = app.state.token_validator.validate(response.json()["access_token"])
    assert principal.scopes == frozenset({"cases:read", "history:read"})


@pytest.mark.parametrize("scope", ["evidence:write", "cases:read joint-actions:write", "cases:read superuser"])
def test_a_scope_not_granted_is_refused_as_invalid_scope(http, client, scope):
    assert_oauth_error(request_token(http, client.client_id, client.client_secret, scope=scope), 400, "invalid_scope")


@pytest.mark.parametrize("how", ["basic", "form"])
@pytest.mark.parametrize("failure", ["wrong secret", "unknown client", "revoked client"])
def test_a_client_that_fails_authentication_gets_401_invalid_client(http, app, client, how, failure):
    client_id, secret = client.client_id, client.client_secret
    if failure == "wrong secret":
        secret = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    elif failure == "unknown client":
        client_id = "cb-nobody"
    else:
        ClientStore(app.state.db).revoke(client_id)

    if how == "basic":
        response = request_token(http, client_id, secret)
    else:
        response = http.post("/oauth/token", data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret})

    assert_oauth_error(response, 401, "invalid_client")
    assert response.headers["www-authenticate"].startswith("Basic ")


def test_an_unsupported_grant_type_is_refused(http, client):
    response = http.post("/oauth/token", data={"grant_type": "password", "username": "u", "password": "p"},
                         auth=(client.client_id, client.client_secret))

    assert_oauth_error(response, 400, "unsupported_grant_type")


def _basic(client) -> str:
    return "Basic " + base64.b64encode(f"{client.client_id}:{client.client_secret}".encode()).decode()


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"grant_type": "client_credentials"}', "application/json"),
        (b"", "application/x-www-form-urlencoded"),
        (b"scope=cases:read", "application/x-www-form-urlencoded"),
        (b"grant_type=client_credentials&grant_type=client_credentials", "application/x-www-form-urlencoded"),
        (b"grant_type=client_credentials&\xff\xfe=1", "application/x-www-form-urlencoded"),
        (b"grant_type", "application/x-www-form-urlencoded"),
        (b"grant_type=client_credentials&client_secret=x", "application/x-www-form-urlencoded"),
        (b"grant_type=client_credentials", "multipart/form-data; boundary=x"),
    ],
    ids=["json body", "empty body", "no grant_type", "repeated parameter", "not utf-8", "not a form",
         "basic and form credentials together", "multipart"],
)
def test_a_malformed_token_request_is_invalid_request(http, client, body, content_type):
    response = http.post("/oauth/token", content=body, headers={"content-type": content_type, "authorization": _basic(client)})

    assert_oauth_error(response, 400, "invalid_request")


def test_the_access_token_is_an_rfc_9068_jwt_verifiable_with_the_published_jwks(http, client):
    access_token = request_token(http, client.client_id, client.client_secret).json()["access_token"]
    metadata = http.get("/.well-known/oauth-authorization-server").json()
    jwks = http.get(metadata["jwks_uri"].removeprefix(metadata["issuer"])).json()

    decoded = jwt.decode(access_token, KeySet.import_key_set(jwks), algorithms=["ES256"])

    assert decoded.header == {"typ": "at+jwt", "alg": "ES256", "kid": jwks["keys"][0]["kid"]}
    claims = decoded.claims
    assert set(claims) == {"iss", "sub", "aud", "exp", "iat", "jti", "client_id", "scope", "jurisdiction"}
    assert (claims["iss"], claims["aud"]) == ("http://localhost:8000", "casebridge-api")
    assert claims["sub"] == claims["client_id"] == client.client_id
    assert claims["exp"] - claims["iat"] == 600
    assert (claims["scope"], claims["jurisdiction"]) == ("cases:read cases:write history:read", "330100")


def test_metadata_describes_the_token_endpoint_and_the_jwks(http):
    response = http.get("/.well-known/oauth-authorization-server")

    assert response.status_code == 200
    assert response.json() == {
        "issuer": "http://localhost:8000",
        "token_endpoint": "http://localhost:8000/oauth/token",
        "jwks_uri": "http://localhost:8000/oauth/jwks",
        "grant_types_supported": ["client_credentials", "authorization_code"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "scopes_supported": ["cases:read", "cases:write", "evidence:write", "joint-actions:write", "history:read"],
        # the console's sign-in (tests/api/test_authorization_code.py)
        "authorization_endpoint": "http://localhost:8000/oauth/authorize",
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "code_challenge_methods_supported": ["S256"],
        "authorization_response_iss_parameter_supported": True,
    }


def test_the_jwks_publishes_public_keys_only(http, client):
    request_token(http, client.client_id, client.client_secret)

    keys = http.get("/oauth/jwks").json()["keys"]

    assert len(keys) == 1
    assert set(keys[0]) == {"kty", "crv", "x", "y", "kid", "alg", "use"}
    assert (keys[0]["alg"], keys[0]["use"]) == ("ES256", "sig")


def test_a_request_with_a_valid_token_is_authenticated(http, client):
    access_token = request_token(http, client.client_id, client.client_secret, scope="cases:read").json()["access_token"]

    response = http.get("/test/whoami", headers={"authorization": f"Bearer {access_token}"})

    assert response.json() == {"client_id": client.client_id, "jurisdiction": "330100", "scopes": ["cases:read"]}


@pytest.mark.parametrize("authorization", [None, "Basic dXNlcjpwYXNz", "bearer"])
def test_a_request_without_a_bearer_token_gets_a_bare_bearer_challenge(http, authorization):
    headers = {"authorization": authorization} if authorization else {}

    response = http.get("/test/whoami", headers=headers)

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="casebridge"'


@pytest.mark.parametrize("token", ["not-a-jwt", "eyJhbGciOiJub25lIn0.e30.", 'a"b\\c'])
def test_a_request_with_a_bad_token_gets_an_invalid_token_challenge(http, token):
    response = http.get("/test/whoami", headers={"authorization": f"Bearer {token}"})

    assert response.status_code == 401
    challenge = response.headers["www-authenticate"]
    assert challenge.startswith('Bearer realm="casebridge", error="invalid_token", error_description="')
    assert "Traceback" not in response.text


def test_a_request_with_an_expired_token_gets_an_invalid_token_challenge(http, app, client):
    class Clock:
        now = 1_750_000_000.0

        def __call__(self) -> float:
            return self.now

    clock = Clock()
    use_clock(app, clock)
    access_token = request_token(http, client.client_id, client.client_secret).json()["access_token"]
    clock.now += 600 + 30 + 1

    response = http.get("/test/whoami", headers={"authorization": f"Bearer {access_token}"})

    assert response.status_code == 401
    assert 'error_description="token has expired"' in response.headers["www-authenticate"]
