"""Mutations of evidence requests (协助调查): request, fulfil, refuse. All need `evidence:write`."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import Info

from casebridge.api.graphql.mutations.common import (
    CLIENT_MUTATION_ID,
    EXPECTED_VERSION,
    NOT_APPLICABLE_VERSION,
    read_evidence_request,
    result_union,
    run,
    uuid_of,
)
from casebridge.api.graphql.types.enums import RefusalReason, to_domain
from casebridge.api.graphql.types.evidence_request import EvidenceRequest
from casebridge.application.errors import CaseNotFoundError, EvidenceRequestNotFoundError
from casebridge.domain import values

WRITE = "evidence:write"


@strawberry.input
class RequestEvidenceInput:
    case_id: strawberry.ID
    requested: str = strawberry.field(description="The jurisdiction code asked for evidence.")
    description: str
    legal_basis: str | None = None
    due_at: datetime | None = strawberry.field(default=None, description="Default: the end of the 15th working day from now.")
    expected_version: int | None = strawberry.field(default=None, description=NOT_APPLICABLE_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.type
class RequestEvidenceSuccess:
    evidence_request: EvidenceRequest
    client_mutation_id: str | None


RequestEvidenceResult = result_union("RequestEvidence", RequestEvidenceSuccess)


def request_evidence(info: Info, input: RequestEvidenceInput) -> RequestEvidenceResult:
    return run(info, WRITE,
               lambda app, actor: app.request_evidence(
                   actor, uuid_of(input.case_id, CaseNotFoundError), requested=input.requested,
                   description=input.description, legal_basis=input.legal_basis, due_at=input.due_at,
                   command_id=input.client_mutation_id),
               lambda context, result: RequestEvidenceSuccess(
                   evidence_request=read_evidence_request(context, result), client_mutation_id=input.client_mutation_id))


@strawberry.input
class EvidenceItemInput:
    title: str
    sha256: str = strawberry.field(description="The SHA-256 of the file's content, 64 hexadecimal characters.")
    description: str | None = None


@strawberry.input
class FulfilEvidenceRequestInput:
    request_id: strawberry.ID
    items: list[EvidenceItemInput]
    note: str | None = None
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.type
class FulfilEvidenceRequestSuccess:
    evidence_request: EvidenceRequest
    client_mutation_id: str | None


FulfilEvidenceRequestResult = result_union("FulfilEvidenceRequest", FulfilEvidenceRequestSuccess)


def fulfil_evidence_request(info: Info, input: FulfilEvidenceRequestInput) -> FulfilEvidenceRequestResult:
    def command(app, actor):
        items = [values.EvidenceItem.create(i.title, i.sha256, i.description, field=f"items[{n}]")
                 for n, i in enumerate(input.items)]
        return app.fulfil_evidence_request(
            actor, uuid_of(input.request_id, EvidenceRequestNotFoundError), items=items, note=input.note,
            expected_version=input.expected_version, command_id=input.client_mutation_id)

    return run(info, WRITE, command,
               lambda context, result: FulfilEvidenceRequestSuccess(
                   evidence_request=read_evidence_request(context, result), client_mutation_id=input.client_mutation_id))


@strawberry.input
class RefuseEvidenceRequestInput:
    request_id: strawberry.ID
    reason: RefusalReason
    detail: str | None = strawberry.field(default=None, description="Required when the reason is OTHER.")
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.type
class RefuseEvidenceRequestSuccess:
    evidence_request: EvidenceRequest
    client_mutation_id: str | None


RefuseEvidenceRequestResult = result_union("RefuseEvidenceRequest", RefuseEvidenceRequestSuccess)


def refuse_evidence_request(info: Info, input: RefuseEvidenceRequestInput) -> RefuseEvidenceRequestResult:
    return run(info, WRITE,
               lambda app, actor: app.refuse_evidence_request(
                   actor, uuid_of(input.request_id, EvidenceRequestNotFoundError),
                   reason=to_domain(input.reason, values.RefusalReason), detail=input.detail,
                   expected_version=input.expected_version, command_id=input.client_mutation_id),
               lambda context, result: RefuseEvidenceRequestSuccess(
                   evidence_request=read_evidence_request(context, result), client_mutation_id=input.client_mutation_id))
