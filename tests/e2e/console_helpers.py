"""What the console's browser tests stand on: the real app served by uvicorn on an ephemeral
port in a background thread, people created with the `casebridge user` CLI, a headless
Debian Chromium driven by Playwright, and a GraphQL client (a registered OAuth client of a
jurisdiction) for setting the scene of a test."""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from casebridge.api.app import create_app
from casebridge.infra.auth import ClientStore
from casebridge.infra.settings import Settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
TIMEOUT_MS = 15_000  # every browser wait is bounded by this
SERVER_START_SECONDS = 30
PASSWORD = "correct horse battery staple"
ALL_SCOPES = "cases:read cases:write evidence:write joint-actions:write history:read"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "console"

HANGZHOU, SHANGHAI, SUZHOU, SHENZHEN, ZHEJIANG = "330100", "310000", "320500", "440300", "330000"
LAPTOP = {"width": 1366, "height": 900}
TABLET = {"width": 820, "height": 1180}


def free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


class LiveServer:
    """`create_app(settings)` under uvicorn on 127.0.0.1 at an ephemeral port."""

    def __init__(self, settings: Settings, sock: socket.socket) -> None:
        self.settings = settings
        self.port = sock.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._prepare(sock)

    def _prepare(self, sock: socket.socket) -> None:
        self.sock = sock
        self.app = create_app(self.settings)
        config = uvicorn.Config(self.app, log_level="warning", lifespan="on", timeout_graceful_shutdown=5)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [sock]}, name="console-e2e-server", daemon=True)

    def restart(self) -> None:
        """Stop the process's server and start a fresh app on the same port and database
        (what a deployment does): open connections drop, clients must reconnect."""
        self.stop()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        self._prepare(sock)
        self.start()

    def start(self) -> None:
        self.thread.start()
        done = threading.Event()
        for _ in range(SERVER_START_SECONDS * 20):
            if self.server.started or not self.thread.is_alive():
                break
            done.wait(0.05)
        if not self.server.started:
            raise RuntimeError("the CaseBridge server did not start")

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.sock.close()


@contextlib.contextmanager
def live_server(database_url: str, **extra_env: str) -> Iterator[LiveServer]:
    """The app on an ephemeral port, with the issuer and the console's callback on that port
    (and `extra_env`, e.g. CASEBRIDGE_TOKEN_TTL, while it runs)."""
    from casebridge.infra.migrations import migrate

    sock = free_socket()
    port = sock.getsockname()[1]
    env = {
        "CASEBRIDGE_DATABASE_URL": database_url,
        "CASEBRIDGE_ISSUER": f"http://127.0.0.1:{port}",
        "CASEBRIDGE_CONSOLE_REDIRECT_URIS": f"http://127.0.0.1:{port}/console/callback",
        **extra_env,
    }
    # The app reads its settings once, from what it is given (never from the process's environment).
    settings = Settings.from_env(env)
    migrate(settings)
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        server = LiveServer(settings, sock)
        server.start()
        try:
            yield server
        finally:
            server.stop()
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def create_user(database_url: str, username: str, jurisdiction: str, scope: str = ALL_SCOPES) -> str:
    """A console user, made the way an operator makes one: `casebridge user create`."""
    result = subprocess.run(
        [sys.executable, "-m", "casebridge", "user", "create", "--username", username, "--jurisdiction", jurisdiction,
         "--scope", scope, "--password-stdin"],
        input=PASSWORD + "\n", capture_output=True, text=True, timeout=60,
        env={**os.environ, "CASEBRIDGE_DATABASE_URL": database_url},
    )
    assert result.returncode == 0, result.stderr
    return username


