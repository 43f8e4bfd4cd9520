"""The one way a command runs: idempotency record, decide on fresh state, save, retry.

`execute` looks for an earlier result of the idempotency key, lets the command's handler
load and decide (`Attempt` loads what the actor may see and checks `expected_version`),
and saves the changed aggregates together with the key's record in one atomic write. A
write that loses a race without an expected version is decided again on fresh state,
after a random pause (jitter, so that losers do not collide again in lockstep).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from random import uniform
from time import sleep
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from casebridge.application.commands import Command
from casebridge.application.errors import (
    CommandIdReusedError,
    ConflictError,
    EvidenceRequestNotFoundError,
    JointActionNotFoundError,
)
from casebridge.application.idempotency import CommandRecord, CommandResult, record_id, same_owner
from casebridge.domain.case import Case
from casebridge.domain.errors import DomainError, ValidationError
from casebridge.domain.evidence_request import EvidenceRequest
from casebridge.domain.joint_action import JointAction
from casebridge.domain.lead import Lead, LeadNotFoundError
from casebridge.domain.values import Actor

if TYPE_CHECKING:
    from casebridge.application.app import CaseBridge

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10  # each round of a race has one winner: N writers on one aggregate need up to N attempts
RETRY_BACKOFF_SECONDS = 0.005


@dataclass(frozen=True)
class Decision:
    """What a handler decided: the aggregates to save, the one the result is about, and a
    detail for the caller (e.g. the id of the evidence item or task created)."""

    objects: Sequence[Aggregate]
    target: Aggregate
    detail: str | None = None


class Attempt:
    """One try of one command: what its handler may load, as this actor, at this version."""

    def __init__(self, app: CaseBridge, actor: Actor, expected_version: int | None) -> None:
        self.app = app
        self.actor = actor
        self.expected_version = expected_version

    def case(self, case_id: UUID) -> Case:
        """A case the actor may see, at the expected version."""
        return _checked(self.app.visible_case(self.actor, case_id), self.expected_version)

    def seen_case(self, case_id: UUID, field: str = "caseId") -> Case:
        """A case the actor may see, referred to by a new object (no version to compare)."""
        return self.app.visible_case(self.actor, case_id, field=field)

    def evidence_request(self, request_id: UUID) -> EvidenceRequest:
        request = self.app.get_evidence_request(request_id)
        if not request.is_party(self.actor.jurisdiction):
            raise EvidenceRequestNotFoundError()
        return _checked(request, self.expected_version)

    def joint_action(self, action_id: UUID) -> JointAction:
        action = self.app.get_joint_action(action_id)
        if not action.involves(self.actor.jurisdiction):
            raise JointActionNotFoundError()
        return _checked(action, self.expected_version)

    def lead(self, lead_id: UUID) -> Lead:
        """A lead the actor's jurisdiction holds; any other does not exist for it."""
        lead = self.app.get_lead(lead_id)
        if not lead.visible_to(self.actor.jurisdiction):
            raise LeadNotFoundError()
        return _checked(lead, self.expected_version)


Handler = Callable[[Attempt, Any], Decision]


def execute(
    app: CaseBridge, handler: Handler, actor: Actor, command: Command, *,
    expected_version: int | None, command_id: str | None,
) -> CommandResult:
    if command_id is not None and not (0 < len(command_id) <= 200):
        raise ValidationError("clientMutationId must be 1 to 200 characters", field="clientMutationId")
    name, print_ = command.name(), command.fingerprint()
    rid = record_id(actor, command_id) if command_id else None
    for attempt in range(1, MAX_ATTEMPTS + 1):
        if rid is not None:
            earlier = _earlier_result(app, rid, actor, print_)
            if earlier is not None:
                return earlier
        try:
            decision = handler(Attempt(app, actor, expected_version), command)
        except DomainError:
            # A twin with the same key may have been applied since the check above: the
            # refusal (stale version, transfer already pending, ...) is then its own effect.
            earlier = _earlier_result(app, rid, actor, print_) if rid is not None else None
            if earlier is None:
                raise
            return earlier
        target = decision.target
        pending: list[Aggregate] = list(decision.objects)
        if rid is not None:
            pending.append(CommandRecord(
                id=rid, actor=actor, command=name, fingerprint=print_, aggregate_id=target.id,
                aggregate_version=target.version, detail=decision.detail,
            ))
        try:
            recordings = app.save(*pending)
        except IntegrityError:
            earlier = _earlier_result(app, rid, actor, print_) if rid is not None else None
            if earlier is not None:  # the race was lost to a twin with the same key
                return earlier
            if expected_version is not None:
                raise ConflictError("the object was changed concurrently; reload and try again") from None
            log.info("%s lost a race (attempt %d); deciding again on fresh state", name, attempt)
            sleep(uniform(0, RETRY_BACKOFF_SECONDS * attempt))
            continue
        position = max(r.notification.id for r in recordings)
        return CommandResult(aggregate_id=target.id, version=target.version, position=position, detail=decision.detail)
    raise ConflictError(f"gave up after {MAX_ATTEMPTS} concurrent changes; try again")


def _earlier_result(app: CaseBridge, rid: UUID, actor: Actor, print_: str) -> CommandResult | None:
    stored = app.recorder.select_events(rid, limit=1)
    if not stored:
        return None
    record = app.mapper.to_domain_event(stored[0])
    # The key's id already names its owner; checking the recorded actor as well means a
    # result is never handed to anyone but the principal who made it.
    if not same_owner(record.actor, actor) or record.fingerprint != print_:
        raise CommandIdReusedError()
    # The original write is somewhere at or before the head of the log: waiting for
    # the head is a safe read-your-writes position for the replayed result.
    return CommandResult(aggregate_id=record.aggregate_id, version=record.aggregate_version,
                         position=app.max_position(), replayed=True, detail=record.detail)


def _checked(aggregate: Any, expected_version: int | None) -> Any:
    if expected_version is not None and aggregate.version != expected_version:
        raise ConflictError(
            f"expectedVersion {expected_version} is stale: the object is at version {aggregate.version}",
            current_version=aggregate.version,
        )
    return aggregate
