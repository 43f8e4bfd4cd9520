"""Whether a principal is still in good standing: the one question every transport asks.

A token is self-contained, so what happened after it was issued lives in the database:
its client revoked (`casebridge client revoke`), its signing key revoked (`casebridge keys
revoke`), its person disabled (`casebridge user disable`) or signed out (the token itself
revoked). `PrincipalStanding.refusal` looks all of these up in ONE query of indexed point
lookups, on every HTTP request (`TokenValidator.validate`) and on every WebSocket push
(`TokenValidator.check_standing`), so a revocation holds at once in every process that
shares the database — no cache to wait out. External OpenID providers' tokens are the
provider's to revoke; only their signing keys are checked here (they are not ours).
"""

from __future__ import annotations

from casebridge.infra.auth.config import CONSOLE_CLIENT_ID
from casebridge.infra.database import Database

_STANDING = (
    "SELECT (SELECT COUNT(*) FROM oauth_revoked_signing_keys WHERE kid = ?),"
    " (SELECT COUNT(*) FROM oauth_clients WHERE client_id = ? AND revoked_at IS NOT NULL),"
    " (SELECT COUNT(*) FROM console_users WHERE username = ? AND disabled_at IS NULL),"
    " (SELECT COUNT(*) FROM oauth_revoked_tokens WHERE token_id = ?)"
)


class PrincipalStanding:
    """Answers for tokens we issued. `user_client_ids` are the clients that act for people
    (the console's): their tokens' `sub` is a user, who must exist and be enabled."""

    def __init__(self, db: Database, *, user_client_ids: frozenset[str] = frozenset({CONSOLE_CLIENT_ID})) -> None:
        self._db = db
        self.user_client_ids = user_client_ids

    def refusal(self, *, client_id: str, subject: str, token_id: str | None, key_id: str | None) -> str | None:
        """Why a token with these claims no longer stands, or None when it still does."""
        acts_for_user = client_id in self.user_client_ids and subject != client_id
        key_revoked, client_revoked, user_active, token_revoked = self._db.query_one(
            _STANDING, (key_id or "", client_id, subject if acts_for_user else "", token_id or "")
        )
        if key_revoked:
            return "token signing key was revoked"
        if client_revoked:
            return "token client was revoked"
        if token_revoked:
            return "token was revoked"
        if acts_for_user and not user_active:
            return "token user is unknown or disabled"
        return None
