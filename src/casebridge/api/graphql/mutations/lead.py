"""Mutations of leads (线索): register, extend/pause/resume the check, file a case or decline
to file, record that the reporter was told. All need `cases:write`."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry import Info

from casebridge.api.graphql.context import GraphQLContext
from casebridge.api.graphql.mutations.case import SubjectInput
from casebridge.api.graphql.mutations.common import (
    CLIENT_MUTATION_ID,
    EXPECTED_VERSION,
    NOT_APPLICABLE_VERSION,
    result_union,
    run,
    uuid_of,
)
from casebridge.api.graphql.types.case import Case
from casebridge.api.graphql.types.enums import CaseCategory, SubjectKind, to_domain
from casebridge.api.graphql.types.lead import DeclineToFileReason, Lead, LeadSource
from casebridge.application import commands as c
from casebridge.application.idempotency import CommandResult
from casebridge.domain import lead as domain_lead
from casebridge.domain import values
from casebridge.domain.errors import DomainError

WRITE = "cases:write"


def _read_lead(context: GraphQLContext, lead_id: str) -> Lead | None:
    return context.services.read_models.leads.get(context.jurisdiction, lead_id)  # type: ignore[return-value]


def _lead(context: GraphQLContext, result: CommandResult) -> Lead | None:
    return _read_lead(context, str(result.aggregate_id))


def _lead_id(value: strawberry.ID):
    return uuid_of(value, domain_lead.LeadNotFoundError)


@strawberry.input
class ReporterInput:
    name: str
    contact: str | None = None


@strawberry.input
class RegisterLeadInput:
    source: LeadSource
    subject: SubjectInput
    findings: str = strawberry.field(description="What was found or reported.")
    reporter: ReporterInput | None = strawberry.field(default=None, description="A named complainant or reporter.")
    expected_version: int | None = strawberry.field(default=None, description=NOT_APPLICABLE_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


def _register_command(input: RegisterLeadInput, n: int | None = None) -> c.RegisterLead:
    s = input.subject
    try:
        subject = values.Subject.create(s.name, to_domain(s.kind, values.SubjectKind), s.identifier, s.product_codes or ())
    except DomainError as error:  # in a list, name the field with its position
        if n is not None:
            error.field = f"leads[{n}].{error.field}" if error.field else f"leads[{n}]"
        raise
    reporter = domain_lead.Reporter(input.reporter.name, input.reporter.contact) if input.reporter else None  # checked in the handler
    return c.RegisterLead(to_domain(input.source, domain_lead.LeadSource), subject, input.findings, reporter)


@strawberry.type
class RegisterLeadSuccess:
    lead: Lead
    client_mutation_id: str | None


RegisterLeadResult = result_union("RegisterLead", RegisterLeadSuccess)


def register_lead(info: Info, input: RegisterLeadInput) -> RegisterLeadResult:
    return run(info, WRITE,
               lambda app, actor: app.handle(actor, _register_command(input), command_id=input.client_mutation_id),
               lambda context, result: RegisterLeadSuccess(lead=_lead(context, result),
                                                            client_mutation_id=input.client_mutation_id))


@strawberry.input
class RegisterLeadsInput:
    leads: list[RegisterLeadInput] = strawberry.field(description="At most 500; all are registered or none.")
    expected_version: int | None = strawberry.field(default=None, description=NOT_APPLICABLE_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.type
class RegisterLeadsSuccess:
    leads: list[Lead] = strawberry.field(description="In the order given.")
    client_mutation_id: str | None


RegisterLeadsResult = result_union("RegisterLeads", RegisterLeadsSuccess)


def register_leads(info: Info, input: RegisterLeadsInput) -> RegisterLeadsResult:
    def present(context: GraphQLContext, result: CommandResult) -> RegisterLeadsSuccess:
        ids = (result.detail or "").split(",")
        found = context.services.read_models.leads.get_many(context.jurisdiction, ids)
        return RegisterLeadsSuccess(leads=[found[i] for i in ids if i in found],  # type: ignore[misc]
                                    client_mutation_id=input.client_mutation_id)

    return run(info, WRITE,
               lambda app, actor: app.handle(actor, c.RegisterLeads(tuple(_register_command(one, n)
                                                                          for n, one in enumerate(input.leads))),
                                             command_id=input.client_mutation_id),
               present)


# -- commands on one lead ---------------------------------------------------------------------------


@strawberry.type
class LeadSuccess:
    lead: Lead
    client_mutation_id: str | None


@strawberry.input
class ExtendLeadCheckInput:
    lead_id: strawberry.ID
    approval: str = strawberry.field(description="Who approved the extension, and when (程序规定 Art 18).")
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.type
class ExtendLeadCheckSuccess(LeadSuccess):
    pass


ExtendLeadCheckResult = result_union("ExtendLeadCheck", ExtendLeadCheckSuccess)


def extend_lead_check(info: Info, input: ExtendLeadCheckInput) -> ExtendLeadCheckResult:
    return run(info, WRITE,
               lambda app, actor: app.extend_lead_check(actor, _lead_id(input.lead_id), approval=input.approval,
                                                        expected_version=input.expected_version,
                                                        command_id=input.client_mutation_id),
               lambda context, result: ExtendLeadCheckSuccess(lead=_lead(context, result),
                                                              client_mutation_id=input.client_mutation_id))


@strawberry.input
class PauseLeadClockInput:
    lead_id: strawberry.ID
    reason: str = strawberry.field(description="The testing, inspection, appraisal or expert opinion awaited.")
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.type
class PauseLeadClockSuccess(LeadSuccess):
    pass


PauseLeadClockResult = result_union("PauseLeadClock", PauseLeadClockSuccess)


def pause_lead_clock(info: Info, input: PauseLeadClockInput) -> PauseLeadClockResult:
    return run(info, WRITE,
               lambda app, actor: app.pause_lead_clock(actor, _lead_id(input.lead_id), reason=input.reason,
                                                       expected_version=input.expected_version,
                                                       command_id=input.client_mutation_id),
               lambda context, result: PauseLeadClockSuccess(lead=_lead(context, result),
                                                             client_mutation_id=input.client_mutation_id))


@strawberry.input
class ResumeLeadClockInput:
    lead_id: strawberry.ID
    reason: str
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.type
class ResumeLeadClockSuccess(LeadSuccess):
    pass


ResumeLeadClockResult = result_union("ResumeLeadClock", ResumeLeadClockSuccess)


def resume_lead_clock(info: Info, input: ResumeLeadClockInput) -> ResumeLeadClockResult:
    return run(info, WRITE,
               lambda app, actor: app.resume_lead_clock(actor, _lead_id(input.lead_id), reason=input.reason,
                                                        expected_version=input.expected_version,
                                                        command_id=input.client_mutation_id),
               lambda context, result: ResumeLeadClockSuccess(lead=_lead(context, result),
                                                              client_mutation_id=input.client_mutation_id))


@strawberry.input
class FileCaseInput:
    lead_id: strawberry.ID
    filing_number: str = strawberry.field(description="Your office's own filing number (立案号).")
    filing_date: date
    title: str
    category: CaseCategory
    summary: str | None = strawberry.field(default=None, description="Default: the lead's findings.")
    legal_basis: str | None = None
    reference: str | None = strawberry.field(default=None, description="Your own handling code; issued when absent.")
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.type
class FileCaseSuccess:
    lead: Lead
    case: Case
    client_mutation_id: str | None


FileCaseResult = result_union("FileCase", FileCaseSuccess)


def file_case(info: Info, input: FileCaseInput) -> FileCaseResult:
    def present(context: GraphQLContext, result: CommandResult) -> FileCaseSuccess:
        case = context.services.read_models.cases.get(context.jurisdiction, result.detail or "")
        if case is not None:
            context.loaders.cases_seen([case])
        return FileCaseSuccess(lead=_lead(context, result), case=case,  # type: ignore[arg-type]
                               client_mutation_id=input.client_mutation_id)

    return run(info, WRITE,
               lambda app, actor: app.file_case(
                   actor, _lead_id(input.lead_id), filing_number=input.filing_number, filing_date=input.filing_date,
                   title=input.title, category=to_domain(input.category, values.CaseCategory), summary=input.summary,
                   legal_basis=input.legal_basis, reference=input.reference, expected_version=input.expected_version,
                   command_id=input.client_mutation_id),
               present)


@strawberry.input
class DeclineToFileInput:
    lead_id: strawberry.ID
    reason: DeclineToFileReason
    detail: str | None = strawberry.field(default=None, description="Required when the reason is OTHER.")
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.type
class DeclineToFileSuccess(LeadSuccess):
    pass


DeclineToFileResult = result_union("DeclineToFile", DeclineToFileSuccess)


def decline_to_file(info: Info, input: DeclineToFileInput) -> DeclineToFileResult:
    return run(info, WRITE,
               lambda app, actor: app.decline_to_file(
                   actor, _lead_id(input.lead_id), reason=to_domain(input.reason, domain_lead.DeclineToFileReason),
                   detail=input.detail, expected_version=input.expected_version, command_id=input.client_mutation_id),
               lambda context, result: DeclineToFileSuccess(lead=_lead(context, result),
                                                            client_mutation_id=input.client_mutation_id))


@strawberry.input
class RecordReporterNotifiedInput:
    lead_id: strawberry.ID
    method: str = strawberry.field(description="How the reporter was told (phone, SMS, letter, ...).")
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.type
class RecordReporterNotifiedSuccess(LeadSuccess):
    pass


RecordReporterNotifiedResult = result_union("RecordReporterNotified", RecordReporterNotifiedSuccess)


def record_reporter_notified(info: Info, input: RecordReporterNotifiedInput) -> RecordReporterNotifiedResult:
    return run(info, WRITE,
               lambda app, actor: app.record_reporter_notified(actor, _lead_id(input.lead_id), method=input.method,
                                                               expected_version=input.expected_version,
                                                               command_id=input.client_mutation_id),
               lambda context, result: RecordReporterNotifiedSuccess(lead=_lead(context, result),
                                                                     client_mutation_id=input.client_mutation_id))


@strawberry.input
class EraseReporterInput:
    lead_id: strawberry.ID
    expected_version: int | None = strawberry.field(default=None, description=EXPECTED_VERSION)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.type
class EraseReporterSuccess(LeadSuccess):
    pass


EraseReporterResult = result_union("EraseReporter", EraseReporterSuccess)


def erase_reporter(info: Info, input: EraseReporterInput) -> EraseReporterResult:
    return run(info, WRITE,
               lambda app, actor: app.erase_reporter(actor, _lead_id(input.lead_id),
                                                     expected_version=input.expected_version,
                                                     command_id=input.client_mutation_id),
               lambda context, result: EraseReporterSuccess(lead=_lead(context, result),
                                                            client_mutation_id=input.client_mutation_id))
