"""The Lead aggregate (线索): given / when / then, no I/O. Each rule names its article."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import uuid4

import pytest
from domain.helpers import CHINA, HANGZHOU, SHANGHAI, SUBJECT, actor, assert_not_created, assert_refused, only_event, replay, state

from casebridge.domain.access import lead_visible_to
from casebridge.domain.calendar import WorkingDayCalendar
from casebridge.domain.errors import BlankFieldError, ValidationError
from casebridge.domain.lead import (
    DeclineToFileReason,
    Lead,
    LeadNotFoundError,
    LeadSource,
    LeadStateError,
    LeadStatus,
    Reporter,
)

CALENDAR = WorkingDayCalendar.load()  # the State Council's schedule, as shipped
MONDAY = datetime(2025, 3, 3, 9, 0, tzinfo=CHINA)


def end_of(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, 23, 59, 59, tzinfo=CHINA)


SEALED = "v1:c2VhbGVkIHJlcG9ydGVy"  # a reporter as the application's vault seals it (opaque here)


def register(reporter: str | None = SEALED, now: datetime = MONDAY) -> Lead:
    return Lead.register(actor=actor(HANGZHOU), source=LeadSource.COMPLAINT, subject=SUBJECT,
                         findings="A buyer reports power banks far below their rated capacity.", sealed_reporter=reporter,
                         now=now, calendar=CALENDAR)


def given_lead(reporter: str | None = SEALED) -> Lead:
    lead = register(reporter)
    lead.collect_events()
    return lead


# -- registering -----------------------------------------------------------------------------------


def test_a_registered_lead_is_due_for_its_check_within_fifteen_working_days() -> None:
    """程序规定 Art 18: check within 15 working days of discovering or receiving the lead."""
    lead = register()
    event = only_event(lead)
    assert isinstance(event, Lead.Registered)
    assert event.holder == HANGZHOU and event.source is LeadSource.COMPLAINT and event.subject == SUBJECT
    assert event.check_due_at == end_of(date(2025, 3, 24))
    assert event.sealed_reporter == SEALED  # never the reporter in clear (issue 11 §7)
    assert lead.status is LeadStatus.CHECKING


def test_the_check_clock_skips_the_spring_festival_and_counts_make_up_working_days() -> None:
    """程序规定 Art 18 with 行政处罚法 Art 85: working days per the State Council's notice."""
    lead = register(now=datetime(2025, 1, 20, 9, 0, tzinfo=CHINA))
    assert lead.check_due_at == end_of(date(2025, 2, 14))


def test_a_lead_without_findings_is_refused_with_the_field_named() -> None:
    assert_not_created(lambda: Lead.register(actor=actor(HANGZHOU), source=LeadSource.REPORT, subject=SUBJECT,
                                             findings="  ", sealed_reporter=None, now=MONDAY, calendar=CALENDAR),
                       BlankFieldError, code="VALIDATION", field="findings")


def test_a_lead_needs_a_known_source() -> None:
    assert_not_created(lambda: Lead.register(actor=actor(HANGZHOU), source="RUMOUR", subject=SUBJECT,  # type: ignore[arg-type]
                                             findings="x", sealed_reporter=None, now=MONDAY, calendar=CALENDAR),
                       ValidationError, code="VALIDATION", field="source")


# -- extending and pausing the check -----------------------------------------------------------------


def test_the_check_may_be_extended_once_by_fifteen_working_days_with_the_approval_recorded() -> None:
    """程序规定 Art 18: extendable by 15 working days with the organ head's approval."""
    lead = given_lead()
    lead.extend_check(actor(HANGZHOU), approval="Approved by deputy director Wang, 2025-03-20", now=MONDAY, calendar=CALENDAR)
    event = only_event(lead)
    assert isinstance(event, Lead.CheckExtended)
    assert event.approval.startswith("Approved by")
    assert event.previous_due_at == end_of(date(2025, 3, 24))
    assert event.check_due_at == end_of(date(2025, 4, 15))  # Qingming (4 April) is not counted


def test_a_second_extension_is_refused() -> None:
    """程序规定 Art 18: the extension is one further 15 working days, not more."""
    lead = given_lead()
    lead.extend_check(actor(HANGZHOU), approval="Approved", now=MONDAY, calendar=CALENDAR)
    lead.collect_events()
    assert_refused(lead, lambda: lead.extend_check(actor(HANGZHOU), approval="Again", now=MONDAY, calendar=CALENDAR),
                   LeadStateError, code="INVALID_STATE")


def test_an_extension_needs_its_approval() -> None:
    lead = given_lead()
    assert_refused(lead, lambda: lead.extend_check(actor(HANGZHOU), approval=" ", now=MONDAY, calendar=CALENDAR),
                   BlankFieldError, code="VALIDATION", field="approval")


def test_an_expired_check_cannot_be_extended_afterwards() -> None:
    lead = given_lead()
    late = datetime(2025, 3, 25, 9, 0, tzinfo=CHINA)
    assert_refused(lead, lambda: lead.extend_check(actor(HANGZHOU), approval="Approved", now=late, calendar=CALENDAR),
                   LeadStateError, code="INVALID_STATE")


