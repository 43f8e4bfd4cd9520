"""Live updates, fairly shared: caps per principal on WebSocket connections and subscriptions,
and what a batch of new events concerns, so that a change wakes only its subscribers.

- `LiveLimits`: `CASEBRIDGE_WS_MAX_CONNECTIONS` (default 20) sockets and
  `CASEBRIDGE_WS_MAX_SUBSCRIPTIONS` (default 50) subscriptions per principal (issuer aside:
  client id and subject), counted across every socket of this process. Beyond them a socket
  is closed with 4429 and a subscription is refused with `TOO_MANY_SUBSCRIPTIONS`.
- `ChangeSet`: the cases and the jurisdictions a batch of events concerns, read once per
  wake-up (one read of the new events, at most three indexed queries), whatever the number of
  subscribers. A jurisdiction is concerned when an event names it (sender, receiver,
  requested, participants, ...), when it takes part in the evidence request or joint action
  that changed, or when it may see a case that changed.
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from starlette.concurrency import run_in_threadpool

from casebridge.domain.case import Case
from casebridge.domain.evidence_request import EvidenceRequest
from casebridge.domain.joint_action import JointAction
from casebridge.infra.auth import InvalidTokenError, Principal
from casebridge.infra.database import StorageUnavailableError
from casebridge.infra.settings import LiveLimits

if TYPE_CHECKING:
    from casebridge.api.graphql.context import Runtime

TOO_MANY_CONNECTIONS = 4429  # graphql-transport-ws's "too many requests"


def principal_key(principal: Principal) -> tuple[str, str]:
    return principal.client_id, principal.subject


class PrincipalSlots:
    """Open sockets and subscriptions per principal, within `LiveLimits`."""

    def __init__(self, limits: LiveLimits) -> None:
        self.limits = limits
        self._lock = threading.Lock()
        self._connections: Counter[tuple[str, str]] = Counter()
        self._subscriptions: Counter[tuple[str, str]] = Counter()

    def open_connection(self, key: tuple[str, str]) -> bool:
        return self._take(self._connections, key, self.limits.connections_per_principal)

    def close_connection(self, key: tuple[str, str]) -> None:
        self._give(self._connections, key)

    def reserve_subscription(self, key: tuple[str, str]) -> bool:
        return self._take(self._subscriptions, key, self.limits.subscriptions_per_principal)

    def release_subscription(self, key: tuple[str, str]) -> None:
        self._give(self._subscriptions, key)

    def counts(self, key: tuple[str, str]) -> tuple[int, int]:
        with self._lock:
            return self._connections[key], self._subscriptions[key]

    def _take(self, counter: Counter, key: tuple[str, str], limit: int) -> bool:
        with self._lock:
            if counter[key] >= limit:
                return False
            counter[key] += 1
            return True

    def _give(self, counter: Counter, key: tuple[str, str]) -> None:
        with self._lock:
            counter[key] -= 1
            if counter[key] <= 0:
                del counter[key]


# -- what a batch of events concerns -----------------------------------------------------------

_AGGREGATES = (Case, EvidenceRequest, JointAction)


def event_topics() -> list[str]:
    """The topics of every event of the aggregates subscribers watch (not idempotency records
    or reference claims)."""
    from eventsourcing.utils import get_topic

    return sorted({get_topic(cls) for agg in _AGGREGATES for cls in vars(agg).values()
                   if isinstance(cls, type) and issubclass(cls, agg.Event)})


@dataclass(frozen=True)
class ChangeSet:
    case_ids: frozenset[str]
    jurisdictions: frozenset[str]


def concerned(events: Iterable[Any], db: Any, jurisdictions: Any) -> ChangeSet:
    """The cases and jurisdictions `events` concern (see the module's docstring)."""
    case_ids: set[str] = set()
    codes: set[str] = set()
    requests: set[str] = set()
    actions: set[str] = set()
    for e in events:
        if isinstance(e, Case.Event):
            case_ids.add(str(e.originator_id))
        elif isinstance(e, EvidenceRequest.Event):
            requests.add(str(e.originator_id))
        elif isinstance(e, JointAction.Event):
            actions.add(str(e.originator_id))
        else:
            continue
        for value in vars(e).values():
            _collect(value, case_ids, codes, jurisdictions)
    if requests:
        for case_id, applicant, requested in _in(db, "SELECT case_id, applicant, requested FROM rm_evidence_requests "
                                                     "WHERE id IN ({})", requests):
            case_ids.add(case_id)
            codes.update((applicant, requested))
    if actions:
        codes.update(r[0] for r in _in(db, "SELECT coordinator FROM rm_joint_actions WHERE id IN ({})", actions))
        codes.update(r[0] for r in _in(db, "SELECT jurisdiction FROM rm_joint_action_participants "
                                           "WHERE action_id IN ({})", actions))
        case_ids.update(r[0] for r in _in(db, "SELECT case_id FROM rm_joint_action_cases WHERE action_id IN ({})", actions))
    if case_ids:
        codes.update(r[0] for r in _in(db, "SELECT DISTINCT jurisdiction FROM rm_case_visibility WHERE case_id IN ({})",
                                       case_ids))
    return ChangeSet(frozenset(case_ids), frozenset(codes))


def describer(runtime: Runtime, db: Any, jurisdictions: Any) -> Any:
    """`describe(after, upto)` for the `ProjectionFeed`: reads the new events of the watched
    aggregates from the application's log and says what they concern."""
    topics = event_topics()

    def describe(after: int, upto: int) -> ChangeSet | None:
        application = runtime.application
        if application is None:
            return None
        notifications = application.recorder.select_notifications(
            start=after, limit=max(1, upto - after), stop=upto, topics=topics, inclusive_of_start=False)
        to_event = application.mapper.to_domain_event
        return concerned((to_event(n) for n in notifications), db, jurisdictions)

    return describe


def _collect(value: Any, case_ids: set[str], codes: set[str], jurisdictions: Any) -> None:
    if isinstance(value, str):
        if value in jurisdictions:
            codes.add(value)
    elif isinstance(value, UUID):
        case_ids.add(str(value))  # a case id (case_id, case_ids); other ids match no subscriber
    elif isinstance(value, (tuple, list, frozenset, set)):
        for item in value:
            _collect(item, case_ids, codes, jurisdictions)
    elif hasattr(value, "jurisdiction") and isinstance(value.jurisdiction, str):  # the actor
        codes.add(value.jurisdiction)


def _in(db: Any, sql: str, ids: Sequence[str] | set[str], chunk: int = 500) -> list[Any]:
    ids = sorted(ids)
    rows: list[Any] = []
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        rows.extend(db.query(sql.format(", ".join("?" * len(part))), part))
    return rows


# -- the standing of a connection's principal --------------------------------------------------

class LiveConnection:
    """One WebSocket connection's token, re-checked before every push with the validator the
    HTTP path uses (a disabled user, a signed-out or revoked token, whatever else it refuses);
    when the token no longer holds, the socket is closed: 4401 if it expired, 4403 otherwise."""

    def __init__(self, token: str, principal: Principal, validate: Any, close: Any) -> None:
        self.token = token
        self.principal = principal
        self._validate = validate
        self._close = close  # async (code, reason) -> None
        self._pending: asyncio.Future[bool] | None = None
        self.closed = False

    async def still_holds(self) -> bool:
        """The subscriptions of one socket woken by the same change share one check."""
        if self.closed:
            return False
        if self._pending is None:
            self._pending = asyncio.ensure_future(self._check())
            self._pending.add_done_callback(self._checked)
        return await asyncio.shield(self._pending)

    def _checked(self, done: asyncio.Future) -> None:
        if self._pending is done:
            self._pending = None

    async def _check(self) -> bool:
        try:
            await run_in_threadpool(self._validate, self.token)
        except InvalidTokenError as refusal:
            expired = "expired" in refusal.description
            await self.close(4401 if expired else 4403, "Token expired" if expired else "Forbidden")
            return False
        except StorageUnavailableError:
            return False  # cannot confirm: push nothing now, the next change asks again
        return True

    async def close(self, code: int, reason: str) -> None:
        if not self.closed:
            self.closed = True
            await self._close(code, reason)
