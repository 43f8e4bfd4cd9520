"""The batched projection runner: reads the log a page at a time and applies each page to
every projection in one transaction, together with their positions.

Exactly once: a batch's rows and positions commit together; a position only moves from
the value this runner read (see `tracking`), so a replayed page, a second runner or a
rebuild swapping in can never make an event apply twice; a crash loses the uncommitted
batch and nothing else. Gaps in notification ids (left by rolled-back inserts) are passed
over: a page is read up to the head of the log as it was just before the read, and every
id at or below a committed head is final (on PostgreSQL the library inserts under a table
lock, so ids are issued in commit order; SQLite has one writer at a time).

A read model that fails on an event does not stop the others: the batch is applied again one
read model per transaction, the failing one one event per transaction up to the event it
cannot apply. That read model stays just before the event (its failure recorded in
`projection_failures`, shown by `projections status`, `/readyz` and `/metrics`) and is tried
again with backoff (1 s doubling to 5 min); the others go on, and read-your-writes waits
only for them. It resumes once the event applies (after an upgrade, or `projections rebuild`).

The runner knows the application only through a `LogReader`, which the composition root
builds from the application's recorder and mapper (projections never import application).
"""

from __future__ import annotations

import logging
import sqlite3
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from casebridge.infra.database import Database, StorageUnavailableError
from casebridge.infra.database_url import DatabaseUrl
from casebridge.projections.projection import Positioned, Projection
from casebridge.projections.sql import Sql
from casebridge.projections.tracking import (
    PositionMovedError,
    advance,
    clear_failure,
    ensure_position,
    record_failure,
    select_failures,
    select_positions,
)

log = logging.getLogger(__name__)

PAGE_SIZE = 1000
RETRY_FIRST, RETRY_MAX = 1.0, 300.0  # seconds before a failed read model is tried again
WAKE_CHANNEL = "casebridge_projections"  # NOTIFYed with the new position after each batch (PostgreSQL)


def wake_channel(url: DatabaseUrl) -> str:
    """The NOTIFY channel for this deployment: channels are database-wide, so a deployment
    in its own schema gets its own channel."""
    return f"{WAKE_CHANNEL}_{url.schema}".lower() if url.schema else WAKE_CHANNEL


class LogReader(Protocol):
    def head(self) -> int: ...

    def read(self, after: int, limit: int, stop: int, topics: Sequence[str]) -> list[Positioned]: ...


class ApplicationLog:
    """A `LogReader` over an eventsourcing application's recorder and mapper."""

    def __init__(self, recorder: Any, mapper: Any) -> None:
        self.recorder = recorder
        self.mapper = mapper

    def head(self) -> int:
        return self.recorder.max_notification_id() or 0

    def read(self, after: int, limit: int, stop: int, topics: Sequence[str]) -> list[Positioned]:
        notifications = self.recorder.select_notifications(
            start=after, limit=limit, stop=stop, topics=list(topics), inclusive_of_start=False)
        return [(n.id, self._decode(n)) for n in notifications]

    def _decode(self, notification: Any) -> Any:
        try:
            return self.mapper.to_domain_event(notification)
        except Exception as exc:  # one bad stored event must not stop the read models that never read it
            return UndecodableEvent(notification.topic, f"{type(exc).__name__}: {exc}")


class UndecodableEvent:
    """A stored event the mapper could not decode: each read model that reads its topic fails on it."""

    def __init__(self, topic: str, error: str) -> None:
        self.topic = topic
        self.error = error


class EventNotDecodedError(RuntimeError):
    pass


@dataclass
class Failure:
    """A read model stopped just before the event at `position`."""

    position: int
    error: str
    attempts: int
    retry_at: float  # time.monotonic() when it is tried again


@dataclass(frozen=True)
class _Page:
    after: int  # read from (exclusive)
    head: int  # the head of the log when read
    events: list[Positioned]
    reached: int  # the position the projections reach once this page is applied


