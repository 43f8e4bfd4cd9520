"""The read side the API codes against (docs/read-model-interface.md): row types and the
`ReadModels` facade. Every method that takes a jurisdiction filters in SQL by what that
jurisdiction may see; what it may not see is absent."""

from __future__ import annotations

from casebridge.infra.database import Database
from casebridge.projections.cases import CasesView, InvalidCursorError
from casebridge.projections.evidence_requests import EvidenceRequestsView
from casebridge.projections.joint_actions import JointActionsView
from casebridge.projections.leads import LeadFilter, LeadRow, LeadsView
from casebridge.projections.rows.cases import CaseFilter, CaseRow, DisputeRow, EvidenceRow, ParticipantRow, PendingTransferRow
from casebridge.projections.rows.evidence_requests import EvidenceItemRow, EvidenceRequestRow
from casebridge.projections.rows.joint_actions import JointActionRow, JointParticipantRow, JointTaskRow
from casebridge.projections.rows.paging import Page
from casebridge.projections.rows.statistics import CaseCount, EvidenceStats, JurisdictionStats, TransferStats
from casebridge.projections.rows.transfers import TransferRow
from casebridge.projections.statistics import StatisticsView
from casebridge.projections.tables import SHADOW_SUFFIX
from casebridge.projections.tracking import FailureRow, read_failures, read_positions
from casebridge.projections.transfers import TransfersView

__all__ = [
    "CaseCount", "CaseFilter", "CaseRow", "CasesView", "DisputeRow", "EvidenceItemRow", "EvidenceRequestRow", "EvidenceRequestsView",
    "EvidenceRow", "EvidenceStats", "InvalidCursorError", "JointActionRow", "JointActionsView", "JointParticipantRow",
    "JointTaskRow", "JurisdictionStats", "LeadFilter", "LeadRow", "LeadsView", "Page", "ParticipantRow", "PendingTransferRow", "ReadModels",
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
        self.leads = LeadsView(db)

    def positions(self) -> dict[str, int]:
        """Projection name -> the last log position it has applied."""
        return {p.name: p.position for p in read_positions(self.db) if not p.name.endswith(SHADOW_SUFFIX)}

    def failures(self) -> list[FailureRow]:
        """Read models stopped before an event they cannot apply (see `projections.runner`)."""
        return [f for f in read_failures(self.db) if not f.name.endswith(SHADOW_SUFFIX)]
