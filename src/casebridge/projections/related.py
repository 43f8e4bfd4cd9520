"""The streams that concern a case besides its own: its evidence requests and the joint
actions that include it. Unfiltered by jurisdiction: for the legal history and court
exports, whose callers have already been allowed to see the case."""

from __future__ import annotations

from uuid import UUID

from casebridge.infra.database import Database


def related_streams(db: Database, case_id: UUID) -> list[tuple[UUID, str]]:
    """(stream id, stream type) pairs, in the order the streams began."""
    key = str(case_id)
    requests = db.query("SELECT id FROM rm_evidence_requests WHERE case_id = ? ORDER BY requested_at, id", (key,))
    actions = db.query(
        "SELECT j.id FROM rm_joint_action_cases c JOIN rm_joint_actions j ON j.id = c.action_id "
        "WHERE c.case_id = ? ORDER BY j.proposed_at, j.id",
        (key,),
    )
    return [(UUID(r[0]), "EvidenceRequest") for r in requests] + [(UUID(r[0]), "JointAction") for r in actions]
