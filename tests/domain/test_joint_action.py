"""The JointAction aggregate (联动执法): given / when / then, no I/O."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest
from domain.helpers import (
    HANGZHOU,
    NINGBO,
    NOW,
    SHANGHAI,
    SUZHOU,
    ZHEJIANG,
    actor,
    assert_not_created,
    assert_refused,
    given_assigned_task,
    given_case,
    given_joint_action,
    given_disputed_transfer,
    given_pending_transfer,
    given_transferred_case,
    only_event,
    propose_joint_action,
    replay,
    state,
)

from casebridge.domain.errors import (
    NotCaseHandlerError,
    BlankFieldError,
    InvalidDueDateError,
    InvitationAnsweredError,
    JointActionClosedError,
    NotAssigneeError,
    NotCoordinatorError,
    NotInvitedError,
    OpenTasksRemainError,
    TaskAlreadyCompletedError,
    TaskNotFoundError,
    ValidationError,
)
from casebridge.domain.joint_action import JointAction, JointTask
from casebridge.domain.values import JointActionStatus, ParticipationStatus, TaskStatus

DUE = NOW + timedelta(days=7)


def given_closed_action() -> JointAction:
    action = given_joint_action(joined=(HANGZHOU,))
    action.close(actor(SHANGHAI), common_position="Joint penalty decision")
    action.collect_events()
    return action


# -- propose -------------------------------------------------------------------------------------------------


def test_proposing_invites_the_other_jurisdictions_once_each():
    case_a, case_b = given_case(SHANGHAI), given_case(SHANGHAI)
    action = JointAction.propose(
        actor=actor(SHANGHAI), title=" Power bank sweep ", objective="  ", cases=(case_a, case_b, case_a),
        participants=(HANGZHOU, SHANGHAI, SUZHOU, HANGZHOU),
    )

    proposed = only_event(action)
    assert isinstance(proposed, JointAction.Proposed)
    assert (proposed.coordinator, proposed.title, proposed.objective) == (SHANGHAI, "Power bank sweep", None)
    assert proposed.case_ids == (case_a.id, case_b.id)
    assert proposed.participants == (HANGZHOU, SUZHOU)
    assert action.participants == {HANGZHOU: ParticipationStatus.INVITED, SUZHOU: ParticipationStatus.INVITED}
    assert action.status is JointActionStatus.ACTIVE
    assert action.involves(SHANGHAI) and action.involves(SUZHOU) and not action.involves(NINGBO)


@pytest.mark.parametrize("participants", [(), (SHANGHAI,), (SHANGHAI, SHANGHAI)])
def test_a_joint_action_needs_another_participating_jurisdiction(participants):
    assert_not_created(lambda: propose_joint_action(SHANGHAI, participants), ValidationError, code="VALIDATION", field="participants")


def test_a_joint_action_needs_a_case_and_a_title():
    def propose(**overrides):
        args = {"actor": actor(SHANGHAI), "title": "Sweep", "objective": None, "cases": (given_case(SHANGHAI),),
                "participants": (SUZHOU,)}
        return JointAction.propose(**{**args, **overrides})

    assert_not_created(lambda: propose(cases=()), ValidationError, code="VALIDATION", field="caseIds")
    assert_not_created(lambda: propose(title=""), BlankFieldError, code="VALIDATION", field="title")


def _seen_read_only() -> dict[str, tuple[str, object]]:
    """Cases a jurisdiction sees but does not handle: (the viewer, the case)."""
    disputed = given_disputed_transfer(sender=HANGZHOU, to=SHANGHAI)
    return {
        "pending transfer target": (SHANGHAI, given_pending_transfer(sender=HANGZHOU, to=SHANGHAI)),
        "target that disputed the transfer": (SHANGHAI, disputed),
        "former handler": (HANGZHOU, given_transferred_case(sender=HANGZHOU, receiver=SHANGHAI)),
        "supervising ancestor": (ZHEJIANG, given_case(HANGZHOU)),
    }


@pytest.mark.parametrize("who", ["pending transfer target", "target that disputed the transfer", "former handler",
                                 "supervising ancestor"])
def test_only_the_handling_jurisdiction_links_its_case_into_a_joint_action(who):
    viewer, case = _seen_read_only()[who]

    assert_not_created(
        lambda: JointAction.propose(actor=actor(viewer), title="Sweep", objective=None, cases=(case,), participants=(SUZHOU,)),
        NotCaseHandlerError, code="FORBIDDEN", field="caseIds")


def test_one_case_the_proposer_does_not_handle_refuses_the_whole_proposal():
    mine, theirs = given_case(SHANGHAI), given_transferred_case(sender=SHANGHAI, receiver=HANGZHOU)

    assert_not_created(
        lambda: JointAction.propose(actor=actor(SHANGHAI), title="Sweep", objective=None, cases=(mine, theirs),
                                    participants=(SUZHOU,)),
        NotCaseHandlerError, code="FORBIDDEN", field="caseIds")


# -- join and decline ---------------------------------------------------------------------------------------------


def test_an_invited_jurisdiction_joins():
    action = given_joint_action()

    action.join(actor(HANGZHOU))

    joined = only_event(action)
    assert isinstance(joined, JointAction.ParticipantJoined)
    assert joined.jurisdiction == HANGZHOU
    assert action.participants[HANGZHOU] is ParticipationStatus.JOINED
    assert action.participants[SUZHOU] is ParticipationStatus.INVITED


def test_an_invited_jurisdiction_declines_with_a_reason():
    action = given_joint_action()

    action.decline(actor(SUZHOU), reason="No staff free that week")

    declined = only_event(action)
    assert isinstance(declined, JointAction.ParticipantDeclined)
    assert (declined.jurisdiction, declined.reason) == (SUZHOU, "No staff free that week")
    assert action.participants[SUZHOU] is ParticipationStatus.DECLINED


def test_declining_needs_a_reason():
    action = given_joint_action()
    assert_refused(action, lambda: action.decline(actor(SUZHOU), reason=" "), BlankFieldError, code="VALIDATION", field="reason")


@pytest.mark.parametrize("who", [NINGBO, SHANGHAI], ids=["outsider", "coordinator"])
def test_only_an_invited_jurisdiction_joins_or_declines(who):
    action = given_joint_action()
    assert_refused(action, lambda: action.join(actor(who)), NotInvitedError, code="FORBIDDEN")
    assert_refused(action, lambda: action.decline(actor(who), reason="r"), NotInvitedError, code="FORBIDDEN")


@pytest.mark.parametrize("who", [HANGZHOU, SUZHOU], ids=["joined", "declined"])
def test_an_invitation_is_answered_only_once(who):
    action = given_joint_action(joined=(HANGZHOU,))
    action.decline(actor(SUZHOU), reason="Busy")
    action.collect_events()

    assert_refused(action, lambda: action.join(actor(who)), InvitationAnsweredError, code="INVALID_STATE")
    assert_refused(action, lambda: action.decline(actor(who), reason="r"), InvitationAnsweredError, code="INVALID_STATE")


# -- tasks -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("assignee", [HANGZHOU, SHANGHAI], ids=["joined", "coordinator"])
def test_the_coordinator_assigns_a_task_to_itself_or_a_joined_jurisdiction(assignee):
    action = given_joint_action(joined=(HANGZHOU,))

    action.assign_task(actor(SHANGHAI), task_id="t1", title="Inspect the depot", assignee=assignee, due_at=DUE, now=NOW)

    assigned = only_event(action)
    assert isinstance(assigned, JointAction.TaskAssigned)
    assert (assigned.task_id, assigned.title, assigned.assignee, assigned.due_at) == ("t1", "Inspect the depot", assignee, DUE)
    assert action.tasks == {"t1": JointTask(id="t1", title="Inspect the depot", assignee=assignee, due_at=DUE)}


def test_a_task_may_have_no_due_date():
    action = given_joint_action(joined=(HANGZHOU,))
    action.assign_task(actor(SHANGHAI), task_id="t1", title="Collect samples", assignee=HANGZHOU, due_at=None, now=NOW)
    assert only_event(action).due_at is None


def test_only_the_coordinator_assigns_tasks():
    action = given_joint_action(joined=(HANGZHOU,))
    assert_refused(action, lambda: action.assign_task(actor(HANGZHOU), task_id="t", title="t", assignee=HANGZHOU, due_at=None, now=NOW),
                   NotCoordinatorError, code="FORBIDDEN")


@pytest.mark.parametrize("assignee", [SUZHOU, NINGBO, "999999"], ids=["invited", "outsider", "unknown"])
def test_a_task_goes_only_to_the_coordinator_or_a_joined_jurisdiction(assignee):
    action = given_joint_action(joined=(HANGZHOU,))
    assert_refused(action, lambda: action.assign_task(actor(SHANGHAI), task_id="t", title="t", assignee=assignee, due_at=None, now=NOW),
                   ValidationError, code="VALIDATION", field="assignee")


def test_a_declined_jurisdiction_gets_no_task():
    action = given_joint_action()
    action.decline(actor(SUZHOU), reason="Busy")
    action.collect_events()
    assert_refused(action, lambda: action.assign_task(actor(SHANGHAI), task_id="t", title="t", assignee=SUZHOU, due_at=None, now=NOW),
                   ValidationError, code="VALIDATION", field="assignee")


@pytest.mark.parametrize("due_at", [NOW, NOW - timedelta(hours=1), DUE.replace(tzinfo=None)], ids=["now", "past", "naive"])
def test_a_task_due_date_must_be_future_and_tz_aware(due_at):
    action = given_joint_action(joined=(HANGZHOU,))
    assert_refused(action, lambda: action.assign_task(actor(SHANGHAI), task_id="t", title="t", assignee=HANGZHOU, due_at=due_at, now=NOW),
                   InvalidDueDateError, code="VALIDATION", field="dueAt")


def test_the_assignee_completes_its_task():
    action = given_assigned_task(assignee=HANGZHOU, task_id="t1")

    action.complete_task(actor(HANGZHOU), task_id="t1", outcome=" 1,200 units seized ")

    completed = only_event(action)
    assert isinstance(completed, JointAction.TaskCompleted)
    assert (completed.task_id, completed.outcome) == ("t1", "1,200 units seized")
    assert action.tasks["t1"].status is TaskStatus.COMPLETED
    assert action.tasks["t1"].outcome == "1,200 units seized"


@pytest.mark.parametrize("who", [SHANGHAI, SUZHOU], ids=["coordinator", "other participant"])
def test_only_the_assignee_completes_a_task(who):
    action = given_assigned_task(assignee=HANGZHOU, task_id="t1")
    assert_refused(action, lambda: action.complete_task(actor(who), task_id="t1", outcome="done"), NotAssigneeError, code="FORBIDDEN")


def test_completing_an_unknown_task_is_not_found():
    action = given_assigned_task(task_id="t1")
    assert_refused(action, lambda: action.complete_task(actor(HANGZHOU), task_id="nope", outcome="done"),
                   TaskNotFoundError, code="NOT_FOUND", field="taskId")


def test_a_completed_task_is_not_completed_again():
    action = given_assigned_task(assignee=HANGZHOU, task_id="t1")
    action.complete_task(actor(HANGZHOU), task_id="t1", outcome="done")
    action.collect_events()
    assert_refused(action, lambda: action.complete_task(actor(HANGZHOU), task_id="t1", outcome="again"),
                   TaskAlreadyCompletedError, code="INVALID_STATE")


def test_completing_needs_an_outcome():
    action = given_assigned_task(assignee=HANGZHOU, task_id="t1")
    assert_refused(action, lambda: action.complete_task(actor(HANGZHOU), task_id="t1", outcome=""),
                   BlankFieldError, code="VALIDATION", field="outcome")


# -- close ------------------------------------------------------------------------------------------------------------


def test_the_coordinator_closes_with_a_common_position():
    action = given_assigned_task(assignee=HANGZHOU, task_id="t1")
    action.complete_task(actor(HANGZHOU), task_id="t1", outcome="done")
    action.collect_events()

    action.close(actor(SHANGHAI), common_position="Each jurisdiction fines its own sellers")

    closed = only_event(action)
    assert isinstance(closed, JointAction.Closed)
    assert closed.common_position == "Each jurisdiction fines its own sellers"
    assert action.status is JointActionStatus.CLOSED


def test_an_action_with_open_tasks_is_not_closed():
    action = given_assigned_task(assignee=HANGZHOU, task_id="t1")
    assert_refused(action, lambda: action.close(actor(SHANGHAI), common_position=None), OpenTasksRemainError, code="INVALID_STATE")


def test_only_the_coordinator_closes():
    action = given_joint_action(joined=(HANGZHOU,))
    assert_refused(action, lambda: action.close(actor(HANGZHOU), common_position=None), NotCoordinatorError, code="FORBIDDEN")


@pytest.mark.parametrize(
    "command",
    [
        lambda a: a.join(actor(SUZHOU)),
        lambda a: a.decline(actor(SUZHOU), reason="r"),
        lambda a: a.assign_task(actor(SHANGHAI), task_id="t", title="t", assignee=HANGZHOU, due_at=None, now=NOW),
        lambda a: a.complete_task(actor(HANGZHOU), task_id="t", outcome="o"),
        lambda a: a.close(actor(SHANGHAI), common_position=None),
    ],
    ids=["join", "decline", "assign", "complete", "close"],
)
def test_a_closed_action_refuses_everything(command):
    action = given_closed_action()
    assert_refused(action, lambda: command(action), JointActionClosedError, code="INVALID_STATE")


# -- replay -------------------------------------------------------------------------------------------------------------


def test_folding_the_events_of_a_long_history_rebuilds_an_equal_action():
    action = propose_joint_action(SHANGHAI, (HANGZHOU, SUZHOU, NINGBO))
    coordinator = actor(SHANGHAI)
    action.join(actor(HANGZHOU))
    action.join(actor(SUZHOU))
    action.decline(actor(NINGBO), reason="Busy")
    for n, assignee in enumerate((HANGZHOU, SUZHOU, SHANGHAI, HANGZHOU)):
        action.assign_task(coordinator, task_id=f"t{n}", title=f"Task {n}", assignee=assignee,
                           due_at=DUE + timedelta(days=n) if n % 2 else None, now=NOW)
    for n, assignee in enumerate((HANGZHOU, SUZHOU, SHANGHAI, HANGZHOU)):
        action.complete_task(actor(assignee), task_id=f"t{n}", outcome=f"Outcome {n}")
    action.close(coordinator, common_position="Joint press release")
    events = action.collect_events()

    rebuilt = replay(events)

    assert len(events) == 13 and rebuilt.version == 13
    assert state(rebuilt) == state(action)
    assert all(t.status is TaskStatus.COMPLETED for t in rebuilt.tasks.values())
