"""Limits that hold before authentication, on a live server over real sockets: slow headers
and slow bodies get 408 and lose their connection; and `/metrics` behind a configured bearer
token; the console may open WebSockets to its own origin only."""

from __future__ import annotations

import socket
import threading
import time

import pytest
import uvicorn
from fastapi.testclient import TestClient

from casebridge.api.app import create_app
from casebridge.api.request_limits import uvicorn_options
from casebridge.infra.settings import RequestLimits, SettingsError

METRICS_TOKEN = "scrape-token-0123456789abcdef"


@pytest.fixture
def live_server(settings, configured):
    """`casebridge serve`'s app and uvicorn options, 1 s bounds, on a free port."""
    settings = configured(settings, CASEBRIDGE_BODY_TIMEOUT="1", CASEBRIDGE_HEADER_TIMEOUT="1")
    app = create_app(settings)
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on",
                            **uvicorn_options(settings.requests))
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield ("127.0.0.1", port)
    server.should_exit = True
    thread.join(30)


def answer_of(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (or 20 s pass: a failure)."""
    sock.settimeout(20)
    received = b""
    try:
        while chunk := sock.recv(4096):
            received += chunk
    except TimeoutError:
        pytest.fail(f"the server kept the slow connection open; got {received!r}")
    return received


def test_headers_that_never_finish_get_408_and_the_connection_closes(live_server):
    with socket.create_connection(live_server) as sock:
        sock.sendall(b"POST /graphql HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")

        assert answer_of(sock).startswith(b"HTTP/1.1 408")


def test_a_connection_that_sends_nothing_is_closed(live_server):
    with socket.create_connection(live_server) as sock:
        assert answer_of(sock).startswith(b"HTTP/1.1 408")


@pytest.mark.parametrize("path,content_type,start", [("/graphql", "application/json", '{"query":'),
                                                     ("/oauth/token", "application/x-www-form-urlencoded", "grant_type=")])
def test_a_body_that_never_finishes_gets_408_before_authentication(live_server, path, content_type, start):
    with socket.create_connection(live_server) as sock:
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: {content_type}\r\n"
                     f"Content-Length: 1000\r\n\r\n{start}".encode())

        answer = answer_of(sock)

    assert answer.startswith(b"HTTP/1.1 408"), answer


def test_a_normal_request_still_passes_on_the_live_server(live_server):
    with socket.create_connection(live_server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")

        assert answer_of(sock).startswith(b"HTTP/1.1 200")


@pytest.mark.parametrize("name,value", [("CASEBRIDGE_BODY_TIMEOUT", "0"), ("CASEBRIDGE_MAX_CONNECTIONS", "lots"),
                                        ("CASEBRIDGE_HEADER_TIMEOUT", "-1")])
def test_a_limit_setting_out_of_range_is_refused_with_its_name(name, value):
    with pytest.raises(SettingsError, match=name):
        RequestLimits.from_env({name: value})


@pytest.fixture
def metrics_app(settings, configured):
    with TestClient(create_app(configured(settings, CASEBRIDGE_METRICS_TOKEN=METRICS_TOKEN))) as http:
        yield http


@pytest.mark.parametrize("authorization", [None, "Bearer wrong-token-0123456789", f"Basic {METRICS_TOKEN}", "Bearer "])
def test_metrics_with_a_configured_token_refuse_a_scrape_without_it(metrics_app, authorization):
    headers = {"Authorization": authorization} if authorization else {}

    response = metrics_app.get("/metrics", headers=headers)

    assert response.status_code == 401 and response.headers["www-authenticate"].startswith("Bearer")
    assert "casebridge_" not in response.text


def test_metrics_with_a_configured_token_answer_a_scrape_with_it(metrics_app):
    response = metrics_app.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})

    assert response.status_code == 200 and "casebridge_http_requests_total" in response.text


def test_the_console_may_open_websockets_to_its_own_origin_only(settings):
    with TestClient(create_app(settings)) as http:
        policy = http.get("/").headers["content-security-policy"]

    connect = next(part.strip() for part in policy.split(";") if part.strip().startswith("connect-src"))
    assert connect == "connect-src 'self'"
