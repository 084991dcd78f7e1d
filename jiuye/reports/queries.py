"""Reads of the reports app (scoped): the kept runs and the schedules of the user's region.

A run or schedule outside the user's scope answers exactly like one that does not exist (``NotFound``).
Lists count, sort, filter and export like every list (``jiuye.paging``)."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from jiuye.accounts import roles
from jiuye.accounts.scoping import region_q
from jiuye.paging import page, sort_key, sorted_by
from jiuye.regions.queries import region_filter_q
from jiuye.reports.models import ReportRun, ReportSchedule

NOT_FOUND = "报告不存在或不在您的管辖范围内"
SCHEDULE_NOT_FOUND = "报告计划不存在或不在您的管辖范围内"

RUN_SORTS = {"requested_at": ("requested_at",), "kind": ("kind", "requested_at"),
             "region": ("region_id", "requested_at"), "period": ("period", "requested_at"),
             "format": ("format", "requested_at"), "status": ("status", "requested_at"),
             "known_on": ("known_on",), "size": ("size",)}
DEFAULT_SORT = "-requested_at"


@dataclass
class RunSearch:
    kind: str = ""
    region_code: str = ""
    period: str = ""
    format: str = ""
    status: str = ""
    sort: str = ""
    limit: int = 50
    offset: int = 0


def runs_visible_to(user) -> QuerySet[ReportRun]:
    if not roles.can_read_reports(user):
        return ReportRun.objects.none()
    return ReportRun.objects.filter(region_q(user))


def runs_of_search(user, s: RunSearch) -> QuerySet[ReportRun]:
    qs = runs_visible_to(user).select_related("region", "requested_by")
    if s.kind:
        qs = qs.filter(kind=s.kind)
    if s.region_code:
        qs = qs.filter(region_filter_q(s.region_code))
    if s.period:
        qs = qs.filter(period=s.period.strip())
    if s.format:
        qs = qs.filter(format=s.format)
    if s.status:
        qs = qs.filter(status=s.status)
    return sorted_by(qs, RUN_SORTS, s.sort, DEFAULT_SORT)


def run_sort(s: RunSearch) -> str:
    return sort_key(RUN_SORTS, s.sort, DEFAULT_SORT)


def search_runs(user, s: RunSearch) -> tuple[list[ReportRun], bool]:
    return page(runs_of_search(user, s), s.limit, s.offset)


def count_runs(user, s: RunSearch) -> int:
    return runs_of_search(user, s).order_by().count()


def get_run(user, pk: int) -> ReportRun:
    run = runs_visible_to(user).select_related("region", "requested_by", "schedule").filter(pk=pk).first()
    if run is None:
        raise Http404(NOT_FOUND)
    return run


def schedules_visible_to(user) -> QuerySet[ReportSchedule]:
    if not roles.can_read_reports(user):
        return ReportSchedule.objects.none()
    return ReportSchedule.objects.filter(region_q(user)).select_related("region", "created_by")


def get_schedule(user, pk: int) -> ReportSchedule:
    s = schedules_visible_to(user).filter(pk=pk).first()
    if s is None:
        raise Http404(SCHEDULE_NOT_FOUND)
    return s
