"""What waits for the caller's jurisdiction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import strawberry

from casebridge.api.graphql.types.case import DesignationPetition, Transfer
from casebridge.api.graphql.types.evidence_request import EvidenceRequest
from casebridge.api.graphql.types.joint_action import JointAction
from casebridge.api.graphql.types.lead import Lead

if TYPE_CHECKING:
    from casebridge.api.graphql.context import GraphQLContext


@strawberry.type(description="Work waiting for your jurisdiction.")
class Inbox:
    incoming_transfers: list[Transfer] = strawberry.field(description="Transfers of cases to you, waiting for your answer.")
    evidence_requests: list[EvidenceRequest] = strawberry.field(description="Open evidence requests addressed to you, due first.")
    joint_action_invitations: list[JointAction] = strawberry.field(description="Active joint actions you were invited to and have not answered.")
    leads_to_check: list[Lead] = strawberry.field(description="Leads you hold still being checked, the soonest due first.")
    designation_petitions: list[DesignationPetition] = strawberry.field(
        description="Disputed transfers waiting for you, the nearest common superior, to designate the handler; oldest first.")


@dataclass(frozen=True)
class InboxSnapshot:
    inbox: Inbox
    fingerprint: tuple


def read_inbox(context: GraphQLContext) -> InboxSnapshot:
    """The caller's inbox, read now (four queries), with what tells one state from the next."""
    rm = context.services.read_models
    j = context.jurisdiction
    loaders = context.loaders
    transfers = rm.transfers.incoming(j)
    requests = rm.evidence_requests.awaiting(j)
    invitations = rm.joint_actions.invitations(j)
    leads = rm.leads.to_check(j)
    disputed = rm.cases.designation_petitions(j)
    loaders.cases_seen(disputed)
    loaders.transfers_seen(transfers)
    loaders.requests_seen(requests)
    loaders.actions_seen(invitations)
    fingerprint = (
        tuple((t.id, t.status) for t in transfers),
        tuple((r.id, r.version) for r in requests),
        tuple((a.id, a.version) for a in invitations),
        tuple((lead.id, lead.version) for lead in leads),
        tuple((c.id, c.version) for c in disputed),
    )
    inbox = Inbox(incoming_transfers=transfers, evidence_requests=requests, joint_action_invitations=invitations,  # type: ignore[arg-type]
                  leads_to_check=leads, designation_petitions=[c.dispute for c in disputed])  # type: ignore[misc]
    return InboxSnapshot(inbox=inbox, fingerprint=fingerprint)
