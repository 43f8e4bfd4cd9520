"""The case's procedure as the law writes it (issue 11 §1 and §3): a declined transfer is a
dispute before the common superior; superiors take cases up and hand them down; the decision
period runs from filing; outcomes carry what the law asks; a case may be suspended (中止).

Each test's docstring names its source, marked as in PROCEDURE.md: [V] read in the law itself,
[S] a secondary source quoting it, [R] recalled and not yet checked against the text.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from domain.helpers import (
    CALENDAR,
    CHINA,
    HANGZHOU,
    NATIONAL,
    NINGBO,
    NOW,
    PENALTY,
    REGISTRY,
    SHANGHAI,
    SUBJECT,
    SUZHOU,
    ZHEJIANG,
    actor,
    assert_refused,
    decline,
    evidence_item,
    given_case,
    given_disputed_transfer,
    given_pending_transfer,
    only_event,
    open_case,
    replay,
    state,
)

from casebridge.domain.case import Case, DecisionClock
from casebridge.domain.errors import (
    BlankFieldError,
    CaseNotSuspendedError,
    CaseSuspendedError,
    CollectiveDecisionRequiredError,
    DecisionClockPausedError,
    DecisionClockRunningError,
    DesignatedHandlerError,
    InvalidStateError,
    NoDecisionClockError,
    NotHandlingJurisdictionError,
    NotSubordinateError,
    NotSuperiorError,
    NotTransferTargetError,
    TransferAlreadyPendingError,
    ValidationError,
)
from casebridge.domain.values import CaseCategory, CaseClockPauseReason, CaseOutcome, CaseStatus, OutcomeDetails


def end_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=CHINA)


def open_filed_case(by: str = HANGZHOU, on: datetime = NOW) -> Case:
    return Case.open(actor=actor(by), reference="330100-2025-00002", title="Power banks below rated capacity",
                     summary="Test purchases", subject=SUBJECT, category=CaseCategory.PRODUCT_QUALITY, now=on,
                     calendar=CALENDAR)


def given_filed_case(by: str = HANGZHOU, on: datetime = NOW) -> Case:
    case = open_filed_case(by, on)
    case.collect_events()
    return case


# -- §1 a declined transfer is a dispute ------------------------------------------------------------


@pytest.mark.parametrize(("sender", "receiver", "superior"), [(HANGZHOU, SHANGHAI, NATIONAL), (HANGZHOU, NINGBO, ZHEJIANG)])
def test_a_declined_transfer_goes_to_the_nearest_common_superior_and_the_sender_keeps_the_case(sender, receiver, superior):
    """Given a pending transfer, when the receiver declines it with a reason, then the case is
    DISPUTED before the nearest common superior, and the sender still handles it.
    程序规定 Art 14 [R] (receiver reports to the common superior, may not transfer on by itself);
    行政处罚法 Art 25 [V] (disputes go to the common superior, which designates)."""
    case = given_pending_transfer(sender, receiver)

    decline(case, receiver, reason="The seller moved to Suzhou last year")

    disputed = only_event(case)
    assert isinstance(disputed, Case.TransferDisputed)
    assert (disputed.sender, disputed.receiver, disputed.superior) == (sender, receiver, superior)
    assert disputed.reason == "The seller moved to Suzhou last year"
    assert case.status is CaseStatus.DISPUTED
    assert case.handling_jurisdiction == sender and case.pending_transfer is not None
    assert case.visible_to(receiver, REGISTRY) and case.visible_to(superior, REGISTRY)


def test_the_parties_have_seven_working_days_to_settle_then_the_superior_seven_to_designate():
    """Given a decline on Monday 20 Jan 2025, then the parties may settle until the 7th working day
    (5 Feb: the Spring Festival holidays 28 Jan-4 Feb do not count, the make-up Sunday 26 Jan
    does) and the superior designates by the 7th working day after that (13 Feb, with the
    make-up Saturday 8 Feb). 程序规定 Arts 13, 16 [R]; the same 7-working-day formula in
    投诉举报办法 Art 30 [V]; counting days per PROCEDURE.md "Counting days"."""
    case = given_pending_transfer(HANGZHOU, SHANGHAI)

    decline(case, SHANGHAI, now=NOW)

    disputed = only_event(case)
    assert disputed.settle_due_at == end_of(date(2025, 2, 5))
    assert disputed.designation_due_at == end_of(date(2025, 2, 13))
    assert case.dispute.settle_due_at == disputed.settle_due_at


def test_a_decline_needs_a_reason_and_comes_only_from_the_receiver_once():
    """A receiver that disputes must say why; it answers a transfer once (程序规定 Art 14 [R])."""
    case = given_pending_transfer(HANGZHOU, SHANGHAI)
    assert_refused(case, lambda: decline(case, SHANGHAI, reason=" "), BlankFieldError, code="VALIDATION", field="reason")
    assert_refused(case, lambda: decline(case, SUZHOU), NotTransferTargetError, code="FORBIDDEN")
    case = given_disputed_transfer(HANGZHOU, SHANGHAI)
    assert_refused(case, lambda: decline(case, SHANGHAI), InvalidStateError, code="INVALID_STATE")


def test_the_disputing_receiver_may_not_send_the_case_back_or_on():
    """Given a dispute, the receiver does not hold the case and may not move it anywhere
    (不得再自行移送: 程序规定 Art 14 [R])."""
    case = given_disputed_transfer(HANGZHOU, SHANGHAI)
    assert_refused(case, lambda: case.request_transfer(actor(SHANGHAI), to=SUZHOU, reason="r", registry=REGISTRY),
                   NotHandlingJurisdictionError, code="FORBIDDEN")


def test_during_the_dispute_the_sender_keeps_handling_the_case():
    """The sender keeps handling meanwhile (issue 11 §1; 行政处罚法 Art 25 [V] leaves the case with
    the organ until designation)."""
    case = given_disputed_transfer(HANGZHOU, SHANGHAI)

    case.add_evidence(actor(HANGZHOU), evidence_id="e1", item=evidence_item(1))

    assert isinstance(only_event(case), Case.EvidenceAdded)


def test_the_parties_settle_by_the_sender_withdrawing_or_the_receiver_accepting():
    """Negotiation first (协商): withdrawing or accepting ends the dispute (行政处罚法 Art 25 [V])."""
    withdrawn = given_disputed_transfer(HANGZHOU, SHANGHAI)
    withdrawn.withdraw_transfer(actor(HANGZHOU))
    assert withdrawn.status is CaseStatus.OPEN and withdrawn.dispute is None and withdrawn.handling_jurisdiction == HANGZHOU

    accepted = given_disputed_transfer(HANGZHOU, SHANGHAI)
    accepted.accept_transfer(actor(SHANGHAI))
    assert accepted.status is CaseStatus.OPEN and accepted.dispute is None and accepted.handling_jurisdiction == SHANGHAI


def test_the_superior_designates_and_the_designated_handler_may_not_move_the_case_by_itself():
    """Given a dispute, when the common superior designates the receiver, then the receiver handles
    it, may neither transfer nor hand it down by itself, and only a superior may designate again.
    行政处罚法 Art 25 [V]; 程序规定 Art 14 [R]."""
    case = given_disputed_transfer(HANGZHOU, SHANGHAI)

    case.designate_jurisdiction(actor(NATIONAL), jurisdiction=SHANGHAI, reason="Registered in Shanghai", registry=REGISTRY)

    assert isinstance(only_event(case), Case.JurisdictionDesignated)
    assert case.status is CaseStatus.OPEN and case.dispute is None and case.handling_jurisdiction == SHANGHAI
    assert_refused(case, lambda: case.request_transfer(actor(SHANGHAI), to=SUZHOU, reason="r", registry=REGISTRY),
                   DesignatedHandlerError, code="INVALID_STATE")
    case.designate_jurisdiction(actor(NATIONAL), jurisdiction=SUZHOU, reason="The depot is in Suzhou", registry=REGISTRY)
    assert case.handling_jurisdiction == SUZHOU


def test_a_superior_takes_a_case_up():
    """提级管辖: a superior of the handler takes the case over, ending any pending transfer or
    dispute. 程序规定 Art 15 [R]."""
    case = given_disputed_transfer(HANGZHOU, SHANGHAI)

    case.take_over(actor(ZHEJIANG), reason="Province-wide pattern of counterfeits", registry=REGISTRY)

    taken = only_event(case)
    assert isinstance(taken, Case.TakenOver)
    assert (taken.previous, taken.jurisdiction) == (HANGZHOU, ZHEJIANG)
    assert case.handling_jurisdiction == ZHEJIANG and case.former_handlers == [HANGZHOU]
    assert case.status is CaseStatus.OPEN and case.pending_transfer is None


@pytest.mark.parametrize("taker", [HANGZHOU, NINGBO, SHANGHAI])
def test_only_a_superior_of_the_handler_takes_a_case_up(taker):
    """程序规定 Art 15 [R]: taking up is the superior's power."""
    case = given_case(HANGZHOU)
    assert_refused(case, lambda: case.take_over(actor(taker), reason="r", registry=REGISTRY), NotSuperiorError, code="FORBIDDEN")


