"""The console's sign-in at the authorization endpoint, framework-neutral: what to answer to
`GET /oauth/authorize` (an authorization request) and `POST /oauth/authorize` (the login form).

Each step returns what the browser should get: `ShowError` (the request cannot be trusted
enough to redirect: an HTML page), `ShowLoginForm`, or `Redirect` (to the console, with a
code or an error; with `session_id` set, the browser is signed in from now on).
`casebridge.api.oauth` turns these into HTTP responses and cookies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from casebridge.infra.auth.config import CONSOLE_CLIENT_ID
from casebridge.infra.auth.sign_in.login_csrf import token_fits
from casebridge.infra.auth.sign_in.login_throttle import LoginThrottle
from casebridge.infra.auth.sign_in.password_checks import RETRY_AFTER_SECONDS, PasswordCheckGate
from casebridge.infra.auth.issuer.revocations import TokenRevocations
from casebridge.infra.auth.issuer.server import (
    AUTHORIZATION_PARAMETERS,
    AuthorizationRefusal,
    CaseBridgeAuthorizationServer,
    PendingAuthorization,
)
from casebridge.infra.auth.sign_in.sessions import LoginSessionStore
from casebridge.infra.auth.issuer.users import MAX_PASSWORD_LENGTH, UserStore
from casebridge.infra.auth.validation.validator import InvalidTokenError, TokenValidator

CSRF_FIELD = "csrf_token"


@dataclass(frozen=True)
class ShowError:
    error: str
    description: str
    status: int = 400


@dataclass(frozen=True)
class Redirect:
    location: str
    session_id: str | None = None


@dataclass(frozen=True)
class ShowLoginForm:
    pending: PendingAuthorization
    status: int = 200
    problem: str | None = None  # "wrong_credentials", "missing_credentials", "throttled", "busy", "form_expired"
    username: str = ""
    retry_after: int | None = None


SignInStep = ShowError | Redirect | ShowLoginForm


class ConsoleSignIn:
    def __init__(
        self,
        server: CaseBridgeAuthorizationServer,
        users: UserStore,
        sessions: LoginSessionStore,
        throttle: LoginThrottle,
        *,
        validator: TokenValidator | None = None,
        revocations: TokenRevocations | None = None,
        token_lifetime: float = 0,
        password_checks: PasswordCheckGate | None = None,
    ) -> None:
        self.password_checks = password_checks or PasswordCheckGate()
        self._server = server
        self._users = users
        self._sessions = sessions
        self._throttle = throttle
        self._validator = validator
        self._revocations = revocations
        self._token_lifetime = token_lifetime  # the longest a token can still be accepted

    def start(self, params: Sequence[tuple[str, str]], session_id: str | None) -> SignInStep:
        """An authorization request: a code at once for a signed-in browser, else the form."""
        pending = self._server.check_authorization(params)
        if isinstance(pending, AuthorizationRefusal):
            return _refused(pending)
        user = None if pending.prompt == "login" else self._sessions.user_of(session_id)
        if user is not None:
            return Redirect(self._server.grant_authorization(pending, user))
        if pending.prompt == "none":  # OpenID Connect's silent check: never show a page
            return Redirect(self._server.authorization_error_uri(pending, "login_required", "the user is not signed in"))
        return ShowLoginForm(pending)

    def submit(
        self,
        form: Sequence[tuple[str, str]],
        *,
        session_id: str | None,
        browser_secret: str | None,
        address: str | None,
    ) -> SignInStep:
        """The login form posted back: the authorization request it carries is checked again,
        then the CSRF token; then a password-check slot (429 when all are busy), the attempt
        is reserved with the throttle (429 when locked), and only then the password is checked."""
        fields = dict(form)
        pending = self._server.check_authorization([(name, value) for name, value in form if name in AUTHORIZATION_PARAMETERS])
        if isinstance(pending, AuthorizationRefusal):
            return _refused(pending)
        username = fields.get("username", "").strip()
        password = fields.get("password", "")
        if not token_fits(browser_secret, pending.params, fields.get(CSRF_FIELD)):
            return ShowLoginForm(pending, 403, "form_expired", username)
        if not username or not password or len(username) > 256 or len(password) > MAX_PASSWORD_LENGTH:
            return ShowLoginForm(pending, 400, "missing_credentials", username[:256])
        with self.password_checks.slot() as free:
            if not free:
                return ShowLoginForm(pending, 429, "busy", username, RETRY_AFTER_SECONDS)
            retry_after = self._throttle.reserve(username, address)
            if retry_after:
                return ShowLoginForm(pending, 429, "throttled", username, retry_after)
            user = self._users.verify_password(username, password)  # unknown users: a dummy hash, same cost
        if user is None:
            return ShowLoginForm(pending, 401, "wrong_credentials", username)  # the reservation stays a failure
        self._throttle.record_success(user.username, address)
        self._sessions.end(session_id)  # a new sign-in never continues an older session
        new_session = self._sessions.start(user.username)
        return Redirect(self._server.grant_authorization(pending, user), session_id=new_session)

    def sign_out(self, session_id: str | None, access_token: str | None = None) -> None:
        """Ends the session; the console's access token, when sent along, is revoked too."""
        self._sessions.end(session_id)
        if not access_token or self._validator is None or self._revocations is None:
            return
        try:
            principal = self._validator.validate(access_token)
        except InvalidTokenError:
            return  # nothing to revoke: it is not accepted anyway
        if principal.client_id == CONSOLE_CLIENT_ID and principal.token_id:
            self._revocations.revoke(principal.token_id, until=self._revocations.now() + self._token_lifetime)


def _refused(refusal: AuthorizationRefusal) -> ShowError | Redirect:
    if refusal.redirect_to is None:
        return ShowError(refusal.error, refusal.description)
    return Redirect(refusal.redirect_to)