class Agency:
    """A registered OAuth client of one jurisdiction: sets the scene over GraphQL, as another
    agency's program would, so a test drives the browser only through what it is about."""

    def __init__(self, server: LiveServer, jurisdiction: str) -> None:
        credentials = ClientStore(server.app.state.db).create(
            jurisdiction=jurisdiction, scope="cases:read cases:write evidence:write joint-actions:write",
            name=f"e2e agency of {jurisdiction}")
        self.http = httpx.Client(base_url=server.base_url, timeout=20)
        response = self.http.post("/oauth/token", data={"grant_type": "client_credentials", "client_id": credentials.client_id,
                                                        "client_secret": credentials.client_secret})
        response.raise_for_status()
        self.token = response.json()["access_token"]

    def mutate(self, name: str, input: dict[str, Any], selection: str = "") -> dict[str, Any]:
        type_name = name[0].upper() + name[1:]
        query = (f"mutation($input: {type_name}Input!) {{ {name}(input: $input) {{ __typename "
                 f"... on Problem {{ code message }} ... on {type_name}Success {{ {selection or 'clientMutationId'} }} }} }}")
        response = self.http.post("/graphql", json={"query": query, "variables": {"input": input}},
                                  headers={"Authorization": f"Bearer {self.token}"})
        body = response.json()
        assert response.status_code == 200 and "errors" not in body, json.dumps(body, ensure_ascii=False)
        result = body["data"][name]
        assert result["__typename"] == f"{type_name}Success", result
        return result

    def open_case(self, title: str, **extra: Any) -> dict[str, Any]:
        input = {"title": title, "summary": f"{title}: complaints from consumers in several cities.",
                 "subject": {"name": extra.pop("subject", "杭州某电子商务有限公司"), "kind": "MARKETPLACE_SELLER",
                             "identifier": "91330100MA2XXXXX0X"},
                 "category": extra.pop("category", "COUNTERFEIT"), **extra}
        return self.mutate("openCase", input, "case { id reference title version }")["case"]

    def close(self) -> None:
        self.http.close()


# -- the browser ------------------------------------------------------------------------------

@contextlib.contextmanager
def headless_chromium() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=TIMEOUT_MS * 2)
        try:
            yield browser
        finally:
            browser.close()


class Regulator:
    """One person at one browser (one context: own cookies, own storage)."""

    def __init__(self, page: Any, server: LiveServer, username: str) -> None:
        self.page = page
        self.server = server
        self.username = username
        self.token: str | None = None
        self.problems: list[str] = []  # uncaught errors, CSP violations, missing labels
        self.navigations = 0
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("console", self._console)
        page.on("framenavigated", self._navigated)

    def _console(self, message) -> None:
        text = message.text
        if "Content Security Policy" in text or "casebridge:" in text:
            self.problems.append(f"console {message.type}: {text}")

    def _navigated(self, frame) -> None:
        if frame == self.page.main_frame:
            self.navigations += 1

    def sign_in(self, route: str = "#/inbox") -> Regulator:
        from playwright.sync_api import expect

        page = self.page
        with page.expect_response(lambda r: r.url.endswith("/oauth/token") and r.request.method == "POST", timeout=TIMEOUT_MS) as answer:
            page.goto(f"{self.server.base_url}/{route}", timeout=TIMEOUT_MS)
            page.locator("#username").fill(self.username, timeout=TIMEOUT_MS)
            page.locator("#password").fill(PASSWORD)
            page.locator("button[type=submit]").click()
        assert answer.value.ok, answer.value.text()
        self.token = answer.value.json()["access_token"]
        expect(page.locator("#live-status")).to_have_attribute("data-status", "live", timeout=TIMEOUT_MS)
        return self

    def go(self, route: str) -> None:
        """In-app navigation (the address's hash), not a page load."""
        self.page.evaluate("route => { location.hash = route; }", route)

    def form(self, mutation: str):
        return self.page.locator(f"form[data-mutation={mutation}]")

    def screenshot(self, name: str) -> None:
        """Saves the page for people to look at, after checking it shows no programming residue."""
        residue = re.search(r"\b(null|undefined|NaN)\b|\[object Object\]|\{\w+\}", self.page.inner_text("body"))
        assert residue is None, f"{name}: the page shows {residue.group(0)!r}"
        unlabelled = self.page.evaluate("""() => Array.from(document.querySelectorAll('input, select, textarea, button'))
            .filter((el) => el.type !== 'hidden' && !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                            && !(el.tagName === 'BUTTON' && el.textContent.trim()))
            .map((el) => el.outerHTML.slice(0, 80))""")
        assert unlabelled == [], f"{name}: controls without a label: {unlabelled}"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


class People:
    """The regulators of one test, each in a browser context of their own; on leaving, every
    context is closed and none may have seen a script error or a CSP violation."""

    def __init__(self, browser: Any, server: LiveServer) -> None:
        self.browser = browser
        self.server = server
        self.contexts: list[Any] = []
        self.people: list[Regulator] = []

    def make(self, username: str, *, locale: str = "zh-CN", viewport: dict | None = None) -> Regulator:
        context = self.browser.new_context(viewport=viewport or LAPTOP, locale=locale, timezone_id="Asia/Shanghai")
        context.set_default_timeout(TIMEOUT_MS)
        self.contexts.append(context)
        self.people.append(Regulator(context.new_page(), self.server, username))
        return self.people[-1]

    def __enter__(self) -> People:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if exc[0] is None:
                for person in self.people:
                    assert person.problems == [], person.problems
        finally:
            for context in self.contexts:
                context.close()
