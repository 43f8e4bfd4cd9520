"""The hash chain that makes a stream's stored events tamper-evident.

Pure functions over stored bytes, shared by the event store that writes the chain, the
verifier that recomputes it and the offline checker of a court export: one definition of
"digest", so the three can never disagree.

An event's digest is SHA-256 over a fixed prefix, the stream id (32 hex digits), the
version, the topic and the event's stored bytes, separated by NUL bytes. The stored bytes
carry `_prev`, the digest of the event before it in the stream (64 zeros for the first).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

GENESIS = "0" * 64
PREV_KEY = "_prev"
DIGEST_PREFIX = b"casebridge-event-v1\x00"


def event_digest(stream_id: UUID | str, version: int, topic: str, state: bytes) -> str:
    stream = stream_id.hex if isinstance(stream_id, UUID) else UUID(str(stream_id)).hex
    h = hashlib.sha256(DIGEST_PREFIX)
    h.update(f"{stream}\x00{version}\x00{topic}\x00".encode())
    h.update(state)
    return h.hexdigest()


def linked_digest(state: bytes) -> str | None:
    """The `_prev` digest an event's stored JSON bytes carry (None when unreadable)."""
    try:
        value = json.loads(state.decode("utf-8")).get(PREV_KEY)
    except (ValueError, UnicodeDecodeError, AttributeError):
        return None
    return value if isinstance(value, str) else None


@dataclass(frozen=True)
class ChainLink:
    version: int
    topic: str
    state: bytes


@dataclass(frozen=True)
class ChainVerification:
    valid: bool
    event_count: int
    head_digest: str | None
    first_invalid_version: int | None
    problem: str | None = None


def verify_chain(
    stream_id: UUID | str, links: Iterable[ChainLink], checkpoint: tuple[int, str] | None = None,
) -> ChainVerification:
    """Recompute a stream's chain from its stored events, given in version order.

    With a `checkpoint` (version, digest) taken earlier, the stream must still reach that
    version with that digest: a chain rewritten from some point on, or cut short, fails.

    When version k does not link to the digest of version k-1, either k-1's bytes or k's
    link was changed. If k itself is vouched for — its successor links to k's digest, or the
    checkpoint signed k's digest — then k is intact and k-1 is the altered event."""
    expected_prev, expected_version, count, head = GENESIS, 1, 0, None
    links = iter(links)
    for link in links:
        count += 1
        if link.version != expected_version:
            return ChainVerification(False, count, head, expected_version,
                                     f"version {expected_version} is missing (next stored version is {link.version})")
        prev = linked_digest(link.state)
        if prev is None:
            return ChainVerification(False, count, head, link.version, f"version {link.version} carries no readable link")
        digest = event_digest(stream_id, link.version, link.topic, link.state)
        if prev != expected_prev:
            if link.version == 1:
                return ChainVerification(False, count, head, 1, "version 1 does not start the chain")
            return _broken_link(link.version, digest, next(links, None), checkpoint, count, head)
        head = digest
        if checkpoint is not None and link.version == checkpoint[0] and head != checkpoint[1]:
            return ChainVerification(False, count, head, link.version,
                                     f"the chain up to version {link.version} differs from the signed checkpoint: "
                                     f"version {link.version} was altered, or events before it were rewritten")
        expected_prev, expected_version = head, expected_version + 1
    if checkpoint is not None and count < checkpoint[0]:
        return ChainVerification(False, count, head, count + 1,
                                 f"the stream ends at version {count} but a signed checkpoint covers version "
                                 f"{checkpoint[0]}: events were removed from its end")
    return ChainVerification(True, count, head, None)


def _broken_link(version: int, digest: str, successor: ChainLink | None, checkpoint: tuple[int, str] | None,
                 count: int, head: str | None) -> ChainVerification:
    """Version `version` does not link to its predecessor's recomputed digest: name the altered one."""
    before = version - 1
    if successor is not None and successor.version == version + 1 and linked_digest(successor.state) == digest:
        return ChainVerification(False, count, head, before,
                                 f"version {before} was altered: its digest no longer matches the link that version "
                                 f"{version} carries, and version {version + 1} vouches for version {version}")
    if checkpoint is not None and checkpoint == (version, digest):
        return ChainVerification(False, count, head, before,
                                 f"version {before} was altered: its digest no longer matches the link that version "
                                 f"{version} carries, and the signed checkpoint vouches for version {version}")
    return ChainVerification(False, count, head, version,
                             f"version {version} does not link to the digest of version {before}: "
                             f"version {before} or version {version} was altered (nothing later vouches for either)")
