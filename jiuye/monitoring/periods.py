"""Reporting periods: a month ("2026-11"), a quarter ("2026-Q4") or a year ("2026").

The written form is the same everywhere in the project (``jiuye kpi``, ``jiuye report``, the API, the web
filters): ``YYYY``, ``YYYY-Qn`` or ``YYYY-MM``; "2026Q4", "2026年11月" and "2026年第四季度" are read too.

Every figure of the monitoring app is "registered in a period" (flows: openings, seekers, reports,
transfers) or "on a period's last day" (stocks: registered unemployed). A ``Period`` knows its first and
last day, the previous period of the same length and the same period a year earlier, and its months.
Months are stored as their first day (``DateField``) everywhere in the app.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

MONTH, QUARTER, YEAR = "month", "quarter", "year"
KIND_LABELS = {MONTH: "月", QUARTER: "季度", YEAR: "年"}
_PATTERNS = [
    (re.compile(r"^(\d{4})-(\d{1,2})$"), MONTH),
    (re.compile(r"^(\d{4})年(\d{1,2})月$"), MONTH),
    (re.compile(r"^(\d{4})-?[Qq]([1-4])$"), QUARTER),
    (re.compile(r"^(\d{4})年第?([1-4一二三四])季度$"), QUARTER),
    (re.compile(r"^(\d{4})年?$"), YEAR),
]
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}


class PeriodError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Period:
    start: datetime.date
    kind: str

    @property
    def months(self) -> int:
        return {MONTH: 1, QUARTER: 3, YEAR: 12}[self.kind]

    @property
    def end(self) -> datetime.date:
        """The last day of the period."""
        return self.start + relativedelta(months=self.months) - datetime.timedelta(days=1)

    @property
    def code(self) -> str:
        if self.kind == MONTH:
            return f"{self.start.year}-{self.start.month:02d}"
        if self.kind == QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}"

    @property
    def label(self) -> str:
        if self.kind == MONTH:
            return f"{self.start.year}年{self.start.month}月"
        if self.kind == QUARTER:
            return f"{self.start.year}年第{(self.start.month - 1) // 3 + 1}季度"
        return f"{self.start.year}年"

    def previous(self) -> "Period":
        return Period(self.start - relativedelta(months=self.months), self.kind)

    def next(self) -> "Period":
        return Period(self.start + relativedelta(months=self.months), self.kind)

    def year_before(self) -> "Period":
        return Period(self.start - relativedelta(years=1), self.kind)

    def month_starts(self) -> list[datetime.date]:
        return [self.start + relativedelta(months=i) for i in range(self.months)]

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.code


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_of(day: datetime.date) -> Period:
    return Period(month_start(day), MONTH)


def period_of(day: datetime.date, kind: str) -> Period:
    if kind == MONTH:
        return month_of(day)
    if kind == QUARTER:
        return Period(datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1), QUARTER)
    if kind == YEAR:
        return Period(datetime.date(day.year, 1, 1), YEAR)
    raise PeriodError(f"未知的统计周期类型：{kind}")


def parse_period(text: str) -> Period:
    """"2026-11", "2026年11月", "2026-Q4" (or "2026Q4"), "2026年第四季度", "2026" → Period; PeriodError with a Chinese reason."""
    value = (text or "").strip()
    for pattern, kind in _PATTERNS:
        m = pattern.match(value)
        if not m:
            continue
        year = int(m.group(1))
        if not 1900 <= year <= 2200:
            break
        if kind == YEAR:
            return Period(datetime.date(year, 1, 1), YEAR)
        n = m.group(2)
        n = _CN_DIGITS.get(n) or int(n)
        if kind == MONTH:
            if not 1 <= n <= 12:
                raise PeriodError(f"月份应为1至12：{value}")
            return Period(datetime.date(year, n, 1), MONTH)
        return Period(datetime.date(year, (n - 1) * 3 + 1, 1), QUARTER)
    raise PeriodError(f"无法识别的统计期：{value}（应为 2026-11、2026-Q4 或 2026）")


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Month starts from the month of ``first`` to the month of ``last``, both included."""
    out, m = [], month_start(first)
    while m <= last:
        out.append(m)
        m += relativedelta(months=1)
    return out


def periods_between(first: datetime.date, last: datetime.date, kind: str) -> list[Period]:
    out, p = [], period_of(first, kind)
    while p.start <= last:
        out.append(p)
        p = p.next()
    return out


@dataclass(frozen=True, order=True)
class Span:
    """Consecutive whole months from ``start`` to ``end`` (inclusive): the year to date of a month or a
    quarter (targets compare a year's target with the figure from 1 January to the period's end). Has the
    ``start``, ``end``, ``code``, ``label`` and ``kind`` a Period has, so KPI queries take either."""
    start: datetime.date
    end: datetime.date
    kind: str = "span"

    @property
    def code(self) -> str:
        return f"{self.start.year}-{self.start.month:02d}..{self.end.year}-{self.end.month:02d}"

    @property
    def label(self) -> str:
        if self.start.year == self.end.year:
            return f"{self.start.year}年{self.start.month}—{self.end.month}月"
        return f"{self.start.year}年{self.start.month}月—{self.end.year}年{self.end.month}月"

    def month_starts(self) -> list[datetime.date]:
        out, day = [], self.start
        while day <= self.end:
            out.append(day)
            day = day + relativedelta(months=1)
        return out

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.code


def year_to_date(period: Period) -> "Period | Span":
    """From 1 January of the period's year to the period's last day: the year itself for a year, a Span
    otherwise (a January month is its own year to date)."""
    first = datetime.date(period.start.year, 1, 1)
    if period.kind == YEAR or (period.kind == MONTH and period.start == first):
        return period
    return Span(first, period.end)
