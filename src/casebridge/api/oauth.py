"""HTTP half of the authorization server: the token endpoint, RFC 8414 metadata, the JWKS,
and the console's sign-in: the authorization endpoint with its login form, sign-out, and
`/console/config.json` (where the console signs people in).

The framework-neutral half is `casebridge.infra.auth.issuer.server` (and `.sign_in`); this module
turns a Starlette request into a `TokenRequest` (form body only, as RFC 6749 §4.4.2 asks) and
the `TokenResponse` back into JSON, and a sign-in step into a page or a redirect with cookies.
The wired `AuthServices` are on `app.state.auth`.

Cookies of the sign-in, both HttpOnly, SameSite=Lax, Secure on https:
- `cb_session` (path `/oauth`): the login session, so that the console can get a new code
  after a reload without asking for the password (8 h by default);
- `cb_login_csrf` (path `/oauth/authorize`): the browser's secret behind the login form's
  CSRF token.
"""

from __future__ import annotations

import base64
import binascii
from urllib.parse import parse_qsl, unquote

from authlib.oauth2.rfc6749.errors import InvalidRequestError
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from casebridge.api.login_page import error_page, login_form_page, security_headers
from casebridge.domain import values
from casebridge.domain.errors import ValidationError
from casebridge.infra.auth import AuthServices, TokenRequest, TokenResponse
from casebridge.infra.auth.config import CONSOLE_CLIENT_ID
from casebridge.infra.auth.sign_in.login_csrf import (
    form_token,
    is_browser_secret,
    new_browser_secret,
)
from casebridge.infra.auth.scopes import KNOWN_SCOPES
from casebridge.infra.auth.sign_in.flow import (
    CSRF_FIELD,
    Redirect,
    ShowError,
    SignInStep,
)
from casebridge.infra.database import StorageUnavailableError

router = APIRouter(tags=["oauth"])

MAX_FORM_BYTES = 16 * 1024
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
SESSION_COOKIE = "cb_session"
SESSION_COOKIE_PATH = "/oauth"
CSRF_COOKIE = "cb_login_csrf"
CSRF_COOKIE_PATH = "/oauth/authorize"


@router.post("/oauth/token", include_in_schema=False)
async def token(request: Request) -> JSONResponse:
    auth: AuthServices = request.app.state.auth
    form_or_problem = await _read_form(request)
    if isinstance(form_or_problem, list):
        form_or_problem = _unacceptable(_basic_credentials(request)) or form_or_problem
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


@router.get("/oauth/authorize", include_in_schema=False)
def authorize(request: Request) -> Response:
    """The authorization endpoint (RFC 6749 section 4.1.1): a code at once for a signed-in
    browser, else the login form."""
    auth: AuthServices = request.app.state.auth
    params = request.query_params.multi_items()
    problem = _unacceptable(params)
    if problem is not None:
        return _respond(request, auth, ShowError("invalid_request", problem), redirect_status=302)
    try:
        step = auth.sign_in.start(params, request.cookies.get(SESSION_COOKIE))
    except StorageUnavailableError:
        return _unavailable()
    return _respond(request, auth, step, redirect_status=302)


@router.post("/oauth/authorize", include_in_schema=False)
async def sign_in(request: Request) -> Response:
    """The login form posted: the authorization request again, the CSRF token, the username
    and the password; on success the browser is signed in and sent on with a code."""
    auth: AuthServices = request.app.state.auth
    form = await _read_form(request)
    if isinstance(form, str):
        return _respond(request, auth, ShowError("invalid_request", form), redirect_status=303)
    try:
        step = await run_in_threadpool(  # argon2 takes tens of milliseconds: off the event loop
            auth.sign_in.submit,
            form,
            session_id=request.cookies.get(SESSION_COOKIE),
            browser_secret=request.cookies.get(CSRF_COOKIE),
            address=request.client.host if request.client else None,
        )
    except StorageUnavailableError:
        return _unavailable()
    return _respond(request, auth, step, redirect_status=303)


@router.post("/oauth/logout", include_in_schema=False)
def logout(request: Request) -> Response:
    """Signs the browser out of the authorization server: the session ends, its cookie goes,
    and the console's access token sent along as `Authorization: Bearer` is revoked. (The
    console forgets its in-memory token itself.)"""
    auth: AuthServices = request.app.state.auth
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    try:
        auth.sign_in.sign_out(request.cookies.get(SESSION_COOKIE), token.strip() if scheme.lower() == "bearer" else None)
    except StorageUnavailableError:
        return _unavailable()
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.delete_cookie(SESSION_COOKIE, path=SESSION_COOKIE_PATH, secure=_is_https(request, auth), httponly=True, samesite="lax")
    return response


