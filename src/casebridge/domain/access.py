"""Who may see a case, and why (docs/contract.md, "Who sees what"): the one definition.

Each aggregate grants access from its own facts: a case to its handler, former handlers, the
target of its pending transfer and the handler's supervising ancestors; an evidence request to
its two parties; a joint action to its coordinator and the participants that have joined (an
invitee sees the invitation, not the cases, until it joins; one that declines sees nothing of
them). A jurisdiction may see a case when any grant names it. The visibility read model, the
legal replay (`caseAccess`) and the API's `CaseRole` are all built from this module.

A grant is *disclosed* to a viewer — listed in `Case.participants` or `caseAccess` — only when
the viewer may see what grants it: the case's own grants to anyone who sees the case, those of
an evidence request or joint action only to a jurisdiction holding a grant from the same one.
Nothing a jurisdiction cannot see is inferable from the list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from casebridge.domain.values import ParticipationStatus

if TYPE_CHECKING:
    from casebridge.domain.case import Case
    from casebridge.domain.evidence_request import EvidenceRequest
    from casebridge.domain.joint_action import JointAction
    from casebridge.domain.jurisdictions import JurisdictionRegistry


class AccessReason(Enum):
    """Why a jurisdiction may see a case, in the order they are listed."""

    HANDLING = "HANDLING"
    FORMER_HANDLER = "FORMER_HANDLER"
    TRANSFER_TARGET = "TRANSFER_TARGET"
    EVIDENCE_REQUEST_PARTY = "EVIDENCE_REQUEST_PARTY"
    JOINT_ACTION_PARTICIPANT = "JOINT_ACTION_PARTICIPANT"
    SUPERVISING_ANCESTOR = "SUPERVISING_ANCESTOR"


@dataclass(frozen=True, order=True)
class Grant:
    """`jurisdiction` may see case `case_id` for `reason`, granted by aggregate `source`
    (the case itself, an evidence request or a joint action; ids as `str(UUID)`)."""

    case_id: str
    jurisdiction: str
    reason: AccessReason
    source: str

    @property
    def from_case(self) -> bool:
        return self.source == self.case_id


# -- the rule, from each aggregate's facts ----------------------------------------------------


def case_grants(case_id: str, *, handling: str, former_handlers: Iterable[str], transfer_target: str | None,
                ancestors: Iterable[str]) -> set[Grant]:
    """What a case's own facts grant (`ancestors`: the handler's supervising ancestors)."""
    grants = {Grant(case_id, handling, AccessReason.HANDLING, case_id)}
    grants |= {Grant(case_id, j, AccessReason.FORMER_HANDLER, case_id) for j in former_handlers}
    if transfer_target is not None:
        grants.add(Grant(case_id, transfer_target, AccessReason.TRANSFER_TARGET, case_id))
    grants |= {Grant(case_id, j, AccessReason.SUPERVISING_ANCESTOR, case_id) for j in ancestors}
    return grants


def request_grants(request_id: str, case_id: str, *, applicant: str, requested: str) -> set[Grant]:
    """Both parties to an evidence request see its case, whatever became of the request."""
    return {Grant(case_id, j, AccessReason.EVIDENCE_REQUEST_PARTY, request_id) for j in (applicant, requested)}


def action_grants(action_id: str, case_ids: Iterable[str], *, coordinator: str,
                  participants: Mapping[str, ParticipationStatus]) -> set[Grant]:
    """The coordinator and the joined participants see a joint action's cases; an invitee
    only once it has joined, and one that declined never."""
    case_ids = list(case_ids)
    grants = participant_grants(action_id, case_ids, coordinator, ParticipationStatus.COORDINATOR)
    for jurisdiction, status in participants.items():
        grants |= participant_grants(action_id, case_ids, jurisdiction, status)
    return grants


def participant_grants(action_id: str, case_ids: Iterable[str], jurisdiction: str,
                       status: ParticipationStatus) -> set[Grant]:
    """What one jurisdiction's part in a joint action grants it."""
    if not sees_action_cases(status):
        return set()
    return {Grant(c, jurisdiction, AccessReason.JOINT_ACTION_PARTICIPANT, action_id) for c in case_ids}


def sees_action_cases(status: ParticipationStatus) -> bool:
    return status in (ParticipationStatus.COORDINATOR, ParticipationStatus.JOINED)


def sees_invitation(status: ParticipationStatus) -> bool:
    """Whether a jurisdiction with this part in a joint action is told its linked cases'
    references and titles: all but one that declined."""
    return status is not ParticipationStatus.DECLINED


# -- the same rule over aggregates ------------------------------------------------------------


def grants_of_case(case: Case, registry: JurisdictionRegistry) -> set[Grant]:
    handling = case.handling_jurisdiction
    return case_grants(
        str(case.id), handling=handling, former_handlers=case.former_handlers,
        transfer_target=case.pending_transfer.to if case.pending_transfer is not None else None,
        ancestors=registry.ancestors(handling) if handling in registry else (),
    )


def grants_of_request(request: EvidenceRequest) -> set[Grant]:
    return request_grants(str(request.id), str(request.case_id), applicant=request.applicant, requested=request.requested)


def grants_of_action(action: JointAction) -> set[Grant]:
    return action_grants(str(action.id), map(str, action.case_ids), coordinator=action.coordinator,
                         participants=action.participants)


def may_see(grants: Iterable[Grant], jurisdiction: str) -> bool:
    return any(g.jurisdiction == jurisdiction for g in grants)


def sources_held(grants: Iterable[Grant], viewer: str) -> set[str]:
    """The aggregates through which `viewer` may see the case (empty: it may not)."""
    return {g.source for g in grants if g.jurisdiction == viewer}


def disclosed(grants: Iterable[Grant], held: set[str]) -> list[Grant]:
    """The grants a viewer holding grants from the sources `held` may be shown, in the order of
    `AccessReason`, then jurisdiction: the case's own grants, and those of the evidence requests
    and joint actions the viewer sees the case through. Nothing when `held` is empty."""
    if not held:
        return []
    order = {reason: i for i, reason in enumerate(AccessReason)}
    shown = {g for g in grants if g.from_case or g.source in held}
    return sorted(shown, key=lambda g: (g.case_id, order[g.reason], g.jurisdiction, g.source))


def disclosed_to(grants: Iterable[Grant], viewer: str) -> list[Grant]:
    grants = list(grants)
    return disclosed(grants, sources_held(grants, viewer))


# -- leads (线索) -------------------------------------------------------------------------------


def lead_visible_to(holder: str, jurisdiction: str) -> bool:
    """A lead is visible to the jurisdiction holding it, and to no one else — not even its
    supervisors: a lead is unchecked material, often with a reporter's personal data
    (投诉举报办法), and supervision starts from the case it may become."""
    return jurisdiction == holder
