"""Rows of the statistics read model: counts per jurisdiction."""

from __future__ import annotations

from dataclasses import dataclass, field


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
