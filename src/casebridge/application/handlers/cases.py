"""Handlers of the case commands: load what the actor may see, decide, return what to save."""

from __future__ import annotations

from uuid import uuid4

from casebridge.application import commands as c
from casebridge.application.command_loop import Attempt, Decision
from casebridge.application.references import chosen_reference
from casebridge.domain.calendar import CHINA_TIME
from casebridge.domain.case import Case


def open_case(on: Attempt, cmd: c.OpenCase) -> Decision:
    actor, app = on.actor, on.app
    app.registry.require(actor.jurisdiction, field="jurisdiction")

    def opened(reference: str) -> Case:
        return Case.open(actor=actor, reference=reference, title=cmd.title, summary=cmd.summary, subject=cmd.subject,
                         category=cmd.category, legal_basis=cmd.legal_basis, id=case_id)

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
    case.decline_transfer(on.actor, reason=cmd.reason)
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
    case.close(on.actor, outcome=cmd.outcome, summary=cmd.summary)
    return Decision([case], case)


def reopen_case(on: Attempt, cmd: c.ReopenCase) -> Decision:
    case = on.case(cmd.case_id)
    case.reopen(on.actor, reason=cmd.reason)
    return Decision([case], case)


HANDLERS = {
    c.OpenCase: open_case, c.ReviseCase: revise_case, c.RequestTransfer: request_transfer,
    c.AcceptTransfer: accept_transfer, c.DeclineTransfer: decline_transfer, c.WithdrawTransfer: withdraw_transfer,
    c.DesignateJurisdiction: designate_jurisdiction, c.AddEvidence: add_evidence, c.CloseCase: close_case,
    c.ReopenCase: reopen_case,
}