def test_testing_time_is_excluded_from_the_check_period() -> None:
    """程序规定 Art 18: time for testing, inspection, appraisal and expert opinion is not counted."""
    lead = given_lead()
    lead.pause_clock(actor(HANGZHOU), reason="Samples sent for capacity testing", now=datetime(2025, 3, 5, 10, tzinfo=CHINA))
    assert lead.paused_since is not None and not lead.check_overdue(datetime(2025, 4, 30, tzinfo=CHINA))
    lead.collect_events()
    lead.resume_clock(actor(HANGZHOU), reason="Test report received", now=datetime(2025, 3, 12, 16, tzinfo=CHINA),
                      calendar=CALENDAR)
    event = only_event(lead)
    assert isinstance(event, Lead.ClockResumed)
    assert event.excluded_working_days == 5  # 6, 7, 10, 11, 12 March
    assert lead.check_due_at == end_of(date(2025, 3, 31))


def test_a_paused_clock_cannot_be_paused_again_nor_a_running_one_resumed() -> None:
    lead = given_lead()
    assert_refused(lead, lambda: lead.resume_clock(actor(HANGZHOU), reason="x", now=MONDAY, calendar=CALENDAR),
                   LeadStateError, code="INVALID_STATE")
    lead.pause_clock(actor(HANGZHOU), reason="Appraisal", now=MONDAY)
    lead.collect_events()
    assert_refused(lead, lambda: lead.pause_clock(actor(HANGZHOU), reason="Again", now=MONDAY),
                   LeadStateError, code="INVALID_STATE")


def test_the_check_is_overdue_after_its_due_day_only() -> None:
    lead = given_lead()
    assert not lead.check_overdue(end_of(date(2025, 3, 24)))
    assert lead.check_overdue(end_of(date(2025, 3, 24)) + timedelta(seconds=1))


# -- the decision --------------------------------------------------------------------------------------


def test_filing_records_the_case_the_filing_number_and_the_reporter_notice_deadline() -> None:
    """程序规定 Art 18-19 (立案); 投诉举报办法 Art 31: a named reporter is told within 5 working days."""
    lead = given_lead()
    case_id = uuid4()
    lead.file(actor(HANGZHOU), case_id=case_id, filing_number="杭市监立〔2025〕17号", filing_date=date(2025, 3, 3),
              now=MONDAY, calendar=CALENDAR)
    event = only_event(lead)
    assert isinstance(event, Lead.Filed)
    assert (event.case_id, event.filing_number, event.filing_date) == (case_id, "杭市监立〔2025〕17号", date(2025, 3, 3))
    assert event.notice_due_at == end_of(date(2025, 3, 10))
    assert lead.status is LeadStatus.FILED and not lead.check_overdue(datetime(2026, 1, 1, tzinfo=CHINA))


def test_a_filing_date_in_the_future_is_refused() -> None:
    lead = given_lead()
    assert_refused(lead, lambda: lead.file(actor(HANGZHOU), case_id=uuid4(), filing_number="N1",
                                           filing_date=date(2025, 3, 4), now=MONDAY, calendar=CALENDAR),
                   ValidationError, code="VALIDATION", field="filingDate")


def test_declining_to_file_records_the_ground_from_article_twenty() -> None:
    """程序规定 Art 20(1): a minor violation corrected in time, without harm, may not be filed."""
    lead = given_lead()
    lead.decline_to_file(actor(HANGZHOU), reason=DeclineToFileReason.MINOR_AND_CORRECTED, detail=None, now=MONDAY,
                         calendar=CALENDAR)
    event = only_event(lead)
    assert isinstance(event, Lead.DeclinedToFile) and event.reason is DeclineToFileReason.MINOR_AND_CORRECTED
    assert lead.status is LeadStatus.DECLINED and lead.notice_due_at == end_of(date(2025, 3, 10))


def test_declining_for_another_ground_needs_the_detail() -> None:
    """程序规定 Art 20(4): 'other circumstances' must be said."""
    lead = given_lead()
    assert_refused(lead, lambda: lead.decline_to_file(actor(HANGZHOU), reason=DeclineToFileReason.OTHER, detail=None,
                                                      now=MONDAY, calendar=CALENDAR),
                   ValidationError, code="VALIDATION", field="detail")


def test_a_decided_lead_cannot_be_decided_again_or_extended() -> None:
    lead = given_lead()
    lead.decline_to_file(actor(HANGZHOU), reason=DeclineToFileReason.TIME_BARRED, detail=None, now=MONDAY, calendar=CALENDAR)
    lead.collect_events()
    assert_refused(lead, lambda: lead.file(actor(HANGZHOU), case_id=uuid4(), filing_number="N", filing_date=date(2025, 3, 3),
                                           now=MONDAY, calendar=CALENDAR), LeadStateError, code="INVALID_STATE")
    assert_refused(lead, lambda: lead.extend_check(actor(HANGZHOU), approval="x", now=MONDAY, calendar=CALENDAR),
                   LeadStateError, code="INVALID_STATE")


