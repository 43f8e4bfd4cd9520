"""Optimistic concurrency: a stale `expected_version` is CONFLICT and nothing is written."""

from __future__ import annotations

import pytest
from domain.helpers import HANGZHOU, NINGBO, SHANGHAI, SUZHOU, actor, evidence_item

from casebridge.application.errors import ConflictError
from casebridge.domain.values import CaseOutcome


def test_a_command_at_the_current_version_is_applied(app, case_id):
    result = app.add_evidence(actor(HANGZHOU), case_id, item=evidence_item(), expected_version=1)

    assert (result.aggregate_id, result.version, result.replayed) == (case_id, 2, False)
    assert result.position == app.recorder.max_notification_id()
    assert app.get_case(case_id).evidence == {result.detail: evidence_item()}


@pytest.mark.parametrize("stale", [0, 1, 3])
def test_a_stale_expected_version_is_a_conflict_and_nothing_is_written(app, case_id, nothing_written, stale):
    app.add_evidence(actor(HANGZHOU), case_id, item=evidence_item(1))  # the case is now at version 2

    with nothing_written(), pytest.raises(ConflictError) as info:
        app.close_case(actor(HANGZHOU), case_id, outcome=CaseOutcome.NO_VIOLATION, expected_version=stale)

    assert (info.value.code, info.value.field, info.value.current_version) == ("CONFLICT", "expectedVersion", 2)
    assert app.get_case(case_id).version == 2


def test_a_stale_version_wins_over_the_domain_rules(app, case_id, nothing_written):
    """The caller decided on old state: it hears CONFLICT first, whatever the command would say now."""
    app.request_transfer(actor(HANGZHOU), case_id, to=SHANGHAI, reason="r")

    with nothing_written(), pytest.raises(ConflictError):
        app.request_transfer(actor(HANGZHOU), case_id, to=SUZHOU, reason="r", expected_version=1)


def test_evidence_requests_and_joint_actions_check_the_expected_version_too(app, case_id, nothing_written):
    request = app.request_evidence(actor(HANGZHOU), case_id, requested=SUZHOU, description="Depot records")
    app.acknowledge_evidence_request(actor(SUZHOU), request.aggregate_id, expected_version=1)
    action = app.propose_joint_action(actor(HANGZHOU), title="Sweep", objective=None, case_ids=[case_id], participants=[NINGBO])
    app.join_joint_action(actor(NINGBO), action.aggregate_id, expected_version=1)

    with nothing_written():
        with pytest.raises(ConflictError):
            app.fulfil_evidence_request(actor(SUZHOU), request.aggregate_id, items=[evidence_item()], expected_version=1)
        with pytest.raises(ConflictError):
            app.assign_joint_task(actor(HANGZHOU), action.aggregate_id, assignee=NINGBO, title="t", expected_version=1)
