"""An evidence (assistance) request, 协助调查: one jurisdiction asks another for evidence.

Its own aggregate, so the two parties never contend with the case owner's writes.
The due date comes from the working-day calendar; `overdue` is derived from it and the clock.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event

from casebridge.domain.errors import (
    DetailRequiredError,
    EvidenceRequestClosedError,
    EvidenceRequestExpiredError,
    InvalidDueDateError,
    NotApplicantError,
    NotRequestedJurisdictionError,
    SameJurisdictionError,
    ValidationError,
)
from casebridge.domain.values import (
    Actor,
    EvidenceItem,
    EvidenceRequestStatus,
    RefusalReason,
    optional_text,
    sha256_hex,
    text,
)


class EvidenceRequest(Aggregate):
    class Event(Aggregate.Event):
        actor: Actor

    class Requested(Aggregate.Created, Event):
        case_id: UUID
        applicant: str
        requested: str
        description: str
        legal_basis: str | None
        due_at: datetime

    class Acknowledged(Event):
        pass

    class Extended(Event):
        previous_due_at: datetime
        due_at: datetime
        reason: str

    class Fulfilled(Event):
        items: tuple[EvidenceItem, ...]
        note: str | None

    class Refused(Event):
        reason: RefusalReason
        detail: str | None

    class Withdrawn(Event):
        reason: str | None

    # -- commands -------------------------------------------------------------------------

    @classmethod
    def request(
        cls, *, actor: Actor, case_id: UUID, requested: str, description: str,
        legal_basis: str | None, due_at: datetime, now: datetime, id: UUID | None = None,
    ) -> EvidenceRequest:
        if requested == actor.jurisdiction:
            raise SameJurisdictionError("a jurisdiction cannot request evidence from itself", field="requested")
        if due_at.tzinfo is None:
            raise InvalidDueDateError("dueAt needs a time zone", field="dueAt")
        if due_at <= now:
            raise InvalidDueDateError("dueAt must be in the future", field="dueAt")
        return cls(
            actor=actor, case_id=case_id, applicant=actor.jurisdiction, requested=requested,
            description=text(description, "description", limit=10_000),
            legal_basis=optional_text(legal_basis, "legalBasis", limit=2000), due_at=due_at, id=id or uuid4(),
        )

    def acknowledge(self, actor: Actor) -> None:
        self._require_open()
        self._require_requested(actor)
        if not self.acknowledged:
            self._acknowledged(actor=actor)

    def extend(self, actor: Actor, *, due_at: datetime, reason: str, now: datetime) -> None:
        self._require_open()
        if actor.jurisdiction not in (self.applicant, self.requested):
            raise NotRequestedJurisdictionError()
        if now > self.due_at:
            raise EvidenceRequestExpiredError()
        if due_at.tzinfo is None or due_at <= self.due_at:
            raise InvalidDueDateError("the new due date must be later than the current one", field="dueAt")
        self._extended(actor=actor, previous_due_at=self.due_at, due_at=due_at, reason=text(reason, "reason", limit=4000))

    def fulfil(self, actor: Actor, *, items: tuple[EvidenceItem, ...], note: str | None = None) -> None:
        self._require_open()
        self._require_requested(actor)
        if not items:
            raise ValidationError("a fulfilment needs at least one evidence item", field="items")
        # Items built without EvidenceItem.create skipped its checks; the event keeps them forever.
        items = tuple(replace(item, sha256=sha256_hex(item.sha256, "items.sha256")) for item in items)
        self._fulfilled(actor=actor, items=tuple(items), note=optional_text(note, "note", limit=4000))

    def refuse(self, actor: Actor, *, reason: RefusalReason, detail: str | None = None) -> None:
        self._require_open()
        self._require_requested(actor)
        if not isinstance(reason, RefusalReason):
            raise ValidationError("a refusal needs a reason", field="reason")
        detail = optional_text(detail, "detail", limit=4000)
        if reason is RefusalReason.OTHER and detail is None:
            raise DetailRequiredError()
        self._refused(actor=actor, reason=reason, detail=detail)

    def withdraw(self, actor: Actor, *, reason: str | None = None) -> None:
        self._require_open()
        if actor.jurisdiction != self.applicant:
            raise NotApplicantError()
        self._withdrawn(actor=actor, reason=optional_text(reason, "reason", limit=4000))

    # -- queries ----------------------------------------------------------------------------

    def is_overdue(self, now: datetime) -> bool:
        return self.status is EvidenceRequestStatus.OPEN and now > self.due_at

    def is_party(self, jurisdiction: str) -> bool:
        return jurisdiction in (self.applicant, self.requested)

    def _require_open(self) -> None:
        if self.status is not EvidenceRequestStatus.OPEN:
            raise EvidenceRequestClosedError(self.status.value)

    def _require_requested(self, actor: Actor) -> None:
        if actor.jurisdiction != self.requested:
            raise NotRequestedJurisdictionError()

    # -- events -------------------------------------------------------------------------------

    @event(Requested)
    def __init__(
        self, *, id: UUID, actor: Actor, case_id: UUID, applicant: str, requested: str, description: str,
        legal_basis: str | None, due_at: datetime,
    ) -> None:
        self.case_id = case_id
        self.applicant = applicant
        self.requested = requested
        self.description = description
        self.legal_basis = legal_basis
        self.due_at = due_at
        self.status = EvidenceRequestStatus.OPEN
        self.acknowledged = False
        self.items: tuple[EvidenceItem, ...] = ()
        self.refusal_reason: RefusalReason | None = None
        self.refusal_detail: str | None = None

    @event(Acknowledged)
    def _acknowledged(self, *, actor: Actor) -> None:
        self.acknowledged = True

    @event(Extended)
    def _extended(self, *, actor: Actor, previous_due_at: datetime, due_at: datetime, reason: str) -> None:
        self.due_at = due_at

    @event(Fulfilled)
    def _fulfilled(self, *, actor: Actor, items: tuple[EvidenceItem, ...], note: str | None) -> None:
        self.status = EvidenceRequestStatus.FULFILLED
        self.items = tuple(items)

    @event(Refused)
    def _refused(self, *, actor: Actor, reason: RefusalReason, detail: str | None) -> None:
        self.status = EvidenceRequestStatus.REFUSED
        self.refusal_reason = reason
        self.refusal_detail = detail

    @event(Withdrawn)
    def _withdrawn(self, *, actor: Actor, reason: str | None) -> None:
        self.status = EvidenceRequestStatus.WITHDRAWN
