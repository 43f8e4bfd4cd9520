"""GraphQL over HTTP at `/graphql`, and subscriptions over WebSocket at the same path.

HTTP: the body is read with a size cap on the event loop; everything else (token check,
JSON, the cached document, execution with synchronous resolvers and batch loaders) runs in
one worker thread, so a slow read or a projection wait never stalls the event loop.
Refusals are plain HTTP: 401 (token), 413 (body), 400 (not JSON, a batch, a document that
fails parsing, validation or the limits), 405 (a mutation by GET), each with a GraphQL-style
`errors` body carrying `extensions.code` and the request id in `X-Request-ID`.

Preparing, executing and shaping errors belong to `GraphQLPipeline`, shared with the
WebSocket side; this module only translates its answers into HTTP.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any
from uuid import uuid4

from fastapi import APIRouter, HTTPException, Request, WebSocket
from fastapi.responses import HTMLResponse, Response
from graphql import GraphQLError, OperationType
from starlette.concurrency import run_in_threadpool
from strawberry.http.ides import get_graphql_ide_html

from casebridge.api.auth import authenticate_request
from casebridge.api.graphql.context import GraphQLContext, GraphQLServices, Runtime
from casebridge.api.graphql.errors import INTERNAL_MESSAGE
from casebridge.api.graphql.execution import GraphQLPipeline
from casebridge.api.graphql.hardening import MAX_BODY_BYTES, DocumentPolicy
from casebridge.api.graphql.schema import executor, schema
from casebridge.api.graphql.live import PrincipalSlots, describer
from casebridge.api.graphql.subscriptions import ProjectionFeed
from casebridge.api.graphql.websocket import SubscriptionView
from casebridge.domain.jurisdictions import JurisdictionRegistry
from casebridge.infra.auth import Principal
from casebridge.infra.settings import LiveLimits
from casebridge.projections.waiter import min_live_position

log = logging.getLogger(__name__)


class _Refusal(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


def build_graphql_router(
    *,
    runtime: Runtime,
    read_models: Any,
    registry: JurisdictionRegistry,
    validate_token: Callable[[str], Principal],
    development: bool,
    live: LiveLimits,
    path: str = "/graphql",
) -> APIRouter:
    """The `/graphql` routes over the runtime (`.application`, `.wait_for`) and the read models. The router's
    `graphql_services` attribute holds what they share; `close_graphql(router)` stops the
    subscription feed."""
    feed = ProjectionFeed(runtime, head=lambda: min_live_position(read_models.db),
                          describe=describer(runtime, read_models.db, registry))
    services = GraphQLServices(
        runtime=runtime, read_models=read_models, registry=registry,
        pipeline=GraphQLPipeline(schema._schema, DocumentPolicy(schema._schema, development=development), executor),
        validate_token=validate_token, feed=feed, live=PrincipalSlots(live),
    )
    router = APIRouter()
    router.graphql_services = services  # type: ignore[attr-defined]
    ws_view = SubscriptionView(schema, services)
    ide_html = get_graphql_ide_html("graphiql") if services.pipeline.development else None

    @router.post(path, include_in_schema=False)
    async def graphql_post(request: Request) -> Response:
        request_id = uuid4().hex
        try:
            body = await _read_body(request)
        except _Refusal as refusal:
            return _refused(refusal, request_id)
        return await run_in_threadpool(_serve, services, request, request_id, body)

    @router.get(path, include_in_schema=False)
    async def graphql_get(request: Request) -> Response:
        if "query" not in request.query_params and ide_html is not None and "text/html" in request.headers.get("accept", ""):
            return HTMLResponse(ide_html)  # the IDE, in development only
        return await run_in_threadpool(_serve, services, request, uuid4().hex, None)

    @router.websocket(path)
    async def graphql_websocket(websocket: WebSocket) -> None:
        context = GraphQLContext(services, principal=None, request_id=uuid4().hex)
        await ws_view.run(websocket, context=context, root_value=None)

    return router


def close_graphql(router: APIRouter) -> None:
    services: GraphQLServices | None = getattr(router, "graphql_services", None)
    if services is not None and services.feed is not None:
        services.feed.stop()


async def _read_body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY_BYTES):
        raise _Refusal(413, "REQUEST_TOO_LARGE", f"The request body may be at most {MAX_BODY_BYTES} bytes.")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _Refusal(413, "REQUEST_TOO_LARGE", f"The request body may be at most {MAX_BODY_BYTES} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)


def _serve(services: GraphQLServices, request: Request, request_id: str, body: bytes | None) -> Response:
    """One GraphQL request, start to end, in a worker thread."""
    try:
        principal = authenticate_request(request)
    except HTTPException as exc:
        code = "UNAUTHENTICATED" if exc.status_code == 401 else "UNAVAILABLE"
        return _refused(_Refusal(exc.status_code, code, str(exc.detail), dict(exc.headers or {})), request_id)
    pipeline = services.pipeline
    try:
        query, variables, operation_name = _operation(request, body)
        prepared = pipeline.prepare(query)
        if prepared.errors:
            errors = [e.formatted for e in pipeline.shaped(prepared.errors, request_id)]
            return _json({"errors": errors}, 400, request_id)
        operation = prepared.operation_type(operation_name)
        if operation is None:
            raise _Refusal(400, "GRAPHQL_VALIDATION_FAILED", "Name the operation to run (operationName).")
        if operation is OperationType.SUBSCRIPTION:
            raise _Refusal(400, "BAD_REQUEST", "Subscriptions run over WebSocket (graphql-transport-ws).")
        if body is None and operation is not OperationType.QUERY:
            raise _Refusal(405, "METHOD_NOT_ALLOWED", "Mutations must be sent with POST.", {"Allow": "POST"})
    except _Refusal as refusal:
        return _refused(refusal, request_id)

    context = GraphQLContext(services, principal, request_id)
    try:
        result = pipeline.execute(prepared, context, variables, operation_name)
        payload: dict[str, Any] = {}
        if result.errors:
            payload["errors"] = [e.formatted for e in result.errors]
        payload["data"] = result.data
        # Nothing ran (a variable of the wrong type, the replay budget): the request was bad, not the server.
        status = 400 if result.data is None and result.errors and not any(e.path for e in result.errors) else 200
        return _json(payload, status, request_id)
    except Exception:  # outside any field: logged in full, answered as a masked 500, never as data
        log.exception("request %s failed outside the resolvers", request_id)
        return _refused(_Refusal(500, "INTERNAL", INTERNAL_MESSAGE), request_id)


def _operation(request: Request, body: bytes | None) -> tuple[str, dict[str, Any] | None, str | None]:
    if body is None:  # GET: queries only, from the URL
        params = request.query_params
        data: Any = {"query": params.get("query"), "operationName": params.get("operationName")}
        if params.get("variables"):
            data["variables"] = _loads(params["variables"].encode())
    else:
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != "application/json":
            raise _Refusal(415, "BAD_REQUEST", "Send the request as application/json.")
        data = _loads(body)
    if isinstance(data, list):
        raise _Refusal(400, "BATCHING_NOT_SUPPORTED", "Send one operation per request; batches are not accepted.")
    if not isinstance(data, dict):
        raise _Refusal(400, "BAD_REQUEST", "The body must be a JSON object with a query.")
    query, variables, operation_name = data.get("query"), data.get("variables"), data.get("operationName")
    if not isinstance(query, str) or not query.strip():
        raise _Refusal(400, "BAD_REQUEST", "The request has no GraphQL query.")
    if variables is not None and not isinstance(variables, dict):
        raise _Refusal(400, "BAD_REQUEST", "variables must be a JSON object.")
    if operation_name is not None and not isinstance(operation_name, str):
        raise _Refusal(400, "BAD_REQUEST", "operationName must be a string.")
    return query, variables, operation_name


def _loads(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: arrays nested thousands deep (was a 500)
        raise _Refusal(400, "BAD_REQUEST", "The body is not valid JSON.") from None


def _refused(refusal: _Refusal, request_id: str) -> Response:
    error = GraphQLError(refusal.message, extensions={"code": refusal.code, "requestId": request_id})
    return _json({"errors": [error.formatted]}, refusal.status, request_id, refusal.headers)


def _json(payload: dict[str, Any], status: int, request_id: str, headers: dict[str, str] | None = None) -> Response:
    content = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return Response(content, status_code=status, media_type="application/json",
                    headers={"X-Request-ID": request_id, "Cache-Control": "no-store", **(headers or {})})
