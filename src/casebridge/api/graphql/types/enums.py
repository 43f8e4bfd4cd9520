"""The schema's enums. Those of the domain are mirrored value for value, so a row's text
(`"OPEN"`) and a domain enum member convert both ways by value."""

from __future__ import annotations

from enum import Enum

import strawberry

from casebridge.domain import access, values


def _mirror(domain: type[Enum], description: str, name: str | None = None,
            deprecated: dict[Enum, str] | None = None) -> type[Enum]:
    deprecated = deprecated or {}
    mirrored = Enum(name or domain.__name__, {  # type: ignore[misc]
        member.name: strawberry.enum_value(member.value, deprecation_reason=deprecated[member])
        if member in deprecated else member.value for member in domain})
    mirrored.__module__ = __name__
    return strawberry.enum(mirrored, description=description)


SubjectKind = _mirror(values.SubjectKind, "What kind of trader a case is about.")
CaseCategory = _mirror(values.CaseCategory, "The area of market regulation a case belongs to.")
CaseStatus = _mirror(
    values.CaseStatus, "Open; disputed before the common superior after a declined transfer; suspended (中止); or closed.")
CaseOutcome = _mirror(values.CaseOutcome, "How a closed case ended.")
CaseClockPauseReason = _mirror(
    values.CaseClockPauseReason, "Why the decision period is paused: time that does not count (行政处罚法 Art 60).")
RefusalReason = _mirror(
    values.RefusalReason,
    "Why a requested jurisdiction did not assist (行政处罚法 Art 26): OUTSIDE_COMPETENCE (naming the competent office "
    "when known) or OTHER with a detail. Too little information is a clarification (askClarification), not a refusal.",
    deprecated={r: "An EU-style ground kept for refusals recorded before 行政处罚法 Art 26 applied; no longer accepted: "
                   "refuse as OUTSIDE_COMPETENCE or OTHER, or ask for clarification."
                for r in values.RefusalReason if not r.accepted},
)
EvidenceRequestStatus = _mirror(values.EvidenceRequestStatus, "Where an evidence (assistance) request stands.")
JointActionStatus = _mirror(values.JointActionStatus, "Whether a joint action is running or closed.")
JointActionParticipantStatus = _mirror(
    values.ParticipationStatus, "A jurisdiction's part in a joint action: the coordinator, or an invitee's answer.",
    name="JointActionParticipantStatus",
)
JointTaskStatus = _mirror(values.TaskStatus, "Whether a joint-action task is still open.", name="JointTaskStatus")


CaseRole = _mirror(access.AccessReason, "Why a jurisdiction may see a case.", name="CaseRole")


@strawberry.enum(description="Where a transfer (移送) of a case stands.")
class TransferStatus(Enum):
    PENDING = "PENDING"
    DISPUTED = "DISPUTED"  # declined: before the common superior; the receiver may still accept, the sender withdraw
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    WITHDRAWN = "WITHDRAWN"
    SUPERSEDED = "SUPERSEDED"


def to_domain(value: Enum | None, domain: type[Enum]):
    """The domain member with the same value (enums of this module mirror the domain's)."""
    return None if value is None else domain(value.value)
