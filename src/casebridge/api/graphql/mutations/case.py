"""Mutations of cases: open, transfer (移送), designate (指定管辖), add evidence, close.
All need the `cases:write` scope."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import Info

from casebridge.api.graphql.mutations.common import (
    CLIENT_MUTATION_ID,
    EXPECTED_VERSION,
    NOT_APPLICABLE_VERSION,
    read_case,
    result_union,
    run,
    uuid_of,
)
from casebridge.api.graphql.types.case import Case, Evidence
from casebridge.api.graphql.types.enums import CaseCategory, CaseOutcome, SubjectKind, to_domain
from casebridge.application.errors import CaseNotFoundError
from casebridge.api.graphql.types.jurisdiction import Jurisdiction, jurisdiction_of
from casebridge.domain import competence, values
from casebridge.domain.jurisdictions import JurisdictionRegistry

WRITE = "cases:write"


@strawberry.input(description="The operator of the platform a seller trades on (电子商务平台经营者).")
class PlatformOperatorInput:
    name: str
    credit_code: str | None = strawberry.field(default=None, description="Unified social credit code (GB 32100).")
    domicile: str | None = strawberry.field(default=None, description="Jurisdiction code of its registered domicile (住所地).")


@strawberry.input
class SubjectInput:
    name: str
    kind: SubjectKind
    identifier: str | None = None
    product_codes: list[str] | None = None
    credit_code: str | None = strawberry.field(
        default=None, description="Unified social credit code (GB 32100); a wrong check character is VALIDATION.")
    domicile: str | None = strawberry.field(default=None, description="Jurisdiction code of the registered domicile (住所地).")
    place_of_business: str | None = strawberry.field(
        default=None, description="Jurisdiction code of the actual place of business (实际经营地).")
    platform_operator: PlatformOperatorInput | None = strawberry.field(
        default=None, description="For a seller on a platform: the platform's operator.")
    store: str | None = strawberry.field(default=None, description="For a seller on a platform: its store URL or account.")


def subject_from(s: SubjectInput, registry: JurisdictionRegistry, field: str = "subject") -> values.Subject:
    """The domain's subject from the input; a bad value raises a ValidationError naming `field`.<path>."""
    operator = s.platform_operator
    return values.Subject.create(
        s.name, to_domain(s.kind, values.SubjectKind), s.identifier, s.product_codes or (),
        credit_code=s.credit_code, domicile=s.domicile, place_of_business=s.place_of_business,
        platform_operator_name=operator.name if operator else None,
        platform_operator_credit_code=operator.credit_code if operator else None,
        platform_operator_domicile=operator.domicile if operator else None,
        store=s.store, registry=registry, field=field,
    )


