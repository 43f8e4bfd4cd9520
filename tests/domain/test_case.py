"""The Case aggregate: given (commands already run) / when (a command) / then (events or a refusal)."""

from __future__ import annotations

import pytest
from domain.helpers import (
    HANGZHOU,
    JIANGSU,
    NATIONAL,
    NINGBO,
    PENALTY,
    REGISTRY,
    SHANGHAI,
    SHENZHEN,
    SUBJECT,
    SUZHOU,
    ZHEJIANG,
    actor,
    assert_not_created,
    assert_refused,
    decline,
    evidence_item,
    given_case,
    given_closed_case,
    given_pending_transfer,
    given_transferred_case,
    only_event,
    open_case,
    replay,
    sha,
    state,
)

from casebridge.domain.case import Case, PendingTransfer
from casebridge.domain.errors import (
    BlankFieldError,
    CaseClosedError,
    CaseNotClosedError,
    FieldTooLongError,
    InvalidSha256Error,
    NoPendingTransferError,
    NotCommonSuperiorError,
    NotHandlingJurisdictionError,
    NotTransferTargetError,
    OnwardTransferNotAllowedError,
    SameJurisdictionError,
    TransferAlreadyPendingError,
    UnknownJurisdictionError,
    ValidationError,
)
from casebridge.domain.values import CaseCategory, CaseOutcome, CaseStatus, EvidenceItem

# -- open -----------------------------------------------------------------------------------------


def test_opening_a_case_records_its_facts_and_makes_the_opener_the_handling_jurisdiction():
    case = open_case(HANGZHOU)

    opened = only_event(case)
    assert isinstance(opened, Case.Opened)
    assert opened.originator_version == 1
    assert (opened.reference, opened.handling_jurisdiction, opened.actor) == ("330100-2025-00001", HANGZHOU, actor(HANGZHOU))
    assert (opened.subject, opened.category) == (SUBJECT, CaseCategory.COUNTERFEIT)
    assert opened.legal_basis == "Product Quality Law art. 32"
    assert case.status is CaseStatus.OPEN
    assert case.handling_jurisdiction == HANGZHOU and case.former_handlers == []
    assert case.pending_transfer is None and case.evidence == {}


def test_opening_trims_text_and_drops_a_blank_legal_basis():
    case = Case.open(actor=actor(HANGZHOU), reference="  REF-1 ", title="  Title ", summary=" Summary ",
                     subject=SUBJECT, category=CaseCategory.PRICING, legal_basis="   ")

    opened = only_event(case)
    assert (opened.reference, opened.title, opened.summary, opened.legal_basis) == ("REF-1", "Title", "Summary", None)


@pytest.mark.parametrize(
    ("overrides", "error", "field"),
    [
        ({"title": "  "}, BlankFieldError, "title"),
        ({"summary": ""}, BlankFieldError, "summary"),
        ({"reference": " "}, BlankFieldError, "reference"),
        ({"title": "x" * 301}, FieldTooLongError, "title"),
        ({"reference": "r" * 65}, FieldTooLongError, "reference"),
        ({"legal_basis": "l" * 2001}, FieldTooLongError, "legalBasis"),
    ],
)
def test_a_case_with_bad_details_is_not_opened(overrides, error, field):
    args = {"actor": actor(HANGZHOU), "reference": "R-1", "title": "Title", "summary": "Summary", "subject": SUBJECT,
                "category": CaseCategory.OTHER, "legal_basis": None}
    assert_not_created(lambda: Case.open(**{**args, **overrides}), error, code="VALIDATION", field=field)


# -- revise details ---------------------------------------------------------------------------------


def test_revising_only_the_title_keeps_the_other_details():
    case = given_case()

    case.revise_details(actor(HANGZHOU), title="Counterfeit power banks and chargers")

    revised = only_event(case)
    assert isinstance(revised, Case.DetailsRevised)
    assert revised.title == "Counterfeit power banks and chargers"
    assert (revised.summary, revised.category, revised.legal_basis) == (
        "Test purchases show cells below the rated capacity.", CaseCategory.COUNTERFEIT, "Product Quality Law art. 32")
    assert case.title == "Counterfeit power banks and chargers" and case.version == 2


@pytest.mark.parametrize("outsider", [ZHEJIANG, NINGBO, SHANGHAI])
def test_only_the_handling_jurisdiction_revises_details(outsider):
    case = given_case()
    assert_refused(case, lambda: case.revise_details(actor(outsider), title="Mine now"),
                   NotHandlingJurisdictionError, code="FORBIDDEN")


