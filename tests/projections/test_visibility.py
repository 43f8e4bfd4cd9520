"""Who sees which case, and why: one visibility row per reason, and the views filtering by it."""

from __future__ import annotations

from .conftest import (
    GUANGDONG,
    HANGZHOU,
    JIANGSU,
    NATIONAL,
    NINGBO,
    SHANGHAI,
    SHENZHEN,
    SUZHOU,
    ZHEJIANG,
    actor,
    open_case,
)


def reasons(rm, case_id) -> set[tuple[str, str]]:
    return {(p.jurisdiction, p.role) for p in rm.cases.participants([str(case_id)])[str(case_id)]}


def test_the_handler_and_its_supervising_ancestors_see_a_new_case_and_outsiders_do_not(app, rm, catch_up):
    case_id = open_case(app, actor(HANGZHOU))
    catch_up()

    assert reasons(rm, case_id) == {(HANGZHOU, "HANDLING"), (ZHEJIANG, "SUPERVISING_ANCESTOR"),
                                    (NATIONAL, "SUPERVISING_ANCESTOR")}
    assert rm.cases.access(ZHEJIANG, str(case_id)) == {"SUPERVISING_ANCESTOR"}
    assert rm.cases.get(ZHEJIANG, str(case_id)) is not None
    assert rm.cases.get(SHANGHAI, str(case_id)) is None
    assert rm.cases.get_many(SHANGHAI, [str(case_id)]) == {}
    assert rm.cases.access(SHANGHAI, str(case_id)) == set()
    assert rm.cases.page(SHANGHAI, first=10).items == []


def test_a_transfer_target_sees_the_case_only_while_the_transfer_is_pending(app, rm, catch_up):
    case_id = open_case(app, actor(SHANGHAI))
    app.request_transfer(actor(SHANGHAI), case_id, to=HANGZHOU, reason="seller in Hangzhou")
    catch_up()
    assert rm.cases.access(HANGZHOU, str(case_id)) == {"TRANSFER_TARGET"}

    app.decline_transfer(actor(HANGZHOU), case_id, reason="not ours")  # a dispute: the target still sees it
    catch_up()
    assert rm.cases.access(HANGZHOU, str(case_id)) == {"TRANSFER_TARGET"}

    app.withdraw_transfer(actor(SHANGHAI), case_id)
    catch_up()
    assert rm.cases.access(HANGZHOU, str(case_id)) == set()
    assert rm.cases.get(HANGZHOU, str(case_id)) is None


def test_an_accepted_transfer_makes_the_sender_a_former_handler_and_moves_the_supervision(app, rm, catch_up):
    case_id = open_case(app, actor(SHANGHAI))
    app.request_transfer(actor(SHANGHAI), case_id, to=SUZHOU, reason="seller in Suzhou")
    app.accept_transfer(actor(SUZHOU), case_id)
    catch_up()

    assert reasons(rm, case_id) == {(SUZHOU, "HANDLING"), (SHANGHAI, "FORMER_HANDLER"),
                                    (JIANGSU, "SUPERVISING_ANCESTOR"), (NATIONAL, "SUPERVISING_ANCESTOR")}
    assert rm.cases.get(SHANGHAI, str(case_id)).handling_jurisdiction == SUZHOU


def test_a_designation_recomputes_the_handler_former_handler_and_ancestors(app, rm, catch_up):
    case_id = open_case(app, actor(HANGZHOU))
    catch_up()
    app.designate_jurisdiction(actor(ZHEJIANG), case_id, jurisdiction=NINGBO, reason="warehouse in Ningbo")
    catch_up()

    assert reasons(rm, case_id) == {(NINGBO, "HANDLING"), (HANGZHOU, "FORMER_HANDLER"),
                                    (ZHEJIANG, "SUPERVISING_ANCESTOR"), (NATIONAL, "SUPERVISING_ANCESTOR")}


