"""Bounds on how long and how many: a client that sends slowly must not hold the server.
The values come from `Settings.requests` (`casebridge.infra.settings.RequestLimits`).

Before any authentication a connection costs memory and a slot, so each stage has a bound:
- headers: `CASEBRIDGE_HEADER_TIMEOUT` (default 10 s) from the first byte of a request (or the
  connection opening) until its headers are complete, else the connection gets 408 and closes
  (`HeaderTimeoutH11Protocol`, uvicorn's h11 protocol with a deadline; uvicorn has none);
  headers larger than `CASEBRIDGE_MAX_HEADER_BYTES` (default 16 KiB) get 400 (h11's limit);
- body: `CASEBRIDGE_BODY_TIMEOUT` (default 30 s) to receive the whole body, else 408
  (`BodyTimeoutMiddleware`, plain ASGI, so it holds under any server);
- idle keep-alive connections close after `CASEBRIDGE_KEEP_ALIVE_TIMEOUT` (default 5 s);
- at most `CASEBRIDGE_MAX_CONNECTIONS` (default 4096) connections and requests at once per
  process (WebSockets included); beyond it uvicorn answers 503.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from casebridge.infra.settings import RequestLimits


def uvicorn_options(limits: RequestLimits) -> dict[str, Any]:
    """Keyword arguments for `uvicorn.run`/`uvicorn.Config` that apply `limits`."""

    class Protocol(HeaderTimeoutH11Protocol):
        header_timeout = limits.header_timeout

    return {
        "http": Protocol,
        "timeout_keep_alive": limits.keep_alive_timeout,
        "limit_concurrency": limits.max_connections,
        "h11_max_incomplete_event_size": limits.max_header_bytes,
    }


_TIMEOUT_RESPONSE = b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain\r\nconnection: close\r\ncontent-length: 36\r\n\r\nThe request headers came too slowly."


class HeaderTimeoutH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for each request's headers."""

    header_timeout: float = 10.0
    _header_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_header_deadline()

    def data_received(self, data: bytes) -> None:
        if self._header_deadline is None and self.conn.their_state is h11.IDLE:
            self._arm_header_deadline()  # the next request on a kept-alive connection begins
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:  # the headers are in
            self._disarm_header_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_header_deadline()
        super().connection_lost(exc)

    def _arm_header_deadline(self) -> None:
        self._disarm_header_deadline()
        self._header_deadline = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _disarm_header_deadline(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def _headers_too_slow(self) -> None:
        self._header_deadline = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            if self.cycle is None or self.cycle.response_complete:  # nothing of ours is being sent
                self.transport.write(_TIMEOUT_RESPONSE)
            self.transport.close()


class BodyTimeout(Exception):
    """The request body did not arrive within the bound."""


class BodyTimeoutMiddleware:
    """Answers 408 when a request's body is not complete within `seconds` of the request's
    start. Plain ASGI: the bound holds before authentication and for every route."""

    def __init__(self, app: Any, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        deadline = time.monotonic() + self.seconds
        state = {"body_done": False, "started": False}

        async def bounded_receive() -> dict:
            if state["body_done"]:
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                raise BodyTimeout from None
            if message["type"] != "http.request" or not message.get("more_body", False):
                state["body_done"] = True
            return message

        async def tracking_send(message: dict) -> None:
            if message["type"] == "http.response.start":
                state["started"] = True
            await send(message)

        try:
            await self.app(scope, bounded_receive, tracking_send)
        except BodyTimeout:
            if state["started"]:
                return
            await send({"type": "http.response.start", "status": 408,
                        "headers": [(b"content-type", b"text/plain"), (b"connection", b"close")]})
            await send({"type": "http.response.body", "body": b"The request body came too slowly.\n"})


