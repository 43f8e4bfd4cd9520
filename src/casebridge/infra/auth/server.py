"""The token endpoint: authlib's authorization server with the client credentials grant.

authlib has no FastAPI integration; this module is the framework-neutral half of the
adapter: a `TokenRequest` (method, headers, decoded form) goes in, a `TokenResponse`
(status, JSON body, headers) comes out. `casebridge.api.oauth` does the HTTP half.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from authlib.consts import default_json_headers
from authlib.oauth2.rfc6749 import (
    AuthorizationServer,
    ClientMixin,
    OAuth2Payload,
    OAuth2Request,
)
from authlib.oauth2.rfc6749.errors import (
    InvalidRequestError,
    InvalidScopeError,
    OAuth2Error,
)
from authlib.oauth2.rfc6749.grants import ClientCredentialsGrant

from casebridge.infra.auth.clients import ClientStore, RegisteredClient
from casebridge.infra.auth.config import AuthConfig
from casebridge.infra.auth.scopes import KNOWN_SCOPES, split_scope
from casebridge.infra.auth.tokens import AccessTokenIssuer

AUTH_METHODS = ("client_secret_basic", "client_secret_post")
GRANT_TYPES = ("client_credentials",)
REALM = "casebridge"
_NOT_ALLOWED_IN_DESCRIPTION = re.compile(r'[^\x20-\x21\x23-\x5b\x5d-\x7e]')  # RFC 6749 §5.2


@dataclass(frozen=True)
class TokenRequest:
    method: str
    headers: Mapping[str, str]
    form: Sequence[tuple[str, str]]


@dataclass(frozen=True)
class TokenResponse:
    status: int
    body: dict
    headers: list[tuple[str, str]]


class CaseBridgeAuthorizationServer(AuthorizationServer):
    def __init__(self, clients: ClientStore, issuer: AccessTokenIssuer, config: AuthConfig) -> None:
        super().__init__(scopes_supported=list(KNOWN_SCOPES))
        self._clients = clients
        self._issuer = issuer
        self._config = config
        self.register_grant(_ClientCredentialsGrant)
        self.register_token_generator("client_credentials", self._generate_token)

    def token_response(self, request: TokenRequest) -> TokenResponse:
        """Answers one token request: a token, or an RFC 6749 §5.2 error."""
        problem = _malformed(request)
        if problem:
            return self.error_response(InvalidRequestError(problem))
        return self.create_token_response(request)

    def error_response(self, error: OAuth2Error) -> TokenResponse:
        return self.handle_error_response(None, error)

    # -- authlib's framework hooks ----------------------------------------------------

    def query_client(self, client_id: str) -> _Client | None:
        client = self._clients.find_active(client_id)
        return _Client(client) if client else None

    def save_token(self, token: dict, request: OAuth2Request) -> None:
        """Nothing to save: access tokens are self-contained JWTs, valid until `exp`."""

    def send_signal(self, name: str, *args, **kwargs) -> None:
        """No listeners."""

    def create_oauth2_request(self, request: TokenRequest) -> OAuth2Request:
        return _OAuth2Request(request, self._config.token_endpoint)

    def handle_response(self, status: int, body: dict, headers: list[tuple[str, str]]) -> TokenResponse:
        return TokenResponse(status, body, list(headers))

    def handle_error_response(self, request: OAuth2Request | None, error: OAuth2Error) -> TokenResponse:
        headers = list(default_json_headers)
        if error.error == "invalid_client":
            # One answer for unknown, revoked and wrong-secret alike, always 401: RFC 6749
            # §5.2 wants it when Basic was tried, and it tells nobody which ids exist.
            status, description = 401, "Client authentication failed."
            headers.append(("WWW-Authenticate", f'Basic realm="{REALM}"'))
        else:
            status = error.status_code
            description = error.get_error_description() or error.description or error.error
        description = _NOT_ALLOWED_IN_DESCRIPTION.sub("?", str(description))[:200]
        return TokenResponse(status, {"error": error.error, "error_description": description}, headers)

    def _generate_token(self, grant_type, client, user=None, scope=None, expires_in=None, include_refresh_token=False) -> dict:
        scopes = split_scope(scope) if scope else client.record.scopes
        token = self._issuer.issue(client_id=client.record.client_id, jurisdiction=client.record.jurisdiction, scopes=scopes)
        return token.as_response()


class _ClientCredentialsGrant(ClientCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = list(AUTH_METHODS)

    def validate_requested_scope(self) -> None:
        """A requested scope narrows the client's grant; it may never widen it."""
        requested = set(split_scope(self.request.payload.scope or ""))
        if not requested <= set(KNOWN_SCOPES):
            raise InvalidScopeError("an unknown scope was requested")  # not echoed: it is untrusted text
        not_granted = requested - self.request.client.record.scopes
        if not_granted:
            raise InvalidScopeError(f"scope not granted to this client: {' '.join(sorted(not_granted))}")


class _Client(ClientMixin):
    def __init__(self, record: RegisteredClient) -> None:
        self.record = record

    def get_client_id(self) -> str:
        return self.record.client_id

    def get_default_redirect_uri(self) -> None:
        return None

    def get_allowed_scope(self, scope: str) -> str:
        return " ".join(name for name in split_scope(scope or "") if name in self.record.scopes)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return False

    def check_client_secret(self, client_secret: str) -> bool:
        return self.record.check_secret(client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return endpoint == "token" and method in AUTH_METHODS

    def check_response_type(self, response_type: str) -> bool:
        return False

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in GRANT_TYPES


class _FormPayload(OAuth2Payload):
    def __init__(self, form: Sequence[tuple[str, str]]) -> None:
        self._data = dict(form)
        self._datalist: defaultdict[str, list] = defaultdict(list)
        for name, value in form:
            self._datalist[name].append(value)

    @property
    def data(self) -> dict[str, str]:
        return self._data

    @property
    def datalist(self) -> defaultdict[str, list]:
        return self._datalist


class _OAuth2Request(OAuth2Request):
    def __init__(self, request: TokenRequest, uri: str) -> None:
        super().__init__(method=request.method, uri=uri, headers=_Headers(request.headers))
        self.payload = _FormPayload(request.form)

    @property
    def args(self) -> dict[str, str]:
        return {}

    @property
    def form(self) -> dict[str, str]:
        return self.payload.data


class _Headers(dict):
    """Header names are case-insensitive; authlib looks them up as `Authorization`."""

    def __init__(self, headers: Mapping[str, str]) -> None:
        super().__init__((name.lower(), value) for name, value in headers.items())

    def __getitem__(self, name: str) -> str:
        return super().__getitem__(name.lower())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and super().__contains__(name.lower())

    def get(self, name: str, default=None):
        return super().get(name.lower(), default)


def _malformed(request: TokenRequest) -> str | None:
    """What makes the request malformed before any grant looks at it (RFC 6749 §3.2, §2.3)."""
    seen: set[str] = set()
    for name, _ in request.form:
        if name in seen:
            return f"parameter {name} is repeated"
        seen.add(name)
    if not dict(request.form).get("grant_type"):
        return "grant_type is missing"
    uses_basic = _Headers(request.headers).get("authorization", "").lower().startswith("basic ")
    if uses_basic and "client_secret" in seen:
        return "use one client authentication method, not HTTP Basic and form fields together"
    return None
