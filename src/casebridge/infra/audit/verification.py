"""Verify a case: recompute its chain from the stored events and hold it against the
latest signed checkpoint of its stream."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from casebridge.domain.integrity import ChainLink, verify_chain
from casebridge.infra.audit.checkpoints import Checkpointer, StreamHead

PAGE = 1000


@dataclass(frozen=True)
class StreamVerificationReport:
    valid: bool
    event_count: int
    head_digest: str | None
    first_invalid_version: int | None
    problem: str | None
    checkpoint: StreamHead | None


def stored_links(recorder: Any, stream_id: UUID) -> Iterator[ChainLink]:
    """A stream's stored events in version order, read a page at a time."""
    after = 0
    while True:
        page = recorder.select_events(stream_id, gt=after, limit=PAGE)
        for stored in page:
            yield ChainLink(stored.originator_version, stored.topic, stored.state)
        if len(page) < PAGE:
            return
        after = page[-1].originator_version


def verify_stream_against_checkpoint(recorder: Any, checkpointer: Checkpointer, stream_id: UUID) -> StreamVerificationReport:
    head = checkpointer.latest_head(stream_id)
    if head is not None and not checkpointer.verify_head(head):
        result = verify_chain(stream_id, stored_links(recorder, stream_id))
        return StreamVerificationReport(False, result.event_count, result.head_digest, head.version,
                                        "the latest checkpoint of this stream does not verify with the audit key", head)
    checkpoint = (head.version, head.digest) if head else None
    result = verify_chain(stream_id, stored_links(recorder, stream_id), checkpoint)
    return StreamVerificationReport(result.valid, result.event_count, result.head_digest,
                                    result.first_invalid_version, result.problem, head)
