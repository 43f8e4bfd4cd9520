"""The authorization code flow with PKCE for the console, over HTTP on the real app: codes,
verifiers, redirect URIs, errors before and after the redirect URI is trusted, metadata."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

import pytest
from fastapi import Depends
from test_authorization_code_helpers import (
    CALLBACK,
    CONSOLE,
    PASSWORD,
    Browser,
    Pkce,
    callback_params,
    rewire,
)

from casebridge.api.app import create_app
from casebridge.api.auth import authenticate_request
from casebridge.infra.auth import ClientStore, InvalidTokenError, Principal

AUTH_ENV = ("CASEBRIDGE_ISSUER", "CASEBRIDGE_AUDIENCE", "CASEBRIDGE_TOKEN_TTL", "CASEBRIDGE_OIDC_ISSUER",
            "CASEBRIDGE_OIDC_AUDIENCE", "CASEBRIDGE_OIDC_JWKS_URL", "CASEBRIDGE_CONSOLE_REDIRECT_URIS",
            "CASEBRIDGE_OIDC_AUTHORIZATION_ENDPOINT", "CASEBRIDGE_OIDC_TOKEN_ENDPOINT", "CASEBRIDGE_OIDC_CONSOLE_CLIENT_ID")


class Clock:
    def __init__(self) -> None:
        self.now = 1_750_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(settings, monkeypatch, clock):
    for name in AUTH_ENV:
        monkeypatch.delenv(name, raising=False)
    application = create_app(settings)
    rewire(application, clock)

    @application.get("/test/whoami")
    def whoami(principal: Annotated[Principal, Depends(authenticate_request)]) -> dict:
        return {"client_id": principal.client_id, "subject": principal.subject, "jurisdiction": principal.jurisdiction,
                "scopes": sorted(principal.scopes)}

    yield application
    application.state.auth.close()
    application.state.db.close()


@pytest.fixture
def browser(app) -> Browser:
    return Browser(app)


@pytest.fixture
def li_wei(app):
    return app.state.auth.users.create(username="li.wei", password=PASSWORD, jurisdiction="330100",
                                       scope="cases:read cases:write history:read", display_name="李伟")


def test_a_user_signs_in_and_the_console_gets_a_token_that_names_them(app, browser, li_wei):
    form = browser.authorize(scope="cases:read cases:write history:read")
    assert form.status_code == 200 and "<form" in form.text

    redirect = browser.submit(form, "li.wei", PASSWORD)

    assert redirect.status_code == 303
    params = callback_params(redirect)
    assert params["state"] == browser.state and params["iss"] == "http://localhost:8000"
    response = browser.token(params["code"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "scope"}
    assert (body["token_type"], body["expires_in"], body["scope"]) == ("Bearer", 600, "cases:read cases:write history:read")
    assert response.headers["cache-control"] == "no-store"
    principal = app.state.auth.validator.validate(body["access_token"])
    assert (principal.subject, principal.client_id, principal.jurisdiction) == ("li.wei", CONSOLE, "330100")
    assert principal.scopes == frozenset({"cases:read", "cases:write", "history:read"})


def test_the_token_authenticates_api_requests_as_the_user(browser, li_wei):
    token = browser.signed_in_token("li.wei")["access_token"]

    response = browser.http.get("/test/whoami", headers={"authorization": f"Bearer {token}"})

    assert response.json() == {"client_id": CONSOLE, "subject": "li.wei", "jurisdiction": "330100",
                               "scopes": ["cases:read", "cases:write", "history:read"]}


def test_a_requested_scope_narrows_the_users_scopes_and_never_widens_them(app, browser, li_wei):
    body = browser.signed_in_token("li.wei", scope="cases:read evidence:write")

    assert body["scope"] == "cases:read"
    assert app.state.auth.validator.validate(body["access_token"]).scopes == frozenset({"cases:read"})


def test_without_a_scope_the_token_carries_all_of_the_users_scopes(browser, li_wei):
    assert browser.signed_in_token("li.wei")["scope"] == "cases:read cases:write history:read"


def test_asking_only_for_scopes_the_user_lacks_is_sent_back_as_invalid_scope(browser, li_wei):
    redirect = browser.sign_in("li.wei", scope="evidence:write")

    params = callback_params(redirect)
    assert params["error"] == "invalid_scope" and params["state"] == browser.state and "code" not in params


def test_a_wrong_code_verifier_is_invalid_grant(browser, li_wei):
    code = browser.code_from(browser.sign_in("li.wei"))

    response = browser.token(code, code_verifier=Pkce().verifier)

    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_a_token_request_without_the_code_verifier_is_refused(browser, li_wei):
    code = browser.code_from(browser.sign_in("li.wei"))

    response = browser.token(code, code_verifier=None)

    assert response.status_code == 400 and response.json()["error"] == "invalid_request"


def test_a_code_used_twice_is_invalid_grant_and_the_token_issued_with_it_is_revoked(app, browser, li_wei):
    code = browser.code_from(browser.sign_in("li.wei"))
    first = browser.token(code)
    assert first.status_code == 200
    token = first.json()["access_token"]
    assert browser.http.get("/test/whoami", headers={"authorization": f"Bearer {token}"}).status_code == 200

    again = browser.token(code)

    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    with pytest.raises(InvalidTokenError, match="revoked"):
        app.state.auth.validator.validate(token)
    refused = browser.http.get("/test/whoami", headers={"authorization": f"Bearer {token}"})
    assert refused.status_code == 401 and "revoked" in refused.headers["www-authenticate"]


def test_a_code_is_good_for_sixty_seconds(browser, li_wei, clock):
    code = browser.code_from(browser.sign_in("li.wei"))
    clock.now += 59

    assert browser.token(code).status_code == 200


def test_an_expired_code_is_invalid_grant(browser, li_wei, clock):
    code = browser.code_from(browser.sign_in("li.wei"))
    clock.now += 61

    response = browser.token(code)

    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_a_code_redeemed_with_another_redirect_uri_is_invalid_grant(browser, li_wei):
    code = browser.code_from(browser.sign_in("li.wei"))

    response = browser.token(code, redirect_uri="http://127.0.0.1:8000/console/callback")

    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_a_code_redeemed_without_its_redirect_uri_is_invalid_grant(browser, li_wei):
    code = browser.code_from(browser.sign_in("li.wei"))

    assert browser.token(code, redirect_uri=None).json()["error"] == "invalid_grant"


def test_a_made_up_code_is_invalid_grant(browser, li_wei):
    assert browser.token("not-a-code-we-issued").json()["error"] == "invalid_grant"


def test_the_console_client_cannot_authenticate_with_a_secret_or_use_client_credentials(browser, li_wei):
    code = browser.code_from(browser.sign_in("li.wei"))

    with_secret = browser.token(code, client_secret="guess")
    credentials = browser.http.post("/oauth/token", data={"grant_type": "client_credentials", "client_id": CONSOLE})

    assert with_secret.status_code == 401 and with_secret.json()["error"] == "invalid_client"
    assert credentials.status_code == 401 and credentials.json()["error"] == "invalid_client"


def test_a_registered_client_cannot_redeem_a_console_code(app, browser, li_wei):
    client = ClientStore(app.state.db).create(jurisdiction="330100", scope="cases:read")
    code = browser.code_from(browser.sign_in("li.wei"))

    response = browser.http.post("/oauth/token", auth=(client.client_id, client.client_secret), data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK, "code_verifier": browser.pkce.verifier})

    assert response.status_code in (400, 401) and response.json()["error"] in ("invalid_client", "unauthorized_client")


@pytest.mark.parametrize(
    "overrides",
    [{"code_challenge_method": "plain"}, {"code_challenge_method": None}, {"code_challenge": None, "code_challenge_method": None},
     {"code_challenge": "too-short"}],
    ids=["plain", "no method (plain by default)", "no code challenge", "malformed challenge"],
)
def test_an_authorization_request_without_an_s256_challenge_is_sent_back_as_invalid_request(browser, overrides):
    response = browser.authorize(**overrides)

    assert response.status_code == 302
    params = callback_params(response)
    assert params["error"] == "invalid_request" and params["state"] == browser.state and "code" not in params


def test_an_authorization_request_without_state_is_sent_back_as_invalid_request(browser):
    response = browser.authorize(state=None)

    assert response.status_code == 302 and callback_params(response)["error"] == "invalid_request"


def test_an_unsupported_response_type_is_sent_back(browser):
    response = browser.authorize(response_type="token")

    assert response.status_code == 302 and callback_params(response)["error"] == "unsupported_response_type"


def test_an_unknown_scope_is_sent_back_as_invalid_scope(browser):
    response = browser.authorize(scope="cases:read cases:delete")

    assert response.status_code == 302 and callback_params(response)["error"] == "invalid_scope"


@pytest.mark.parametrize(
    "overrides",
    [
        {"client_id": "no-such-client"},
        {"client_id": None},
        {"redirect_uri": "https://evil.example/console/callback"},
        {"redirect_uri": "http://localhost:8000/console/callback/../steal"},
        {"redirect_uri": "http://localhost:8000/console/callback?x=1"},
        {"redirect_uri": None},
        {"redirect_uri": 'http://localhost:8000/"><script>alert(1)</script>'},
    ],
    ids=["unknown client", "no client", "foreign redirect URI", "redirect URI with more path",
         "redirect URI with a query", "no redirect URI", "markup in the redirect URI"],
)
def test_a_request_whose_redirect_uri_cannot_be_trusted_gets_an_error_page_and_no_redirect(browser, overrides):
    response = browser.authorize(**overrides)

    assert response.status_code == 400
    assert "location" not in response.headers
    assert response.headers["content-type"].startswith("text/html")
    assert "无法登录" in response.text and "Cannot sign in" in response.text
    assert "<script>" not in response.text and "evil.example" not in response.text


def test_a_registered_machine_client_cannot_start_the_code_flow(app, browser):
    client = ClientStore(app.state.db).create(jurisdiction="330100", scope="cases:read")

    response = browser.authorize(client_id=client.client_id)

    assert response.status_code == 400 and "location" not in response.headers


def test_a_prompt_none_request_without_a_session_is_sent_back_as_login_required(browser):
    response = browser.authorize(prompt="none")

    assert response.status_code == 302 and callback_params(response)["error"] == "login_required"


def test_the_other_registered_redirect_uri_works_too(browser, li_wei):
    other = "http://127.0.0.1:8000/console/callback"
    redirect = browser.sign_in("li.wei", redirect_uri=other)
    assert redirect.headers["location"].startswith(other + "?")
    code = dict(p.split("=", 1) for p in urlsplit(redirect.headers["location"]).query.split("&"))["code"]

    assert browser.token(code, redirect_uri=other).status_code == 200


def test_metadata_lists_the_authorization_endpoint_and_pkce(browser):
    metadata = browser.http.get("/.well-known/oauth-authorization-server").json()

    assert metadata["authorization_endpoint"] == "http://localhost:8000/oauth/authorize"
    assert metadata["response_types_supported"] == ["code"]
    assert metadata["code_challenge_methods_supported"] == ["S256"]
    assert metadata["grant_types_supported"] == ["client_credentials", "authorization_code"]
    assert "none" in metadata["token_endpoint_auth_methods_supported"]


def test_console_config_points_at_the_embedded_server_by_default(browser):
    response = browser.http.get("/console/config.json")

    assert response.status_code == 200
    config = response.json()
    assert {k: config[k] for k in ("authorizationEndpoint", "tokenEndpoint", "clientId", "redirectUri", "logoutEndpoint")} == {
        "authorizationEndpoint": "http://localhost:8000/oauth/authorize",
        "tokenEndpoint": "http://localhost:8000/oauth/token",
        "clientId": CONSOLE,
        "redirectUri": CALLBACK,
        "logoutEndpoint": "http://localhost:8000/oauth/logout",
    }
    assert config["scope"].split() == ["cases:read", "cases:write", "evidence:write", "joint-actions:write", "history:read"]


def test_console_config_points_at_the_external_provider_when_one_is_configured(settings, monkeypatch, configured):
    for name in AUTH_ENV:
        monkeypatch.delenv(name, raising=False)
    realm = "https://sso.amr.example/realms/regulators/protocol/openid-connect"
    application = create_app(configured(
        settings,
        CASEBRIDGE_OIDC_ISSUER="https://sso.amr.example/realms/regulators",
        CASEBRIDGE_OIDC_AUDIENCE="casebridge-api",
        CASEBRIDGE_OIDC_JWKS_URL=f"{realm}/certs",
        CASEBRIDGE_OIDC_AUTHORIZATION_ENDPOINT=f"{realm}/auth",
        CASEBRIDGE_OIDC_TOKEN_ENDPOINT=f"{realm}/token",
        CASEBRIDGE_OIDC_CONSOLE_CLIENT_ID="casebridge-console-sso",
        CASEBRIDGE_OIDC_END_SESSION_ENDPOINT=f"{realm}/logout",
    ))
    try:
        config = Browser(application, base_url="http://127.0.0.1:8000").http.get("/console/config.json").json()
    finally:
        application.state.auth.close()
        application.state.db.close()

    assert {k: config[k] for k in ("authorizationEndpoint", "tokenEndpoint", "clientId", "redirectUri", "scope", "logoutEndpoint")} == {
        "authorizationEndpoint": f"{realm}/auth",
        "tokenEndpoint": f"{realm}/token",
        "clientId": "casebridge-console-sso",
        "redirectUri": "http://127.0.0.1:8000/console/callback",
        "scope": "openid",
        "logoutEndpoint": f"{realm}/logout",
    }
