"""Every command CaseBridge accepts, as one frozen value (cosmicpython's `commands.py`).

A command's type is its name and its fields are its arguments; the idempotency fingerprint is
derived from both (`Command.fingerprint`), so a field cannot be left out of replay detection.
How a command is delivered is not part of it: the actor, `expected_version` and the
idempotency key travel beside it (`CaseBridge.handle`).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar
from uuid import UUID

from casebridge.application.idempotency import fingerprint
from casebridge.domain.lead import DeclineToFileReason, LeadSource, Reporter
from casebridge.domain.values import (
    CaseCategory,
    CaseClockPauseReason,
    CaseOutcome,
    EvidenceItem,
    OutcomeDetails,
    RefusalReason,
    Subject,
)


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


@dataclass(frozen=True)
class Command:
    """Base of all commands. `creates` names commands that make a new aggregate (for them,
    an expected version means nothing: there is no earlier version to compare)."""

    creates: ClassVar[bool] = False

    @classmethod
    def name(cls) -> str:
        """`OpenCase` -> `open_case`: the name stored in idempotency records."""
        return _snake(cls.__name__)

    def arguments(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    def fingerprint(self) -> str:
        return fingerprint(self.name(), self.arguments())


# -- cases ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenCase(Command):
    creates: ClassVar[bool] = True
    title: str
    summary: str
    subject: Subject
    category: CaseCategory
    legal_basis: str | None = None
    reference: str | None = None


@dataclass(frozen=True)
class CaseCommand(Command):
    case_id: UUID


@dataclass(frozen=True)
class ReviseCase(CaseCommand):
    title: str | None = None
    summary: str | None = None
    category: CaseCategory | None = None
    legal_basis: str | None = None


@dataclass(frozen=True)
class RequestTransfer(CaseCommand):
    to: str
    reason: str


@dataclass(frozen=True)
class AcceptTransfer(CaseCommand):
    pass


@dataclass(frozen=True)
class DeclineTransfer(CaseCommand):
    reason: str


@dataclass(frozen=True)
class WithdrawTransfer(CaseCommand):
    pass


@dataclass(frozen=True)
class DesignateJurisdiction(CaseCommand):
    jurisdiction: str
    reason: str


@dataclass(frozen=True)
class AddEvidence(CaseCommand):
    item: EvidenceItem


@dataclass(frozen=True)
class CloseCase(CaseCommand):
    outcome: CaseOutcome
    summary: str | None = None
    details: OutcomeDetails | None = None

    def arguments(self) -> dict[str, Any]:
        # Without details, the fingerprint of records stored before outcomes had details.
        arguments = super().arguments()
        if arguments["details"] is None:
            del arguments["details"]
        return arguments


@dataclass(frozen=True)
class ReopenCase(CaseCommand):
    reason: str


# -- case lifecycle (issue 11: superiors, decision clock, suspension) -----------------------------


@dataclass(frozen=True)
class TakeOverCase(CaseCommand):
    reason: str


@dataclass(frozen=True)
class AssignCase(CaseCommand):
    jurisdiction: str
    reason: str


@dataclass(frozen=True)
class ExtendDecisionPeriod(CaseCommand):
    approver: str
    reason: str
    days: int | None = None
    collective_decision: str | None = None


@dataclass(frozen=True)
class PauseCaseClock(CaseCommand):
    reason: CaseClockPauseReason
    detail: str | None = None


@dataclass(frozen=True)
class ResumeCaseClock(CaseCommand):
    pass


@dataclass(frozen=True)
class SuspendCase(CaseCommand):
    reason: str


@dataclass(frozen=True)
class ResumeCase(CaseCommand):
    reason: str | None = None


# -- evidence requests (协助调查) ---------------------------------------------------------------------


@dataclass(frozen=True)
class RequestEvidence(Command):
    creates: ClassVar[bool] = True
    case_id: UUID
    requested: str
    description: str
    legal_basis: str | None = None
    due_at: datetime | None = None  # None: the default due period from today, China time


@dataclass(frozen=True)
class EvidenceRequestCommand(Command):
    request_id: UUID


@dataclass(frozen=True)
class AcknowledgeEvidenceRequest(EvidenceRequestCommand):
    pass


@dataclass(frozen=True)
class ExtendEvidenceRequest(EvidenceRequestCommand):
    due_at: datetime
    reason: str


@dataclass(frozen=True)
class FulfilEvidenceRequest(EvidenceRequestCommand):
    items: tuple[EvidenceItem, ...]
    note: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", tuple(self.items))


@dataclass(frozen=True)
class RefuseEvidenceRequest(EvidenceRequestCommand):
    reason: RefusalReason
    detail: str | None = None
    competent_jurisdiction: str | None = None  # OUTSIDE_COMPETENCE: the office that is, when known

    def arguments(self) -> dict[str, Any]:
        # Added later: left out when unset, so a key recorded before it existed still replays.
        arguments = super().arguments()
        if arguments["competent_jurisdiction"] is None:
            del arguments["competent_jurisdiction"]
        return arguments


@dataclass(frozen=True)
class AskClarification(EvidenceRequestCommand):
    question: str


@dataclass(frozen=True)
class AnswerClarification(EvidenceRequestCommand):
    answer: str


@dataclass(frozen=True)
class WithdrawEvidenceRequest(EvidenceRequestCommand):
    reason: str | None = None


# -- leads (线索) -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterLead(Command):
    creates: ClassVar[bool] = True
    source: LeadSource
    subject: Subject
    findings: str
    reporter: Reporter | None = None


@dataclass(frozen=True)
class RegisterLeads(Command):
    """Several leads at once, all or none (e.g. a monitoring sweep)."""

    creates: ClassVar[bool] = True
    leads: tuple[RegisterLead, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "leads", tuple(self.leads))

    def arguments(self) -> dict[str, Any]:
        return {"leads": [lead.arguments() for lead in self.leads]}


@dataclass(frozen=True)
class LeadCommand(Command):
    lead_id: UUID


@dataclass(frozen=True)
class ExtendLeadCheck(LeadCommand):
    approval: str


@dataclass(frozen=True)
class PauseLeadClock(LeadCommand):
    reason: str


@dataclass(frozen=True)
class ResumeLeadClock(LeadCommand):
    reason: str


@dataclass(frozen=True)
class FileCase(LeadCommand):
    filing_number: str
    filing_date: date
    title: str
    category: CaseCategory
    summary: str | None = None  # None: the lead's findings
    legal_basis: str | None = None
    reference: str | None = None


@dataclass(frozen=True)
class DeclineToFile(LeadCommand):
    reason: DeclineToFileReason
    detail: str | None = None


@dataclass(frozen=True)
class RecordReporterNotified(LeadCommand):
    method: str


@dataclass(frozen=True)
class EraseReporter(LeadCommand):
    pass


# -- joint actions (联动执法) ------------------------------------------------------------------------


@dataclass(frozen=True)
class ProposeJointAction(Command):
    creates: ClassVar[bool] = True
    title: str
    objective: str | None
    case_ids: tuple[UUID, ...]
    participants: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "case_ids", tuple(self.case_ids))
        object.__setattr__(self, "participants", tuple(self.participants))


@dataclass(frozen=True)
class JointActionCommand(Command):
    action_id: UUID


@dataclass(frozen=True)
class JoinJointAction(JointActionCommand):
    pass


@dataclass(frozen=True)
class DeclineJointAction(JointActionCommand):
    reason: str


@dataclass(frozen=True)
class AssignJointTask(JointActionCommand):
    assignee: str
    title: str
    due_at: datetime | None = None


@dataclass(frozen=True)
class CompleteJointTask(JointActionCommand):
    task_id: str
    outcome: str


@dataclass(frozen=True)
class CloseJointAction(JointActionCommand):
    common_position: str | None = None
