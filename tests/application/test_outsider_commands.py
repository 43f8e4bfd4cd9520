"""What a jurisdiction may not see does not exist for it: every command from an outsider is
NOT_FOUND (never FORBIDDEN, which would reveal the object), and nothing is written."""

from __future__ import annotations

from uuid import uuid4

import pytest
from domain.helpers import (
    HANGZHOU,
    NINGBO,
    SHANGHAI,
    SHENZHEN,
    SUZHOU,
    ZHEJIANG,
    actor,
    evidence_item,
)

from casebridge.application.errors import (
    CaseNotFoundError,
    EvidenceRequestNotFoundError,
    JointActionNotFoundError,
)
from casebridge.domain.errors import NotHandlingJurisdictionError
from casebridge.domain.values import CaseCategory, CaseOutcome, RefusalReason

GUANGDONG_SHENZHEN = actor(SHENZHEN)

CASE_COMMANDS = {
    "revise": lambda app, cid: app.revise_case(GUANGDONG_SHENZHEN, cid, title="Mine"),
    "request transfer": lambda app, cid: app.request_transfer(GUANGDONG_SHENZHEN, cid, to=SUZHOU, reason="r"),
    "accept transfer": lambda app, cid: app.accept_transfer(GUANGDONG_SHENZHEN, cid),
    "decline transfer": lambda app, cid: app.decline_transfer(GUANGDONG_SHENZHEN, cid, reason="r"),
    "withdraw transfer": lambda app, cid: app.withdraw_transfer(GUANGDONG_SHENZHEN, cid),
    "designate": lambda app, cid: app.designate_jurisdiction(GUANGDONG_SHENZHEN, cid, jurisdiction=SHENZHEN, reason="r"),
    "add evidence": lambda app, cid: app.add_evidence(GUANGDONG_SHENZHEN, cid, item=evidence_item()),
    "close": lambda app, cid: app.close_case(GUANGDONG_SHENZHEN, cid, outcome=CaseOutcome.MERGED),
    "reopen": lambda app, cid: app.reopen_case(GUANGDONG_SHENZHEN, cid, reason="r"),
    "request evidence": lambda app, cid: app.request_evidence(GUANGDONG_SHENZHEN, cid, requested=HANGZHOU, description="d"),
}


@pytest.mark.parametrize("command", CASE_COMMANDS.values(), ids=CASE_COMMANDS.keys())
def test_an_invisible_case_is_not_found_for_an_outsider_and_nothing_is_written(app, case_id, nothing_written, command):
    app.request_transfer(actor(HANGZHOU), case_id, to=SHANGHAI, reason="Seller registered in Shanghai")

    with nothing_written(), pytest.raises(CaseNotFoundError) as info:
        command(app, case_id)

    assert (info.value.code, info.value.field) == ("NOT_FOUND", "caseId")


@pytest.mark.parametrize("command", CASE_COMMANDS.values(), ids=CASE_COMMANDS.keys())
def test_a_case_that_does_not_exist_is_not_found_either(app, nothing_written, command):
    with nothing_written(), pytest.raises(CaseNotFoundError):
        command(app, uuid4())


def test_an_evidence_request_id_is_not_a_case_id(app, case_id, nothing_written):
    request = app.request_evidence(actor(HANGZHOU), case_id, requested=SUZHOU, description="Depot records")
    with nothing_written(), pytest.raises(CaseNotFoundError):
        app.add_evidence(actor(HANGZHOU), request.aggregate_id, item=evidence_item())


def test_a_joint_action_on_an_invisible_case_is_not_proposed(app, case_id, nothing_written):
    with nothing_written(), pytest.raises(CaseNotFoundError) as info:
        app.propose_joint_action(GUANGDONG_SHENZHEN, title="Sweep", objective=None, case_ids=[case_id], participants=[HANGZHOU])
    assert (info.value.code, info.value.field) == ("NOT_FOUND", "caseIds")


def test_a_supervisor_sees_the_case_but_may_not_act_on_it(app, case_id, nothing_written):
    with nothing_written(), pytest.raises(NotHandlingJurisdictionError) as info:
        app.revise_case(actor(ZHEJIANG), case_id, category=CaseCategory.PRICING)
    assert info.value.code == "FORBIDDEN"


EVIDENCE_REQUEST_COMMANDS = {
    "acknowledge": lambda app, rid, who: app.acknowledge_evidence_request(who, rid),
    "extend": lambda app, rid, who: app.extend_evidence_request(who, rid, due_at=app.clock().replace(year=2026), reason="r"),
    "fulfil": lambda app, rid, who: app.fulfil_evidence_request(who, rid, items=[evidence_item()]),
    "refuse": lambda app, rid, who: app.refuse_evidence_request(who, rid, reason=RefusalReason.OUTSIDE_COMPETENCE),
    "withdraw": lambda app, rid, who: app.withdraw_evidence_request(who, rid),
}


@pytest.mark.parametrize("command", EVIDENCE_REQUEST_COMMANDS.values(), ids=EVIDENCE_REQUEST_COMMANDS.keys())
@pytest.mark.parametrize("outsider", [SHENZHEN, ZHEJIANG], ids=["stranger", "supervisor of the applicant"])
def test_an_evidence_request_is_not_found_outside_its_two_parties(app, case_id, nothing_written, command, outsider):
    request = app.request_evidence(actor(HANGZHOU), case_id, requested=SUZHOU, description="Depot records")

    with nothing_written(), pytest.raises(EvidenceRequestNotFoundError) as info:
        command(app, request.aggregate_id, actor(outsider))

    assert (info.value.code, info.value.field) == ("NOT_FOUND", "requestId")


JOINT_ACTION_COMMANDS = {
    "join": lambda app, aid: app.join_joint_action(GUANGDONG_SHENZHEN, aid),
    "decline": lambda app, aid: app.decline_joint_action(GUANGDONG_SHENZHEN, aid, reason="r"),
    "assign": lambda app, aid: app.assign_joint_task(GUANGDONG_SHENZHEN, aid, assignee=SHENZHEN, title="t"),
    "complete": lambda app, aid: app.complete_joint_task(GUANGDONG_SHENZHEN, aid, task_id="t", outcome="o"),
    "close": lambda app, aid: app.close_joint_action(GUANGDONG_SHENZHEN, aid),
}


@pytest.mark.parametrize("command", JOINT_ACTION_COMMANDS.values(), ids=JOINT_ACTION_COMMANDS.keys())
def test_a_joint_action_is_not_found_outside_its_coordinator_and_invitees(app, case_id, nothing_written, command):
    action = app.propose_joint_action(actor(HANGZHOU), title="Sweep", objective=None, case_ids=[case_id], participants=[NINGBO])

    with nothing_written(), pytest.raises(JointActionNotFoundError) as info:
        command(app, action.aggregate_id)

    assert (info.value.code, info.value.field) == ("NOT_FOUND", "jointActionId")



def test_a_former_handler_may_see_the_case_but_not_request_evidence_on_it(app, case_id, nothing_written):
    app.request_transfer(actor(HANGZHOU), case_id, to=SHANGHAI, reason="Seller registered in Shanghai")
    app.accept_transfer(actor(SHANGHAI), case_id)

    with nothing_written(), pytest.raises(NotHandlingJurisdictionError) as info:
        app.request_evidence(actor(HANGZHOU), case_id, requested=SUZHOU, description="Sales records")

    assert info.value.code == "FORBIDDEN"
