"""Assistance as the law writes it (协助调查): refusal grounds, clarifications, findings notes.

Given / when / then on the EvidenceRequest aggregate, no I/O; each test names its rule's source.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from domain.helpers import (
    CHINA,
    HANGZHOU,
    NOW,
    SHANGHAI,
    SUZHOU,
    actor,
    assert_refused,
    given_evidence_request,
    only_event,
    replay,
    request_evidence,
    state,
)

from casebridge.domain.calendar import WorkingDayCalendar
from casebridge.domain.errors import (
    ClarificationPendingError,
    DetailRequiredError,
    NoClarificationPendingError,
    NotApplicantError,
    NotRequestedJurisdictionError,
    SameJurisdictionError,
    ValidationError,
)
from casebridge.domain.evidence_request import EvidenceRequest
from casebridge.domain.values import EvidenceRequestStatus, RefusalReason

CALENDAR = WorkingDayCalendar.load()
DUE = NOW + timedelta(days=21)
WUXI = "320200"
DEPRECATED = [r for r in RefusalReason if not r.accepted]


def given_clarification_asked(at: datetime = NOW) -> EvidenceRequest:
    request = given_evidence_request(SHANGHAI, SUZHOU)
    request.ask_clarification(actor(SUZHOU), question="Which depot: Wuzhong or Xiangcheng?", now=at)
    request.collect_events()
    return request


# -- refusal grounds -----------------------------------------------------------------------------------


def test_outside_competence_names_the_competent_office():
    """行政处罚法 Art 26: an office assists within its competence; outside it, it may say who is competent.

    Given an open request to Suzhou, when Suzhou refuses as outside its competence naming Wuxi,
    then the refusal records the ground and the competent office."""
    request = given_evidence_request(SHANGHAI, SUZHOU)

    request.refuse(actor(SUZHOU), reason=RefusalReason.OUTSIDE_COMPETENCE, competent_jurisdiction=WUXI)

    refused = only_event(request)
    assert (refused.reason, refused.competent_jurisdiction) == (RefusalReason.OUTSIDE_COMPETENCE, WUXI)
    assert request.status is EvidenceRequestStatus.REFUSED and request.competent_jurisdiction == WUXI


def test_outside_competence_without_naming_an_office_is_a_refusal():
    """行政处罚法 Art 26: the competent office is named only when known."""
    request = given_evidence_request(SHANGHAI, SUZHOU)
    request.refuse(actor(SUZHOU), reason=RefusalReason.OUTSIDE_COMPETENCE)
    assert only_event(request).competent_jurisdiction is None


@pytest.mark.parametrize("reason", DEPRECATED, ids=[r.value for r in DEPRECATED])
def test_the_earlier_eu_style_grounds_are_no_longer_accepted(reason):
    """行政处罚法 Art 26 knows no ground beyond competence: the EU CPC list is refused for new refusals."""
    request = given_evidence_request(SHANGHAI, SUZHOU)
    assert_refused(request, lambda: request.refuse(actor(SUZHOU), reason=reason, detail="because"),
                   ValidationError, code="VALIDATION", field="reason")


def test_another_ground_is_stated_in_full():
    """行政处罚法 Art 26: a refusal on another ground (OTHER) says what it is."""
    request = given_evidence_request(SHANGHAI, SUZHOU)
    assert_refused(request, lambda: request.refuse(actor(SUZHOU), reason=RefusalReason.OTHER),
                   DetailRequiredError, code="VALIDATION", field="detail")


def test_a_competent_office_is_named_only_for_outside_competence():
    request = given_evidence_request(SHANGHAI, SUZHOU)
    assert_refused(request, lambda: request.refuse(actor(SUZHOU), reason=RefusalReason.OTHER, detail="d",
                                                   competent_jurisdiction=WUXI),
                   ValidationError, code="VALIDATION", field="competentJurisdiction")


def test_the_requested_office_does_not_name_itself_as_competent():
    request = given_evidence_request(SHANGHAI, SUZHOU)
    assert_refused(request, lambda: request.refuse(actor(SUZHOU), reason=RefusalReason.OUTSIDE_COMPETENCE,
                                                   competent_jurisdiction=SUZHOU),
                   SameJurisdictionError, code="VALIDATION", field="competentJurisdiction")


def test_an_old_refusal_on_an_eu_style_ground_still_replays():
    """Events are forever: a refusal recorded under the earlier grounds folds back as it was."""
    request = request_evidence(SHANGHAI, SUZHOU)
    request._refused(actor=actor(SUZHOU), reason=RefusalReason.PROCEEDINGS_ALREADY_OPEN, detail="Our case",
                     competent_jurisdiction=None)  # the apply step alone, as an old event is

    rebuilt = replay(request.collect_events())

    assert rebuilt.status is EvidenceRequestStatus.REFUSED
    assert rebuilt.refusal_reason is RefusalReason.PROCEEDINGS_ALREADY_OPEN


def test_the_v1_refusal_event_is_upcast_with_no_competent_office():
    state_v1 = {"reason": RefusalReason.INSUFFICIENT_INFORMATION, "detail": None}
    EvidenceRequest.Refused.upcast_v1_v2(state_v1)
    assert state_v1["competent_jurisdiction"] is None


# -- clarification --------------------------------------------------------------------------------------


def test_asking_for_clarification_pauses_the_clock():
    """行政处罚法 Art 26 (practice): too little information is not a ground for refusing; the
    requested office asks the applicant, and the answer period stands still meanwhile.

    Given an open request, when Suzhou asks a question, then the clock is paused and the request
    is never overdue while it waits."""
    request = given_evidence_request(SHANGHAI, SUZHOU)

    request.ask_clarification(actor(SUZHOU), question=" Which depot? ", now=NOW)

    asked = only_event(request)
    assert isinstance(asked, EvidenceRequest.ClarificationAsked)
    assert (asked.question, asked.asked_at) == ("Which depot?", NOW)
    assert request.paused and request.status is EvidenceRequestStatus.OPEN
    assert not request.is_overdue(DUE + timedelta(days=30))


def test_answering_moves_the_due_date_by_the_paused_working_days():
    """行政处罚法 Art 26 with Art 85 counting: the working days the clock stood still are added.

    Given a question asked on Monday 2025-01-20, when Shanghai answers on Thursday 2025-01-23
    (three working days later), then the due date moves three working days on."""
    request = given_clarification_asked(at=NOW)
    answered_at = datetime(2025, 1, 23, 15, 0, tzinfo=CHINA)

    request.answer_clarification(actor(SHANGHAI), answer="Wuzhong", now=answered_at, calendar=CALENDAR)

    answered = only_event(request)
    assert isinstance(answered, EvidenceRequest.ClarificationAnswered)
    assert answered.paused_working_days == 3 and answered.previous_due_at == DUE
    expected = datetime.combine(CALENDAR.add_working_days(DUE.date(), 3), DUE.timetz())
    assert answered.due_at == expected == request.due_at
    assert not request.paused


def test_a_pause_over_the_spring_festival_counts_only_working_days():
    """Working days exclude the Spring Festival holiday (State Council notice 2025: 28 Jan - 4 Feb)."""
    request = given_clarification_asked(at=datetime(2025, 1, 27, 10, 0, tzinfo=CHINA))  # Monday before the holiday
    request.answer_clarification(actor(SHANGHAI), answer="Wuzhong", now=datetime(2025, 2, 5, 10, 0, tzinfo=CHINA),
                                 calendar=CALENDAR)
    assert only_event(request).paused_working_days == 1  # only Wed 5 Feb; 26 Jan and 8 Feb are make-up days outside


def test_an_answer_on_the_same_day_leaves_the_due_date():
    request = given_clarification_asked(at=NOW)
    request.answer_clarification(actor(SHANGHAI), answer="Wuzhong", now=NOW + timedelta(hours=2), calendar=CALENDAR)
    assert request.due_at == DUE


@pytest.mark.parametrize("who", [SHANGHAI, HANGZHOU])
def test_only_the_requested_office_asks_for_clarification(who):
    request = given_evidence_request(SHANGHAI, SUZHOU)
    assert_refused(request, lambda: request.ask_clarification(actor(who), question="q", now=NOW),
                   NotRequestedJurisdictionError, code="FORBIDDEN")


@pytest.mark.parametrize("who", [SUZHOU, HANGZHOU])
def test_only_the_applicant_answers_a_clarification(who):
    request = given_clarification_asked()
    assert_refused(request, lambda: request.answer_clarification(actor(who), answer="a", now=NOW, calendar=CALENDAR),
                   NotApplicantError, code="FORBIDDEN")


def test_one_clarification_at_a_time():
    request = given_clarification_asked()
    assert_refused(request, lambda: request.ask_clarification(actor(SUZHOU), question="q2", now=NOW),
                   ClarificationPendingError, code="INVALID_STATE")


def test_no_answer_without_a_question():
    request = given_evidence_request(SHANGHAI, SUZHOU)
    assert_refused(request, lambda: request.answer_clarification(actor(SHANGHAI), answer="a", now=NOW, calendar=CALENDAR),
                   NoClarificationPendingError, code="INVALID_STATE")


def test_a_paused_request_is_not_extended():
    request = given_clarification_asked()
    assert_refused(request, lambda: request.extend(actor(SUZHOU), due_at=DUE + timedelta(days=3), reason="r", now=NOW),
                   ClarificationPendingError, code="INVALID_STATE")


def test_a_question_and_an_answer_need_text():
    request = given_evidence_request(SHANGHAI, SUZHOU)
    assert_refused(request, lambda: request.ask_clarification(actor(SUZHOU), question=" ", now=NOW),
                   ValidationError, code="VALIDATION", field="question")
    paused = given_clarification_asked()
    assert_refused(paused, lambda: paused.answer_clarification(actor(SHANGHAI), answer="", now=NOW, calendar=CALENDAR),
                   ValidationError, code="VALIDATION", field="answer")


# -- findings note ----------------------------------------------------------------------------------------


def test_a_findings_note_alone_answers_a_request():
    """Practice of 协助调查: an answer may be a 情况说明 without documents, e.g. 查无此主体.

    Given an open request, when Suzhou fulfils it with only a note, then it is fulfilled with no items."""
    request = given_evidence_request(SHANGHAI, SUZHOU)

    request.fulfil(actor(SUZHOU), items=(), note="查无此主体: no such trader at the registered address")

    fulfilled = only_event(request)
    assert fulfilled.items == () and fulfilled.note.startswith("查无此主体")
    assert request.status is EvidenceRequestStatus.FULFILLED and request.findings_note == fulfilled.note


def test_a_paused_request_may_still_be_answered():
    request = given_clarification_asked()
    request.fulfil(actor(SUZHOU), items=(), note="Found it anyway")
    assert request.status is EvidenceRequestStatus.FULFILLED


def test_folding_a_clarified_history_rebuilds_an_equal_request():
    request = request_evidence(SHANGHAI, SUZHOU)
    request.ask_clarification(actor(SUZHOU), question="Which depot?", now=NOW)
    request.answer_clarification(actor(SHANGHAI), answer="Wuzhong", now=NOW + timedelta(days=2), calendar=CALENDAR)
    request.refuse(actor(SUZHOU), reason=RefusalReason.OUTSIDE_COMPETENCE, competent_jurisdiction=WUXI)
    events = request.collect_events()
    assert state(replay(events)) == state(request)
