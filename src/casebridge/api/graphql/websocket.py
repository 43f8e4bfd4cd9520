"""The WebSocket side of `/graphql`: graphql-transport-ws, subscriptions only.

The bearer token comes in the `connection_init` payload (`{"Authorization": "Bearer ..."}`
or `{"token": "..."}`) and is checked by the same validator as HTTP requests: no or a bad
token closes the socket with 4401, a token without `cases:read` with 4403, and the socket is
closed with 4401 when the token expires. Before every push the token is checked again by the
same validator: once it no longer holds (user disabled, signed out, revoked) the socket is
closed with 4403. A principal (client and subject) may hold `LiveLimits` sockets (more are
closed with 4429) and subscriptions (more are refused with `TOO_MANY_SUBSCRIPTIONS`). Queries and mutations go over HTTP, where they run
off the event loop; here they are refused.
"""

from __future__ import annotations

import asyncio
import base64
import json
import time
from contextlib import suppress
from datetime import timedelta
from typing import Any

from graphql import GraphQLError, OperationType
from starlette.concurrency import run_in_threadpool
from strawberry.asgi import GraphQL
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import BaseGraphQLTransportWSHandler

from casebridge.api.graphql.context import GraphQLContext, GraphQLServices
from casebridge.api.graphql.live import TOO_MANY_CONNECTIONS, LiveConnection, PrincipalSlots, principal_key
from casebridge.infra.auth import InvalidTokenError
from casebridge.infra.database import StorageUnavailableError

READ = "cases:read"


def token_from(payload: dict[str, Any]) -> str | None:
    for key in ("Authorization", "authorization"):
        value = payload.get(key)
        if isinstance(value, str):
            scheme, _, token = value.partition(" ")
            return token.strip() if scheme.lower() == "bearer" and token.strip() else None
    token = payload.get("token")
    return token if isinstance(token, str) and token else None


def _expiry(token: str) -> float | None:
    """The `exp` of a token the validator has just accepted (so its payload is trusted)."""
    try:
        payload = token.split(".")[1]
        exp = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))).get("exp")
    except (IndexError, ValueError, AttributeError):
        return None
    return float(exp) if isinstance(exp, (int, float)) else None


class _AuthenticatingHandler(BaseGraphQLTransportWSHandler):
    context: GraphQLContext

    async def handle_connection_init(self, message: Any) -> None:
        if self.connection_init_received or self.connection_timed_out:
            await super().handle_connection_init(message)  # a second init closes with 4429
            return
        payload = message.get("payload") or {}
        token = token_from(payload) if isinstance(payload, dict) else None
        if token is None:
            await self.websocket.close(code=4401, reason="Unauthorized")
            return
        try:
            principal = await run_in_threadpool(self.context.services.validate_token, token)
        except (InvalidTokenError, StorageUnavailableError):
            await self.websocket.close(code=4401, reason="Unauthorized")
            return
        if READ not in principal.scopes:
            await self.websocket.close(code=4403, reason="Forbidden")
            return
        slots: PrincipalSlots | None = self.context.services.live
        if slots is not None:
            if not slots.open_connection(principal_key(principal)):
                await self.websocket.close(code=TOO_MANY_CONNECTIONS, reason="Too many connections for this token")
                return
            self._slots = slots
        self.context.principal = principal
        self.context.live = LiveConnection(token, principal, self.context.services.validate_token, self._close)
        expires = _expiry(token)
        if expires is not None:  # a connection lives no longer than the token that opened it
            self._expiry_task = asyncio.create_task(self._close_when_expired(expires))
        await super().handle_connection_init(message)

    async def _close_when_expired(self, expires: float) -> None:
        await asyncio.sleep(max(1.0, expires - time.time()))
        await self.context.live.close(4401, "Token expired")

    async def _close(self, code: int, reason: str) -> None:
        with suppress(RuntimeError):  # already closed by the other side
            await self.websocket.close(code=code, reason=reason)

    async def shutdown(self) -> None:
        task = getattr(self, "_expiry_task", None)
        if task is not None:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task
        await super().shutdown()
        slots: PrincipalSlots | None = getattr(self, "_slots", None)
        if slots is not None and self.context.principal is not None:
            slots.close_connection(principal_key(self.context.principal))
            self._slots = None

    async def _subscribe_within_cap(self, message: Any) -> None:
        """Counts the subscription against its principal's cap while it runs."""
        slots: PrincipalSlots | None = getattr(self, "_slots", None)
        principal = self.context.principal
        if slots is None or principal is None or message.get("id") in self.operations:
            await super().handle_subscribe(message)
            return
        key = principal_key(principal)
        if not slots.reserve_subscription(key):
            limit = slots.limits.subscriptions_per_principal
            error = GraphQLError(f"This token already has {limit} subscriptions open; complete one first.",
                                 extensions={"code": "TOO_MANY_SUBSCRIPTIONS"})
            await self.send_message({"id": message["id"], "type": "error", "payload": [error.formatted]})
            return
        await super().handle_subscribe(message)
        operation = self.operations.get(message["id"])
        if operation is None or operation.task is None:
            slots.release_subscription(key)
        else:
            operation.task.add_done_callback(lambda _: slots.release_subscription(key))

    async def handle_subscribe(self, message: Any) -> None:
        payload = message.get("payload") or {}
        query = payload.get("query")
        if self.connection_acknowledged and isinstance(query, str):
            prepared = self.context.documents.prepare(query)
            kind = prepared.operation_type(payload.get("operationName"))
            if prepared.document is not None and kind is not None and kind is not OperationType.SUBSCRIPTION:
                error = GraphQLError("Only subscriptions run over WebSocket; send queries and mutations by HTTP POST.",
                                     extensions={"code": "BAD_REQUEST"})
                await self.send_message({"id": message["id"], "type": "error", "payload": [error.formatted]})
                return
        await self._subscribe_within_cap(message)


class SubscriptionView(GraphQL):
    graphql_transport_ws_handler_class = _AuthenticatingHandler

    def __init__(self, schema: Any, services: GraphQLServices) -> None:
        super().__init__(
            schema,
            graphql_ide=None,
            allow_queries_via_get=False,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            connection_init_wait_timeout=timedelta(seconds=10),
            max_subscriptions_per_connection=10,
        )
        self.services = services
