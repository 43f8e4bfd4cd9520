"""Handlers of the lead commands (线索 -> 立案 or 不予立案)."""

from __future__ import annotations

from uuid import uuid4

from casebridge.application import commands as c
from casebridge.application.command_loop import Attempt, Decision
from casebridge.application.handlers.cases import open_case
from casebridge.application.reporter_vault import NoReporterVaultError
from casebridge.domain.errors import DomainError, ValidationError
from casebridge.domain.lead import Lead, Reporter

MAX_LEADS_PER_CALL = 500


def register_lead(on: Attempt, cmd: c.RegisterLead) -> Decision:
    lead = _registered(on, cmd)
    return Decision([lead], lead)


def register_leads(on: Attempt, cmd: c.RegisterLeads) -> Decision:
    if not cmd.leads:
        raise ValidationError("registerLeads needs at least one lead", field="leads")
    if len(cmd.leads) > MAX_LEADS_PER_CALL:
        raise ValidationError(f"at most {MAX_LEADS_PER_CALL} leads per call", field="leads")
    leads = []
    for n, one in enumerate(cmd.leads):
        try:
            leads.append(_registered(on, one))
        except DomainError as error:  # name the field with its position in the list
            error.field = f"leads[{n}].{error.field}" if error.field else f"leads[{n}]"
            raise
    # All or none in one write; the detail lists every new id, in the order given.
    return Decision(leads, leads[0], detail=",".join(str(lead.id) for lead in leads))


def _registered(on: Attempt, cmd: c.RegisterLead) -> Lead:
    app = on.app
    app.registry.require(on.actor.jurisdiction, field="jurisdiction")
    lead_id, sealed = uuid4(), None
    if cmd.reporter is not None:
        reporter = Reporter.create(cmd.reporter.name, cmd.reporter.contact)
        if app.reporter_vault is None:
            raise NoReporterVaultError()
        # The key is stored first: a write that then fails leaves an unused key, never a
        # reporter in the log without one.
        sealed = app.reporter_vault.seal(lead_id, reporter)
    return Lead.register(actor=on.actor, source=cmd.source, subject=cmd.subject, findings=cmd.findings,
                         sealed_reporter=sealed, now=app.clock(), calendar=app.calendar, id=lead_id)


def extend_lead_check(on: Attempt, cmd: c.ExtendLeadCheck) -> Decision:
    lead = on.lead(cmd.lead_id)
    lead.extend_check(on.actor, approval=cmd.approval, now=on.app.clock(), calendar=on.app.calendar)
    return Decision([lead], lead)


def pause_lead_clock(on: Attempt, cmd: c.PauseLeadClock) -> Decision:
    lead = on.lead(cmd.lead_id)
    lead.pause_clock(on.actor, reason=cmd.reason, now=on.app.clock())
    return Decision([lead], lead)


def resume_lead_clock(on: Attempt, cmd: c.ResumeLeadClock) -> Decision:
    lead = on.lead(cmd.lead_id)
    lead.resume_clock(on.actor, reason=cmd.reason, now=on.app.clock(), calendar=on.app.calendar)
    return Decision([lead], lead)


def file_case(on: Attempt, cmd: c.FileCase) -> Decision:
    """The lead's Filed event and the new case (opened as `openCase` opens one, with its
    filing recorded) are saved in one write."""
    lead = on.lead(cmd.lead_id)
    opened = open_case(on, c.OpenCase(
        title=cmd.title, summary=cmd.summary if cmd.summary is not None and cmd.summary.strip() else lead.findings,
        subject=lead.subject, category=cmd.category, legal_basis=cmd.legal_basis, reference=cmd.reference,
    ))
    case = opened.target
    now = on.app.clock()
    lead.file(on.actor, case_id=case.id, filing_number=cmd.filing_number, filing_date=cmd.filing_date, now=now,
              calendar=on.app.calendar)
    case.record_filing(on.actor, lead_id=lead.id, filing_number=lead.filing_number, filing_date=cmd.filing_date)
    return Decision([lead, *opened.objects], lead, detail=str(case.id))


def decline_to_file(on: Attempt, cmd: c.DeclineToFile) -> Decision:
    lead = on.lead(cmd.lead_id)
    lead.decline_to_file(on.actor, reason=cmd.reason, detail=cmd.detail, now=on.app.clock(), calendar=on.app.calendar)
    return Decision([lead], lead)


def record_reporter_notified(on: Attempt, cmd: c.RecordReporterNotified) -> Decision:
    lead = on.lead(cmd.lead_id)
    lead.record_reporter_notified(on.actor, method=cmd.method)
    return Decision([lead], lead)


def erase_reporter(on: Attempt, cmd: c.EraseReporter) -> Decision:
    """Crypto-shredding: the key goes first, so the reporter is unreadable even if the
    event's write then fails (a retry records it)."""
    lead = on.lead(cmd.lead_id)
    lead.erase_reporter(on.actor)
    if on.app.reporter_vault is not None:
        on.app.reporter_vault.destroy(lead.id)
    return Decision([lead], lead)


HANDLERS = {
    c.RegisterLead: register_lead, c.RegisterLeads: register_leads, c.ExtendLeadCheck: extend_lead_check,
    c.PauseLeadClock: pause_lead_clock, c.ResumeLeadClock: resume_lead_clock, c.FileCase: file_case,
    c.DeclineToFile: decline_to_file, c.RecordReporterNotified: record_reporter_notified,
    c.EraseReporter: erase_reporter,
}
