"""Legal replay: a case's history event by event, the case as it stood at any version or
time, and who could see it on a given date — all rebuilt from the stored events."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.persistence import Notification, StoredEvent

from casebridge.application.chain import PREV_KEY, stored_digest
from casebridge.application.errors import CaseNotFoundError
from casebridge.domain.access import Grant, disclosed, grants_of_action, grants_of_case, grants_of_request
from casebridge.domain.case import Case
from casebridge.domain.errors import ValidationError
from casebridge.domain.evidence_request import EvidenceRequest
from casebridge.domain.joint_action import JointAction
from casebridge.domain.values import Actor

MAX_PAGE = 500


class EventLogReader(Protocol):
    def stream_page(self, stream_ids: Sequence[UUID], after: int | None, limit: int) -> list[Notification]: ...


@dataclass(frozen=True)
class HistoryEntry:
    position: int
    stream_id: UUID
    stream_type: str  # Case, EvidenceRequest, JointAction
    version: int
    type: str  # e.g. "Case.TransferRequested"
    occurred_at: datetime
    actor: Actor | None
    data: dict[str, Any]  # the event's facts, JSON-ready
    digest: str


class LegalReplay:
    def __init__(self, app: Any, log: EventLogReader) -> None:
        self.app = app
        self.log = log

    # -- history ---------------------------------------------------------------------------

    def history(self, case_id: UUID, related: Sequence[UUID], *, first: int, after: int | None) -> tuple[list[HistoryEntry], bool]:
        """Events of the case and of the evidence requests and joint actions concerning it,
        in the order they were recorded; keyset-paged by log position."""
        if not 0 < first <= MAX_PAGE:
            raise ValidationError(f"first must be between 1 and {MAX_PAGE}", field="first")
        rows = self.log.stream_page([case_id, *related], after, first + 1)
        return [self.entry(n) for n in rows[:first]], len(rows) > first

    def entry(self, stored: Notification) -> HistoryEntry:
        event = self.app.mapper.to_domain_event(stored)
        facts = {k: v for k, v in vars(event).items()
                 if k not in ("originator_id", "originator_version", "timestamp", "actor", PREV_KEY)}
        qualname = stored.topic.split(":", 1)[1]
        return HistoryEntry(
            position=stored.id, stream_id=stored.originator_id, stream_type=qualname.split(".", 1)[0],
            version=stored.originator_version, type=qualname, occurred_at=event.timestamp,
            actor=getattr(event, "actor", None), data=to_json(facts), digest=stored_digest(stored),
        )

    # -- as of -----------------------------------------------------------------------------

    def case_as_of(self, case_id: UUID, *, version: int | None = None, at: datetime | None = None) -> Case | None:
        """The case as it stood after `version`, or after its last event at or before `at`.
        None when the case did not exist yet at `at`."""
        if (version is None) == (at is None):
            raise ValidationError("give exactly one of version and at", field="version")
        head = self._head_version(case_id)
        if version is not None:
            if not 1 <= version <= head:
                raise ValidationError(f"version must be between 1 and {head}", field="version")
            return self.app.get_case(case_id, version=version)
        if at.tzinfo is None:
            raise ValidationError("at needs a time zone", field="at")
        found = self._last_version_at(case_id, head, at)
        return self.app.get_case(case_id, version=found) if found else None

    def _head_version(self, stream_id: UUID) -> int:
        last = self.app.recorder.select_events(stream_id, desc=True, limit=1)
        if not last:
            raise CaseNotFoundError()
        return last[0].originator_version

    def timestamp_of(self, stream_id: UUID, version: int) -> datetime:
        stored: StoredEvent = self.app.recorder.select_events(stream_id, gt=version - 1, lte=version)[0]
        return self.app.mapper.decode_state(stored)["timestamp"]

    def _last_version_at(self, stream_id: UUID, head: int, at: datetime) -> int:
        """Binary search on version: a stream's timestamps only grow (its events are
        written one after the other), so O(log n) point reads find it."""
        lo, hi = 0, head  # invariant: version lo is at or before `at` (0 = before the first)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.timestamp_of(stream_id, mid) <= at:
                lo = mid
            else:
                hi = mid - 1
        return lo

    # -- access history ---------------------------------------------------------------------

    def access_on(self, case_id: UUID, related: Sequence[UUID], at: datetime, *, held: set[str]) -> list[Grant]:
        """Which jurisdictions could see the case at `at`, and why (domain/access.py), as told
        to a viewer that sees the case now through the sources `held` (its grants' sources):
        the grants of a request or action it is not party to are not disclosed."""
        case = self.case_as_of(case_id, at=at)
        if case is None:
            return []
        grants = grants_of_case(case, self.app.registry)
        for stream_id in related:
            head = self.app.recorder.select_events(stream_id, desc=True, limit=1)
            if not head:
                continue
            version = self._last_version_at(stream_id, head[0].originator_version, at)
            if not version:
                continue
            aggregate = self.app.repository.get(stream_id, version=version)
            if isinstance(aggregate, EvidenceRequest) and aggregate.case_id == case_id:
                grants |= grants_of_request(aggregate)
            elif isinstance(aggregate, JointAction):
                grants |= {g for g in grants_of_action(aggregate) if g.case_id == str(case_id)}
        return disclosed(grants, held)


def to_json(value: Any) -> Any:
    """An event's facts as JSON-ready values: enums by name, ids as strings, times in ISO 8601."""
    if isinstance(value, Enum):
        return value.name
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {_camel(f.name): to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {_camel(str(k)): to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    return value


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)
