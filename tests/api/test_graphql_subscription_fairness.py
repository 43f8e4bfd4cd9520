"""Fair use of live updates: one principal's sockets and subscriptions are capped, and a change
does work only for the subscribers it concerns (issue 10, item 13). Timing is measured by
bench/bench_subscriptions.py, never here: these tests count the reads subscribers make."""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import HANGZHOU, SHANGHAI, SUZHOU
from starlette.websockets import WebSocketDisconnect
from test_graphql_subscriptions import INBOX_CHANGED, PROTOCOL, connect, receive


@pytest.fixture
def capped_api(make_api, settings, configured):
    return make_api(configured(settings, CASEBRIDGE_WS_MAX_CONNECTIONS="2", CASEBRIDGE_WS_MAX_SUBSCRIPTIONS="3"))


def _case_changed(case_id: str) -> str:
    return f'subscription {{ caseChanged(id: "{case_id}") {{ id version }} }}'


def test_a_principal_beyond_its_socket_cap_is_closed_with_4429_and_others_are_not(capped_api):
    hangzhou, other = capped_api.caller(HANGZHOU), capped_api.caller(HANGZHOU)
    ws = capped_api.http.websocket_connect
    with ws("/graphql", subprotocols=PROTOCOL) as first, ws("/graphql", subprotocols=PROTOCOL) as second:
        assert connect(first, {"token": hangzhou.token}) == {"type": "connection_ack"}
        assert connect(second, {"token": hangzhou.token}) == {"type": "connection_ack"}
        with ws("/graphql", subprotocols=PROTOCOL) as third:
            with pytest.raises(WebSocketDisconnect) as closed:
                connect(third, {"token": hangzhou.api.token(hangzhou.client_id, hangzhou.client_secret)})
            assert closed.value.code == 4429
        with ws("/graphql", subprotocols=PROTOCOL) as someone_else:
            assert connect(someone_else, {"token": other.token}) == {"type": "connection_ack"}
    with ws("/graphql", subprotocols=PROTOCOL) as again:  # the closed sockets gave their places back
        assert connect(again, {"token": hangzhou.token}) == {"type": "connection_ack"}


def test_subscriptions_beyond_the_cap_are_refused_with_a_code_across_sockets(capped_api):
    hangzhou = capped_api.caller(HANGZHOU)
    ws = capped_api.http.websocket_connect
    with ws("/graphql", subprotocols=PROTOCOL) as first, ws("/graphql", subprotocols=PROTOCOL) as second:
        connect(first, {"token": hangzhou.token})
        connect(second, {"token": hangzhou.token})
        for socket, sid in ((first, "a"), (first, "b"), (second, "c")):
            socket.send_json({"id": sid, "type": "subscribe", "payload": {"query": INBOX_CHANGED}})
            assert receive(socket)["type"] == "next"
        second.send_json({"id": "d", "type": "subscribe", "payload": {"query": INBOX_CHANGED}})
        refused = receive(second)
        assert refused["type"] == "error" and refused["id"] == "d"
        assert refused["payload"][0]["extensions"]["code"] == "TOO_MANY_SUBSCRIPTIONS"

        first.send_json({"id": "a", "type": "complete"})  # one ends: its place is free again
        for _ in range(50):
            second.send_json({"id": "e", "type": "subscribe", "payload": {"query": INBOX_CHANGED}})
            answer = receive(second)
            if answer["type"] == "next":
                break
            assert answer["payload"][0]["extensions"]["code"] == "TOO_MANY_SUBSCRIPTIONS"  # not released yet
        assert answer == {"id": "e", "type": "next", "payload": answer["payload"]}


def test_a_write_does_no_work_for_subscribers_of_unrelated_jurisdictions(api, hangzhou, shanghai, suzhou, open_case,
                                                                        monkeypatch):
    suzhou_case = open_case(suzhou, title="Suzhou's own case")
    read_models = api.app.state.read_models
    inbox_reads: Counter[str] = Counter()
    case_reads: Counter[tuple[str, str]] = Counter()
    incoming, get = read_models.transfers.incoming, read_models.cases.get

    def counted_incoming(jurisdiction, *args, **kwargs):
        inbox_reads[jurisdiction] += 1
        return incoming(jurisdiction, *args, **kwargs)

    def counted_get(jurisdiction, case_id, *args, **kwargs):
        case_reads[(jurisdiction, case_id)] += 1
        return get(jurisdiction, case_id, *args, **kwargs)

    monkeypatch.setattr(read_models.transfers, "incoming", counted_incoming)
    monkeypatch.setattr(read_models.cases, "get", counted_get)
    ws = api.http.websocket_connect
    with ws("/graphql", subprotocols=PROTOCOL) as watching_suzhou, ws("/graphql", subprotocols=PROTOCOL) as watching_shanghai:
        connect(watching_suzhou, {"token": suzhou.token})
        connect(watching_shanghai, {"token": shanghai.token})
        for sid in ("inbox-1", "inbox-2"):
            watching_suzhou.send_json({"id": sid, "type": "subscribe", "payload": {"query": INBOX_CHANGED}})
            receive(watching_suzhou)
        watching_suzhou.send_json({"id": "case", "type": "subscribe", "payload": {"query": _case_changed(suzhou_case["id"])}})
        receive(watching_suzhou)
        watching_shanghai.send_json({"id": "inbox", "type": "subscribe", "payload": {"query": INBOX_CHANGED}})
        receive(watching_shanghai)
        before_suzhou = (inbox_reads[SUZHOU], case_reads[(SUZHOU, suzhou_case["id"])])
        before_shanghai = inbox_reads[SHANGHAI]

        for n in range(3):  # Hangzhou works on its own cases: nothing for Suzhou or Shanghai
            open_case(hangzhou, title=f"Hangzhou case {n}")
        case = open_case(hangzhou, title="For Shanghai")
        hangzhou.succeed("requestTransfer", {"caseId": case["id"], "to": SHANGHAI, "reason": "seller moved"})

        pushed = receive(watching_shanghai)["payload"]["data"]["inboxChanged"]["incomingTransfers"]
        assert [t["case"]["id"] for t in pushed] == [case["id"]]
        # The feed handles positions in order: by the time Shanghai's push arrived, every
        # earlier write had been routed, and none of them reached Suzhou's subscribers.
        assert (inbox_reads[SUZHOU], case_reads[(SUZHOU, suzhou_case["id"])]) == before_suzhou
        assert 1 <= inbox_reads[SHANGHAI] - before_shanghai <= 2
        feed = api.app.state.graphql.feed
        assert feed.wakes[("inbox", SUZHOU)] == 0 and feed.wakes[("case", suzhou_case["id"])] == 0
