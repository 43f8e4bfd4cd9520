"""Read your writes: wait until the read models have applied the log up to a position.

The runner wakes the waiter after each committed batch: directly (a `threading.Condition`)
when it runs in this process, and on PostgreSQL also across processes, through a NOTIFY on
`casebridge_projections` sent inside the batch's transaction, which a single listener
thread per process receives. Nothing polls: a waiting request sleeps on the condition until
a wake-up says the position is reached or its timeout expires; only then is the position
read once more from the database before `ProjectionLagError` is raised.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from casebridge.infra.database import Database
from casebridge.projections.runner import wake_channel
from casebridge.projections.tables import SHADOW_SUFFIX

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 5.0


class ProjectionLagError(RuntimeError):
    """The read models had not caught up with a write within the timeout. The write itself
    is saved; it will appear in reads once the projections catch up."""

    code = "PROJECTION_LAG"

    def __init__(self, position: int, reached: int, timeout: float) -> None:
        super().__init__(
            f"the change is saved (log position {position}) but the read models have only reached position "
            f"{reached} after waiting {timeout:g}s; it will appear shortly — check `casebridge projections status` "
            "if this persists")
        self.position = position
        self.reached = reached
        self.timeout = timeout


def min_live_position(db: Database) -> int:
    """The position every live read model has reached (shadow copies being rebuilt aside)."""
    pattern = "%" + SHADOW_SUFFIX.replace("_", "\\_")
    row = db.query_one("SELECT MIN(position) FROM projection_positions WHERE name NOT LIKE ? ESCAPE '\\' "
                       "AND name NOT IN (SELECT name FROM projection_failures)", (pattern,))
    return int(row[0]) if row and row[0] is not None else 0


class ProjectionWaiter:
    def __init__(self, db: Database, *, listen: bool | None = None) -> None:
        self.db = db
        self._cond = threading.Condition()
        self._reached = -1  # unknown until first read
        self._listen = db.is_postgres if listen is None else listen
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- wake-ups ----------------------------------------------------------------------------

    def advance(self, position: int) -> None:
        """Called by a runner after it commits a batch (or by the listener on a NOTIFY)."""
        with self._cond:
            if position > self._reached:
                self._reached = position
                self._cond.notify_all()

    @property
    def reached(self) -> int:
        return self._reached

    def start(self) -> ProjectionWaiter:
        if self._listen and self._thread is None:
            self._thread = threading.Thread(target=self._listen_loop, name="projection-waiter", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _listen_loop(self) -> None:
        import psycopg

        backoff = 0.5
        while not self._stop.is_set():
            try:
                with psycopg.connect(self.db.url.psycopg_conninfo(), autocommit=True) as conn:
                    conn.execute(f'LISTEN "{wake_channel(self.db.url)}"')
                    self.advance(min_live_position(self.db))  # after LISTEN: nothing is missed in between
                    backoff = 0.5
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=0.5, stop_after=16):
                            self._on_note(note)
            except psycopg.Error as exc:
                log.warning("projection waiter lost its listening connection (%s); reconnecting", exc)
                self._stop.wait(backoff)
                backoff = min(backoff * 2, 10.0)

    def _on_note(self, note: Any) -> None:
        try:
            self.advance(int(note.payload))
        except ValueError:
            pass

    # -- waiting -----------------------------------------------------------------------------

    def wait_for(self, position: int, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Return once every read model has applied the log up to `position`; raise
        `ProjectionLagError` if that takes longer than `timeout` seconds."""
        if self._reached >= position:
            return
        if self._reached < 0:
            self.advance(min_live_position(self.db))
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._reached < position:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)
        if self._reached >= position:
            return
        self.advance(min_live_position(self.db))  # a wake-up may have been lost (listener reconnecting)
        if self._reached < position:
            raise ProjectionLagError(position, self._reached, timeout)
