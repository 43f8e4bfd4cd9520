"""The CaseBridge application: commands in (`handle`), aggregates out (`get_*`).

A command is a value (`application/commands.py`); `handle` finds its handler
(`application/handlers/`) and runs it through the command loop (`command_loop.py`:
idempotency records, `expected_version`, retries). `CommandMethods` adds one keyword method
per command for callers that prefer them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import JSONTranscoder

from casebridge.application.chain import ChainedEventStore, ChainedMapper
from casebridge.application.command_loop import execute
from casebridge.application.commands import Command
from casebridge.application.errors import CaseNotFoundError, EvidenceRequestNotFoundError, JointActionNotFoundError
from casebridge.application.handlers import handler_for
from casebridge.application.idempotency import CommandResult
from casebridge.application.methods import CommandMethods
from casebridge.application.references import ReferenceBook, ReferenceSequence
from casebridge.application.reporter_vault import ReporterVault
from casebridge.application.sight import CaseSight
from casebridge.application.transcodings import register_casebridge_transcodings
from casebridge.domain.calendar import DuePeriod, WorkingDayCalendar
from casebridge.domain.case import Case
from casebridge.domain.evidence_request import EvidenceRequest
from casebridge.domain.joint_action import JointAction
from casebridge.domain.jurisdictions import JurisdictionRegistry
from casebridge.domain.lead import Lead, LeadNotFoundError
from casebridge.domain.values import Actor


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


class CaseBridge(CommandMethods, Application):
    name = "CaseBridge"
    snapshotting_intervals = {Case: 100, JointAction: 100, ReferenceSequence: 100}

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        registry: JurisdictionRegistry | None = None,
        calendar: WorkingDayCalendar | None = None,
        due_period: DuePeriod = DuePeriod(15, "working"),
        clock: Callable[[], datetime] = _utcnow,
        sight: CaseSight | None = None,
        reporter_vault: ReporterVault | None = None,
    ) -> None:
        super().__init__(env)
        self.registry = registry or JurisdictionRegistry.load()
        self.calendar = calendar or WorkingDayCalendar.load()
        self.due_period = due_period
        self.clock = clock
        self.sight = sight
        self.reporter_vault = reporter_vault  # None: leads cannot name a reporter (no key store)
        self.references = ReferenceBook(self.repository, lambda id_: bool(self.recorder.select_events(id_, limit=1)))
        self.on_saved: list[Callable[[int], None]] = []  # woken with the log position after each write

    def construct_mapper(self) -> ChainedMapper:
        return self.factory.mapper(transcoder=self.construct_transcoder(), mapper_class=ChainedMapper)

    def construct_event_store(self) -> ChainedEventStore:
        return ChainedEventStore(mapper=self.mapper, recorder=self.recorder)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_casebridge_transcodings(transcoder)

    # -- commands ------------------------------------------------------------------------------

    def handle(self, actor: Actor, command: Command, *, expected_version: int | None = None,
               command_id: str | None = None) -> CommandResult:
        """Run `command` as `actor`. `expected_version`: stale -> ConflictError, nothing written
        (commands that create an object take none). `command_id`: the idempotency key — the
        same key from the same principal applies once and returns the same result."""
        if command.creates and expected_version is not None:
            raise TypeError(f"{type(command).__name__} creates an object: it has no expected version")
        return execute(self, handler_for(command), actor, command, expected_version=expected_version,
                       command_id=command_id)

    def default_due_at(self, now: datetime | None = None) -> datetime:
        """The due time of a new evidence request: end of the due day, China time."""
        return self.calendar.due_at(now or self.clock(), self.due_period)

    # -- lookups --------------------------------------------------------------------------------

    def get_case(self, case_id: UUID, version: int | None = None) -> Case:
        return self._get(case_id, Case, CaseNotFoundError, version)

    def get_evidence_request(self, request_id: UUID) -> EvidenceRequest:
        return self._get(request_id, EvidenceRequest, EvidenceRequestNotFoundError)

    def get_joint_action(self, action_id: UUID) -> JointAction:
        return self._get(action_id, JointAction, JointActionNotFoundError)

    def get_lead(self, lead_id: UUID) -> Lead:
        return self._get(lead_id, Lead, LeadNotFoundError)

    def visible_case(self, actor: Actor, case_id: UUID, field: str = "caseId") -> Case:
        """The case, if `actor` may see it; otherwise it does not exist for them, and an
        existing hidden case is refused with the same work as an id that names nothing."""
        if not isinstance(case_id, UUID):
            raise CaseNotFoundError(field)
        if self.sight is not None and self.sight.may_see(actor.jurisdiction, case_id) is False:
            raise CaseNotFoundError(field)
        try:
            case = self.get_case(case_id)
        except CaseNotFoundError:
            raise CaseNotFoundError(field) from None
        if not case.visible_to(actor.jurisdiction, self.registry):
            raise CaseNotFoundError(field)
        return case

    def _get(self, aggregate_id: UUID, cls: type, not_found: type[Exception], version: int | None = None) -> Any:
        if not isinstance(aggregate_id, UUID):
            raise not_found()
        try:
            aggregate = self.repository.get(aggregate_id, version=version)
        except AggregateNotFoundError:
            raise not_found() from None
        if not isinstance(aggregate, cls):
            raise not_found()
        return aggregate

    def max_position(self) -> int:
        return self.recorder.max_notification_id() or 0

    def _notify(self, recordings: list[Any]) -> None:
        if recordings and self.on_saved:
            position = max(r.notification.id for r in recordings)
            for callback in list(self.on_saved):
                callback(position)
