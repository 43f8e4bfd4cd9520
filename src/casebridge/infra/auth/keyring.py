"""The signing keys as one process sees them: cached in memory, refreshed from the database.

Every process (API workers, the CLI) shares the keys through the database. Each caches
them for `key_refresh_seconds`, so a rotation done elsewhere is picked up quickly, and
reloads early when a token names a kid it does not know yet (the other process already
signs with a new key) — at most once per `miss_refresh_seconds`, so tokens with made-up
kids cannot turn into a query each. A database outage keeps the cached keys working.

Issuing does not wait for the cache: `signing_key` asks the database which kid is active
(one indexed lookup per token issued), so a rotation or a revocation done by another process
changes the key new tokens are signed with at once. Verifying does not wait either: a revoked
key is refused by the standing check (`casebridge.infra.auth.validation.standing`) on every request.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from casebridge.infra.auth.clock import Clock, system_clock, utc
from casebridge.infra.auth.keys import SigningKey, SigningKeyStore
from casebridge.infra.database import StorageUnavailableError

log = logging.getLogger(__name__)


class KeyRing:
    def __init__(
        self,
        store: SigningKeyStore,
        *,
        refresh_seconds: float,
        retention_seconds: float,
        miss_refresh_seconds: float = 1.0,
        clock: Clock = system_clock,
    ) -> None:
        self._store = store
        self._refresh_seconds = refresh_seconds
        self._retention = timedelta(seconds=retention_seconds)
        self._miss_refresh_seconds = miss_refresh_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._keys: dict[str, SigningKey] = {}
        self._loaded_at: float | None = None
        self._missed_at: float | None = None

    def signing_key(self) -> SigningKey:
        """The key that signs new tokens (the one the database says is active now); the first
        one is created on first need."""
        refreshed = self._refresh_if_older_than(self._refresh_seconds)
        active = self._active()
        if not refreshed:
            active_kid = self._store.active_kid()
            if active is None or active.kid != active_kid:
                self.refresh()
                active = self._active()
        if active is None:
            self._store.ensure_active()
            self.refresh()
            active = self._active()
        assert active is not None, "ensure_active left no active key"
        return active

    def verification_key(self, kid: str) -> SigningKey | None:
        """The key with that kid if it may still verify tokens, else None."""
        self._refresh_if_older_than(self._refresh_seconds, keep_on_error=True)
        key = self._published().get(kid)
        if key is None and self._may_refresh_on_miss():
            self._refresh_if_older_than(0, keep_on_error=True)
            key = self._published().get(kid)
        return key

    def published_keys(self) -> list[SigningKey]:
        """The keys a verifier needs now: the active one and retired ones still verifying."""
        self._refresh_if_older_than(self._miss_refresh_seconds, keep_on_error=True)
        return list(self._published().values())

    def jwks(self) -> dict:
        """The published keys as read from the database now: a key revoked by another process
        leaves the JWKS at once (one query per JWKS request; clients cache it)."""
        self._refresh_if_older_than(0, keep_on_error=True)
        return {"keys": [key.public_jwk for key in self.published_keys()]}

    def rotate(self) -> SigningKey:
        """Rotates in the database and picks the new key up here at once."""
        key = self._store.rotate()
        self.refresh()
        return key

    def revoke(self, kid: str) -> SigningKey | None:
        """Revokes in the database (see `SigningKeyStore.revoke`) and forgets the key here at once."""
        activated, _ = self._store.revoke(kid)
        self.refresh()
        return activated

    def refresh(self) -> None:
        keys = {key.kid: key for key in self._store.load_all()}
        with self._lock:
            self._keys = keys
            self._loaded_at = self._clock()

    def _refresh_if_older_than(self, seconds: float, *, keep_on_error: bool = False) -> bool:
        loaded_at = self._loaded_at
        if loaded_at is not None and self._clock() - loaded_at < seconds:
            return False
        try:
            self.refresh()
        except StorageUnavailableError:
            if not keep_on_error or loaded_at is None:
                raise
            log.warning("signing keys not refreshed (database unavailable); using the cached keys")
            with self._lock:
                self._loaded_at = self._clock()  # try again after the interval, not on every request
            return False
        return True

    def _may_refresh_on_miss(self) -> bool:
        now = self._clock()
        with self._lock:
            if self._missed_at is not None and now - self._missed_at < self._miss_refresh_seconds:
                return False
            self._missed_at = now
            return True

    def _active(self) -> SigningKey | None:
        with self._lock:
            return next((key for key in self._keys.values() if key.is_active), None)

    def _published(self) -> dict[str, SigningKey]:
        now = utc(self._clock())
        with self._lock:
            return {kid: key for kid, key in self._keys.items() if key.is_published_at(now, self._retention)}
