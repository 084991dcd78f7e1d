"""Working days (工作日) for case deadlines: Chinese statutory holidays and make-up working days
(调休上班) from the maintained package ``chinese-calendar``, with years the bureau entered itself
(``CalendarYear``/``CalendarDay``) taking precedence. A date in a year neither knows is counted
Monday–Friday and reported as uncovered, so a deadline says that it may move."""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache

import chinese_calendar

from jiuye.assistance.models import CalendarDay, CalendarYear


@dataclass(frozen=True)
class Due:
    """A deadline: the due date, and whether a year it crosses has no known holiday calendar."""

    due_on: datetime.date
    uncovered: bool
    uncovered_years: tuple[int, ...] = ()


def _package_years() -> range:
    years = sorted({d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays})
    return range(years[0], years[-1] + 1)


PACKAGE_YEARS = _package_years()


def _bureau_years() -> dict[int, dict[datetime.date, bool]]:
    """The bureau-entered years: {year: {date: is_workday}} (read once per call of ``add_working_days``)."""
    years = {y: {} for y in CalendarYear.objects.values_list("year", flat=True)}
    for date, is_workday in CalendarDay.objects.filter(year__year__in=list(years)).values_list("date", "is_workday"):
        years[date.year][date] = is_workday
    return years


@lru_cache(maxsize=4096)
def _package_is_workday(d: datetime.date) -> bool:
    return chinese_calendar.is_workday(d)


def is_workday(d: datetime.date, bureau: dict[int, dict[datetime.date, bool]] | None = None) -> tuple[bool, bool]:
    """(is a working day, is covered by a known calendar)."""
    bureau = _bureau_years() if bureau is None else bureau
    if d.year in bureau:
        days = bureau[d.year]
        return (days[d] if d in days else d.weekday() < 5), True
    if d.year in PACKAGE_YEARS:
        return _package_is_workday(d), True
    return d.weekday() < 5, False


def add_working_days(start: datetime.date, n: int) -> Due:
    """The ``n``-th working day after ``start`` (``start`` itself does not count: a case opened on
    Wednesday 2026-09-30 with 3 working days is due on Saturday 2026-10-10, the make-up working day
    after the National Day holiday of 1–7 October)."""
    bureau = _bureau_years()
    d, left, missing = start, n, set()
    while left > 0:
        d += datetime.timedelta(days=1)
        working, covered = is_workday(d, bureau)
        if not covered:
            missing.add(d.year)
        if working:
            left -= 1
    return Due(d, bool(missing), tuple(sorted(missing)))


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not later)."""
    bureau = _bureau_years()
    d, count = start, 0
    while d < end:
        d += datetime.timedelta(days=1)
        if is_workday(d, bureau)[0]:
            count += 1
    return count
