"""The read models CaseBridge keeps, by name, built for one dialect (and table suffix)."""

from __future__ import annotations

from collections.abc import Sequence

from casebridge.domain.jurisdictions import JurisdictionRegistry
from casebridge.projections.cases import CasesProjection
from casebridge.projections.evidence_requests import EvidenceRequestsProjection
from casebridge.projections.joint_actions import JointActionsProjection
from casebridge.projections.leads import LeadsProjection
from casebridge.projections.projection import Projection
from casebridge.projections.sql import Sql
from casebridge.projections.statistics import StatisticsProjection
from casebridge.projections.transfers import TransfersProjection
from casebridge.projections.visibility import VisibilityProjection

PROJECTION_CLASSES: tuple[type[Projection], ...] = (
    CasesProjection, VisibilityProjection, TransfersProjection, EvidenceRequestsProjection,
    JointActionsProjection, StatisticsProjection, LeadsProjection,
)
NAMES: tuple[str, ...] = tuple(cls.name for cls in PROJECTION_CLASSES)


class UnknownProjectionError(KeyError):
    def __str__(self) -> str:
        return f"unknown projection {self.args[0]!r}; known: {', '.join(NAMES)}"


def build(dialect: str, registry: JurisdictionRegistry, *, names: Sequence[str] | None = None,
          suffix: str = "") -> list[Projection]:
    """Projection objects for `names` (default: all), writing tables named with `suffix`."""
    wanted = list(names) if names else list(NAMES)
    for name in wanted:
        if name not in NAMES:
            raise UnknownProjectionError(name)
    sql = Sql(dialect, suffix)
    out: list[Projection] = []
    for cls in PROJECTION_CLASSES:
        if cls.name in wanted:
            out.append(cls(sql, registry) if cls is VisibilityProjection else cls(sql))
    return out
