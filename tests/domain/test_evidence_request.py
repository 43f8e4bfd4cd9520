"""The EvidenceRequest aggregate (协助调查): given / when / then, no I/O."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import uuid4

import pytest
from domain.helpers import (
    HANGZHOU,
    NOW,
    SHANGHAI,
    SUZHOU,
    actor,
    assert_not_created,
    assert_refused,
    evidence_item,
    given_evidence_request,
    only_event,
    replay,
    request_evidence,
    sha,
    state,
)

from casebridge.domain.errors import (
    BlankFieldError,
    DetailRequiredError,
    EvidenceRequestClosedError,
    EvidenceRequestExpiredError,
    InvalidDueDateError,
    InvalidSha256Error,
    NotApplicantError,
    NotRequestedJurisdictionError,
    SameJurisdictionError,
    ValidationError,
)
from casebridge.domain.evidence_request import EvidenceRequest
from casebridge.domain.values import EvidenceItem, EvidenceRequestStatus, RefusalReason

DUE = NOW + timedelta(days=21)


def given_closed_request(how: str) -> EvidenceRequest:
    request = given_evidence_request(SHANGHAI, SUZHOU)
    if how == "fulfilled":
        request.fulfil(actor(SUZHOU), items=(evidence_item(1),))
    elif how == "refused":
        request.refuse(actor(SUZHOU), reason=RefusalReason.OUTSIDE_COMPETENCE)
    else:
        request.withdraw(actor(SHANGHAI))
    request.collect_events()
    return request


# -- request --------------------------------------------------------------------------------------------


def test_requesting_evidence_records_both_parties_and_the_due_date():
    case_id = uuid4()
    request = EvidenceRequest.request(
        actor=actor(SHANGHAI), case_id=case_id, requested=SUZHOU, description=" Depot records ",
        legal_basis=None, due_at=DUE, now=NOW,
    )

    requested = only_event(request)
    assert isinstance(requested, EvidenceRequest.Requested)
    assert (requested.case_id, requested.applicant, requested.requested) == (case_id, SHANGHAI, SUZHOU)
    assert (requested.description, requested.legal_basis, requested.due_at) == ("Depot records", None, DUE)
    assert request.status is EvidenceRequestStatus.OPEN and not request.acknowledged
    assert request.is_party(SHANGHAI) and request.is_party(SUZHOU) and not request.is_party(HANGZHOU)


def test_a_jurisdiction_does_not_request_evidence_from_itself():
    assert_not_created(lambda: request_evidence(SHANGHAI, SHANGHAI), SameJurisdictionError, code="VALIDATION", field="requested")


@pytest.mark.parametrize("due_in", [timedelta(0), timedelta(seconds=-1), timedelta(days=-3)])
def test_the_due_date_must_be_in_the_future(due_in):
    assert_not_created(lambda: request_evidence(due_in=due_in), InvalidDueDateError, code="VALIDATION", field="dueAt")


def test_the_due_date_needs_a_time_zone():
    naive = datetime(2025, 3, 1, 23, 59, 59)
    assert_not_created(
        lambda: EvidenceRequest.request(actor=actor(SHANGHAI), case_id=uuid4(), requested=SUZHOU, description="d",
                                        legal_basis=None, due_at=naive, now=NOW),
        InvalidDueDateError, code="VALIDATION", field="dueAt",
    )


def test_a_request_needs_a_description():
    assert_not_created(
        lambda: EvidenceRequest.request(actor=actor(SHANGHAI), case_id=uuid4(), requested=SUZHOU, description="  ",
                                        legal_basis=None, due_at=DUE, now=NOW),
        BlankFieldError, code="VALIDATION", field="description",
    )


# -- acknowledge ----------------------------------------------------------------------------------------


def test_the_requested_jurisdiction_acknowledges_once():
    request = given_evidence_request(SHANGHAI, SUZHOU)

    request.acknowledge(actor(SUZHOU))
    assert isinstance(only_event(request), EvidenceRequest.Acknowledged)
    assert request.acknowledged

    request.acknowledge(actor(SUZHOU))
    assert request.collect_events() == []  # already acknowledged: nothing new to record


@pytest.mark.parametrize("who", [SHANGHAI, HANGZHOU])
def test_only_the_requested_jurisdiction_acknowledges_fulfils_or_refuses(who):
    request = given_evidence_request(SHANGHAI, SUZHOU)
    assert_refused(request, lambda: request.acknowledge(actor(who)), NotRequestedJurisdictionError, code="FORBIDDEN")
    assert_refused(request, lambda: request.fulfil(actor(who), items=(evidence_item(),)), NotRequestedJurisdictionError, code="FORBIDDEN")
    assert_refused(request, lambda: request.refuse(actor(who), reason=RefusalReason.OUTSIDE_COMPETENCE),
                   NotRequestedJurisdictionError, code="FORBIDDEN")


# -- extend ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", [SHANGHAI, SUZHOU])
def test_either_party_extends_an_open_request_to_a_later_date(who):
    request = given_evidence_request(SHANGHAI, SUZHOU)
    later = DUE + timedelta(days=10)

    request.extend(actor(who), due_at=later, reason="Depot closed for stock-taking", now=NOW)

    extended = only_event(request)
    assert isinstance(extended, EvidenceRequest.Extended)
    assert (extended.previous_due_at, extended.due_at, extended.reason) == (DUE, later, "Depot closed for stock-taking")
    assert request.due_at == later


def test_an_outsider_does_not_extend_a_request():
    request = given_evidence_request(SHANGHAI, SUZHOU)
    assert_refused(request, lambda: request.extend(actor(HANGZHOU), due_at=DUE + timedelta(days=1), reason="r", now=NOW),
                   NotRequestedJurisdictionError, code="FORBIDDEN")


@pytest.mark.parametrize("new_due", [DUE, DUE - timedelta(days=1), (DUE + timedelta(days=5)).replace(tzinfo=None)],
                         ids=["same", "earlier", "naive"])
def test_an_extension_must_move_the_due_date_later(new_due):
    request = given_evidence_request(SHANGHAI, SUZHOU)
    assert_refused(request, lambda: request.extend(actor(SHANGHAI), due_at=new_due, reason="r", now=NOW),
                   InvalidDueDateError, code="VALIDATION", field="dueAt")


def test_an_extension_needs_a_reason():
    request = given_evidence_request(SHANGHAI, SUZHOU)
    assert_refused(request, lambda: request.extend(actor(SHANGHAI), due_at=DUE + timedelta(days=1), reason=" ", now=NOW),
                   BlankFieldError, code="VALIDATION", field="reason")


def test_a_request_past_its_due_date_is_no_longer_extended():
    request = given_evidence_request(SHANGHAI, SUZHOU)
    assert_refused(request, lambda: request.extend(actor(SHANGHAI), due_at=DUE + timedelta(days=9), reason="r",
                                                   now=DUE + timedelta(seconds=1)),
                   EvidenceRequestExpiredError, code="INVALID_STATE")


def test_a_request_is_still_extended_at_the_last_moment():
    request = given_evidence_request(SHANGHAI, SUZHOU)
    request.extend(actor(SUZHOU), due_at=DUE + timedelta(days=1), reason="r", now=DUE)
    assert isinstance(only_event(request), EvidenceRequest.Extended)


# -- fulfil -----------------------------------------------------------------------------------------------


def test_fulfilling_records_the_items_and_closes_the_request():
    request = given_evidence_request(SHANGHAI, SUZHOU)
    items = [evidence_item(1), evidence_item(2)]

    request.fulfil(actor(SUZHOU), items=items, note=" Originals kept in Suzhou ")

    fulfilled = only_event(request)
    assert isinstance(fulfilled, EvidenceRequest.Fulfilled)
    assert fulfilled.items == (evidence_item(1), evidence_item(2))
    assert fulfilled.note == "Originals kept in Suzhou"
    assert request.status is EvidenceRequestStatus.FULFILLED and request.items == fulfilled.items


@pytest.mark.parametrize("note", [None, "   "])
def test_a_fulfilment_needs_an_item_or_a_findings_note(note):
    request = given_evidence_request(SHANGHAI, SUZHOU)
    assert_refused(request, lambda: request.fulfil(actor(SUZHOU), items=(), note=note), ValidationError,
                   code="VALIDATION", field="items")


def test_a_fulfilment_with_a_bad_digest_is_refused_even_when_built_by_hand():
    request = given_evidence_request(SHANGHAI, SUZHOU)
    bad = EvidenceItem(title="Ledger", sha256=sha(1)[:40])
    assert_refused(request, lambda: request.fulfil(actor(SUZHOU), items=(evidence_item(1), bad)),
                   InvalidSha256Error, code="VALIDATION", field="items.sha256")


# -- refuse ------------------------------------------------------------------------------------------------


def test_refusing_records_the_reason_and_detail():
    request = given_evidence_request(SHANGHAI, SUZHOU)

    request.refuse(actor(SUZHOU), reason=RefusalReason.OUTSIDE_COMPETENCE, detail="Registered in Wuxi")

    refused = only_event(request)
    assert isinstance(refused, EvidenceRequest.Refused)
    assert (refused.reason, refused.detail) == (RefusalReason.OUTSIDE_COMPETENCE, "Registered in Wuxi")
    assert request.status is EvidenceRequestStatus.REFUSED
    assert request.refusal_reason is RefusalReason.OUTSIDE_COMPETENCE


@pytest.mark.parametrize("detail", [None, "   "])
def test_a_refusal_for_another_reason_needs_a_detail(detail):
    request = given_evidence_request(SHANGHAI, SUZHOU)
    assert_refused(request, lambda: request.refuse(actor(SUZHOU), reason=RefusalReason.OTHER, detail=detail),
                   DetailRequiredError, code="VALIDATION", field="detail")


def test_a_refusal_for_another_reason_records_its_detail():
    request = given_evidence_request(SHANGHAI, SUZHOU)
    request.refuse(actor(SUZHOU), reason=RefusalReason.OTHER, detail="The depot burnt down")
    assert only_event(request).detail == "The depot burnt down"


def test_a_refusal_needs_a_reason():
    request = given_evidence_request(SHANGHAI, SUZHOU)
    assert_refused(request, lambda: request.refuse(actor(SUZHOU), reason=None, detail="no"),
                   ValidationError, code="VALIDATION", field="reason")


# -- withdraw ------------------------------------------------------------------------------------------------


def test_the_applicant_withdraws_its_request():
    request = given_evidence_request(SHANGHAI, SUZHOU)

    request.withdraw(actor(SHANGHAI), reason="Seller confessed")

    withdrawn = only_event(request)
    assert isinstance(withdrawn, EvidenceRequest.Withdrawn)
    assert withdrawn.reason == "Seller confessed"
    assert request.status is EvidenceRequestStatus.WITHDRAWN


@pytest.mark.parametrize("who", [SUZHOU, HANGZHOU])
def test_only_the_applicant_withdraws(who):
    request = given_evidence_request(SHANGHAI, SUZHOU)
    assert_refused(request, lambda: request.withdraw(actor(who)), NotApplicantError, code="FORBIDDEN")


# -- a closed request --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["fulfilled", "refused", "withdrawn"])
@pytest.mark.parametrize(
    "command",
    [
        lambda r: r.acknowledge(actor(SUZHOU)),
        lambda r: r.extend(actor(SHANGHAI), due_at=DUE + timedelta(days=3), reason="r", now=NOW),
        lambda r: r.fulfil(actor(SUZHOU), items=(evidence_item(),)),
        lambda r: r.refuse(actor(SUZHOU), reason=RefusalReason.OUTSIDE_COMPETENCE),
        lambda r: r.withdraw(actor(SHANGHAI)),
    ],
    ids=["acknowledge", "extend", "fulfil", "refuse", "withdraw"],
)
def test_a_closed_request_refuses_everything(how, command):
    request = given_closed_request(how)
    error = assert_refused(request, lambda: command(request), EvidenceRequestClosedError, code="INVALID_STATE")
    assert how in error.message


# -- overdue ----------------------------------------------------------------------------------------------------


def test_an_open_request_is_overdue_only_after_its_due_date():
    request = given_evidence_request(SHANGHAI, SUZHOU)
    assert not request.is_overdue(NOW)
    assert not request.is_overdue(DUE)
    assert request.is_overdue(DUE + timedelta(seconds=1))


def test_an_extension_ends_the_overdue_clock_and_an_answered_request_is_never_overdue():
    request = given_evidence_request(SHANGHAI, SUZHOU)
    request.extend(actor(SHANGHAI), due_at=DUE + timedelta(days=5), reason="r", now=NOW)
    assert not request.is_overdue(DUE + timedelta(days=1))

    request.fulfil(actor(SUZHOU), items=(evidence_item(),))
    assert not request.is_overdue(DUE + timedelta(days=365))


# -- replay -----------------------------------------------------------------------------------------------------


def test_folding_the_events_of_a_long_history_rebuilds_an_equal_request():
    request = request_evidence(SHANGHAI, SUZHOU)
    request.acknowledge(actor(SUZHOU))
    request.extend(actor(SUZHOU), due_at=DUE + timedelta(days=7), reason="Holiday", now=NOW)
    request.extend(actor(SHANGHAI), due_at=DUE + timedelta(days=14), reason="More records", now=NOW + timedelta(days=2))
    request.fulfil(actor(SUZHOU), items=(evidence_item(1), evidence_item(2), evidence_item(3)), note="All of it")
    events = request.collect_events()

    rebuilt = replay(events)

    assert [type(e).__name__ for e in events] == ["Requested", "Acknowledged", "Extended", "Extended", "Fulfilled"]
    assert state(rebuilt) == state(request)
    assert rebuilt.version == 5 and rebuilt.status is EvidenceRequestStatus.FULFILLED
