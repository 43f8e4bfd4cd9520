"""HTTP half of the authorization server: the token endpoint, RFC 8414 metadata, the JWKS.

The framework-neutral half is `casebridge.infra.auth.server`; this module turns a
Starlette request into a `TokenRequest` (form body only, as RFC 6749 §4.4.2 asks) and the
`TokenResponse` back into JSON. The wired `AuthServices` are on `app.state.auth`.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from authlib.oauth2.rfc6749.errors import InvalidRequestError
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from casebridge.infra.auth import AuthServices, TokenRequest, TokenResponse
from casebridge.infra.database import StorageUnavailableError

router = APIRouter(tags=["oauth"])

MAX_FORM_BYTES = 16 * 1024
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"


@router.post("/oauth/token", include_in_schema=False)
async def token(request: Request) -> JSONResponse:
    auth: AuthServices = request.app.state.auth
    form_or_problem = await _read_form(request)
    if isinstance(form_or_problem, str):
        return _json(auth.server.error_response(InvalidRequestError(form_or_problem)))
    token_request = TokenRequest(method=request.method, headers=request.headers, form=form_or_problem)
    try:
        # Client lookup and key loading touch the database: keep them off the event loop.
        response = await run_in_threadpool(auth.server.token_response, token_request)
    except StorageUnavailableError:
        return JSONResponse(
            {"error": "temporarily_unavailable", "error_description": "The token service cannot reach its storage."},
            status_code=503,
            headers={"Cache-Control": "no-store", "Pragma": "no-cache", "Retry-After": "5"},
        )
    return _json(response)


@router.get("/.well-known/oauth-authorization-server", include_in_schema=False)
def metadata(request: Request) -> JSONResponse:
    auth: AuthServices = request.app.state.auth
    return JSONResponse(auth.metadata(), headers={"Cache-Control": "public, max-age=3600"})


@router.get("/oauth/jwks", include_in_schema=False)
def jwks(request: Request) -> JSONResponse:
    auth: AuthServices = request.app.state.auth
    # Short caching: verifiers must see a rotated-in key soon after it starts signing.
    return JSONResponse(auth.keys.jwks(), media_type="application/jwk-set+json", headers={"Cache-Control": "public, max-age=60"})


async def _read_form(request: Request) -> list[tuple[str, str]] | str:
    """The decoded form fields, or what is wrong with the body."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != FORM_CONTENT_TYPE:
        return f"the body must be {FORM_CONTENT_TYPE}"
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            return "the body is too large"
    try:
        return parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(body), max_num_fields=32)
    except (UnicodeDecodeError, ValueError):
        return "the body is not a valid form"


def _json(response: TokenResponse) -> JSONResponse:
    headers = {name: value for name, value in response.headers if name.lower() != "content-type"}
    return JSONResponse(response.body, status_code=response.status, headers=headers)
