"""Case references: unique per deployment, generated per jurisdiction and year when the
caller gives none. Uniqueness is enforced by the event store itself: a reference is an
aggregate whose id is derived from its text, created in the same write as the case.

A reference chosen by hand may not take the shape of another jurisdiction's generated
references (`320500-2025-00017` is Suzhou's alone), and a refused reference is answered
the same whether or not it exists: nobody counts another jurisdiction's cases by asking.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate, event

from casebridge.application.errors import ReferenceNotAvailableError
from casebridge.application.idempotency import NAMESPACE

GENERATED = re.compile(r"(\d{6})-(\d{4})-(\d+)")


def format_reference(jurisdiction: str, year: int, number: int) -> str:
    return f"{jurisdiction}-{year}-{number:05d}"


def chosen_reference(reference: str, jurisdiction: str) -> str:
    """A reference given by hand, trimmed; one in another jurisdiction's generated shape is
    refused before anything is looked up."""
    ref = reference.strip()
    shape = GENERATED.fullmatch(ref)
    if shape is not None and shape.group(1) != jurisdiction:
        raise ReferenceNotAvailableError()
    return ref


class ReferenceBook:
    """Claims references through the application's repository: `claim` a chosen one (the
    only lookup, made after every other check), or `generate` the next of a jurisdiction
    and year (the sequence aggregate advanced, plus the claim, saved with the case)."""

    def __init__(self, repository: Any, exists: Callable[[UUID], bool]) -> None:
        self._repository = repository
        self._exists = exists

    def claim(self, reference: str, case_id: UUID) -> ReferenceClaim:
        claim_id = ReferenceClaim.id_for(reference)
        if self._exists(claim_id):
            raise ReferenceNotAvailableError()
        return ReferenceClaim(id=claim_id, reference=reference, case_id=case_id)

    def generate(self, jurisdiction: str, year: int, case_id: UUID) -> tuple[str, list[Aggregate]]:
        seq_id = ReferenceSequence.id_for(jurisdiction, year)
        try:
            seq: ReferenceSequence | None = self._repository.get(seq_id)
        except AggregateNotFoundError:
            seq = None
        number = seq.number if seq is not None else 0
        while True:  # skip numbers a caller already took by hand
            number += 1
            ref = format_reference(jurisdiction, year, number)
            if not self._exists(ReferenceClaim.id_for(ref)):
                break
        if seq is None:
            seq = ReferenceSequence(id=seq_id, jurisdiction=jurisdiction, year=year, number=number)
        else:
            seq.advance(number)
        return ref, [seq, ReferenceClaim(id=ReferenceClaim.id_for(ref), reference=ref, case_id=case_id)]


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
    event carries the number it handed out; snapshots (CaseBridge.snapshotting_intervals)
    bound how many events the repository replays to load it."""

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

    def advance(self, number: int) -> None:
        self._advanced(number=number)

    @event(Advanced)
    def _advanced(self, *, number: int) -> None:
        self.number = number
