"""The root query type. Every field checks the token's scope; visibility is the read models'."""

from __future__ import annotations

import strawberry

from casebridge.api.graphql.queries import cases as case_queries
from casebridge.api.graphql.queries import coordination, viewer
from casebridge.api.graphql.types.case import Case, CaseConnection
from casebridge.api.graphql.types.evidence_request import EvidenceRequest
from casebridge.api.graphql.types.inbox import Inbox
from casebridge.api.graphql.types.joint_action import JointAction
from casebridge.api.graphql.types.jurisdiction import Jurisdiction, Viewer


@strawberry.type
class Query:
    me: Viewer = strawberry.field(resolver=viewer.me, description="The caller: client, jurisdiction and scopes.")
    jurisdictions: list[Jurisdiction] = strawberry.field(
        resolver=viewer.jurisdictions, description="Every jurisdiction CaseBridge knows (reference data).")
    case: Case | None = strawberry.field(
        resolver=case_queries.case, description="A case, or null when it does not exist for your jurisdiction. Needs cases:read.")
    cases: CaseConnection = strawberry.field(
        resolver=case_queries.cases, description="The cases your jurisdiction may see, newest change first. Needs cases:read.")
    inbox: Inbox = strawberry.field(resolver=coordination.inbox, description="What waits for your jurisdiction. Needs cases:read.")
    evidence_request: EvidenceRequest | None = strawberry.field(
        resolver=coordination.evidence_request, description="An evidence request you are a party to. Needs cases:read.")
    joint_action: JointAction | None = strawberry.field(
        resolver=coordination.joint_action, description="A joint action you coordinate or were invited to. Needs cases:read.")
