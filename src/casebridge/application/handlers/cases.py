"""Handlers of the case commands: load what the actor may see, decide, return what to save."""

from __future__ import annotations

from uuid import UUID, uuid4

from casebridge.application import commands as c
from casebridge.application.command_loop import Attempt, Decision
from casebridge.application.errors import CaseNotFoundError
from casebridge.application.references import chosen_reference
from casebridge.domain.calendar import CHINA_TIME
from casebridge.domain.case import Case
from casebridge.domain.values import CaseOutcome


def open_case(on: Attempt, cmd: c.OpenCase) -> Decision:
    actor, app = on.actor, on.app
    app.registry.require(actor.jurisdiction, field="jurisdiction")

    def opened(reference: str) -> Case:
        return Case.open(actor=actor, reference=reference, title=cmd.title, summary=cmd.summary, subject=cmd.subject,
                         category=cmd.category, legal_basis=cmd.legal_basis, id=case_id,
                         now=app.clock(), calendar=app.calendar)  # the decision period runs from filing

    case_id = uuid4()
    if cmd.reference is not None and cmd.reference.strip():
        case = opened(chosen_reference(cmd.reference, actor.jurisdiction))  # every field checked first...
        claim = app.references.claim(case.reference, case.id)  # ...the one lookup last
        return Decision([case, claim], case)
    year = app.clock().astimezone(CHINA_TIME).year
    reference, sequence = app.references.generate(actor.jurisdiction, year, case_id)
    case = opened(reference)
    return Decision([case, *sequence], case)



def revise_case(on: Attempt, cmd: c.ReviseCase) -> Decision:
    case = on.case(cmd.case_id)
    case.revise_details(on.actor, title=cmd.title, summary=cmd.summary, category=cmd.category, legal_basis=cmd.legal_basis)
    return Decision([case], case)


def request_transfer(on: Attempt, cmd: c.RequestTransfer) -> Decision:
    case = on.case(cmd.case_id)
    case.request_transfer(on.actor, to=cmd.to, reason=cmd.reason, registry=on.app.registry)
    return Decision([case], case)


def accept_transfer(on: Attempt, cmd: c.AcceptTransfer) -> Decision:
    case = on.case(cmd.case_id)
    case.accept_transfer(on.actor)
    return Decision([case], case)


def decline_transfer(on: Attempt, cmd: c.DeclineTransfer) -> Decision:
    case = on.case(cmd.case_id)
    case.decline_transfer(on.actor, reason=cmd.reason, registry=on.app.registry, calendar=on.app.calendar,
                          now=on.app.clock())
    return Decision([case], case)


def withdraw_transfer(on: Attempt, cmd: c.WithdrawTransfer) -> Decision:
    case = on.case(cmd.case_id)
    case.withdraw_transfer(on.actor)
    return Decision([case], case)


def designate_jurisdiction(on: Attempt, cmd: c.DesignateJurisdiction) -> Decision:
    case = on.case(cmd.case_id)
    case.designate_jurisdiction(on.actor, jurisdiction=cmd.jurisdiction, reason=cmd.reason, registry=on.app.registry)
    return Decision([case], case)


def add_evidence(on: Attempt, cmd: c.AddEvidence) -> Decision:
    case = on.case(cmd.case_id)
    evidence_id = uuid4().hex
    case.add_evidence(on.actor, evidence_id=evidence_id, item=cmd.item)
    return Decision([case], case, evidence_id)


def close_case(on: Attempt, cmd: c.CloseCase) -> Decision:
    case = on.case(cmd.case_id)
    if cmd.outcome is CaseOutcome.MERGED and cmd.details is not None and cmd.details.merged_into:
        # The case merged into must exist for the closer (and be another case).
        try:
            into = UUID(str(cmd.details.merged_into))
        except ValueError:
            raise CaseNotFoundError("details.mergedInto") from None
        on.seen_case(into, field="details.mergedInto")
    case.close(on.actor, outcome=cmd.outcome, summary=cmd.summary, details=cmd.details)
    return Decision([case], case)


def reopen_case(on: Attempt, cmd: c.ReopenCase) -> Decision:
    case = on.case(cmd.case_id)
    case.reopen(on.actor, reason=cmd.reason)
    return Decision([case], case)


# -- lifecycle (issue 11) ---------------------------------------------------------------------------


def take_over_case(on: Attempt, cmd: c.TakeOverCase) -> Decision:
    case = on.case(cmd.case_id)
    case.take_over(on.actor, reason=cmd.reason, registry=on.app.registry)
    return Decision([case], case)


def assign_case(on: Attempt, cmd: c.AssignCase) -> Decision:
    case = on.case(cmd.case_id)
    case.assign(on.actor, jurisdiction=cmd.jurisdiction, reason=cmd.reason, registry=on.app.registry)
    return Decision([case], case)


def extend_decision_period(on: Attempt, cmd: c.ExtendDecisionPeriod) -> Decision:
    case = on.case(cmd.case_id)
    case.extend_decision_period(on.actor, approver=cmd.approver, reason=cmd.reason, days=cmd.days,
                                collective_decision=cmd.collective_decision, calendar=on.app.calendar)
    return Decision([case], case)


def pause_case_clock(on: Attempt, cmd: c.PauseCaseClock) -> Decision:
    case = on.case(cmd.case_id)
    case.pause_clock(on.actor, reason=cmd.reason, detail=cmd.detail, now=on.app.clock())
    return Decision([case], case)


def resume_case_clock(on: Attempt, cmd: c.ResumeCaseClock) -> Decision:
    case = on.case(cmd.case_id)
    case.resume_clock(on.actor, now=on.app.clock(), calendar=on.app.calendar)
    return Decision([case], case)


def suspend_case(on: Attempt, cmd: c.SuspendCase) -> Decision:
    case = on.case(cmd.case_id)
    case.suspend(on.actor, reason=cmd.reason)
    return Decision([case], case)


def resume_case(on: Attempt, cmd: c.ResumeCase) -> Decision:
    case = on.case(cmd.case_id)
    case.resume(on.actor, reason=cmd.reason)
    return Decision([case], case)


HANDLERS = {
    c.OpenCase: open_case, c.ReviseCase: revise_case, c.RequestTransfer: request_transfer,
    c.AcceptTransfer: accept_transfer, c.DeclineTransfer: decline_transfer, c.WithdrawTransfer: withdraw_transfer,
    c.DesignateJurisdiction: designate_jurisdiction, c.AddEvidence: add_evidence, c.CloseCase: close_case,
    c.ReopenCase: reopen_case, c.TakeOverCase: take_over_case, c.AssignCase: assign_case,
    c.ExtendDecisionPeriod: extend_decision_period, c.PauseCaseClock: pause_case_clock,
    c.ResumeCaseClock: resume_case_clock, c.SuspendCase: suspend_case, c.ResumeCase: resume_case,
}
