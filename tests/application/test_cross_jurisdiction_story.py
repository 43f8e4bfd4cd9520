"""The whole cross-jurisdiction story through the application, on SQLite and PostgreSQL:
opened in Hangzhou, transferred to Shanghai, evidence from Suzhou, a joint action, closed."""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.helpers import CHINA, HANGZHOU, PENALTY, SHANGHAI, SUZHOU, actor, evidence_item

from casebridge.domain.case import Case
from casebridge.domain.values import (
    CaseOutcome,
    CaseStatus,
    EvidenceRequestStatus,
    JointActionStatus,
    ParticipationStatus,
    TaskStatus,
)


def test_a_case_travels_from_hangzhou_to_shanghai_gets_suzhou_evidence_a_joint_action_and_closes(app, open_case, clock):
    hangzhou, shanghai, suzhou = actor(HANGZHOU), actor(SHANGHAI), actor(SUZHOU)
    case_id = open_case(HANGZHOU)
    assert app.get_case(case_id).reference == "330100-2025-00001"

    # Hangzhou hands the case to Shanghai, where the seller is registered.
    assert app.request_transfer(hangzhou, case_id, to=SHANGHAI, reason="Seller registered in Shanghai",
                                expected_version=1).version == 2
    assert app.accept_transfer(shanghai, case_id, expected_version=2).version == 3
    case = app.get_case(case_id)
    assert (case.handling_jurisdiction, case.former_handlers, case.received_by_transfer) == (SHANGHAI, [HANGZHOU], True)

    # Shanghai asks Suzhou for the depot's records; Suzhou answers within the due date.
    request = app.request_evidence(shanghai, case_id, requested=SUZHOU, description="Depot stock records")
    assert app.get_evidence_request(request.aggregate_id).due_at == datetime(2025, 2, 14, 23, 59, 59, tzinfo=CHINA)
    clock.advance(days=3)
    app.acknowledge_evidence_request(suzhou, request.aggregate_id)
    app.fulfil_evidence_request(suzhou, request.aggregate_id, items=[evidence_item(1), evidence_item(2)], note="Certified copies")
    fulfilled = app.get_evidence_request(request.aggregate_id)
    assert fulfilled.status is EvidenceRequestStatus.FULFILLED and len(fulfilled.items) == 2
    for item in fulfilled.items:
        app.add_evidence(shanghai, case_id, item=item)

    # Shanghai coordinates a same-day inspection with Hangzhou and Suzhou.
    action = app.propose_joint_action(shanghai, title="Same-day depot inspection", objective="Seize the stock",
                                      case_ids=[case_id], participants=[HANGZHOU, SUZHOU])
    action_id = action.aggregate_id
    app.join_joint_action(hangzhou, action_id)
    app.join_joint_action(suzhou, action_id)
    due = clock() + timedelta(days=5)
    tasks = {code: app.assign_joint_task(shanghai, action_id, assignee=code, title=f"Inspect the depot in {code}", due_at=due).detail
             for code in (HANGZHOU, SUZHOU)}
    app.complete_joint_task(hangzhou, action_id, task_id=tasks[HANGZHOU], outcome="800 units seized")
    app.complete_joint_task(suzhou, action_id, task_id=tasks[SUZHOU], outcome="400 units seized")
    app.close_joint_action(shanghai, action_id, common_position="Shanghai decides the penalty for all")
    joint = app.get_joint_action(action_id)
    assert joint.status is JointActionStatus.CLOSED
    assert set(joint.participants.values()) == {ParticipationStatus.JOINED}
    assert [t.status for t in joint.tasks.values()] == [TaskStatus.COMPLETED, TaskStatus.COMPLETED]

    closed = app.close_case(shanghai, case_id, outcome=CaseOutcome.PENALTY_DECISION, summary="Fine of 200,000 yuan",
                            details=PENALTY)

    case = app.get_case(case_id)
    assert case.status is CaseStatus.CLOSED and case.outcome is CaseOutcome.PENALTY_DECISION
    assert closed.version == case.version == 6 and len(case.evidence) == 2
    assert [type(e) for e in app.events.get(case_id)] == [
        Case.Opened, Case.TransferRequested, Case.TransferAccepted, Case.EvidenceAdded, Case.EvidenceAdded, Case.Closed,
    ]
    assert case.visible_to(HANGZHOU, app.registry)  # the former handler keeps sight of the outcome