def test_revising_with_a_blank_title_is_refused():
    case = given_case()
    assert_refused(case, lambda: case.revise_details(actor(HANGZHOU), title=" "), BlankFieldError, code="VALIDATION", field="title")


# -- request transfer ----------------------------------------------------------------------------------


def test_requesting_a_transfer_makes_it_pending_and_lets_the_target_see_the_case():
    case = given_case()
    assert not case.visible_to(SHANGHAI, REGISTRY)

    case.request_transfer(actor(HANGZHOU), to=SHANGHAI, reason="The seller is registered in Shanghai", registry=REGISTRY)

    requested = only_event(case)
    assert isinstance(requested, Case.TransferRequested)
    assert (requested.sender, requested.to, requested.reason) == (HANGZHOU, SHANGHAI, "The seller is registered in Shanghai")
    assert case.pending_transfer == PendingTransfer(sender=HANGZHOU, to=SHANGHAI, reason="The seller is registered in Shanghai")
    assert case.handling_jurisdiction == HANGZHOU
    assert case.visible_to(SHANGHAI, REGISTRY)


@pytest.mark.parametrize("requester", [SHANGHAI, ZHEJIANG, NATIONAL, NINGBO])
def test_only_the_handling_jurisdiction_requests_a_transfer(requester):
    case = given_case()
    assert_refused(case, lambda: case.request_transfer(actor(requester), to=SUZHOU, reason="r", registry=REGISTRY),
                   NotHandlingJurisdictionError, code="FORBIDDEN")


def test_a_case_is_never_transferred_to_its_own_handling_jurisdiction():
    case = given_case()
    assert_refused(case, lambda: case.request_transfer(actor(HANGZHOU), to=HANGZHOU, reason="r", registry=REGISTRY),
                   SameJurisdictionError, code="VALIDATION", field="to")


def test_a_transfer_to_an_unknown_jurisdiction_is_refused():
    case = given_case()
    error = assert_refused(case, lambda: case.request_transfer(actor(HANGZHOU), to="999999", reason="r", registry=REGISTRY),
                           UnknownJurisdictionError, code="VALIDATION", field="to")
    assert error.jurisdiction == "999999"


def test_a_transfer_without_a_reason_is_refused():
    case = given_case()
    assert_refused(case, lambda: case.request_transfer(actor(HANGZHOU), to=SHANGHAI, reason="  ", registry=REGISTRY),
                   BlankFieldError, code="VALIDATION", field="reason")


def test_only_one_transfer_is_pending_at_a_time():
    case = given_pending_transfer(HANGZHOU, SHANGHAI)
    assert_refused(case, lambda: case.request_transfer(actor(HANGZHOU), to=SUZHOU, reason="r", registry=REGISTRY),
                   TransferAlreadyPendingError, code="INVALID_STATE")


@pytest.mark.parametrize("onward_to", [SUZHOU, HANGZHOU])
def test_a_case_received_by_transfer_is_not_transferred_onward_not_even_back(onward_to):
    case = given_transferred_case(HANGZHOU, SHANGHAI)
    assert_refused(case, lambda: case.request_transfer(actor(SHANGHAI), to=onward_to, reason="r", registry=REGISTRY),
                   OnwardTransferNotAllowedError, code="INVALID_STATE")


# -- accept, decline, withdraw ---------------------------------------------------------------------------


def test_an_accepted_transfer_hands_the_case_over_and_the_sender_keeps_sight_of_it():
    case = given_pending_transfer(HANGZHOU, SHANGHAI)

    case.accept_transfer(actor(SHANGHAI))

    accepted = only_event(case)
    assert isinstance(accepted, Case.TransferAccepted)
    assert (accepted.sender, accepted.receiver) == (HANGZHOU, SHANGHAI)
    assert case.handling_jurisdiction == SHANGHAI
    assert case.former_handlers == [HANGZHOU]
    assert case.pending_transfer is None and case.received_by_transfer
    assert case.visible_to(HANGZHOU, REGISTRY)


def test_the_former_handler_may_no_longer_act_on_the_case():
    case = given_transferred_case(HANGZHOU, SHANGHAI)
    assert_refused(case, lambda: case.add_evidence(actor(HANGZHOU), evidence_id="e1", item=evidence_item()),
                   NotHandlingJurisdictionError, code="FORBIDDEN")


@pytest.mark.parametrize("answerer", [HANGZHOU, SUZHOU, NATIONAL])
def test_only_the_target_accepts_or_declines_a_transfer(answerer):
    case = given_pending_transfer(HANGZHOU, SHANGHAI)
    assert_refused(case, lambda: case.accept_transfer(actor(answerer)), NotTransferTargetError, code="FORBIDDEN")
    assert_refused(case, lambda: decline(case, answerer), NotTransferTargetError, code="FORBIDDEN")


