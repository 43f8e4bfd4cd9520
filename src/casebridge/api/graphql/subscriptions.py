"""`inboxChanged`: the caller's inbox, pushed over WebSocket (graphql-transport-ws) whenever
what waits for its jurisdiction changes; `caseChanged(id)`: one case, pushed whenever it
changes (null once the caller may no longer see it).

One `ProjectionFeed` thread per process watches the read models advance (the projection
waiter wakes it; no polling of the inbox). Subscribers are indexed by what they watch (a
jurisdiction's inbox, a case id); for each batch of new events the feed works out once what
it concerns (`live.concerned`) and wakes only those subscribers, so a write costs in
proportion to the subscribers it concerns, not to all of them. A woken subscriber first
re-checks its token (closing the socket if it no longer holds), then reads in a worker
thread and pushes only if what it reads differs from the last push.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import Counter
from collections.abc import AsyncGenerator, Callable, Hashable, Iterable
from contextlib import contextmanager
from typing import Any

import strawberry
from starlette.concurrency import run_in_threadpool
from strawberry import Info

from casebridge.api.graphql.context import GraphQLContext, Waiter
from casebridge.api.graphql.live import ChangeSet, LiveConnection
from casebridge.api.graphql.types.case import Case
from casebridge.api.graphql.types.inbox import Inbox, InboxSnapshot, read_inbox
from casebridge.projections.waiter import ProjectionLagError

log = logging.getLogger(__name__)

READ = "cases:read"
EVERYTHING_AFTER = 2000  # a batch larger than this (catching up after a pause) wakes everybody


def inbox_key(jurisdiction: str) -> tuple[str, str]:
    return ("inbox", jurisdiction)


def case_key(case_id: str) -> tuple[str, str]:
    return ("case", case_id)


class ProjectionFeed:
    """Wakes asyncio subscribers when the read models apply events that concern them. The
    watching thread runs only while somebody subscribes.

    `describe(after, upto)` says what the events in (after, upto] concern (None: it cannot
    say, wake everybody)."""

    def __init__(self, waiter: Waiter, head: Callable[[], int], *,
                 describe: Callable[[int, int], ChangeSet | None] | None = None, wait_seconds: float = 1.0) -> None:
        self._waiter = waiter
        self._head = head  # the position every read model has applied
        self._describe = describe
        self._wait_seconds = wait_seconds
        self._by_key: dict[Hashable, set[tuple[asyncio.AbstractEventLoop, asyncio.Event]]] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stopped = threading.Event()
        self.wakes: Counter[Hashable] = Counter()  # subscribers woken, per key (what tests and metrics read)
        self.position = 0  # the last position whose subscribers were woken

    @contextmanager
    def subscribe(self, key: Hashable):
        event = asyncio.Event()
        entry = (asyncio.get_running_loop(), event)
        with self._lock:
            self._by_key.setdefault(key, set()).add(entry)
            if self._thread is None and not self._stopped.is_set():
                self._thread = threading.Thread(target=self._watch, name="casebridge-inbox-feed", daemon=True)
                self._thread.start()
        try:
            yield event
        finally:
            with self._lock:
                entries = self._by_key.get(key)
                if entries is not None:
                    entries.discard(entry)
                    if not entries:
                        del self._by_key[key]

    @property
    def subscriber_count(self) -> int:
        with self._lock:
            return sum(len(entries) for entries in self._by_key.values())

    def stop(self) -> None:
        self._stopped.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout=self._wait_seconds + 1)

    def _watch(self) -> None:
        position = self._safe_head()
        self.position = position
        while not self._stopped.is_set():
            with self._lock:
                if not self._by_key:  # nobody listens: end; the next subscriber starts a new watch
                    self._thread = None
                    return
            try:
                self._waiter.wait_for(position + 1, timeout=self._wait_seconds)
            except ProjectionLagError:
                continue  # nothing new yet
            except Exception:  # storage trouble: say so, keep watching
                log.exception("the subscription feed could not wait for the read models")
                self._stopped.wait(self._wait_seconds)
                continue
            reached = max(position + 1, self._safe_head())
            self._wake(self._changes(position, reached))
            position = self.position = reached

    def _changes(self, after: int, upto: int) -> ChangeSet | None:
        if self._describe is None or upto - after > EVERYTHING_AFTER:
            return None
        try:
            return self._describe(after, upto)
        except Exception:  # cannot say what changed: wake everybody rather than miss a push
            log.exception("the subscription feed could not read what changed")
            return None

    def _safe_head(self) -> int:
        try:
            return self._head()
        except Exception:
            log.exception("the subscription feed could not read the projection positions")
            return 0

    def _wake(self, changes: ChangeSet | None) -> None:
        with self._lock:
            if changes is None:
                chosen = {key: list(entries) for key, entries in self._by_key.items()}
            else:
                keys: Iterable[Hashable] = [*(inbox_key(j) for j in changes.jurisdictions),
                                            *(case_key(c) for c in changes.case_ids)]
                chosen = {key: list(self._by_key[key]) for key in keys if key in self._by_key}
        for key, entries in chosen.items():
            self.wakes[key] += len(entries)
            for loop, event in entries:
                try:
                    loop.call_soon_threadsafe(event.set)
                except RuntimeError:  # that connection's loop is gone
                    pass


async def _wake_ups(context: GraphQLContext, changed: asyncio.Event) -> AsyncGenerator[None, None]:
    """Once at once (the first push), then once per wake-up after which the connection's token
    still holds (see `LiveConnection`); ends when the socket was closed for it."""
    live: LiveConnection | None = getattr(context, "live", None)
    yield None
    while True:
        await changed.wait()
        changed.clear()
        if live is None or await live.still_holds():
            yield None
        elif live.closed:
            return


def _snapshot(context: GraphQLContext) -> InboxSnapshot:
    context.fresh_loaders()
    snapshot = read_inbox(context)
    # Resolve the relations a subscriber may select here, in the worker thread, so that
    # completing the pushed result on the event loop reads from the loaders' caches.
    context.loaders.flush_all()
    return snapshot


async def inbox_changed(info: Info) -> AsyncGenerator[Inbox, None]:
    context: GraphQLContext = info.context
    context.require(READ)
    feed: ProjectionFeed = context.services.feed
    last: tuple | None = None
    with feed.subscribe(inbox_key(context.jurisdiction)) as changed:
        async for _ in _wake_ups(context, changed):
            snapshot = await run_in_threadpool(_snapshot, context)
            if snapshot.fingerprint != last:
                last = snapshot.fingerprint
                yield snapshot.inbox


def _case_snapshot(context: GraphQLContext, case_id: str) -> Any:
    loaders = context.fresh_loaders()
    row = context.services.read_models.cases.get(context.jurisdiction, case_id)
    if row is not None:
        loaders.cases_seen([row])
        loaders.flush_all()
    return row


async def case_changed(info: Info, id: strawberry.ID) -> AsyncGenerator[Case | None, None]:
    context: GraphQLContext = info.context
    context.require(READ)
    feed: ProjectionFeed = context.services.feed
    last: object = object()  # nothing sent yet
    with feed.subscribe(case_key(str(id))) as changed:
        async for _ in _wake_ups(context, changed):
            row = await run_in_threadpool(_case_snapshot, context, str(id))
            version = None if row is None else row.version
            if version != last:
                last = version
                yield row


@strawberry.type
class Subscription:
    inbox_changed: AsyncGenerator[Inbox, None] = strawberry.subscription(
        resolver=inbox_changed,
        description="Your inbox now, then again whenever something waiting for your jurisdiction changes. Needs cases:read.",
    )
    case_changed: AsyncGenerator[Case | None, None] = strawberry.subscription(
        resolver=case_changed,
        description="A case now, then again whenever it changes (null if your jurisdiction may not see it). "
                    "Needs cases:read.",
    )
