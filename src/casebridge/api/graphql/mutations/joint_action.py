"""Mutations of joint actions (联动执法): propose, join, decline, assign and complete tasks,
close. All need `joint-actions:write`."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import Info

from casebridge.api.graphql.mutations.common import (
    CLIENT_MUTATION_ID,
    EXPECTED_VERSION,
    NOT_APPLICABLE_VERSION,
    read_joint_action,
    result_union,
    run,
    uuid_of,
)
from casebridge.api.graphql.types.joint_action import JointAction, JointTask
from casebridge.application.errors import CaseNotFoundError, JointActionNotFoundError

WRITE = "joint-actions:write"


def _action_id(value: str):
    return uuid_of(value, JointActionNotFoundError)


@strawberry.input
class ProposeJointActionInput:
    title: str
    objective: str | None = None
    case_ids: list[strawberry.ID]
    participants: list[str] = strawberry.field(description="Codes of the jurisdictions invited to take part.")
    expected_version: int | None = strawberry.field(default=None, description=NOT_APPLICABLE_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.type
class ProposeJointActionSuccess:
    joint_action: JointAction
    client_mutation_id: str | None


ProposeJointActionResult = result_union("ProposeJointAction", ProposeJointActionSuccess)


def propose_joint_action(info: Info, input: ProposeJointActionInput) -> ProposeJointActionResult:
    return run(info, WRITE,
               lambda app, actor: app.propose_joint_action(
                   actor, title=input.title, objective=input.objective,
                   case_ids=[uuid_of(i, lambda: CaseNotFoundError("caseIds")) for i in input.case_ids],
                   participants=list(input.participants), command_id=input.client_mutation_id),
               lambda context, result: ProposeJointActionSuccess(
                   joint_action=read_joint_action(context, result), client_mutation_id=input.client_mutation_id))


@strawberry.input
class JoinJointActionInput:
    joint_action_id: strawberry.ID
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.type
class JoinJointActionSuccess:
    joint_action: JointAction
    client_mutation_id: str | None


JoinJointActionResult = result_union("JoinJointAction", JoinJointActionSuccess)


def join_joint_action(info: Info, input: JoinJointActionInput) -> JoinJointActionResult:
    return run(info, WRITE,
               lambda app, actor: app.join_joint_action(
                   actor, _action_id(input.joint_action_id),
                   expected_version=input.expected_version, command_id=input.client_mutation_id),
               lambda context, result: JoinJointActionSuccess(
                   joint_action=read_joint_action(context, result), client_mutation_id=input.client_mutation_id))


@strawberry.input
class DeclineJointActionInput:
    joint_action_id: strawberry.ID
    reason: str
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.type
class DeclineJointActionSuccess:
    joint_action: JointAction
    client_mutation_id: str | None


DeclineJointActionResult = result_union("DeclineJointAction", DeclineJointActionSuccess)


def decline_joint_action(info: Info, input: DeclineJointActionInput) -> DeclineJointActionResult:
    return run(info, WRITE,
               lambda app, actor: app.decline_joint_action(
                   actor, _action_id(input.joint_action_id), reason=input.reason,
                   expected_version=input.expected_version, command_id=input.client_mutation_id),
               lambda context, result: DeclineJointActionSuccess(
                   joint_action=read_joint_action(context, result), client_mutation_id=input.client_mutation_id))


@strawberry.input
class AssignJointTaskInput:
    joint_action_id: strawberry.ID
    assignee: str = strawberry.field(description="The code of the coordinator or of a jurisdiction that joined.")
    title: str
    due_at: datetime | None = None
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.type
class AssignJointTaskSuccess:
    joint_action: JointAction
    task: JointTask | None = strawberry.field(description="The task just assigned.")
    client_mutation_id: str | None


AssignJointTaskResult = result_union("AssignJointTask", AssignJointTaskSuccess)


def assign_joint_task(info: Info, input: AssignJointTaskInput) -> AssignJointTaskResult:
    def present(context, result):
        action = read_joint_action(context, result)
        tasks = [t for t in context.loaders.action_tasks.load(action.id) if t.id == result.detail] if action else []
        return AssignJointTaskSuccess(joint_action=action, task=tasks[0] if tasks else None,
                                      client_mutation_id=input.client_mutation_id)

    return run(info, WRITE,
               lambda app, actor: app.assign_joint_task(
                   actor, _action_id(input.joint_action_id), assignee=input.assignee, title=input.title,
                   due_at=input.due_at, expected_version=input.expected_version, command_id=input.client_mutation_id),
               present)


@strawberry.input
class CompleteJointTaskInput:
    joint_action_id: strawberry.ID
    task_id: strawberry.ID
    outcome: str
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.type
class CompleteJointTaskSuccess:
    joint_action: JointAction
    client_mutation_id: str | None


CompleteJointTaskResult = result_union("CompleteJointTask", CompleteJointTaskSuccess)


def complete_joint_task(info: Info, input: CompleteJointTaskInput) -> CompleteJointTaskResult:
    return run(info, WRITE,
               lambda app, actor: app.complete_joint_task(
                   actor, _action_id(input.joint_action_id), task_id=str(input.task_id), outcome=input.outcome,
                   expected_version=input.expected_version, command_id=input.client_mutation_id),
               lambda context, result: CompleteJointTaskSuccess(
                   joint_action=read_joint_action(context, result), client_mutation_id=input.client_mutation_id))


@strawberry.input
class CloseJointActionInput:
    joint_action_id: strawberry.ID
    common_position: str | None = strawberry.field(default=None, description="The position the participants agreed on.")
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.type
class CloseJointActionSuccess:
    joint_action: JointAction
    client_mutation_id: str | None


CloseJointActionResult = result_union("CloseJointAction", CloseJointActionSuccess)


def close_joint_action(info: Info, input: CloseJointActionInput) -> CloseJointActionResult:
    return run(info, WRITE,
               lambda app, actor: app.close_joint_action(
                   actor, _action_id(input.joint_action_id), common_position=input.common_position,
                   expected_version=input.expected_version, command_id=input.client_mutation_id),
               lambda context, result: CloseJointActionSuccess(
                   joint_action=read_joint_action(context, result), client_mutation_id=input.client_mutation_id))
