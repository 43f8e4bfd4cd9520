"""The token endpoint: authlib's authorization server with the client credentials grant, and
for the console the authorization code grant with PKCE (when given users and codes).

authlib has no FastAPI integration; this module is the framework-neutral half of the
adapter: a `TokenRequest` (method, headers, decoded form) goes in, a `TokenResponse`
(status, JSON body, headers) comes out. `casebridge.api.oauth` does the HTTP half.

The authorization endpoint's half is `check_authorization` (the request's parameters in, a
`PendingAuthorization` or an `AuthorizationRefusal` out) and `grant_authorization` (a pending
request and the signed-in user in, the redirect URI with the code out). Who the user is, is
`casebridge.infra.auth.sign_in.flow`'s business.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from authlib.common.urls import add_params_to_uri
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

from casebridge.infra.auth.issuer.authorization_code_grant import (
    ConsoleAuthorizationCodeGrant,
    S256CodeChallenge,
)
from casebridge.infra.auth.issuer.authorization_codes import AuthorizationCodeStore
from casebridge.infra.auth.issuer.clients import ClientStore, RegisteredClient
from casebridge.infra.auth.config import CONSOLE_CLIENT_ID, AuthConfig
from casebridge.infra.auth.issuer.console_client import ConsoleClient
from casebridge.infra.auth.scopes import KNOWN_SCOPES, format_scope, split_scope
from casebridge.infra.auth.issuer.tokens import AccessTokenIssuer, IssuedToken
from casebridge.infra.auth.issuer.users import ConsoleUser, UserStore

AUTH_METHODS = ("client_secret_basic", "client_secret_post")  # registered (confidential) clients
GRANT_TYPES = ("client_credentials",)  # registered clients
PUBLIC_AUTH_METHODS = ("none",)  # the console
SUPPORTED_GRANT_TYPES = (*GRANT_TYPES, "authorization_code")
SUPPORTED_AUTH_METHODS = (*AUTH_METHODS, *PUBLIC_AUTH_METHODS)
AUTHORIZATION_PARAMETERS = ("response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method")
REALM = "casebridge"
_NOT_ALLOWED_IN_DESCRIPTION = re.compile(r'[^\x20-\x21\x23-\x5b\x5d-\x7e]')  # RFC 6749 §5.2
_MAX_PARAMETER_LENGTH = 2048


@dataclass(frozen=True)
class PendingAuthorization:
    """A valid authorization request of the console, waiting for its user to be known."""

    client_id: str
    redirect_uri: str
    scope: str  # the known scopes asked for; empty: all of the user's
    state: str
    code_challenge: str
    code_challenge_method: str
    prompt: str | None
    params: tuple[tuple[str, str], ...]  # the request's OAuth parameters, carried through the login form


@dataclass(frozen=True)
class AuthorizationRefusal:
    """An authorization request refused. With `redirect_to` the client is told there (RFC 6749
    section 4.1.2.1); without, the redirect URI is not trusted and the person is shown why."""

    error: str
    description: str
    redirect_to: str | None


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
    def __init__(
        self,
        clients: ClientStore,
        issuer: AccessTokenIssuer,
        config: AuthConfig,
        *,
        users: UserStore | None = None,
        codes: AuthorizationCodeStore | None = None,
    ) -> None:
        super().__init__(scopes_supported=list(KNOWN_SCOPES))
        self._clients = clients
        self._issuer = issuer
        self._config = config
        self.users = users
        self.codes = codes
        self._console = ConsoleClient(config.console_redirect_uris)
        self.register_grant(_ClientCredentialsGrant)
        self.register_token_generator("client_credentials", self._generate_token)
        if users is not None and codes is not None:
            self.register_grant(ConsoleAuthorizationCodeGrant, [S256CodeChallenge(required=True)])

    def token_response(self, request: TokenRequest) -> TokenResponse:
        """Answers one token request: a token, or an RFC 6749 §5.2 error."""
        problem = _malformed(request)
        if problem:
            return self.error_response(InvalidRequestError(problem))
        return self.create_token_response(request)

    def error_response(self, error: OAuth2Error) -> TokenResponse:
        return self.handle_error_response(None, error)

    # -- the authorization endpoint (the console's sign-in) ----------------------------

    def check_authorization(self, params: Sequence[tuple[str, str]]) -> PendingAuthorization | AuthorizationRefusal:
        """Validates an authorization request (RFC 6749 section 4.1.1, RFC 7636 section 4.3)."""
        for name, value in params:
            if name in AUTHORIZATION_PARAMETERS and name != "state" and (
                    len(value) > _MAX_PARAMETER_LENGTH or _NOT_ALLOWED_IN_DESCRIPTION.search(value)):
                return AuthorizationRefusal("invalid_request", f"the parameter {name} is malformed", None)
        request = _OAuth2Request(TokenRequest("GET", {}, params), self._config.authorization_endpoint)
        state = request.payload.state
        # The client and its redirect URI first, in our words: what the page shows before the
        # redirect URI is trusted must not quote what the (possibly forged) request said.
        client = self.query_client(request.payload.client_id) if request.payload.client_id else None
        if client is None:
            return AuthorizationRefusal("invalid_client", "the client is unknown to this server", None)
        if not request.payload.redirect_uri:
            return AuthorizationRefusal("invalid_request", "redirect_uri is missing", None)
        if not client.check_redirect_uri(request.payload.redirect_uri):
            return AuthorizationRefusal("invalid_request", "redirect_uri is not registered for this client", None)
        try:
            grant = self.get_authorization_grant(request)
            grant.validate_no_multiple_request_parameter(request)
            redirect_uri = grant.validate_authorization_request()
        except OAuth2Error as error:
            return self._refusal(error, state if isinstance(state, str) else None)
        except ValueError:  # authlib's error text would quote what the client sent: refuse plainly
            return AuthorizationRefusal("invalid_request", "the authorization request is malformed", None)
        data = request.payload.data
        return PendingAuthorization(
            client_id=grant.client.get_client_id(),
            redirect_uri=redirect_uri,
            scope=request.scope or "",
            state=state,
            code_challenge=data["code_challenge"],
            code_challenge_method=data["code_challenge_method"],
            prompt=data.get("prompt") or None,
            params=tuple((name, data[name]) for name in AUTHORIZATION_PARAMETERS if data.get(name)),
        )

    def grant_authorization(self, pending: PendingAuthorization, user: ConsoleUser) -> str:
        """The redirect URI with a new code for `user`, or with `invalid_scope` when the user
        holds none of the scopes asked for. A request narrows the user's scopes, never widens."""
        assert self.codes is not None, "the authorization code grant is not enabled"
        scopes = user.scopes & frozenset(split_scope(pending.scope)) if pending.scope else user.scopes
        if not scopes:
            return self.authorization_error_uri(pending, "invalid_scope", "none of the requested scopes is granted to this user")
        code = self.codes.issue(
            client_id=pending.client_id,
            redirect_uri=pending.redirect_uri,
            scope=format_scope(scopes),
            username=user.username,
            code_challenge=pending.code_challenge,
            code_challenge_method=pending.code_challenge_method,
        )
        # `iss` (RFC 9207) lets a client that talks to several servers tell whose code it got.
        return add_params_to_uri(pending.redirect_uri, [("code", code), ("state", pending.state), ("iss", self._config.issuer)])

    def authorization_error_uri(self, pending: PendingAuthorization, error: str, description: str) -> str:
        params = [("error", error), ("error_description", description), ("state", pending.state), ("iss", self._config.issuer)]
        return add_params_to_uri(pending.redirect_uri, params)

    def issue_user_token(self, user: ConsoleUser, scope: str) -> IssuedToken:
        """An access token of the console for `user`."""
        return self._issuer.issue(client_id=CONSOLE_CLIENT_ID, subject=user.username, jurisdiction=user.jurisdiction,
                                  scopes=split_scope(scope))

    def _refusal(self, error: OAuth2Error, state: str | None) -> AuthorizationRefusal:
        description = _NOT_ALLOWED_IN_DESCRIPTION.sub("?", str(error.get_error_description() or error.description or error.error))[:200]
        if not error.redirect_uri:
            return AuthorizationRefusal(error.error, description, None)
        params = [("error", error.error), ("error_description", description)]
        if state:
            params.append(("state", state))
        params.append(("iss", self._config.issuer))
        return AuthorizationRefusal(error.error, description, add_params_to_uri(error.redirect_uri, params))

    # -- authlib's framework hooks ----------------------------------------------------

    def query_client(self, client_id: str) -> _Client | ConsoleClient | None:
        if client_id == CONSOLE_CLIENT_ID:
            return self._console if self.codes is not None else None
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
