"""The console's built-in OAuth client: public (no secret, `token_endpoint_auth_method=none`,
so PKCE is what binds a code to the browser that asked for it), authorization code grant only,
redirect URIs from `CASEBRIDGE_CONSOLE_REDIRECT_URIS`, matched exactly."""

from __future__ import annotations

from authlib.oauth2.rfc6749 import ClientMixin

from casebridge.infra.auth.config import CONSOLE_CLIENT_ID
from casebridge.infra.auth.scopes import format_scope, known_scopes_in

GRANT_TYPE = "authorization_code"


class ConsoleClient(ClientMixin):
    def __init__(self, redirect_uris: tuple[str, ...]) -> None:
        self.redirect_uris = redirect_uris

    def get_client_id(self) -> str:
        return CONSOLE_CLIENT_ID

    def get_default_redirect_uri(self) -> None:
        return None  # always name it: the console is served from more than one origin

    def get_allowed_scope(self, scope: str | None) -> str:
        """The known scopes asked for; empty means "all of the user's" (narrowed at sign-in)."""
        return format_scope(known_scopes_in(scope or ""))

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return False

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == "none" and endpoint == "token"

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == GRANT_TYPE
