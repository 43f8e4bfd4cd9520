"""A subscription lasts only as long as its token holds (issue 10, item 10): the token is
checked again, by the validator HTTP requests use, before every push; a user disabled or
signed out while a socket is open gets the socket closed with 4403 instead of the push."""

from __future__ import annotations

import time

import pytest
from conftest import HANGZHOU
from starlette.websockets import WebSocketDisconnect
from test_graphql_subscriptions import PROTOCOL, connect, receive

from casebridge.infra.auth.config import CONSOLE_CLIENT_ID

PASSWORD = "correct horse battery staple 7"


@pytest.fixture
def li_wei_token(api) -> str:
    """A console token of a signed-in person of Hangzhou, as the console gets it."""
    auth = api.app.state.auth
    auth.users.create(username="li.wei", password=PASSWORD, jurisdiction=HANGZHOU, scope="cases:read")
    return auth.issuer.issue(client_id=CONSOLE_CLIENT_ID, jurisdiction=HANGZHOU, scopes=["cases:read"],
                             subject="li.wei").access_token


def _watch(ws, token: str, case_id: str) -> dict:
    assert connect(ws, {"Authorization": f"Bearer {token}"}) == {"type": "connection_ack"}
    query = f'subscription {{ caseChanged(id: "{case_id}") {{ id version }} }}'
    ws.send_json({"id": "case", "type": "subscribe", "payload": {"query": query}})
    return receive(ws)


def _add_evidence(hangzhou, case_id: str) -> None:
    hangzhou.succeed("addEvidence", {"caseId": case_id, "title": "Invoice", "sha256": "ab" * 32})


def test_the_console_users_subscription_is_pushed_while_the_user_is_active(api, hangzhou, open_case, li_wei_token):
    case = open_case(hangzhou)
    with api.http.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        assert _watch(ws, li_wei_token, case["id"])["payload"]["data"]["caseChanged"]["version"] == 1
        _add_evidence(hangzhou, case["id"])
        assert receive(ws)["payload"]["data"]["caseChanged"]["version"] == 2


def test_disabling_the_user_closes_their_socket_with_4403_before_the_next_push(api, hangzhou, open_case, li_wei_token):
    case = open_case(hangzhou)
    with api.http.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        assert _watch(ws, li_wei_token, case["id"])["type"] == "next"
        api.app.state.auth.users.disable("li.wei")
        _add_evidence(hangzhou, case["id"])
        with pytest.raises(WebSocketDisconnect) as closed:
            receive(ws)
        assert closed.value.code == 4403


def test_signing_out_closes_the_socket_of_the_signed_out_token_with_4403(api, hangzhou, open_case, li_wei_token):
    case = open_case(hangzhou)
    with api.http.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        assert _watch(ws, li_wei_token, case["id"])["type"] == "next"
        signed_out = api.http.post("/oauth/logout", headers={"Authorization": f"Bearer {li_wei_token}"})
        assert signed_out.status_code == 204
        _add_evidence(hangzhou, case["id"])
        with pytest.raises(WebSocketDisconnect) as closed:
            receive(ws)
        assert closed.value.code == 4403


def test_a_closed_socket_gives_its_place_back_to_the_principal(api, hangzhou, open_case, li_wei_token):
    case = open_case(hangzhou)
    slots = api.app.state.graphql.live
    with api.http.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        _watch(ws, li_wei_token, case["id"])
        assert slots.counts((CONSOLE_CLIENT_ID, "li.wei")) == (1, 1)
        api.app.state.auth.users.disable("li.wei")
        _add_evidence(hangzhou, case["id"])
        with pytest.raises(WebSocketDisconnect):
            receive(ws)
    for _ in range(100):  # the server side finishes shutting the connection down
        if slots.counts((CONSOLE_CLIENT_ID, "li.wei")) == (0, 0):
            break
        time.sleep(0.05)
    assert slots.counts((CONSOLE_CLIENT_ID, "li.wei")) == (0, 0)
