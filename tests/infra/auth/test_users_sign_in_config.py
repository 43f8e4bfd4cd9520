"""The settings of the console's sign-in: redirect URIs, session lifetime, external provider."""

from __future__ import annotations

import pytest

from casebridge.infra.auth import AuthConfig, AuthConfigError

OIDC = {
    "CASEBRIDGE_OIDC_ISSUER": "https://sso.amr.example/realms/regulators",
    "CASEBRIDGE_OIDC_AUDIENCE": "casebridge-api",
    "CASEBRIDGE_OIDC_JWKS_URL": "https://sso.amr.example/realms/regulators/protocol/openid-connect/certs",
}
CONSOLE_OIDC = {
    "CASEBRIDGE_OIDC_AUTHORIZATION_ENDPOINT": "https://sso.amr.example/realms/regulators/protocol/openid-connect/auth",
    "CASEBRIDGE_OIDC_TOKEN_ENDPOINT": "https://sso.amr.example/realms/regulators/protocol/openid-connect/token",
    "CASEBRIDGE_OIDC_CONSOLE_CLIENT_ID": "casebridge-console",
}


def test_by_default_the_console_comes_back_to_localhost_and_sessions_last_eight_hours():
    config = AuthConfig.from_env({})

    assert config.console_redirect_uris == ("http://localhost:8000/console/callback", "http://127.0.0.1:8000/console/callback")
    assert config.console_session_ttl == 8 * 3600
    assert config.console_oidc is None
    assert config.authorization_endpoint == "http://localhost:8000/oauth/authorize"


def test_redirect_uris_are_a_comma_separated_list():
    config = AuthConfig.from_env({"CASEBRIDGE_CONSOLE_REDIRECT_URIS":
                                  "https://casebridge.amr.example/console/callback, https://cb.amr.example/app/console/callback"})

    assert config.console_redirect_uris == ("https://casebridge.amr.example/console/callback",
                                            "https://cb.amr.example/app/console/callback")


@pytest.mark.parametrize(
    "uri",
    ["http://casebridge.amr.example/console/callback", "https://casebridge.amr.example/elsewhere",
     "https://casebridge.amr.example/console/callback#x", "javascript:alert(1)//console/callback"],
    ids=["plain http off localhost", "another path", "a fragment", "not http"],
)
def test_a_redirect_uri_the_console_cannot_safely_use_is_refused(uri):
    with pytest.raises(AuthConfigError, match="CASEBRIDGE_CONSOLE_REDIRECT_URIS"):
        AuthConfig.from_env({"CASEBRIDGE_CONSOLE_REDIRECT_URIS": uri})


def test_the_console_signs_in_at_an_external_provider_when_it_is_configured():
    config = AuthConfig.from_env({**OIDC, **CONSOLE_OIDC, "CASEBRIDGE_OIDC_CONSOLE_SCOPE": "openid profile"})

    assert config.console_oidc.client_id == "casebridge-console"
    assert config.console_oidc.scope == "openid profile"
    assert config.console_oidc.end_session_endpoint is None


def test_a_partial_external_sign_in_setting_is_refused():
    with pytest.raises(AuthConfigError, match="CASEBRIDGE_OIDC_CONSOLE_CLIENT_ID"):
        AuthConfig.from_env({**OIDC, **{k: v for k, v in CONSOLE_OIDC.items() if "CLIENT_ID" not in k}})


def test_signing_in_at_a_provider_whose_tokens_are_not_accepted_is_refused():
    with pytest.raises(AuthConfigError, match="CASEBRIDGE_OIDC_ISSUER"):
        AuthConfig.from_env(CONSOLE_OIDC)