@strawberry.input
class OpenCaseInput:
    title: str
    summary: str
    subject: SubjectInput
    category: CaseCategory
    legal_basis: str | None = None
    reference: str | None = strawberry.field(default=None, description="Your own handling code; issued when absent.")
    expected_version: int | None = strawberry.field(default=None, description=NOT_APPLICABLE_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


def _filing_jurisdiction(root: strawberry.Parent[competence.EarlierFiling], info: Info) -> Jurisdiction:
    return jurisdiction_of(info, root.jurisdiction)


@strawberry.type(description=(
    "Another jurisdiction has had an open case on the same credit code since `since`. Under 行政处罚法 Art 25 the "
    "organ that filed first handles the case: transfer yours (requestTransfer) or coordinate (requestEvidence, "
    "proposeJointAction with this jurisdiction). Only the jurisdiction and the date are disclosed, never the case."))
class EarlierFiling:
    jurisdiction: Jurisdiction = strawberry.field(resolver=_filing_jurisdiction)
    since: datetime = strawberry.field(description="When its earliest open case on the code was opened (filed).")


@strawberry.type
class OpenCaseSuccess:
    case: Case
    client_mutation_id: str | None
    earlier_filings: list[EarlierFiling] = strawberry.field(description=(
        "Other jurisdictions with an open case on the subject's credit code, filed before this one, earliest first "
        "(行政处罚法 Art 25: the first filer handles). The case is opened all the same; empty without a credit code."))


def earlier_filings_of(context, case_row) -> list[competence.EarlierFiling]:
    """The first-filer check for a newly opened case, from the cases read model (indexed by credit code)."""
    if case_row is None or not case_row.subject_credit_code:
        return []
    open_cases = context.services.read_models.cases.open_on_credit_code(case_row.subject_credit_code)
    return competence.earlier_filings(open_cases, caller=case_row.handling_jurisdiction, opened_at=case_row.opened_at)


OpenCaseResult = result_union("OpenCase", OpenCaseSuccess)


def open_case(info: Info, input: OpenCaseInput) -> OpenCaseResult:
    def command(app, actor):
        if input.reference is not None and input.reference.strip():  # checked before it is looked up
            values.identifier_text(input.reference, "reference", limit=64)
        subject = subject_from(input.subject, info.context.services.registry)
        return app.open_case(
            actor, title=input.title, summary=input.summary, subject=subject,
            category=to_domain(input.category, values.CaseCategory), legal_basis=input.legal_basis,
            reference=input.reference, command_id=input.client_mutation_id,
        )

    def present(context, result):
        row = read_case(context, result)
        return OpenCaseSuccess(case=row, client_mutation_id=input.client_mutation_id,
                               earlier_filings=earlier_filings_of(context, row))  # type: ignore[arg-type]

    return run(info, WRITE, command, present)


@strawberry.input
class RequestTransferInput:
    case_id: strawberry.ID
    to: str = strawberry.field(description="The jurisdiction code to hand the case to.")
    reason: str
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.type
class RequestTransferSuccess:
    case: Case
    client_mutation_id: str | None


RequestTransferResult = result_union("RequestTransfer", RequestTransferSuccess)


def request_transfer(info: Info, input: RequestTransferInput) -> RequestTransferResult:
    return run(info, WRITE,
               lambda app, actor: app.request_transfer(
                   actor, uuid_of(input.case_id, CaseNotFoundError), to=input.to, reason=input.reason,
                   expected_version=input.expected_version, command_id=input.client_mutation_id),
               lambda context, result: RequestTransferSuccess(case=read_case(context, result), client_mutation_id=input.client_mutation_id))


@strawberry.input
class AcceptTransferInput:
    case_id: strawberry.ID
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.type
class AcceptTransferSuccess:
    case: Case
    client_mutation_id: str | None


AcceptTransferResult = result_union("AcceptTransfer", AcceptTransferSuccess)


def accept_transfer(info: Info, input: AcceptTransferInput) -> AcceptTransferResult:
    return run(info, WRITE,
               lambda app, actor: app.accept_transfer(
                   actor, uuid_of(input.case_id, CaseNotFoundError),
                   expected_version=input.expected_version, command_id=input.client_mutation_id),
               lambda context, result: AcceptTransferSuccess(case=read_case(context, result), client_mutation_id=input.client_mutation_id))


@strawberry.input
class DeclineTransferInput:
    case_id: strawberry.ID
    reason: str
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.type
class DeclineTransferSuccess:
    case_id: strawberry.ID
    case: Case | None = strawberry.field(
        description="The case, or null when declining leaves it out of your jurisdiction's sight.")
    client_mutation_id: str | None


DeclineTransferResult = result_union("DeclineTransfer", DeclineTransferSuccess)


def decline_transfer(info: Info, input: DeclineTransferInput) -> DeclineTransferResult:
    return run(info, WRITE,
               lambda app, actor: app.decline_transfer(
                   actor, uuid_of(input.case_id, CaseNotFoundError), reason=input.reason,
                   expected_version=input.expected_version, command_id=input.client_mutation_id),
               lambda context, result: DeclineTransferSuccess(
                   case_id=strawberry.ID(str(result.aggregate_id)), case=read_case(context, result),
                   client_mutation_id=input.client_mutation_id))


@strawberry.input
class WithdrawTransferInput:
    case_id: strawberry.ID
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.type
class WithdrawTransferSuccess:
    case: Case
    client_mutation_id: str | None


WithdrawTransferResult = result_union("WithdrawTransfer", WithdrawTransferSuccess)


def withdraw_transfer(info: Info, input: WithdrawTransferInput) -> WithdrawTransferResult:
    return run(info, WRITE,
               lambda app, actor: app.withdraw_transfer(
                   actor, uuid_of(input.case_id, CaseNotFoundError),
                   expected_version=input.expected_version, command_id=input.client_mutation_id),
               lambda context, result: WithdrawTransferSuccess(case=read_case(context, result), client_mutation_id=input.client_mutation_id))


@strawberry.input
class DesignateJurisdictionInput:
    case_id: strawberry.ID
    jurisdiction: str = strawberry.field(description="The jurisdiction code designated to handle the case.")
    reason: str
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.type
class DesignateJurisdictionSuccess:
    case: Case
    client_mutation_id: str | None


DesignateJurisdictionResult = result_union("DesignateJurisdiction", DesignateJurisdictionSuccess)


def designate_jurisdiction(info: Info, input: DesignateJurisdictionInput) -> DesignateJurisdictionResult:
    return run(info, WRITE,
               lambda app, actor: app.designate_jurisdiction(
                   actor, uuid_of(input.case_id, CaseNotFoundError), jurisdiction=input.jurisdiction, reason=input.reason,
                   expected_version=input.expected_version, command_id=input.client_mutation_id),
               lambda context, result: DesignateJurisdictionSuccess(
                   case=read_case(context, result), client_mutation_id=input.client_mutation_id))


@strawberry.input
class AddEvidenceInput:
    case_id: strawberry.ID
    title: str
    sha256: str = strawberry.field(description="The SHA-256 of the file's content, 64 hexadecimal characters.")
    description: str | None = None
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.type
class AddEvidenceSuccess:
    case: Case
    evidence: Evidence | None = strawberry.field(description="The evidence just added.")
    client_mutation_id: str | None


AddEvidenceResult = result_union("AddEvidence", AddEvidenceSuccess)


def add_evidence(info: Info, input: AddEvidenceInput) -> AddEvidenceResult:
    def command(app, actor):
        item = values.EvidenceItem(
            title=values.text(input.title, "title"),
            sha256=values.sha256_hex(input.sha256, "sha256"),
            description=values.optional_text(input.description, "description", limit=4000),
        )
        return app.add_evidence(actor, uuid_of(input.case_id, CaseNotFoundError), item=item,
                                expected_version=input.expected_version, command_id=input.client_mutation_id)

    def present(context, result):
        case = read_case(context, result)
        added = [e for e in context.loaders.case_evidence.load(case.id) if e.id == result.detail] if case else []
        return AddEvidenceSuccess(case=case, evidence=added[0] if added else None, client_mutation_id=input.client_mutation_id)

    return run(info, WRITE, command, present)


@strawberry.input(description="What the outcome needs: PENALTY_DECISION decisionNumber, amountFen and legalBasis; "
                               "NO_PENALTY ground; REFERRED_TO_OTHER_AGENCY agency; MERGED mergedInto (a case id).")
class OutcomeDetailsInput:
    decision_number: str | None = None
    amount_fen: int | None = strawberry.field(default=None, description="The penalty in fen (1 yuan = 100 fen).")
    legal_basis: str | None = None
    ground: str | None = None
    agency: str | None = None
    merged_into: strawberry.ID | None = None


@strawberry.input
class CloseCaseInput:
    case_id: strawberry.ID
    outcome: CaseOutcome
    summary: str | None = None
    details: OutcomeDetailsInput | None = None
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.type
class CloseCaseSuccess:
    case: Case
    client_mutation_id: str | None


CloseCaseResult = result_union("CloseCase", CloseCaseSuccess)


def close_case(info: Info, input: CloseCaseInput) -> CloseCaseResult:
    d = input.details
    details = None if d is None else values.OutcomeDetails(
        decision_number=d.decision_number, amount_fen=d.amount_fen, legal_basis=d.legal_basis, ground=d.ground,
        agency=d.agency, merged_into=str(d.merged_into) if d.merged_into is not None else None)
    return run(info, WRITE,
               lambda app, actor: app.close_case(
                   actor, uuid_of(input.case_id, CaseNotFoundError), outcome=to_domain(input.outcome, values.CaseOutcome),
                   summary=input.summary, details=details, expected_version=input.expected_version,
                   command_id=input.client_mutation_id),
               lambda context, result: CloseCaseSuccess(case=read_case(context, result), client_mutation_id=input.client_mutation_id))


# -- revise and reopen (issue 11 §5: every command reachable) ---------------------------------


@strawberry.input(description="Change a case's details; a field left out keeps its value.")
class ReviseCaseInput:
    case_id: strawberry.ID
    title: str | None = None
    summary: str | None = None
    category: CaseCategory | None = None
    legal_basis: str | None = None
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.type
class ReviseCaseSuccess:
    case: Case
    client_mutation_id: str | None


ReviseCaseResult = result_union("ReviseCase", ReviseCaseSuccess)


def revise_case(info: Info, input: ReviseCaseInput) -> ReviseCaseResult:
    return run(info, WRITE,
               lambda app, actor: app.revise_case(
                   actor, uuid_of(input.case_id, CaseNotFoundError), title=input.title, summary=input.summary,
                   category=to_domain(input.category, values.CaseCategory), legal_basis=input.legal_basis,
                   expected_version=input.expected_version, command_id=input.client_mutation_id),
               lambda context, result: ReviseCaseSuccess(case=read_case(context, result), client_mutation_id=input.client_mutation_id))


@strawberry.input
class ReopenCaseInput:
    case_id: strawberry.ID
    reason: str
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.type
class ReopenCaseSuccess:
    case: Case
    client_mutation_id: str | None


ReopenCaseResult = result_union("ReopenCase", ReopenCaseSuccess)


def reopen_case(info: Info, input: ReopenCaseInput) -> ReopenCaseResult:
    return run(info, WRITE,
               lambda app, actor: app.reopen_case(
                   actor, uuid_of(input.case_id, CaseNotFoundError), reason=input.reason,
                   expected_version=input.expected_version, command_id=input.client_mutation_id),
               lambda context, result: ReopenCaseSuccess(case=read_case(context, result), client_mutation_id=input.client_mutation_id))