def test_accepting_declining_or_withdrawing_needs_a_pending_transfer():
    case = given_case()
    assert_refused(case, lambda: case.accept_transfer(actor(SHANGHAI)), NoPendingTransferError, code="INVALID_STATE")
    assert_refused(case, lambda: decline(case, SHANGHAI), NoPendingTransferError, code="INVALID_STATE")
    assert_refused(case, lambda: case.withdraw_transfer(actor(HANGZHOU)), NoPendingTransferError, code="INVALID_STATE")


def test_declining_a_transfer_needs_a_reason():
    case = given_pending_transfer(HANGZHOU, SHANGHAI)
    assert_refused(case, lambda: decline(case, SHANGHAI, reason=""), BlankFieldError, code="VALIDATION", field="reason")


def test_the_sender_withdraws_a_pending_transfer():
    case = given_pending_transfer(HANGZHOU, SHANGHAI)

    case.withdraw_transfer(actor(HANGZHOU))

    withdrawn = only_event(case)
    assert isinstance(withdrawn, Case.TransferWithdrawn)
    assert (withdrawn.sender, withdrawn.receiver) == (HANGZHOU, SHANGHAI)
    assert case.pending_transfer is None and case.handling_jurisdiction == HANGZHOU


@pytest.mark.parametrize("withdrawer", [SHANGHAI, ZHEJIANG])
def test_only_the_sender_withdraws_a_transfer(withdrawer):
    case = given_pending_transfer(HANGZHOU, SHANGHAI)
    assert_refused(case, lambda: case.withdraw_transfer(actor(withdrawer)), NotHandlingJurisdictionError, code="FORBIDDEN")


# -- designation -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("designator", "designated"),
    [(ZHEJIANG, NINGBO), (NATIONAL, NINGBO), (NATIONAL, SUZHOU), (NATIONAL, SHANGHAI)],
)
def test_a_common_superior_designates_the_handling_jurisdiction(designator, designated):
    case = given_case(HANGZHOU)

    case.designate_jurisdiction(actor(designator), jurisdiction=designated, reason="Where the harm occurred", registry=REGISTRY)

    designation = only_event(case)
    assert isinstance(designation, Case.JurisdictionDesignated)
    assert (designation.previous, designation.jurisdiction, designation.reason) == (HANGZHOU, designated, "Where the harm occurred")
    assert designation.actor == actor(designator)
    assert case.handling_jurisdiction == designated and case.former_handlers == [HANGZHOU]


@pytest.mark.parametrize(
    ("designator", "designated"),
    [(JIANGSU, SUZHOU), (ZHEJIANG, SUZHOU), (HANGZHOU, NINGBO), (NINGBO, NINGBO), (SHENZHEN, NINGBO)],
)
def test_only_a_common_superior_of_both_jurisdictions_designates(designator, designated):
    case = given_case(HANGZHOU)
    assert_refused(case, lambda: case.designate_jurisdiction(actor(designator), jurisdiction=designated, reason="r", registry=REGISTRY),
                   NotCommonSuperiorError, code="FORBIDDEN")


def test_designating_an_unknown_jurisdiction_or_without_a_reason_is_refused():
    case = given_case(HANGZHOU)
    assert_refused(case, lambda: case.designate_jurisdiction(actor(ZHEJIANG), jurisdiction="339999", reason="r", registry=REGISTRY),
                   UnknownJurisdictionError, code="VALIDATION", field="jurisdiction")
    assert_refused(case, lambda: case.designate_jurisdiction(actor(ZHEJIANG), jurisdiction=NINGBO, reason=" ", registry=REGISTRY),
                   BlankFieldError, code="VALIDATION", field="reason")


def test_a_designation_clears_a_pending_transfer():
    case = given_pending_transfer(HANGZHOU, SHANGHAI)

    case.designate_jurisdiction(actor(ZHEJIANG), jurisdiction=NINGBO, reason="Settles the dispute", registry=REGISTRY)

    assert isinstance(only_event(case), Case.JurisdictionDesignated)
    assert case.pending_transfer is None
    assert case.handling_jurisdiction == NINGBO
    assert not case.visible_to(SHANGHAI, REGISTRY)


