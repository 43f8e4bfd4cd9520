"""Revoked access tokens, in `oauth_revoked_tokens`: tokens of the console whose code was
replayed (RFC 6749 section 4.1.2) or whose user signed out. Our tokens are self-contained
JWTs, so a revocation is a row that `ConsoleUserTokens` looks up; it is kept until the token
would have expired anyway (plus an hour for clock skew), then pruned."""

from __future__ import annotations

from casebridge.infra.auth.clock import Clock, storable_time, system_clock
from casebridge.infra.database import Database

_PRUNE_AFTER = 3600


class TokenRevocations:
    def __init__(self, db: Database, *, clock: Clock = system_clock) -> None:
        self._db = db
        self._clock = clock

    def revoke(self, token_id: str, *, until: float) -> None:
        """Revokes the token with that `jti`; `until` is when it expires (seconds since the epoch)."""
        with self._db.transaction() as cur:
            revoke_in(cur, token_id, until=until, now=self._clock())

    def now(self) -> float:
        return self._clock()

    def is_revoked(self, token_id: str) -> bool:
        return self._db.query_one("SELECT 1 FROM oauth_revoked_tokens WHERE token_id = ?", (token_id,)) is not None


def revoke_in(cur, token_id: str, *, until: float, now: float) -> None:
    """The revocation inside the caller's transaction."""
    cur.execute("INSERT INTO oauth_revoked_tokens (token_id, expires_at) VALUES (?, ?) ON CONFLICT (token_id) DO NOTHING",
                (token_id, storable_time(until)))
    cur.execute("DELETE FROM oauth_revoked_tokens WHERE expires_at < ?", (storable_time(now - _PRUNE_AFTER),))
