"""The public keys of an external OpenID provider, fetched from its JWKS URL and cached.

Refetched when older than `max_age_seconds`, and early when a token names a kid we do not
have (the provider rotated) — but never more than once per `min_refetch_seconds`, so a
stream of tokens with made-up kids cannot turn us into a load generator against the
provider. A failed fetch keeps the keys we had.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

import httpx
from joserfc.errors import JoseError
from joserfc.jwk import JWKRegistry, Key

from casebridge.infra.auth.clock import Clock, system_clock

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _RemoteKey:
    kid: str | None
    alg: str | None
    key: Key


class RemoteJwks:
    def __init__(
        self,
        url: str,
        *,
        clock: Clock = system_clock,
        http_client: httpx.Client | None = None,
        min_refetch_seconds: float = 10.0,
        max_age_seconds: float = 300.0,
        timeout_seconds: float = 5.0,
    ) -> None:
        self.url = url
        self._clock = clock
        self._own_client = http_client is None
        self._http = http_client or httpx.Client(timeout=timeout_seconds, follow_redirects=False)
        self._min_refetch = min_refetch_seconds
        self._max_age = max_age_seconds
        self._lock = threading.Lock()
        self._keys: list[_RemoteKey] = []
        self._fetched_at: float | None = None
        self._attempted_at: float | None = None

    def key_for(self, kid: str | None, alg: str) -> Key | None:
        """The provider's key for a token with this `kid` and `alg`, or None."""
        with self._lock:
            stale = self._fetched_at is None or self._clock() - self._fetched_at >= self._max_age
            if stale and self._may_fetch():
                self._fetch()
            key = self._match(kid, alg)
            if key is None and self._may_fetch():
                self._fetch()
                key = self._match(kid, alg)
            return key

    def close(self) -> None:
        if self._own_client:
            self._http.close()

    def _may_fetch(self) -> bool:
        return self._attempted_at is None or self._clock() - self._attempted_at >= self._min_refetch

    def _fetch(self) -> None:
        self._attempted_at = self._clock()
        try:
            response = self._http.get(self.url, headers={"Accept": "application/json"})
            response.raise_for_status()
            document = response.json()
            entries = document["keys"]
            if not isinstance(entries, list):
                raise TypeError("'keys' is not a list")
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
            log.warning("JWKS of the external OpenID provider not fetched from %s: %s", self.url, exc)
            return
        self._keys = [key for entry in entries if (key := _import(entry)) is not None]
        self._fetched_at = self._attempted_at

    def _match(self, kid: str | None, alg: str) -> Key | None:
        if kid is None:
            candidates = self._keys if len(self._keys) == 1 else []
        else:
            candidates = [key for key in self._keys if key.kid == kid]
        for candidate in candidates:
            if candidate.alg in (None, alg):
                return candidate.key
        return None


def _import(entry: object) -> _RemoteKey | None:
    """A signature key from one JWKS entry; symmetric and encryption keys are never taken."""
    if not isinstance(entry, dict) or entry.get("kty") not in ("RSA", "EC", "OKP"):
        return None
    if entry.get("use", "sig") != "sig":
        return None
    try:
        key = JWKRegistry.import_key(entry)
    except (JoseError, ValueError, TypeError, KeyError) as exc:
        log.warning("JWKS entry %s of the external OpenID provider skipped: %s", entry.get("kid"), exc)
        return None
    kid, alg = entry.get("kid"), entry.get("alg")
    return _RemoteKey(kid if isinstance(kid, str) else None, alg if isinstance(alg, str) else None, key)
