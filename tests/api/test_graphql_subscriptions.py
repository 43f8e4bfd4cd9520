"""`inboxChanged` over WebSocket (graphql-transport-ws): the token rides in `connection_init`."""

from __future__ import annotations

import anyio
import pytest
from conftest import SHANGHAI, SUZHOU
from starlette.websockets import WebSocketDisconnect

INBOX_CHANGED = """subscription { inboxChanged {
  incomingTransfers { case { id title } from { code } }
  evidenceRequests { id }
  jointActionInvitations { id }
} }"""
PROTOCOL = ["graphql-transport-ws"]
GUARD_SECONDS = 20  # only so that a missing message fails the test instead of hanging it


def receive(ws) -> dict:
    async def within() -> dict:
        with anyio.fail_after(GUARD_SECONDS):
            return await ws._send_rx.receive()

    message = ws.portal.call(within)
    ws._raise_on_close(message)
    import json

    return json.loads(message["text"])


def connect(ws, payload: dict) -> dict:
    ws.send_json({"type": "connection_init", "payload": payload})
    return receive(ws)


def test_the_inbox_is_pushed_when_a_transfer_is_addressed_to_the_jurisdiction(api, hangzhou, shanghai, open_case):
    with api.http.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        assert connect(ws, {"Authorization": f"Bearer {shanghai.token}"}) == {"type": "connection_ack"}
        ws.send_json({"id": "inbox", "type": "subscribe", "payload": {"query": INBOX_CHANGED}})
        first = receive(ws)
        assert first["type"] == "next" and first["id"] == "inbox"
        assert first["payload"]["data"]["inboxChanged"] == {
            "incomingTransfers": [], "evidenceRequests": [], "jointActionInvitations": []}

        case = open_case(hangzhou, title="Chargers again")
        hangzhou.succeed("requestTransfer", {"caseId": case["id"], "to": SHANGHAI, "reason": "moved"})

        pushed = receive(ws)
        assert pushed["type"] == "next"
        assert pushed["payload"]["data"]["inboxChanged"]["incomingTransfers"] == [
            {"case": {"id": case["id"], "title": "Chargers again"}, "from": {"code": "330100"}}]

        ws.send_json({"id": "inbox", "type": "complete"})


def test_changes_elsewhere_are_not_pushed_and_what_is_addressed_to_you_is(api, hangzhou, suzhou, open_case):
    with api.http.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        connect(ws, {"token": suzhou.token})
        ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": INBOX_CHANGED}})
        receive(ws)  # the inbox as it is

        elsewhere = open_case(hangzhou, title="Nothing to do with Suzhou")  # no push for this
        case = open_case(hangzhou)
        request = hangzhou.succeed("requestEvidence", {"caseId": case["id"], "requested": SUZHOU, "description": "ledger"},
                                   "evidenceRequest { id }")["evidenceRequest"]["id"]

        pushed = receive(ws)["payload"]["data"]["inboxChanged"]
        assert pushed["evidenceRequests"] == [{"id": request}]
        assert elsewhere["id"] not in str(pushed)


@pytest.mark.parametrize("kind", ["none", "garbage", "expired", "forged"])
def test_a_connection_without_a_valid_token_is_closed_with_4401(api, hangzhou, kind):
    payloads = {
        "none": {},
        "garbage": {"Authorization": "Bearer not.a.jwt"},
        "expired": {"Authorization": f"Bearer {api.expired_token(hangzhou)}"},
        "forged": {"token": api.forged_token(hangzhou)},
    }
    with api.http.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        with pytest.raises(WebSocketDisconnect) as closed:
            connect(ws, payloads[kind])
        assert closed.value.code == 4401


def test_a_token_that_may_not_read_cases_is_closed_with_4403(api):
    writer = api.caller("330100", scope="history:read")
    with api.http.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        with pytest.raises(WebSocketDisconnect) as closed:
            connect(ws, {"Authorization": f"Bearer {writer.token}"})
        assert closed.value.code == 4403


def test_queries_and_mutations_are_not_run_over_the_websocket(api, hangzhou):
    head = api.log_head()
    with api.http.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        connect(ws, {"Authorization": f"Bearer {hangzhou.token}"})
        ws.send_json({"id": "q", "type": "subscribe", "payload": {"query": "{ me { clientId } }"}})
        answer = receive(ws)
        assert answer["type"] == "error" and answer["id"] == "q"
        assert answer["payload"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert api.log_head() == head


def test_a_subscription_ends_with_4401_when_its_token_expires(api, shanghai):
    import dataclasses

    from casebridge.infra.auth import AccessTokenIssuer

    auth = api.app.state.auth
    short = AccessTokenIssuer(auth.keys, dataclasses.replace(auth.config, token_ttl=1)).issue(
        client_id=shanghai.client_id, jurisdiction=shanghai.jurisdiction, scopes=shanghai.scope.split()).access_token
    with api.http.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        assert connect(ws, {"Authorization": f"Bearer {short}"}) == {"type": "connection_ack"}
        ws.send_json({"id": "inbox", "type": "subscribe", "payload": {"query": INBOX_CHANGED}})
        assert receive(ws)["type"] == "next"
        with pytest.raises(WebSocketDisconnect) as closed:
            receive(ws)
        assert closed.value.code == 4401
