"""`inboxChanged`: the caller's inbox, pushed over WebSocket (graphql-transport-ws) whenever
what waits for its jurisdiction changes; `caseChanged(id)`: one case, pushed whenever it
changes (null once the caller may no longer see it).

One `ProjectionFeed` thread per process watches the read models advance (the projection
waiter wakes it; no polling of the inbox) and wakes every subscriber; each subscriber then
reads its inbox in a worker thread and pushes it only if it differs from the last one sent.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncGenerator, Callable
from contextlib import contextmanager
from typing import Any

import strawberry
from starlette.concurrency import run_in_threadpool
from strawberry import Info

from casebridge.api.graphql.context import GraphQLContext
from casebridge.api.graphql.types.case import Case
from casebridge.api.graphql.types.inbox import Inbox, InboxSnapshot, read_inbox
from casebridge.projections.waiter import ProjectionLagError

log = logging.getLogger(__name__)

READ = "cases:read"


class ProjectionFeed:
    """Wakes asyncio subscribers when the read models apply new events. The watching thread
    runs only while somebody subscribes."""

    def __init__(self, waiter: Any, head: Callable[[], int], *, wait_seconds: float = 1.0) -> None:
        self._waiter = waiter
        self._head = head  # the position every read model has applied
        self._wait_seconds = wait_seconds
        self._subscribers: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stopped = threading.Event()

    @contextmanager
    def subscribe(self):
        event = asyncio.Event()
        entry = (asyncio.get_running_loop(), event)
        with self._lock:
            self._subscribers.add(entry)
            if self._thread is None and not self._stopped.is_set():
                self._thread = threading.Thread(target=self._watch, name="casebridge-inbox-feed", daemon=True)
                self._thread.start()
        try:
            yield event
        finally:
            with self._lock:
                self._subscribers.discard(entry)

    def stop(self) -> None:
        self._stopped.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout=self._wait_seconds + 1)

    def _watch(self) -> None:
        position = self._safe_head()
        while not self._stopped.is_set():
            with self._lock:
                if not self._subscribers:  # nobody listens: end; the next subscriber starts a new watch
                    self._thread = None
                    return
            try:
                self._waiter.wait_for(position + 1, timeout=self._wait_seconds)
            except ProjectionLagError:
                continue  # nothing new yet
            except Exception:  # storage trouble: say so, keep watching
                log.exception("the inbox feed could not wait for the read models")
                self._stopped.wait(self._wait_seconds)
                continue
            position = max(position + 1, self._safe_head())
            self._wake()

    def _safe_head(self) -> int:
        try:
            return self._head()
        except Exception:
            log.exception("the inbox feed could not read the projection positions")
            return 0

    def _wake(self) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for loop, event in subscribers:
            try:
                loop.call_soon_threadsafe(event.set)
            except RuntimeError:  # that connection's loop is gone
                pass


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
    with feed.subscribe() as changed:
        while True:
            changed.clear()
            snapshot = await run_in_threadpool(_snapshot, context)
            if snapshot.fingerprint != last:
                last = snapshot.fingerprint
                yield snapshot.inbox
            await changed.wait()


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
    with feed.subscribe() as changed:
        while True:
            changed.clear()
            row = await run_in_threadpool(_case_snapshot, context, str(id))
            version = None if row is None else row.version
            if version != last:
                last = version
                yield row
            await changed.wait()


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