def test_a_superior_hands_its_own_case_down_and_the_assignee_may_not_move_it():
    """交办: a superior assigns one of its own cases to a jurisdiction below it, which handles it as
    directed and may not move it by itself. 程序规定 Art 15 [R]."""
    case = given_case(ZHEJIANG)

    case.assign(actor(ZHEJIANG), jurisdiction=NINGBO, reason="The warehouse is in Ningbo", registry=REGISTRY)

    assigned = only_event(case)
    assert isinstance(assigned, Case.Assigned)
    assert (assigned.previous, assigned.jurisdiction) == (ZHEJIANG, NINGBO)
    assert case.handling_jurisdiction == NINGBO and case.visible_to(ZHEJIANG, REGISTRY)
    assert_refused(case, lambda: case.request_transfer(actor(NINGBO), to=SHANGHAI, reason="r", registry=REGISTRY),
                   DesignatedHandlerError, code="INVALID_STATE")


@pytest.mark.parametrize("to", [SHANGHAI, ZHEJIANG, NATIONAL])
def test_a_case_is_handed_down_only_to_a_jurisdiction_below(to):
    """程序规定 Art 15 [R]: 交办 goes down the hierarchy, never sideways or up."""
    case = given_case(ZHEJIANG)
    assert_refused(case, lambda: case.assign(actor(ZHEJIANG), jurisdiction=to, reason="r", registry=REGISTRY),
                   NotSubordinateError, code="VALIDATION", field="jurisdiction")


