"""A cap on password checks running at once in one process.

argon2id as configured costs 64 MiB and tens of milliseconds of CPU per check; twenty parallel
sign-ins took a server to 1.4 GB. Beyond `limit` checks at once, a sign-in is answered at once
with HTTP 429 and `Retry-After` instead of queueing more memory. The cap is per process (each
process's memory is its own); the attempt counters across processes are `LoginThrottle`'s.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

DEFAULT_LIMIT = 4
RETRY_AFTER_SECONDS = 1


class PasswordCheckGate:
    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        if limit < 1:
            raise ValueError("the password check limit must be at least 1")
        self.limit = limit
        self._slots = threading.BoundedSemaphore(limit)

    @contextmanager
    def slot(self) -> Iterator[bool]:
        """Yields True with a slot held for the block, or False at once when all are taken."""
        acquired = self._slots.acquire(blocking=False)
        try:
            yield acquired
        finally:
            if acquired:
                self._slots.release()
