"""Reads of the monthly reports: the list (count, sort, filters, export; the drill-down target of every
job-loss figure), one report with its lines and versions, the missing and late reports of a month (缺报、迟报)
and an employer's own missing months.

Who sees what is ``queries.enterprises.enterprises_visible_to``: staff their region, an employer user its own
employer. A report outside that answers like one that does not exist.

Missing and late (``reports_due``), for a month M and the day ``today``: the enterprises in the sample in M;
the due date is ``monitoring.report.due_day`` of the month after M in each enterprise's jurisdiction
(``due_on``; the day included). *Missing*: no current report and ``today`` is after the due
date. *Late*: the current report's first version was submitted after its due date (a correction made later
does not make a report late). *Pending*: no report, not yet due. *On time*: the rest.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import (Case, Count, DateField, Exists, F, IntegerField, Max, OuterRef, Q,
                              QuerySet, Subquery, Value, When)
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone

from jiuye.monitoring.models import EnterpriseReport, EnterpriseReportLine, MonitoredEnterprise, ReportReminder
from jiuye.monitoring.periods import month_start, months_between
from jiuye.monitoring.queries.enterprises import (NOT_FOUND, active_in_q, enterprises_visible_to, section_q)
from jiuye.paging import page, sort_key, sorted_by
from jiuye.parameters import params
from jiuye.regions.queries import region_filter_q

REPORT_SORTS = {"month": ("month", "enterprise__employer__name"), "name": ("enterprise__employer__name", "month"),
                "start": ("start_headcount",), "end": ("end_headcount",), "reductions": ("reductions",),
                "layoffs": ("layoffs",), "submitted_at": ("submitted_at",), "region": ("region_id", "month")}
DEFAULT_REPORT_SORT = "-month"


def reports_visible_to(user) -> QuerySet[EnterpriseReport]:
    return EnterpriseReport.objects.filter(enterprise__in=enterprises_visible_to(user).values("pk"))


@dataclass
class ReportSearch:
    text: str = ""
    enterprise_id: int | None = None
    month_from: datetime.date | None = None
    month_to: datetime.date | None = None
    region_code: str = ""
    industry: str = ""  # section letter
    size_class: str = ""
    ownership: str = ""
    layoffs_only: bool = False
    reductions_only: bool = False
    all_versions: bool = False
    sort: str = ""
    limit: int = 50
    offset: int = 0


def _reports(user, s: ReportSearch) -> QuerySet[EnterpriseReport]:
    qs = reports_visible_to(user)
    if not s.all_versions:
        qs = qs.filter(is_current=True)
    if s.enterprise_id:
        qs = qs.filter(enterprise_id=s.enterprise_id)
    if s.month_from:
        qs = qs.filter(month__gte=month_start(s.month_from))
    if s.month_to:
        qs = qs.filter(month__lte=month_start(s.month_to))
    if s.text:
        text = s.text.strip()
        qs = qs.filter(Q(enterprise__employer__name__contains=text) | Q(enterprise__employer__credit_code=text.upper()))
    if s.region_code:
        qs = qs.filter(region_filter_q(s.region_code))
    if s.industry:
        qs = qs.filter(section_q(s.industry, "enterprise__employer__industry_code"))
    if s.size_class:
        qs = qs.filter(enterprise__employer__size_class=s.size_class)
    if s.ownership:
        qs = qs.filter(enterprise__employer__ownership=s.ownership)
    if s.layoffs_only:
        qs = qs.filter(layoffs__gt=0)
    if s.reductions_only:
        qs = qs.filter(reductions__gt=0)
    return qs


def report_sort(s: ReportSearch) -> str:
    return sort_key(REPORT_SORTS, s.sort, DEFAULT_REPORT_SORT)


def reports_of_search(user, s: ReportSearch) -> QuerySet[EnterpriseReport]:
    qs = _reports(user, s).select_related("enterprise", "enterprise__employer", "region", "submitted_by")
    return sorted_by(qs, REPORT_SORTS, s.sort, DEFAULT_REPORT_SORT)


def search_reports(user, s: ReportSearch) -> tuple[list[EnterpriseReport], bool]:
    return page(reports_of_search(user, s), s.limit, s.offset)


def count_reports(user, s: ReportSearch) -> int:
    return _reports(user, s).count()


def get_report(user, pk: int) -> EnterpriseReport:
    report = (reports_visible_to(user).select_related("enterprise", "enterprise__employer", "region", "submitted_by",
                                                      "supersedes").filter(pk=pk).first())
    if report is None:
        raise Http404(NOT_FOUND)
    return report


def lines_of(report: EnterpriseReport) -> list[EnterpriseReportLine]:
    return list(report.lines.order_by("direction", "kind", "reason", "pk"))


def versions_of(report: EnterpriseReport) -> list[EnterpriseReport]:
    """Every version of the report's month of that enterprise, newest first."""
    return list(EnterpriseReport.objects.filter(enterprise_id=report.enterprise_id, month=report.month)
                .select_related("submitted_by").order_by("-version"))


