"""The working-day calendar: China's official holiday schedule, 调休 make-up days, due dates.

Working days (工作日) exclude weekends and public holidays and include make-up working days, per the
State Council's yearly notice; the first day is not counted; a calendar-day deadline ending on a
day off moves to the next working day (行政处罚法 Art 85). The schedule comes from the
`chinesecalendar` package; CASEBRIDGE_HOLIDAYS_FILE adds or replaces years.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest

from casebridge.domain.calendar import CalendarError, DuePeriod, HolidayScheduleMissingError, WorkingDayCalendar


@pytest.fixture(scope="module")
def cn() -> WorkingDayCalendar:
    return WorkingDayCalendar.load()


def write_data(tmp_path, years: dict) -> str:
    path = tmp_path / "holidays.json"
    path.write_text(json.dumps({"_comment": "test", "country": "CN", "years": years}, ensure_ascii=False), "utf-8")
    return str(path)


def test_weekends_are_skipped():
    cal = WorkingDayCalendar.weekends_only()
    assert cal.add_working_days(date(2030, 1, 4), 1) == date(2030, 1, 7)  # Fri -> Mon
    assert cal.add_working_days(date(2030, 1, 5), 1) == date(2030, 1, 7)  # Sat -> Mon
    assert cal.add_working_days(date(2030, 1, 1), 10) == date(2030, 1, 15)
    assert not cal.is_working_day(date(2030, 1, 5)) and not cal.is_working_day(date(2030, 1, 6))


def test_spring_festival_2025_is_skipped(cn):
    for offset in range(8):  # 2025-01-28 .. 2025-02-04
        assert not cn.is_working_day(date(2025, 1, 28) + timedelta(days=offset))
    assert cn.add_working_days(date(2025, 1, 27), 1) == date(2025, 2, 5)


@pytest.mark.parametrize(
    "holiday",
    [date(2024, 1, 1), date(2024, 6, 10), date(2024, 9, 16), date(2025, 5, 5), date(2025, 10, 8), date(2026, 2, 23)],
)
def test_public_holidays_on_weekdays_are_not_working_days(cn, holiday):
    assert holiday.weekday() < 5
    assert not cn.is_working_day(holiday)


def test_a_makeup_saturday_counts_as_a_working_day(cn):
    assert date(2025, 2, 8).weekday() == 5
    assert cn.is_working_day(date(2025, 2, 8))
    assert cn.add_working_days(date(2025, 2, 7), 1) == date(2025, 2, 8)
    assert not cn.is_working_day(date(2025, 2, 9))  # the Sunday after it stays a day off


def test_fifteen_working_days_from_before_the_2025_spring_festival_land_on_14_february(cn):
    # From Mon 2025-01-20: Jan 21-24 (4), Sun Jan 26 make-up (5), Jan 27 (6), holidays Jan 28-Feb 4,
    # Feb 5-7 (9), Sat Feb 8 make-up (10), Feb 10-14 (15).
    assert cn.add_working_days(date(2025, 1, 20), 15) == date(2025, 2, 14)
    assert WorkingDayCalendar.weekends_only().add_working_days(date(2025, 1, 20), 15) == date(2025, 2, 10)


def test_national_day_2024_and_its_makeup_days(cn):
    assert cn.add_working_days(date(2024, 9, 27), 1) == date(2024, 9, 29)  # Fri -> make-up Sun
    assert cn.add_working_days(date(2024, 9, 30), 1) == date(2024, 10, 8)  # Oct 1-7 off


@pytest.mark.parametrize(
    ("year", "makeup", "weekday_holidays"),
    [
        (2024, ["02-04", "02-18", "04-07", "04-28", "05-11", "09-14", "09-29", "10-12"], 19),
        (2025, ["01-26", "02-08", "04-27", "09-28", "10-11"], 18),
        (2026, ["01-04", "02-14", "02-28", "05-09", "09-20", "10-10"], 19),
    ],
)
def test_each_year_matches_its_state_council_notice(cn, year, makeup, weekday_holidays):
    """国务院办公厅关于{year}年部分节假日安排的通知: the make-up Saturdays/Sundays worked, the weekdays off."""
    assert cn.covers(year)
    days = [date(year, 1, 1) + timedelta(days=i) for i in range(date(year + 1, 1, 1).toordinal() - date(year, 1, 1).toordinal())]
    assert [d.strftime("%m-%d") for d in days if d.weekday() >= 5 and cn.is_working_day(d)] == makeup
    assert sum(1 for d in days if d.weekday() < 5 and not cn.is_working_day(d)) == weekday_holidays


def test_the_maintained_schedule_covers_every_year_from_2004_to_2026(cn):
    assert all(cn.covers(year) for year in range(2004, 2027))
    assert not cn.covers(2003)


def test_working_period_due_date_counts_working_days(cn):
    assert cn.due_date(date(2025, 1, 20), DuePeriod(15)) == date(2025, 2, 14)
    assert cn.due_date(date(2025, 1, 20), DuePeriod(15, "working")) == date(2025, 2, 14)


def test_calendar_period_due_date_counts_calendar_days(cn):
    assert cn.due_date(date(2025, 3, 3), DuePeriod(30, "calendar")) == date(2025, 4, 2)


def test_calendar_period_ending_on_a_holiday_moves_to_the_next_working_day(cn):
    # 2024-12-30 + 30 days = 2025-01-29, inside the Spring Festival holiday (Jan 28 - Feb 4).
    assert cn.due_date(date(2024, 12, 30), DuePeriod(30, "calendar")) == date(2025, 2, 5)


def test_calendar_period_ending_on_a_weekend_moves_to_monday(cn):
    assert cn.due_date(date(2025, 3, 1), DuePeriod(7, "calendar")) == date(2025, 3, 10)


def test_calendar_period_ending_on_a_makeup_saturday_stays_there(cn):
    assert cn.due_date(date(2025, 1, 9), DuePeriod(30, "calendar")) == date(2025, 2, 8)


def test_working_days_into_a_year_without_a_loaded_schedule_are_refused_not_guessed(cn):
    """Given no 2027 notice loaded, when 15 working days from 2026-12-20 are counted, then VALIDATION on dueAt:
    a weekends-only count would ignore New Year's Day (行政处罚法 Art 85: 工作日 exclude public holidays)."""
    assert not cn.covers(2027)
    with pytest.raises(HolidayScheduleMissingError) as info:
        cn.due_date(date(2026, 12, 20), DuePeriod(15, "working"))
    assert (info.value.code, info.value.field, info.value.year) == ("VALIDATION", "dueAt", 2027)
    with pytest.raises(HolidayScheduleMissingError):
        cn.is_working_day(date(2027, 1, 1))
    with pytest.raises(HolidayScheduleMissingError):
        cn.add_working_days(date(2027, 3, 1), 1)


