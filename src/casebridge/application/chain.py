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
from collections.abc import Callable, Iterable, Sequence
from threading import Lock
from typing import Any

from eventsourcing.domain import Snapshot
from eventsourcing.persistence import AggregateRecorder, EventStore, Mapper, StoredEvent

from casebridge.domain.integrity import GENESIS, PREV_KEY, ChainLink, ChainVerification, event_digest, verify_chain

__all__ = ["GENESIS", "PREV_KEY", "ChainedEventStore", "ChainedMapper", "stored_digest", "verify_stream", "with_prev"]


def stored_digest(stored: StoredEvent) -> str:
    return event_digest(stored.originator_id, stored.originator_version, stored.topic, stored.state)


class ChainedMapper(Mapper):
    """The library's mapper; stored states carry `_prev`, which never reaches a domain event."""

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


def with_prev(domain_event: Any, prev: str) -> Any:
    """A copy of the event whose attributes include `_prev`. The library's mapper stores an
    event's attributes (`vars(event)`), so its own `to_stored_event` then writes the link."""
    linked = object.__new__(type(domain_event))
    object.__setattr__(linked, "__dict__", {**vars(domain_event), PREV_KEY: prev})
    return linked


class _LinkingMapper(Mapper):
    """One save's mapper: the library's `to_stored_event` of each event with `_prev` added,
    the digest of the event before it in its stream (earlier in this save, or stored)."""

    def __init__(self, mapper: Mapper, digest_before: Callable[[Any, int], str]) -> None:
        super().__init__(mapper.transcoder, mapper.compressor, mapper.cipher)
        self._digest_before = digest_before
        self.heads: dict[Any, str] = {}
        self.digests: list[tuple[Any, int, str]] = []

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        key = domain_event.originator_id
        prev = self.heads.get(key) or self._digest_before(key, domain_event.originator_version)
        stored = super().to_stored_event(with_prev(domain_event, prev))
        self.heads[key] = digest = stored_digest(stored)
        self.digests.append((key, stored.originator_version, digest))
        return stored


class ChainedEventStore(EventStore):
    """The library's event store, saving through a mapper that links each new event to the
    digest of its predecessor in the same stream."""

    def __init__(self, mapper: ChainedMapper, recorder: AggregateRecorder, cache_size: int = 10_000) -> None:
        super().__init__(mapper, recorder)
        self._digests: OrderedDict[tuple[Any, int], str] = OrderedDict()  # committed events only
        self._cache_size = cache_size
        self._lock = Lock()

    def put(self, domain_events: Sequence[Any], **kwargs: Any) -> list[Any]:
        if any(isinstance(e, Snapshot) for e in domain_events):
            return super().put(domain_events, **kwargs)
        linking = _LinkingMapper(self.mapper, self._digest_before)
        recordings = EventStore(linking, self.recorder).put(domain_events, **kwargs)
        self._remember(linking.digests)  # only once the insert committed: a lost race leaves no digest behind
        return recordings

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