class BatchProjectionRunner:
    """Applies the log to `projections` in batches of up to `page_size` events."""

    def __init__(
        self,
        db: Database,
        log_reader: LogReader,
        projections: Sequence[Projection],
        *,
        page_size: int = PAGE_SIZE,
        on_commit: Callable[[int], None] | None = None,
        notify: bool = True,
    ) -> None:
        self.db = db
        self.log = log_reader
        self.projections = sorted(projections, key=lambda p: p.tracking_name)
        self.page_size = page_size
        self.on_commit = on_commit
        self.notify_channel = wake_channel(db.url) if notify and db.is_postgres else None
        self.sql = Sql(db.dialect)
        self.topics = sorted(set().union(*(p.topics() for p in self.projections)))
        self._handles = {p.tracking_name: frozenset(p.handles) for p in self.projections}
        self._topics = {p.tracking_name: frozenset(p.topics()) for p in self.projections}
        self.positions: dict[str, int] = {}
        self.failures: dict[str, Failure] = {}  # by tracking name
        self.clock = time.monotonic

    # -- tracking ----------------------------------------------------------------------------

    def prepare(self) -> list[Projection]:
        """Make sure every projection has a position row; return those whose stored version
        or configuration differs from the code's (they need a rebuild)."""
        with self.db.transaction() as cur:
            for p in self.projections:
                ensure_position(cur, self.sql, p.tracking_name, p.version, p.config())
            stored = {r.name: r for r in select_positions(cur)}
            failed = {r.name: r for r in select_failures(cur)}
        self.positions = {p.tracking_name: stored[p.tracking_name].position for p in self.projections}
        # Failures recorded before this start are tried again at once (an upgrade may have fixed them).
        self.failures = {name: Failure(f.position, f.error, f.attempts, self.clock())
                         for name, f in failed.items() if name in self.positions}
        return [p for p in self.projections
                if (stored[p.tracking_name].version, stored[p.tracking_name].config) != (p.version, p.config())]

    def reload_positions(self, cur: Any | None = None) -> None:
        if cur is None:
            with self.db.transaction(write=False) as own:
                rows = {r.name: r.position for r in select_positions(own)}
        else:
            rows = {r.name: r.position for r in select_positions(cur)}
        self.positions = {p.tracking_name: rows.get(p.tracking_name, 0) for p in self.projections}

    @property
    def position(self) -> int:
        """The position every working projection of this runner has reached (a failed one
        waits for its retry: it does not hold the others, or read-your-writes, back)."""
        working = [pos for name, pos in self.positions.items() if not self._waiting(name)]
        return min(working) if working else (max(self.positions.values()) if self.positions else 0)

    def _waiting(self, name: str) -> bool:
        failure = self.failures.get(name)
        return failure is not None and failure.retry_at > self.clock()

    def next_retry(self) -> float | None:
        """Seconds until a failed read model is tried again, if any is waiting."""
        waits = [f.retry_at - self.clock() for f in self.failures.values()]
        return max(0.0, min(waits)) if waits else None

    # -- catching up -------------------------------------------------------------------------

    def catch_up(self, *, progress: Callable[[int, int], None] | None = None, cur: Any | None = None) -> int:
        """Apply batches until the projections reach the head of the log; the position reached.

        While one batch is written, the next page is read and decoded in a helper thread
        (the read only depends on where this batch will end). With `cur`, every batch runs
        inside that (caller's) transaction instead of its own.
        """
        if not self.positions:
            self.reload_positions(cur)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="projection-read") as reader:
            ahead: Future[_Page] | None = None
            while True:
                low = self.position
                page = ahead.result() if ahead is not None else None
                if page is None or page.after != low:  # nothing read ahead, or the position moved
                    page = self._read(low)
                ahead = None
                if page.head <= low:
                    return self._caught_up()
                if page.reached < page.head:
                    ahead = reader.submit(self._read, page.reached)
                more = self._commit(page, cur)
                if progress is not None:
                    progress(self.position, page.head)
                if not more and ahead is None:
                    return self._caught_up()

    def _caught_up(self) -> int:
        # Also when another runner applied the last batches (our positions were re-read):
        # whoever waits on this process's waiter learns the position all the same.
        if self.on_commit is not None:
            self.on_commit(self.position)
        return self.position

    def step(self, *, cur: Any | None = None) -> bool:
        """Apply one batch. True if more of the log may remain."""
        if not self.positions:
            self.reload_positions(cur)
        page = self._read(self.position)
        return page.head > page.after and self._commit(page, cur)

    def _read(self, after: int) -> _Page:
        head = self.log.head()
        if head <= after:
            return _Page(after, head, [], head)
        events = self.log.read(after, self.page_size, head, self.topics)
        return _Page(after, head, events, events[-1][0] if len(events) >= self.page_size else head)

    def _commit(self, page: _Page, cur: Any | None) -> bool:
        behind = [p for p in self.projections
                  if self.positions[p.tracking_name] < page.reached and not self._waiting(p.tracking_name)]
        try:
            if cur is not None:
                self._apply(cur, behind, page.events, page.reached)
            else:
                with self.db.transaction() as own:
                    self._apply(own, behind, page.events, page.reached)
        except PositionMovedError as exc:
            if cur is not None:
                raise  # the caller's transaction holds part of the batch: let the caller roll back
            log.warning("%s; re-reading positions", exc)
            self.reload_positions()
            return True
        except Exception as exc:
            if cur is not None or _is_storage_error(exc):
                raise  # the caller's transaction, or the database itself: the service backs off
            log.warning("projections: a batch up to position %d failed (%s); applying it read model by read model",
                        page.reached, exc)
            self._isolate(behind, page)
        else:
            for p in behind:
                self.positions[p.tracking_name] = page.reached
                self._recovered(p.tracking_name)
        if self.on_commit is not None:
            self.on_commit(self.position)
        return page.reached < page.head

    # -- a read model that cannot apply an event -----------------------------------------------

    def _isolate(self, behind: Sequence[Projection], page: _Page) -> None:
        """Apply `page` to each projection in its own transaction; one that fails is applied
        event by event up to the event it cannot apply, and stops there."""
        for p in behind:
            try:
                self._apply_alone(p, page.events, page.reached)
                self._recovered(p.tracking_name)
                continue
            except PositionMovedError:
                self.reload_positions()
                return
            except Exception as exc:
                if _is_storage_error(exc):
                    raise
            for position, event in self._events_for(p, page.events):
                try:
                    self._apply_alone(p, [(position, event)], position)
                except PositionMovedError:
                    self.reload_positions()
                    return
                except Exception as exc:
                    if _is_storage_error(exc):
                        raise
                    if self.positions[p.tracking_name] < position - 1:  # nothing of its own in between
                        self._apply_alone(p, [], position - 1)
                    self._failed(p, position, exc)
                    break
            else:  # every event applied on its own (a failure of the batch as a whole): move to its end
                self._apply_alone(p, [], page.reached)
                self._recovered(p.tracking_name)

    def _apply_alone(self, p: Projection, events: Sequence[Positioned], reached: int) -> None:
        with self.db.transaction() as cur:
            self._apply(cur, [p], events, reached)
        self.positions[p.tracking_name] = reached

    def _events_for(self, p: Projection, page: Sequence[Positioned]) -> list[Positioned]:
        after, handles, topics = self.positions[p.tracking_name], self._handles[p.tracking_name], self._topics[p.tracking_name]
        return [(i, e) for i, e in page if i > after and (type(e) in handles or (
            isinstance(e, UndecodableEvent) and e.topic in topics))]

    def _failed(self, p: Projection, position: int, exc: Exception) -> None:
        name = p.tracking_name
        error = f"{type(exc).__name__}: {exc}".strip()
        earlier = self.failures.get(name)
        attempts = earlier.attempts + 1 if earlier and earlier.position == position else 1
        delay = min(RETRY_MAX, RETRY_FIRST * 2 ** (attempts - 1))
        self.failures[name] = Failure(position, error, attempts, self.clock() + delay)
        log.error("read model %s cannot apply the event at position %d (attempt %d; retrying in %gs): %s",
                  name, position, attempts, delay, error, exc_info=exc if attempts == 1 else None)
        with self.db.transaction() as cur:
            record_failure(cur, self.sql, name, position, error)

    def _recovered(self, name: str) -> None:
        if self.failures.pop(name, None) is not None:
            log.info("read model %s applied the event it had failed on; it is up to date again", name)
            with self.db.transaction() as cur:
                clear_failure(cur, name)

    def _apply(self, cur: Any, behind: Sequence[Projection], page: Sequence[Positioned], reached: int) -> None:
        for p in behind:  # positions first: the row locks serialise writers before any row is touched
            advance(cur, self.sql, p.tracking_name, self.positions[p.tracking_name], reached)
        for p in behind:
            events = []
            for i, e in self._events_for(p, page):  # strictly increasing ids: a notification delivered twice is taken once
                if events and i <= events[-1][0]:
                    continue
                if isinstance(e, UndecodableEvent):
                    raise EventNotDecodedError(f"the stored event ({e.topic}) cannot be decoded: {e.error}")
                events.append((i, e))
            if events:
                p.apply(cur, events)
        working = [reached if p in behind else self.positions[p.tracking_name] for p in self.projections
                   if p in behind or not self._waiting(p.tracking_name)]
        if self.notify_channel and working:
            cur.execute("SELECT pg_notify(?, ?)", (self.notify_channel, str(min(working))))



def _is_storage_error(exc: BaseException) -> bool:
    """The database failed (connection, lock), not the read model: no event is to blame."""
    if isinstance(exc, StorageUnavailableError):
        return True
    if isinstance(exc, sqlite3.OperationalError):  # also "no such column" and the like: those are the read model's
        return any(word in str(exc).lower() for word in ("locked", "busy", "disk", "unable to open", "readonly"))
    try:
        import psycopg
    except ImportError:  # pragma: no cover
        return False
    return isinstance(exc, psycopg.OperationalError)
