"""The CaseBridge application: one method per command (load, decide, save).

Every command takes the actor, an optional `expected_version` (stale -> ConflictError,
nothing written) and an optional `command_id` (the idempotency key: the same key from the
same client applies once and returns the same result). Without an expected version, a
command that loses a race is decided again on fresh state.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta, timezone
from random import uniform
from time import sleep
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder

from casebridge.application.chain import ChainedEventStore, ChainedMapper
from casebridge.application.errors import (
    CaseNotFoundError,
    CommandIdReusedError,
    ConflictError,
    EvidenceRequestNotFoundError,
    JointActionNotFoundError,
)
from casebridge.application.idempotency import CommandRecord, CommandResult, fingerprint, record_id
from casebridge.application.references import ReferenceClaim, ReferenceSequence, format_reference
from casebridge.application.transcodings import register_casebridge_transcodings
from casebridge.domain.calendar import DuePeriod, WorkingDayCalendar
from casebridge.domain.case import Case
from casebridge.domain.errors import DomainError, NotHandlingJurisdictionError, ReferenceTakenError, ValidationError
from casebridge.domain.evidence_request import EvidenceRequest
from casebridge.domain.joint_action import JointAction
from casebridge.domain.jurisdictions import JurisdictionRegistry
from casebridge.domain.values import (
    Actor,
    CaseCategory,
    CaseOutcome,
    EvidenceItem,
    RefusalReason,
    Subject,
)

log = logging.getLogger(__name__)

CHINA_TIME = timezone(timedelta(hours=8), "CST")  # no daylight saving: a fixed offset is exact
MAX_ATTEMPTS = 10  # each round of a race has one winner: N writers on one aggregate need up to N attempts
RETRY_BACKOFF_SECONDS = 0.005

Decision = tuple[Sequence[Any], Aggregate, str | None]


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


class CaseBridge(Application):
    name = "CaseBridge"
    snapshotting_intervals = {Case: 100, JointAction: 100}

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        registry: JurisdictionRegistry | None = None,
        calendar: WorkingDayCalendar | None = None,
        due_period: DuePeriod = DuePeriod(15, "working"),
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        super().__init__(env)
        self.registry = registry or JurisdictionRegistry.load()
        self.calendar = calendar or WorkingDayCalendar.load()
        self.due_period = due_period
        self.clock = clock
        self.on_saved: list[Callable[[int], None]] = []  # woken with the log position after each write

    def construct_mapper(self) -> ChainedMapper:
        return self.factory.mapper(transcoder=self.construct_transcoder(), mapper_class=ChainedMapper)

    def construct_event_store(self) -> ChainedEventStore:
        return ChainedEventStore(mapper=self.mapper, recorder=self.recorder)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_casebridge_transcodings(transcoder)

    # -- cases -------------------------------------------------------------------------------

    def open_case(
        self, actor: Actor, *, title: str, summary: str, subject: Subject, category: CaseCategory,
        legal_basis: str | None = None, reference: str | None = None, command_id: str | None = None,
    ) -> CommandResult:
        self.registry.require(actor.jurisdiction, field="jurisdiction")
        args = {"title": title, "summary": summary, "subject": subject, "category": category,
                "legal_basis": legal_basis, "reference": reference}

        def decide() -> Decision:
            case_id = uuid4()
            ref, extra = self._claim_reference(reference, actor.jurisdiction, case_id)
            case = Case.open(
                actor=actor, reference=ref, title=title, summary=summary, subject=subject,
                category=category, legal_basis=legal_basis, id=case_id,
            )
            return [case, *extra], case, None

        return self._execute(actor, "open_case", args, decide, command_id=command_id)

    def revise_case(
        self, actor: Actor, case_id: UUID, *, title: str | None = None, summary: str | None = None,
        category: CaseCategory | None = None, legal_basis: str | None = None,
        expected_version: int | None = None, command_id: str | None = None,
    ) -> CommandResult:
        return self._on_case(actor, case_id, "revise_case", expected_version, command_id,
                             {"title": title, "summary": summary, "category": category, "legal_basis": legal_basis},
                             lambda c: c.revise_details(actor, title=title, summary=summary, category=category, legal_basis=legal_basis))

    def request_transfer(self, actor: Actor, case_id: UUID, *, to: str, reason: str,
                         expected_version: int | None = None, command_id: str | None = None) -> CommandResult:
        return self._on_case(actor, case_id, "request_transfer", expected_version, command_id, {"to": to, "reason": reason},
                             lambda c: c.request_transfer(actor, to=to, reason=reason, registry=self.registry))

    def accept_transfer(self, actor: Actor, case_id: UUID, *, expected_version: int | None = None,
                        command_id: str | None = None) -> CommandResult:
        return self._on_case(actor, case_id, "accept_transfer", expected_version, command_id, {},
                             lambda c: c.accept_transfer(actor))

    def decline_transfer(self, actor: Actor, case_id: UUID, *, reason: str, expected_version: int | None = None,
                         command_id: str | None = None) -> CommandResult:
        return self._on_case(actor, case_id, "decline_transfer", expected_version, command_id, {"reason": reason},
                             lambda c: c.decline_transfer(actor, reason=reason))

    def withdraw_transfer(self, actor: Actor, case_id: UUID, *, expected_version: int | None = None,
                          command_id: str | None = None) -> CommandResult:
        return self._on_case(actor, case_id, "withdraw_transfer", expected_version, command_id, {},
                             lambda c: c.withdraw_transfer(actor))

    def designate_jurisdiction(self, actor: Actor, case_id: UUID, *, jurisdiction: str, reason: str,
                               expected_version: int | None = None, command_id: str | None = None) -> CommandResult:
        return self._on_case(actor, case_id, "designate_jurisdiction", expected_version, command_id,
                             {"jurisdiction": jurisdiction, "reason": reason},
                             lambda c: c.designate_jurisdiction(actor, jurisdiction=jurisdiction, reason=reason, registry=self.registry))

    def add_evidence(self, actor: Actor, case_id: UUID, *, item: EvidenceItem, expected_version: int | None = None,
                     command_id: str | None = None) -> CommandResult:
        def act(case: Case) -> str:
            evidence_id = uuid4().hex
            case.add_evidence(actor, evidence_id=evidence_id, item=item)
            return evidence_id

        return self._on_case(actor, case_id, "add_evidence", expected_version, command_id, {"item": item}, act)

    def close_case(self, actor: Actor, case_id: UUID, *, outcome: CaseOutcome, summary: str | None = None,
                   expected_version: int | None = None, command_id: str | None = None) -> CommandResult:
        return self._on_case(actor, case_id, "close_case", expected_version, command_id, {"outcome": outcome, "summary": summary},
                             lambda c: c.close(actor, outcome=outcome, summary=summary))

    def reopen_case(self, actor: Actor, case_id: UUID, *, reason: str, expected_version: int | None = None,
                    command_id: str | None = None) -> CommandResult:
        return self._on_case(actor, case_id, "reopen_case", expected_version, command_id, {"reason": reason},
                             lambda c: c.reopen(actor, reason=reason))

    # -- evidence requests ------------------------------------------------------------------

    def default_due_at(self, now: datetime | None = None) -> datetime:
        """The due time of a new evidence request: end of the due day, China time."""
        today = (now or self.clock()).astimezone(CHINA_TIME).date()
        due: date = self.calendar.due_date(today, self.due_period)
        return datetime.combine(due, time(23, 59, 59), CHINA_TIME)

    def request_evidence(
        self, actor: Actor, case_id: UUID, *, requested: str, description: str, legal_basis: str | None = None,
        due_at: datetime | None = None, command_id: str | None = None,
    ) -> CommandResult:
        self.registry.require(requested, field="requested")
        args = {"case_id": case_id, "requested": requested, "description": description,
                "legal_basis": legal_basis, "due_at": due_at}

        def decide() -> Decision:
            case = self._visible_case(actor, case_id)
            # Former handlers and supervisors see the case read-only: asking another
            # jurisdiction for evidence on it is the handling jurisdiction's call.
            if case.handling_jurisdiction != actor.jurisdiction:
                raise NotHandlingJurisdictionError()
            now = self.clock()
            request = EvidenceRequest.request(
                actor=actor, case_id=case.id, requested=requested, description=description,
                legal_basis=legal_basis, due_at=due_at or self.default_due_at(now), now=now,
            )
            return [request], request, None

        return self._execute(actor, "request_evidence", args, decide, command_id=command_id)

    def acknowledge_evidence_request(self, actor: Actor, request_id: UUID, *, expected_version: int | None = None,
                                     command_id: str | None = None) -> CommandResult:
        return self._on_request(actor, request_id, "acknowledge_evidence_request", expected_version, command_id, {},
                                lambda r: r.acknowledge(actor))

    def extend_evidence_request(self, actor: Actor, request_id: UUID, *, due_at: datetime, reason: str,
                                expected_version: int | None = None, command_id: str | None = None) -> CommandResult:
        return self._on_request(actor, request_id, "extend_evidence_request", expected_version, command_id,
                                {"due_at": due_at, "reason": reason},
                                lambda r: r.extend(actor, due_at=due_at, reason=reason, now=self.clock()))

    def fulfil_evidence_request(self, actor: Actor, request_id: UUID, *, items: Sequence[EvidenceItem], note: str | None = None,
                                expected_version: int | None = None, command_id: str | None = None) -> CommandResult:
        return self._on_request(actor, request_id, "fulfil_evidence_request", expected_version, command_id,
                                {"items": list(items), "note": note},
                                lambda r: r.fulfil(actor, items=tuple(items), note=note))

    def refuse_evidence_request(self, actor: Actor, request_id: UUID, *, reason: RefusalReason, detail: str | None = None,
                                expected_version: int | None = None, command_id: str | None = None) -> CommandResult:
        return self._on_request(actor, request_id, "refuse_evidence_request", expected_version, command_id,
                                {"reason": reason, "detail": detail},
                                lambda r: r.refuse(actor, reason=reason, detail=detail))

    def withdraw_evidence_request(self, actor: Actor, request_id: UUID, *, reason: str | None = None,
                                  expected_version: int | None = None, command_id: str | None = None) -> CommandResult:
        return self._on_request(actor, request_id, "withdraw_evidence_request", expected_version, command_id,
                                {"reason": reason}, lambda r: r.withdraw(actor, reason=reason))

    # -- joint actions ------------------------------------------------------------------------

    def propose_joint_action(
        self, actor: Actor, *, title: str, objective: str | None, case_ids: Sequence[UUID],
        participants: Sequence[str], command_id: str | None = None,
    ) -> CommandResult:
        for code in participants:
            self.registry.require(code, field="participants")
        args = {"title": title, "objective": objective, "case_ids": list(case_ids), "participants": list(participants)}

        def decide() -> Decision:
            for case_id in case_ids:
                self._visible_case(actor, case_id, field="caseIds")
            action = JointAction.propose(
                actor=actor, title=title, objective=objective, case_ids=tuple(case_ids), participants=tuple(participants),
            )
            return [action], action, None

        return self._execute(actor, "propose_joint_action", args, decide, command_id=command_id)

    def join_joint_action(self, actor: Actor, action_id: UUID, *, expected_version: int | None = None,
                          command_id: str | None = None) -> CommandResult:
        return self._on_action(actor, action_id, "join_joint_action", expected_version, command_id, {},
                               lambda a: a.join(actor))

    def decline_joint_action(self, actor: Actor, action_id: UUID, *, reason: str, expected_version: int | None = None,
                             command_id: str | None = None) -> CommandResult:
        return self._on_action(actor, action_id, "decline_joint_action", expected_version, command_id, {"reason": reason},
                               lambda a: a.decline(actor, reason=reason))

    def assign_joint_task(self, actor: Actor, action_id: UUID, *, assignee: str, title: str, due_at: datetime | None = None,
                          expected_version: int | None = None, command_id: str | None = None) -> CommandResult:
        def act(action: JointAction) -> str:
            task_id = uuid4().hex[:12]
            action.assign_task(actor, task_id=task_id, title=title, assignee=assignee, due_at=due_at, now=self.clock())
            return task_id

        return self._on_action(actor, action_id, "assign_joint_task", expected_version, command_id,
                               {"assignee": assignee, "title": title, "due_at": due_at}, act)

    def complete_joint_task(self, actor: Actor, action_id: UUID, *, task_id: str, outcome: str,
                            expected_version: int | None = None, command_id: str | None = None) -> CommandResult:
        return self._on_action(actor, action_id, "complete_joint_task", expected_version, command_id,
                               {"task_id": task_id, "outcome": outcome},
                               lambda a: a.complete_task(actor, task_id=task_id, outcome=outcome))

    def close_joint_action(self, actor: Actor, action_id: UUID, *, common_position: str | None = None,
                           expected_version: int | None = None, command_id: str | None = None) -> CommandResult:
        return self._on_action(actor, action_id, "close_joint_action", expected_version, command_id,
                               {"common_position": common_position},
                               lambda a: a.close(actor, common_position=common_position))

    # -- lookups --------------------------------------------------------------------------------

    def get_case(self, case_id: UUID, version: int | None = None) -> Case:
        return self._get(case_id, Case, CaseNotFoundError, version)

    def get_evidence_request(self, request_id: UUID) -> EvidenceRequest:
        return self._get(request_id, EvidenceRequest, EvidenceRequestNotFoundError)

    def get_joint_action(self, action_id: UUID) -> JointAction:
        return self._get(action_id, JointAction, JointActionNotFoundError)

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

    def _visible_case(self, actor: Actor, case_id: UUID, field: str = "caseId") -> Case:
        try:
            case = self.get_case(case_id)
        except CaseNotFoundError:
            raise CaseNotFoundError(field) from None
        if not case.visible_to(actor.jurisdiction, self.registry):
            raise CaseNotFoundError(field)  # what the caller may not see does not exist for it
        return case

    # -- the command loop -------------------------------------------------------------------------

    def _on_case(self, actor: Actor, case_id: UUID, command: str, expected_version: int | None,
                 command_id: str | None, args: dict[str, Any], act: Callable[[Case], str | None]) -> CommandResult:
        def decide() -> Decision:
            case = self._visible_case(actor, case_id)
            _check_version(case, expected_version)
            return [case], case, act(case)

        return self._execute(actor, command, {"case_id": case_id, **args}, decide,
                             command_id=command_id, expected_version=expected_version)

    def _on_request(self, actor: Actor, request_id: UUID, command: str, expected_version: int | None,
                    command_id: str | None, args: dict[str, Any], act: Callable[[EvidenceRequest], str | None]) -> CommandResult:
        def decide() -> Decision:
            request = self.get_evidence_request(request_id)
            if not request.is_party(actor.jurisdiction):
                raise EvidenceRequestNotFoundError()
            _check_version(request, expected_version)
            return [request], request, act(request)

        return self._execute(actor, command, {"request_id": request_id, **args}, decide,
                             command_id=command_id, expected_version=expected_version)

    def _on_action(self, actor: Actor, action_id: UUID, command: str, expected_version: int | None,
                   command_id: str | None, args: dict[str, Any], act: Callable[[JointAction], str | None]) -> CommandResult:
        def decide() -> Decision:
            action = self.get_joint_action(action_id)
            if not action.involves(actor.jurisdiction):
                raise JointActionNotFoundError()
            _check_version(action, expected_version)
            return [action], action, act(action)

        return self._execute(actor, command, {"action_id": action_id, **args}, decide,
                             command_id=command_id, expected_version=expected_version)

    def _execute(
        self, actor: Actor, command: str, args: dict[str, Any], decide: Callable[[], Decision], *,
        command_id: str | None, expected_version: int | None = None,
    ) -> CommandResult:
        if command_id is not None and not (0 < len(command_id) <= 200):
            raise ValidationError("clientMutationId must be 1 to 200 characters", field="clientMutationId")
        print_ = fingerprint(command, args)
        rid = record_id(actor, command_id) if command_id else None
        for attempt in range(1, MAX_ATTEMPTS + 1):
            if rid is not None:
                earlier = self._earlier_result(rid, print_)
                if earlier is not None:
                    return earlier
            try:
                objects, target, detail = decide()
            except DomainError:
                # A twin with the same key may have been applied since the check above: the
                # refusal (stale version, transfer already pending, ...) is then its own effect.
                earlier = self._earlier_result(rid, print_) if rid is not None else None
                if earlier is None:
                    raise
                return earlier
            pending = list(objects)
            if rid is not None:
                pending.append(CommandRecord(
                    id=rid, actor=actor, command=command, fingerprint=print_, aggregate_id=target.id,
                    aggregate_version=target.version, detail=detail,
                ))
            try:
                recordings = self.save(*pending)
            except IntegrityError:
                earlier = self._earlier_result(rid, print_) if rid is not None else None
                if earlier is not None:  # the race was lost to a twin with the same key
                    return earlier
                if expected_version is not None:
                    raise ConflictError("the object was changed concurrently; reload and try again") from None
                log.info("%s lost a race (attempt %d); deciding again on fresh state", command, attempt)
                # Jitter, so that contenders who lost together do not collide again in lockstep.
                sleep(uniform(0, RETRY_BACKOFF_SECONDS * attempt))
                continue
            position = max(r.notification.id for r in recordings)
            return CommandResult(aggregate_id=target.id, version=target.version, position=position, detail=detail)
        raise ConflictError(f"gave up after {MAX_ATTEMPTS} concurrent changes; try again")

    def _earlier_result(self, rid: UUID, print_: str) -> CommandResult | None:
        stored = self.recorder.select_events(rid, limit=1)
        if not stored:
            return None
        record = self.mapper.to_domain_event(stored[0])
        if record.fingerprint != print_:
            raise CommandIdReusedError()
        # The original write is somewhere at or before the head of the log: waiting for
        # the head is a safe read-your-writes position for the replayed result.
        return CommandResult(aggregate_id=record.aggregate_id, version=record.aggregate_version,
                             position=self.max_position(), replayed=True, detail=record.detail)

    def max_position(self) -> int:
        return self.recorder.max_notification_id() or 0

    def _claim_reference(self, reference: str | None, jurisdiction: str, case_id: UUID) -> tuple[str, list[Any]]:
        if reference is not None and reference.strip():
            ref = reference.strip()
            if self.recorder.select_events(ReferenceClaim.id_for(ref), limit=1):
                raise ReferenceTakenError(ref)
            return ref, [ReferenceClaim(id=ReferenceClaim.id_for(ref), reference=ref, case_id=case_id)]
        year = self.clock().astimezone(CHINA_TIME).year
        seq_id = ReferenceSequence.id_for(jurisdiction, year)
        stored = self.recorder.select_events(seq_id, desc=True, limit=1)
        last = self.mapper.to_domain_event(stored[0]) if stored else None
        number = last.number if last else 0
        while True:  # skip numbers a caller already took by hand
            number += 1
            ref = format_reference(jurisdiction, year, number)
            if not self.recorder.select_events(ReferenceClaim.id_for(ref), limit=1):
                break
        if last is None:
            seq: Any = ReferenceSequence(id=seq_id, jurisdiction=jurisdiction, year=year, number=number)
        else:
            seq = ReferenceSequence.Advanced(
                originator_id=seq_id, originator_version=last.originator_version + 1,
                timestamp=ReferenceSequence.Advanced.create_timestamp(), number=number,
            )
        return ref, [seq, ReferenceClaim(id=ReferenceClaim.id_for(ref), reference=ref, case_id=case_id)]

    def _notify(self, recordings: list[Any]) -> None:
        if recordings and self.on_saved:
            position = max(r.notification.id for r in recordings)
            for callback in list(self.on_saved):
                callback(position)


def _check_version(aggregate: Aggregate, expected_version: int | None) -> None:
    if expected_version is not None and aggregate.version != expected_version:
        raise ConflictError(
            f"expectedVersion {expected_version} is stale: the object is at version {aggregate.version}",
            current_version=aggregate.version,
        )
