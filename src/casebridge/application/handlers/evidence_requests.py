"""Handlers of the evidence-request commands (协助调查)."""

from __future__ import annotations

from casebridge.application import commands as c
from casebridge.application.command_loop import Attempt, Decision
from casebridge.domain.errors import NotHandlingJurisdictionError
from casebridge.domain.evidence_request import EvidenceRequest


def request_evidence(on: Attempt, cmd: c.RequestEvidence) -> Decision:
    actor, app = on.actor, on.app
    app.registry.require(cmd.requested, field="requested")
    case = on.seen_case(cmd.case_id)
    # Former handlers and supervisors see the case read-only: asking another
    # jurisdiction for evidence on it is the handling jurisdiction's call.
    if case.handling_jurisdiction != actor.jurisdiction:
        raise NotHandlingJurisdictionError()
    now = app.clock()
    request = EvidenceRequest.request(
        actor=actor, case_id=case.id, requested=cmd.requested, description=cmd.description,
        legal_basis=cmd.legal_basis, due_at=cmd.due_at or app.default_due_at(now), now=now,
    )
    return Decision([request], request)


def acknowledge_evidence_request(on: Attempt, cmd: c.AcknowledgeEvidenceRequest) -> Decision:
    request = on.evidence_request(cmd.request_id)
    request.acknowledge(on.actor)
    return Decision([request], request)


def extend_evidence_request(on: Attempt, cmd: c.ExtendEvidenceRequest) -> Decision:
    request = on.evidence_request(cmd.request_id)
    request.extend(on.actor, due_at=cmd.due_at, reason=cmd.reason, now=on.app.clock())
    return Decision([request], request)


def fulfil_evidence_request(on: Attempt, cmd: c.FulfilEvidenceRequest) -> Decision:
    request = on.evidence_request(cmd.request_id)
    request.fulfil(on.actor, items=cmd.items, note=cmd.note)
    return Decision([request], request)


def refuse_evidence_request(on: Attempt, cmd: c.RefuseEvidenceRequest) -> Decision:
    request = on.evidence_request(cmd.request_id)
    if cmd.competent_jurisdiction:
        on.app.registry.require(cmd.competent_jurisdiction.strip(), field="competentJurisdiction")
    request.refuse(on.actor, reason=cmd.reason, detail=cmd.detail, competent_jurisdiction=cmd.competent_jurisdiction)
    return Decision([request], request)


def ask_clarification(on: Attempt, cmd: c.AskClarification) -> Decision:
    request = on.evidence_request(cmd.request_id)
    request.ask_clarification(on.actor, question=cmd.question, now=on.app.clock())
    return Decision([request], request)


def answer_clarification(on: Attempt, cmd: c.AnswerClarification) -> Decision:
    request = on.evidence_request(cmd.request_id)
    request.answer_clarification(on.actor, answer=cmd.answer, now=on.app.clock(), calendar=on.app.calendar)
    return Decision([request], request)


def withdraw_evidence_request(on: Attempt, cmd: c.WithdrawEvidenceRequest) -> Decision:
    request = on.evidence_request(cmd.request_id)
    request.withdraw(on.actor, reason=cmd.reason)
    return Decision([request], request)


HANDLERS = {
    c.RequestEvidence: request_evidence, c.AcknowledgeEvidenceRequest: acknowledge_evidence_request,
    c.ExtendEvidenceRequest: extend_evidence_request, c.FulfilEvidenceRequest: fulfil_evidence_request,
    c.RefuseEvidenceRequest: refuse_evidence_request, c.WithdrawEvidenceRequest: withdraw_evidence_request,
    c.AskClarification: ask_clarification, c.AnswerClarification: answer_clarification,
}
