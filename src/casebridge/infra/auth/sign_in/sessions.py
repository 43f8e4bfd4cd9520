"""Login sessions at the authorization server, in `console_sessions`.

A session lets a signed-in browser get a new authorization code without typing the password
again (the console keeps its token in memory, so it asks again after every reload). The
browser holds a random id in a cookie; the table holds only its SHA-256, so reading the table
signs nobody in. Sessions end at `expires_at`, on sign-out, and when the user is disabled.
"""

from __future__ import annotations

import re
import secrets

from casebridge.infra.auth.clock import Clock, storable_time, system_clock
from casebridge.infra.auth.issuer.secret_hash import token_digest
from casebridge.infra.auth.issuer.users import ConsoleUser, UserStore
from casebridge.infra.database import Database

DEFAULT_SESSION_TTL = 8 * 3600
_SESSION_ID = re.compile(r"[A-Za-z0-9_-]{43}")  # 32 random bytes, base64url


class LoginSessionStore:
    def __init__(self, db: Database, users: UserStore, *, ttl: int = DEFAULT_SESSION_TTL, clock: Clock = system_clock) -> None:
        self._db = db
        self._users = users
        self._clock = clock
        self.ttl = ttl

    def start(self, username: str) -> str:
        """A new session for `username`; returns the id for the cookie (shown only now)."""
        session_id = secrets.token_urlsafe(32)
        now = self._clock()
        with self._db.transaction() as cur:
            cur.execute("DELETE FROM console_sessions WHERE expires_at < ?", (storable_time(now),))
            cur.execute(
                "INSERT INTO console_sessions (session_hash, username, created_at, expires_at) VALUES (?, ?, ?, ?)",
                (token_digest(session_id), username, storable_time(now), storable_time(now + self.ttl)),
            )
        return session_id

    def user_of(self, session_id: str | None) -> ConsoleUser | None:
        """The active user of a live session, or None (no, unknown, expired or ended session,
        or a disabled user)."""
        if not session_id or not _SESSION_ID.fullmatch(session_id):
            return None
        row = self._db.query_one(
            "SELECT username FROM console_sessions WHERE session_hash = ? AND expires_at > ?",
            (token_digest(session_id), storable_time(self._clock())),
        )
        return self._users.find_active(row[0]) if row else None

    def end(self, session_id: str | None) -> None:
        """Ends the session; ending an unknown or ended one is harmless."""
        if session_id and _SESSION_ID.fullmatch(session_id):
            self._db.execute("DELETE FROM console_sessions WHERE session_hash = ?", (token_digest(session_id),))