@router.get("/console/config.json", include_in_schema=False)
def console_config(request: Request) -> JSONResponse:
    """Where the console signs people in: the external OpenID provider when one is configured
    for it, else this server. The console does PKCE itself and keeps the token in memory."""
    config = request.app.state.auth.config
    redirect_uri = _console_redirect_uri(request, config.console_redirect_uris)
    oidc = config.console_oidc
    if oidc is not None:
        body = {
            "provider": "oidc",
            "issuer": config.oidc.issuer,
            "authorizationEndpoint": oidc.authorization_endpoint,
            "tokenEndpoint": oidc.token_endpoint,
            "clientId": oidc.client_id,
            "redirectUri": redirect_uri,
            "scope": oidc.scope,
            "logoutEndpoint": oidc.end_session_endpoint,
            "logoutMethod": "GET",
        }
    else:
        body = {
            "provider": "embedded",
            "issuer": config.issuer,
            "authorizationEndpoint": config.authorization_endpoint,
            "tokenEndpoint": config.token_endpoint,
            "clientId": CONSOLE_CLIENT_ID,
            "redirectUri": redirect_uri,
            "scope": " ".join(KNOWN_SCOPES),
            "logoutEndpoint": config.logout_endpoint,
            "logoutMethod": "POST",
        }
    return JSONResponse(body, headers={"Cache-Control": "no-cache"})


def _respond(request: Request, auth: AuthServices, step: SignInStep, *, redirect_status: int) -> Response:
    https = _is_https(request, auth)
    if isinstance(step, Redirect):
        response = Response(status_code=redirect_status, headers={
            "Location": step.location, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})
        if step.session_id is not None:
            response.set_cookie(SESSION_COOKIE, step.session_id, max_age=auth.config.console_session_ttl, path=SESSION_COOKIE_PATH,
                                secure=https, httponly=True, samesite="lax")
        return response
    if isinstance(step, ShowError):
        return HTMLResponse(error_page(step.error, step.description), status_code=step.status, headers=security_headers())
    secret = request.cookies.get(CSRF_COOKIE)
    fresh_secret = None if is_browser_secret(secret) else new_browser_secret()
    hidden = [*step.pending.params, (CSRF_FIELD, form_token(fresh_secret or secret, step.pending.params))]
    page = login_form_page(action=request.url.path, hidden=hidden, problem=step.problem, username=step.username,
                           retry_after=step.retry_after)
    headers = security_headers(form_targets=[step.pending.redirect_uri])
    if step.retry_after:
        headers["Retry-After"] = str(step.retry_after)
    response = HTMLResponse(page, status_code=step.status, headers=headers)
    if fresh_secret is not None:
        response.set_cookie(CSRF_COOKIE, fresh_secret, path=CSRF_COOKIE_PATH, secure=https, httponly=True, samesite="lax")
    return response


def _is_https(request: Request, auth: AuthServices) -> bool:
    return request.url.scheme == "https" or auth.config.issuer.startswith("https://")


def _console_redirect_uri(request: Request, registered: tuple[str, ...]) -> str:
    """The registered callback on the origin the console was loaded from, else the first."""
    origin = f"{request.url.scheme}://{request.url.netloc}"
    return next((uri for uri in registered if uri.startswith(origin + "/")), registered[0])


def _unavailable() -> HTMLResponse:
    headers = {**security_headers(), "Retry-After": "5"}
    return HTMLResponse(error_page("temporarily_unavailable", "The sign-in service cannot reach its storage."),
                        status_code=503, headers=headers)


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
        fields = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(body), max_num_fields=32)
    except (UnicodeDecodeError, ValueError):
        return "the body is not a valid form"
    return _unacceptable(fields) or fields


def _unacceptable(fields: list[tuple[str, str]]) -> str | None:
    """What is wrong with the first field holding a character no store can keep (the domain's
    one check for text), or None."""
    for name, value in fields:
        try:
            values.acceptable(name, "a field name")
            values.acceptable(value, name)
        except ValidationError as exc:
            return exc.message
    return None


def _basic_credentials(request: Request) -> list[tuple[str, str]]:
    """The client id and secret of an HTTP Basic header, decoded as the server will decode them."""
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return []
    try:
        client_id, _, secret = base64.b64decode(encoded.strip(), validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return []  # the server answers invalid_client for an undecodable header
    return [("client_id", unquote(client_id)), ("client_secret", unquote(secret))]


def _json(response: TokenResponse) -> JSONResponse:
    headers = {name: value for name, value in response.headers if name.lower() != "content-type"}
    return JSONResponse(response.body, status_code=response.status, headers=headers)
