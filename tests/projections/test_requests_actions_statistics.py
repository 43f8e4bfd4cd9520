"""Evidence requests, joint actions and statistics read models."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from casebridge.domain.values import CaseCategory, CaseOutcome, EvidenceItem, RefusalReason

from .conftest import GUANGDONG, HANGZHOU, JIANGSU, PENALTY, SHANGHAI, SHENZHEN, ZHEJIANG, actor, open_case, sha


def test_an_evidence_request_is_listed_for_both_parties_and_awaits_the_requested_one(app, rm, catch_up):
    case_id = open_case(app, actor(SHANGHAI))
    request = app.request_evidence(actor(SHANGHAI), case_id, requested=SHENZHEN, description="order records",
                                   legal_basis="Art. 12").aggregate_id
    catch_up()

    row = rm.evidence_requests.get(SHENZHEN, str(request))
    assert (row.case_id, row.applicant, row.requested, row.status, row.legal_basis) == (
        str(case_id), SHANGHAI, SHENZHEN, "OPEN", "Art. 12")
    assert row.due_at > row.requested_at and not row.acknowledged and not row.is_overdue(row.requested_at)
    assert rm.evidence_requests.get(SHANGHAI, str(request)) == row
    assert rm.evidence_requests.get(GUANGDONG, str(request)) is None  # supervisors are not parties
    assert [r.id for r in rm.evidence_requests.awaiting(SHENZHEN)] == [str(request)]
    assert rm.evidence_requests.awaiting(SHANGHAI) == []
    assert [r.id for r in rm.evidence_requests.for_cases(SHANGHAI, [str(case_id)])[str(case_id)]] == [str(request)]
    assert rm.evidence_requests.for_cases(HANGZHOU, [str(case_id)])[str(case_id)] == []


def test_fulfilment_refusal_and_extension_are_recorded_on_the_request(app, rm, catch_up):
    case_id = open_case(app, actor(SHANGHAI))
    fulfilled = app.request_evidence(actor(SHANGHAI), case_id, requested=SHENZHEN, description="a").aggregate_id
    refused = app.request_evidence(actor(SHANGHAI), case_id, requested=HANGZHOU, description="b").aggregate_id
    extended = app.request_evidence(actor(SHANGHAI), case_id, requested=JIANGSU, description="c").aggregate_id
    catch_up()
    later = datetime.now(timezone.utc) + timedelta(days=90)
    app.fulfil_evidence_request(actor(SHENZHEN), fulfilled, items=[EvidenceItem.create("orders.csv", sha(1)),
                                                                    EvidenceItem.create("chat.txt", sha(2), "WeChat")])
    app.refuse_evidence_request(actor(HANGZHOU), refused, reason=RefusalReason.OTHER, detail="wrong office")
    app.acknowledge_evidence_request(actor(JIANGSU), extended)
    app.extend_evidence_request(actor(JIANGSU), extended, due_at=later, reason="large volume")
    catch_up()

    rows = rm.evidence_requests.get_many(SHANGHAI, [str(fulfilled), str(refused), str(extended)])
    assert rows[str(fulfilled)].status == "FULFILLED" and rows[str(fulfilled)].answered_at is not None
    assert [(i.title, i.sha256, i.description) for i in rm.evidence_requests.items([str(fulfilled)])[str(fulfilled)]] == [
        ("orders.csv", sha(1), None), ("chat.txt", sha(2), "WeChat")]
    assert (rows[str(refused)].status, rows[str(refused)].refusal_reason, rows[str(refused)].refusal_detail) == (
        "REFUSED", "OTHER", "wrong office")
    assert rows[str(extended)].acknowledged and rows[str(extended)].due_at == later
    assert rows[str(extended)].version == 3


def test_a_joint_action_shows_participants_tasks_and_cases_to_those_invited(app, rm, catch_up):
    case_id = open_case(app, actor(SHANGHAI))
    coordinator = actor(SHANGHAI)
    action = app.propose_joint_action(coordinator, title="Operation Clean Net", objective="take listings down",
                                      case_ids=[case_id], participants=[JIANGSU, GUANGDONG, ZHEJIANG]).aggregate_id
    catch_up()
    assert [a.id for a in rm.joint_actions.invitations(JIANGSU)] == [str(action)]
    app.join_joint_action(actor(JIANGSU), action)
    app.decline_joint_action(actor(GUANGDONG), action, reason="no capacity")
    task = app.assign_joint_task(coordinator, action, assignee=JIANGSU, title="inspect the warehouse").detail
    catch_up()
    app.complete_joint_task(actor(JIANGSU), action, task_id=task, outcome="seized 300 units")
    app.close_joint_action(coordinator, action, common_position="coordinated penalties")
    catch_up()

    row = rm.joint_actions.get(JIANGSU, str(action))
    assert (row.title, row.coordinator, row.status, row.common_position, row.version) == (
        "Operation Clean Net", SHANGHAI, "CLOSED", "coordinated penalties", 6)
    assert row.closed_at is not None
    assert rm.joint_actions.get(GUANGDONG, str(action)) is not None  # invited, then declined
    assert rm.joint_actions.get(SHENZHEN, str(action)) is None
    participants = rm.joint_actions.participants([str(action)])[str(action)]
    assert [(p.jurisdiction, p.status, p.reason) for p in participants] == [
        (SHANGHAI, "COORDINATOR", None), (JIANGSU, "JOINED", None), (ZHEJIANG, "INVITED", None),
        (GUANGDONG, "DECLINED", "no capacity")]
    [t] = rm.joint_actions.tasks([str(action)])[str(action)]
    assert (t.id, t.assignee, t.status, t.outcome) == (task, JIANGSU, "COMPLETED", "seized 300 units")
    assert rm.joint_actions.case_ids([str(action)]) == {str(action): [str(case_id)]}
    assert [a.id for a in rm.joint_actions.for_cases(JIANGSU, [str(case_id)])[str(case_id)]] == [str(action)]
    assert rm.joint_actions.invitations(ZHEJIANG) == []  # the action is closed
    assert [a.id for a in rm.joint_actions.page(JIANGSU, first=5).items] == [str(action)]
    assert rm.joint_actions.page(SHENZHEN, first=5).items == []


def test_statistics_count_cases_transfers_and_answers_per_jurisdiction(app, rm, catch_up):
    sh, hz = actor(SHANGHAI), actor(HANGZHOU)
    a = open_case(app, sh, category=CaseCategory.FOOD_SAFETY)
    b = open_case(app, sh, category=CaseCategory.PRICING)
    c = open_case(app, sh, category=CaseCategory.PRICING)
    app.close_case(sh, c, outcome=CaseOutcome.PENALTY_DECISION, details=PENALTY)
    app.request_transfer(sh, a, to=HANGZHOU, reason="seller there")
    catch_up()
    app.accept_transfer(hz, a)
    app.request_transfer(sh, b, to=HANGZHOU, reason="seller there?")
    app.decline_transfer(hz, b, reason="no")  # a dispute: the transfer stays pending before the superior
    on_time = app.request_evidence(hz, a, requested=SHANGHAI, description="records").aggregate_id
    app.request_evidence(hz, a, requested=SHANGHAI, description="more records")
    app.fulfil_evidence_request(sh, on_time, items=[EvidenceItem.create("x", sha(3))])
    catch_up()

    stats = rm.stats.for_jurisdiction(SHANGHAI)
    assert (stats.open_cases, stats.closed_cases) == (1, 1)
    assert [(c.status, c.category, c.cases) for c in stats.cases_by_status_and_category] == [
        ("OPEN", "PRICING", 1), ("CLOSED", "PRICING", 1)]
    t = stats.transfers
    assert (t.sent, t.accepted_sent, t.declined_sent, t.pending_sent, t.received) == (2, 1, 0, 1, 0)
    assert t.mean_seconds_to_decision_sent is not None and t.mean_seconds_to_decision_sent >= 0
    e = stats.evidence_requests
    assert (e.received, e.answered_on_time, e.answered_late, e.open_on_time, e.open_overdue) == (2, 1, 0, 1, 0)
    far_future = datetime.now(timezone.utc) + timedelta(days=365)
    assert rm.stats.for_jurisdiction(SHANGHAI, now=far_future).evidence_requests.open_overdue == 1

    hz_stats = rm.stats.for_jurisdiction(HANGZHOU)
    assert (hz_stats.open_cases, hz_stats.transfers.received, hz_stats.transfers.accepted_received,
            hz_stats.transfers.declined_received, hz_stats.evidence_requests.requested) == (1, 2, 1, 0, 2)