def test_a_period_in_calendar_days_may_end_in_a_year_without_a_loaded_schedule(cn):
    """Given no 2027 notice, a 15-day (自然日) period from 2026-12-20 ends Mon 2027-01-04; one ending on a
    Sunday moves to Monday (行政处罚法 Art 85), holidays of that year being unknown."""
    assert cn.due_date(date(2026, 12, 20), DuePeriod(15, "calendar")) == date(2027, 1, 4)
    assert cn.due_date(date(2026, 12, 27), DuePeriod(7, "calendar")) == date(2027, 1, 4)  # Sun 01-03 -> Mon


def test_a_deployment_file_for_the_missing_year_makes_working_days_countable_again(tmp_path):
    """When the 2027 notice is loaded from CASEBRIDGE_HOLIDAYS_FILE, 2027-01-01 is a day off and counting resumes."""
    extra = write_data(tmp_path, {"2027": {"source": "test", "holidays": ["2027-01-01"], "makeup_workdays": []}})
    cal = WorkingDayCalendar.load(extra)
    assert cal.covers(2027)
    # 2026-12-31 (Thu) + 1 working day skips New Year's Day (Fri) and the weekend: Mon 2027-01-04.
    assert cal.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)


def test_the_weekends_only_calendar_is_an_explicit_choice_for_tests():
    assert WorkingDayCalendar.weekends_only().covers(2031)
    assert WorkingDayCalendar.weekends_only().is_working_day(date(2025, 1, 28))
    assert not WorkingDayCalendar().covers(2025)


