"""The enforcement case: held by one handling jurisdiction at a time.

Transfers (移送) move a case between jurisdictions with the target's consent; a case
received by transfer may not be transferred onward on its own, and a dispute goes to
designation (指定管辖) by a common superior jurisdiction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event

from casebridge.domain.access import grants_of_case, may_see
from casebridge.domain.errors import (
    CaseClosedError,
    CaseNotClosedError,
    NoPendingTransferError,
    NotCommonSuperiorError,
    NotHandlingJurisdictionError,
    NotTransferTargetError,
    OnwardTransferNotAllowedError,
    SameJurisdictionError,
    TransferAlreadyPendingError,
    ValidationError,
)
from casebridge.domain.jurisdictions import JurisdictionRegistry
from casebridge.domain.values import (
    Actor,
    CaseCategory,
    CaseOutcome,
    CaseStatus,
    EvidenceItem,
    Subject,
    identifier_text,
    optional_text,
    sha256_hex,
    text,
)


@dataclass(frozen=True)
class PendingTransfer:
    sender: str
    to: str
    reason: str


class Case(Aggregate):
    class Event(Aggregate.Event):
        actor: Actor

    class Opened(Aggregate.Created, Event):
        reference: str
        title: str
        summary: str
        subject: Subject
        category: CaseCategory
        legal_basis: str | None
        handling_jurisdiction: str

    class DetailsRevised(Event):
        title: str
        summary: str
        category: CaseCategory
        legal_basis: str | None

    class TransferRequested(Event):
        sender: str
        to: str
        reason: str

    class TransferAccepted(Event):
        sender: str
        receiver: str

    class TransferDeclined(Event):
        sender: str
        receiver: str
        reason: str

    class TransferWithdrawn(Event):
        sender: str
        receiver: str

    class JurisdictionDesignated(Event):
        previous: str
        jurisdiction: str
        reason: str

    class EvidenceAdded(Event):
        evidence_id: str
        item: EvidenceItem

    class Closed(Event):
        outcome: CaseOutcome
        summary: str | None

    class Reopened(Event):
        reason: str

    # -- filing from a lead (线索 -> 立案; domain/lead.py) --
    class FilingRecorded(Event):
        lead_id: UUID
        filing_number: str
        filing_date: date

    # -- commands (decide; may raise) ----------------------------------------------------

    @classmethod
    def open(
        cls,
        *,
        actor: Actor,
        reference: str,
        title: str,
        summary: str,
        subject: Subject,
        category: CaseCategory,
        legal_basis: str | None = None,
        id: UUID | None = None,
    ) -> Case:
        return cls(
            actor=actor,
            reference=identifier_text(reference, "reference", limit=64),
            title=text(title, "title", limit=300),
            summary=text(summary, "summary", limit=10_000),
            subject=subject,
            category=category,
            legal_basis=optional_text(legal_basis, "legalBasis", limit=2000),
            handling_jurisdiction=actor.jurisdiction,
            id=id or uuid4(),
        )

    def revise_details(
        self, actor: Actor, *, title: str | None = None, summary: str | None = None,
        category: CaseCategory | None = None, legal_basis: str | None = None,
    ) -> None:
        self._require_open_and_handling(actor)
        self._details_revised(
            actor=actor,
            title=text(title, "title", limit=300) if title is not None else self.title,
            summary=text(summary, "summary", limit=10_000) if summary is not None else self.summary,
            category=category or self.category,
            legal_basis=optional_text(legal_basis, "legalBasis", limit=2000) if legal_basis is not None else self.legal_basis,
        )

    def request_transfer(self, actor: Actor, *, to: str, reason: str, registry: JurisdictionRegistry) -> None:
        self._require_open_and_handling(actor)
        registry.require(to, field="to")
        if to == self.handling_jurisdiction:
            raise SameJurisdictionError("a case cannot be transferred to its own handling jurisdiction", field="to")
        if self.pending_transfer is not None:
            raise TransferAlreadyPendingError()
        if self.received_by_transfer:
            raise OnwardTransferNotAllowedError()
        self._transfer_requested(actor=actor, sender=self.handling_jurisdiction, to=to, reason=text(reason, "reason", limit=4000))

    def accept_transfer(self, actor: Actor) -> None:
        pending = self._require_pending_addressed_to(actor)
        self._transfer_accepted(actor=actor, sender=pending.sender, receiver=pending.to)

    def decline_transfer(self, actor: Actor, *, reason: str) -> None:
        pending = self._require_pending_addressed_to(actor)
        self._transfer_declined(actor=actor, sender=pending.sender, receiver=pending.to, reason=text(reason, "reason", limit=4000))

    def withdraw_transfer(self, actor: Actor) -> None:
        if self.pending_transfer is None:
            raise NoPendingTransferError()
        if actor.jurisdiction != self.pending_transfer.sender:
            raise NotHandlingJurisdictionError()
        self._transfer_withdrawn(actor=actor, sender=self.pending_transfer.sender, receiver=self.pending_transfer.to)

    def designate_jurisdiction(self, actor: Actor, *, jurisdiction: str, reason: str, registry: JurisdictionRegistry) -> None:
        if self.status is CaseStatus.CLOSED:
            raise CaseClosedError()
        registry.require(jurisdiction, field="jurisdiction")
        if actor.jurisdiction not in registry.common_superiors(self.handling_jurisdiction, jurisdiction):
            raise NotCommonSuperiorError()
        self._jurisdiction_designated(
            actor=actor, previous=self.handling_jurisdiction, jurisdiction=jurisdiction,
            reason=text(reason, "reason", limit=4000),
        )

    def add_evidence(self, actor: Actor, *, evidence_id: str, item: EvidenceItem) -> None:
        self._require_open_and_handling(actor)
        # An item built without EvidenceItem.create skipped its checks; the event keeps it forever.
        item = replace(item, sha256=sha256_hex(item.sha256, "sha256"))
        self._evidence_added(actor=actor, evidence_id=evidence_id, item=item)

    def close(self, actor: Actor, *, outcome: CaseOutcome, summary: str | None = None) -> None:
        self._require_open_and_handling(actor)
        if self.pending_transfer is not None:
            raise TransferAlreadyPendingError()
        if not isinstance(outcome, CaseOutcome):
            raise ValidationError("closing a case needs an outcome", field="outcome")
        self._closed(actor=actor, outcome=outcome, summary=optional_text(summary, "summary", limit=10_000))

    def reopen(self, actor: Actor, *, reason: str) -> None:
        if self.status is not CaseStatus.CLOSED:
            raise CaseNotClosedError()
        if actor.jurisdiction != self.handling_jurisdiction:
            raise NotHandlingJurisdictionError()
        self._reopened(actor=actor, reason=text(reason, "reason", limit=4000))

    def record_filing(self, actor: Actor, *, lead_id: UUID, filing_number: str, filing_date: date) -> None:
        """The handling office's own filing number (立案号) and date; each office keeps its own."""
        self._require_open_and_handling(actor)
        self._filing_recorded(actor=actor, lead_id=lead_id, filing_number=text(filing_number, "filingNumber", limit=64),
                              filing_date=filing_date)

    @event(FilingRecorded)
    def _filing_recorded(self, *, actor: Actor, lead_id: UUID, filing_number: str, filing_date: date) -> None:
        self.filings = [*getattr(self, "filings", []), (actor.jurisdiction, filing_number, filing_date)]

    # -- queries ---------------------------------------------------------------------------

    def visible_to(self, jurisdiction: str, registry: JurisdictionRegistry) -> bool:
        """Whether the case's own facts let `jurisdiction` see it (domain/access.py; the
        grants of evidence requests and joint actions are known to the read side)."""
        return may_see(grants_of_case(self, registry), jurisdiction)

    # -- guards ------------------------------------------------------------------------------

    def _require_open_and_handling(self, actor: Actor) -> None:
        if actor.jurisdiction != self.handling_jurisdiction:
            raise NotHandlingJurisdictionError()
        if self.status is CaseStatus.CLOSED:
            raise CaseClosedError()

    def _require_pending_addressed_to(self, actor: Actor) -> PendingTransfer:
        if self.pending_transfer is None:
            raise NoPendingTransferError()
        if actor.jurisdiction != self.pending_transfer.to:
            raise NotTransferTargetError()
        return self.pending_transfer

    # -- events (apply; never raise: they run again on every replay) -----------------------

    @event(Opened)
    def __init__(
        self, *, id: UUID, actor: Actor, reference: str, title: str, summary: str, subject: Subject,
        category: CaseCategory, legal_basis: str | None, handling_jurisdiction: str,
    ) -> None:
        self.reference = reference
        self.title = title
        self.summary = summary
        self.subject = subject
        self.category = category
        self.legal_basis = legal_basis
        self.opened_by = actor
        self.handling_jurisdiction = handling_jurisdiction
        self.former_handlers: list[str] = []
        self.pending_transfer: PendingTransfer | None = None
        self.received_by_transfer = False
        self.evidence: dict[str, EvidenceItem] = {}
        self.status = CaseStatus.OPEN
        self.outcome: CaseOutcome | None = None
        self.closing_summary: str | None = None

    @event(DetailsRevised)
    def _details_revised(self, *, actor: Actor, title: str, summary: str, category: CaseCategory, legal_basis: str | None) -> None:
        self.title, self.summary, self.category, self.legal_basis = title, summary, category, legal_basis

    @event(TransferRequested)
    def _transfer_requested(self, *, actor: Actor, sender: str, to: str, reason: str) -> None:
        self.pending_transfer = PendingTransfer(sender=sender, to=to, reason=reason)

    @event(TransferAccepted)
    def _transfer_accepted(self, *, actor: Actor, sender: str, receiver: str) -> None:
        self._hand_over(receiver)
        self.received_by_transfer = True

    @event(TransferDeclined)
    def _transfer_declined(self, *, actor: Actor, sender: str, receiver: str, reason: str) -> None:
        self.pending_transfer = None

    @event(TransferWithdrawn)
    def _transfer_withdrawn(self, *, actor: Actor, sender: str, receiver: str) -> None:
        self.pending_transfer = None

    @event(JurisdictionDesignated)
    def _jurisdiction_designated(self, *, actor: Actor, previous: str, jurisdiction: str, reason: str) -> None:
        self._hand_over(jurisdiction)
        # A designation settles the question: the designated jurisdiction handles the case
        # as its own, and may transfer it under the ordinary rules.
        self.received_by_transfer = False

    @event(EvidenceAdded)
    def _evidence_added(self, *, actor: Actor, evidence_id: str, item: EvidenceItem) -> None:
        self.evidence[evidence_id] = item

    @event(Closed)
    def _closed(self, *, actor: Actor, outcome: CaseOutcome, summary: str | None) -> None:
        self.status = CaseStatus.CLOSED
        self.outcome = outcome
        self.closing_summary = summary

    @event(Reopened)
    def _reopened(self, *, actor: Actor, reason: str) -> None:
        self.status = CaseStatus.OPEN
        self.outcome = None
        self.closing_summary = None

    def _hand_over(self, to: str) -> None:
        self.pending_transfer = None
        if to != self.handling_jurisdiction:
            if self.handling_jurisdiction not in self.former_handlers:
                self.former_handlers.append(self.handling_jurisdiction)
            self.handling_jurisdiction = to