def test_only_the_handler_hands_a_case_down():
    case = given_case(HANGZHOU)
    assert_refused(case, lambda: case.assign(actor(ZHEJIANG), jurisdiction=NINGBO, reason="r", registry=REGISTRY),
                   NotHandlingJurisdictionError, code="FORBIDDEN")


def test_an_old_history_with_a_decline_that_returned_the_case_still_replays():
    """Events are forever: a `TransferDeclined` recorded before a decline became a dispute still
    replays as what it was then — the case back with the sender, not disputed."""
    case = open_case(HANGZHOU)
    case.request_transfer(actor(HANGZHOU), to=SHANGHAI, reason="r", registry=REGISTRY)
    case._transfer_declined(actor=actor(SHANGHAI), sender=HANGZHOU, receiver=SHANGHAI, reason="Not ours")
    events = case.collect_events()

    rebuilt = replay(events)

    assert type(events[-1]) is Case.TransferDeclined
    assert rebuilt.status is CaseStatus.OPEN and rebuilt.pending_transfer is None and rebuilt.dispute is None
    assert rebuilt.handling_jurisdiction == HANGZHOU and not rebuilt.visible_to(SHANGHAI, REGISTRY)


# -- §3 the decision clock --------------------------------------------------------------------------


def test_from_filing_a_decision_is_due_in_ninety_days():
    """Given a case filed on 20 Jan 2025, then its decision is due 90 days later: 20 Apr is a
    Sunday, so the end of Monday 21 Apr. 行政处罚法 Art 60 [V] (90 days); the move off a day off
    per PROCEDURE.md "Counting days"."""
    case = open_filed_case(HANGZHOU, on=NOW)

    opened = only_event(case)
    assert isinstance(opened, Case.Opened)
    assert (opened.filed_on, opened.decision_due_at) == (date(2025, 1, 20), end_of(date(2025, 4, 21)))
    assert not case.decision_overdue(end_of(date(2025, 4, 21)))
    assert case.decision_overdue(end_of(date(2025, 4, 21)) + timedelta(seconds=1))


