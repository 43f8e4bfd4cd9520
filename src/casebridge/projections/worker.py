"""Running the projections: catch up, then sleep until new events arrive.

- Wake-ups: on PostgreSQL the library NOTIFYs `casebridge_events` in every insert
  transaction, and the active runner LISTENs on its own connection; on SQLite the
  application calls `on_saved` after each write in this process, and commits of other
  processes (`casebridge demo` beside `serve`, a second `serve`) are noticed within
  `DATA_VERSION_POLL` seconds through `PRAGMA data_version` on the runner's own connection
  (a read of one counter in shared memory, no I/O). A long safety timeout (default 60 s)
  re-checks the log only in case a wake-up was lost.
- Exactly one active runner per deployment on PostgreSQL: it holds a session advisory lock
  on that same listening connection. Another instance (a second `casebridge worker`, or
  `casebridge serve` processes running the projections in-process) waits for the lock as a
  standby; the server hands it over the moment the active process's session ends.
- On start, a read model whose stored version (or configuration) differs from the code's is
  rebuilt (see `rebuild`), then everything catches up.

`start_projections(app, db, registry)` runs this in a thread for `casebridge serve`;
`run_worker(...)` runs it in the foreground for `casebridge worker`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any

from casebridge.domain.jurisdictions import JurisdictionRegistry
from casebridge.infra.database import Database, StorageUnavailableError
from casebridge.projections import catalog
from casebridge.projections.locks import AdvisoryLock
from casebridge.projections.rebuild import rebuild
from casebridge.projections.runner import PAGE_SIZE, ApplicationLog, BatchProjectionRunner, LogReader
from casebridge.projections.tables import SHADOW_SUFFIX
from casebridge.projections.waiter import ProjectionWaiter

log = logging.getLogger(__name__)

SAFETY_TIMEOUT = 60.0
DATA_VERSION_POLL = 0.25  # seconds between checks for other processes' commits (SQLite)
STANDBY, ACTIVE, STOPPED, STARTING = "standby", "active", "stopped", "starting"


class ProjectionService:
    """Keeps the read models up to date until `stop()`."""

    def __init__(
        self, db: Database, log_reader: LogReader, registry: JurisdictionRegistry, *,
        waiter: ProjectionWaiter | None = None, page_size: int = PAGE_SIZE, safety_timeout: float = SAFETY_TIMEOUT,
        events_channel: str | None = None, names: Sequence[str] | None = None,
    ) -> None:
        self.db = db
        self.log = log_reader
        self.registry = registry
        self.waiter = waiter
        self.page_size = page_size
        self.safety_timeout = safety_timeout
        self.events_channel = events_channel or "casebridge_events"
        self.projections = catalog.build(db.dialect, registry, names=names)
        self.runner = BatchProjectionRunner(db, log_reader, self.projections, page_size=page_size,
                                            on_commit=waiter.advance if waiter else None)
        self.state = STARTING
        self.active = threading.Event()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._failures = 0

    # -- control -----------------------------------------------------------------------------

    def wake(self, position: int | None = None) -> None:
        """An in-process signal that new events were saved (`app.on_saved`)."""
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def run(self) -> None:
        """Run until stopped (blocking)."""
        try:
            if self.db.is_postgres:
                self._run_postgres()
            else:
                self._run_local()
        finally:
            self.state = STOPPED
            self.active.clear()

    # -- SQLite: in-process wake-ups ---------------------------------------------------------

    def _run_local(self) -> None:
        watch = _DataVersion(self.db.url.path)  # before the first catch-up: no commit falls between
        try:
            while not self._stop.is_set() and not self._attempt(self._become_active):
                pass
            while not self._stop.is_set():
                self._wait_local(watch)
                self._wake.clear()
                if not self._stop.is_set():
                    self._attempt(self.runner.catch_up)
        finally:
            watch.close()

    def _wait_local(self, watch: _DataVersion) -> None:
        """Sleep until a wake-up from this process, a commit by another, `stop()`, a retry or the safety timeout."""
        waited, limit = 0.0, self._sleep()
        while waited < limit and not self._stop.is_set():
            step = min(DATA_VERSION_POLL, limit - waited)
            if self._wake.wait(step) or watch.changed():
                return
            waited += step

    def _sleep(self) -> float:
        """How long to wait for a wake-up: the safety timeout, or until a failed read model's retry."""
        retry = self.runner.next_retry()
        return self.safety_timeout if retry is None else min(self.safety_timeout, retry + 0.01)

    def _attempt(self, work: Any) -> bool:
        """Run `work`; on an error, log it and back off (1 s doubling to 60 s) instead of dying:
        a lagging read model reports itself (status, ProjectionLagError), a dead thread would not."""
        try:
            work()
        except Exception:
            self._failures += 1
            delay = min(60.0, 2.0 ** (self._failures - 1))
            log.exception("projections: catching up failed (attempt %d); retrying in %gs", self._failures, delay)
            self._stop.wait(delay)
            self.runner.positions = {}  # re-read them: the failed batch rolled back
            return False
        self._failures = 0
        return True

    # -- PostgreSQL: advisory lock, LISTEN/NOTIFY ---------------------------------------------

    def _run_postgres(self) -> None:
        import psycopg

        while not self._stop.is_set():
            lock = AdvisoryLock(self.db.url, "projections")
            try:
                self.state = STANDBY
                if not lock.try_acquire():
                    log.info("projections: standby, waiting for the active instance to stop")
                    if not lock.acquire(self._stop):
                        return
                lock.conn.execute(f'LISTEN "{self.events_channel}"')
                while not self._stop.is_set() and not self._attempt(self._become_active):
                    lock.conn.execute("SELECT 1")  # still holding the lock?
                while not self._stop.is_set():
                    self._wait_for_events(lock.conn)
                    if not self._stop.is_set() and not self._attempt(self.runner.catch_up):
                        lock.conn.execute("SELECT 1")
            except (psycopg.OperationalError, StorageUnavailableError) as exc:
                # The lock (or listening) connection broke: we may no longer hold the lock.
                # Give it up and queue for it again; batches already committed are safe.
                log.warning("projections: lost the database connection (%s); standing by again", exc)
                self.active.clear()
                self._stop.wait(1.0)
            finally:
                lock.close()

    def _wait_for_events(self, conn: Any) -> None:
        """Sleep until a NOTIFY on the events channel, `stop()`, or the safety timeout."""
        waited, limit = 0.0, self._sleep()
        while waited < limit and not self._stop.is_set():
            step = min(0.5, limit - waited)  # wakes to notice stop(); not a read of the log
            notes = conn.notifies(timeout=step, stop_after=1)
            got = next(notes, None) is not None
            notes.close()  # the generator holds the connection's lock until closed
            if got:
                drain = conn.notifies(timeout=0)  # the rest of a burst: one catch-up serves them all
                for _ in drain:
                    pass
                return
            waited += step

    # -- start-up ----------------------------------------------------------------------------

    def _become_active(self) -> None:
        stale = self.runner.prepare()
        for projection in stale:
            log.info("read model %s changed (version %d); rebuilding it from the first event",
                     projection.name, projection.version)
            shadow = catalog.build(self.db.dialect, self.registry, names=[projection.name], suffix=SHADOW_SUFFIX)[0]
            rebuild(self.db, self.log, projection, shadow, page_size=self.page_size)
        self.runner.reload_positions()
        self.runner.catch_up()
        if self.waiter is not None:
            self.waiter.advance(self.runner.position)
        self.state = ACTIVE
        self.active.set()
        log.info("projections: active at position %d", self.runner.position)


