"""A joint action (联动执法): a coordinator jurisdiction runs a cross-jurisdiction action.

The coordinator invites participants and links cases it handles; participants join or decline;
the coordinator assigns tasks; assignees complete them; the coordinator records a
common position and closes the action.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event

from casebridge.domain.errors import (
    InvalidDueDateError,
    InvitationAnsweredError,
    JointActionClosedError,
    NotAssigneeError,
    NotCaseHandlerError,
    NotCoordinatorError,
    NotInvitedError,
    OpenTasksRemainError,
    TaskAlreadyCompletedError,
    TaskNotFoundError,
    ValidationError,
)
from casebridge.domain.values import (
    Actor,
    JointActionStatus,
    ParticipationStatus,
    TaskStatus,
    optional_text,
    text,
)

if TYPE_CHECKING:
    from casebridge.domain.case import Case


@dataclass(frozen=True)
class JointTask:
    id: str
    title: str
    assignee: str
    due_at: datetime | None
    status: TaskStatus = TaskStatus.OPEN
    outcome: str | None = None


class JointAction(Aggregate):
    class Event(Aggregate.Event):
        actor: Actor

    class Proposed(Aggregate.Created, Event):
        coordinator: str
        title: str
        objective: str | None
        case_ids: tuple[UUID, ...]
        participants: tuple[str, ...]

    class ParticipantJoined(Event):
        jurisdiction: str

    class ParticipantDeclined(Event):
        jurisdiction: str
        reason: str

    class TaskAssigned(Event):
        task_id: str
        title: str
        assignee: str
        due_at: datetime | None

    class TaskCompleted(Event):
        task_id: str
        outcome: str

    class Closed(Event):
        common_position: str | None

    # -- commands ---------------------------------------------------------------------------

    @classmethod
    def propose(
        cls, *, actor: Actor, title: str, objective: str | None, cases: Sequence[Case],
        participants: tuple[str, ...], id: UUID | None = None,
    ) -> JointAction:
        """`cases`: the linked cases as they stand now. Linking a case shares it with every
        participant that joins, so only its handling jurisdiction may link it."""
        invited = tuple(dict.fromkeys(p for p in participants if p != actor.jurisdiction))
        if not invited:
            raise ValidationError("a joint action needs at least one other participating jurisdiction", field="participants")
        if not cases:
            raise ValidationError("a joint action needs at least one case", field="caseIds")
        if any(case.handling_jurisdiction != actor.jurisdiction for case in cases):
            raise NotCaseHandlerError()
        return cls(
            actor=actor, coordinator=actor.jurisdiction, title=text(title, "title", limit=300),
            objective=optional_text(objective, "objective", limit=10_000),
            case_ids=tuple(dict.fromkeys(case.id for case in cases)), participants=invited, id=id or uuid4(),
        )

    def join(self, actor: Actor) -> None:
        self._require_active()
        self._require_unanswered_invitation(actor)
        self._participant_joined(actor=actor, jurisdiction=actor.jurisdiction)

    def decline(self, actor: Actor, *, reason: str) -> None:
        self._require_active()
        self._require_unanswered_invitation(actor)
        self._participant_declined(actor=actor, jurisdiction=actor.jurisdiction, reason=text(reason, "reason", limit=4000))

    def assign_task(self, actor: Actor, *, task_id: str, title: str, assignee: str, due_at: datetime | None, now: datetime) -> None:
        self._require_active()
        self._require_coordinator(actor)
        if assignee != self.coordinator and self.participants.get(assignee) is not ParticipationStatus.JOINED:
            raise ValidationError("tasks go to the coordinator or to a jurisdiction that has joined", field="assignee")
        if due_at is not None and (due_at.tzinfo is None or due_at <= now):
            raise InvalidDueDateError("dueAt must be in the future, with a time zone", field="dueAt")
        self._task_assigned(actor=actor, task_id=task_id, title=text(title, "title", limit=300), assignee=assignee, due_at=due_at)

    def complete_task(self, actor: Actor, *, task_id: str, outcome: str) -> None:
        self._require_active()
        task = self.tasks.get(task_id)
        if task is None:
            raise TaskNotFoundError(task_id)
        if actor.jurisdiction != task.assignee:
            raise NotAssigneeError()
        if task.status is TaskStatus.COMPLETED:
            raise TaskAlreadyCompletedError()
        self._task_completed(actor=actor, task_id=task_id, outcome=text(outcome, "outcome", limit=10_000))

    def close(self, actor: Actor, *, common_position: str | None) -> None:
        self._require_active()
        self._require_coordinator(actor)
        open_tasks = [t.id for t in self.tasks.values() if t.status is TaskStatus.OPEN]
        if open_tasks:
            raise OpenTasksRemainError(f"{len(open_tasks)} task(s) are still open; complete them before closing")
        self._closed(actor=actor, common_position=optional_text(common_position, "commonPosition", limit=10_000))

    # -- queries / guards ---------------------------------------------------------------------

    def involves(self, jurisdiction: str) -> bool:
        """May `jurisdiction` see the action (the invitation)? Its cases: domain/access.py."""
        return jurisdiction == self.coordinator or jurisdiction in self.participants

    def _require_active(self) -> None:
        if self.status is JointActionStatus.CLOSED:
            raise JointActionClosedError()

    def _require_coordinator(self, actor: Actor) -> None:
        if actor.jurisdiction != self.coordinator:
            raise NotCoordinatorError()

    def _require_unanswered_invitation(self, actor: Actor) -> None:
        status = self.participants.get(actor.jurisdiction)
        if status is None:
            raise NotInvitedError()
        if status is not ParticipationStatus.INVITED:
            raise InvitationAnsweredError(status.value)

    # -- events ---------------------------------------------------------------------------------

    @event(Proposed)
    def __init__(
        self, *, id: UUID, actor: Actor, coordinator: str, title: str, objective: str | None,
        case_ids: tuple[UUID, ...], participants: tuple[str, ...],
    ) -> None:
        self.coordinator = coordinator
        self.title = title
        self.objective = objective
        self.case_ids = tuple(case_ids)
        self.participants: dict[str, ParticipationStatus] = {p: ParticipationStatus.INVITED for p in participants}
        self.tasks: dict[str, JointTask] = {}
        self.status = JointActionStatus.ACTIVE
        self.common_position: str | None = None

    @event(ParticipantJoined)
    def _participant_joined(self, *, actor: Actor, jurisdiction: str) -> None:
        self.participants[jurisdiction] = ParticipationStatus.JOINED

    @event(ParticipantDeclined)
    def _participant_declined(self, *, actor: Actor, jurisdiction: str, reason: str) -> None:
        self.participants[jurisdiction] = ParticipationStatus.DECLINED

    @event(TaskAssigned)
    def _task_assigned(self, *, actor: Actor, task_id: str, title: str, assignee: str, due_at: datetime | None) -> None:
        self.tasks[task_id] = JointTask(id=task_id, title=title, assignee=assignee, due_at=due_at)

    @event(TaskCompleted)
    def _task_completed(self, *, actor: Actor, task_id: str, outcome: str) -> None:
        self.tasks[task_id] = replace(self.tasks[task_id], status=TaskStatus.COMPLETED, outcome=outcome)

    @event(Closed)
    def _closed(self, *, actor: Actor, common_position: str | None) -> None:
        self.status = JointActionStatus.CLOSED
        self.common_position = common_position