def test_the_decision_period_is_extended_once_by_thirty_days_with_the_approver_recorded():
    """行政处罚法 Art 60 [V] (extension with approval); +30 days is the practice [S]."""
    case = given_filed_case()

    case.extend_decision_period(actor(HANGZHOU), approver="Director Wang", reason="Expert opinion pending",
                                calendar=CALENDAR)

    extended = only_event(case)
    assert isinstance(extended, Case.DecisionPeriodExtended)
    assert (extended.days, extended.approver, extended.collective_decision) == (30, "Director Wang", None)
    assert extended.due_at == end_of(date(2025, 5, 20))  # 120 days from 20 Jan


def test_a_further_extension_needs_a_recorded_collective_decision():
    """行政处罚法 Art 60 [V]: beyond the approved extension only by collective discussion of the
    organ's leadership (集体讨论决定)."""
    case = given_filed_case()
    case.extend_decision_period(actor(HANGZHOU), approver="Director Wang", reason="r", calendar=CALENDAR)
    case.collect_events()
    assert_refused(case, lambda: case.extend_decision_period(actor(HANGZHOU), approver="Director Wang", reason="r",
                                                             calendar=CALENDAR),
                   CollectiveDecisionRequiredError, code="VALIDATION", field="collectiveDecision")

    case.extend_decision_period(actor(HANGZHOU), approver="Director Wang", reason="Cross-border evidence",
                                days=10, collective_decision="Leadership meeting 2025-05-10, minutes no. 7", calendar=CALENDAR)

    assert only_event(case).due_at == end_of(date(2025, 5, 30))  # 130 days


def test_the_first_extension_is_at_most_thirty_days_and_needs_an_approver():
    case = given_filed_case()
    assert_refused(case, lambda: case.extend_decision_period(actor(HANGZHOU), approver="W", reason="r", days=31,
                                                             calendar=CALENDAR), ValidationError, code="VALIDATION", field="days")
    assert_refused(case, lambda: case.extend_decision_period(actor(HANGZHOU), approver="", reason="r", calendar=CALENDAR),
                   BlankFieldError, code="VALIDATION", field="approver")


def test_hearing_testing_and_notice_periods_do_not_count():
    """Given a filed case, when its clock is paused for testing on 1 Feb and resumed on 11 Feb,
    then the 10 days are excluded and the decision is due 100 days from filing (30 Apr); while
    paused it is never overdue. 行政处罚法 Art 60 [V] names the decision period; the exclusion of
    hearing, public notice and testing/appraisal time [S] (程序规定, article not checked)."""
    case = given_filed_case()
    case.pause_clock(actor(HANGZHOU), reason=CaseClockPauseReason.TESTING_APPRAISAL, detail="Battery cells at the lab",
                     now=datetime(2025, 2, 1, 10, 0, tzinfo=CHINA))
    paused = only_event(case)
    assert isinstance(paused, Case.DecisionClockPaused) and paused.paused_on == date(2025, 2, 1)
    assert not case.decision_overdue(datetime(2026, 1, 1, tzinfo=CHINA))

    case.resume_clock(actor(HANGZHOU), now=datetime(2025, 2, 11, 9, 0, tzinfo=CHINA), calendar=CALENDAR)

    resumed = only_event(case)
    assert isinstance(resumed, Case.DecisionClockResumed)
    assert (resumed.excluded_days, resumed.due_at) == (10, end_of(date(2025, 4, 30)))