class _DataVersion:
    """SQLite's `PRAGMA data_version` on a connection of its own: it changes when any other
    connection (another process, or this process's event store) commits to the file."""

    def __init__(self, path: str) -> None:
        import sqlite3

        self._conn: Any = None
        self._last: int | None = None
        try:
            self._conn = sqlite3.connect(path, timeout=1.0, isolation_level=None, check_same_thread=False)
            self._last = self._read()
        except sqlite3.Error as exc:
            log.warning("projections: cannot watch the SQLite file for other processes' commits (%s)", exc)
            self.close()

    def _read(self) -> int:
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def changed(self) -> bool:
        if self._conn is None:
            return False
        import sqlite3

        try:
            current = self._read()
        except sqlite3.Error:
            return False
        changed, self._last = current != self._last, current
        return changed

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class ProjectionsHandle:
    """What `casebridge serve` holds: the running projections and the waiter for reads."""

    def __init__(self, service: ProjectionService, thread: threading.Thread, waiter: ProjectionWaiter,
                 unsubscribe: Any) -> None:
        self.service = service
        self.thread = thread
        self.waiter = waiter
        self._unsubscribe = unsubscribe

    @property
    def state(self) -> str:
        return self.service.state

    def stop(self, timeout: float = 10.0) -> None:
        self._unsubscribe()
        self.service.stop()
        self.thread.join(timeout)
        self.waiter.stop()


def start_projections(app: Any, db: Database, registry: JurisdictionRegistry, *, page_size: int = PAGE_SIZE,
                      safety_timeout: float = SAFETY_TIMEOUT) -> ProjectionsHandle:
    """Run the projections in a background thread of this process (for `casebridge serve`).

    `app` is the CaseBridge application (its recorder, mapper and `on_saved` hook are used).
    On PostgreSQL this instance is the active runner only while it holds the lock; the
    returned `.waiter` works either way (it listens for every runner's wake-ups).
    """
    waiter = ProjectionWaiter(db).start()
    service = ProjectionService(
        db, ApplicationLog(app.recorder, app.mapper), registry, waiter=waiter, page_size=page_size,
        safety_timeout=safety_timeout, events_channel=getattr(app.recorder, "channel_name", None),
    )
    app.on_saved.append(service.wake)

    def unsubscribe() -> None:
        if service.wake in app.on_saved:
            app.on_saved.remove(service.wake)

    thread = threading.Thread(target=_run_logged, args=(service,), name="projections", daemon=True)
    thread.start()
    return ProjectionsHandle(service, thread, waiter, unsubscribe)


def _run_logged(service: ProjectionService) -> None:
    try:
        service.run()
    except Exception:
        log.exception("projections stopped with an error")
        raise


def run_worker(app: Any, db: Database, registry: JurisdictionRegistry, *, page_size: int = PAGE_SIZE,
               safety_timeout: float = SAFETY_TIMEOUT, stop: threading.Event | None = None) -> None:
    """Run the projections in the foreground until `stop` is set (for `casebridge worker`)."""
    service = ProjectionService(
        db, ApplicationLog(app.recorder, app.mapper), registry, page_size=page_size, safety_timeout=safety_timeout,
        events_channel=getattr(app.recorder, "channel_name", None),
    )
    if stop is not None:
        threading.Thread(target=lambda: (stop.wait(), service.stop()), daemon=True).start()
    service.run()