def test_extra_file_adds_a_year_and_its_year_wins_over_the_package(tmp_path):
    extra = write_data(
        tmp_path,
        {
            "2031": {"source": "test", "holidays": ["2031-01-01"], "makeup_workdays": ["2031-01-04"]},
            "2025": {"source": "test", "holidays": ["2025-03-03"], "makeup_workdays": []},
        },
    )
    cal = WorkingDayCalendar.load(extra)
    assert cal.covers(2031) and cal.covers(2025) and cal.covers(2024)
    assert not cal.is_working_day(date(2031, 1, 1))
    assert cal.is_working_day(date(2031, 1, 4))
    assert not cal.is_working_day(date(2025, 3, 3))
    assert cal.is_working_day(date(2025, 1, 28))  # the package's 2025 schedule is replaced as a whole
    assert not cal.is_working_day(date(2025, 1, 26))  # its make-up Sunday is gone too
    assert not cal.is_working_day(date(2024, 2, 12))  # 2024 stays as the package has it


def test_an_empty_extra_file_setting_means_shipped_data_only():
    assert not WorkingDayCalendar.load("").covers(2031)


@pytest.mark.parametrize(
    ("entry", "named"),
    [
        ({"holidays": ["2025-02-30"]}, "years.2025.holidays[0]: '2025-02-30'"),
        ({"holidays": ["2025-01-01", "New Year"]}, "years.2025.holidays[1]: 'New Year'"),
        ({"holidays": [20250101]}, "years.2025.holidays[0]: 20250101"),
        ({"holidays": ["2035-01-01"]}, "years.2025.holidays[0]: 2035-01-01 is outside year 2025"),
        ({"makeup_workdays": ["2025-03-03"]}, "years.2025.makeup_workdays[0]: make-up working day 2025-03-03"),
        ({"holidays": "2025-01-01"}, "years.2025.holidays: expected a list"),
    ],
)
def test_bad_data_entries_are_rejected_naming_the_entry(tmp_path, entry, named):
    extra = write_data(tmp_path, {"2025": entry})
    with pytest.raises(CalendarError) as err:
        WorkingDayCalendar.load(extra)
    assert named in str(err.value)


def test_a_day_that_is_both_holiday_and_makeup_day_is_rejected(tmp_path):
    extra = write_data(tmp_path, {"2031": {"holidays": ["2031-01-04"], "makeup_workdays": ["2031-01-04"]}})
    with pytest.raises(CalendarError, match="2031-01-04"):
        WorkingDayCalendar.load(extra)


@pytest.mark.parametrize("text", ["not json", "[]", '{"years": []}', '{"years": {"25": {}}}'])
def test_a_malformed_data_file_is_rejected(tmp_path, text):
    path = tmp_path / "holidays.json"
    path.write_text(text, "utf-8")
    with pytest.raises(CalendarError):
        WorkingDayCalendar.load(path)


def test_a_missing_data_file_is_rejected(tmp_path):
    with pytest.raises(CalendarError, match="cannot read"):
        WorkingDayCalendar.load(tmp_path / "absent.json")


def test_the_constructor_rejects_a_makeup_day_on_a_weekday():
    with pytest.raises(CalendarError, match="2025-03-03"):
        WorkingDayCalendar(makeup_workdays=[date(2025, 3, 3)])


@pytest.mark.parametrize("n", [0, -1, 1.5, True])
def test_a_non_positive_or_non_integer_count_of_working_days_is_rejected(cn, n):
    with pytest.raises(CalendarError):
        cn.add_working_days(date(2025, 1, 2), n)


@pytest.mark.parametrize(("days", "kind"), [(0, "working"), (-5, "calendar"), (10, "fortnight")])
def test_a_bad_due_period_is_rejected(days, kind):
    with pytest.raises(CalendarError):
        DuePeriod(days, kind)


def test_a_datetime_is_rejected_because_its_date_depends_on_the_time_zone(cn):
    with pytest.raises(CalendarError, match="China local date"):
        cn.is_working_day(datetime(2025, 1, 28, 9, 0))
    with pytest.raises(CalendarError):
        cn.due_date(datetime(2025, 1, 28, 9, 0), DuePeriod(5))


def test_a_few_hundred_working_days_are_counted_across_covered_and_uncovered_years(cn):
    end = cn.add_working_days(date(2024, 1, 1), 600)
    assert end.year == 2026
    assert cn.is_working_day(end)