def reports_of_enterprise(user, enterprise: MonitoredEnterprise, *, limit: int = 240) -> list[EnterpriseReport]:
    """The enterprise's reports, newest month first, every version (the current one first within a month)."""
    return list(reports_visible_to(user).filter(enterprise=enterprise).select_related("submitted_by")
                .order_by("-month", "-version")[:limit])


def headcount_series(user, enterprise: MonitoredEnterprise, *, months: int = 120) -> list[tuple[datetime.date, int, int, int]]:
    """(month, start, end, layoffs) of the current reports, oldest first, the last ``months`` months reported."""
    rows = list(reports_visible_to(user).filter(enterprise=enterprise, is_current=True).order_by("-month")
                .values_list("month", "start_headcount", "end_headcount", "layoffs")[:months])
    return rows[::-1]


# ---------------------------------------------------------------------------------------------
# Missing and late reports

DUE_SORTS = {"name": ("employer__name",), "region": ("region_id", "employer__name"),
             "submitted": ("submitted_on", "employer__name"), "reminders": ("reminder_count", "employer__name"),
             "status": ("due_rank", "employer__name")}
DEFAULT_DUE_SORT = "status"
DUE_STATUSES = {"missing": "缺报", "late": "迟报", "pending": "未到截止日", "on_time": "按时报送"}


@dataclass
class DueSearch:
    month: datetime.date | None = None  # default: last month
    status: str = ""  # missing, late, pending, on_time; "" = missing and late
    region_code: str = ""
    text: str = ""
    sort: str = ""
    limit: int = 50
    offset: int = 0


def due_on(region_id: str, month: datetime.date) -> datetime.date:
    """报送截止日期: the ``monitoring.report.due_day`` of the month after ``month`` (the day included)."""
    day = int(params(region_id, month)["monitoring.report.due_day"])
    return (month_start(month) + relativedelta(months=1)).replace(day=min(max(day, 1), 28))


def default_due_month(today: datetime.date | None = None) -> datetime.date:
    return month_start(today or timezone.localdate()) - relativedelta(months=1)


def due_dates(region_ids, month: datetime.date) -> dict[str, datetime.date]:
    return {code: due_on(code, month) for code in region_ids}


