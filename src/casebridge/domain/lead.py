"""A lead (线索): material a jurisdiction has received or found, checked before it decides
whether to file a case (立案).

Clocks (each stored as a due time in the event that sets it, so a replay needs no calendar):
- the check: 15 working days from registration (程序规定 Art 18), extendable once by
  15 working days with a recorded approval; testing, inspection, appraisal and expert-opinion
  time is excluded (`pause_clock`/`resume_clock`: the working days paused move the due day);
- telling a named reporter the decision: 5 working days from it (投诉举报办法 Art 31).

A lead is held by the jurisdiction that registered it and visible to it alone
(domain/access.py `lead_visible_to`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event

from casebridge.domain.access import lead_visible_to
from casebridge.domain.calendar import CHINA_TIME, END_OF_DAY, DuePeriod, WorkingDayCalendar, china_date
from casebridge.domain.errors import InvalidStateError, NotFoundError, ValidationError
from casebridge.domain.values import Actor, Subject, optional_text, text

CHECK_PERIOD = DuePeriod(15, "working")  # 程序规定 Art 18
CHECK_EXTENSION = DuePeriod(15, "working")  # 程序规定 Art 18, once, with approval
REPORTER_NOTICE_PERIOD = DuePeriod(5, "working")  # 投诉举报办法 Art 31


class LeadSource(Enum):
    COMPLAINT = "COMPLAINT"
    REPORT = "REPORT"
    MONITORING = "MONITORING"
    PRODUCT_PASSPORT = "PRODUCT_PASSPORT"
    TRANSFER = "TRANSFER"
    ASSIGNED_BY_SUPERIOR = "ASSIGNED_BY_SUPERIOR"
    INSPECTION = "INSPECTION"
    OTHER = "OTHER"


class LeadStatus(Enum):
    CHECKING = "CHECKING"
    FILED = "FILED"
    DECLINED = "DECLINED"


class DeclineToFileReason(Enum):
    """Grounds for not filing (不予立案): 程序规定 Art 20 (1)-(3), and Art 19's conditions not met."""

    MINOR_AND_CORRECTED = "MINOR_AND_CORRECTED"  # Art 20(1) 违法行为轻微并及时改正，没有造成危害后果
    FIRST_AND_MINOR_CORRECTED = "FIRST_AND_MINOR_CORRECTED"  # Art 20(2) 初次违法且危害后果轻微并及时改正
    NO_FAULT_PROVEN = "NO_FAULT_PROVEN"  # Art 20(3) 当事人有证据足以证明没有主观过错
    NO_EVIDENCE_OF_VIOLATION = "NO_EVIDENCE_OF_VIOLATION"  # Art 19(1) not met
    NOT_WITHIN_JURISDICTION = "NOT_WITHIN_JURISDICTION"  # Art 19(3) not met (transfer instead)
    TIME_BARRED = "TIME_BARRED"  # Art 19(4) / 行政处罚法 Art 36
    OTHER = "OTHER"  # Art 20(4) 依法可以不予立案的其他情形: detail required


@dataclass(frozen=True)
class Reporter:
    """The named complainant or reporter: personal data, never stored in an event as such —
    the event keeps it sealed with a per-lead key held outside the log (crypto-shredding)."""

    name: str
    contact: str | None = None

    @classmethod
    def create(cls, name: str, contact: str | None = None) -> Reporter:
        return cls(name=text(name, "reporter.name", limit=200), contact=optional_text(contact, "reporter.contact", limit=500))


class LeadStateError(InvalidStateError):
    def __init__(self, message: str) -> None:
        super().__init__(message)


class LeadNotFoundError(NotFoundError):
    def __init__(self, field: str = "leadId") -> None:
        super().__init__("no such lead", field=field)


