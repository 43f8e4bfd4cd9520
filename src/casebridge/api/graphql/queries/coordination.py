"""`evidenceRequest(id)`, `jointAction(id)` and `inbox`: visible to the parties only."""

from __future__ import annotations

import strawberry
from strawberry import Info

from casebridge.api.graphql.types.evidence_request import EvidenceRequest
from casebridge.api.graphql.types.inbox import Inbox, read_inbox
from casebridge.api.graphql.types.joint_action import JointAction

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


def inbox(info: Info) -> Inbox:
    context = info.context
    context.require(READ)
    return read_inbox(context).inbox