def test_a_paused_clock_is_not_paused_again_and_a_running_one_not_resumed():
    case = given_filed_case()
    assert_refused(case, lambda: case.resume_clock(actor(HANGZHOU), now=NOW, calendar=CALENDAR),
                   DecisionClockRunningError, code="INVALID_STATE")
    case.pause_clock(actor(HANGZHOU), reason=CaseClockPauseReason.HEARING, now=NOW)
    case.collect_events()
    assert_refused(case, lambda: case.pause_clock(actor(HANGZHOU), reason=CaseClockPauseReason.PUBLIC_NOTICE, now=NOW),
                   DecisionClockPausedError, code="INVALID_STATE")


def test_only_the_handler_runs_the_clock_and_only_a_case_that_has_one():
    case = given_filed_case()
    assert_refused(case, lambda: case.pause_clock(actor(ZHEJIANG), reason=CaseClockPauseReason.HEARING, now=NOW),
                   NotHandlingJurisdictionError, code="FORBIDDEN")
    unfiled = given_case()  # opened before decision periods were recorded
    assert_refused(unfiled, lambda: unfiled.extend_decision_period(actor(HANGZHOU), approver="W", reason="r", calendar=CALENDAR),
                   NoDecisionClockError, code="INVALID_STATE")


# -- §3 outcomes --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "details", "kept"),
    [
        (CaseOutcome.PENALTY_DECISION, PENALTY, PENALTY),
        (CaseOutcome.NO_PENALTY, OutcomeDetails(ground="First minor violation corrected in time", amount_fen=5),
         OutcomeDetails(ground="First minor violation corrected in time")),
        (CaseOutcome.REFERRED_TO_OTHER_AGENCY, OutcomeDetails(agency="杭州市税务局"), OutcomeDetails(agency="杭州市税务局")),
        (CaseOutcome.MERGED, OutcomeDetails(merged_into="6f1c0d1e-8c61-4a55-9f55-c0ffee000001"),
         OutcomeDetails(merged_into="6f1c0d1e-8c61-4a55-9f55-c0ffee000001")),
        (CaseOutcome.FILING_REVOKED, None, None),
        (CaseOutcome.TERMINATED, None, None),
        (CaseOutcome.REFERRED_TO_POLICE, None, None),
    ],
    ids=lambda v: v.name if isinstance(v, CaseOutcome) else "",
)
def test_an_outcome_is_recorded_with_the_details_the_law_asks_for(outcome, details, kept):
    """Outcomes at closing: penalty decision (number, amount, legal basis), no penalty (ground),
    filing revoked, termination, referral to police or another agency (which), merger (into
    which case). 行政处罚法 Arts 57, 62 [R]; 程序规定 Art 17 [R]; details the decision must state:
    行政处罚法 Art 59 [R]."""
    case = given_case()

    case.close(actor(HANGZHOU), outcome=outcome, details=details)

    closed = only_event(case)
    assert isinstance(closed, Case.Closed)
    assert (closed.outcome, closed.details) == (outcome, kept)
    assert case.status is CaseStatus.CLOSED and case.outcome_details == kept


@pytest.mark.parametrize(
    ("outcome", "details", "field"),
    [
        (CaseOutcome.PENALTY_DECISION, None, "details.amountFen"),
        (CaseOutcome.PENALTY_DECISION, OutcomeDetails(amount_fen=-1, decision_number="n", legal_basis="b"), "details.amountFen"),
        (CaseOutcome.PENALTY_DECISION, OutcomeDetails(amount_fen=100, legal_basis="b"), "details.decisionNumber"),
        (CaseOutcome.PENALTY_DECISION, OutcomeDetails(amount_fen=100, decision_number="n"), "details.legalBasis"),
        (CaseOutcome.NO_PENALTY, None, "details.ground"),
        (CaseOutcome.REFERRED_TO_OTHER_AGENCY, OutcomeDetails(), "details.agency"),
        (CaseOutcome.MERGED, None, "details.mergedInto"),
    ],
)
def test_an_outcome_without_its_details_is_refused(outcome, details, field):
    case = given_case()
    assert_refused(case, lambda: case.close(actor(HANGZHOU), outcome=outcome, details=details), ValidationError,
                   code="VALIDATION", field=field)


def test_a_case_is_not_merged_into_itself():
    case = given_case()
    assert_refused(case, lambda: case.close(actor(HANGZHOU), outcome=CaseOutcome.MERGED,
                                            details=OutcomeDetails(merged_into=str(case.id))),
                   ValidationError, code="VALIDATION", field="details.mergedInto")


