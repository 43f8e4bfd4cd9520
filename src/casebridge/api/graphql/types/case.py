"""A case and what hangs off it. Backed by the read model's rows: scalar fields are the
rows' attributes, relations come from the request's batch loaders."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import Info, Parent

from casebridge.api.graphql.types.enums import (
    CaseCategory,
    CaseClockPauseReason,
    CaseOutcome,
    CaseRole,
    CaseStatus,
    SubjectKind,
    TransferStatus,
)
from casebridge.api.graphql.types.jurisdiction import Jurisdiction, jurisdiction_of

if TYPE_CHECKING:
    from casebridge.api.graphql.types.evidence_request import EvidenceRequest
    from casebridge.api.graphql.types.joint_action import JointAction
    from casebridge.projections.rows import (
        CaseRow,
        DisputeRow,
        EvidenceRow,
        PendingTransferRow,
        PlatformOperatorRow,
        TransferRow,
    )

EvidenceRequestRef = Annotated["EvidenceRequest", strawberry.lazy("casebridge.api.graphql.types.evidence_request")]
JointActionRef = Annotated["JointAction", strawberry.lazy("casebridge.api.graphql.types.joint_action")]


def _platform_domicile(root: Parent[PlatformOperatorRow], info: Info) -> Jurisdiction | None:
    return jurisdiction_of(info, root.domicile) if root.domicile else None


@strawberry.type(description="The operator of the platform a seller trades on (电子商务平台经营者).")
class PlatformOperator:
    name: str
    credit_code: str | None = strawberry.field(description="Its unified social credit code (GB 32100).")
    domicile: Jurisdiction | None = strawberry.field(resolver=_platform_domicile, description="Its registered domicile (住所地).")


def _domicile(root: Parent[CaseRow], info: Info) -> Jurisdiction | None:
    return jurisdiction_of(info, root.subject_domicile) if root.subject_domicile else None


def _place_of_business(root: Parent[CaseRow], info: Info) -> Jurisdiction | None:
    return jurisdiction_of(info, root.subject_place_of_business) if root.subject_place_of_business else None


@strawberry.type(description="The trader a case is about.")
class Subject:
    # Resolved on the case row itself (its subject_* columns): plain attributes, no copying.
    subject_name: str = strawberry.field(name="name")
    subject_kind: SubjectKind = strawberry.field(name="kind")
    subject_identifier: str | None = strawberry.field(name="identifier", description="Unified social credit code, store URL, ...")
    subject_product_codes: list[str] = strawberry.field(name="productCodes")
    subject_credit_code: str | None = strawberry.field(
        name="creditCode", description="Unified social credit code (GB 32100, check character verified): the one given, "
                                       "or the identifier when that is a valid code.")
    domicile: Jurisdiction | None = strawberry.field(resolver=_domicile, description="Registered domicile (住所地).")
    place_of_business: Jurisdiction | None = strawberry.field(
        resolver=_place_of_business, description="Actual place of business (实际经营地).")
    subject_platform_operator: PlatformOperator | None = strawberry.field(
        name="platformOperator", description="For a seller on a platform: the platform's operator.")
    subject_store: str | None = strawberry.field(
        name="store", description="For a seller on a platform: its store URL or account (or the identifier when that is a URL).")


@strawberry.type(description="A jurisdiction that may see the case, and why.")
class CaseParticipant:
    jurisdiction: Jurisdiction
    role: CaseRole


def _sender(root: Parent[PendingTransferRow], info: Info) -> Jurisdiction:
    return jurisdiction_of(info, root.sender)


def _to(root: Parent[PendingTransferRow], info: Info) -> Jurisdiction:
    return jurisdiction_of(info, root.to)


@strawberry.type(description="A transfer (移送) waiting for the target jurisdiction's answer.")
class PendingTransfer:
    sender: Jurisdiction = strawberry.field(name="from", resolver=_sender, description="The jurisdiction handing the case over.")
    to: Jurisdiction = strawberry.field(resolver=_to)
    reason: str
    requested_at: datetime


def _collected_by(root: Parent[EvidenceRow], info: Info) -> Jurisdiction:
    return jurisdiction_of(info, root.collected_by_jurisdiction)


def _provenance(root: Parent[EvidenceRow], info: Info) -> EvidenceProvenance | None:
    if root.request_id is None:
        return None
    return EvidenceProvenance(request_id=strawberry.ID(root.request_id),
                              jurisdiction=jurisdiction_of(info, root.collected_by_jurisdiction))


@strawberry.type(description="Where evidence handed over by another jurisdiction came from (协助调查).")
class EvidenceProvenance:
    request_id: strawberry.ID = strawberry.field(description="The evidence request it answered.")
    jurisdiction: Jurisdiction = strawberry.field(description="The jurisdiction that handed it over.")


@strawberry.type(description="A piece of evidence, identified by the SHA-256 of its content (the file stays with its holder).")
class Evidence:
    id: strawberry.ID
    title: str
    sha256: str
    description: str | None
    collected_by: Jurisdiction = strawberry.field(resolver=_collected_by)
    collected_at: datetime
    provenance: EvidenceProvenance | None = strawberry.field(
        resolver=_provenance, description="Set when it answered an evidence request; null for evidence added on the case.")


def _transfer_case(root: Parent[TransferRow], info: Info) -> Case | None:
    return info.context.loaders.case.load(root.case_id)


def _transfer_sender(root: Parent[TransferRow], info: Info) -> Jurisdiction:
    return jurisdiction_of(info, root.sender)


def _transfer_receiver(root: Parent[TransferRow], info: Info) -> Jurisdiction:
    return jurisdiction_of(info, root.receiver)


@strawberry.type(description="A transfer (移送) of a case to another jurisdiction, pending or decided.")
class Transfer:
    id: strawberry.ID
    case: Case | None = strawberry.field(resolver=_transfer_case)
    sender: Jurisdiction = strawberry.field(name="from", resolver=_transfer_sender)
    to: Jurisdiction = strawberry.field(resolver=_transfer_receiver)
    reason: str
    status: TransferStatus
    requested_at: datetime
    decided_at: datetime | None
    decision_reason: str | None


# -- issue 11: the decision period, the dispute before the superior, outcome details ----------------


@strawberry.type(description="The decision period (行政处罚法 Art 60): 90 days from filing, plus extensions and "
                             "excluded (paused) periods.")
class DecisionPeriod:
    due_at: datetime = strawberry.field(description="End of the day the decision is due, recomputed on each extension "
                                                    "and resumption.")
    overdue: bool = strawberry.field(description="Past its due time, running (not paused) and the case not closed.")
    paused_on: str | None = strawberry.field(description="The day (ISO date, China) the period was paused, while paused.")
    pause_reason: CaseClockPauseReason | None
    extensions: int


def _decision_period(root: Parent[CaseRow], info: Info) -> DecisionPeriod | None:
    if root.decision_due_at is None:
        return None  # a case opened before decision periods were recorded
    paused = root.decision_clock_paused_on is not None
    return DecisionPeriod(
        due_at=root.decision_due_at, paused_on=root.decision_clock_paused_on, extensions=root.decision_extensions,
        overdue=not paused and root.status != "CLOSED" and info.context.now > root.decision_due_at,
        pause_reason=CaseClockPauseReason(root.decision_pause_reason) if paused else None,  # type: ignore[call-arg]
    )


def _petition_case(root: Parent[DisputeRow], info: Info) -> Case | None:
    return info.context.loaders.case.load(root.case_id)


def _petition_superior(root: Parent[DisputeRow], info: Info) -> Jurisdiction:
    return jurisdiction_of(info, root.superior)


def _petition_sender(root: Parent[DisputeRow], info: Info) -> Jurisdiction:
    return jurisdiction_of(info, root.sender)


def _petition_receiver(root: Parent[DisputeRow], info: Info) -> Jurisdiction:
    return jurisdiction_of(info, root.receiver)


def _petition_overdue(root: Parent[DisputeRow], info: Info) -> bool:
    return info.context.now > root.designation_due_at


def _designation_due_at(root: Parent[DisputeRow]) -> datetime:
    return root.designation_due_at


def _settling(root: Parent[DisputeRow], info: Info) -> bool:
    return info.context.now <= root.settle_due_at


@strawberry.type(description="A declined transfer before the nearest common superior, which designates the handler "
                             "(程序规定 Art 14; 行政处罚法 Art 25). The sender handles the case meanwhile.")
class DesignationPetition:
    case: Case | None = strawberry.field(resolver=_petition_case)
    superior: Jurisdiction = strawberry.field(resolver=_petition_superior)
    sender: Jurisdiction = strawberry.field(name="from", resolver=_petition_sender, description="The sending jurisdiction.")
    to: Jurisdiction = strawberry.field(resolver=_petition_receiver, description="The receiver that declined.")
    reason: str = strawberry.field(description="Why the receiver disputes its jurisdiction.")
    opened_at: datetime
    settle_due_at: datetime = strawberry.field(
        description="Until then (7 working days) the sender may withdraw or the receiver still accept.")
    settling: bool = strawberry.field(resolver=_settling, description="Still within the time to settle.")
    due_at: datetime = strawberry.field(
        resolver=_designation_due_at, description="The superior designates by then (7 working days after the time to settle).")
    overdue: bool = strawberry.field(resolver=_petition_overdue, description="Past dueAt with no designation.")


@strawberry.type(description="What a case's outcome records: a penalty decision its number, amount and legal basis; "
                             "no penalty its ground; a referral to another agency which; a merger the case it joined.")
class OutcomeDetails:
    decision_number: str | None
    amount_fen: int | None = strawberry.field(description="The penalty in fen (1 yuan = 100 fen).")
    legal_basis: str | None
    ground: str | None
    agency: str | None
    merged_into: strawberry.ID | None


def _outcome_details(root: Parent[CaseRow]) -> OutcomeDetails | None:
    d = root.outcome_details
    if not d:
        return None
    return OutcomeDetails(decision_number=d.get("decision_number"), amount_fen=d.get("amount_fen"),
                          legal_basis=d.get("legal_basis"), ground=d.get("ground"), agency=d.get("agency"),
                          merged_into=d.get("merged_into"))


def _petition(root: Parent[CaseRow]) -> DesignationPetition | None:
    return root.dispute  # type: ignore[return-value]


def _handling(root: Parent[CaseRow], info: Info) -> Jurisdiction:
    return jurisdiction_of(info, root.handling_jurisdiction)


def _subject(root: Parent[CaseRow]) -> Subject:
    return root  # type: ignore[return-value]


def _participants(root: Parent[CaseRow], info: Info) -> list[CaseParticipant]:
    jurisdiction = info.context.services.jurisdiction
    return [CaseParticipant(jurisdiction=jurisdiction(p.jurisdiction), role=p.role)  # type: ignore[arg-type]
            for p in info.context.loaders.case_participants.load(root.id)]


def _evidence(root: Parent[CaseRow], info: Info) -> list[Evidence]:
    return info.context.loaders.case_evidence.load(root.id)


def _transfers(root: Parent[CaseRow], info: Info) -> list[Transfer]:
    return info.context.loaders.case_transfers.load(root.id)


def _evidence_requests(root: Parent[CaseRow], info: Info) -> list[EvidenceRequestRef]:
    return info.context.loaders.case_requests.load(root.id)


def _joint_actions(root: Parent[CaseRow], info: Info) -> list[JointActionRef]:
    return info.context.loaders.case_actions.load(root.id)


@strawberry.type(description="A case handled by one jurisdiction, visible to those it involves.")
class Case:
    id: strawberry.ID
    reference: str = strawberry.field(description="The handling code, e.g. 330100-2025-0001.")
    title: str
    summary: str
    status: CaseStatus
    handling_jurisdiction: Jurisdiction = strawberry.field(resolver=_handling)
    subject: Subject = strawberry.field(resolver=_subject)
    category: CaseCategory
    legal_basis: str | None
    outcome: CaseOutcome | None
    closing_summary: str | None
    pending_transfer: PendingTransfer | None
    participants: list[CaseParticipant] = strawberry.field(resolver=_participants)
    evidence: list[Evidence] = strawberry.field(resolver=_evidence)
    transfers: list[Transfer] = strawberry.field(resolver=_transfers, description="Every transfer of the case, oldest first.")
    evidence_requests: list[EvidenceRequestRef] = strawberry.field(
        resolver=_evidence_requests, description="The case's evidence requests your jurisdiction is a party to.")
    joint_actions: list[JointActionRef] = strawberry.field(
        resolver=_joint_actions, description="The joint actions including the case that your jurisdiction takes part in.")
    version: int = strawberry.field(description="Pass as expectedVersion to change the case only if nobody did meanwhile.")
    opened_at: datetime
    updated_at: datetime
    decision_period: DecisionPeriod | None = strawberry.field(
        resolver=_decision_period, description="When the decision is due; null for cases opened before it was recorded.")
    designation_petition: DesignationPetition | None = strawberry.field(
        resolver=_petition,
        description="While DISPUTED: the declined transfer before the common superior.")
    outcome_details: OutcomeDetails | None = strawberry.field(resolver=_outcome_details)
    suspension_reason: str | None = strawberry.field(description="Why the case is suspended (中止), while SUSPENDED.")


@strawberry.type
class CaseEdge:
    cursor: str
    node: Case


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type(description="A page of cases, newest change first (keyset pagination: pass endCursor as after).")
class CaseConnection:
    edges: list[CaseEdge]
    page_info: PageInfo


@strawberry.input(description="Narrows `cases`; every given field must match.")
class CaseFilter:
    status: CaseStatus | None = None
    category: CaseCategory | None = None
    handling_jurisdiction: str | None = strawberry.field(default=None, description="A jurisdiction code.")
    subject_kind: SubjectKind | None = None
    text: str | None = strawberry.field(default=None, description="Case-insensitive text in the title, reference or subject name.")
    role: CaseRole | None = strawberry.field(default=None, description="Only cases you see for this reason.")
    credit_code: str | None = strawberry.field(
        default=None, description="Only cases whose subject has this unified social credit code (checked: VALIDATION if it is not one).")
    store: str | None = strawberry.field(default=None, description="Only cases whose subject has exactly this store URL or account.")
