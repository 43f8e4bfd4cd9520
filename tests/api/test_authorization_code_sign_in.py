"""Signing in at the authorization endpoint, over HTTP on the real app: the login form, its
CSRF token, the session cookie, sign-out, throttled failures, disabled users."""

from __future__ import annotations

import re

import pytest
from test_authorization_code_helpers import (
    CALLBACK,
    PASSWORD,
    Browser,
    callback_params,
    form_fields,
    rewire,
)

from casebridge.api.app import create_app
from casebridge.infra.auth import ClientStore, InvalidTokenError
from casebridge.infra.auth.sign_in.login_throttle import LoginThrottle

AUTH_ENV = ("CASEBRIDGE_ISSUER", "CASEBRIDGE_AUDIENCE", "CASEBRIDGE_TOKEN_TTL", "CASEBRIDGE_OIDC_ISSUER",
            "CASEBRIDGE_OIDC_AUDIENCE", "CASEBRIDGE_OIDC_JWKS_URL", "CASEBRIDGE_CONSOLE_REDIRECT_URIS")
WRONG = "wrong password!!"


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
    yield application
    application.state.auth.close()
    application.state.db.close()


@pytest.fixture
def browser(app) -> Browser:
    return Browser(app)


@pytest.fixture
def users(app):
    return app.state.auth.users


@pytest.fixture
def li_wei(users):
    return users.create(username="li.wei", password=PASSWORD, jurisdiction="330100", scope="cases:read cases:write")


def set_cookies(response) -> dict[str, str]:
    """Set-Cookie headers of a response, by cookie name."""
    return {header.split("=", 1)[0]: header for header in response.headers.get_list("set-cookie")}


def with_session_cookie(app, session_id: str) -> Browser:
    """Another browser presenting a copy of a session cookie."""
    browser = Browser(app)
    browser.http.cookies.set("cb_session", session_id)
    return browser


def problem_text(response) -> str:
    match = re.search(r'<p class="problem"[^>]*>(.*?)</p>', response.text, re.DOTALL)
    return match.group(1) if match else ""


def test_the_login_form_is_plain_bilingual_html_that_loads_nothing_else(browser):
    response = browser.authorize()

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = response.text
    for label in ("用户名", "Username", "密码", "Password", "登录", "Sign in"):
        assert label in page
    assert '<label for="username">' in page and '<label for="password">' in page
    assert 'autocomplete="current-password"' in page and '<html lang="zh-CN">' in page
    assert "<script" not in page and "src=" not in page and "<link" not in page and "@import" not in page
    headers = response.headers
    assert headers["cache-control"] == "no-store" and headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"
    csp = headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "script-src" not in csp
    assert "form-action 'self' http://localhost:8000" in csp


def test_the_login_form_carries_the_authorization_request_and_a_csrf_token(browser):
    fields = form_fields(browser.authorize(scope="cases:read").text)

    assert fields["client_id"] == "casebridge-console" and fields["redirect_uri"] == CALLBACK
    assert fields["state"] == browser.state and fields["code_challenge"] == browser.pkce.challenge
    assert fields["scope"] == "cases:read" and len(fields["csrf_token"]) >= 43
    assert fields["username"] == "" and fields["password"] == ""


