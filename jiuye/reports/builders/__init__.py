"""Report content as plain data (builders) laid out by the renderers (render/).

A builder reads the figures of one report (kind, region, period, "as known on") and returns a ``Document``:
sections of paragraphs, tables and charts. Nothing here knows xlsx, docx or pdf; the renderers never query.

``build(user, kind, region_code, period_text, known_on)`` dispatches to the kind's builder; the caller
(services.generate) has checked the scope.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from jiuye.monitoring.periods import MONTH, YEAR, Period, PeriodError, parse_period


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    note: str = ""
    # stats forms: lines above (填报单位, 报告期, 计量单位) and below (单位负责人 ...) the table
    head_lines: list[str] = field(default_factory=list)
    foot_lines: list[str] = field(default_factory=list)


@dataclass
class Chart:
    kind: str  # "bar" or "line"
    title: str
    categories: list[str]
    series: list[tuple[str, list]]  # (name, values; None where no value)
    y_title: str = ""


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


@dataclass
class Document:
    kind: str
    title: str
    region_code: str
    region_name: str
    period_code: str
    period_label: str
    known_on: datetime.datetime
    sections: list[Section] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)  # the main points (kept in ReportRun.summary)
    figures: dict = field(default_factory=dict)  # the headline figures, for reproducibility checks and the API

    @property
    def subtitle(self) -> str:
        return f"{self.region_name}　{self.period_label}"

    def charts(self) -> list[Chart]:
        return [c for s in self.sections for c in s.charts]


class ReportPeriodError(ValueError):
    pass


_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.I)


@dataclass(frozen=True)
class Week:
    monday: datetime.date

    @property
    def code(self) -> str:
        y, w, _ = self.monday.isocalendar()
        return f"{y}-W{w:02d}"

    @property
    def label(self) -> str:
        y, w, _ = self.monday.isocalendar()
        sunday = self.monday + datetime.timedelta(days=6)
        return f"{y}年第{w}周（{self.monday:%m月%d日}—{sunday:%m月%d日}）"

    @property
    def end(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=6)

    def previous(self) -> "Week":
        return Week(self.monday - datetime.timedelta(days=7))


def parse_week(text: str) -> Week:
    value = (text or "").strip()
    m = _WEEK.match(value)
    if m:
        try:
            return Week(datetime.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1))
        except ValueError as e:
            raise ReportPeriodError(f"周次无效：{value}（应为 YYYY-Www，如 2026-W48）") from e
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError as e:
        raise ReportPeriodError(f"周报的统计期应为 YYYY-Www（如 2026-W48）或该周内的一个日期：{value}") from e
    return Week(day - datetime.timedelta(days=day.weekday()))


KIND_PERIODS = {"weekly": "week", "monthly": MONTH, "stats_form": MONTH, "annual": YEAR, "midterm": YEAR}
KIND_PERIOD_HINTS = {"weekly": "YYYY-Www（如 2026-W48）或该周内的日期", "monthly": "YYYY-MM（如 2020-06）",
                     "stats_form": "YYYY-MM（如 2020-06）", "annual": "YYYY（如 2025）", "midterm": "YYYY（规划实施到的年度）"}


def parse_report_period(kind: str, text: str) -> Period | Week:
    """The period of a report of ``kind`` from its written form; ReportPeriodError with a Chinese reason."""
    if kind not in KIND_PERIODS:
        raise ReportPeriodError(f"未知的报告类型：{kind}")
    if KIND_PERIODS[kind] == "week":
        return parse_week(text)
    try:
        period = parse_period(text)
    except PeriodError as e:
        raise ReportPeriodError(str(e)) from e
    if period.kind != KIND_PERIODS[kind]:
        raise ReportPeriodError(f"统计期“{text}”不适用于该报告，应为 {KIND_PERIOD_HINTS[kind]}")
    return period


def build(user, kind: str, region_code: str, period, known_on: datetime.datetime) -> Document:
    from jiuye.reports.builders import evaluation, monthly, stats_forms, weekly

    builders = {"weekly": weekly.build, "monthly": monthly.build, "annual": evaluation.build_annual,
                "midterm": evaluation.build_midterm, "stats_form": stats_forms.build}
    return builders[kind](user, region_code, period, known_on)
