"""Tamper evidence: every aggregate's events form a hash chain.

When an event is recorded, its stored state carries `_prev`, the digest of the event
before it in the same stream (64 zeros for the first). An event's digest covers the
stream id, its version, its topic and its stored bytes (which include `_prev`), so
changing, deleting, reordering or inserting a stored event breaks the chain at that
point. The digest is computed from the bytes exactly as stored: verification never
depends on re-encoding an event the same way twice.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from threading import Lock
from typing import Any

from eventsourcing.domain import Snapshot
from eventsourcing.persistence import AggregateRecorder, EventStore, Mapper, Notification, Recording, StoredEvent
from eventsourcing.utils import get_topic

from casebridge.domain.integrity import GENESIS, PREV_KEY, ChainLink, ChainVerification, event_digest, verify_chain

__all__ = ["GENESIS", "PREV_KEY", "ChainedEventStore", "ChainedMapper", "stored_digest", "verify_stream"]


def stored_digest(stored: StoredEvent) -> str:
    return event_digest(stored.originator_id, stored.originator_version, stored.topic, stored.state)


class ChainedMapper(Mapper):
    """A mapper that writes the previous event's digest into each stored event's state."""

    def to_stored_event(self, domain_event: Any, prev: str | None = None) -> StoredEvent:
        if prev is None:
            return super().to_stored_event(domain_event)
        event_state = dict(vars(domain_event))
        originator_id = event_state.pop("originator_id")
        originator_version = event_state.pop("originator_version")
        class_version = getattr(type(domain_event), "class_version", 1)
        if class_version > 1:
            event_state["class_version"] = class_version
        event_state[PREV_KEY] = prev
        stored_state = self.transcoder.encode(event_state)
        if self.compressor:
            stored_state = self.compressor.compress(stored_state)
        if self.cipher:
            stored_state = self.cipher.encrypt(stored_state)
        return StoredEvent(originator_id=originator_id, originator_version=originator_version,
                           topic=get_topic(type(domain_event)), state=stored_state)

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        domain_event = super().to_domain_event(stored_event)
        vars(domain_event).pop(PREV_KEY, None)
        return domain_event

    def decode_state(self, stored_event: StoredEvent) -> dict[str, Any]:
        """The stored state as a dict (the event's facts plus `_prev`), for history and audit."""
        state = stored_event.state
        if self.cipher:
            state = self.cipher.decrypt(state)
        if self.compressor:
            state = self.compressor.decompress(state)
        return self.transcoder.decode(state)


class ChainedEventStore(EventStore):
    """Links each new event to the digest of its predecessor in the same stream."""

    def __init__(self, mapper: ChainedMapper, recorder: AggregateRecorder, cache_size: int = 10_000) -> None:
        super().__init__(mapper, recorder)
        self._digests: OrderedDict[tuple[Any, int], str] = OrderedDict()  # committed events only
        self._cache_size = cache_size
        self._lock = Lock()

    def put(self, domain_events: Sequence[Any], **kwargs: Any) -> list[Any]:
        if any(isinstance(e, Snapshot) for e in domain_events):
            return super().put(domain_events, **kwargs)
        mapper: ChainedMapper = self.mapper  # type: ignore[assignment]
        heads: dict[Any, str] = {}
        stored_events: list[StoredEvent] = []
        digests: list[tuple[Any, int, str]] = []
        for event in domain_events:
            key = event.originator_id
            prev = heads.get(key) or self._digest_before(key, event.originator_version)
            stored = mapper.to_stored_event(event, prev=prev)
            heads[key] = stored_digest(stored)
            stored_events.append(stored)
            digests.append((key, stored.originator_version, heads[key]))
        recordings = self._insert(domain_events, stored_events, **kwargs)
        self._remember(digests)  # only once the insert committed: a lost race leaves no digest behind
        return recordings

    def _insert(self, domain_events: Sequence[Any], stored_events: list[StoredEvent], **kwargs: Any) -> list[Any]:
        notification_ids = self.recorder.insert_events(stored_events, **kwargs)
        if not notification_ids:
            return []
        return [
            Recording(d, Notification(originator_id=s.originator_id, originator_version=s.originator_version,
                                      topic=s.topic, state=s.state, id=n))
            for d, s, n in zip(domain_events, stored_events, notification_ids, strict=True)
        ]

    def _digest_before(self, originator_id: Any, version: int) -> str:
        if version <= 1:
            return GENESIS
        with self._lock:
            cached = self._digests.get((originator_id, version - 1))
        if cached is not None:
            return cached
        previous = self.recorder.select_events(originator_id, lte=version - 1, desc=True, limit=1)
        if not previous or previous[0].originator_version != version - 1:
            # The predecessor is missing: the write will fail on the store's version
            # check anyway; link to genesis so nothing pretends to be verified.
            return GENESIS
        return stored_digest(previous[0])

    def _remember(self, entries: Iterable[tuple[Any, int, str]]) -> None:
        with self._lock:
            for originator_id, version, digest in entries:
                self._digests[(originator_id, version)] = digest
                self._digests.move_to_end((originator_id, version))
            while len(self._digests) > self._cache_size:
                self._digests.popitem(last=False)


def verify_stream(stored_events: Iterable[StoredEvent], stream_id: Any) -> ChainVerification:
    """Recompute a stream's chain from its stored events, in version order."""
    return verify_chain(stream_id, (ChainLink(s.originator_version, s.topic, s.state) for s in stored_events))
