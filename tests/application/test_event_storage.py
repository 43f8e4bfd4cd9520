"""Through the store: an aggregate saved by the application loads back equal, and the stored JSON
of its events reads back with the same types (enum members, value objects, tz-aware datetimes)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from uuid import UUID

from domain.helpers import (
    CHINA,
    HANGZHOU,
    NATIONAL,
    NOW,
    PENALTY,
    REGISTRY,
    SHANGHAI,
    SUZHOU,
    actor,
    evidence_item,
    open_case,
    propose_joint_action,
    request_evidence,
)

from casebridge.domain.evidence_request import EvidenceRequest
from casebridge.domain.joint_action import JointAction
from casebridge.domain.values import (
    Actor,
    CaseCategory,
    CaseOutcome,
    EvidenceItem,
    RefusalReason,
    Subject,
    SubjectKind,
)


def stored_events(app, aggregate_id: UUID) -> list:
    return [app.mapper.to_domain_event(s) for s in app.recorder.select_events(aggregate_id)]


def test_a_case_saved_by_the_application_loads_back_equal(app):
    case = open_case(HANGZHOU)
    case.add_evidence(actor(HANGZHOU), evidence_id="e1", item=evidence_item(1))
    case.request_transfer(actor(HANGZHOU), to=SHANGHAI, reason="Seller registered there", registry=REGISTRY)
    case.accept_transfer(actor(SHANGHAI))
    case.designate_jurisdiction(actor(NATIONAL), jurisdiction=SUZHOU, reason="Harm in Suzhou", registry=REGISTRY)
    case.close(actor(SUZHOU), outcome=CaseOutcome.PENALTY_DECISION, summary="Fine", details=PENALTY)

    app.save(case)

    assert app.repository.get(case.id) == case


def test_an_evidence_request_and_a_joint_action_load_back_equal(app):
    request = request_evidence(SHANGHAI, SUZHOU)
    request.extend(actor(SUZHOU), due_at=request.due_at + timedelta(days=3), reason="Holiday", now=NOW)
    request.refuse(actor(SUZHOU), reason=RefusalReason.OTHER, detail="Records destroyed in a flood")
    action = propose_joint_action(SHANGHAI, (HANGZHOU, SUZHOU))
    action.join(actor(HANGZHOU))
    action.decline(actor(SUZHOU), reason="Busy")
    action.assign_task(actor(SHANGHAI), task_id="t1", title="Inspect", assignee=HANGZHOU, due_at=NOW + timedelta(days=2), now=NOW)
    action.complete_task(actor(HANGZHOU), task_id="t1", outcome="Seized")

    app.save(request, action)

    assert app.repository.get(request.id) == request
    assert app.repository.get(action.id) == action


def test_stored_case_events_read_back_with_enum_members_and_value_objects(app, open_case):
    case_id = open_case(HANGZHOU, subject=Subject.create("Shop", SubjectKind.LIVESTREAM_SELLER, product_codes=["A1", "B2"]))
    app.add_evidence(actor(HANGZHOU), case_id, item=evidence_item(7))
    app.close_case(actor(HANGZHOU), case_id, outcome=CaseOutcome.NO_VIOLATION)

    opened, added, closed = stored_events(app, case_id)

    assert type(opened.actor) is Actor and opened.actor == actor(HANGZHOU)
    assert type(opened.subject) is Subject
    assert opened.subject.kind is SubjectKind.LIVESTREAM_SELLER
    assert opened.subject.product_codes == ("A1", "B2")
    assert opened.category is CaseCategory.COUNTERFEIT
    assert type(added.item) is EvidenceItem and added.item == evidence_item(7)
    assert closed.outcome is CaseOutcome.NO_VIOLATION
    assert opened.timestamp.tzinfo is not None


def test_enums_are_stored_by_name_and_value_objects_by_their_fields(app, case_id):
    stored = app.recorder.select_events(case_id)[0]

    data = json.loads(bytes(stored.state))

    assert stored.topic == "casebridge.domain.case:Case.Opened"
    assert data["category"] == {"_type_": "enum:CaseCategory", "_data_": "COUNTERFEIT"}
    assert data["subject"]["_type_"] == "subject"
    assert data["subject"]["_data_"]["kind"] == {"_type_": "enum:SubjectKind", "_data_": "MARKETPLACE_SELLER"}


def test_stored_evidence_request_events_keep_tz_aware_datetimes_and_items(app, case_id):
    due = datetime(2025, 2, 28, 18, 0, tzinfo=CHINA)
    request_id = app.request_evidence(actor(HANGZHOU), case_id, requested=SUZHOU, description="d", due_at=due).aggregate_id
    app.fulfil_evidence_request(actor(SUZHOU), request_id, items=[evidence_item(1), evidence_item(2)])

    requested, fulfilled = stored_events(app, request_id)

    assert isinstance(requested, EvidenceRequest.Requested)
    assert requested.due_at == due and requested.due_at.utcoffset() == timedelta(hours=8)
    assert type(requested.case_id) is UUID and requested.case_id == case_id
    assert [type(i) for i in fulfilled.items] == [EvidenceItem, EvidenceItem]
    assert tuple(fulfilled.items) == (evidence_item(1), evidence_item(2))


def test_stored_joint_action_events_keep_case_ids_as_uuids(app, case_id):
    action_id = app.propose_joint_action(actor(HANGZHOU), title="Sweep", objective=None, case_ids=[case_id],
                                         participants=[SUZHOU]).aggregate_id

    (proposed,) = stored_events(app, action_id)

    assert isinstance(proposed, JointAction.Proposed)
    assert list(proposed.case_ids) == [case_id] and type(proposed.case_ids[0]) is UUID
    assert list(proposed.participants) == [SUZHOU]
