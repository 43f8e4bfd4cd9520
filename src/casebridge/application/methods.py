"""One method per command, for callers that prefer keywords to command values (tests, the
demo, scripts): each builds its command and hands it to `CaseBridge.handle`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from casebridge.application import commands as c
from casebridge.application.idempotency import CommandResult
from casebridge.domain.values import (
    Actor,
    CaseCategory,
    CaseClockPauseReason,
    CaseOutcome,
    EvidenceItem,
    OutcomeDetails,
    RefusalReason,
    Subject,
)


class CommandMethods:
    def handle(self, actor: Actor, command: c.Command, *, expected_version: int | None = None,
               command_id: str | None = None) -> CommandResult:
        raise NotImplementedError  # CaseBridge.handle

    # -- cases -------------------------------------------------------------------------------

    def open_case(self, actor: Actor, *, title: str, summary: str, subject: Subject, category: CaseCategory,
                  legal_basis: str | None = None, reference: str | None = None, command_id: str | None = None) -> CommandResult:
        return self.handle(actor, c.OpenCase(title, summary, subject, category, legal_basis, reference), command_id=command_id)

    def revise_case(self, actor: Actor, case_id: UUID, *, title: str | None = None, summary: str | None = None,
                    category: CaseCategory | None = None, legal_basis: str | None = None, **delivery: Any) -> CommandResult:
        return self.handle(actor, c.ReviseCase(case_id, title, summary, category, legal_basis), **delivery)

    def request_transfer(self, actor: Actor, case_id: UUID, *, to: str, reason: str, **delivery: Any) -> CommandResult:
        return self.handle(actor, c.RequestTransfer(case_id, to, reason), **delivery)

    def accept_transfer(self, actor: Actor, case_id: UUID, **delivery: Any) -> CommandResult:
        return self.handle(actor, c.AcceptTransfer(case_id), **delivery)

    def decline_transfer(self, actor: Actor, case_id: UUID, *, reason: str, **delivery: Any) -> CommandResult:
        return self.handle(actor, c.DeclineTransfer(case_id, reason), **delivery)

    def withdraw_transfer(self, actor: Actor, case_id: UUID, **delivery: Any) -> CommandResult:
        return self.handle(actor, c.WithdrawTransfer(case_id), **delivery)

    def designate_jurisdiction(self, actor: Actor, case_id: UUID, *, jurisdiction: str, reason: str,
                               **delivery: Any) -> CommandResult:
        return self.handle(actor, c.DesignateJurisdiction(case_id, jurisdiction, reason), **delivery)

    def add_evidence(self, actor: Actor, case_id: UUID, *, item: EvidenceItem, **delivery: Any) -> CommandResult:
        return self.handle(actor, c.AddEvidence(case_id, item), **delivery)

    def close_case(self, actor: Actor, case_id: UUID, *, outcome: CaseOutcome, summary: str | None = None,
                   details: OutcomeDetails | None = None, **delivery: Any) -> CommandResult:
        return self.handle(actor, c.CloseCase(case_id, outcome, summary, details), **delivery)

    def reopen_case(self, actor: Actor, case_id: UUID, *, reason: str, **delivery: Any) -> CommandResult:
        return self.handle(actor, c.ReopenCase(case_id, reason), **delivery)

    def take_over_case(self, actor: Actor, case_id: UUID, *, reason: str, **delivery: Any) -> CommandResult:
        return self.handle(actor, c.TakeOverCase(case_id, reason), **delivery)

    def assign_case(self, actor: Actor, case_id: UUID, *, jurisdiction: str, reason: str, **delivery: Any) -> CommandResult:
        return self.handle(actor, c.AssignCase(case_id, jurisdiction, reason), **delivery)

    def extend_decision_period(self, actor: Actor, case_id: UUID, *, approver: str, reason: str, days: int | None = None,
                               collective_decision: str | None = None, **delivery: Any) -> CommandResult:
        return self.handle(actor, c.ExtendDecisionPeriod(case_id, approver, reason, days, collective_decision), **delivery)

    def pause_case_clock(self, actor: Actor, case_id: UUID, *, reason: CaseClockPauseReason, detail: str | None = None,
                         **delivery: Any) -> CommandResult:
        return self.handle(actor, c.PauseCaseClock(case_id, reason, detail), **delivery)

    def resume_case_clock(self, actor: Actor, case_id: UUID, **delivery: Any) -> CommandResult:
        return self.handle(actor, c.ResumeCaseClock(case_id), **delivery)

    def suspend_case(self, actor: Actor, case_id: UUID, *, reason: str, **delivery: Any) -> CommandResult:
        return self.handle(actor, c.SuspendCase(case_id, reason), **delivery)

    def resume_case(self, actor: Actor, case_id: UUID, *, reason: str | None = None, **delivery: Any) -> CommandResult:
        return self.handle(actor, c.ResumeCase(case_id, reason), **delivery)

    # -- evidence requests ---------------------------------------------------------------------

    def request_evidence(self, actor: Actor, case_id: UUID, *, requested: str, description: str,
                         legal_basis: str | None = None, due_at: datetime | None = None,
                         command_id: str | None = None) -> CommandResult:
        return self.handle(actor, c.RequestEvidence(case_id, requested, description, legal_basis, due_at), command_id=command_id)

    def acknowledge_evidence_request(self, actor: Actor, request_id: UUID, **delivery: Any) -> CommandResult:
        return self.handle(actor, c.AcknowledgeEvidenceRequest(request_id), **delivery)

    def extend_evidence_request(self, actor: Actor, request_id: UUID, *, due_at: datetime, reason: str,
                                **delivery: Any) -> CommandResult:
        return self.handle(actor, c.ExtendEvidenceRequest(request_id, due_at, reason), **delivery)

    def fulfil_evidence_request(self, actor: Actor, request_id: UUID, *, items: Sequence[EvidenceItem],
                                note: str | None = None, **delivery: Any) -> CommandResult:
        return self.handle(actor, c.FulfilEvidenceRequest(request_id, tuple(items), note), **delivery)

    def refuse_evidence_request(self, actor: Actor, request_id: UUID, *, reason: RefusalReason, detail: str | None = None,
                                competent_jurisdiction: str | None = None, **delivery: Any) -> CommandResult:
        return self.handle(actor, c.RefuseEvidenceRequest(request_id, reason, detail, competent_jurisdiction), **delivery)

    def ask_clarification(self, actor: Actor, request_id: UUID, *, question: str, **delivery: Any) -> CommandResult:
        return self.handle(actor, c.AskClarification(request_id, question), **delivery)

    def answer_clarification(self, actor: Actor, request_id: UUID, *, answer: str, **delivery: Any) -> CommandResult:
        return self.handle(actor, c.AnswerClarification(request_id, answer), **delivery)

    def withdraw_evidence_request(self, actor: Actor, request_id: UUID, *, reason: str | None = None,
                                  **delivery: Any) -> CommandResult:
        return self.handle(actor, c.WithdrawEvidenceRequest(request_id, reason), **delivery)

    # -- joint actions ----------------------------------------------------------------------------

    def propose_joint_action(self, actor: Actor, *, title: str, objective: str | None, case_ids: Sequence[UUID],
                             participants: Sequence[str], command_id: str | None = None) -> CommandResult:
        return self.handle(actor, c.ProposeJointAction(title, objective, tuple(case_ids), tuple(participants)),
                           command_id=command_id)

    def join_joint_action(self, actor: Actor, action_id: UUID, **delivery: Any) -> CommandResult:
        return self.handle(actor, c.JoinJointAction(action_id), **delivery)

    def decline_joint_action(self, actor: Actor, action_id: UUID, *, reason: str, **delivery: Any) -> CommandResult:
        return self.handle(actor, c.DeclineJointAction(action_id, reason), **delivery)

    def assign_joint_task(self, actor: Actor, action_id: UUID, *, assignee: str, title: str,
                          due_at: datetime | None = None, **delivery: Any) -> CommandResult:
        return self.handle(actor, c.AssignJointTask(action_id, assignee, title, due_at), **delivery)

    def complete_joint_task(self, actor: Actor, action_id: UUID, *, task_id: str, outcome: str,
                            **delivery: Any) -> CommandResult:
        return self.handle(actor, c.CompleteJointTask(action_id, task_id, outcome), **delivery)

    def close_joint_action(self, actor: Actor, action_id: UUID, *, common_position: str | None = None,
                           **delivery: Any) -> CommandResult:
        return self.handle(actor, c.CloseJointAction(action_id, common_position), **delivery)

    # -- leads (线索) -------------------------------------------------------------------------------

    def register_lead(self, actor: Actor, *, source: Any, subject: Subject, findings: str, reporter: Any = None,
                      command_id: str | None = None) -> CommandResult:
        return self.handle(actor, c.RegisterLead(source, subject, findings, reporter), command_id=command_id)

    def register_leads(self, actor: Actor, *, leads: Sequence[c.RegisterLead], command_id: str | None = None) -> CommandResult:
        return self.handle(actor, c.RegisterLeads(tuple(leads)), command_id=command_id)

    def extend_lead_check(self, actor: Actor, lead_id: UUID, *, approval: str, **delivery: Any) -> CommandResult:
        return self.handle(actor, c.ExtendLeadCheck(lead_id, approval), **delivery)

    def pause_lead_clock(self, actor: Actor, lead_id: UUID, *, reason: str, **delivery: Any) -> CommandResult:
        return self.handle(actor, c.PauseLeadClock(lead_id, reason), **delivery)

    def resume_lead_clock(self, actor: Actor, lead_id: UUID, *, reason: str, **delivery: Any) -> CommandResult:
        return self.handle(actor, c.ResumeLeadClock(lead_id, reason), **delivery)

    def file_case(self, actor: Actor, lead_id: UUID, *, filing_number: str, filing_date: Any, title: str,
                  category: CaseCategory, summary: str | None = None, legal_basis: str | None = None,
                  reference: str | None = None, **delivery: Any) -> CommandResult:
        return self.handle(actor, c.FileCase(lead_id, filing_number, filing_date, title, category, summary, legal_basis,
                                             reference), **delivery)

    def decline_to_file(self, actor: Actor, lead_id: UUID, *, reason: Any, detail: str | None = None,
                        **delivery: Any) -> CommandResult:
        return self.handle(actor, c.DeclineToFile(lead_id, reason, detail), **delivery)

    def record_reporter_notified(self, actor: Actor, lead_id: UUID, *, method: str, **delivery: Any) -> CommandResult:
        return self.handle(actor, c.RecordReporterNotified(lead_id, method), **delivery)

    def erase_reporter(self, actor: Actor, lead_id: UUID, **delivery: Any) -> CommandResult:
        return self.handle(actor, c.EraseReporter(lead_id), **delivery)
