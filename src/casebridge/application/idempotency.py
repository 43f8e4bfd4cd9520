"""Idempotency records: a command with a client-supplied id applies once.

The record is an aggregate whose id is derived from (issuer, client, user, command id). It is
saved in the same atomic write as the command's events, so the event store's own
uniqueness of (originator_id, version) guarantees that a repeated command, even one
retried after an ambiguous commit, finds the original result instead of applying twice.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from casebridge.domain.values import Actor

NAMESPACE = UUID("5f0c7a52-3b8e-4a5e-9a57-8d1f3f2c6b10")


def record_id(actor: Actor, command_id: str) -> UUID:
    """The key's record, owned by one principal: issuer, client and user.

    Keys of CaseBridge's own tokens (no issuer) keep the form they always had, so records
    stored before issuers were recorded still answer their retries; keys of an external
    provider's tokens include its issuer, in an unambiguous encoding."""
    if actor.issuer is None:
        return uuid5(NAMESPACE, f"command\n{actor.client_id}\n{actor.user or ''}\n{command_id}")
    return uuid5(NAMESPACE, json.dumps(["command", actor.issuer, actor.client_id, actor.user, command_id]))


def same_owner(a: Actor, b: Actor) -> bool:
    return (a.issuer, a.client_id, a.user) == (b.issuer, b.client_id, b.user)


def fingerprint(command: str, arguments: dict[str, Any]) -> str:
    """The digest stored in a record: the command's name and arguments. Stored records
    compare against it, so its format never changes (tests/application pins it)."""
    canonical = json.dumps([command, arguments], sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CommandResult:
    """What a command changed: the aggregate, its new version, and the log position of
    the write (for read-your-writes). `replayed` is true when an earlier identical
    command's result is returned instead of applying it again."""

    aggregate_id: UUID
    version: int
    position: int
    replayed: bool = False
    detail: str | None = None  # e.g. the id of the evidence item or task created


class CommandRecord(Aggregate):
    class Recorded(Aggregate.Created):
        actor: Actor
        command: str
        fingerprint: str
        aggregate_id: UUID
        aggregate_version: int
        detail: str | None

    @event(Recorded)
    def __init__(
        self, *, id: UUID, actor: Actor, command: str, fingerprint: str, aggregate_id: UUID,
        aggregate_version: int, detail: str | None,
    ) -> None:
        self.actor = actor
        self.command = command
        self.fingerprint = fingerprint
        self.aggregate_id = aggregate_id
        self.aggregate_version = aggregate_version
        self.detail = detail
