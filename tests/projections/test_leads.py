"""The leads read model on SQLite and PostgreSQL: rows per lead, held-by filtering, keyset
pages, the inbox of leads to check, exactly-once application and rebuilds from zero."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone

import pytest

from casebridge.application import commands as c
from casebridge.application.app import CaseBridge
from casebridge.domain.lead import DeclineToFileReason, LeadSource, Reporter
from casebridge.domain.values import CaseCategory, Subject, SubjectKind
from casebridge.infra.reporter_keys import SqlReporterVault
from casebridge.projections.leads import LeadFilter
from casebridge.projections.rebuild import rebuild_all
from casebridge.projections.runner import ApplicationLog

from .conftest import HANGZHOU, SHANGHAI, ZHEJIANG, actor, dump, make_runner

CHINA = timezone(timedelta(hours=8))
MONDAY = datetime(2025, 3, 3, 9, 0, tzinfo=CHINA)
SUBJECT = Subject.create("Brightstar Trading", SubjectKind.MARKETPLACE_SELLER, "91330100MA2H000X0Q", ("SKU-1",))


class Clock:
    def __init__(self) -> None:
        self.now = MONDAY

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)  # every write at its own moment: a strict registration order
        return self.now


@pytest.fixture
def app(settings, db) -> Iterator[CaseBridge]:
    application = CaseBridge(env=settings.database.eventsourcing_env(), clock=Clock(), reporter_vault=SqlReporterVault(db))
    yield application
    application.close()


def register(app: CaseBridge, by: str = HANGZHOU, reporter: Reporter | None = Reporter("Li Lei", "138-0000-0000"),
             source: LeadSource = LeadSource.COMPLAINT):
    return app.register_lead(actor(by), source=source, subject=SUBJECT, findings="Underrated power banks",
                             reporter=reporter).aggregate_id


def test_a_lead_is_one_row_with_its_check_clock_and_only_its_holder_sees_it(app, rm, catch_up):
    """程序规定 Art 18: the check is due 15 working days after registration."""
    lead_id = register(app)
    catch_up()
    row = rm.leads.get(HANGZHOU, str(lead_id))
    assert (row.holder, row.source, row.status, row.subject_name, row.subject_product_codes) == (
        HANGZHOU, "COMPLAINT", "CHECKING", "Brightstar Trading", ("SKU-1",))
    assert row.reporter_sealed.startswith("v1:") and "Li Lei" not in row.reporter_sealed  # sealed, as in the event
    assert app.reporter_vault.open(lead_id, row.reporter_sealed) == Reporter("Li Lei", "138-0000-0000")
    assert row.check_due_at == datetime(2025, 3, 24, 23, 59, 59, tzinfo=CHINA)
    assert not row.check_overdue(row.check_due_at) and row.check_overdue(row.check_due_at + timedelta(seconds=1))
    for outsider in (SHANGHAI, ZHEJIANG):  # a stranger, and the supervising province
        assert rm.leads.get(outsider, str(lead_id)) is None
        assert rm.leads.page(outsider, first=10).items == [] and rm.leads.to_check(outsider) == []


def test_pausing_extending_filing_and_notifying_are_recorded_on_the_row(app, rm, catch_up):
    lead_id = register(app)
    app.pause_lead_clock(actor(HANGZHOU), lead_id, reason="Capacity testing")
    catch_up()
    paused = rm.leads.get(HANGZHOU, str(lead_id))
    assert paused.paused_since is not None and paused.pause_reason == "Capacity testing"
    assert not paused.check_overdue(datetime(2030, 1, 1, tzinfo=CHINA))  # a stopped clock is never overdue
    app.resume_lead_clock(actor(HANGZHOU), lead_id, reason="Report received")
    app.extend_lead_check(actor(HANGZHOU), lead_id, approval="Director Wang")
    result = app.file_case(actor(HANGZHOU), lead_id, filing_number="杭市监立〔2025〕17号", filing_date=date(2025, 3, 3),
                           title="Underrated power banks", category=CaseCategory.PRODUCT_QUALITY)
    catch_up()
    filed = rm.leads.get(HANGZHOU, str(lead_id))
    assert (filed.status, filed.case_id, filed.filing_number, filed.filing_date, filed.extended) == (
        "FILED", result.detail, "杭市监立〔2025〕17号", date(2025, 3, 3), True)
    assert filed.extension_approval == "Director Wang" and filed.paused_since is None
    assert filed.check_due_at == datetime(2025, 4, 15, 23, 59, 59, tzinfo=CHINA)
    assert filed.notice_due_at == datetime(2025, 3, 10, 23, 59, 59, tzinfo=CHINA)
    assert rm.cases.get(HANGZHOU, result.detail) is not None  # the case opened with it
    assert rm.leads.to_check(HANGZHOU) == []
    app.record_reporter_notified(actor(HANGZHOU), lead_id, method="phone")
    catch_up()
    notified = rm.leads.get(HANGZHOU, str(lead_id))
    assert notified.reporter_notified_at is not None and not notified.notice_overdue(datetime(2030, 1, 1, tzinfo=CHINA))
    app.erase_reporter(actor(HANGZHOU), lead_id)
    catch_up()
    erased = rm.leads.get(HANGZHOU, str(lead_id))
    assert erased.reporter_sealed is None and erased.reporter_erased_at is not None


def test_leads_page_newest_first_by_keyset_and_filter_by_status_and_source(app, rm, catch_up):
    ids = [register(app) for _ in range(5)]
    monitoring = register(app, source=LeadSource.MONITORING, reporter=None)
    app.decline_to_file(actor(HANGZHOU), ids[0], reason=DeclineToFileReason.TIME_BARRED)
    register(app, by=SHANGHAI)
    catch_up()
    seen, after = [], None
    while True:
        page = rm.leads.page(HANGZHOU, first=2, after=after)
        seen += [r.id for r in page.items]
        if not page.has_next_page:
            break
        after = page.end_cursor
    assert seen == [str(i) for i in reversed([*ids, monitoring])]
    assert [r.id for r in rm.leads.page(HANGZHOU, first=10, filter=LeadFilter(status="DECLINED")).items] == [str(ids[0])]
    assert [r.id for r in rm.leads.page(HANGZHOU, first=10, filter=LeadFilter(source="MONITORING")).items] == [
        str(monitoring)]
    inbox = rm.leads.to_check(HANGZHOU)  # the soonest due first; all here are due the same day
    assert {r.id for r in inbox} == {str(i) for i in [*ids[1:], monitoring]}
    assert [(r.check_due_at, r.id) for r in inbox] == sorted((r.check_due_at, r.id) for r in inbox)


def test_a_rebuild_from_zero_gives_the_same_lead_rows_and_a_redelivered_event_changes_nothing(app, db, catch_up):
    stale = make_runner(app, db, names=["leads"])
    for i in range(6):
        lead_id = register(app)
        if i % 2:
            app.pause_lead_clock(actor(HANGZHOU), lead_id, reason="Testing")
        if i == 4:
            app.erase_reporter(actor(HANGZHOU), lead_id)
    app.register_leads(actor(HANGZHOU), leads=[c.RegisterLead(LeadSource.MONITORING, SUBJECT, "Sweep")] * 3)
    catch_up(page_size=4)
    before = dump(db)
    assert len(before["rm_leads"]) == 9
    assert stale.catch_up() == app.max_position()
    assert dump(db) == before
    rebuild_all(db, ApplicationLog(app.recorder, app.mapper), app.registry, page_size=5)
    assert dump(db) == before
