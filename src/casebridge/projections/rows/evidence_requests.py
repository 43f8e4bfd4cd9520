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

    def is_overdue(self, now: datetime) -> bool:
        return self.status == "OPEN" and now > self.due_at


@dataclass(frozen=True)
class EvidenceItemRow:
    title: str
    sha256: str
    description: str | None
