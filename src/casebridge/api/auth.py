"""Authentication of API requests by bearer token (RFC 6750).

`authenticate_request` runs on every GraphQL request: it verifies the token once, keeps
the `Principal` on `request.state`, and turns every failure into a 401 with a
`WWW-Authenticate: Bearer` challenge — never a stack trace.
"""

from __future__ import annotations

import re

from fastapi import HTTPException
from starlette.requests import HTTPConnection

from casebridge.infra.auth import InvalidTokenError, Principal, TokenValidator
from casebridge.infra.database import StorageUnavailableError

REALM = "casebridge"
_NOT_ALLOWED_IN_CHALLENGE = re.compile(r'[^\x20-\x21\x23-\x5b\x5d-\x7e]')  # RFC 6750 §3


def bearer_challenge(description: str | None = None) -> str:
    """The `WWW-Authenticate` value: a bare challenge when no token came, else invalid_token."""
    if description is None:
        return f'Bearer realm="{REALM}"'
    description = _NOT_ALLOWED_IN_CHALLENGE.sub("?", description)
    return f'Bearer realm="{REALM}", error="invalid_token", error_description="{description}"'


def authenticate_request(request: HTTPConnection) -> Principal:
    """The principal behind the request's bearer token; HTTP 401 when there is none."""
    principal = getattr(request.state, "principal", None)
    if principal is not None:
        return principal
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise HTTPException(401, "A bearer token is required.", headers={"WWW-Authenticate": bearer_challenge()})
    validator: TokenValidator = request.app.state.token_validator
    try:
        principal = validator.validate(token)
    except InvalidTokenError as exc:
        raise HTTPException(401, exc.description, headers={"WWW-Authenticate": bearer_challenge(exc.description)}) from None
    except StorageUnavailableError:
        raise HTTPException(503, "Token validation is temporarily unavailable.", headers={"Retry-After": "5"}) from None
    request.state.principal = principal
    return principal
