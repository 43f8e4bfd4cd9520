"""Mutations of evidence requests (协助调查): request, acknowledge, extend, clarify, fulfil,
refuse, withdraw. All need `evidence:write`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

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
    items: list[EvidenceItemInput] = strawberry.field(description="May be empty when a findings note answers alone.")
    note: str | None = strawberry.field(default=None, description="The findings note (情况说明), e.g. 查无此主体.")
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
    competent_jurisdiction: str | None = strawberry.field(
        default=None, description="For OUTSIDE_COMPETENCE: the code of the competent office, when known.")
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
                   competent_jurisdiction=input.competent_jurisdiction, expected_version=input.expected_version, command_id=input.client_mutation_id),
               lambda context, result: RefuseEvidenceRequestSuccess(
                   evidence_request=read_evidence_request(context, result), client_mutation_id=input.client_mutation_id))


# -- acknowledge, extend, withdraw, clarify ------------------------------------------------------------


def _request_id(value: strawberry.ID):
    return uuid_of(value, EvidenceRequestNotFoundError)


def _success(cls: type, input: Any) -> Any:
    return lambda context, result: cls(evidence_request=read_evidence_request(context, result),
                                       client_mutation_id=input.client_mutation_id)


@strawberry.input
class AcknowledgeEvidenceRequestInput:
    request_id: strawberry.ID
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.type
class AcknowledgeEvidenceRequestSuccess:
    evidence_request: EvidenceRequest
    client_mutation_id: str | None


AcknowledgeEvidenceRequestResult = result_union("AcknowledgeEvidenceRequest", AcknowledgeEvidenceRequestSuccess)


def acknowledge_evidence_request(info: Info, input: AcknowledgeEvidenceRequestInput) -> AcknowledgeEvidenceRequestResult:
    return run(info, WRITE,
               lambda app, actor: app.acknowledge_evidence_request(
                   actor, _request_id(input.request_id), expected_version=input.expected_version,
                   command_id=input.client_mutation_id),
               _success(AcknowledgeEvidenceRequestSuccess, input))


@strawberry.input
class ExtendEvidenceRequestInput:
    request_id: strawberry.ID
    due_at: datetime = strawberry.field(description="The new due time, later than the current one.")
    reason: str
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.type
class ExtendEvidenceRequestSuccess:
    evidence_request: EvidenceRequest
    client_mutation_id: str | None


ExtendEvidenceRequestResult = result_union("ExtendEvidenceRequest", ExtendEvidenceRequestSuccess)


def extend_evidence_request(info: Info, input: ExtendEvidenceRequestInput) -> ExtendEvidenceRequestResult:
    return run(info, WRITE,
               lambda app, actor: app.extend_evidence_request(
                   actor, _request_id(input.request_id), due_at=input.due_at, reason=input.reason,
                   expected_version=input.expected_version, command_id=input.client_mutation_id),
               _success(ExtendEvidenceRequestSuccess, input))


@strawberry.input
class WithdrawEvidenceRequestInput:
    request_id: strawberry.ID
    reason: str | None = None
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.type
class WithdrawEvidenceRequestSuccess:
    evidence_request: EvidenceRequest
    client_mutation_id: str | None


WithdrawEvidenceRequestResult = result_union("WithdrawEvidenceRequest", WithdrawEvidenceRequestSuccess)


def withdraw_evidence_request(info: Info, input: WithdrawEvidenceRequestInput) -> WithdrawEvidenceRequestResult:
    return run(info, WRITE,
               lambda app, actor: app.withdraw_evidence_request(
                   actor, _request_id(input.request_id), reason=input.reason,
                   expected_version=input.expected_version, command_id=input.client_mutation_id),
               _success(WithdrawEvidenceRequestSuccess, input))


@strawberry.input
class AskClarificationInput:
    request_id: strawberry.ID
    question: str
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.type
class AskClarificationSuccess:
    evidence_request: EvidenceRequest
    client_mutation_id: str | None


AskClarificationResult = result_union("AskClarification", AskClarificationSuccess)


def ask_clarification(info: Info, input: AskClarificationInput) -> AskClarificationResult:
    return run(info, WRITE,
               lambda app, actor: app.ask_clarification(
                   actor, _request_id(input.request_id), question=input.question,
                   expected_version=input.expected_version, command_id=input.client_mutation_id),
               _success(AskClarificationSuccess, input))


@strawberry.input
class AnswerClarificationInput:
    request_id: strawberry.ID
    answer: str
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.type
class AnswerClarificationSuccess:
    evidence_request: EvidenceRequest
    client_mutation_id: str | None


AnswerClarificationResult = result_union("AnswerClarification", AnswerClarificationSuccess)


def answer_clarification(info: Info, input: AnswerClarificationInput) -> AnswerClarificationResult:
    return run(info, WRITE,
               lambda app, actor: app.answer_clarification(
                   actor, _request_id(input.request_id), answer=input.answer,
                   expected_version=input.expected_version, command_id=input.client_mutation_id),
               _success(AnswerClarificationSuccess, input))
