"""Leads through the application, on SQLite and PostgreSQL: registered, checked, filed as a
case in one write, or declined; held by one jurisdiction alone."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

import pytest
from domain.helpers import CHINA, HANGZHOU, SHANGHAI, SUBJECT, actor

from casebridge.application import commands as c
from casebridge.application.chain import verify_stream
from casebridge.application.reporter_vault import NoReporterVaultError
from casebridge.domain.case import Case
from casebridge.domain.errors import ValidationError
from casebridge.domain.lead import DeclineToFileReason, Lead, LeadNotFoundError, LeadSource, LeadStatus, Reporter
from casebridge.domain.values import CaseCategory
from casebridge.infra.database import Database
from casebridge.infra.reporter_keys import SqlReporterVault

REPORTER = Reporter("Li Lei", "138-0000-0000")


@pytest.fixture
def db(settings):
    database = Database(settings.database)
    yield database
    database.close()


@pytest.fixture
def app(make_app, db):
    """The application as the server builds it: reporters sealed with keys in its database."""
    return make_app(reporter_vault=SqlReporterVault(db))


def register(app, by: str = HANGZHOU, **overrides):
    args = {"source": LeadSource.COMPLAINT, "subject": SUBJECT, "findings": "Power banks far below rated capacity",
            "reporter": REPORTER}
    return app.register_lead(actor(by), **{**args, **overrides})


def test_filing_a_lead_opens_a_case_with_its_filing_number_in_the_same_write(app, clock):
    """程序规定 Art 18-19: the check ends in a filing; the case carries the office's own 立案号."""
    lead_id = register(app).aggregate_id
    assert app.get_lead(lead_id).check_due_at == datetime(2025, 2, 14, 23, 59, 59, tzinfo=CHINA)
    position_before = app.max_position()
    result = app.file_case(actor(HANGZHOU), lead_id, filing_number="杭市监立〔2025〕17号", filing_date=date(2025, 1, 20),
                           title="Underrated power banks", category=CaseCategory.PRODUCT_QUALITY, expected_version=1)
    lead = app.get_lead(lead_id)
    assert lead.status is LeadStatus.FILED and str(lead.case_id) == result.detail
    case = app.get_case(lead.case_id)
    assert (case.handling_jurisdiction, case.subject, case.summary) == (HANGZHOU, SUBJECT, lead.findings)
    assert case.filings == [(HANGZHOU, "杭市监立〔2025〕17号", date(2025, 1, 20))]
    history = [type(e) for e in app.events.get(case.id)]
    assert history[:2] == [Case.Opened, Case.FilingRecorded]
    # One write: the lead's Filed event, the case's two events and its reference sequence.
    assert app.max_position() - position_before >= 3
    assert result.position == app.max_position()


def test_a_refused_filing_writes_nothing(app, nothing_written):
    lead_id = register(app).aggregate_id
    with nothing_written(), pytest.raises(ValidationError):
        app.file_case(actor(HANGZHOU), lead_id, filing_number=" ", filing_date=date(2025, 1, 20), title="T",
                      category=CaseCategory.PRODUCT_QUALITY)
    assert app.get_lead(lead_id).status is LeadStatus.CHECKING


def test_another_jurisdiction_cannot_touch_a_lead_it_does_not_hold(app, nothing_written):
    lead_id = register(app).aggregate_id
    for outsider in (SHANGHAI, "330000"):  # a stranger and the supervising province
        with nothing_written(), pytest.raises(LeadNotFoundError):
            app.decline_to_file(actor(outsider), lead_id, reason=DeclineToFileReason.TIME_BARRED)


def test_leads_registered_in_bulk_are_saved_all_or_none(app, nothing_written):
    good = c.RegisterLead(LeadSource.MONITORING, SUBJECT, "Listing shows a fake CCC mark")
    result = app.register_leads(actor(HANGZHOU), leads=[good, good])
    ids = result.detail.split(",")
    assert len(ids) == 2 and all(isinstance(app.get_lead(UUID(i)), Lead) for i in ids)
    with nothing_written(), pytest.raises(ValidationError):
        app.register_leads(actor(HANGZHOU), leads=[good, c.RegisterLead(LeadSource.MONITORING, SUBJECT, " ")])


def test_declining_and_telling_the_reporter_round_trips_through_the_store(app, clock):
    """投诉举报办法 Art 31: the notice deadline and the notice itself are stored facts."""
    lead_id = register(app).aggregate_id
    app.pause_lead_clock(actor(HANGZHOU), lead_id, reason="Capacity testing")
    clock.advance(days=7)
    app.resume_lead_clock(actor(HANGZHOU), lead_id, reason="Report received")
    app.extend_lead_check(actor(HANGZHOU), lead_id, approval="Director Wang")
    app.decline_to_file(actor(HANGZHOU), lead_id, reason=DeclineToFileReason.OTHER, detail="Seller deregistered")
    app.record_reporter_notified(actor(HANGZHOU), lead_id, method="phone")
    lead = app.get_lead(lead_id)
    assert (lead.status, lead.decline_reason, lead.reporter_notified, lead.extended) == (
        LeadStatus.DECLINED, DeclineToFileReason.OTHER, True, True)
    assert app.reporter_vault.open(lead_id, lead.sealed_reporter) == REPORTER
    assert lead.version == 6


def test_the_event_log_holds_the_reporter_only_sealed_and_erasure_destroys_the_key(app):
    """Issue 11 §7: crypto-shredding — the key is destroyed, the log and its hash chain stay."""
    lead_id = register(app).aggregate_id
    stored = app.recorder.select_events(lead_id)
    assert not [s for s in stored if b"Li Lei" in s.state or "138-0000-0000".encode() in s.state]
    sealed = app.get_lead(lead_id).sealed_reporter
    assert app.reporter_vault.open(lead_id, sealed) == REPORTER
    other = register(app).aggregate_id  # each lead its own key: erasing one leaves the other readable

    app.erase_reporter(actor(HANGZHOU), lead_id, expected_version=1)
    assert app.reporter_vault.open(lead_id, sealed) is None
    assert app.get_lead(lead_id).sealed_reporter is None
    assert app.reporter_vault.open(other, app.get_lead(other).sealed_reporter) == REPORTER
    after = app.recorder.select_events(lead_id)
    assert [s.state for s in after[:1]] == [s.state for s in stored]  # the sealed copy is still there, unchanged
    assert verify_stream(after, lead_id).valid


def test_without_a_key_store_a_lead_may_not_name_its_reporter(make_app):
    bare = make_app()
    head = bare.max_position()
    with pytest.raises(NoReporterVaultError) as info:
        register(bare)
    assert info.value.field == "reporter" and bare.max_position() == head
    assert register(bare, reporter=None).version == 1
