"""The working-day calendar that due dates of evidence requests (协助调查) are counted in.

A working day is Monday to Friday, unless it is a public holiday; a make-up working day
(调休, a Saturday or Sunday worked in exchange for a bridge day) is a working day.
The official schedule comes from the `chinesecalendar` package (the State Council's yearly notice,
released each year when it is published; 1.11.0 covers 2004-2026); a deployment's file
(CASEBRIDGE_HOLIDAYS_FILE) adds years or replaces a year as a whole, and wins over the package.
A year in neither is not covered: counting working days into it is refused
(`HolidayScheduleMissingError`, VALIDATION), never guessed as weekends-only. A period in
calendar days (自然日) may end in such a year; the rule that moves its end off a day off
(行政处罚法 Art 85) then knows only the weekends of that year.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from casebridge.domain.errors import ValidationError

CHINA_TIME = timezone(timedelta(hours=8), "CST")  # no daylight saving: a fixed offset is exact
END_OF_DAY = time(23, 59, 59)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_KINDS = ("working", "calendar")


class CalendarError(ValueError):
    """A bad holiday data file, or bad arguments to the calendar."""


class HolidayScheduleMissingError(ValidationError):
    """Working days cannot be counted in a year whose official holiday schedule is not loaded."""

    def __init__(self, year: int, field: str = "dueAt") -> None:
        super().__init__(
            f"the public-holiday schedule for {year} is not loaded, so working days in {year} cannot be counted; "
            f"give the date explicitly or load the State Council's {year} notice (CASEBRIDGE_HOLIDAYS_FILE)",
            field=field,
        )
        self.year = year


@dataclass(frozen=True)
class DuePeriod:
    days: int
    kind: str = "working"  # "working" (工作日) or "calendar" (自然日)

    def __post_init__(self) -> None:
        if type(self.days) is not int or self.days <= 0:
            raise CalendarError(f"a due period needs a whole number of days > 0, not {self.days!r}")
        if self.kind not in _KINDS:
            raise CalendarError(f"a due period is 'working' or 'calendar', not {self.kind!r}")


class WorkingDayCalendar:
    def __init__(
        self,
        holidays: Iterable[date] = (),
        makeup_workdays: Iterable[date] = (),
        covered_years: Iterable[int] = (),
        *,
        every_year_weekends_only: bool = False,
    ) -> None:
        self._holidays = frozenset(_plain_date(d) for d in holidays)
        self._makeup = frozenset(_plain_date(d) for d in makeup_workdays)
        self._years = frozenset(covered_years)
        self._all_years = every_year_weekends_only
        for d in sorted(self._makeup):
            if d.weekday() < 5:
                raise CalendarError(f"make-up working day {d.isoformat()} is not a Saturday or Sunday")
            if d in self._holidays:
                raise CalendarError(f"{d.isoformat()} is listed both as a holiday and as a make-up working day")

    @classmethod
    def load(cls, extra_file: str | os.PathLike[str] | None = None) -> WorkingDayCalendar:
        """The `chinesecalendar` package's schedule, extended/overridden per year by a deployment's file."""
        years = _package_years()
        if extra_file:
            path = Path(extra_file)
            try:
                text = path.read_text("utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise CalendarError(f"cannot read holiday file {path}: {exc}") from exc
            years.update(_parse(text, str(path)))  # a year in the extra file replaces the shipped one
        return cls(
            holidays=(d for hol, _ in years.values() for d in hol),
            makeup_workdays=(d for _, mk in years.values() for d in mk),
            covered_years=years,
        )

    @classmethod
    def weekends_only(cls) -> WorkingDayCalendar:
        """Monday to Friday in every year, no holidays: for tests and examples, never China's calendar."""
        return cls(every_year_weekends_only=True)

    def covers(self, year: int) -> bool:
        return self._all_years or year in self._years

    def require_covered(self, d: date, field: str = "dueAt") -> None:
        if not self.covers(_plain_date(d).year):
            raise HolidayScheduleMissingError(d.year, field=field)

    def is_working_day(self, d: date) -> bool:
        """Raises HolidayScheduleMissingError for a day in a year that is not covered."""
        self.require_covered(d)
        return self._is_working_day(d)

    def _is_working_day(self, d: date) -> bool:
        if d in self._makeup:
            return True
        return d.weekday() < 5 and d not in self._holidays

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day strictly after `start` (n >= 1)."""
        d = _plain_date(start)
        if type(n) is not int or n < 1:
            raise CalendarError(f"the number of working days must be an integer >= 1, not {n!r}")
        while n:
            d += timedelta(days=1)
            if self.is_working_day(d):  # refuses a day in an uncovered year
                n -= 1
        return d

    def due_date(self, start: date, period: DuePeriod) -> date:
        """The due date of a period starting on `start` (the first day is not counted: 行政处罚法 Art 85)."""
        if period.kind == "working":
            return self.add_working_days(start, period.days)
        d = _plain_date(start) + timedelta(days=period.days)
        # A deadline ending on a day off moves to the next working day; in an uncovered year only
        # the weekend is known to be off.
        while not (self._is_working_day(d) if self.covers(d.year) else d.weekday() < 5):
            d += timedelta(days=1)
        return d

    def due_at(self, now: datetime, period: DuePeriod) -> datetime:
        """The end (23:59:59 China time) of the due day of a period starting on `now`'s day in China."""
        return datetime.combine(self.due_date(china_date(now), period), END_OF_DAY, CHINA_TIME)


