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
    return root.status == "OPEN" and info.context.now > root.due_at


def _items(root: Parent[EvidenceRequestRow], info: Info) -> list[EvidenceItem]:
    return info.context.loaders.request_items.load(root.id)


@strawberry.type(description="A request for evidence from another jurisdiction, visible to both parties only.")
class EvidenceRequest:
    id: strawberry.ID
    case: CaseRef | None = strawberry.field(resolver=_case)
    applicant: Jurisdiction = strawberry.field(resolver=_applicant, description="The jurisdiction asking.")
    requested: Jurisdiction = strawberry.field(resolver=_requested, description="The jurisdiction asked.")
    description: str
    legal_basis: str | None
    status: EvidenceRequestStatus
    due_at: datetime
    overdue: bool = strawberry.field(resolver=_overdue, description="Open and past its due time.")
    acknowledged: bool
    items: list[EvidenceItem] = strawberry.field(resolver=_items, description="What the requested jurisdiction handed over.")
    refusal_reason: RefusalReason | None
    refusal_detail: str | None
    requested_at: datetime
    answered_at: datetime | None
    version: int