def test_signing_in_sets_an_httponly_lax_session_cookie_scoped_to_the_oauth_paths(browser, li_wei):
    redirect = browser.sign_in("li.wei")

    cookie = set_cookies(redirect)["cb_session"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/oauth" in cookie
    assert "max-age=28800" in cookie and "secure" not in cookie  # plain http on localhost


def test_on_https_the_cookies_are_secure(settings, monkeypatch, configured):
    for name in AUTH_ENV:
        monkeypatch.delenv(name, raising=False)
    application = create_app(configured(settings, CASEBRIDGE_ISSUER="https://casebridge.amr.example",
                                        CASEBRIDGE_CONSOLE_REDIRECT_URIS="https://casebridge.amr.example/console/callback"))
    try:
        application.state.auth.users.create(username="li.wei", password=PASSWORD, jurisdiction="330100", scope="cases:read")
        browser = Browser(application, base_url="https://casebridge.amr.example")
        form = browser.authorize(redirect_uri="https://casebridge.amr.example/console/callback")
        redirect = browser.submit(form, "li.wei", PASSWORD)
    finally:
        application.state.auth.close()
        application.state.db.close()

    assert "secure" in set_cookies(form)["cb_login_csrf"].lower()
    assert redirect.status_code == 303 and "secure" in set_cookies(redirect)["cb_session"].lower()


def test_a_signed_in_browser_gets_a_code_without_the_form(browser, li_wei):
    browser.token(browser.code_from(browser.sign_in("li.wei")))

    again = browser.authorize()

    assert again.status_code == 302
    assert browser.token(browser.code_from(again)).status_code == 200


def test_another_browser_is_not_signed_in(app, browser, li_wei):
    browser.sign_in("li.wei")

    assert Browser(app).authorize().status_code == 200


def test_prompt_login_shows_the_form_even_to_a_signed_in_browser(browser, li_wei):
    browser.sign_in("li.wei")

    assert browser.authorize(prompt="login").status_code == 200


def test_the_session_ends_after_eight_hours(browser, li_wei, clock):
    browser.sign_in("li.wei")
    clock.now += 8 * 3600 + 1

    assert browser.authorize().status_code == 200


def test_signing_out_ends_the_session_and_clears_its_cookie(app, browser, li_wei):
    redirect = browser.sign_in("li.wei")
    session_id = browser.http.cookies.get("cb_session")

    response = browser.http.post("/oauth/logout")

    assert response.status_code == 204
    cleared = set_cookies(response)["cb_session"].lower()
    assert "max-age=0" in cleared and "path=/oauth" in cleared
    assert redirect.status_code == 303 and browser.authorize().status_code == 200
    assert with_session_cookie(app, session_id).authorize().status_code == 200  # a copy kept from before


def test_signing_out_with_the_consoles_token_revokes_it(app, browser, li_wei):
    token = browser.signed_in_token("li.wei")["access_token"]

    response = browser.http.post("/oauth/logout", headers={"authorization": f"Bearer {token}"})

    assert response.status_code == 204
    with pytest.raises(InvalidTokenError, match="revoked"):
        app.state.auth.validator.validate(token)


def test_signing_out_with_a_machine_clients_token_leaves_it_alone(app, browser):
    client = ClientStore(app.state.db).create(jurisdiction="330100", scope="cases:read")
    token = browser.http.post("/oauth/token", data={"grant_type": "client_credentials"},
                              auth=(client.client_id, client.client_secret)).json()["access_token"]

    assert browser.http.post("/oauth/logout", headers={"authorization": f"Bearer {token}"}).status_code == 204
    assert app.state.auth.validator.validate(token).client_id == client.client_id


def test_signing_out_without_a_session_is_harmless(browser):
    assert browser.http.post("/oauth/logout").status_code == 204


@pytest.mark.parametrize(
    "csrf",
    ["missing", "wrong", "from another request", "no cookie"],
)
def test_a_login_post_without_the_right_csrf_token_is_refused_before_the_password_is_checked(app, browser, li_wei, csrf):
    form = browser.authorize()
    changes: dict[str, str | None] = {}
    if csrf == "missing":
        changes["csrf_token"] = None
    elif csrf == "wrong":
        changes["csrf_token"] = "A" * 43
    elif csrf == "from another request":
        changes["csrf_token"] = form_fields(browser.authorize(state="another-state").text)["csrf_token"]
    else:
        browser.http.cookies.clear()

    response = browser.submit(form, "li.wei", PASSWORD, **changes)

    assert response.status_code == 403 and "location" not in response.headers
    assert "cb_session" not in set_cookies(response)
    assert "please sign in again" in problem_text(response) and "登录表单已过期" in problem_text(response)
    retry = browser.submit(response, "li.wei", PASSWORD)  # the page comes with a fresh form that works
    assert retry.status_code == 303 and "code" in callback_params(retry)


def test_a_login_post_whose_authorization_request_was_tampered_with_is_refused(browser, li_wei):
    form = browser.authorize()

    response = browser.submit(form, "li.wei", PASSWORD, redirect_uri="https://evil.example/console/callback")

    assert response.status_code == 400 and "location" not in response.headers


def test_a_wrong_password_shows_the_form_again_with_a_generic_message(browser, li_wei):
    response = browser.sign_in("li.wei", WRONG)

    assert response.status_code == 401 and "location" not in response.headers
    assert "用户名或密码错误" in problem_text(response) and "Wrong username or password" in problem_text(response)
    assert form_fields(response.text)["username"] == "li.wei"
    assert "cb_session" not in set_cookies(response)


def test_an_unknown_username_gets_the_same_answer_as_a_wrong_password(browser, li_wei):
    wrong_password = browser.sign_in("li.wei", WRONG)
    unknown_user = browser.sign_in("wang.fang", WRONG)

    assert unknown_user.status_code == wrong_password.status_code == 401
    assert problem_text(unknown_user) == problem_text(wrong_password)


def test_after_five_failures_a_username_is_locked_even_with_the_right_password(browser, li_wei, clock):
    for _ in range(5):
        assert browser.sign_in("li.wei", WRONG).status_code == 401

    locked = browser.sign_in("li.wei", PASSWORD)

    assert locked.status_code == 429 and int(locked.headers["retry-after"]) == 60
    assert "Too many failed sign-ins" in problem_text(locked) and "登录失败次数过多" in problem_text(locked)
    assert "cb_session" not in set_cookies(locked)
    clock.now += 61
    assert browser.sign_in("li.wei", PASSWORD).status_code == 303


def test_the_lock_grows_with_each_further_failure(browser, li_wei, clock):
    for _ in range(5):
        browser.sign_in("li.wei", WRONG)
    clock.now += 61
    browser.sign_in("li.wei", WRONG)  # the sixth

    assert int(browser.sign_in("li.wei", PASSWORD).headers["retry-after"]) == 120


def test_an_unknown_username_is_locked_exactly_like_a_real_one(browser, li_wei):
    for _ in range(5):
        browser.sign_in("li.wei", WRONG)
        browser.sign_in("wang.fang", WRONG)

    real, unknown = browser.sign_in("li.wei", PASSWORD), browser.sign_in("wang.fang", PASSWORD)

    assert real.status_code == unknown.status_code == 429
    assert real.headers["retry-after"] == unknown.headers["retry-after"]
    assert problem_text(real) == problem_text(unknown)


def test_a_success_clears_the_failures_of_the_username(browser, li_wei):
    for _ in range(4):
        browser.sign_in("li.wei", WRONG)
    assert browser.sign_in("li.wei", PASSWORD).status_code == 303

    for _ in range(4):
        assert browser.sign_in("li.wei", WRONG, prompt="login").status_code == 401
    assert browser.sign_in("li.wei", PASSWORD, prompt="login").status_code == 303


def test_failures_spread_quietly_over_time_are_not_locked(browser, li_wei, clock):
    for _ in range(6):
        assert browser.sign_in("li.wei", WRONG).status_code == 401
        clock.now += 15 * 60 + 1

    assert browser.sign_in("li.wei", PASSWORD).status_code == 303


def test_many_failures_from_one_address_lock_that_address_for_every_username(app, browser, li_wei, clock):
    other_processes = LoginThrottle(app.state.db, clock=clock)  # argon2 is slow: 19 guesses recorded directly
    for n in range(19):
        other_processes.record_failure(f"guess{n}", "testclient")  # TestClient's client address
    assert browser.sign_in("guess19", WRONG).status_code == 401

    assert browser.sign_in("li.wei", PASSWORD).status_code == 429


def test_throttling_is_shared_by_every_api_process(app, browser, li_wei, clock, settings):
    other_process = create_app(settings)
    rewire(other_process, clock)
    try:
        for _ in range(5):
            browser.sign_in("li.wei", WRONG)
        assert Browser(other_process).sign_in("li.wei", PASSWORD).status_code == 429
    finally:
        other_process.state.auth.close()
        other_process.state.db.close()


def test_a_disabled_user_cannot_sign_in(browser, users, li_wei):
    users.disable("li.wei")

    response = browser.sign_in("li.wei", PASSWORD)

    assert response.status_code == 401 and "cb_session" not in set_cookies(response)


def test_disabling_a_user_ends_their_session_and_their_tokens(app, browser, users, li_wei):
    token = browser.signed_in_token("li.wei")["access_token"]

    users.disable("li.wei")

    assert browser.authorize().status_code == 200  # the form again: the session is gone
    with pytest.raises(InvalidTokenError, match="disabled"):
        app.state.auth.validator.validate(token)


def test_a_code_issued_before_the_user_was_disabled_gets_no_token(browser, users, li_wei):
    code = browser.code_from(browser.sign_in("li.wei"))
    users.disable("li.wei")

    response = browser.token(code)

    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_usernames_are_case_insensitive_at_sign_in(browser, li_wei, app):
    token = browser.signed_in_token("Li.Wei")["access_token"]

    assert app.state.auth.validator.validate(token).subject == "li.wei"


def test_signing_in_again_replaces_the_previous_session(app, browser, li_wei):
    browser.sign_in("li.wei")
    first = browser.http.cookies.get("cb_session")

    browser.sign_in("li.wei", prompt="login")

    second = browser.http.cookies.get("cb_session")
    assert second != first
    assert with_session_cookie(app, second).authorize().status_code == 302
    assert with_session_cookie(app, first).authorize().status_code == 200