def test_both_parties_to_an_evidence_request_see_the_case(app, rm, catch_up):
    case_id = open_case(app, actor(SHANGHAI))
    app.request_evidence(actor(SHANGHAI), case_id, requested=SHENZHEN, description="order records")
    catch_up()

    assert rm.cases.access(SHENZHEN, str(case_id)) == {"EVIDENCE_REQUEST_PARTY"}
    assert "EVIDENCE_REQUEST_PARTY" in rm.cases.access(SHANGHAI, str(case_id))
    assert rm.cases.get(SHENZHEN, str(case_id)) is not None
    assert rm.cases.get(GUANGDONG, str(case_id)) is None  # Shenzhen's ancestor does not supervise Shanghai's case


def test_joint_action_invitees_see_its_cases_once_they_join_and_never_after_declining(app, rm, catch_up):
    case_id = open_case(app, actor(SHANGHAI))
    action = app.propose_joint_action(actor(SHANGHAI), title="Operation Clean Net", objective=None,
                                      case_ids=[case_id], participants=[JIANGSU, GUANGDONG]).aggregate_id
    catch_up()
    assert rm.cases.access(JIANGSU, str(case_id)) == set()  # invited: the invitation, not the case
    assert rm.cases.access(GUANGDONG, str(case_id)) == set()
    assert "JOINT_ACTION_PARTICIPANT" in rm.cases.access(SHANGHAI, str(case_id))

    app.join_joint_action(actor(JIANGSU), action)
    app.decline_joint_action(actor(GUANGDONG), action, reason="no capacity")
    catch_up()
    assert rm.cases.access(JIANGSU, str(case_id)) == {"JOINT_ACTION_PARTICIPANT"}
    assert rm.cases.access(GUANGDONG, str(case_id)) == set()


def test_a_proposal_and_a_join_in_the_same_batch_grant_the_joiner(app, rm, catch_up):
    case_id = open_case(app, actor(SHANGHAI))
    action = app.propose_joint_action(actor(SHANGHAI), title="Operation", objective=None,
                                      case_ids=[case_id], participants=[GUANGDONG, JIANGSU]).aggregate_id
    app.join_joint_action(actor(GUANGDONG), action)
    app.decline_joint_action(actor(JIANGSU), action, reason="no capacity")
    catch_up()
    assert rm.cases.access(GUANGDONG, str(case_id)) == {"JOINT_ACTION_PARTICIPANT"}
    assert rm.cases.access(JIANGSU, str(case_id)) == set()


def test_a_supervisor_is_not_told_who_is_party_to_an_evidence_request_it_cannot_see(app, rm, catch_up):
    case_id = open_case(app, actor(HANGZHOU))
    app.request_evidence(actor(HANGZHOU), case_id, requested=SHENZHEN, description="order records")
    catch_up()

    told = {(p.jurisdiction, p.role) for p in rm.cases.visibility.participants_for(ZHEJIANG, [str(case_id)])[str(case_id)]}
    party = {(p.jurisdiction, p.role) for p in rm.cases.visibility.participants_for(SHENZHEN, [str(case_id)])[str(case_id)]}
    assert told == {(HANGZHOU, "HANDLING"), (ZHEJIANG, "SUPERVISING_ANCESTOR"), (NATIONAL, "SUPERVISING_ANCESTOR")}
    assert {(HANGZHOU, "EVIDENCE_REQUEST_PARTY"), (SHENZHEN, "EVIDENCE_REQUEST_PARTY")} <= party
    assert rm.cases.visibility.participants_for(SHANGHAI, [str(case_id)])[str(case_id)] == []


def test_filtering_by_role_returns_only_cases_seen_for_that_reason(app, rm, catch_up):
    own = open_case(app, actor(SHANGHAI), "own case")
    theirs = open_case(app, actor(HANGZHOU), "their case")
    app.request_evidence(actor(HANGZHOU), theirs, requested=SHANGHAI, description="records")
    catch_up()
    from casebridge.projections.views import CaseFilter

    handling = rm.cases.page(SHANGHAI, first=10, filter=CaseFilter(role="HANDLING"))
    assert [c.id for c in handling.items] == [str(own)]
    party = rm.cases.page(SHANGHAI, first=10, filter=CaseFilter(role="EVIDENCE_REQUEST_PARTY"))
    assert [c.id for c in party.items] == [str(theirs)]
