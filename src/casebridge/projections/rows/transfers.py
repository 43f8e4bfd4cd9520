"""Rows of the transfers read model (`rm_transfers`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


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
