"""Tokens of an external OpenID provider (Keycloak-style), its JWKS served over real HTTP."""

from __future__ import annotations

import uuid

import pytest
from auth_token_helpers import signed
from joserfc.jwk import RSAKey

from casebridge.infra.auth import (
    AuthConfig,
    AuthServices,
    InvalidTokenError,
    OidcProviderConfig,
)
from casebridge.infra.database import Database

AUDIENCE = "casebridge-api"


@pytest.fixture(scope="module")
def provider_key() -> RSAKey:
    return RSAKey.generate_key(2048, private=True, auto_kid=True)


@pytest.fixture
def issuer(jwks_server) -> str:
    return jwks_server.url.split("/protocol/")[0]


@pytest.fixture
def external(sqlite_settings, jurisdictions, clock, jwks_server, provider_key, issuer):
    jwks_server.document = {"keys": [{**provider_key.as_dict(private=False), "alg": "RS256", "use": "sig"}]}
    oidc = OidcProviderConfig(issuer=issuer, audience=AUDIENCE, jwks_url=jwks_server.url, jurisdiction_claim="casebridge_jurisdiction")
    db = Database(sqlite_settings.database)
    services = AuthServices.build(db, AuthConfig(oidc=oidc), jurisdictions, clock=clock)
    yield services
    services.close()
    db.close()


def keycloak_token(key: RSAKey, issuer: str, now: float, **overrides) -> str:
    """Shaped like a Keycloak client-credentials access token with an audience mapper."""
    claims = {
        "exp": int(now) + 300,
        "iat": int(now),
        "jti": str(uuid.uuid4()),
        "iss": issuer,
        "aud": [AUDIENCE, "account"],
        "sub": "6f1d2c1e-8b0a-4d5e-9a43-2f7c1b9e0d11",
        "typ": "Bearer",
        "azp": "zhejiang-case-system",
        "scope": "openid profile cases:read history:read email",
        "clientId": "zhejiang-case-system",
        "casebridge_jurisdiction": "330000",
    }
    claims.update(overrides)
    return signed(key, claims, alg="RS256", typ="JWT")


def test_a_keycloak_style_token_with_the_jurisdiction_claim_is_accepted(external, provider_key, issuer, clock):
    principal = external.validator.validate(keycloak_token(provider_key, issuer, clock()))

    assert principal.client_id == "zhejiang-case-system"
    assert principal.subject == "6f1d2c1e-8b0a-4d5e-9a43-2f7c1b9e0d11"
    assert principal.jurisdiction == "330000"
    assert principal.scopes == frozenset({"cases:read", "history:read"})


def test_an_unknown_kid_makes_the_validator_refetch_the_rotated_jwks(external, jwks_server, provider_key, issuer, clock):
    external.validator.validate(keycloak_token(provider_key, issuer, clock()))
    rotated = RSAKey.generate_key(2048, private=True, auto_kid=True)
    jwks_server.document = {"keys": [rotated.as_dict(private=False), provider_key.as_dict(private=False)]}
    clock.advance(11)

    principal = external.validator.validate(keycloak_token(rotated, issuer, clock()))

    assert principal.jurisdiction == "330000"
    assert jwks_server.fetches == 2


def test_unknown_kids_refetch_the_jwks_at_most_once_per_ten_seconds(external, jwks_server, provider_key, issuer, clock):
    external.validator.validate(keycloak_token(provider_key, issuer, clock()))
    stranger = RSAKey.generate_key(2048, private=True, auto_kid=True)

    for _ in range(3):
        with pytest.raises(InvalidTokenError, match="signing key is unknown"):
            external.validator.validate(keycloak_token(stranger, issuer, clock()))

    assert jwks_server.fetches == 1


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"casebridge_jurisdiction": "999999"}, "jurisdiction"),
        ({"casebridge_jurisdiction": None}, "jurisdiction"),
        ({"aud": ["account"]}, "aud"),
        ({"exp": 1_000}, "expired"),
    ],
    ids=["jurisdiction not in the registry", "no jurisdiction", "not for our audience", "expired"],
)
def test_an_external_token_with_bad_claims_is_refused(external, provider_key, issuer, clock, overrides, reason):
    with pytest.raises(InvalidTokenError, match=reason):
        external.validator.validate(keycloak_token(provider_key, issuer, clock(), **overrides))


def test_the_provider_key_cannot_sign_tokens_in_our_name(external, provider_key, clock):
    forged = keycloak_token(provider_key, external.config.issuer, clock())

    with pytest.raises(InvalidTokenError):
        external.validator.validate(forged)


def test_our_own_tokens_are_still_accepted_beside_the_provider(external):
    token = external.issuer.issue(client_id="client-1", jurisdiction="310000", scopes={"cases:write"})

    assert external.validator.validate(token.access_token).jurisdiction == "310000"


def test_a_jurisdiction_claim_nested_by_a_mapper_is_found(sqlite_settings, jurisdictions, clock, jwks_server, provider_key, issuer):
    jwks_server.document = {"keys": [provider_key.as_dict(private=False)]}
    oidc = OidcProviderConfig(issuer=issuer, audience=AUDIENCE, jwks_url=jwks_server.url,
                              jurisdiction_claim="regulator.jurisdiction", scope_claim="permissions")
    db = Database(sqlite_settings.database)
    services = AuthServices.build(db, AuthConfig(oidc=oidc), jurisdictions, clock=clock)
    try:
        token = keycloak_token(provider_key, issuer, clock(), regulator={"jurisdiction": "440300"}, permissions=["cases:read"])

        principal = services.validator.validate(token)
    finally:
        services.close()
        db.close()

    assert principal.jurisdiction == "440300" and principal.scopes == frozenset({"cases:read"})
