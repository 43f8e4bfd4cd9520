"""The default due date of an evidence request: 15 working days (工作日), end of day, China time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from domain.helpers import CHINA, HANGZHOU, SUZHOU, actor

from casebridge.domain.errors import (
    EvidenceRequestExpiredError,
    InvalidDueDateError,
    UnknownJurisdictionError,
)


def due_at_of(app, case_id) -> datetime:
    request = app.request_evidence(actor(HANGZHOU), case_id, requested=SUZHOU, description="Depot records")
    return app.get_evidence_request(request.aggregate_id).due_at


def test_the_default_due_date_is_fifteen_working_days_counting_the_spring_festival_and_make_up_days(app, case_id):
    # 2025-01-20 09:00 China time; the Spring Festival (01-28..02-04) is skipped, 01-26 and 02-08 are worked.
    due = due_at_of(app, case_id)

    assert due == datetime(2025, 2, 14, 23, 59, 59, tzinfo=CHINA)
    assert due.utcoffset() == timedelta(hours=8)


def test_the_start_day_is_the_day_in_china_not_in_utc(app, case_id, clock):
    clock.now = datetime(2025, 1, 19, 20, 0, tzinfo=UTC)  # 2025-01-20 04:00 in China
    assert due_at_of(app, case_id) == datetime(2025, 2, 14, 23, 59, 59, tzinfo=CHINA)


def test_a_given_due_date_is_kept(app, case_id):
    given = datetime(2025, 3, 3, 18, 0, tzinfo=CHINA)
    request = app.request_evidence(actor(HANGZHOU), case_id, requested=SUZHOU, description="d", due_at=given)
    assert app.get_evidence_request(request.aggregate_id).due_at == given


def test_a_due_date_in_the_past_by_the_applications_clock_is_refused(app, case_id, clock, nothing_written):
    with nothing_written(), pytest.raises(InvalidDueDateError) as info:
        app.request_evidence(actor(HANGZHOU), case_id, requested=SUZHOU, description="d", due_at=clock() - timedelta(minutes=1))
    assert info.value.field == "dueAt"


def test_an_unknown_requested_jurisdiction_is_refused(app, case_id, nothing_written):
    with nothing_written(), pytest.raises(UnknownJurisdictionError) as info:
        app.request_evidence(actor(HANGZHOU), case_id, requested="999999", description="d")
    assert (info.value.code, info.value.field) == ("VALIDATION", "requested")


def test_an_extension_is_refused_once_the_clock_passes_the_due_date(app, case_id, clock, nothing_written):
    request = app.request_evidence(actor(HANGZHOU), case_id, requested=SUZHOU, description="d")
    due = app.get_evidence_request(request.aggregate_id).due_at
    clock.now = due + timedelta(seconds=1)

    assert app.get_evidence_request(request.aggregate_id).is_overdue(clock())
    with nothing_written(), pytest.raises(EvidenceRequestExpiredError) as info:
        app.extend_evidence_request(actor(SUZHOU), request.aggregate_id, due_at=due + timedelta(days=5), reason="r")
    assert info.value.code == "INVALID_STATE"
