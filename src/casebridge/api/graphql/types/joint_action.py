"""Joint actions (联动执法): a coordinator and invited jurisdictions working cases together."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import Info, Parent

from casebridge.api.graphql.types.enums import JointActionParticipantStatus, JointActionStatus, JointTaskStatus
from casebridge.api.graphql.types.jurisdiction import Jurisdiction, jurisdiction_of
from casebridge.domain.access import sees_invitation
from casebridge.domain.values import ParticipationStatus

if TYPE_CHECKING:
    from casebridge.api.graphql.types.case import Case
    from casebridge.projections.joint_actions import LinkedCaseRow
    from casebridge.projections.rows.joint_actions import JointActionRow, JointTaskRow

CaseRef = Annotated["Case", strawberry.lazy("casebridge.api.graphql.types.case")]


@strawberry.type(description="A jurisdiction's part in a joint action.")
class JointActionParticipant:
    jurisdiction: Jurisdiction
    status: JointActionParticipantStatus
    reason: str | None = strawberry.field(description="Why an invitee declined.")


def _assignee(root: Parent[JointTaskRow], info: Info) -> Jurisdiction:
    return jurisdiction_of(info, root.assignee)


@strawberry.type(description="A task of a joint action, assigned to one jurisdiction.")
class JointTask:
    id: strawberry.ID
    title: str
    assignee: Jurisdiction = strawberry.field(resolver=_assignee)
    status: JointTaskStatus
    due_at: datetime | None
    outcome: str | None
    completed_at: datetime | None


def _coordinator(root: Parent[JointActionRow], info: Info) -> Jurisdiction:
    return jurisdiction_of(info, root.coordinator)


def _participants(root: Parent[JointActionRow], info: Info) -> list[JointActionParticipant]:
    jurisdiction = info.context.services.jurisdiction
    return [JointActionParticipant(jurisdiction=jurisdiction(p.jurisdiction), status=p.status, reason=p.reason)  # type: ignore[arg-type]
            for p in info.context.loaders.action_participants.load(root.id)]


def _cases(root: Parent[JointActionRow], info: Info) -> list[CaseRef]:
    loaders = info.context.loaders
    return loaders.visible_cases(loaders.action_case_ids.load(root.id))


def _linked_case(root: Parent[LinkedCaseRow], info: Info) -> CaseRef | None:
    return info.context.loaders.case.load(root.case_id)


@strawberry.type(description="A case linked into a joint action, as its invitation names it.")
class LinkedCase:
    reference: str
    title: str
    case: CaseRef | None = strawberry.field(
        resolver=_linked_case, description="The case itself: null until your jurisdiction may see it (an invitee: once it joins).")


def _linked_cases(root: Parent[JointActionRow], info: Info) -> list[LinkedCase]:
    loaders = info.context.loaders
    status = next((p.status for p in loaders.action_participants.load(root.id) if p.jurisdiction == loaders.jurisdiction), None)
    if status is None or not sees_invitation(ParticipationStatus(status)):
        return []
    return loaders.action_linked_cases.load(root.id)  # type: ignore[return-value]


def _tasks(root: Parent[JointActionRow], info: Info) -> list[JointTask]:
    return info.context.loaders.action_tasks.load(root.id)


@strawberry.type(description="A joint action, visible to its coordinator and invited jurisdictions.")
class JointAction:
    id: strawberry.ID
    title: str
    objective: str | None
    coordinator: Jurisdiction = strawberry.field(resolver=_coordinator)
    participants: list[JointActionParticipant] = strawberry.field(resolver=_participants)
    cases: list[CaseRef] = strawberry.field(
        resolver=_cases, description="The included cases your jurisdiction may see (an invitee: none until it joins).")
    linked_cases: list[LinkedCase] = strawberry.field(
        resolver=_linked_cases,
        description="Every included case by reference and title, for the coordinator and the invitees that have not declined.")
    tasks: list[JointTask] = strawberry.field(resolver=_tasks)
    status: JointActionStatus
    common_position: str | None
    version: int
    proposed_at: datetime
    closed_at: datetime | None


@strawberry.type
class JointActionEdge:
    cursor: str
    node: JointAction


@strawberry.type(description="A page of joint actions, newest first.")
class JointActionConnection:
    edges: list[JointActionEdge]
    page_info: JointActionPageInfo


@strawberry.type
class JointActionPageInfo:
    has_next_page: bool
    end_cursor: str | None