def test_an_anonymous_lead_has_no_reporter_deadline() -> None:
    """投诉举报办法 Art 31 binds only toward a named complainant or reporter."""
    lead = given_lead(reporter=None)
    lead.decline_to_file(actor(HANGZHOU), reason=DeclineToFileReason.NO_EVIDENCE_OF_VIOLATION, detail=None, now=MONDAY,
                         calendar=CALENDAR)
    assert lead.notice_due_at is None and not lead.notice_overdue(datetime(2026, 1, 1, tzinfo=CHINA))
    lead.collect_events()
    assert_refused(lead, lambda: lead.record_reporter_notified(actor(HANGZHOU), method="phone"),
                   LeadStateError, code="INVALID_STATE")


def test_telling_the_reporter_ends_the_notice_clock() -> None:
    """投诉举报办法 Art 31: the reporter is told the decision within 5 working days."""
    lead = given_lead()
    assert_refused(lead, lambda: lead.record_reporter_notified(actor(HANGZHOU), method="phone"),
                   LeadStateError, code="INVALID_STATE")  # nothing decided yet
    lead.file(actor(HANGZHOU), case_id=uuid4(), filing_number="N1", filing_date=date(2025, 3, 3), now=MONDAY,
              calendar=CALENDAR)
    assert lead.notice_overdue(end_of(date(2025, 3, 10)) + timedelta(seconds=1))
    lead.collect_events()
    lead.record_reporter_notified(actor(HANGZHOU), method="SMS to the number given")
    assert isinstance(only_event(lead), Lead.ReporterNotified)
    assert not lead.notice_overdue(datetime(2026, 1, 1, tzinfo=CHINA))
    assert_refused(lead, lambda: lead.record_reporter_notified(actor(HANGZHOU), method="again"),
                   LeadStateError, code="INVALID_STATE")


# -- personal data (issue 11 §7) -------------------------------------------------------------------------


def test_a_reporter_is_checked_before_it_is_sealed() -> None:
    with pytest.raises(BlankFieldError) as info:
        Reporter.create(" ", "138")
    assert info.value.field == "reporter.name"
    assert Reporter.create(" Li Lei ", " ") == Reporter("Li Lei", None)


def test_erasing_the_reporter_drops_the_sealed_copy_but_still_owes_the_notice() -> None:
    """投诉举报办法 Art 31 still binds after erasure: the reporter was named."""
    lead = given_lead()
    lead.erase_reporter(actor(HANGZHOU))
    assert isinstance(only_event(lead), Lead.ReporterErased)
    assert lead.sealed_reporter is None and lead.named_reporter
    assert_refused(lead, lambda: lead.erase_reporter(actor(HANGZHOU)), LeadStateError, code="INVALID_STATE")
    assert_refused(lead, lambda: lead.erase_reporter(actor(SHANGHAI)), LeadNotFoundError, code="NOT_FOUND", field="leadId")
    lead.decline_to_file(actor(HANGZHOU), reason=DeclineToFileReason.TIME_BARRED, detail=None, now=MONDAY, calendar=CALENDAR)
    assert lead.notice_due_at == end_of(date(2025, 3, 10))


def test_an_anonymous_lead_has_no_reporter_to_erase() -> None:
    lead = given_lead(reporter=None)
    assert_refused(lead, lambda: lead.erase_reporter(actor(HANGZHOU)), LeadStateError, code="INVALID_STATE")


# -- who may act -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("outsider", [SHANGHAI, "330000", "100000"])
def test_only_the_holding_jurisdiction_sees_or_acts_on_a_lead(outsider: str) -> None:
    """A lead is the holder's alone, supervisors included (domain/access.py `lead_visible_to`)."""
    lead = given_lead()
    assert lead.visible_to(HANGZHOU) and not lead.visible_to(outsider)
    assert not lead_visible_to(HANGZHOU, outsider)
    assert_refused(lead, lambda: lead.pause_clock(actor(outsider), reason="x", now=MONDAY), LeadNotFoundError,
                   code="NOT_FOUND", field="leadId")


def test_folding_a_leads_events_rebuilds_an_equal_lead() -> None:
    lead = register()
    lead.pause_clock(actor(HANGZHOU), reason="Appraisal", now=datetime(2025, 3, 5, tzinfo=CHINA))
    lead.resume_clock(actor(HANGZHOU), reason="Done", now=datetime(2025, 3, 7, tzinfo=CHINA), calendar=CALENDAR)
    lead.extend_check(actor(HANGZHOU), approval="Approved", now=MONDAY, calendar=CALENDAR)
    lead.file(actor(HANGZHOU), case_id=uuid4(), filing_number="N1", filing_date=date(2025, 3, 3), now=MONDAY,
              calendar=CALENDAR)
    lead.record_reporter_notified(actor(HANGZHOU), method="phone")
    lead.erase_reporter(actor(HANGZHOU))
    assert state(replay(lead.collect_events())) == state(lead)