def china_date(moment: datetime) -> date:
    """The calendar day in China at `moment` (an aware datetime)."""
    return moment.astimezone(CHINA_TIME).date()


def _package_years() -> dict[int, tuple[list[date], list[date]]]:
    """{year: (holidays, makeup_workdays)} from the `chinesecalendar` package: every year it spans."""
    from chinese_calendar import constants  # reference data published with each State Council notice

    years: dict[int, tuple[list[date], list[date]]] = {}
    first, last = min(constants.holidays).year, max(constants.holidays).year
    for year in range(first, last + 1):
        years[year] = ([], [])
    for d in constants.holidays:
        years[d.year][0].append(d)
    for d in constants.workdays:
        if d.weekday() >= 5 and d.year in years:  # the package lists every working day off the weekend pattern
            years[d.year][1].append(d)
    return years


def _plain_date(d: object) -> date:
    # A datetime compares unequal to the date it falls on, and which date that is depends on the
    # time zone: callers convert to China local time (Asia/Shanghai) and pass `.date()`.
    if isinstance(d, datetime) or not isinstance(d, date):
        raise CalendarError(f"expected a datetime.date (China local date), not {d!r}")
    return d


def _parse(text: str, origin: str) -> dict[int, tuple[list[date], list[date]]]:
    """{year: (holidays, makeup_workdays)} from a data file; CalendarError names the bad entry."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CalendarError(f"{origin}: not valid JSON: {exc}") from exc
    if not isinstance(data, Mapping) or not isinstance(data.get("years"), Mapping):
        raise CalendarError(f"{origin}: expected an object with a 'years' object")
    years: dict[int, tuple[list[date], list[date]]] = {}
    for key, entry in data["years"].items():
        if not re.fullmatch(r"\d{4}", key) or not isinstance(entry, Mapping):
            raise CalendarError(f"{origin}: years.{key}: expected a four-digit year mapped to an object")
        year = int(key)
        lists = []
        for field in ("holidays", "makeup_workdays"):
            raw = entry.get(field, [])
            if not isinstance(raw, list):
                raise CalendarError(f"{origin}: years.{key}.{field}: expected a list of dates")
            where = f"{origin}: years.{key}.{field}"
            lists.append([_parse_date(s, year, f"{where}[{i}]", field == "makeup_workdays") for i, s in enumerate(raw)])
        years[year] = (lists[0], lists[1])
    return years


def _parse_date(value: object, year: int, where: str, weekend_only: bool) -> date:
    try:
        if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
            raise ValueError
        d = date.fromisoformat(value)
    except ValueError:
        raise CalendarError(f"{where}: {value!r} is not a YYYY-MM-DD date") from None
    if abs(d.year - year) > 1:  # a schedule may reach into the adjacent year, never further
        raise CalendarError(f"{where}: {value} is outside year {year}")
    if weekend_only and d.weekday() < 5:
        raise CalendarError(f"{where}: make-up working day {value} is not a Saturday or Sunday")
    return d
