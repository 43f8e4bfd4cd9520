"""The enforcement case: held by one handling jurisdiction at a time.

Transfers (移送) move a case between jurisdictions with the target's consent; a case
received by transfer may not be transferred onward on its own, and a dispute goes to
designation (指定管辖) by a common superior jurisdiction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event

from casebridge.domain.access import grants_of_case, may_see
from casebridge.domain.calendar import CHINA_TIME, END_OF_DAY, DuePeriod, WorkingDayCalendar, china_date
from casebridge.domain.errors import (
    CaseClosedError,
    CaseNotClosedError,
    CaseNotSuspendedError,
    CaseSuspendedError,
    CollectiveDecisionRequiredError,
    DecisionClockPausedError,
    DecisionClockRunningError,
    DesignatedHandlerError,
    NoCommonSuperiorError,
    NoDecisionClockError,
    NotSubordinateError,
    NotSuperiorError,
    NoPendingTransferError,
    NotCommonSuperiorError,
    NotHandlingJurisdictionError,
    NotTransferTargetError,
    OnwardTransferNotAllowedError,
    SameJurisdictionError,
    InvalidStateError,
    TransferAlreadyPendingError,
    ValidationError,
)
from casebridge.domain.jurisdictions import JurisdictionRegistry
from casebridge.domain.values import (
    Actor,
    CaseCategory,
    CaseClockPauseReason,
    CaseOutcome,
    CaseStatus,
    EvidenceItem,
    OutcomeDetails,
    Subject,
    identifier_text,
    optional_text,
    sha256_hex,
    text,
)


@dataclass(frozen=True)
class PendingTransfer:
    sender: str
    to: str
    reason: str


# -- lifecycle state (issue 11: disputes, superiors, the decision clock, suspension) ------------


@dataclass(frozen=True)
class DesignationPetition:
    """A declined transfer before the nearest common superior (程序规定 Art 14): the parties may
    settle until `settle_due_at`; the superior designates by `designation_due_at`."""

    superior: str
    sender: str
    receiver: str
    reason: str
    settle_due_at: datetime
    designation_due_at: datetime


@dataclass(frozen=True)
class DecisionClock:
    """The decision period from filing (行政处罚法 Art 60): 90 calendar days, plus extensions,
    plus excluded (paused) days; `paused_on` while a hearing, test or public notice runs."""

    filed_on: date
    due_at: datetime
    extensions: int = 0
    extension_days: int = 0
    excluded_days: int = 0
    paused_on: date | None = None
    pause_reason: CaseClockPauseReason | None = None


DECISION_PERIOD = DuePeriod(90, "calendar")  # 行政处罚法 Art 60
FIRST_EXTENSION_DAYS = 30  # approved by the organ's head; later ones need a collective decision
SETTLE_PERIOD = DuePeriod(7)  # working days to settle a dispute (程序规定 Arts 13, 16 [R])
DESIGNATION_WORKING_DAYS = 7  # working days for the superior to designate, after the settling period


def decision_due_at(calendar: WorkingDayCalendar, filed_on: date, days: int) -> datetime:
    return datetime.combine(calendar.due_date(filed_on, DuePeriod(days, "calendar")), END_OF_DAY, CHINA_TIME)


class Case(Aggregate):
    # Defaults for state that snapshots taken before issue 11 do not hold.
    dispute: DesignationPetition | None = None
    directed_by_superior = False
    decision_clock: DecisionClock | None = None
    suspension_reason: str | None = None
    outcome_details: OutcomeDetails | None = None

    class Event(Aggregate.Event):
        actor: Actor

    class Opened(Aggregate.Created, Event):
        class_version = 2  # 2: the filing date and decision due time (v1 events read back with none)
        reference: str
        title: str
        summary: str
        subject: Subject
        category: CaseCategory
        legal_basis: str | None
        handling_jurisdiction: str
        filed_on: date | None
        decision_due_at: datetime | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["filed_on"] = None
            state["decision_due_at"] = None

    class DetailsRevised(Event):
        title: str
        summary: str
        category: CaseCategory
        legal_basis: str | None

    class TransferRequested(Event):
        sender: str
        to: str
        reason: str

    class TransferAccepted(Event):
        sender: str
        receiver: str

    class TransferDeclined(Event):
        sender: str
        receiver: str
        reason: str

    class TransferWithdrawn(Event):
        sender: str
        receiver: str

    class JurisdictionDesignated(Event):
        previous: str
        jurisdiction: str
        reason: str

    class EvidenceAdded(Event):
        evidence_id: str
        item: EvidenceItem

    class Closed(Event):
        class_version = 2  # 2: the outcome's details (v1 events read back with none)
        outcome: CaseOutcome
        summary: str | None
        details: OutcomeDetails | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["details"] = None

    class Reopened(Event):
        reason: str

    # -- filing from a lead (线索 -> 立案; domain/lead.py) --
    class FilingRecorded(Event):
        lead_id: UUID
        filing_number: str
        filing_date: date

    # -- issue 11 events: disputes, superiors, decision clock, suspension --------------------
    # `TransferDeclined` stays for histories recorded before a decline became a dispute
    # (it returned the case to the sender); a decline is now recorded as `TransferDisputed`.

    class TransferDisputed(Event):
        sender: str
        receiver: str
        reason: str
        superior: str
        settle_due_at: datetime
        designation_due_at: datetime

    class TakenOver(Event):
        previous: str
        jurisdiction: str
        reason: str

    class Assigned(Event):
        previous: str
        jurisdiction: str
        reason: str

    class DecisionPeriodExtended(Event):
        days: int
        approver: str
        collective_decision: str | None
        reason: str
        due_at: datetime

    class DecisionClockPaused(Event):
        reason: CaseClockPauseReason
        detail: str | None
        paused_on: date

    class DecisionClockResumed(Event):
        resumed_on: date
        excluded_days: int
        due_at: datetime

    class Suspended(Event):
        reason: str

    class Resumed(Event):
        reason: str | None

    # -- commands (decide; may raise) ----------------------------------------------------

    @classmethod
    def open(
        cls,
        *,
        actor: Actor,
        reference: str,
        title: str,
        summary: str,
        subject: Subject,
        category: CaseCategory,
        legal_basis: str | None = None,
        id: UUID | None = None,
        now: datetime | None = None,
        calendar: WorkingDayCalendar | None = None,
    ) -> Case:
        """Given `now` and `calendar`, the decision period starts: from filing (for now: opening),
        a decision is due in 90 days (行政处罚法 Art 60)."""
        filed_on = china_date(now) if now is not None and calendar is not None else None
        return cls(
            actor=actor,
            reference=identifier_text(reference, "reference", limit=64),
            title=text(title, "title", limit=300),
            summary=text(summary, "summary", limit=10_000),
            subject=subject,
            category=category,
            legal_basis=optional_text(legal_basis, "legalBasis", limit=2000),
            handling_jurisdiction=actor.jurisdiction,
            filed_on=filed_on,
            decision_due_at=decision_due_at(calendar, filed_on, DECISION_PERIOD.days) if filed_on and calendar else None,
            id=id or uuid4(),
        )

    def revise_details(
        self, actor: Actor, *, title: str | None = None, summary: str | None = None,
        category: CaseCategory | None = None, legal_basis: str | None = None,
    ) -> None:
        self._require_open_and_handling(actor)
        self._details_revised(
            actor=actor,
            title=text(title, "title", limit=300) if title is not None else self.title,
            summary=text(summary, "summary", limit=10_000) if summary is not None else self.summary,
            category=category or self.category,
            legal_basis=optional_text(legal_basis, "legalBasis", limit=2000) if legal_basis is not None else self.legal_basis,
        )

    def request_transfer(self, actor: Actor, *, to: str, reason: str, registry: JurisdictionRegistry) -> None:
        self._require_open_and_handling(actor)
        registry.require(to, field="to")
        if to == self.handling_jurisdiction:
            raise SameJurisdictionError("a case cannot be transferred to its own handling jurisdiction", field="to")
        if self.pending_transfer is not None:
            raise TransferAlreadyPendingError()
        if self.received_by_transfer:
            raise OnwardTransferNotAllowedError()
        if self.directed_by_superior:
            raise DesignatedHandlerError()
        if self.status is CaseStatus.SUSPENDED:
            raise CaseSuspendedError()
        self._transfer_requested(actor=actor, sender=self.handling_jurisdiction, to=to, reason=text(reason, "reason", limit=4000))

    def accept_transfer(self, actor: Actor) -> None:
        pending = self._require_pending_addressed_to(actor)
        self._transfer_accepted(actor=actor, sender=pending.sender, receiver=pending.to)

    def decline_transfer(self, actor: Actor, *, reason: str, registry: JurisdictionRegistry,
                         calendar: WorkingDayCalendar, now: datetime) -> None:
        """The receiver disputes its jurisdiction: it may not send the case back or on; the
        dispute goes to the nearest common superior, and the sender keeps handling meanwhile."""
        pending = self._require_pending_addressed_to(actor)
        if self.dispute is not None:
            raise InvalidStateError("this transfer is already disputed before the common superior")
        reason = text(reason, "reason", limit=4000)
        superiors = registry.common_superiors(pending.sender, pending.to)
        if not superiors:
            raise NoCommonSuperiorError()
        settle_due_at = calendar.due_at(now, SETTLE_PERIOD)
        designation_due = calendar.add_working_days(settle_due_at.date(), DESIGNATION_WORKING_DAYS)
        self._transfer_disputed(
            actor=actor, sender=pending.sender, receiver=pending.to, reason=reason, superior=superiors[0],
            settle_due_at=settle_due_at, designation_due_at=datetime.combine(designation_due, END_OF_DAY, CHINA_TIME),
        )

    def withdraw_transfer(self, actor: Actor) -> None:
        if self.pending_transfer is None:
            raise NoPendingTransferError()
        if actor.jurisdiction != self.pending_transfer.sender:
            raise NotHandlingJurisdictionError()
        self._transfer_withdrawn(actor=actor, sender=self.pending_transfer.sender, receiver=self.pending_transfer.to)

    def designate_jurisdiction(self, actor: Actor, *, jurisdiction: str, reason: str, registry: JurisdictionRegistry) -> None:
        if self.status is CaseStatus.CLOSED:
            raise CaseClosedError()
        registry.require(jurisdiction, field="jurisdiction")
        if actor.jurisdiction not in registry.common_superiors(self.handling_jurisdiction, jurisdiction):
            raise NotCommonSuperiorError()
        self._jurisdiction_designated(
            actor=actor, previous=self.handling_jurisdiction, jurisdiction=jurisdiction,
            reason=text(reason, "reason", limit=4000),
        )

    def add_evidence(self, actor: Actor, *, evidence_id: str, item: EvidenceItem) -> None:
        self._require_open_and_handling(actor)
        # An item built without EvidenceItem.create skipped its checks; the event keeps it forever.
        item = replace(item, sha256=sha256_hex(item.sha256, "sha256"))
        self._evidence_added(actor=actor, evidence_id=evidence_id, item=item)

    def close(self, actor: Actor, *, outcome: CaseOutcome, summary: str | None = None,
              details: OutcomeDetails | None = None) -> None:
        self._require_open_and_handling(actor)
        if self.pending_transfer is not None:
            raise TransferAlreadyPendingError()
        if self.status is CaseStatus.SUSPENDED:
            raise CaseSuspendedError()
        if not isinstance(outcome, CaseOutcome):
            raise ValidationError("closing a case needs an outcome", field="outcome")
        details = outcome_details(outcome, details or OutcomeDetails(), own_id=str(self.id))
        self._closed(actor=actor, outcome=outcome, summary=optional_text(summary, "summary", limit=10_000), details=details)

    def reopen(self, actor: Actor, *, reason: str) -> None:
        if self.status is not CaseStatus.CLOSED:
            raise CaseNotClosedError()
        if actor.jurisdiction != self.handling_jurisdiction:
            raise NotHandlingJurisdictionError()
        self._reopened(actor=actor, reason=text(reason, "reason", limit=4000))

    def record_filing(self, actor: Actor, *, lead_id: UUID, filing_number: str, filing_date: date) -> None:
        """The handling office's own filing number (立案号) and date; each office keeps its own."""
        self._require_open_and_handling(actor)
        self._filing_recorded(actor=actor, lead_id=lead_id, filing_number=text(filing_number, "filingNumber", limit=64),
                              filing_date=filing_date)

    @event(FilingRecorded)
    def _filing_recorded(self, *, actor: Actor, lead_id: UUID, filing_number: str, filing_date: date) -> None:
        self.filings = [*getattr(self, "filings", []), (actor.jurisdiction, filing_number, filing_date)]

    # -- issue 11 commands: superiors, decision clock, suspension ------------------------------

    def take_over(self, actor: Actor, *, reason: str, registry: JurisdictionRegistry) -> None:
        """提级管辖: a superior of the handling jurisdiction takes the case up (程序规定 Art 15 [R])."""
        if self.status is CaseStatus.CLOSED:
            raise CaseClosedError()
        if actor.jurisdiction not in registry.ancestors(self.handling_jurisdiction):
            raise NotSuperiorError()
        self._taken_over(actor=actor, previous=self.handling_jurisdiction, jurisdiction=actor.jurisdiction,
                         reason=text(reason, "reason", limit=4000))

    def assign(self, actor: Actor, *, jurisdiction: str, reason: str, registry: JurisdictionRegistry) -> None:
        """交办: the handler hands its own case down to a jurisdiction below it (程序规定 Art 15 [R])."""
        self._require_open_and_handling(actor)
        registry.require(jurisdiction, field="jurisdiction")
        if actor.jurisdiction not in registry.ancestors(jurisdiction):
            raise NotSubordinateError()
        if self.directed_by_superior:
            raise DesignatedHandlerError()
        if self.pending_transfer is not None:
            raise TransferAlreadyPendingError()
        self._assigned(actor=actor, previous=self.handling_jurisdiction, jurisdiction=jurisdiction,
                       reason=text(reason, "reason", limit=4000))

    def extend_decision_period(self, actor: Actor, *, approver: str, reason: str, calendar: WorkingDayCalendar,
                               days: int | None = None, collective_decision: str | None = None) -> None:
        """Once by 30 days with the approver recorded; further only by a recorded collective decision."""
        clock = self._require_clock(actor)
        approver = text(approver, "approver", limit=300)
        reason = text(reason, "reason", limit=4000)
        collective_decision = optional_text(collective_decision, "collectiveDecision", limit=2000)
        if clock.extensions >= 1 and collective_decision is None:
            raise CollectiveDecisionRequiredError()
        limit = 365 if collective_decision is not None else FIRST_EXTENSION_DAYS
        days = FIRST_EXTENSION_DAYS if days is None else days
        if type(days) is not int or not 1 <= days <= limit:
            raise ValidationError(f"days must be a whole number from 1 to {limit}", field="days")
        total = DECISION_PERIOD.days + clock.extension_days + days + clock.excluded_days
        self._decision_period_extended(actor=actor, days=days, approver=approver, collective_decision=collective_decision,
                                       reason=reason, due_at=decision_due_at(calendar, clock.filed_on, total))

    def pause_clock(self, actor: Actor, *, reason: CaseClockPauseReason, detail: str | None = None, now: datetime) -> None:
        """Hearing, testing/appraisal and public notice do not count (行政处罚法 Art 60 [S])."""
        clock = self._require_clock(actor)
        if clock.paused_on is not None:
            raise DecisionClockPausedError()
        if not isinstance(reason, CaseClockPauseReason):
            raise ValidationError("pausing the decision period needs a reason", field="reason")
        self._decision_clock_paused(actor=actor, reason=reason, detail=optional_text(detail, "detail", limit=4000),
                                    paused_on=china_date(now))

    def resume_clock(self, actor: Actor, *, now: datetime, calendar: WorkingDayCalendar) -> None:
        clock = self._require_clock(actor)
        if clock.paused_on is None:
            raise DecisionClockRunningError()
        resumed_on = max(china_date(now), clock.paused_on)
        excluded = (resumed_on - clock.paused_on).days
        total = DECISION_PERIOD.days + clock.extension_days + clock.excluded_days + excluded
        self._decision_clock_resumed(actor=actor, resumed_on=resumed_on, excluded_days=excluded,
                                     due_at=decision_due_at(calendar, clock.filed_on, total))

    def suspend(self, actor: Actor, *, reason: str) -> None:
        """中止: the handler suspends the case while a precondition is missing."""
        self._require_open_and_handling(actor)
        if self.status is CaseStatus.SUSPENDED:
            raise CaseSuspendedError()
        if self.pending_transfer is not None:
            raise TransferAlreadyPendingError()
        self._suspended(actor=actor, reason=text(reason, "reason", limit=4000))

    def resume(self, actor: Actor, *, reason: str | None = None) -> None:
        self._require_open_and_handling(actor)
        if self.status is not CaseStatus.SUSPENDED:
            raise CaseNotSuspendedError()
        self._resumed(actor=actor, reason=optional_text(reason, "reason", limit=4000))

    def decision_overdue(self, now: datetime) -> bool:
        clock = self.decision_clock
        return (clock is not None and clock.paused_on is None and self.status is not CaseStatus.CLOSED
                and now > clock.due_at)

    def _require_clock(self, actor: Actor) -> DecisionClock:
        self._require_open_and_handling(actor)
        if self.decision_clock is None:
            raise NoDecisionClockError()
        return self.decision_clock

    # -- queries ---------------------------------------------------------------------------

    def visible_to(self, jurisdiction: str, registry: JurisdictionRegistry) -> bool:
        """Whether the case's own facts let `jurisdiction` see it (domain/access.py; the
        grants of evidence requests and joint actions are known to the read side)."""
        return may_see(grants_of_case(self, registry), jurisdiction)

    # -- guards ------------------------------------------------------------------------------

    def _require_open_and_handling(self, actor: Actor) -> None:
        if actor.jurisdiction != self.handling_jurisdiction:
            raise NotHandlingJurisdictionError()
        if self.status is CaseStatus.CLOSED:
            raise CaseClosedError()

    def _require_pending_addressed_to(self, actor: Actor) -> PendingTransfer:
        if self.pending_transfer is None:
            raise NoPendingTransferError()
        if actor.jurisdiction != self.pending_transfer.to:
            raise NotTransferTargetError()
        return self.pending_transfer

    # -- events (apply; never raise: they run again on every replay) -----------------------

    @event(Opened)
    def __init__(
        self, *, id: UUID, actor: Actor, reference: str, title: str, summary: str, subject: Subject,
        category: CaseCategory, legal_basis: str | None, handling_jurisdiction: str,
        filed_on: date | None, decision_due_at: datetime | None,
    ) -> None:
        self.reference = reference
        self.title = title
        self.summary = summary
        self.subject = subject
        self.category = category
        self.legal_basis = legal_basis
        self.opened_by = actor
        self.handling_jurisdiction = handling_jurisdiction
        self.former_handlers: list[str] = []
        self.pending_transfer: PendingTransfer | None = None
        self.received_by_transfer = False
        self.evidence: dict[str, EvidenceItem] = {}
        self.status = CaseStatus.OPEN
        self.outcome: CaseOutcome | None = None
        self.closing_summary: str | None = None
        self.outcome_details: OutcomeDetails | None = None
        if filed_on is not None and decision_due_at is not None:
            self.decision_clock = DecisionClock(filed_on=filed_on, due_at=decision_due_at)

    @event(DetailsRevised)
    def _details_revised(self, *, actor: Actor, title: str, summary: str, category: CaseCategory, legal_basis: str | None) -> None:
        self.title, self.summary, self.category, self.legal_basis = title, summary, category, legal_basis

    @event(TransferRequested)
    def _transfer_requested(self, *, actor: Actor, sender: str, to: str, reason: str) -> None:
        self.pending_transfer = PendingTransfer(sender=sender, to=to, reason=reason)

    @event(TransferAccepted)
    def _transfer_accepted(self, *, actor: Actor, sender: str, receiver: str) -> None:
        self._hand_over(receiver)
        self.received_by_transfer = True
        self._refresh_status()

    @event(TransferDeclined)
    def _transfer_declined(self, *, actor: Actor, sender: str, receiver: str, reason: str) -> None:
        self.pending_transfer = None

    @event(TransferWithdrawn)
    def _transfer_withdrawn(self, *, actor: Actor, sender: str, receiver: str) -> None:
        self.pending_transfer = None
        self.dispute = None
        self._refresh_status()

    @event(JurisdictionDesignated)
    def _jurisdiction_designated(self, *, actor: Actor, previous: str, jurisdiction: str, reason: str) -> None:
        self._hand_over(jurisdiction)
        # A designation settles the question: the designated jurisdiction handles the case and
        # may not move it by itself; only a superior may, by designating again.
        self.received_by_transfer = False
        self.directed_by_superior = True
        self._refresh_status()

    @event(EvidenceAdded)
    def _evidence_added(self, *, actor: Actor, evidence_id: str, item: EvidenceItem) -> None:
        self.evidence[evidence_id] = item

    @event(Closed)
    def _closed(self, *, actor: Actor, outcome: CaseOutcome, summary: str | None, details: OutcomeDetails | None) -> None:
        self.status = CaseStatus.CLOSED
        self.outcome = outcome
        self.closing_summary = summary
        self.outcome_details = details

    @event(Reopened)
    def _reopened(self, *, actor: Actor, reason: str) -> None:
        self.status = CaseStatus.OPEN
        self.outcome = None
        self.closing_summary = None
        self.outcome_details = None
        self._refresh_status()

    @event(TransferDisputed)
    def _transfer_disputed(self, *, actor: Actor, sender: str, receiver: str, reason: str, superior: str,
                           settle_due_at: datetime, designation_due_at: datetime) -> None:
        self.dispute = DesignationPetition(superior=superior, sender=sender, receiver=receiver, reason=reason,
                                           settle_due_at=settle_due_at, designation_due_at=designation_due_at)
        self._refresh_status()

    @event(TakenOver)
    def _taken_over(self, *, actor: Actor, previous: str, jurisdiction: str, reason: str) -> None:
        self._hand_over(jurisdiction)
        self.received_by_transfer = False
        self.directed_by_superior = False  # the superior handles it itself, and may hand it down again
        self._refresh_status()

    @event(Assigned)
    def _assigned(self, *, actor: Actor, previous: str, jurisdiction: str, reason: str) -> None:
        self._hand_over(jurisdiction)
        self.received_by_transfer = False
        self.directed_by_superior = True
        self._refresh_status()

    @event(DecisionPeriodExtended)
    def _decision_period_extended(self, *, actor: Actor, days: int, approver: str, collective_decision: str | None,
                                  reason: str, due_at: datetime) -> None:
        clock = self.decision_clock
        if clock is not None:
            self.decision_clock = replace(clock, extensions=clock.extensions + 1,
                                          extension_days=clock.extension_days + days, due_at=due_at)

    @event(DecisionClockPaused)
    def _decision_clock_paused(self, *, actor: Actor, reason: CaseClockPauseReason, detail: str | None,
                               paused_on: date) -> None:
        if self.decision_clock is not None:
            self.decision_clock = replace(self.decision_clock, paused_on=paused_on, pause_reason=reason)

    @event(DecisionClockResumed)
    def _decision_clock_resumed(self, *, actor: Actor, resumed_on: date, excluded_days: int, due_at: datetime) -> None:
        clock = self.decision_clock
        if clock is not None:
            self.decision_clock = replace(clock, paused_on=None, pause_reason=None,
                                          excluded_days=clock.excluded_days + excluded_days, due_at=due_at)

    @event(Suspended)
    def _suspended(self, *, actor: Actor, reason: str) -> None:
        self.suspension_reason = reason
        self._refresh_status()

    @event(Resumed)
    def _resumed(self, *, actor: Actor, reason: str | None) -> None:
        self.suspension_reason = None
        self._refresh_status()

    def _refresh_status(self) -> None:
        if self.outcome is not None:
            self.status = CaseStatus.CLOSED
        elif self.suspension_reason is not None:
            self.status = CaseStatus.SUSPENDED
        elif self.dispute is not None:
            self.status = CaseStatus.DISPUTED
        else:
            self.status = CaseStatus.OPEN

    def _hand_over(self, to: str) -> None:
        self.pending_transfer = None
        self.dispute = None
        if to != self.handling_jurisdiction:
            if self.handling_jurisdiction not in self.former_handlers:
                self.former_handlers.append(self.handling_jurisdiction)
            self.handling_jurisdiction = to


def outcome_details(outcome: CaseOutcome, details: OutcomeDetails, *, own_id: str) -> OutcomeDetails | None:
    """The details `outcome` needs, checked; those it does not use are dropped."""
    if outcome is CaseOutcome.PENALTY_DECISION:
        amount = details.amount_fen
        if type(amount) is not int or amount < 0:
            raise ValidationError("a penalty decision needs its amount in fen (a whole number >= 0)", field="details.amountFen")
        return OutcomeDetails(decision_number=text(details.decision_number, "details.decisionNumber", limit=200),
                              amount_fen=amount, legal_basis=text(details.legal_basis, "details.legalBasis", limit=2000))
    if outcome is CaseOutcome.NO_PENALTY:
        return OutcomeDetails(ground=text(details.ground, "details.ground", limit=2000))
    if outcome is CaseOutcome.REFERRED_TO_OTHER_AGENCY:
        return OutcomeDetails(agency=text(details.agency, "details.agency", limit=300))
    if outcome is CaseOutcome.MERGED:
        into = text(details.merged_into, "details.mergedInto", limit=64)
        if into == own_id:
            raise ValidationError("a case is not merged into itself", field="details.mergedInto")
        return OutcomeDetails(merged_into=into)
    return None
