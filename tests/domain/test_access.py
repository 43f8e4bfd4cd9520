"""Who may see a case, and what a viewer is told of who else does (domain/access.py)."""

from __future__ import annotations

from dataclasses import replace

from domain.helpers import (
    HANGZHOU,
    NATIONAL,
    NINGBO,
    REGISTRY,
    SHANGHAI,
    SUZHOU,
    ZHEJIANG,
    actor,
    given_case,
    given_evidence_request,
    given_pending_transfer,
    given_transferred_case,
)

from casebridge.domain.access import (
    AccessReason,
    disclosed_to,
    grants_of_action,
    grants_of_case,
    grants_of_request,
    may_see,
)
from casebridge.domain.joint_action import JointAction


def reasons(grants) -> set[tuple[str, str]]:
    return {(g.jurisdiction, g.reason.value) for g in grants}


def proposed(coordinator: str = HANGZHOU, invited: tuple[str, ...] = (SHANGHAI, SUZHOU)):
    case = given_case(coordinator)
    action = JointAction.propose(actor=actor(coordinator), title="Sweep", objective=None, cases=(case,), participants=invited)
    action.collect_events()
    return case, action


def test_a_case_grants_its_handler_and_the_handler_s_supervising_ancestors():
    case = given_case(HANGZHOU)
    assert reasons(grants_of_case(case, REGISTRY)) == {
        (HANGZHOU, "HANDLING"), (ZHEJIANG, "SUPERVISING_ANCESTOR"), (NATIONAL, "SUPERVISING_ANCESTOR")}


def test_a_pending_transfer_grants_its_target_and_an_accepted_one_keeps_the_sender_as_former_handler():
    assert (SHANGHAI, "TRANSFER_TARGET") in reasons(grants_of_case(given_pending_transfer(HANGZHOU, SHANGHAI), REGISTRY))
    moved = reasons(grants_of_case(given_transferred_case(HANGZHOU, SHANGHAI), REGISTRY))
    assert {(SHANGHAI, "HANDLING"), (HANGZHOU, "FORMER_HANDLER")} <= moved
    assert (ZHEJIANG, "SUPERVISING_ANCESTOR") not in moved  # supervision moves with the handler


def test_the_case_s_own_visibility_is_the_rule_s():
    case = given_transferred_case(HANGZHOU, SHANGHAI)
    for code in (HANGZHOU, SHANGHAI, ZHEJIANG, NATIONAL, SUZHOU, NINGBO):
        assert case.visible_to(code, REGISTRY) == may_see(grants_of_case(case, REGISTRY), code), code


def test_both_parties_to_an_evidence_request_are_granted_its_case():
    request = given_evidence_request(applicant=SHANGHAI, requested=SUZHOU)
    grants = grants_of_request(request)
    assert reasons(grants) == {(SHANGHAI, "EVIDENCE_REQUEST_PARTY"), (SUZHOU, "EVIDENCE_REQUEST_PARTY")}
    assert {g.source for g in grants} == {str(request.id)} and {g.case_id for g in grants} == {str(request.case_id)}


def test_an_invitee_is_granted_a_joint_action_s_cases_only_once_it_joins():
    _, action = proposed()
    assert reasons(grants_of_action(action)) == {(HANGZHOU, "JOINT_ACTION_PARTICIPANT")}

    action.join(actor(SHANGHAI))

    assert reasons(grants_of_action(action)) == {(HANGZHOU, "JOINT_ACTION_PARTICIPANT"), (SHANGHAI, "JOINT_ACTION_PARTICIPANT")}


def test_an_invitee_that_declines_is_granted_nothing():
    _, action = proposed()

    action.decline(actor(SUZHOU), reason="no staff")

    assert not may_see(grants_of_action(action), SUZHOU)


def test_a_supervisor_is_not_told_of_an_evidence_request_it_is_not_party_to():
    case = given_case(HANGZHOU)
    request = given_evidence_request(applicant=HANGZHOU, requested=SUZHOU)
    grants = grants_of_case(case, REGISTRY) | {replace(g, case_id=str(case.id)) for g in grants_of_request(request)}

    told_supervisor = reasons(disclosed_to(grants, ZHEJIANG))
    told_party = reasons(disclosed_to(grants, SUZHOU))

    assert AccessReason.EVIDENCE_REQUEST_PARTY.value not in {r for _, r in told_supervisor}
    assert (ZHEJIANG, "SUPERVISING_ANCESTOR") in told_supervisor
    assert {(HANGZHOU, "EVIDENCE_REQUEST_PARTY"), (SUZHOU, "EVIDENCE_REQUEST_PARTY")} <= told_party


def test_a_jurisdiction_that_may_not_see_the_case_is_told_nothing():
    case, action = proposed()
    grants = grants_of_case(case, REGISTRY) | grants_of_action(action)
    assert disclosed_to(grants, SHANGHAI) == []  # invited, not yet joined
    assert disclosed_to(grants, NINGBO) == []
