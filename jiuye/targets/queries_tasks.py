"""Reads of the plans' key-work tasks (重点任务) and their weekly progress (scoped).

INTERFACE (frozen; the tasks part fills in the bodies; the weekly report and the API call these):

``week_of(day) -> date``: the Monday of ``day``'s week.
``week_report(user, region_code, week, *, known_on=None) -> WeekTasks``
    Every active task of the region's plans with each responsible department's current progress entry for
    ``week`` (as known on ``known_on``), the previous week's entry beside it, and who has not reported.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass
class DepartmentEntry:
    department: str  # name
    role: str  # "lead" 牵头 or "partner" 配合
    status: str = ""  # TaskStatus value, "" when not reported
    status_label: str = "未填报"
    text: str = ""
    figure: object = None  # Decimal | None
    figure_label: str = ""
    problems: str = ""
    previous_text: str = ""  # the week before, for "what changed"
    entered_at: datetime.datetime | None = None


@dataclass
class TaskRow:
    task_id: int
    plan: str
    number: str
    title: str
    due_text: str
    kpi: str
    entries: list[DepartmentEntry] = field(default_factory=list)


@dataclass
class WeekTasks:
    region_code: str
    region_name: str
    week: datetime.date  # Monday
    rows: list[TaskRow] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # departments that have not reported this week
    counts: dict = field(default_factory=dict)  # {TaskStatus value: number of tasks}


def week_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def week_report(user, region_code: str, week: datetime.date, *, known_on=None) -> WeekTasks:
    # Scaffold stub (the tasks part replaces it).
    from jiuye.regions.models import Region
    region = Region.objects.get(code=region_code)
    return WeekTasks(region.code, region.name, week_of(week))