def test_designating_the_current_handler_keeps_it_and_replaces_the_transfer_restriction_by_the_designation():
    case = given_transferred_case(HANGZHOU, SHANGHAI)

    case.designate_jurisdiction(actor(NATIONAL), jurisdiction=SHANGHAI, reason="Shanghai handles it", registry=REGISTRY)

    assert only_event(case).previous == SHANGHAI
    assert case.handling_jurisdiction == SHANGHAI and case.former_handlers == [HANGZHOU]
    assert not case.received_by_transfer and case.directed_by_superior


# -- evidence --------------------------------------------------------------------------------------------


def test_added_evidence_is_recorded_with_its_digest_in_lower_case():
    case = given_case()
    item = EvidenceItem.create("Test purchase report", sha(1).upper(), "  ")

    case.add_evidence(actor(HANGZHOU), evidence_id="ev-1", item=item)

    added = only_event(case)
    assert isinstance(added, Case.EvidenceAdded)
    assert added.evidence_id == "ev-1"
    assert added.item == EvidenceItem(title="Test purchase report", sha256=sha(1), description=None)
    assert case.evidence == {"ev-1": added.item}


@pytest.mark.parametrize("digest", ["", "a" * 63, "a" * 65, "g" * 64, sha(1)[:-1] + " x", None])
def test_an_evidence_item_needs_a_sha256_digest(digest):
    with pytest.raises(InvalidSha256Error) as info:
        EvidenceItem.create("Report", digest)
    assert (info.value.code, info.value.field) == ("VALIDATION", "items.sha256")


def test_adding_an_item_with_a_bad_digest_is_refused_even_when_built_by_hand():
    case = given_case()
    bad = EvidenceItem(title="Report", sha256="not-a-digest")
    assert_refused(case, lambda: case.add_evidence(actor(HANGZHOU), evidence_id="e", item=bad),
                   InvalidSha256Error, code="VALIDATION", field="sha256")


def test_only_the_handling_jurisdiction_adds_evidence():
    case = given_case()
    assert_refused(case, lambda: case.add_evidence(actor(ZHEJIANG), evidence_id="e", item=evidence_item()),
                   NotHandlingJurisdictionError, code="FORBIDDEN")


# -- close and reopen ---------------------------------------------------------------------------------------


def test_closing_records_the_outcome():
    case = given_case()

    case.close(actor(HANGZHOU), outcome=CaseOutcome.NO_VIOLATION, summary=" Samples passed re-testing ")

    closed = only_event(case)
    assert isinstance(closed, Case.Closed)
    assert (closed.outcome, closed.summary) == (CaseOutcome.NO_VIOLATION, "Samples passed re-testing")
    assert case.status is CaseStatus.CLOSED and case.outcome is CaseOutcome.NO_VIOLATION


def test_a_case_with_a_pending_transfer_is_not_closed():
    case = given_pending_transfer(HANGZHOU, SHANGHAI)
    assert_refused(case, lambda: case.close(actor(HANGZHOU), outcome=CaseOutcome.MERGED), TransferAlreadyPendingError, code="INVALID_STATE")


def test_closing_needs_an_outcome():
    case = given_case()
    assert_refused(case, lambda: case.close(actor(HANGZHOU), outcome=None), ValidationError, code="VALIDATION", field="outcome")


def test_only_the_handling_jurisdiction_closes_the_case():
    case = given_case()
    assert_refused(case, lambda: case.close(actor(ZHEJIANG), outcome=CaseOutcome.MERGED), NotHandlingJurisdictionError, code="FORBIDDEN")


@pytest.mark.parametrize(
    ("command", "error"),
    [
        (lambda c: c.revise_details(actor(HANGZHOU), title="New"), CaseClosedError),
        (lambda c: c.request_transfer(actor(HANGZHOU), to=SHANGHAI, reason="r", registry=REGISTRY), CaseClosedError),
        (lambda c: c.add_evidence(actor(HANGZHOU), evidence_id="e", item=evidence_item()), CaseClosedError),
        (lambda c: c.close(actor(HANGZHOU), outcome=CaseOutcome.MERGED), CaseClosedError),
        (lambda c: c.designate_jurisdiction(actor(ZHEJIANG), jurisdiction=NINGBO, reason="r", registry=REGISTRY), CaseClosedError),
        # a closed case has no pending transfer (closing needs none), so there is nothing to answer
        (lambda c: c.accept_transfer(actor(SHANGHAI)), NoPendingTransferError),
        (lambda c: decline(c, SHANGHAI), NoPendingTransferError),
        (lambda c: c.withdraw_transfer(actor(HANGZHOU)), NoPendingTransferError),
    ],
    ids=["revise", "transfer", "evidence", "close", "designate", "accept", "decline", "withdraw"],
)
def test_a_closed_case_refuses_everything_but_reopening(command, error):
    case = given_closed_case(HANGZHOU)
    assert_refused(case, lambda: command(case), error, code="INVALID_STATE")


