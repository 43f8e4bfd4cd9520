"""Handlers of the joint-action commands (联动执法)."""

from __future__ import annotations

from uuid import uuid4

from casebridge.application import commands as c
from casebridge.application.command_loop import Attempt, Decision
from casebridge.domain.joint_action import JointAction


def propose_joint_action(on: Attempt, cmd: c.ProposeJointAction) -> Decision:
    for code in cmd.participants:
        on.app.registry.require(code, field="participants")
    # The domain decides who may link a case (its handler only): it needs the cases themselves.
    cases = [on.seen_case(case_id, field="caseIds") for case_id in cmd.case_ids]
    action = JointAction.propose(actor=on.actor, title=cmd.title, objective=cmd.objective, cases=cases,
                                 participants=cmd.participants)
    return Decision([action], action)


def join_joint_action(on: Attempt, cmd: c.JoinJointAction) -> Decision:
    action = on.joint_action(cmd.action_id)
    action.join(on.actor)
    return Decision([action], action)


def decline_joint_action(on: Attempt, cmd: c.DeclineJointAction) -> Decision:
    action = on.joint_action(cmd.action_id)
    action.decline(on.actor, reason=cmd.reason)
    return Decision([action], action)


def assign_joint_task(on: Attempt, cmd: c.AssignJointTask) -> Decision:
    action = on.joint_action(cmd.action_id)
    task_id = uuid4().hex[:12]
    action.assign_task(on.actor, task_id=task_id, title=cmd.title, assignee=cmd.assignee, due_at=cmd.due_at,
                       now=on.app.clock())
    return Decision([action], action, task_id)


def complete_joint_task(on: Attempt, cmd: c.CompleteJointTask) -> Decision:
    action = on.joint_action(cmd.action_id)
    action.complete_task(on.actor, task_id=cmd.task_id, outcome=cmd.outcome)
    return Decision([action], action)


def close_joint_action(on: Attempt, cmd: c.CloseJointAction) -> Decision:
    action = on.joint_action(cmd.action_id)
    action.close(on.actor, common_position=cmd.common_position)
    return Decision([action], action)


HANDLERS = {
    c.ProposeJointAction: propose_joint_action, c.JoinJointAction: join_joint_action,
    c.DeclineJointAction: decline_joint_action, c.AssignJointTask: assign_joint_task,
    c.CompleteJointTask: complete_joint_task, c.CloseJointAction: close_joint_action,
}
