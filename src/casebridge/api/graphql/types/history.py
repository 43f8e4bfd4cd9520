"""The legal view of a case: its recorded events, its state as of a moment, its integrity,
and who could see it when. All rebuilt from the stored events, never from the read models."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import Info, Parent
from strawberry.scalars import JSON

from casebridge.api.graphql.types.enums import CaseCategory, CaseOutcome, CaseRole, CaseStatus, SubjectKind
from casebridge.api.graphql.types.jurisdiction import Jurisdiction, jurisdiction_of


@strawberry.type(description="Who recorded an event: the OAuth client (and person, for console users) and their jurisdiction.")
class EventActor:
    client_id: str
    jurisdiction: str
    user: str | None = None


@strawberry.type(description="One recorded event of the case, or of an evidence request or joint action concerning it.")
class HistoryEvent:
    position: int = strawberry.field(description="Position in the event log: the order events were recorded in.")
    stream_id: strawberry.ID = strawberry.field(description="The case, evidence request or joint action the event belongs to.")
    stream_type: str = strawberry.field(description="Case, EvidenceRequest or JointAction.")
    version: int = strawberry.field(description="The event's version within its own stream.")
    type: str = strawberry.field(description="The event, e.g. Case.TransferRequested.")
    occurred_at: datetime
    actor: EventActor | None
    data: JSON = strawberry.field(description="The event's facts.")
    digest: str = strawberry.field(description="SHA-256 of the stored event; each event's state links its predecessor's.")


@strawberry.type
class HistoryEdge:
    cursor: str
    node: HistoryEvent


@strawberry.type
class HistoryPageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type(description="A page of a case's history, oldest first.")
class CaseHistoryConnection:
    edges: list[HistoryEdge]
    page_info: HistoryPageInfo


def _handling(root: Parent[CaseState], info: Info) -> Jurisdiction:
    return jurisdiction_of(info, root.handling_code)


def _former(root: Parent[CaseState], info: Info) -> list[Jurisdiction]:
    return [jurisdiction_of(info, code) for code in root.former_codes]


def _transfer_to(root: Parent[PastPendingTransfer], info: Info) -> Jurisdiction:
    return jurisdiction_of(info, root.to_code)


@strawberry.type(description="A transfer that was pending at that moment.")
class PastPendingTransfer:
    to_code: strawberry.Private[str]
    to: Jurisdiction = strawberry.field(resolver=_transfer_to)
    reason: str


@strawberry.type(description="An evidence item the case held at that moment.")
class PastEvidence:
    id: strawberry.ID
    title: str
    sha256: str
    description: str | None


@strawberry.type(description="The subject as it stood.")
class PastSubject:
    name: str
    kind: SubjectKind
    identifier: str | None
    product_codes: list[str]


@strawberry.type(description="A case exactly as it stood after one version, rebuilt from its events.")
class CaseState:
    id: strawberry.ID
    version: int
    as_of: datetime = strawberry.field(description="When the event that produced this version was recorded.")
    reference: str
    title: str
    summary: str
    status: CaseStatus
    outcome: CaseOutcome | None
    category: CaseCategory
    legal_basis: str | None
    subject: PastSubject
    handling_code: strawberry.Private[str]
    former_codes: strawberry.Private[list[str]]
    handling_jurisdiction: Jurisdiction = strawberry.field(resolver=_handling)
    former_handlers: list[Jurisdiction] = strawberry.field(resolver=_former)
    pending_transfer: PastPendingTransfer | None
    evidence: list[PastEvidence]


@strawberry.type(description="When the stream was last checkpointed (its head signed with the audit key).")
class CheckpointInfo:
    version: int
    checkpointed_at: datetime


@strawberry.type(description="The result of recomputing a case's hash chain from the stored events.")
class CaseVerification:
    valid: bool
    event_count: int
    head_digest: str | None
    first_invalid_version: int | None
    problem: str | None = strawberry.field(description="What is wrong, when something is.")
    checkpoint: CheckpointInfo | None = strawberry.field(description="The signed checkpoint the chain was held against.")


def _grant_jurisdiction(root: Parent[CaseAccessGrant], info: Info) -> Jurisdiction:
    return jurisdiction_of(info, root.code)


@strawberry.type(description="A jurisdiction that could see the case at that moment, and why.")
class CaseAccessGrant:
    code: strawberry.Private[str]
    jurisdiction: Jurisdiction = strawberry.field(resolver=_grant_jurisdiction)
    reason: CaseRole
    source: strawberry.ID | None = strawberry.field(description="The evidence request or joint action behind it.")
