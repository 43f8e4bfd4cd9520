"""Rows of the evidence requests read model (`rm_evidence_requests`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


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
    competent_jurisdiction: str | None = None
    findings_note: str | None = None
    paused_since: datetime | None = None  # a clarification is pending: the clock stands still
    clarification_question: str | None = None
    clarification_asked_at: datetime | None = None
    clarification_answer: str | None = None
    clarification_answered_at: datetime | None = None

    @property
    def paused(self) -> bool:
        return self.paused_since is not None

    def is_overdue(self, now: datetime) -> bool:
        return self.status == "OPEN" and not self.paused and now > self.due_at


@dataclass(frozen=True)
class EvidenceItemRow:
    title: str
    sha256: str
    description: str | None
