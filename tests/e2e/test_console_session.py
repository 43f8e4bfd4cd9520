"""The console keeps a regulator signed in and up to date on its own: a token about to expire
is renewed in the background, and the live inbox comes back after the server restarts,
without the page being reloaded. A server of their own, with tokens that live 66 seconds
(renewed a minute before they expire)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

if not os.environ.get("CI"):  # in CI they run, never skip: .ci/run installs both
    pytest.importorskip("playwright.sync_api", reason="the console's browser tests need the `test` extra (playwright)")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (.ci/apt-packages.txt)", allow_module_level=True)

from playwright.sync_api import Browser, expect  # noqa: E402

from console_helpers import (  # noqa: E402
    HANGZHOU,
    SHANGHAI,
    TIMEOUT_MS,
    Agency,
    LiveServer,
    People,
    Regulator,
    create_user,
    headless_chromium,
    live_server,
)

pytestmark = pytest.mark.slow
expect.set_options(timeout=TIMEOUT_MS)  # every expectation waits at most this long

RENEWAL_WAIT_MS = 40_000  # a 66 s token is renewed after about 6 s; bounded generously
RECONNECT_WAIT_MS = 45_000  # backoff up to 30 s between attempts while the server is down


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[LiveServer]:
    database_url = f"sqlite:///{tmp_path_factory.mktemp('console-session') / 'casebridge.db'}"
    with live_server(database_url, CASEBRIDGE_TOKEN_TTL="66") as running:
        create_user(database_url, "sh.zhao", SHANGHAI)
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with headless_chromium() as launched:
        yield launched


@pytest.fixture
def regulator(server, browser) -> Iterator[Callable[..., Regulator]]:
    with People(browser, server) as people:
        yield people.make


def is_token_response(response) -> bool:
    return response.url.endswith("/oauth/token") and response.request.method == "POST"


def test_a_token_about_to_expire_is_renewed_in_the_background_without_leaving_the_page(regulator, server):
    sh = regulator("sh.zhao")
    page = sh.page
    with page.expect_websocket(timeout=TIMEOUT_MS) as opened:
        sh.sign_in()
    first_socket = opened.value
    first = sh.token
    before = sh.navigations
    watch_live_status(page)

    with page.expect_websocket(timeout=RENEWAL_WAIT_MS) as reopened:
        renewed = page.wait_for_event("response", is_token_response, timeout=RENEWAL_WAIT_MS)
    assert renewed.ok
    second = renewed.json()["access_token"]
    assert second != first
    assert sh.navigations == before  # no trip to the sign-in page, no reload

    # The live inbox moved to a connection opened with the new token before the old one went.
    assert reopened.value.url.endswith("/graphql")
    if not first_socket.is_closed():
        first_socket.wait_for_event("close", timeout=TIMEOUT_MS)
    expect(page.locator("#live-status")).to_have_attribute("data-status", "live")
    assert page.evaluate("() => window.liveStatuses.filter((s) => s !== 'live')") == []
    hangzhou = Agency(server, HANGZHOU)
    try:
        case = hangzhou.open_case("换新令牌后移送的案件")
        hangzhou.mutate("requestTransfer", {"caseId": case["id"], "to": SHANGHAI, "reason": "住所地在上海"})
    finally:
        hangzhou.close()
    expect(page.locator("#inbox-transfers article", has_text=case["reference"])).to_be_visible()

    sh.go("#/cases/new")  # the console goes on working with the new token
    expect(page.locator("form[data-mutation=openCase]")).to_be_visible()
    stored = page.evaluate("() => JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])")
    assert second not in stored and first not in stored


def watch_live_status(page) -> None:
    """Records every state the live-update indicator passes through in window.liveStatuses."""
    page.evaluate("""() => {
        window.liveStatuses = [];
        const el = document.getElementById('live-status');
        new MutationObserver(() => window.liveStatuses.push(el.dataset.status)).observe(el, { attributes: true });
    }""")


def test_the_live_inbox_reconnects_after_the_server_restarts(regulator, server):
    sh = regulator("sh.zhao").sign_in()
    page = sh.page
    before = sh.navigations
    watch_live_status(page)

    server.restart()
    page.wait_for_function("() => window.liveStatuses.includes('reconnecting')", timeout=RECONNECT_WAIT_MS)
    expect(page.locator("#live-status")).to_have_attribute("data-status", "live", timeout=RECONNECT_WAIT_MS)

    hangzhou = Agency(server, HANGZHOU)
    try:
        case = hangzhou.open_case("重启后移送的案件")
        hangzhou.mutate("requestTransfer", {"caseId": case["id"], "to": SHANGHAI, "reason": "住所地在上海"})
    finally:
        hangzhou.close()
    expect(page.locator("#inbox-transfers article", has_text=case["reference"])).to_be_visible(timeout=TIMEOUT_MS)
    assert sh.navigations == before
