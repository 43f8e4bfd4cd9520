"""Evidence (assistance) requests, 协助调查: one jurisdiction asks another for evidence."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import Info, Parent

from casebridge.api.graphql.types.enums import EvidenceRequestStatus, RefusalReason
from casebridge.api.graphql.types.jurisdiction import Jurisdiction, jurisdiction_of

if TYPE_CHECKING:
    from casebridge.api.graphql.types.case import Case
    from casebridge.projections.rows.evidence_requests import EvidenceRequestRow

CaseRef = Annotated["Case", strawberry.lazy("casebridge.api.graphql.types.case")]


@strawberry.type(description="A piece of evidence handed over in answer to a request.")
class EvidenceItem:
    title: str
    sha256: str
    description: str | None


def _case(root: Parent[EvidenceRequestRow], info: Info) -> CaseRef | None:
    return info.context.loaders.case.load(root.case_id)


def _applicant(root: Parent[EvidenceRequestRow], info: Info) -> Jurisdiction:
    return jurisdiction_of(info, root.applicant)


def _requested(root: Parent[EvidenceRequestRow], info: Info) -> Jurisdiction:
    return jurisdiction_of(info, root.requested)


def _overdue(root: Parent[EvidenceRequestRow], info: Info) -> bool:
    return root.is_overdue(info.context.now)


def _competent(root: Parent[EvidenceRequestRow], info: Info) -> Jurisdiction | None:
    code = root.competent_jurisdiction
    return None if code is None else jurisdiction_of(info, code)


def _clarification(root: Parent[EvidenceRequestRow]) -> Clarification | None:
    if root.clarification_question is None:
        return None
    return Clarification(question=root.clarification_question, asked_at=root.clarification_asked_at,
                         answer=root.clarification_answer, answered_at=root.clarification_answered_at)


def _items(root: Parent[EvidenceRequestRow], info: Info) -> list[EvidenceItem]:
    return info.context.loaders.request_items.load(root.id)


@strawberry.type(description="The requested office's question to the applicant; the clock stands still until it is answered.")
class Clarification:
    question: str
    asked_at: datetime
    answer: str | None
    answered_at: datetime | None


@strawberry.type(description="A request for evidence from another jurisdiction, visible to both parties only.")
class EvidenceRequest:
    id: strawberry.ID
    case: CaseRef | None = strawberry.field(resolver=_case)
    applicant: Jurisdiction = strawberry.field(resolver=_applicant, description="The jurisdiction asking.")
    requested: Jurisdiction = strawberry.field(resolver=_requested, description="The jurisdiction asked.")
    description: str
    legal_basis: str | None
    status: EvidenceRequestStatus
    due_at: datetime = strawberry.field(
        description="The answer is due by then; while a clarification is pending it moves on by the paused working days.")
    overdue: bool = strawberry.field(resolver=_overdue, description="Open, its clock running, and past its due time.")
    paused: bool = strawberry.field(description="A clarification is pending: the clock stands still until the applicant answers.")
    clarification: Clarification | None = strawberry.field(
        resolver=_clarification, description="The latest clarification asked, answered or not.")
    acknowledged: bool
    items: list[EvidenceItem] = strawberry.field(resolver=_items, description="What the requested jurisdiction handed over.")
    refusal_reason: RefusalReason | None
    refusal_detail: str | None
    competent_jurisdiction: Jurisdiction | None = strawberry.field(
        resolver=_competent, description="For OUTSIDE_COMPETENCE: the office the requested jurisdiction named as competent.")
    findings_note: str | None = strawberry.field(
        description="The requested office's findings note (情况说明), e.g. 查无此主体; may be the whole answer.")
    requested_at: datetime
    answered_at: datetime | None
    version: int