# -- §3 suspension (中止) -----------------------------------------------------------------------------


def test_a_suspended_case_is_resumed_and_meanwhile_neither_transferred_nor_closed():
    """中止: the handler suspends a case with a reason and resumes it; a suspended case is not
    transferred or closed until resumed. 程序规定 Art 17 [R] lists suspension among the outcomes
    of an investigation."""
    case = given_case()

    case.suspend(actor(HANGZHOU), reason="The subject's legal representative is missing")

    assert isinstance(only_event(case), Case.Suspended) and case.status is CaseStatus.SUSPENDED
    assert_refused(case, lambda: case.request_transfer(actor(HANGZHOU), to=SHANGHAI, reason="r", registry=REGISTRY),
                   CaseSuspendedError, code="INVALID_STATE")
    assert_refused(case, lambda: case.close(actor(HANGZHOU), outcome=CaseOutcome.TERMINATED), CaseSuspendedError,
                   code="INVALID_STATE")
    assert_refused(case, lambda: case.suspend(actor(HANGZHOU), reason="again"), CaseSuspendedError, code="INVALID_STATE")

    case.resume(actor(HANGZHOU), reason="Representative located")

    assert isinstance(only_event(case), Case.Resumed) and case.status is CaseStatus.OPEN


def test_suspension_needs_a_reason_the_handler_and_no_pending_transfer():
    case = given_case()
    assert_refused(case, lambda: case.suspend(actor(HANGZHOU), reason=""), BlankFieldError, code="VALIDATION", field="reason")
    assert_refused(case, lambda: case.suspend(actor(ZHEJIANG), reason="r"), NotHandlingJurisdictionError, code="FORBIDDEN")
    assert_refused(case, lambda: case.resume(actor(HANGZHOU)), CaseNotSuspendedError, code="INVALID_STATE")
    pending = given_pending_transfer()
    assert_refused(pending, lambda: pending.suspend(actor(HANGZHOU), reason="r"), TransferAlreadyPendingError,
                   code="INVALID_STATE")


# -- replay -------------------------------------------------------------------------------------------


def test_folding_a_lifecycle_history_rebuilds_an_equal_case():
    case = open_filed_case(HANGZHOU)
    events = list(case.collect_events())

    def run(command):
        command()
        events.extend(case.collect_events())

    run(lambda: case.request_transfer(actor(HANGZHOU), to=SHANGHAI, reason="Registered there", registry=REGISTRY))
    run(lambda: decline(case, SHANGHAI))
    run(lambda: case.designate_jurisdiction(actor(NATIONAL), jurisdiction=HANGZHOU, reason="Harm here", registry=REGISTRY))
    run(lambda: case.extend_decision_period(actor(HANGZHOU), approver="Director Wang", reason="r", calendar=CALENDAR))
    run(lambda: case.pause_clock(actor(HANGZHOU), reason=CaseClockPauseReason.HEARING, now=NOW + timedelta(days=3)))
    run(lambda: case.resume_clock(actor(HANGZHOU), now=NOW + timedelta(days=5), calendar=CALENDAR))
    run(lambda: case.take_over(actor(ZHEJIANG), reason="Province-wide", registry=REGISTRY))
    run(lambda: case.assign(actor(ZHEJIANG), jurisdiction=NINGBO, reason="Warehouse", registry=REGISTRY))
    run(lambda: case.suspend(actor(NINGBO), reason="Waiting for the court"))
    run(lambda: case.resume(actor(NINGBO)))
    run(lambda: case.close(actor(NINGBO), outcome=CaseOutcome.PENALTY_DECISION, details=PENALTY))

    rebuilt = replay(events)

    assert state(rebuilt) == state(case)
    assert rebuilt.decision_clock == DecisionClock(filed_on=date(2025, 1, 20), due_at=end_of(date(2025, 5, 22)),
                                                   extensions=1, extension_days=30, excluded_days=2)
    assert rebuilt.former_handlers == [HANGZHOU, ZHEJIANG] and rebuilt.status is CaseStatus.CLOSED
