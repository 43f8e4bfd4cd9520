"""Console users: the people who sign in to the console, one jurisdiction and a set of scopes
each, in `console_users`.

Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106's second recommended
option). A hash made with older parameters is replaced at the next successful sign-in. An
unknown or disabled user costs the same hash as a known one, so timing does not tell them apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from casebridge.domain.jurisdictions import JurisdictionRegistry
from casebridge.infra.auth.clock import Clock, storable_time, stored_time, system_clock
from casebridge.infra.auth.config import CONSOLE_CLIENT_ID
from casebridge.infra.auth.scopes import format_scope, parse_scope
from casebridge.infra.database import Database

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024  # argon2 takes any length; an endless one is only a way to burn CPU
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._@-]{2,63}")
_COLUMNS = "username, password_hash, display_name, jurisdiction, scope, created_at, disabled_at"


class UserRegistrationError(ValueError):
    """A user cannot be created as asked; nothing was written."""


class UserConflictError(UserRegistrationError):
    """The username is taken."""


class UnknownUserError(LookupError):
    """No user has that username."""


@dataclass(frozen=True)
class ConsoleUser:
    username: str
    display_name: str
    jurisdiction: str
    scopes: frozenset[str]
    created_at: datetime
    disabled_at: datetime | None
    password_hash: str = field(repr=False, default="")

    @property
    def scope(self) -> str:
        return format_scope(self.scopes)

    @property
    def is_disabled(self) -> bool:
        return self.disabled_at is not None


def normalise_username(username: str) -> str:
    """Usernames are case-insensitive: `Li.Wei` and `li.wei` are one person."""
    return username.strip().lower()


class UserStore:
    def __init__(
        self,
        db: Database,
        jurisdictions: JurisdictionRegistry | None = None,
        *,
        clock: Clock = system_clock,
        hasher: PasswordHasher | None = None,
    ) -> None:
        self._db = db
        self._jurisdictions = jurisdictions or JurisdictionRegistry.load()
        self._clock = clock
        self._hasher = hasher or PasswordHasher()

    def create(
        self,
        *,
        username: str,
        password: str,
        jurisdiction: str,
        scope: str | Iterable[str],
        display_name: str | None = None,
    ) -> ConsoleUser:
        username = normalise_username(username)
        if not _USERNAME.fullmatch(username):
            raise UserRegistrationError("username must be 3-64 characters of a-z 0-9 . _ @ - (starting with a letter or digit)")
        if username == CONSOLE_CLIENT_ID:  # a token's `sub` equal to its client means "no user"
            raise UserRegistrationError(f"the username {CONSOLE_CLIENT_ID!r} is reserved")
        check_password(password)
        scopes = parse_scope(scope)  # UnknownScopeError is a ValueError with the known scopes in it
        if jurisdiction not in self._jurisdictions:
            raise UserRegistrationError(f"unknown jurisdiction {jurisdiction!r}")
        display_name = (display_name or "").strip() or username
        password_hash = self._hasher.hash(password)
        with self._db.transaction() as cur:
            cur.execute(
                f"INSERT INTO console_users ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, NULL) ON CONFLICT (username) DO NOTHING",
                (username, password_hash, display_name, jurisdiction, format_scope(scopes), storable_time(self._clock())),
            )
            if cur.rowcount != 1:
                raise UserConflictError(f"user {username!r} already exists")
            cur.execute(f"SELECT {_COLUMNS} FROM console_users WHERE username = ?", (username,))
            return _user(cur.fetchone())

    def get(self, username: str) -> ConsoleUser | None:
        """The user with that username, disabled or not."""
        row = self._db.query_one(f"SELECT {_COLUMNS} FROM console_users WHERE username = ?", (normalise_username(username),))
        return _user(row) if row else None

    def find_active(self, username: str) -> ConsoleUser | None:
        user = self.get(username)
        return user if user is not None and not user.is_disabled else None

    def list_all(self) -> list[ConsoleUser]:
        return [_user(row) for row in self._db.query(f"SELECT {_COLUMNS} FROM console_users ORDER BY username")]

    def disable(self, username: str) -> ConsoleUser:
        """Disables the user and ends their login sessions. Disabling twice is harmless."""
        username = normalise_username(username)
        with self._db.transaction() as cur:
            cur.execute(
                "UPDATE console_users SET disabled_at = ? WHERE username = ? AND disabled_at IS NULL",
                (storable_time(self._clock()), username),
            )
            cur.execute("DELETE FROM console_sessions WHERE username = ?", (username,))
            cur.execute(f"SELECT {_COLUMNS} FROM console_users WHERE username = ?", (username,))
            row = cur.fetchone()
        if row is None:
            raise UnknownUserError(f"no user {username!r}")
        return _user(row)

    def verify_password(self, username: str, password: str) -> ConsoleUser | None:
        """The active user if the password is theirs, else None (unknown, disabled or wrong
        password alike). Rehashes a hash whose argon2 parameters are out of date."""
        user = self.get(username) if len(password) <= MAX_PASSWORD_LENGTH else None
        if user is None or user.is_disabled:
            self._verify(self._dummy_hash, password)  # the same work as for a real user
            return None
        if not self._verify(user.password_hash, password):
            return None
        if self._hasher.check_needs_rehash(user.password_hash):
            self._db.execute(
                "UPDATE console_users SET password_hash = ? WHERE username = ? AND password_hash = ?",
                (self._hasher.hash(password), user.username, user.password_hash),
            )
        return user

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    @cached_property
    def _dummy_hash(self) -> str:
        return self._hasher.hash("not the password of anyone at all")


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserRegistrationError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise UserRegistrationError(f"the password must be at most {MAX_PASSWORD_LENGTH} characters")


def _user(row) -> ConsoleUser:
    username, password_hash, display_name, jurisdiction, scope, created_at, disabled_at = row
    return ConsoleUser(
        username=username,
        display_name=display_name,
        jurisdiction=jurisdiction,
        scopes=frozenset(scope.split()),
        created_at=stored_time(created_at),
        disabled_at=stored_time(disabled_at),
        password_hash=password_hash,
    )
