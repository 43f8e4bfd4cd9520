"""Snapshots every 100 events (cases and joint actions): taken whatever the aggregate's state,
and loading from one gives the same aggregate as folding every event."""

from __future__ import annotations

from datetime import timedelta

from domain.helpers import (
    HANGZHOU,
    SHANGHAI,
    SUZHOU,
    actor,
    evidence_item,
    replay,
    state,
)


def snapshot_versions(app, aggregate_id) -> list[int]:
    return [s.originator_version for s in app.snapshots.get(aggregate_id)]


def test_a_case_with_over_a_hundred_events_is_snapshotted_and_loads_the_same(app, case_id):
    for n in range(104):
        app.add_evidence(actor(HANGZHOU), case_id, item=evidence_item(n))

    loaded = app.repository.get(case_id)

    assert snapshot_versions(app, case_id) == [100]
    assert loaded.version == 105 and len(loaded.evidence) == 104
    assert state(loaded) == state(replay(list(app.events.get(case_id))))


def test_a_snapshot_taken_while_a_transfer_is_pending_keeps_it(app, case_id):
    for n in range(97):
        app.add_evidence(actor(HANGZHOU), case_id, item=evidence_item(n))
    app.request_transfer(actor(HANGZHOU), case_id, to=SHANGHAI, reason="Seller registered in Shanghai")
    # Version 99; the next write reaches 100 and takes a snapshot with the pending transfer in it.
    result = app.add_evidence(actor(HANGZHOU), case_id, item=evidence_item(97))
    app.accept_transfer(actor(SHANGHAI), case_id)

    assert result.version == 100
    assert snapshot_versions(app, case_id) == [100]
    snapshot_only = app.repository.get(case_id, version=100)
    assert snapshot_only.pending_transfer.to == SHANGHAI
    assert state(snapshot_only) == state(replay(list(app.events.get(case_id, lte=100))))
    assert app.repository.get(case_id).handling_jurisdiction == SHANGHAI


def test_a_joint_action_with_tasks_is_snapshotted_and_loads_the_same(app, case_id, clock):
    coordinator = actor(SHANGHAI)
    app.request_transfer(actor(HANGZHOU), case_id, to=SHANGHAI, reason="r")
    app.accept_transfer(coordinator, case_id)
    action_id = app.propose_joint_action(coordinator, title="Sweep", objective=None, case_ids=[case_id],
                                         participants=[HANGZHOU, SUZHOU]).aggregate_id
    app.join_joint_action(actor(HANGZHOU), action_id)
    for n in range(50):  # versions 3..102: tasks assigned and completed in turn
        task_id = app.assign_joint_task(coordinator, action_id, assignee=HANGZHOU, title=f"Task {n}",
                                        due_at=clock() + timedelta(days=3)).detail
        app.complete_joint_task(actor(HANGZHOU), action_id, task_id=task_id, outcome=f"Done {n}")

    loaded = app.repository.get(action_id)
    rebuilt = replay(list(app.events.get(action_id)))

    assert snapshot_versions(app, action_id) == [100]
    assert loaded.version == 102 and len(loaded.tasks) == 50
    # A snapshot stores tuples as JSON lists; everything else must come back as it was.
    assert tuple(loaded.case_ids) == rebuilt.case_ids
    assert {**state(loaded), "case_ids": None} == {**state(rebuilt), "case_ids": None}
