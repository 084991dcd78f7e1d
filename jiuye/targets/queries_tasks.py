"""Reads of the plans' key-work tasks (重点任务) and their weekly progress (scoped).

What the weekly report and the API call:

``week_of(day) -> date``: the Monday of ``day``'s week.
``week_report(user, region_code, week, *, known_on=None) -> WeekTasks``
    Every active task of the region's plans with each responsible department's current progress entry for
    ``week`` (as known on ``known_on``), the previous week's entry beside it, and who has not reported.

Rules (docs/targets/tasks.md): the lead departments (牵头单位) are expected to report every week; partner
departments (配合单位) may. A task's status for the week is its (first) lead department's status, "" when no
lead has reported. ``missing``: the lead departments without an entry this week on at least one task they
lead. "As known on" a time: the entries entered by then (a correction entered later does not count, the entry
it replaced does). The region's tasks are the tasks of the region and of the regions below it.

Lists (the tasks page, its export and the API): ``TaskSearch``, ``search_tasks``, ``count_tasks``,
``tasks_of_search``, ``task_sort``; ``task_detail(user, pk)`` and ``task_history(task)``; ``departments(user)``.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from jiuye.accounts import roles
from jiuye.accounts.scoping import OutOfScope, in_scope, region_q
from jiuye.paging import page, sort_key, sorted_by


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


def _check(user) -> None:
    if not (roles.can_read_targets(user) or roles.can_report_tasks(user)):
        raise OutOfScope(_("您的角色无权查看重点任务"))


def _region(user, region_code: str):
    from jiuye.regions.models import Region
    _check(user)
    region = Region.objects.filter(code=region_code).first()
    if region is None or not in_scope(user, region.code):
        raise OutOfScope(_("区划 %(code)s 不在您的管辖范围内") % {"code": region_code})
    return region


def _entries(task_ids, weeks, known_on=None) -> dict:
    """{(task_id, department_id, week): TaskProgress} of the entries current (as known on ``known_on``)."""
    from jiuye.registry.status import known_bound
    from jiuye.targets.models import TaskProgress
    qs = TaskProgress.objects.filter(task_id__in=task_ids, week__in=weeks)
    bound = known_bound(known_on)
    if bound is None:
        qs = qs.filter(is_current=True)
    else:
        qs = qs.filter(entered_at__lt=bound)
    out = {}
    for e in qs.order_by("entered_at", "id"):  # the last entered wins (tasks × departments × 2 weeks)
        out[(e.task_id, e.department_id, e.week)] = e
    return out


def week_report(user, region_code: str, week: datetime.date, *, known_on=None) -> WeekTasks:
    from jiuye.regions.queries import within_q
    from jiuye.regions.codes import significant_prefix
    from jiuye.targets.models import PlanTask, TaskStatus
    region = _region(user, region_code)
    monday = week_of(week)
    previous = monday - datetime.timedelta(days=7)
    tasks = list(PlanTask.objects.filter(within_q(significant_prefix(region.code)), is_active=True)
                 .prefetch_related("lead", "partners").order_by("region_id", "plan", "id"))
    entries = _entries([t.pk for t in tasks], [monday, previous], known_on)
    labels = dict(TaskStatus.choices)
    report = WeekTasks(region.code, region.name, monday)
    counts = {s: 0 for s in TaskStatus.values}
    counts["unreported"] = 0
    missing: dict[int, str] = {}
    for t in tasks:
        row = TaskRow(t.pk, t.plan, t.number, t.title, t.due_text, t.kpi)
        leads = sorted(t.lead.all(), key=lambda d: d.pk)
        for role, depts in (("lead", leads), ("partner", sorted(t.partners.all(), key=lambda d: d.pk))):
            for d in depts:
                e = entries.get((t.pk, d.pk, monday))
                before = entries.get((t.pk, d.pk, previous))
                item = DepartmentEntry(d.name, role, previous_text=before.text if before else "")
                if e is not None:
                    item.status, item.status_label = e.status, str(labels.get(e.status, e.status))
                    item.text, item.figure, item.figure_label, item.problems = e.text, e.figure, e.figure_label, e.problems
                    item.entered_at = e.entered_at
                else:
                    item.status_label = _("未填报")
                    if role == "lead":
                        missing[d.pk] = d.name
                row.entries.append(item)
        status = next((i.status for i in row.entries if i.role == "lead" and i.status), "")
        counts[status or "unreported"] += 1
        report.rows.append(row)
    report.missing = [missing[k] for k in sorted(missing)]
    report.counts = counts
    return report


def task_status_of(row: TaskRow) -> str:
    return next((i.status for i in row.entries if i.role == "lead" and i.status), "")


# ---------------------------------------------------------------------------------------------
# The tasks list


@dataclass
class TaskSearch:
    week: datetime.date  # the week whose status the list shows (its Monday)
    region_code: str = ""
    plan: str = ""
    department: int | None = None  # a Department id: the tasks it leads or supports
    status: str = ""  # a TaskStatus value, or "unreported": the task's status this week
    q: str = ""  # text in the title or content
    mine_first: int | None = None  # the asker's Department id: its tasks first
    sort: str = ""
    limit: int = 50
    offset: int = 0


TASK_SORTS = {"number": ("region_id", "plan", "id"), "status": ("week_status", "region_id", "id"),
              "reported": ("week_reported", "region_id", "id"), "due": ("due_text", "id")}
DEFAULT_TASK_SORT = "number"


def task_sort(s: TaskSearch) -> str:
    return sort_key(TASK_SORTS, s.sort, DEFAULT_TASK_SORT)


def _tasks(user, s: TaskSearch) -> QuerySet:
    from jiuye.regions.codes import significant_prefix
    from jiuye.regions.queries import within_q
    from jiuye.targets.models import PlanTask, TaskProgress
    _check(user)
    monday = week_of(s.week)
    qs = PlanTask.objects.filter(region_q(user), is_active=True)
    if s.region_code:
        if not in_scope(user, s.region_code):
            return qs.none()
        qs = qs.filter(within_q(significant_prefix(s.region_code)))
    if s.plan:
        qs = qs.filter(plan=s.plan)
    if s.department:
        qs = qs.filter(Q(lead__id=s.department) | Q(partners__id=s.department)).distinct()
    if s.q:
        qs = qs.filter(Q(title__icontains=s.q) | Q(content__icontains=s.q) | Q(number=s.q))
    current = TaskProgress.objects.filter(task_id=OuterRef("pk"), week=monday, is_current=True)
    lead_entry = current.filter(department__led_tasks=OuterRef("pk")).order_by("department_id")
    qs = qs.annotate(
        week_status=Coalesce(Subquery(lead_entry.values("status")[:1]), Value("")),
        week_reported=Coalesce(Subquery(current.order_by().values("task_id").annotate(n=Count("id")).values("n")),
                               Value(0), output_field=IntegerField()),
    )
    if s.status == "unreported":
        qs = qs.filter(week_status="")
    elif s.status:
        qs = qs.filter(week_status=s.status)
    if s.mine_first:
        from jiuye.targets.models import Department
        mine = Department.objects.filter(pk=s.mine_first).filter(Q(led_tasks=OuterRef("pk")) | Q(supported_tasks=OuterRef("pk")))
        qs = qs.annotate(is_mine=Exists(mine))
    return qs.prefetch_related("lead", "partners").select_related("region")


def tasks_of_search(user, s: TaskSearch) -> QuerySet:
    qs = sorted_by(_tasks(user, s), TASK_SORTS, task_sort(s), DEFAULT_TASK_SORT)
    if s.mine_first:
        qs = qs.order_by("-is_mine", *qs.query.order_by)
    return qs


def search_tasks(user, s: TaskSearch) -> tuple[list, bool]:
    return page(tasks_of_search(user, s), s.limit, s.offset)


def count_tasks(user, s: TaskSearch) -> int:
    return _tasks(user, s).count()


def plans(user) -> list[str]:
    from jiuye.targets.models import PlanTask
    _check(user)
    return list(PlanTask.objects.filter(region_q(user)).order_by("plan").values_list("plan", flat=True).distinct())


def departments(user) -> QuerySet:
    """The departments of the user's region and the regions below it."""
    from jiuye.targets.models import Department
    _check(user)
    return Department.objects.filter(region_q(user)).select_related("region").order_by("region_id", "code")


def task_detail(user, pk: int):
    from jiuye.targets.models import PlanTask
    _check(user)
    task = PlanTask.objects.filter(pk=pk).select_related("region").prefetch_related("lead", "partners").first()
    if task is None or not in_scope(user, task.region_id):
        raise OutOfScope(_("未找到该任务，或不在您的管辖范围内"))
    return task


def task_history(task, *, corrections: bool = False) -> list:
    """The task's entries, newest week first (current ones; with ``corrections`` the replaced ones too)."""
    from jiuye.targets.models import TaskProgress
    qs = TaskProgress.objects.filter(task=task).select_related("department", "entered_by")
    if not corrections:
        qs = qs.filter(is_current=True)
    return list(qs.order_by("-week", "department_id", "-entered_at"))


def department_detail(user, pk: int):
    from jiuye.targets.models import Department
    _check(user)
    dept = Department.objects.filter(pk=pk).select_related("region").first()
    if dept is None or not in_scope(user, dept.region_id):
        raise OutOfScope(_("未找到该责任单位，或不在您的管辖范围内"))
    return dept
