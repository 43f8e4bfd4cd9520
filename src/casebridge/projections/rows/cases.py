"""Rows of the cases read model (`rm_cases`, `rm_case_evidence`) and who sees a case (`rm_case_visibility`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class CaseFilter:
    status: str | None = None
    category: str | None = None
    handling_jurisdiction: str | None = None
    subject_kind: str | None = None
    text: str | None = None  # title / reference / subject name, case-insensitive substring
    role: str | None = None  # a visibility reason, e.g. "HANDLING"
    credit_code: str | None = None  # the subject's unified social credit code, exactly
    store: str | None = None  # the subject's store URL or account, exactly


@dataclass(frozen=True)
class PendingTransferRow:
    sender: str
    to: str
    reason: str
    requested_at: datetime
    requested_by_client: str


@dataclass(frozen=True)
class PlatformOperatorRow:
    name: str
    credit_code: str | None
    domicile: str | None


@dataclass(frozen=True)
class CaseRow:
    id: str
    reference: str
    title: str
    summary: str
    status: str  # OPEN, DISPUTED, SUSPENDED, CLOSED
    handling_jurisdiction: str
    subject_name: str
    subject_kind: str
    subject_identifier: str | None
    subject_product_codes: tuple[str, ...]
    category: str
    legal_basis: str | None
    outcome: str | None
    closing_summary: str | None
    pending_transfer: PendingTransferRow | None
    version: int
    opened_at: datetime
    updated_at: datetime
    opened_by_client: str = ""
    subject_credit_code: str | None = None
    subject_domicile: str | None = None
    subject_place_of_business: str | None = None
    subject_platform_operator: PlatformOperatorRow | None = None
    subject_store: str | None = None
    # issue 11: the decision period, a dispute before the common superior, outcome details, suspension
    decision_due_at: datetime | None = None
    decision_clock_paused_on: str | None = None  # ISO date, while the period is paused
    decision_pause_reason: str | None = None
    decision_extensions: int = 0
    dispute: DisputeRow | None = None
    outcome_details: dict[str, Any] | None = None
    suspension_reason: str | None = None


@dataclass(frozen=True)
class DisputeRow:
    """A declined transfer before the nearest common superior (designation petition)."""

    case_id: str
    superior: str
    sender: str
    receiver: str
    reason: str
    opened_at: datetime
    settle_due_at: datetime
    designation_due_at: datetime


@dataclass(frozen=True)
class EvidenceRow:
    id: str
    title: str
    sha256: str
    description: str | None
    collected_by_client: str
    collected_by_jurisdiction: str
    collected_at: datetime
    request_id: str | None = None  # handed over in answer to this evidence request (协助调查)


@dataclass(frozen=True)
class ParticipantRow:
    jurisdiction: str
    role: str  # HANDLING, FORMER_HANDLER, TRANSFER_TARGET, EVIDENCE_REQUEST_PARTY, JOINT_ACTION_PARTICIPANT, SUPERVISING_ANCESTOR
