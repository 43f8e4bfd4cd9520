"""`evidenceRequest(id)`, `jointAction(id)`, `jointActions` and `inbox`: visible to the parties only."""

from __future__ import annotations

import strawberry
from strawberry import Info

from casebridge.api.graphql.context import BadUserInputError
from casebridge.api.graphql.hardening import MAX_PAGE_SIZE
from casebridge.api.graphql.types.evidence_request import EvidenceRequest
from casebridge.api.graphql.types.inbox import Inbox, read_inbox
from casebridge.api.graphql.types.joint_action import (
    JointAction,
    JointActionConnection,
    JointActionEdge,
    JointActionPageInfo,
)
from casebridge.projections.views import InvalidCursorError

READ = "cases:read"


def evidence_request(info: Info, id: strawberry.ID) -> EvidenceRequest | None:
    context = info.context
    context.require(READ)
    row = context.services.read_models.evidence_requests.get(context.jurisdiction, str(id))
    if row is not None:
        context.loaders.requests_seen([row])
    return row


def joint_action(info: Info, id: strawberry.ID) -> JointAction | None:
    context = info.context
    context.require(READ)
    row = context.services.read_models.joint_actions.get(context.jurisdiction, str(id))
    if row is not None:
        context.loaders.actions_seen([row])
    return row


def joint_actions(info: Info, first: int = 20, after: str | None = None) -> JointActionConnection:
    context = info.context
    context.require(READ)
    if not 1 <= first <= MAX_PAGE_SIZE:
        raise BadUserInputError(f"first must be between 1 and {MAX_PAGE_SIZE}")
    try:
        page = context.services.read_models.joint_actions.page(context.jurisdiction, first=first, after=after)
    except InvalidCursorError:
        raise BadUserInputError("after is not a cursor this server issued") from None
    context.loaders.actions_seen(page.items)
    return JointActionConnection(
        edges=[JointActionEdge(cursor=c, node=row) for row, c in zip(page.items, page.cursors, strict=True)],  # type: ignore[arg-type]
        page_info=JointActionPageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor),
    )


def inbox(info: Info) -> Inbox:
    context = info.context
    context.require(READ)
    return read_inbox(context).inbox
