"""Builders for given/when/then tests of the aggregates: actors, histories, refusals.

Histories are built by running commands (never by setting versions); `given_*` builders
collect the events of the history, so a test's `then` sees only what its `when` triggered.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import uuid4

import pytest

from casebridge.domain.case import Case
from casebridge.domain.errors import DomainError
from casebridge.domain.calendar import WorkingDayCalendar
from casebridge.domain.evidence_request import EvidenceRequest
from casebridge.domain.joint_action import JointAction
from casebridge.domain.jurisdictions import JurisdictionRegistry
from casebridge.domain.values import (
    Actor,
    CaseCategory,
    CaseOutcome,
    EvidenceItem,
    OutcomeDetails,
    Subject,
    SubjectKind,
)

REGISTRY = JurisdictionRegistry.load()
CALENDAR = WorkingDayCalendar.load()  # China's official schedule (chinesecalendar)

NATIONAL = "100000"
SHANGHAI = "310000"
JIANGSU = "320000"
SUZHOU = "320500"
ZHEJIANG = "330000"
HANGZHOU = "330100"
NINGBO = "330200"
SHENZHEN = "440300"

CHINA = timezone(timedelta(hours=8))
NOW = datetime(2025, 1, 20, 9, 0, tzinfo=CHINA)


def actor(jurisdiction: str, client_id: str | None = None, user: str | None = None) -> Actor:
    return Actor(client_id=client_id or f"client-{jurisdiction}", jurisdiction=jurisdiction, user=user)


def sha(n: int = 0) -> str:
    return hashlib.sha256(f"evidence {n}".encode()).hexdigest()


def evidence_item(n: int = 0, title: str | None = None) -> EvidenceItem:
    return EvidenceItem.create(title or f"Order screenshots #{n}", sha(n), "exported from the platform back office")


SUBJECT = Subject.create(
    "Hangzhou Brightstar Trading Co., Ltd.", SubjectKind.MARKETPLACE_SELLER,
    identifier="91330100MA2H000X0J", product_codes=["SKU-1", "SKU-2"],
)


# -- refusals --------------------------------------------------------------------------------


def assert_refused(
    aggregate: Any, command: Callable[[], Any], error: type[DomainError], *, code: str, field: str | None = None,
) -> DomainError:
    """`command` raises `error` with `code` (and `field`), and triggers no event."""
    version = aggregate.version
    with pytest.raises(error) as info:
        command()
    assert info.value.code == code
    assert info.value.field == field
    assert aggregate.collect_events() == []
    assert aggregate.version == version
    return info.value


def assert_not_created(command: Callable[[], Any], error: type[DomainError], *, code: str, field: str | None = None) -> None:
    """A creating command refused: it raises and so returns no aggregate with events."""
    with pytest.raises(error) as info:
        command()
    assert info.value.code == code
    assert info.value.field == field


def only_event(aggregate: Any) -> Any:
    events = aggregate.collect_events()
    assert len(events) == 1, events
    return events[0]


# -- cases -------------------------------------------------------------------------------------


def open_case(by: str = HANGZHOU, reference: str = "330100-2025-00001") -> Case:
    return Case.open(
        actor=actor(by), reference=reference, title="Counterfeit power banks sold on a marketplace",
        summary="Test purchases show cells below the rated capacity.", subject=SUBJECT,
        category=CaseCategory.COUNTERFEIT, legal_basis="Product Quality Law art. 32",
    )


def given_case(by: str = HANGZHOU) -> Case:
    case = open_case(by)
    case.collect_events()
    return case


def given_pending_transfer(sender: str = HANGZHOU, to: str = SHANGHAI) -> Case:
    case = open_case(sender)
    case.request_transfer(actor(sender), to=to, reason="The seller is registered in Shanghai", registry=REGISTRY)
    case.collect_events()
    return case


def given_transferred_case(sender: str = HANGZHOU, receiver: str = SHANGHAI) -> Case:
    case = given_pending_transfer(sender, receiver)
    case.accept_transfer(actor(receiver))
    case.collect_events()
    return case


PENALTY = OutcomeDetails(decision_number="杭市监处罚〔2025〕12号", amount_fen=5_000_000,
                         legal_basis="Product Quality Law art. 50")


def decline(case: Case, by: str, reason: str = "The seller is not registered here", now: datetime = NOW) -> None:
    case.decline_transfer(actor(by), reason=reason, registry=REGISTRY, calendar=CALENDAR, now=now)


def given_disputed_transfer(sender: str = HANGZHOU, to: str = SHANGHAI) -> Case:
    case = given_pending_transfer(sender, to)
    decline(case, to)
    case.collect_events()
    return case


def given_closed_case(by: str = HANGZHOU) -> Case:
    case = open_case(by)
    case.close(actor(by), outcome=CaseOutcome.PENALTY_DECISION, summary="Fine of 50,000 yuan", details=PENALTY)
    case.collect_events()
    return case


# -- evidence requests ---------------------------------------------------------------------------


def request_evidence(applicant: str = SHANGHAI, requested: str = SUZHOU, due_in: timedelta = timedelta(days=21)) -> EvidenceRequest:
    return EvidenceRequest.request(
        actor=actor(applicant), case_id=uuid4(), requested=requested,
        description="Warehouse records of the seller's Suzhou depot, March to May",
        legal_basis="Administrative Penalty Law art. 26", due_at=NOW + due_in, now=NOW,
    )


def given_evidence_request(applicant: str = SHANGHAI, requested: str = SUZHOU) -> EvidenceRequest:
    request = request_evidence(applicant, requested)
    request.collect_events()
    return request


# -- joint actions ---------------------------------------------------------------------------------


def propose_joint_action(coordinator: str = SHANGHAI, participants: tuple[str, ...] = (HANGZHOU, SUZHOU)) -> JointAction:
    return JointAction.propose(
        actor=actor(coordinator), title="Counterfeit power banks: coordinated inspection",
        objective="Seize stock in all depots on the same day", cases=(given_case(coordinator),), participants=participants,
    )


def given_joint_action(joined: tuple[str, ...] = (), coordinator: str = SHANGHAI,
                       participants: tuple[str, ...] = (HANGZHOU, SUZHOU)) -> JointAction:
    action = propose_joint_action(coordinator, participants)
    for code in joined:
        action.join(actor(code))
    action.collect_events()
    return action


def given_assigned_task(assignee: str = HANGZHOU, task_id: str = "task-1") -> JointAction:
    action = given_joint_action(joined=(HANGZHOU, SUZHOU))
    action.assign_task(actor(SHANGHAI), task_id=task_id, title="Inspect the Hangzhou depot", assignee=assignee,
                       due_at=NOW + timedelta(days=7), now=NOW)
    action.collect_events()
    return action


# -- replay ------------------------------------------------------------------------------------------


def replay(events: list[Any]) -> Any:
    """Fold events into an aggregate, as the repository does."""
    aggregate = None
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


def state(aggregate: Any) -> dict[str, Any]:
    """The aggregate's state for comparison: everything but the events not yet collected."""
    return {k: v for k, v in vars(aggregate).items() if k != "_pending_events"}
