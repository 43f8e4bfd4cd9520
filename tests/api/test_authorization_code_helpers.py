"""A browser and a console for the authorization code tests: real HTTP through the ASGI app
(`TestClient`, redirects not followed, cookies kept), PKCE done as the console does it."""

from __future__ import annotations

import base64
import hashlib
import secrets
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import httpx
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from casebridge.domain.jurisdictions import JurisdictionRegistry
from casebridge.infra.auth import AuthConfig, AuthServices

CONSOLE = "casebridge-console"
CALLBACK = "http://localhost:8000/console/callback"
PASSWORD = "correct horse battery"


# argon2id with the least work: its cost is tested in tests/infra/auth/test_users.py (and the
# https test here signs in with the real one); at 0.5 s a hash it would only slow these down.
LIGHT_ARGON2 = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def rewire(app, clock) -> AuthServices:
    """The app's auth services on a clock the test moves, with the light argon2id."""
    services = AuthServices.build(app.state.db, app.state.settings.auth, JurisdictionRegistry.load(), clock=clock,
                                  password_hasher=LIGHT_ARGON2)
    app.state.auth = services
    app.state.token_validator = services.validator
    return services


class Pkce:
    def __init__(self) -> None:
        self.verifier = secrets.token_urlsafe(48)
        self.challenge = base64.urlsafe_b64encode(hashlib.sha256(self.verifier.encode()).digest()).rstrip(b"=").decode()


class Browser:
    """One browser (one cookie jar) driving the console's side of the flow."""

    def __init__(self, app, base_url: str = "http://localhost:8000") -> None:
        self.http = TestClient(app, base_url=base_url, follow_redirects=False)
        self.pkce = Pkce()
        self.state = secrets.token_urlsafe(16)

    def authorize(self, **overrides: str | None) -> httpx.Response:
        """`GET /oauth/authorize` as the console sends it; a None override leaves that parameter out."""
        params = {
            "response_type": "code",
            "client_id": CONSOLE,
            "redirect_uri": CALLBACK,
            "state": self.state,
            "code_challenge": self.pkce.challenge,
            "code_challenge_method": "S256",
            **overrides,
        }
        return self.http.get("/oauth/authorize", params={k: v for k, v in params.items() if v is not None})

    def submit(self, form_page: httpx.Response, username: str, password: str, **changes: str | None) -> httpx.Response:
        """Posts the login form of `form_page` back with the credentials filled in."""
        fields = {**form_fields(form_page.text), "username": username, "password": password, **changes}
        return self.http.post("/oauth/authorize", data={k: v for k, v in fields.items() if v is not None})

    def sign_in(self, username: str, password: str = PASSWORD, **authorize: str | None) -> httpx.Response:
        page = self.authorize(**authorize)
        assert page.status_code == 200, page.text
        return self.submit(page, username, password)

    def code_from(self, redirect: httpx.Response) -> str:
        assert redirect.status_code in (302, 303), redirect.text
        params = callback_params(redirect)
        assert params["state"] == self.state
        return params["code"]

    def token(self, code: str, **overrides: str | None) -> httpx.Response:
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": CALLBACK,
            "client_id": CONSOLE,
            "code_verifier": self.pkce.verifier,
            **overrides,
        }
        return self.http.post("/oauth/token", data={k: v for k, v in form.items() if v is not None})

    def signed_in_token(self, username: str, **authorize: str | None) -> dict:
        response = self.token(self.code_from(self.sign_in(username, **authorize)))
        assert response.status_code == 200, response.text
        return response.json()


def callback_params(redirect: httpx.Response) -> dict[str, str]:
    location = urlsplit(redirect.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == CALLBACK
    return {name: values[0] for name, values in parse_qs(location.query).items()}


class _Inputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "input" and attributes.get("name"):
            self.fields[attributes["name"]] = attributes.get("value") or ""


def form_fields(html: str) -> dict[str, str]:
    parser = _Inputs()
    parser.feed(html)
    return parser.fields
