"""The read side's DDL, for `casebridge migrate` (idempotent on both dialects)."""

from __future__ import annotations

from casebridge.projections.cases import CASE_EVIDENCE, CASES
from casebridge.projections.evidence_requests import EVIDENCE_REQUEST_ITEMS, EVIDENCE_REQUESTS
from casebridge.projections.joint_actions import (
    JOINT_ACTION_CASES,
    JOINT_ACTION_PARTICIPANTS,
    JOINT_ACTION_TASKS,
    JOINT_ACTIONS,
)
from casebridge.projections.leads import LEADS
from casebridge.projections.statistics import StatisticsProjection
from casebridge.projections.tables import Table
from casebridge.projections.tracking import FAILURES, POSITIONS
from casebridge.projections.transfers import TRANSFERS
from casebridge.projections.visibility import CASE_VISIBILITY

READ_MODEL_TABLES: tuple[Table, ...] = (
    CASES, CASE_EVIDENCE, CASE_VISIBILITY, TRANSFERS, EVIDENCE_REQUESTS, EVIDENCE_REQUEST_ITEMS,
    JOINT_ACTIONS, JOINT_ACTION_PARTICIPANTS, JOINT_ACTION_TASKS, JOINT_ACTION_CASES, *StatisticsProjection.tables,
    LEADS,
)


def schema_statements(dialect: str) -> list[str]:
    statements = POSITIONS.statements(dialect) + FAILURES.statements(dialect)
    for table in READ_MODEL_TABLES:
        statements += table.statements(dialect)
    return statements
