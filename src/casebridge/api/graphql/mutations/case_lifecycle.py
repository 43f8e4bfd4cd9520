"""Mutations of a case's procedure (issue 11): a superior takes a case up (提级管辖) or hands one
down (交办); the decision period is extended, paused and resumed (行政处罚法 Art 60); a case is
suspended and resumed (中止). All need the `cases:write` scope."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry
from strawberry import Info

from casebridge.api.graphql.mutations.common import CLIENT_MUTATION_ID, EXPECTED_VERSION, read_case, result_union, run, uuid_of
from casebridge.api.graphql.types.case import Case
from casebridge.api.graphql.types.enums import CaseClockPauseReason, to_domain
from casebridge.application.errors import CaseNotFoundError
from casebridge.domain import values

WRITE = "cases:write"


def _success(name: str) -> type:
    success = type(f"{name}Success", (), {"__annotations__": {"case": Case, "client_mutation_id": str | None}})
    return strawberry.type(success)


def _run(info: Info, input: Any, success: type, call: Callable[..., Any]) -> Any:
    return run(info, WRITE,
               lambda app, actor: call(app, actor, uuid_of(input.case_id, CaseNotFoundError),
                                       expected_version=input.expected_version, command_id=input.client_mutation_id),
               lambda context, result: success(case=read_case(context, result), client_mutation_id=input.client_mutation_id))


@strawberry.input
class TakeOverCaseInput:
    case_id: strawberry.ID
    reason: str
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


TakeOverCaseSuccess = _success("TakeOverCase")
TakeOverCaseResult = result_union("TakeOverCase", TakeOverCaseSuccess)


def take_over_case(info: Info, input: TakeOverCaseInput) -> TakeOverCaseResult:
    return _run(info, input, TakeOverCaseSuccess,
                lambda app, actor, case_id, **kw: app.take_over_case(actor, case_id, reason=input.reason, **kw))


@strawberry.input
class AssignCaseInput:
    case_id: strawberry.ID
    jurisdiction: str = strawberry.field(description="A jurisdiction below yours (code).")
    reason: str
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


AssignCaseSuccess = _success("AssignCase")
AssignCaseResult = result_union("AssignCase", AssignCaseSuccess)


def assign_case(info: Info, input: AssignCaseInput) -> AssignCaseResult:
    return _run(info, input, AssignCaseSuccess,
                lambda app, actor, case_id, **kw: app.assign_case(actor, case_id, jurisdiction=input.jurisdiction,
                                                                  reason=input.reason, **kw))


@strawberry.input
class ExtendDecisionPeriodInput:
    case_id: strawberry.ID
    approver: str = strawberry.field(description="Who approved the extension (the organ's head).")
    reason: str
    days: int | None = strawberry.field(default=None, description="Default 30; the first extension is at most 30 days.")
    collective_decision: str | None = strawberry.field(
        default=None, description="The recorded collective decision (集体讨论) that a further extension needs.")
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


ExtendDecisionPeriodSuccess = _success("ExtendDecisionPeriod")
ExtendDecisionPeriodResult = result_union("ExtendDecisionPeriod", ExtendDecisionPeriodSuccess)


def extend_decision_period(info: Info, input: ExtendDecisionPeriodInput) -> ExtendDecisionPeriodResult:
    return _run(info, input, ExtendDecisionPeriodSuccess,
                lambda app, actor, case_id, **kw: app.extend_decision_period(
                    actor, case_id, approver=input.approver, reason=input.reason, days=input.days,
                    collective_decision=input.collective_decision, **kw))


@strawberry.input
class PauseCaseClockInput:
    case_id: strawberry.ID
    reason: CaseClockPauseReason
    detail: str | None = None
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


PauseCaseClockSuccess = _success("PauseCaseClock")
PauseCaseClockResult = result_union("PauseCaseClock", PauseCaseClockSuccess)


def pause_case_clock(info: Info, input: PauseCaseClockInput) -> PauseCaseClockResult:
    return _run(info, input, PauseCaseClockSuccess,
                lambda app, actor, case_id, **kw: app.pause_case_clock(
                    actor, case_id, reason=to_domain(input.reason, values.CaseClockPauseReason), detail=input.detail, **kw))


@strawberry.input
class ResumeCaseClockInput:
    case_id: strawberry.ID
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


ResumeCaseClockSuccess = _success("ResumeCaseClock")
ResumeCaseClockResult = result_union("ResumeCaseClock", ResumeCaseClockSuccess)


def resume_case_clock(info: Info, input: ResumeCaseClockInput) -> ResumeCaseClockResult:
    return _run(info, input, ResumeCaseClockSuccess,
                lambda app, actor, case_id, **kw: app.resume_case_clock(actor, case_id, **kw))


@strawberry.input
class SuspendCaseInput:
    case_id: strawberry.ID
    reason: str
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


SuspendCaseSuccess = _success("SuspendCase")
SuspendCaseResult = result_union("SuspendCase", SuspendCaseSuccess)


def suspend_case(info: Info, input: SuspendCaseInput) -> SuspendCaseResult:
    return _run(info, input, SuspendCaseSuccess,
                lambda app, actor, case_id, **kw: app.suspend_case(actor, case_id, reason=input.reason, **kw))


@strawberry.input
class ResumeCaseInput:
    case_id: strawberry.ID
    reason: str | None = None
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


ResumeCaseSuccess = _success("ResumeCase")
ResumeCaseResult = result_union("ResumeCase", ResumeCaseSuccess)


def resume_case(info: Info, input: ResumeCaseInput) -> ResumeCaseResult:
    return _run(info, input, ResumeCaseSuccess,
                lambda app, actor, case_id, **kw: app.resume_case(actor, case_id, reason=input.reason, **kw))
