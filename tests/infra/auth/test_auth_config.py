"""Auth settings from the environment."""

from __future__ import annotations

import pytest

from casebridge.infra.auth import AuthConfig, AuthConfigError, OidcProviderConfig


def test_defaults_match_the_documented_ones():
    config = AuthConfig.from_env({})

    assert (config.issuer, config.audience, config.token_ttl, config.oidc) == ("http://localhost:8000", "casebridge-api", 600, None)
    assert config.token_endpoint == "http://localhost:8000/oauth/token"


def test_an_external_provider_is_configured_by_its_variables():
    config = AuthConfig.from_env({
        "CASEBRIDGE_ISSUER": "https://casebridge.example.gov.cn/",
        "CASEBRIDGE_TOKEN_TTL": "300",
        "CASEBRIDGE_OIDC_ISSUER": "https://sso.example.gov.cn/realms/regulators",
        "CASEBRIDGE_OIDC_AUDIENCE": "casebridge-api",
        "CASEBRIDGE_OIDC_JWKS_URL": "https://sso.example.gov.cn/realms/regulators/protocol/openid-connect/certs",
        "CASEBRIDGE_OIDC_JURISDICTION_CLAIM": "region_code",
    })

    assert config.issuer == "https://casebridge.example.gov.cn" and config.token_ttl == 300
    assert config.oidc == OidcProviderConfig(
        issuer="https://sso.example.gov.cn/realms/regulators",
        audience="casebridge-api",
        jwks_url="https://sso.example.gov.cn/realms/regulators/protocol/openid-connect/certs",
        jurisdiction_claim="region_code",
        scope_claim="scope",
    )


@pytest.mark.parametrize(
    "env",
    [
        {"CASEBRIDGE_OIDC_ISSUER": "https://sso.example.gov.cn/realms/r"},
        {"CASEBRIDGE_ISSUER": "http://casebridge.example.gov.cn"},
        {"CASEBRIDGE_TOKEN_TTL": "ten minutes"},
        {"CASEBRIDGE_TOKEN_TTL": "0"},
    ],
    ids=["provider without audience and JWKS", "plain http issuer off localhost", "ttl not a number", "ttl zero"],
)
def test_an_unusable_setting_is_refused_with_a_clear_message(env):
    with pytest.raises(AuthConfigError, match="CASEBRIDGE_"):
        AuthConfig.from_env(env)
