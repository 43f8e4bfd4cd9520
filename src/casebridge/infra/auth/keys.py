"""Signing keys of the authorization server, in `oauth_signing_keys`.

One key is active (it signs new tokens); retired keys only verify, and are published in
the JWKS until every token they signed has expired. A revoked key (compromised) neither signs
nor verifies from the moment it is revoked, and leaves the JWKS. Keys are ES256 (P-256): short
signatures, fast to sign, supported by every JOSE library.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from joserfc.jwk import ECKey

from casebridge.infra.auth.clock import Clock, storable_time, stored_time, system_clock
from casebridge.infra.database import Database

ALGORITHM = "ES256"
CURVE = "P-256"
_KEY_LOCK = 0x43424B59  # "CBKY": the PostgreSQL advisory lock that serialises key changes
_COLUMNS = "kid, algorithm, private_jwk, public_jwk, created_at, activated_at, retired_at"
_NOT_REVOKED = "kid NOT IN (SELECT kid FROM oauth_revoked_signing_keys)"


class UnknownSigningKeyError(LookupError):
    """No signing key has that kid."""


@dataclass(frozen=True)
class SigningKey:
    kid: str
    algorithm: str
    key: ECKey = field(repr=False)  # private while active, public only once retired
    public_jwk: dict
    created_at: datetime
    activated_at: datetime | None
    retired_at: datetime | None

    @property
    def is_active(self) -> bool:
        return self.retired_at is None

    def verifies_until(self, retention: timedelta) -> datetime | None:
        """When tokens this key signed can no longer be valid (None while it is active)."""
        return None if self.retired_at is None else self.retired_at + retention

    def is_published_at(self, now: datetime, retention: timedelta) -> bool:
        until = self.verifies_until(retention)
        return until is None or now < until


class SigningKeyStore:
    """Creates, rotates and loads the keys. Safe when several processes share the database."""

    def __init__(self, db: Database, *, clock: Clock = system_clock) -> None:
        self._db = db
        self._clock = clock

    def load_all(self) -> list[SigningKey]:
        """Every key that may still sign or verify (revoked keys left out)."""
        rows = self._db.query(f"SELECT {_COLUMNS} FROM oauth_signing_keys WHERE {_NOT_REVOKED} ORDER BY created_at, kid")
        return [_signing_key(row) for row in rows]

    def list_all(self) -> list[tuple[SigningKey, datetime | None]]:
        """Every key with when it was revoked (None if it was not), for `casebridge keys list`."""
        rows = self._db.query(
            f"SELECT {_COLUMNS}, (SELECT revoked_at FROM oauth_revoked_signing_keys r WHERE r.kid = k.kid)"
            f" FROM oauth_signing_keys k ORDER BY created_at, kid"
        )
        return [(_signing_key(row[:-1]), stored_time(row[-1])) for row in rows]

    def active_kid(self) -> str | None:
        """The kid of the key that signs now (one indexed lookup: issuers check it each time)."""
        row = self._db.query_one("SELECT kid FROM oauth_signing_keys WHERE is_active = 1")
        return row[0] if row else None

    def revoke(self, kid: str) -> tuple[SigningKey | None, bool]:
        """Revokes a (compromised) key: it verifies nothing from now on, its private half is
        erased, and if it was the active key a new one is activated in the same transaction.
        Returns the newly activated key (or None) and whether the key was revoked already."""
        now = storable_time(self._clock())
        with self._db.transaction() as cur:
            self._lock(cur)
            cur.execute("SELECT is_active FROM oauth_signing_keys WHERE kid = ?", (kid,))
            row = cur.fetchone()
            if row is None:
                raise UnknownSigningKeyError(f"no signing key {kid!r}")
            was_active = row[0] == 1
            cur.execute("INSERT INTO oauth_revoked_signing_keys (kid, revoked_at) VALUES (?, ?) ON CONFLICT (kid) DO NOTHING",
                        (kid, now))
            already = cur.rowcount != 1
            cur.execute(
                "UPDATE oauth_signing_keys SET is_active = NULL, private_jwk = NULL, retired_at = COALESCE(retired_at, ?)"
                " WHERE kid = ?",
                (now, kid),
            )
            activated = None
            if was_active:
                new_kid = self._insert_active(cur)
                cur.execute(f"SELECT {_COLUMNS} FROM oauth_signing_keys WHERE kid = ?", (new_kid,))
                activated = _signing_key(cur.fetchone())
        return activated, already

    def ensure_active(self) -> SigningKey:
        """The active key, created on first need. Two processes asking at once get the same
        key: the creation is serialised (advisory lock on PostgreSQL, BEGIN IMMEDIATE on
        SQLite) and the UNIQUE `is_active` column would refuse a second active key anyway."""
        row = self._db.query_one(f"SELECT {_COLUMNS} FROM oauth_signing_keys WHERE is_active = 1")
        if row is not None:
            return _signing_key(row)
        with self._db.transaction() as cur:
            self._lock(cur)
            cur.execute(f"SELECT {_COLUMNS} FROM oauth_signing_keys WHERE is_active = 1")
            row = cur.fetchone()
            if row is None:
                self._insert_active(cur, conflict_clause=" ON CONFLICT DO NOTHING")
                cur.execute(f"SELECT {_COLUMNS} FROM oauth_signing_keys WHERE is_active = 1")
                row = cur.fetchone()
        return _signing_key(row)

    def rotate(self) -> SigningKey:
        """Retires the active key (keeping only its public half) and activates a new one."""
        now = storable_time(self._clock())
        with self._db.transaction() as cur:
            self._lock(cur)
            cur.execute(
                "UPDATE oauth_signing_keys SET is_active = NULL, retired_at = ?, private_jwk = NULL WHERE is_active = 1",
                (now,),
            )
            kid = self._insert_active(cur)
            cur.execute(f"SELECT {_COLUMNS} FROM oauth_signing_keys WHERE kid = ?", (kid,))
            row = cur.fetchone()
        return _signing_key(row)

    def _lock(self, cur) -> None:
        if self._db.is_postgres:
            cur.execute("SELECT pg_advisory_xact_lock(?)", (_KEY_LOCK,))

    def _insert_active(self, cur, conflict_clause: str = "") -> str:
        key = ECKey.generate_key(CURVE, private=True, auto_kid=True)
        now = storable_time(self._clock())
        public = {**key.as_dict(private=False), "alg": ALGORITHM, "use": "sig"}
        cur.execute(
            f"INSERT INTO oauth_signing_keys (kid, algorithm, private_jwk, public_jwk, is_active, created_at, activated_at, retired_at)"
            f" VALUES (?, ?, ?, ?, 1, ?, ?, NULL){conflict_clause}",
            (key.kid, ALGORITHM, json.dumps(key.as_dict(private=True)), json.dumps(public), now, now),
        )
        return key.kid


def _signing_key(row) -> SigningKey:
    kid, algorithm, private_jwk, public_jwk, created_at, activated_at, retired_at = row
    public = json.loads(public_jwk)
    return SigningKey(
        kid=kid,
        algorithm=algorithm,
        key=ECKey.import_key(json.loads(private_jwk) if private_jwk else public),
        public_jwk=public,
        created_at=stored_time(created_at),
        activated_at=stored_time(activated_at),
        retired_at=stored_time(retired_at),
    )
