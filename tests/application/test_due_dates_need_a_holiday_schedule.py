"""A default due date counted in working days needs the year's holiday schedule (行政处罚法 Art 85:
工作日 exclude public holidays); without it the request is refused, never counted as weekends-only."""

from __future__ import annotations

from datetime import datetime

import pytest
from domain.helpers import CHINA, HANGZHOU, SUZHOU, actor

from casebridge.domain.calendar import HolidayScheduleMissingError


def test_a_default_due_date_falling_in_a_year_without_a_schedule_is_refused_and_nothing_is_written(
        app, case_id, clock, nothing_written):
    clock.now = datetime(2026, 12, 21, 9, 0, tzinfo=CHINA)  # 15 working days later is in 2027: no notice loaded

    with nothing_written(), pytest.raises(HolidayScheduleMissingError) as info:
        app.request_evidence(actor(HANGZHOU), case_id, requested=SUZHOU, description="Depot records")

    assert (info.value.code, info.value.field) == ("VALIDATION", "dueAt")


def test_a_given_due_date_in_such_a_year_is_accepted(app, case_id, clock):
    clock.now = datetime(2026, 12, 21, 9, 0, tzinfo=CHINA)
    given = datetime(2027, 1, 20, 18, 0, tzinfo=CHINA)

    request = app.request_evidence(actor(HANGZHOU), case_id, requested=SUZHOU, description="d", due_at=given)

    assert app.get_evidence_request(request.aggregate_id).due_at == given
