"""`caseChanged(id)` over WebSocket: the sender of a transfer sees the handling jurisdiction
change without reloading."""

from __future__ import annotations

from conftest import HANGZHOU, SHANGHAI, SHENZHEN
from test_graphql_subscriptions import PROTOCOL, connect, receive


def _subscribe(ws, case_id: str) -> None:
    query = f'subscription {{ caseChanged(id: "{case_id}") {{ id version handlingJurisdiction {{ code }} }} }}'
    ws.send_json({"id": "case", "type": "subscribe", "payload": {"query": query}})


def test_the_case_is_pushed_when_its_transfer_is_accepted(api, hangzhou, shanghai, open_case):
    case = open_case(hangzhou)
    hangzhou.succeed("requestTransfer", {"caseId": case["id"], "to": SHANGHAI, "reason": "Seller in Shanghai"})
    with api.http.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        assert connect(ws, {"Authorization": f"Bearer {hangzhou.token}"}) == {"type": "connection_ack"}
        _subscribe(ws, case["id"])
        now = receive(ws)["payload"]["data"]["caseChanged"]
        assert (now["version"], now["handlingJurisdiction"]["code"]) == (2, HANGZHOU)

        open_case(shanghai, title="Unrelated")  # another case moving pushes nothing here
        shanghai.succeed("acceptTransfer", {"caseId": case["id"]})

        pushed = receive(ws)["payload"]["data"]["caseChanged"]
        assert (pushed["id"], pushed["version"], pushed["handlingJurisdiction"]["code"]) == (case["id"], 3, SHANGHAI)
        ws.send_json({"id": "case", "type": "complete"})


def test_a_case_the_caller_may_not_see_is_pushed_as_null(api, hangzhou, open_case):
    case = open_case(hangzhou)
    outsider = api.caller(SHENZHEN)
    with api.http.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        connect(ws, {"Authorization": f"Bearer {outsider.token}"})
        _subscribe(ws, case["id"])
        assert receive(ws)["payload"]["data"] == {"caseChanged": None}
        ws.send_json({"id": "case", "type": "complete"})