def test_reopening_a_closed_case_clears_its_outcome():
    case = given_closed_case(HANGZHOU)

    case.reopen(actor(HANGZHOU), reason="New complaints about the same seller")

    reopened = only_event(case)
    assert isinstance(reopened, Case.Reopened)
    assert reopened.reason == "New complaints about the same seller"
    assert case.status is CaseStatus.OPEN and case.outcome is None and case.closing_summary is None


def test_only_a_closed_case_is_reopened():
    case = given_case()
    assert_refused(case, lambda: case.reopen(actor(HANGZHOU), reason="r"), CaseNotClosedError, code="INVALID_STATE")


def test_only_the_handling_jurisdiction_reopens_and_with_a_reason():
    case = given_closed_case(HANGZHOU)
    assert_refused(case, lambda: case.reopen(actor(ZHEJIANG), reason="r"), NotHandlingJurisdictionError, code="FORBIDDEN")
    assert_refused(case, lambda: case.reopen(actor(HANGZHOU), reason=""), BlankFieldError, code="VALIDATION", field="reason")


# -- who sees the case -------------------------------------------------------------------------------------


def test_the_handler_and_its_supervising_ancestors_see_the_case_and_nobody_else():
    case = given_case(HANGZHOU)
    assert [j for j in (HANGZHOU, ZHEJIANG, NATIONAL) if case.visible_to(j, REGISTRY)] == [HANGZHOU, ZHEJIANG, NATIONAL]
    assert [j for j in (NINGBO, SHANGHAI, JIANGSU, SUZHOU, SHENZHEN) if case.visible_to(j, REGISTRY)] == []


def test_after_a_transfer_the_new_handlers_ancestors_see_it_and_the_old_one_keeps_sight():
    case = given_transferred_case(HANGZHOU, SHANGHAI)
    assert case.visible_to(SHANGHAI, REGISTRY) and case.visible_to(NATIONAL, REGISTRY)
    assert case.visible_to(HANGZHOU, REGISTRY)  # former handler
    assert not case.visible_to(ZHEJIANG, REGISTRY)  # supervised the former handler only
    assert not case.visible_to(SHENZHEN, REGISTRY)


# -- replay ------------------------------------------------------------------------------------------------


def test_folding_the_events_of_a_long_history_rebuilds_an_equal_case():
    case = open_case(HANGZHOU)
    events = list(case.collect_events())

    def run(command):
        command()
        events.extend(case.collect_events())

    run(lambda: case.revise_details(actor(HANGZHOU), summary="Forty complaints in two months"))
    run(lambda: case.add_evidence(actor(HANGZHOU), evidence_id="e1", item=evidence_item(1)))
    run(lambda: case.request_transfer(actor(HANGZHOU), to=SUZHOU, reason="Depot", registry=REGISTRY))
    run(lambda: decline(case, SUZHOU, reason="Not our seller"))
    run(lambda: case.withdraw_transfer(actor(HANGZHOU)))
    run(lambda: case.request_transfer(actor(HANGZHOU), to=NINGBO, reason="Port", registry=REGISTRY))
    run(lambda: case.withdraw_transfer(actor(HANGZHOU)))
    run(lambda: case.request_transfer(actor(HANGZHOU), to=SHANGHAI, reason="Seller registered there", registry=REGISTRY))
    run(lambda: case.accept_transfer(actor(SHANGHAI)))
    run(lambda: case.add_evidence(actor(SHANGHAI), evidence_id="e2", item=evidence_item(2)))
    run(lambda: case.designate_jurisdiction(actor(NATIONAL), jurisdiction=SUZHOU, reason="Harm in Suzhou", registry=REGISTRY))
    run(lambda: case.close(actor(SUZHOU), outcome=CaseOutcome.PENALTY_DECISION, summary="Fine", details=PENALTY))
    run(lambda: case.reopen(actor(SUZHOU), reason="Appeal"))
    run(lambda: case.revise_details(actor(SUZHOU), category=CaseCategory.PRODUCT_QUALITY))
    run(lambda: case.close(actor(SUZHOU), outcome=CaseOutcome.REFERRED_TO_POLICE))

    rebuilt = replay(events)

    assert [e.originator_version for e in events] == list(range(1, 17))
    assert rebuilt is not case
    assert state(rebuilt) == state(case)
    assert rebuilt.former_handlers == [HANGZHOU, SHANGHAI]
    assert rebuilt.version == 16 and rebuilt.status is CaseStatus.CLOSED
