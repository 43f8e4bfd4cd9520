"""What the views return: frozen dataclasses of plain values, one module per read model.

Ids are strings: aggregate ids in canonical UUID form (`str(uuid)`), evidence and task ids
as the application issued them. Timestamps are timezone-aware UTC datetimes; sequences are
tuples. Re-exported here and by `casebridge.projections.views`.
"""

from casebridge.projections.rows.paging import Page
from casebridge.projections.rows.cases import (
    CaseFilter,
    CaseRow,
    DisputeRow,
    EvidenceRow,
    ParticipantRow,
    PendingTransferRow,
    PlatformOperatorRow,
)
from casebridge.projections.rows.transfers import TransferRow
from casebridge.projections.rows.evidence_requests import EvidenceItemRow, EvidenceRequestRow
from casebridge.projections.rows.joint_actions import JointActionRow, JointParticipantRow, JointTaskRow
from casebridge.projections.rows.statistics import CaseCount, EvidenceStats, JurisdictionStats, TransferStats

__all__ = [
    "CaseCount",
    "CaseFilter",
    "CaseRow",
    "DisputeRow",
    "EvidenceItemRow",
    "EvidenceRequestRow",
    "EvidenceRow",
    "EvidenceStats",
    "JointActionRow",
    "JointParticipantRow",
    "JointTaskRow",
    "JurisdictionStats",
    "Page",
    "ParticipantRow",
    "PendingTransferRow",
    "PlatformOperatorRow",
    "TransferRow",
    "TransferStats",
]
