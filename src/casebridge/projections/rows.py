"""What the views return: frozen dataclasses of plain values.

Ids are strings: aggregate ids in canonical UUID form (`str(uuid)`), evidence and task ids
as the application issued them. Timestamps are timezone-aware UTC datetimes; sequences are
tuples. Re-exported by `casebridge.projections.views`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class CaseFilter:
    status: str | None = None
    category: str | None = None
    handling_jurisdiction: str | None = None
    subject_kind: str | None = None
    text: str | None = None  # title / reference / subject name, case-insensitive substring
    role: str | None = None  # a visibility reason, e.g. "HANDLING"


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    cursors: list[str]
    has_next_page: bool
    end_cursor: str | None


@dataclass(frozen=True)
class PendingTransferRow:
    sender: str
    to: str
    reason: str
    requested_at: datetime
    requested_by_client: str


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


@dataclass(frozen=True)
class ParticipantRow:
    jurisdiction: str
    role: str  # HANDLING, FORMER_HANDLER, TRANSFER_TARGET, EVIDENCE_REQUEST_PARTY, JOINT_ACTION_PARTICIPANT, SUPERVISING_ANCESTOR


@dataclass(frozen=True)
class TransferRow:
    id: str
    case_id: str
    sender: str
    receiver: str
    reason: str
    status: str  # PENDING, ACCEPTED, DECLINED, WITHDRAWN, SUPERSEDED
    requested_at: datetime
    decided_at: datetime | None
    decision_reason: str | None
    requested_by_client: str = ""


@dataclass(frozen=True)
class EvidenceRequestRow:
    id: str
    case_id: str
    applicant: str
    requested: str
    description: str
    legal_basis: str | None
    status: str  # OPEN, FULFILLED, REFUSED, WITHDRAWN
    due_at: datetime
    acknowledged: bool
    refusal_reason: str | None
    refusal_detail: str | None
    requested_at: datetime
    answered_at: datetime | None
    version: int

    def is_overdue(self, now: datetime) -> bool:
        return self.status == "OPEN" and now > self.due_at


@dataclass(frozen=True)
class EvidenceItemRow:
    title: str
    sha256: str
    description: str | None


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


@dataclass(frozen=True)
class CaseCount:
    status: str
    category: str
    cases: int


@dataclass(frozen=True)
class TransferStats:
    """Transfers this jurisdiction sent and received, by outcome, and how long decisions took."""

    sent: int = 0
    received: int = 0
    accepted_sent: int = 0
    declined_sent: int = 0
    withdrawn_sent: int = 0
    accepted_received: int = 0
    declined_received: int = 0
    pending_sent: int = 0
    pending_received: int = 0
    mean_seconds_to_decision_sent: float | None = None  # accepted or declined, by the target
    mean_seconds_to_decision_received: float | None = None


@dataclass(frozen=True)
class EvidenceStats:
    """Evidence requests this jurisdiction made (as applicant) or answered (as requested)."""

    requested: int = 0  # made by J
    received: int = 0  # addressed to J
    answered_on_time: int = 0  # addressed to J, fulfilled or refused by the due time
    answered_late: int = 0  # addressed to J, answered after the due time
    open_overdue: int = 0  # addressed to J, still open and past due now
    open_on_time: int = 0  # addressed to J, still open and not yet due
    withdrawn: int = 0  # addressed to J, withdrawn by the applicant


@dataclass(frozen=True)
class JurisdictionStats:
    jurisdiction: str
    open_cases: int
    closed_cases: int
    cases_by_status_and_category: tuple[CaseCount, ...] = field(default=())
    transfers: TransferStats = field(default_factory=TransferStats)
    evidence_requests: EvidenceStats = field(default_factory=EvidenceStats)