def _due(user, s: DueSearch, today: datetime.date | None = None) -> QuerySet[MonitoredEnterprise]:
    today = today or timezone.localdate()
    month = month_start(s.month or default_due_month(today))
    base = enterprises_visible_to(user).filter(active_in_q(month))
    if s.region_code:
        base = base.filter(region_filter_q(s.region_code))
    if s.text:
        text = s.text.strip()
        base = base.filter(Q(employer__name__contains=text) | Q(contact_name__contains=text))
    # the due date of each enterprise's jurisdiction: one CASE over the distinct dates (usually one)
    regions = sorted(set(base.values_list("region_id", flat=True).distinct().order_by()))
    by_date: dict[datetime.date, list[str]] = {}
    for code, day in due_dates(regions, month).items():
        by_date.setdefault(day, []).append(code)
    due_case = Case(*[When(region_id__in=codes, then=Value(day)) for day, codes in by_date.items()],
                    default=Value(None), output_field=DateField())
    current = EnterpriseReport.objects.filter(enterprise=OuterRef("pk"), month=month, is_current=True)
    first = EnterpriseReport.objects.filter(enterprise=OuterRef("pk"), month=month, version=1)
    reminders = ReportReminder.objects.filter(enterprise=OuterRef("pk"), month=month).order_by()
    qs = base.annotate(
        due_on=due_case,
        has_report=Exists(current),
        current_report_id=Subquery(current.values("pk")[:1]),
        submitted_at=Subquery(first.values("submitted_at")[:1]),
        first_due_on=Subquery(first.values("due_on")[:1]),
        reminder_count=Subquery(reminders.values("enterprise").annotate(n=Count("pk")).values("n")[:1],
                                output_field=IntegerField()),
        last_reminder_at=Subquery(reminders.values("enterprise").annotate(t=Max("sent_at")).values("t")[:1]),
    ).annotate(submitted_on=TruncDate("submitted_at"))
    qs = qs.annotate(due_rank=Case(
        When(has_report=False, due_on__lt=today, then=Value(0)),
        When(has_report=True, submitted_on__gt=F("first_due_on"), then=Value(1)),
        When(has_report=False, then=Value(2)),
        default=Value(3), output_field=IntegerField()))
    wanted = {"missing": [0], "late": [1], "pending": [2], "on_time": [3], "all": [0, 1, 2, 3]}.get(s.status, [0, 1])
    return qs.filter(due_rank__in=wanted)


def due_sort(s: DueSearch) -> str:
    return sort_key(DUE_SORTS, s.sort, DEFAULT_DUE_SORT)


def due_of_search(user, s: DueSearch, today: datetime.date | None = None) -> QuerySet[MonitoredEnterprise]:
    qs = _due(user, s, today).select_related("employer", "region", "region__parent")
    return sorted_by(qs, DUE_SORTS, s.sort, DEFAULT_DUE_SORT)


def search_due(user, s: DueSearch, today: datetime.date | None = None) -> tuple[list[MonitoredEnterprise], bool]:
    return page(due_of_search(user, s, today), s.limit, s.offset)


def count_due(user, s: DueSearch, today: datetime.date | None = None) -> int:
    return _due(user, s, today).count()


def due_counts(user, month: datetime.date, today: datetime.date | None = None) -> dict[str, int]:
    """How many enterprises of the month are missing, late, pending and on time (one GROUP BY)."""
    qs = _due(user, DueSearch(month=month, status="all"), today)
    counts = {row["due_rank"]: row["n"] for row in qs.values("due_rank").annotate(n=Count("pk")).order_by()}
    return {key: counts.get(rank, 0) for rank, key in enumerate(("missing", "late", "pending", "on_time"))}


def reminders_of(user, enterprise: MonitoredEnterprise, month: datetime.date | None = None) -> list[ReportReminder]:
    qs = ReportReminder.objects.filter(enterprise__in=enterprises_visible_to(user).values("pk"), enterprise=enterprise)
    if month:
        qs = qs.filter(month=month_start(month))
    return list(qs.select_related("sent_by").order_by("-sent_at")[:50])


def missing_months(user, enterprise: MonitoredEnterprise, today: datetime.date | None = None,
                   *, limit: int = 24) -> list[tuple[datetime.date, datetime.date]]:
    """(month, due date) of the enterprise's months in its span with no current report, past their due date —
    at most the last ``limit`` months (the employer portal's to-do)."""
    today = today or timezone.localdate()
    last = default_due_month(today)
    if enterprise.left_on is not None:
        last = min(last, enterprise.left_on - relativedelta(months=1))
    first = max(enterprise.joined_on, month_start(last) - relativedelta(months=limit - 1))
    if last < first:
        return []
    months = months_between(first, last)
    reported = set(reports_visible_to(user).filter(enterprise=enterprise, is_current=True, month__gte=first,
                                                   month__lte=last).values_list("month", flat=True))
    out = []
    for m in months:
        if m in reported:
            continue
        due = due_on(enterprise.region_id, m)
        if today > due:
            out.append((m, due))
    return out[::-1]
