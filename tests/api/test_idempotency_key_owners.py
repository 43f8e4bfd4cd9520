"""An idempotency key belongs to one principal (issuer, client, user): a client of an external
OpenID provider whose client_id equals a local client's never gets the local client's result,
and the events say which issuer stood behind the actor. Two real token issuers: CaseBridge's
own `/oauth/token`, and an external provider whose JWKS is served over real HTTP."""

from __future__ import annotations

import time
import uuid
from uuid import UUID

import pytest
from conftest import HANGZHOU, SHENZHEN, mutation, open_case_input
from infra.auth.conftest import JwksServer
from joserfc import jwt
from joserfc.jwk import RSAKey

AUDIENCE = "casebridge-api"
CASE = "case { id reference handlingJurisdiction { code } }"


@pytest.fixture
def provider():
    server = JwksServer()
    key = RSAKey.generate_key(2048, private=True, auto_kid=True)
    server.document = {"keys": [{**key.as_dict(private=False), "alg": "RS256", "use": "sig"}]}
    server.key = key
    server.issuer = server.url.split("/protocol/")[0]
    yield server
    server.stop()


@pytest.fixture
def two_issuers(make_api, settings, provider, configured):
    return make_api(configured(settings, CASEBRIDGE_OIDC_ISSUER=provider.issuer, CASEBRIDGE_OIDC_AUDIENCE=AUDIENCE,
                               CASEBRIDGE_OIDC_JWKS_URL=provider.url))


def external_token(provider, *, client_id: str, jurisdiction: str) -> str:
    """A client-credentials token of the provider whose subject is the client itself."""
    now = int(time.time())
    claims = {"iss": provider.issuer, "aud": AUDIENCE, "sub": client_id, "client_id": client_id, "exp": now + 300,
              "iat": now, "jti": str(uuid.uuid4()), "scope": "cases:read cases:write", "jurisdiction": jurisdiction}
    return jwt.encode({"alg": "RS256", "kid": provider.key.kid, "typ": "JWT"}, claims, provider.key, algorithms=["RS256"])


def open_with(caller, key: str, token: str | None = None) -> dict:
    body = caller.gql(mutation("openCase", CASE), {"input": open_case_input(clientMutationId=key)}, token=token)
    assert "errors" not in body, body
    return body["data"]["openCase"]


def test_the_same_key_from_an_external_client_with_a_local_client_id_is_its_own(two_issuers, provider):
    local = two_issuers.caller(HANGZHOU)
    theirs = external_token(provider, client_id=local.client_id, jurisdiction=SHENZHEN)

    mine = open_with(local, "open-1")
    other = open_with(local, "open-1", token=theirs)
    mine_again = open_with(local, "open-1")
    other_again = open_with(local, "open-1", token=theirs)

    assert other["__typename"] == "OpenCaseSuccess", other
    assert other["case"]["handlingJurisdiction"]["code"] == SHENZHEN and other["case"]["id"] != mine["case"]["id"]
    assert mine_again == mine and other_again == other


def test_the_event_records_the_external_issuer_and_none_for_our_own(two_issuers, provider):
    local = two_issuers.caller(HANGZHOU)
    theirs = external_token(provider, client_id=local.client_id, jurisdiction=SHENZHEN)

    ours = open_with(local, "k")["case"]["id"]
    external = open_with(local, "k", token=theirs)["case"]["id"]

    app = two_issuers.application
    assert app.get_case(UUID(ours)).opened_by.issuer is None
    assert app.get_case(UUID(external)).opened_by.issuer == provider.issuer
