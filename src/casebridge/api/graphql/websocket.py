"""The WebSocket side of `/graphql`: graphql-transport-ws, subscriptions only.

The bearer token comes in the `connection_init` payload (`{"Authorization": "Bearer ..."}`
or `{"token": "..."}`) and is checked by the same validator as HTTP requests: no or a bad
token closes the socket with 4401, a token without `cases:read` with 4403, and the socket is
closed with 4401 when the token expires. Before every push the token is checked again by the
same validator: once it no longer holds (user disabled, signed out, revoked) the socket is
closed with 4403. A principal (client and subject) may hold `LiveLimits` sockets (more are
closed with 4429) and subscriptions (more are refused with `TOO_MANY_SUBSCRIPTIONS`). Queries and mutations go over HTTP, where they run
off the event loop; here they are refused.

A `subscribe` message goes through the same `GraphQLPipeline` as HTTP: the document is
prepared under the same limits (size first, before any cache; a refused document is never
kept), refused with an `error` message whose errors carry `extensions.code`, and executed
and shaped by the pipeline, not by strawberry's own schema execution.
"""

from __future__ import annotations

import asyncio
import base64
import json
import time
import logging
from contextlib import aclosing, suppress
from datetime import timedelta
from typing import Any

from graphql import ExecutionResult, GraphQLError, OperationType
from starlette.concurrency import run_in_threadpool
from strawberry.asgi import GraphQL
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import BaseGraphQLTransportWSHandler, Operation

from casebridge.api.graphql.context import GraphQLContext, GraphQLServices
from casebridge.api.graphql.live import TOO_MANY_CONNECTIONS, LiveConnection, PrincipalSlots, principal_key
from casebridge.infra.auth import InvalidTokenError
from casebridge.infra.database import StorageUnavailableError

READ = "cases:read"
log = logging.getLogger(__name__)


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
        if not self.connection_acknowledged or message.get("id") in self.operations:
            await super().handle_subscribe(message)  # strawberry closes the socket (4401, 4409)
            return
        payload = message.get("payload")
        payload = payload if isinstance(payload, dict) else {}
        query, operation_name = payload.get("query"), payload.get("operationName")
        variables = payload.get("variables")
        if not isinstance(query, str) or not query.strip():
            await self._refuse(message["id"], "BAD_REQUEST", "The subscribe message has no GraphQL query.")
            return
        if variables is not None and not isinstance(variables, dict):
            await self._refuse(message["id"], "BAD_REQUEST", "variables must be a JSON object.")
            return
        if operation_name is not None and not isinstance(operation_name, str):
            await self._refuse(message["id"], "BAD_REQUEST", "operationName must be a string.")
            return
        pipeline = self.context.services.pipeline
        prepared = pipeline.prepare(query)
        if prepared.errors:
            errors = pipeline.shaped(prepared.errors, self.context.request_id)
            await self.send_message({"id": message["id"], "type": "error", "payload": [e.formatted for e in errors]})
            return
        kind = prepared.operation_type(operation_name)
        if kind is None:
            await self._refuse(message["id"], "GRAPHQL_VALIDATION_FAILED", "Name the operation to run (operationName).")
            return
        if kind is not OperationType.SUBSCRIPTION:
            await self._refuse(message["id"], "BAD_REQUEST",
                               "Only subscriptions run over WebSocket; send queries and mutations by HTTP POST.")
            return
        await self._subscribe_within_cap(message)

    async def _refuse(self, operation_id: str, code: str, message: str) -> None:
        error = GraphQLError(message, extensions={"code": code, "requestId": self.context.request_id})
        await self.send_message({"id": operation_id, "type": "error", "payload": [error.formatted]})

    async def run_operation(self, operation: Operation) -> None:
        """The operation's task: the pipeline's stream of (already shaped) results, sent as they come."""
        pipeline = self.context.services.pipeline
        try:
            prepared = pipeline.prepare(operation.query)  # accepted by handle_subscribe: from the cache
            if prepared.errors:
                await operation.send_initial_errors(prepared.errors)
                return
            source = await pipeline.subscribe(prepared, self.context, operation.variables, operation.operation_name)
            if isinstance(source, ExecutionResult):  # refused before the first event (variables, budget)
                await operation.send_initial_errors(list(source.errors or ()))
                return
            async with aclosing(source):
                async for result in source:
                    await operation.send_next(result)
            await operation.send_operation_message({"id": operation.id, "type": "complete"})
        except asyncio.CancelledError:
            raise
        except Exception:  # outside any field: logged in full, the client sees the operation complete
            log.exception("subscription %s of connection %s failed", operation.id, self.context.request_id)
            with suppress(Exception):
                await operation.send_operation_message({"id": operation.id, "type": "complete"})
            self.operations.pop(operation.id, None)


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
