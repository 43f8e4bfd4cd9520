"""The WebSocket transport applies the HTTP limits, before any cache: an oversized or abusive
subscription document is refused with a coded `error` message and nothing of it is kept."""

from __future__ import annotations

import gc
import json
import tracemalloc

import anyio

from casebridge.api.graphql.hardening import MAX_ALIASES, MAX_DEPTH

PROTOCOL = ["graphql-transport-ws"]
INBOX = "subscription { inboxChanged { incomingTransfers { id } } }"


def _receive(ws) -> dict:
    async def within() -> dict:
        with anyio.fail_after(20):
            return await ws._send_rx.receive()

    message = ws.portal.call(within)
    ws._raise_on_close(message)
    return json.loads(message["text"])


def _codes(message: dict) -> list[str]:
    assert message["type"] == "error", message
    return [error["extensions"]["code"] for error in message["payload"]]


def _connected(served, caller):
    ws = served.http.websocket_connect("/graphql", subprotocols=PROTOCOL)
    socket = ws.__enter__()
    socket.send_json({"type": "connection_init", "payload": {"Authorization": f"Bearer {caller.token}"}})
    assert _receive(socket) == {"type": "connection_ack"}
    return ws, socket


def test_an_eight_megabyte_subscription_document_is_refused_and_nothing_of_it_is_kept(served):
    caller = served.caller("330100")
    documents = served.app.state.graphql.documents
    huge = "subscription { inboxChanged { " + "incomingTransfers { id } " * (8 * 1024 * 1024 // 24) + "} }"
    assert len(huge) > 8 * 1024 * 1024
    ws, socket = _connected(served, caller)
    try:
        socket.send_json({"id": "warm", "type": "subscribe", "payload": {"query": huge}})
        assert _codes(_receive(socket)) == ["REQUEST_TOO_LARGE"]
        size = documents.cache_info().size
        gc.collect()
        tracemalloc.start()
        try:
            held = []  # what is still traced after 1, then after 6 documents
            for rounds in (1, 5):
                for n in range(rounds):
                    socket.send_json({"id": f"huge{n}", "type": "subscribe", "payload": {"query": huge}})
                    assert _codes(_receive(socket)) == ["REQUEST_TOO_LARGE"]
                gc.collect()
                held.append(tracemalloc.get_traced_memory()[0])
        finally:
            tracemalloc.stop()
        assert documents.cache_info().size == size
        # The last message may still be referenced by the transport; five more must add nothing.
        assert held[1] - held[0] < 1024 * 1024, f"{held[1] - held[0]} bytes kept by five more 8 MB documents"
        socket.send_json({"id": "ok", "type": "subscribe", "payload": {"query": INBOX}})
        assert _receive(socket)["type"] == "next"  # the connection still serves
    finally:
        ws.__exit__(None, None, None)


def test_the_depth_alias_and_token_limits_apply_over_the_socket_as_over_http(served):
    caller = served.caller("330100")
    deep = "subscription { inboxChanged { incomingTransfers { case { " + "jointActions { cases { " * MAX_DEPTH + "id" + " } }" * MAX_DEPTH + " } } } }"
    aliases = "subscription { " + " ".join(f"a{i}: inboxChanged {{ evidenceRequests {{ id }} }}" for i in range(MAX_ALIASES + 1)) + " }"
    tokens = "subscription { inboxChanged { " + "evidenceRequests { id } " * 1000 + "} }"
    documents = served.app.state.graphql.documents
    ws, socket = _connected(served, caller)
    try:
        for n, (query, code) in enumerate([(deep, "QUERY_TOO_COMPLEX"), (aliases, "TOO_MANY_ALIASES"),
                                           (tokens, "TOO_MANY_TOKENS"), ("subscription {", "GRAPHQL_PARSE_FAILED")]):
            size = documents.cache_info().size
            socket.send_json({"id": str(n), "type": "subscribe", "payload": {"query": query}})
            over_socket = _codes(_receive(socket))
            over_http = [e["extensions"]["code"] for e in caller.post(query).json()["errors"]]
            assert code in over_socket and over_socket == over_http
            assert documents.cache_info().size == size
    finally:
        ws.__exit__(None, None, None)
