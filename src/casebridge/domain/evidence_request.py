"""An evidence (assistance) request, 协助调查: one jurisdiction asks another for evidence.

Its own aggregate, so the two parties never contend with the case owner's writes.
The due date comes from the working-day calendar; `overdue` is derived from it and the clock.
A clarification (the requested office needs more information) pauses the clock until the
applicant answers; the due date then moves on by the working days the clock stood still.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event

from casebridge.domain.calendar import CHINA_TIME, WorkingDayCalendar, china_date
from casebridge.domain.errors import (
    ClarificationPendingError,
    DetailRequiredError,
    EvidenceRequestClosedError,
    EvidenceRequestExpiredError,
    InvalidDueDateError,
    NoClarificationPendingError,
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
        class_version = 2
        reason: RefusalReason
        detail: str | None
        competent_jurisdiction: str | None  # OUTSIDE_COMPETENCE: the office that is, when known

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["competent_jurisdiction"] = None

    class ClarificationAsked(Event):
        question: str
        asked_at: datetime

    class ClarificationAnswered(Event):
        answer: str
        answered_at: datetime
        paused_working_days: int
        previous_due_at: datetime
        due_at: datetime

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
        if self.paused_since is not None:
            raise ClarificationPendingError()
        if now > self.due_at:
            raise EvidenceRequestExpiredError()
        if due_at.tzinfo is None or due_at <= self.due_at:
            raise InvalidDueDateError("the new due date must be later than the current one", field="dueAt")
        self._extended(actor=actor, previous_due_at=self.due_at, due_at=due_at, reason=text(reason, "reason", limit=4000))

    def fulfil(self, actor: Actor, *, items: tuple[EvidenceItem, ...], note: str | None = None) -> None:
        self._require_open()
        self._require_requested(actor)
        note = optional_text(note, "note", limit=4000)
        if not items and note is None:
            # A findings note alone (情况说明, e.g. 查无此主体) is an answer; nothing at all is not.
            raise ValidationError("a fulfilment needs at least one evidence item or a findings note", field="items")
        # Items built without EvidenceItem.create skipped its checks; the event keeps them forever.
        items = tuple(replace(item, sha256=sha256_hex(item.sha256, "items.sha256")) for item in items)
        self._fulfilled(actor=actor, items=tuple(items), note=note)

    def refuse(self, actor: Actor, *, reason: RefusalReason, detail: str | None = None,
               competent_jurisdiction: str | None = None) -> None:
        """Not assisting is for a matter outside the office's competence, or another ground
        stated in full (行政处罚法 Art 26); too little information is a clarification."""
        self._require_open()
        self._require_requested(actor)
        if not isinstance(reason, RefusalReason):
            raise ValidationError("a refusal needs a reason", field="reason")
        if not reason.accepted:
            raise ValidationError(
                f"{reason.value} is no longer a ground for refusing (行政处罚法 Art 26): refuse as OUTSIDE_COMPETENCE "
                "or OTHER with a detail, or ask the applicant for clarification", field="reason")
        detail = optional_text(detail, "detail", limit=4000)
        if reason is RefusalReason.OTHER and detail is None:
            raise DetailRequiredError()
        competent_jurisdiction = optional_text(competent_jurisdiction, "competentJurisdiction", limit=12)
        if competent_jurisdiction is not None:
            if reason is not RefusalReason.OUTSIDE_COMPETENCE:
                raise ValidationError("a competent office is named only for OUTSIDE_COMPETENCE",
                                      field="competentJurisdiction")
            if competent_jurisdiction == self.requested:
                raise SameJurisdictionError("the competent office must be another office than yours",
                                            field="competentJurisdiction")
        self._refused(actor=actor, reason=reason, detail=detail, competent_jurisdiction=competent_jurisdiction)

    def ask_clarification(self, actor: Actor, *, question: str, now: datetime) -> None:
        """The requested office needs more to act on: the clock stops until the applicant answers."""
        self._require_open()
        self._require_requested(actor)
        if self.paused_since is not None:
            raise ClarificationPendingError()
        self._clarification_asked(actor=actor, question=text(question, "question", limit=4000), asked_at=now)

    def answer_clarification(self, actor: Actor, *, answer: str, now: datetime, calendar: WorkingDayCalendar) -> None:
        """The applicant answers; the due date moves on by the working days the clock stood still."""
        self._require_open()
        if actor.jurisdiction != self.applicant:
            raise NotApplicantError()
        if self.paused_since is None:
            raise NoClarificationPendingError()
        answer = text(answer, "answer", limit=4000)
        paused = working_days_between(calendar, self.paused_since, now)
        due_at = self.due_at
        if paused:
            local = self.due_at.astimezone(CHINA_TIME)
            due_at = datetime.combine(calendar.add_working_days(local.date(), paused), local.timetz())
        self._clarification_answered(actor=actor, answer=answer, answered_at=now, paused_working_days=paused,
                                     previous_due_at=self.due_at, due_at=due_at)

    def withdraw(self, actor: Actor, *, reason: str | None = None) -> None:
        self._require_open()
        if actor.jurisdiction != self.applicant:
            raise NotApplicantError()
        self._withdrawn(actor=actor, reason=optional_text(reason, "reason", limit=4000))

    # -- queries ----------------------------------------------------------------------------

    def is_overdue(self, now: datetime) -> bool:
        """Open, its clock running, and past its due time (a paused clock is never overdue)."""
        return self.status is EvidenceRequestStatus.OPEN and self.paused_since is None and now > self.due_at

    @property
    def paused(self) -> bool:
        return self.paused_since is not None

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
        self.competent_jurisdiction: str | None = None
        self.findings_note: str | None = None
        self.paused_since: datetime | None = None
        self.clarification_question: str | None = None
        self.clarification_answer: str | None = None

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
        self.findings_note = note

    @event(Refused)
    def _refused(self, *, actor: Actor, reason: RefusalReason, detail: str | None,
                 competent_jurisdiction: str | None) -> None:
        self.status = EvidenceRequestStatus.REFUSED
        self.refusal_reason = reason
        self.refusal_detail = detail
        self.competent_jurisdiction = competent_jurisdiction

    @event(ClarificationAsked)
    def _clarification_asked(self, *, actor: Actor, question: str, asked_at: datetime) -> None:
        self.paused_since = asked_at
        self.clarification_question = question
        self.clarification_answer = None

    @event(ClarificationAnswered)
    def _clarification_answered(self, *, actor: Actor, answer: str, answered_at: datetime, paused_working_days: int,
                                previous_due_at: datetime, due_at: datetime) -> None:
        self.paused_since = None
        self.clarification_answer = answer
        self.due_at = due_at

    @event(Withdrawn)
    def _withdrawn(self, *, actor: Actor, reason: str | None) -> None:
        self.status = EvidenceRequestStatus.WITHDRAWN


def working_days_between(calendar: WorkingDayCalendar, start: datetime, end: datetime) -> int:
    """The working days after `start`'s day up to and including `end`'s day, China time (the
    first day is not counted, as in every period of 行政处罚法 Art 85)."""
    first, last = china_date(start), china_date(end)
    days, d = 0, first
    while d < last:
        d += timedelta(days=1)
        if calendar.is_working_day(d):
            days += 1
    return days