class Lead(Aggregate):
    class Event(Aggregate.Event):
        actor: Actor

    class Registered(Aggregate.Created, Event):
        holder: str
        source: LeadSource
        subject: Subject
        findings: str
        sealed_reporter: str | None  # the Reporter, encrypted with the lead's own key
        check_due_at: datetime

    class CheckExtended(Event):
        approval: str
        previous_due_at: datetime
        check_due_at: datetime

    class ClockPaused(Event):
        reason: str
        paused_at: datetime

    class ClockResumed(Event):
        reason: str
        excluded_working_days: int
        check_due_at: datetime

    class Filed(Event):
        case_id: UUID
        filing_number: str
        filing_date: date
        notice_due_at: datetime | None

    class DeclinedToFile(Event):
        reason: DeclineToFileReason
        detail: str | None
        notice_due_at: datetime | None

    class ReporterNotified(Event):
        method: str

    class ReporterErased(Event):
        pass

    # -- commands -----------------------------------------------------------------------------

    @classmethod
    def register(
        cls, *, actor: Actor, source: LeadSource, subject: Subject, findings: str, sealed_reporter: str | None,
        now: datetime, calendar: WorkingDayCalendar, id: UUID | None = None,
    ) -> Lead:
        """`sealed_reporter`: a `Reporter` already checked (`Reporter.create`) and sealed with
        this lead's key (the application's `ReporterVault`), or None for an anonymous lead."""
        if not isinstance(source, LeadSource):
            raise ValidationError("a lead needs a source", field="source")
        if not isinstance(subject, Subject):
            raise ValidationError("a lead needs a subject", field="subject")
        return cls(
            actor=actor, holder=actor.jurisdiction, source=source, subject=subject,
            findings=text(findings, "findings", limit=10_000), sealed_reporter=sealed_reporter,
            check_due_at=calendar.due_at(now, CHECK_PERIOD), id=id or uuid4(),
        )

    def extend_check(self, actor: Actor, *, approval: str, now: datetime, calendar: WorkingDayCalendar) -> None:
        self._require_checking(actor)
        if self.extended:
            raise LeadStateError("the check of a lead may be extended only once (程序规定 Art 18)")
        if self.paused_since is None and now > self.check_due_at:
            raise LeadStateError("the check period has already ended; it can no longer be extended")
        due = _end_of(calendar.due_date(china_date(self.check_due_at), CHECK_EXTENSION))
        self._check_extended(actor=actor, approval=text(approval, "approval", limit=2000),
                             previous_due_at=self.check_due_at, check_due_at=due)

    def pause_clock(self, actor: Actor, *, reason: str, now: datetime) -> None:
        self._require_checking(actor)
        if self.paused_since is not None:
            raise LeadStateError("the clock of this lead is already paused")
        self._clock_paused(actor=actor, reason=text(reason, "reason", limit=2000), paused_at=now)

    def resume_clock(self, actor: Actor, *, reason: str, now: datetime, calendar: WorkingDayCalendar) -> None:
        self._require_checking(actor)
        if self.paused_since is None:
            raise LeadStateError("the clock of this lead is not paused")
        excluded = _working_days_between(calendar, china_date(self.paused_since), china_date(now))
        due = self.check_due_at
        if excluded:
            due = _end_of(calendar.add_working_days(china_date(due), excluded))
        self._clock_resumed(actor=actor, reason=text(reason, "reason", limit=2000), excluded_working_days=excluded,
                            check_due_at=due)

    def file(self, actor: Actor, *, case_id: UUID, filing_number: str, filing_date: date, now: datetime,
             calendar: WorkingDayCalendar) -> None:
        self._require_checking(actor)
        if not isinstance(filing_date, date) or isinstance(filing_date, datetime):
            raise ValidationError("filingDate must be a date", field="filingDate")
        if filing_date > china_date(now):
            raise ValidationError("filingDate cannot be in the future", field="filingDate")
        self._filed(actor=actor, case_id=case_id, filing_number=text(filing_number, "filingNumber", limit=64),
                    filing_date=filing_date, notice_due_at=self._notice_due(now, calendar))

    def decline_to_file(self, actor: Actor, *, reason: DeclineToFileReason, detail: str | None, now: datetime,
                        calendar: WorkingDayCalendar) -> None:
        self._require_checking(actor)
        if not isinstance(reason, DeclineToFileReason):
            raise ValidationError("declining to file needs a reason", field="reason")
        detail = optional_text(detail, "detail", limit=4000)
        if reason is DeclineToFileReason.OTHER and detail is None:
            raise ValidationError("declining to file for reason OTHER needs a detail", field="detail")
        self._declined_to_file(actor=actor, reason=reason, detail=detail, notice_due_at=self._notice_due(now, calendar))

    def record_reporter_notified(self, actor: Actor, *, method: str) -> None:
        self._require_holder(actor)
        if self.status is LeadStatus.CHECKING:
            raise LeadStateError("the reporter is told the decision: no decision has been made yet")
        if not self.named_reporter:
            raise LeadStateError("this lead has no named reporter to notify")
        if self.reporter_notified:
            raise LeadStateError("the reporter has already been notified")
        self._reporter_notified(actor=actor, method=text(method, "method", limit=500))

    def erase_reporter(self, actor: Actor) -> None:
        """Forget the reporter for good: the key is destroyed, the sealed copy stays unreadable."""
        self._require_holder(actor)
        if not self.named_reporter:
            raise LeadStateError("this lead has no named reporter")
        if self.sealed_reporter is None:
            raise LeadStateError("the reporter has already been erased")
        self._reporter_erased(actor=actor)

    # -- queries ------------------------------------------------------------------------------

    def visible_to(self, jurisdiction: str) -> bool:
        return lead_visible_to(self.holder, jurisdiction)

    def check_overdue(self, now: datetime) -> bool:
        return self.status is LeadStatus.CHECKING and self.paused_since is None and now > self.check_due_at

    def notice_overdue(self, now: datetime) -> bool:
        return self.notice_due_at is not None and not self.reporter_notified and now > self.notice_due_at

    def _notice_due(self, now: datetime, calendar: WorkingDayCalendar) -> datetime | None:
        return calendar.due_at(now, REPORTER_NOTICE_PERIOD) if self.named_reporter else None

    def _require_holder(self, actor: Actor) -> None:
        if not self.visible_to(actor.jurisdiction):
            raise LeadNotFoundError()

    def _require_checking(self, actor: Actor) -> None:
        self._require_holder(actor)
        if self.status is not LeadStatus.CHECKING:
            raise LeadStateError(f"the lead has been decided ({self.status.value})")

    # -- events (apply; never raise) -----------------------------------------------------------

    @event(Registered)
    def __init__(self, *, id: UUID, actor: Actor, holder: str, source: LeadSource, subject: Subject, findings: str,
                 sealed_reporter: str | None, check_due_at: datetime) -> None:
        self.holder = holder
        self.source = source
        self.subject = subject
        self.findings = findings
        self.sealed_reporter = sealed_reporter
        self.named_reporter = sealed_reporter is not None  # stays true after erasure: the notice is still owed
        self.check_due_at = check_due_at
        self.extended = False
        self.paused_since: datetime | None = None
        self.status = LeadStatus.CHECKING
        self.case_id: UUID | None = None
        self.filing_number: str | None = None
        self.filing_date: date | None = None
        self.decline_reason: DeclineToFileReason | None = None
        self.decline_detail: str | None = None
        self.notice_due_at: datetime | None = None
        self.reporter_notified = False

    @event(CheckExtended)
    def _check_extended(self, *, actor: Actor, approval: str, previous_due_at: datetime, check_due_at: datetime) -> None:
        self.extended = True
        self.check_due_at = check_due_at

    @event(ClockPaused)
    def _clock_paused(self, *, actor: Actor, reason: str, paused_at: datetime) -> None:
        self.paused_since = paused_at

    @event(ClockResumed)
    def _clock_resumed(self, *, actor: Actor, reason: str, excluded_working_days: int, check_due_at: datetime) -> None:
        self.paused_since = None
        self.check_due_at = check_due_at

    @event(Filed)
    def _filed(self, *, actor: Actor, case_id: UUID, filing_number: str, filing_date: date,
               notice_due_at: datetime | None) -> None:
        self.status = LeadStatus.FILED
        self.paused_since = None
        self.case_id = case_id
        self.filing_number = filing_number
        self.filing_date = filing_date
        self.notice_due_at = notice_due_at

    @event(DeclinedToFile)
    def _declined_to_file(self, *, actor: Actor, reason: DeclineToFileReason, detail: str | None,
                          notice_due_at: datetime | None) -> None:
        self.status = LeadStatus.DECLINED
        self.paused_since = None
        self.decline_reason = reason
        self.decline_detail = detail
        self.notice_due_at = notice_due_at

    @event(ReporterNotified)
    def _reporter_notified(self, *, actor: Actor, method: str) -> None:
        self.reporter_notified = True

    @event(ReporterErased)
    def _reporter_erased(self, *, actor: Actor) -> None:
        self.sealed_reporter = None


def _end_of(d: date) -> datetime:
    return datetime.combine(d, END_OF_DAY, CHINA_TIME)


def _working_days_between(calendar: WorkingDayCalendar, start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (the first day is not counted)."""
    n, d = 0, start
    while d < end:
        d = date.fromordinal(d.toordinal() + 1)
        if calendar.is_working_day(d):
            n += 1
    return n
