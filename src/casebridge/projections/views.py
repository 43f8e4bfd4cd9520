"""The read side the API codes against (docs/read-model-interface.md): row types and the
`ReadModels` facade. Every method that takes a jurisdiction filters in SQL by what that
jurisdiction may see; what it may not see is absent."""

from __future__ import annotations

from casebridge.infra.database import Database
from casebridge.projections.cases import CasesView, InvalidCursorError
from casebridge.projections.evidence_requests import EvidenceRequestsView
from casebridge.projections.joint_actions import JointActionsView
from casebridge.projections.rows import (
    CaseCount,
    CaseFilter,
    CaseRow,
    DisputeRow,
    EvidenceItemRow,
    EvidenceRequestRow,
    EvidenceRow,
    EvidenceStats,
    JointActionRow,
    JointParticipantRow,
    JointTaskRow,
    JurisdictionStats,
    Page,
    ParticipantRow,
    PendingTransferRow,
    TransferRow,
    TransferStats,
)
from casebridge.projections.statistics import StatisticsView
from casebridge.projections.tables import SHADOW_SUFFIX
from casebridge.projections.tracking import read_positions
from casebridge.projections.transfers import TransfersView

__all__ = [
    "CaseCount", "CaseFilter", "CaseRow", "CasesView", "DisputeRow", "EvidenceItemRow", "EvidenceRequestRow", "EvidenceRequestsView",
    "EvidenceRow", "EvidenceStats", "InvalidCursorError", "JointActionRow", "JointActionsView", "JointParticipantRow",
    "JointTaskRow", "JurisdictionStats", "Page", "ParticipantRow", "PendingTransferRow", "ReadModels",
    "StatisticsView", "TransferRow", "TransferStats", "TransfersView",
]


class ReadModels:
    """One object the API holds: `rm.cases`, `rm.transfers`, `rm.evidence_requests`,
    `rm.joint_actions`, `rm.stats`, and `rm.positions()`."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.cases = CasesView(db)
        self.transfers = TransfersView(db)
        self.evidence_requests = EvidenceRequestsView(db)
        self.joint_actions = JointActionsView(db)
        self.stats = StatisticsView(db)

    def positions(self) -> dict[str, int]:
        """Projection name -> the last log position it has applied."""
        return {p.name: p.position for p in read_positions(self.db) if not p.name.endswith(SHADOW_SUFFIX)}
