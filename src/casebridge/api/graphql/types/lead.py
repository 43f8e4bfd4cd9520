"""Leads (线索): what a jurisdiction checks before deciding whether to file a case.
Visible to the holding jurisdiction only; each clock is a deadline (`dueAt`, `overdue`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import Info, Parent

from casebridge.api.graphql.types.case import Subject
from casebridge.api.graphql.types.enums import _mirror
from casebridge.api.graphql.types.jurisdiction import Jurisdiction, jurisdiction_of
from casebridge.domain import lead as domain_lead

if TYPE_CHECKING:
    from casebridge.api.graphql.types.case import Case
    from casebridge.projections.leads import LeadRow

CaseRef = Annotated["Case", strawberry.lazy("casebridge.api.graphql.types.case")]

LeadSource = _mirror(domain_lead.LeadSource, "Where a lead came from.")
LeadStatus = _mirror(domain_lead.LeadStatus, "Whether a lead is being checked, was filed as a case, or declined.")
DeclineToFileReason = _mirror(
    domain_lead.DeclineToFileReason,
    "Why a lead was not filed (不予立案): 程序规定 Art 20 (1)-(3), Art 19's conditions not met, or OTHER with detail.")


@strawberry.type(description="The named complainant or reporter (personal data: shown to the holding jurisdiction only).")
class Reporter:
    name: str
    contact: str | None


@strawberry.type(description="Telling a named reporter the filing decision: within 5 working days of it (投诉举报办法 Art 31).")
class ReporterNotice:
    due_at: datetime
    overdue: bool
    notified_at: datetime | None


def _holder(root: Parent[LeadRow], info: Info) -> Jurisdiction:
    return jurisdiction_of(info, root.holder)


def _subject(root: Parent[LeadRow]) -> Subject:
    return root  # type: ignore[return-value]


def _reporter(root: Parent[LeadRow], info: Info) -> Reporter | None:
    """Unsealed with the lead's key for its holder (the only one who sees the lead); null when
    anonymous or erased."""
    if root.reporter_sealed is None:
        return None
    vault = info.context.services.application.reporter_vault
    found = vault.open(root.id, root.reporter_sealed) if vault is not None else None
    return Reporter(name=found.name, contact=found.contact) if found is not None else None


def _due_at(root: Parent[LeadRow]) -> datetime:
    return root.check_due_at


def _overdue(root: Parent[LeadRow], info: Info) -> bool:
    return root.check_overdue(info.context.now)


def _paused(root: Parent[LeadRow]) -> bool:
    return root.paused_since is not None


def _notice(root: Parent[LeadRow], info: Info) -> ReporterNotice | None:
    if root.notice_due_at is None:
        return None
    return ReporterNotice(due_at=root.notice_due_at, overdue=root.notice_overdue(info.context.now),
                          notified_at=root.reporter_notified_at)


def _case(root: Parent[LeadRow], info: Info) -> CaseRef | None:
    return info.context.loaders.case.load(root.case_id) if root.case_id else None


@strawberry.type(description="A lead (线索) your jurisdiction holds: checked within 15 working days of registration, "
                             "extendable once by 15 with approval, testing time excluded (程序规定 Art 18).")
class Lead:
    id: strawberry.ID
    holder: Jurisdiction = strawberry.field(resolver=_holder, description="The jurisdiction holding the lead.")
    source: LeadSource
    subject: Subject = strawberry.field(resolver=_subject)
    findings: str
    reporter: Reporter | None = strawberry.field(
        resolver=_reporter, description="The named reporter; null when anonymous or erased (eraseReporter).")
    reporter_erased_at: datetime | None
    status: LeadStatus
    due_at: datetime = strawberry.field(resolver=_due_at, description="When the check must end.")
    overdue: bool = strawberry.field(resolver=_overdue, description="Still checking, clock running, past dueAt.")
    clock_paused: bool = strawberry.field(resolver=_paused, description="Testing, appraisal or expert time: not counted.")
    paused_since: datetime | None
    pause_reason: str | None
    extended: bool
    extension_approval: str | None
    case: CaseRef | None = strawberry.field(resolver=_case, description="The case filed from this lead.")
    filing_number: str | None = strawberry.field(description="The filing office's own number (立案号).")
    filing_date: date | None
    decline_reason: DeclineToFileReason | None
    decline_detail: str | None
    decided_at: datetime | None
    reporter_notice: ReporterNotice | None = strawberry.field(
        resolver=_notice, description="Null without a named reporter or before the decision.")
    registered_at: datetime
    version: int


@strawberry.type
class LeadEdge:
    cursor: str
    node: Lead


@strawberry.type
class LeadPageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class LeadConnection:
    edges: list[LeadEdge]
    page_info: LeadPageInfo


@strawberry.input
class LeadFilter:
    status: LeadStatus | None = None
    source: LeadSource | None = None
    subject_identifier: str | None = None
