"""Case references: unique per deployment, generated per jurisdiction and year when the
caller gives none. Uniqueness is enforced by the event store itself: a reference is an
aggregate whose id is derived from its text, created in the same write as the case.
"""

from __future__ import annotations

from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from casebridge.application.idempotency import NAMESPACE


def format_reference(jurisdiction: str, year: int, number: int) -> str:
    return f"{jurisdiction}-{year}-{number:05d}"


class ReferenceClaim(Aggregate):
    """A case reference, claimed once: its id is derived from the reference text."""

    class Claimed(Aggregate.Created):
        reference: str
        case_id: UUID

    @staticmethod
    def id_for(reference: str) -> UUID:
        return uuid5(NAMESPACE, f"reference\n{reference}")

    @event(Claimed)
    def __init__(self, *, id: UUID, reference: str, case_id: UUID) -> None:
        self.reference = reference
        self.case_id = case_id


class ReferenceSequence(Aggregate):
    """The counter behind generated references, one per jurisdiction and year. Every
    event carries the number it handed out, so the next number is read from the last
    stored event alone, never by replaying the whole sequence."""

    class Started(Aggregate.Created):
        jurisdiction: str
        year: int
        number: int

    class Advanced(Aggregate.Event):
        number: int

    @staticmethod
    def id_for(jurisdiction: str, year: int) -> UUID:
        return uuid5(NAMESPACE, f"reference-sequence\n{jurisdiction}\n{year}")

    @event(Started)
    def __init__(self, *, id: UUID, jurisdiction: str, year: int, number: int) -> None:
        self.jurisdiction = jurisdiction
        self.year = year
        self.number = number

    @event(Advanced)
    def _advanced(self, *, number: int) -> None:
        self.number = number
