"""The batched projection runner: reads the log a page at a time and applies each page to
every projection in one transaction, together with their positions.

Exactly once: a batch's rows and positions commit together; a position only moves from
the value this runner read (see `tracking`), so a replayed page, a second runner or a
rebuild swapping in can never make an event apply twice; a crash loses the uncommitted
batch and nothing else. Gaps in notification ids (left by rolled-back inserts) are passed
over: a page is read up to the head of the log as it was just before the read, and every
id at or below a committed head is final (on PostgreSQL the library inserts under a table
lock, so ids are issued in commit order; SQLite has one writer at a time).

The runner knows the application only through a `LogReader`, which the composition root
builds from the application's recorder and mapper (projections never import application).
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from casebridge.infra.database import Database
from casebridge.infra.database_url import DatabaseUrl
from casebridge.projections.projection import Positioned, Projection
from casebridge.projections.sql import Sql
from casebridge.projections.tracking import PositionMovedError, advance, ensure_position, select_positions

log = logging.getLogger(__name__)

PAGE_SIZE = 1000
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
        to_event = self.mapper.to_domain_event
        return [(n.id, to_event(n)) for n in notifications]


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
        self.positions: dict[str, int] = {}

    # -- tracking ----------------------------------------------------------------------------

    def prepare(self) -> list[Projection]:
        """Make sure every projection has a position row; return those whose stored version
        or configuration differs from the code's (they need a rebuild)."""
        with self.db.transaction() as cur:
            for p in self.projections:
                ensure_position(cur, self.sql, p.tracking_name, p.version, p.config())
            stored = {r.name: r for r in select_positions(cur)}
        self.positions = {p.tracking_name: stored[p.tracking_name].position for p in self.projections}
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
        """The position every projection of this runner has reached."""
        return min(self.positions.values()) if self.positions else 0

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
        try:
            if cur is not None:
                self._apply(cur, page.events, page.reached)
            else:
                with self.db.transaction() as own:
                    self._apply(own, page.events, page.reached)
        except PositionMovedError as exc:
            if cur is not None:
                raise  # the caller's transaction holds part of the batch: let the caller roll back
            log.warning("%s; re-reading positions", exc)
            self.reload_positions()
            return True
        for p in self.projections:
            self.positions[p.tracking_name] = max(self.positions[p.tracking_name], page.reached)
        if self.on_commit is not None:
            self.on_commit(self.position)
        return page.reached < page.head

    def _apply(self, cur: Any, page: Sequence[Positioned], reached: int) -> None:
        behind = [p for p in self.projections if self.positions[p.tracking_name] < reached]
        for p in behind:  # positions first: the row locks serialise writers before any row is touched
            advance(cur, self.sql, p.tracking_name, self.positions[p.tracking_name], reached)
        for p in behind:
            after, handles = self.positions[p.tracking_name], self._handles[p.tracking_name]
            events = []
            for i, e in page:  # strictly increasing ids: a notification delivered twice is taken once
                if i > after and type(e) in handles:
                    events.append((i, e))
                    after = i
            if events:
                p.apply(cur, events)
        if self.notify_channel:
            cur.execute("SELECT pg_notify(?, ?)", (self.notify_channel, str(min(
                reached if p in behind else self.positions[p.tracking_name] for p in self.projections))))

