"""Whether a token the console got for a person still stands: checked on every request that
carries one, so that disabling a user, or replaying the code a token came from, takes effect
at once rather than when the token expires. One indexed query per request."""

from __future__ import annotations

from casebridge.infra.auth.config import CONSOLE_CLIENT_ID
from casebridge.infra.database import Database


class ConsoleUserTokens:
    client_ids: frozenset[str] = frozenset({CONSOLE_CLIENT_ID})

    def __init__(self, db: Database) -> None:
        self._db = db

    def refusal(self, subject: str, token_id: str) -> str | None:
        active, revoked = self._db.query_one(
            "SELECT (SELECT COUNT(*) FROM console_users WHERE username = ? AND disabled_at IS NULL),"
            " (SELECT COUNT(*) FROM oauth_revoked_tokens WHERE token_id = ?)",
            (subject, token_id),
        )
        if revoked:
            return "token was revoked"
        if not active:
            return "token user is unknown or disabled"
        return None
