"""Rows of the joint actions read model (`rm_joint_actions`, its participants and tasks)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class JointActionRow:
    id: str
    title: str
    objective: str | None
    coordinator: str
    status: str  # ACTIVE, CLOSED
    common_position: str | None
    version: int
    proposed_at: datetime
    closed_at: datetime | None


@dataclass(frozen=True)
class JointParticipantRow:
    jurisdiction: str
    status: str  # COORDINATOR, INVITED, JOINED, DECLINED
    reason: str | None


@dataclass(frozen=True)
class JointTaskRow:
    id: str
    title: str
    assignee: str
    due_at: datetime | None
    status: str  # OPEN, COMPLETED
    outcome: str | None
    completed_at: datetime | None
