"""Authorization codes (RFC 6749 section 4.1, with RFC 7636 PKCE), in `oauth_authorization_codes`.

A code lives `CODE_TTL` seconds, is bound to its client, redirect URI and code challenge, and
is redeemed at most once: redeeming marks it used in the same transaction that reads it, so
two API processes racing with one code cannot both win. A code presented again is a replay
(RFC 6749 section 4.1.2): the token issued with it is revoked, and if the replay comes before
that token is recorded, the token is never handed out. Codes are stored by SHA-256.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from casebridge.infra.auth.clock import Clock, storable_time, stored_time, system_clock
from casebridge.infra.auth.issuer.revocations import revoke_in
from casebridge.infra.auth.issuer.secret_hash import token_digest
from casebridge.infra.database import Database

CODE_TTL = 60
_COLUMNS = "code_hash, client_id, redirect_uri, scope, username, code_challenge, code_challenge_method, expires_at, used_at"


class AuthorizationCodeReplayedError(Exception):
    """The code was redeemed before; what was issued with it is now revoked."""


@dataclass(frozen=True)
class AuthorizationCode:
    code_hash: str
    client_id: str
    redirect_uri: str
    scope: str
    username: str
    code_challenge: str
    code_challenge_method: str
    expires_at: datetime

    # authlib's AuthorizationCodeMixin and CodeChallenge read these
    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope


class AuthorizationCodeStore:
    def __init__(self, db: Database, *, clock: Clock = system_clock) -> None:
        self._db = db
        self._clock = clock

    def issue(
        self,
        *,
        client_id: str,
        redirect_uri: str,
        scope: str,
        username: str,
        code_challenge: str,
        code_challenge_method: str,
    ) -> str:
        """Stores a new code and returns it (the only time it exists in clear)."""
        code = secrets.token_urlsafe(32)
        now = self._clock()
        with self._db.transaction() as cur:
            cur.execute("DELETE FROM oauth_authorization_codes WHERE expires_at < ? AND (token_expires_at IS NULL OR token_expires_at < ?)",
                        (storable_time(now - CODE_TTL), storable_time(now)))
            cur.execute(
                "INSERT INTO oauth_authorization_codes (code_hash, client_id, redirect_uri, scope, username, code_challenge,"
                " code_challenge_method, created_at, expires_at, used_at, replayed_at, token_id, token_expires_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, NULL)",
                (token_digest(code), client_id, redirect_uri, scope, username, code_challenge, code_challenge_method,
                 storable_time(now), storable_time(now + CODE_TTL)),
            )
        return code

    def redeem(self, code: str, client_id: str) -> AuthorizationCode | None:
        """The code's grant, marked used; None when no such code was issued to `client_id` or
        it expired. Raises `AuthorizationCodeReplayedError` when it was redeemed before."""
        now = self._clock()
        lock = " FOR UPDATE" if self._db.is_postgres else ""
        with self._db.transaction() as cur:
            cur.execute(f"SELECT {_COLUMNS} FROM oauth_authorization_codes WHERE code_hash = ? AND client_id = ?{lock}",
                        (token_digest(code), client_id))
            row = cur.fetchone()
            if row is None:
                return None
            grant = _code(row)
            if row[-1] is not None:  # used before
                self._revoke_issued(cur, grant.code_hash, now)
                replayed = True
            else:
                cur.execute("UPDATE oauth_authorization_codes SET used_at = ? WHERE code_hash = ?", (storable_time(now), grant.code_hash))
                replayed = False
        if replayed:
            raise AuthorizationCodeReplayedError("the authorization code was used before")
        return grant if now < grant.expires_at.timestamp() else None

    def record_token(self, code_hash: str, token_id: str, expires_in: int) -> bool:
        """Notes the token issued with the code; False if the code was replayed meanwhile
        (the token must then not be handed out)."""
        with self._db.transaction() as cur:
            cur.execute(
                "UPDATE oauth_authorization_codes SET token_id = ?, token_expires_at = ? WHERE code_hash = ? AND replayed_at IS NULL",
                (token_id, storable_time(self._clock() + expires_in), code_hash),
            )
            return cur.rowcount == 1

    def _revoke_issued(self, cur, code_hash: str, now: float) -> None:
        cur.execute("UPDATE oauth_authorization_codes SET replayed_at = ? WHERE code_hash = ? AND replayed_at IS NULL",
                    (storable_time(now), code_hash))
        cur.execute("SELECT token_id, token_expires_at FROM oauth_authorization_codes WHERE code_hash = ?", (code_hash,))
        token_id, token_expires_at = cur.fetchone()
        if token_id is not None:
            revoke_in(cur, token_id, until=stored_time(token_expires_at).timestamp(), now=now)


def _code(row) -> AuthorizationCode:
    code_hash, client_id, redirect_uri, scope, username, challenge, method, expires_at, _used_at = row
    return AuthorizationCode(
        code_hash=code_hash,
        client_id=client_id,
        redirect_uri=redirect_uri,
        scope=scope,
        username=username,
        code_challenge=challenge,
        code_challenge_method=method,
        expires_at=stored_time(expires_at),
    )
