"""The root query type. Every field checks the token's scope; visibility is the read models'."""

from __future__ import annotations

import strawberry

from casebridge.api.graphql.queries import cases as case_queries
from casebridge.api.graphql.queries import competence, coordination, leads, legal, viewer
from casebridge.api.graphql.queries import jurisdictions as jurisdiction_queries
from casebridge.api.graphql.types.case import Case, CaseConnection
from casebridge.api.graphql.types.evidence_request import EvidenceRequest
from casebridge.api.graphql.types.history import CaseAccessGrant, CaseHistoryConnection, CaseState, CaseVerification
from casebridge.api.graphql.types.inbox import Inbox
from casebridge.api.graphql.types.joint_action import JointAction, JointActionConnection
from casebridge.api.graphql.types.lead import Lead, LeadConnection
from casebridge.api.graphql.types.jurisdiction import Jurisdiction, Viewer


@strawberry.type
class Query:
    me: Viewer = strawberry.field(resolver=viewer.me, description="The caller: client, jurisdiction and scopes.")
    jurisdictions: list[Jurisdiction] = strawberry.field(
        resolver=jurisdiction_queries.jurisdictions,
        description="The market-regulation bureaus CaseBridge knows (reference data), in code order: of `level`, "
                    "directly under `parent`, whose code or name contains `search`; at most `first` (5000, "
                    "the whole registry with no filter).")
    competent_jurisdictions: list[competence.CompetentJurisdiction] = strawberry.field(
        resolver=competence.competent_jurisdictions,
        description="The jurisdictions competent for a trader under the online-trading rule (投诉举报办法 Art 27; "
                    "程序规定 Art 10), each with the rule that applied; VALIDATION naming the field the rule needs "
                    "when the subject does not say it. Any valid token may ask.")
    case: Case | None = strawberry.field(
        resolver=case_queries.case, description="A case, or null when it does not exist for your jurisdiction. Needs cases:read.")
    cases: CaseConnection = strawberry.field(
        resolver=case_queries.cases, description="The cases your jurisdiction may see, newest change first. Needs cases:read.")
    lead: Lead | None = strawberry.field(
        resolver=leads.lead, description="A lead your jurisdiction holds, or null. Needs cases:read.")
    leads: LeadConnection = strawberry.field(
        resolver=leads.leads, description="The leads your jurisdiction holds, newest first. Needs cases:read.")
    inbox: Inbox = strawberry.field(resolver=coordination.inbox, description="What waits for your jurisdiction. Needs cases:read.")
    evidence_request: EvidenceRequest | None = strawberry.field(
        resolver=coordination.evidence_request, description="An evidence request you are a party to. Needs cases:read.")
    joint_action: JointAction | None = strawberry.field(
        resolver=coordination.joint_action, description="A joint action you coordinate or were invited to. Needs cases:read.")
    joint_actions: JointActionConnection = strawberry.field(
        resolver=coordination.joint_actions,
        description="The joint actions you coordinate or were invited to, newest first (the board). Needs cases:read.")
    case_history: CaseHistoryConnection | None = strawberry.field(
        resolver=legal.case_history,
        description="Every recorded event of the case and of the evidence requests and joint actions concerning it "
                    "that you may see, oldest first. Needs history:read.")
    case_as_of: CaseState | None = strawberry.field(
        resolver=legal.case_as_of,
        description="The case as it stood after `version`, or after its last event at or before `at` (give one). "
                    "Needs history:read.")
    verify_case: CaseVerification | None = strawberry.field(
        resolver=legal.verify_case,
        description="Recompute the case's hash chain from the stored events and hold it against the latest signed "
                    "checkpoint. Needs history:read.")
    case_access: list[CaseAccessGrant] | None = strawberry.field(
        resolver=legal.case_access,
        description="Which jurisdictions could see the case at `at`, and why. Needs history:read.")
