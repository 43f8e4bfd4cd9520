"""authlib's authorization code grant (RFC 6749 section 4.1) as the console uses it: public
client, PKCE with S256 required (RFC 7636; `plain` would let a stolen code be redeemed), a
`state` required, codes from `AuthorizationCodeStore`, tokens naming the signed-in user.

The grant's server is `CaseBridgeAuthorizationServer`, which gives it `users`, `codes` and
`issue_user_token`.
"""

from __future__ import annotations

from typing import ClassVar

from authlib.oauth2.rfc6749.errors import InvalidGrantError, InvalidRequestError
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant
from authlib.oauth2.rfc6749.hooks import hooked
from authlib.oauth2.rfc7636 import CodeChallenge

from casebridge.infra.auth.issuer.authorization_codes import (
    AuthorizationCode,
    AuthorizationCodeReplayedError,
)
from casebridge.infra.auth.issuer.users import ConsoleUser

CODE_CHALLENGE_METHOD = "S256"
MAX_STATE_LENGTH = 1024


class S256CodeChallenge(CodeChallenge):
    """PKCE with S256 only, and never optional."""

    SUPPORTED_CODE_CHALLENGE_METHOD: ClassVar[list[str]] = [CODE_CHALLENGE_METHOD]
    DEFAULT_CODE_CHALLENGE_METHOD = CODE_CHALLENGE_METHOD

    def validate_code_challenge(self, grant, redirect_uri) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("code_challenge is required (PKCE, RFC 7636)")
        if data.get("code_challenge_method") != CODE_CHALLENGE_METHOD:
            raise InvalidRequestError("code_challenge_method must be S256")
        super().validate_code_challenge(grant, redirect_uri)


class ConsoleAuthorizationCodeGrant(AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = ["none"]

    def validate_authorization_request(self) -> str:
        redirect_uri = super().validate_authorization_request()
        state = self.request.payload.state
        if not state:
            raise InvalidRequestError("state is required", redirect_uri=redirect_uri)
        if len(state) > MAX_STATE_LENGTH:
            raise InvalidRequestError(f"state is longer than {MAX_STATE_LENGTH} characters", redirect_uri=redirect_uri)
        return redirect_uri

    def query_authorization_code(self, code: str, client) -> AuthorizationCode | None:
        try:
            return self.server.codes.redeem(code, client.get_client_id())
        except AuthorizationCodeReplayedError:
            raise InvalidGrantError("the authorization code was used before; tokens issued with it are revoked") from None

    def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
        """Nothing to do: `redeem` marked it used (kept, so that a replay can be detected)."""

    def authenticate_user(self, authorization_code: AuthorizationCode) -> ConsoleUser | None:
        return self.server.users.find_active(authorization_code.username)

    @hooked
    def create_token_response(self):
        code: AuthorizationCode = self.request.authorization_code
        user = self.authenticate_user(code)
        if user is None:
            raise InvalidGrantError("the user who signed in is disabled")
        self.request.user = user
        issued = self.server.issue_user_token(user, code.scope)
        if not self.server.codes.record_token(code.code_hash, issued.token_id, issued.expires_in):
            raise InvalidGrantError("the authorization code was used before; tokens issued with it are revoked")
        return 200, issued.as_response(), self.TOKEN_RESPONSE_HEADER
