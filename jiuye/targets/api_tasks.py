"""API of the plans' key-work tasks and their weekly progress, mounted at /api/v1/targets. Thin handlers over
``targets.queries_tasks`` and ``targets.services_tasks``: the tasks list (this week's status per task), one task
with its weekly history, a department's progress entry for a week (a second entry for the same week corrects
the first), and the weekly report. A task outside the scope is 404; a role that may not report is 403; a
refused entry is 422 naming the field."""
from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from jiuye.accounts.scoping import OutOfScope
from jiuye.apitypes import ApiDate, Limit, Offset, RecordId, RegionCodeFilter, SearchText, text
from jiuye.targets import queries_tasks as queries, services_tasks as services
from jiuye.targets.models import Department, TaskStatus

router = Router(tags=["targets"])

StatusIn = Literal[tuple(TaskStatus.values)]  # type: ignore[valid-type]
StatusFilter = Literal[tuple(TaskStatus.values) + ("unreported", "")]  # type: ignore[valid-type]
SortKey = text(32)
PlanText = text(128)
Figure = Annotated[Decimal, Field(ge=Decimal("-1e12"), le=Decimal("1e12"), max_digits=16, decimal_places=4)]


class DepartmentOut(Schema):
    id: int
    code: str
    name: str
    region_code: str


class TaskOut(Schema):
    id: int
    plan: str
    region_code: str
    number: str
    title: str
    due_text: str
    kpi: str
    basis: str
    lead: list[str]
    partners: list[str]
    week_status: str
    week_reported: int


class TaskList(Schema):
    week: datetime.date
    count: int
    items: list[TaskOut]
    has_more: bool


class ProgressOut(Schema):
    id: int
    department: str
    week: datetime.date
    status: str
    text: str
    figure: Decimal | None
    figure_label: str
    problems: str
    is_current: bool
    replaces_id: int | None
    entered_by: str
    entered_at: datetime.datetime


class TaskDetail(TaskOut):
    content: str
    history: list[ProgressOut]


class ProgressIn(Schema):
    department_id: RecordId
    week: ApiDate = Field(description="该周任意一天（按所在周的周一记录）")
    status: StatusIn
    text: text(4000, multiline=True)
    figure: Figure | None = None
    figure_label: text(64) = ""
    problems: text(4000, multiline=True) = ""


class EntryOut(Schema):
    department: str
    role: str
    status: str
    status_label: str
    text: str
    figure: Decimal | None
    figure_label: str
    problems: str
    previous_text: str
    entered_at: datetime.datetime | None


class RowOut(Schema):
    task_id: int
    plan: str
    number: str
    title: str
    due_text: str
    kpi: str
    entries: list[EntryOut]


class WeekOut(Schema):
    region_code: str
    region_name: str
    week: datetime.date
    rows: list[RowOut]
    missing: list[str]
    counts: dict[str, int]


def _task(t, *, status: str = "", reported: int = 0) -> dict:
    return dict(id=t.pk, plan=t.plan, region_code=t.region_id, number=t.number, title=t.title, due_text=t.due_text,
                kpi=t.kpi, basis=t.basis, lead=[d.name for d in t.lead.all()], partners=[d.name for d in t.partners.all()],
                week_status=getattr(t, "week_status", status), week_reported=getattr(t, "week_reported", reported))


def _progress(e) -> ProgressOut:
    return ProgressOut(id=e.pk, department=e.department.name, week=e.week, status=e.status, text=e.text, figure=e.figure,
                       figure_label=e.figure_label, problems=e.problems, is_current=e.is_current,
                       replaces_id=e.replaces_id, entered_by=e.entered_by.get_username(), entered_at=e.entered_at)


def _detail(user, pk):
    try:
        return queries.task_detail(user, pk)
    except OutOfScope:
        if not queries_readable(user):
            raise
        raise Http404 from None


def queries_readable(user) -> bool:
    try:
        queries._check(user)
    except OutOfScope:
        return False
    return True


@router.get("/departments", response=list[DepartmentOut], summary="本辖区的责任单位")
def departments(request):
    return [DepartmentOut(id=d.pk, code=d.code, name=d.name, region_code=d.region_id) for d in queries.departments(request.auth)]


@router.get("/tasks", response=TaskList, summary="重点任务列表（含所选周的进展状态）")
def tasks(request, week: ApiDate | None = None, region: RegionCodeFilter = "", plan: PlanText = "",
          department: RecordId | None = None, status: StatusFilter = "", q: SearchText = "", sort: SortKey = "",
          limit: Limit = 50, offset: Offset = 0):
    s = queries.TaskSearch(week=queries.week_of(week or timezone.localdate()), region_code=region, plan=plan,
                           department=department, status=status, q=q, sort=sort, limit=limit, offset=offset)
    rows, more = queries.search_tasks(request.auth, s)
    return TaskList(week=s.week, count=queries.count_tasks(request.auth, s), items=[TaskOut(**_task(t)) for t in rows],
                    has_more=more)


@router.get("/tasks/{task_id}", response=TaskDetail, summary="一项重点任务及其各周进展")
def task(request, task_id: RecordId, corrections: bool = False):
    t = _detail(request.auth, task_id)
    return TaskDetail(**_task(t), content=t.content,
                      history=[_progress(e) for e in queries.task_history(t, corrections=corrections)])


@router.post("/tasks/{task_id}/progress", response={201: ProgressOut},
             summary="填报（或更正）责任单位某周的任务进展")
def report(request, task_id: RecordId, payload: ProgressIn):
    t = _detail(request.auth, task_id)
    dept = Department.objects.filter(pk=payload.department_id).first()
    if dept is None:
        raise Http404
    entry = services.report_progress(request.auth, t, dept, payload.week, status=payload.status, text=payload.text,
                                     figure=payload.figure, figure_label=payload.figure_label, problems=payload.problems)
    return Status(201, _progress(entry))


@router.get("/tasks-week", response=WeekOut, summary="重点任务周报：各任务本周进展、上周进展和未填报单位")
def week(request, region: RegionCodeFilter = "", week: ApiDate | None = None,
         known_on: ApiDate | None = None):
    """``known_on``: the report as it stood at the end of that day (entries and corrections entered by then)."""
    code = region or request.auth.region_id or ""
    r = queries.week_report(request.auth, code, week or timezone.localdate(), known_on=known_on)
    return WeekOut(region_code=r.region_code, region_name=r.region_name, week=r.week, missing=r.missing, counts=r.counts,
                   rows=[RowOut(task_id=x.task_id, plan=x.plan, number=x.number, title=x.title, due_text=x.due_text,
                                kpi=x.kpi, entries=[EntryOut(**e.__dict__) for e in x.entries]) for x in r.rows])
