"""Scoped reads of enterprise demand surveys (企业用工需求调查): the demand list aggregated by occupation,
region and period (headcount, lines, urgent lines), and the lines behind it. Staff who read jobs see the
surveys of their region (the employer's region at the survey)."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum

from jiuye.accounts import roles
from jiuye.accounts.scoping import region_q
from jiuye.jobs.models import DemandLine
from jiuye.jobs.queries.vacancies import occupation_prefix
from jiuye.paging import page
from jiuye.regions.queries import region_filter_q


@dataclass
class DemandSearch:
    period: str = ""
    region_code: str = ""
    occupation: str = ""
    urgent: bool = False
    pending: bool = False  # lines not yet turned into vacancies
    limit: int = 50
    offset: int = 0


def lines_visible_to(user) -> QuerySet[DemandLine]:
    if not roles.can_read_jobs(user):
        return DemandLine.objects.none()
    return DemandLine.objects.filter(region_q(user, "survey__region"))


def _lines(user, s: DemandSearch) -> QuerySet[DemandLine]:
    qs = lines_visible_to(user)
    if s.period:
        qs = qs.filter(survey__period=s.period)
    if s.region_code:
        qs = qs.filter(region_filter_q(s.region_code, "survey__region"))
    if s.occupation:
        prefix = occupation_prefix(s.occupation)
        qs = qs.filter(occupation__code=prefix) if not prefix.endswith("-") else qs.filter(occupation__code__startswith=prefix)
    if s.urgent:
        qs = qs.filter(urgent=True)
    if s.pending:
        qs = qs.filter(vacancy__isnull=True)
    return qs


def demand_summary(user, s: DemandSearch) -> list[dict]:
    """Rows (occupation, region, period) with headcount, lines and urgent lines, largest headcount first."""
    return list(_lines(user, s).values("occupation__code", "occupation__name", "survey__region_id", "survey__region__name",
                                       "survey__period")
                .annotate(headcount=Sum("headcount"), lines=Count("pk"), urgent=Count("pk", filter=Q(urgent=True)))
                .order_by("-headcount", "occupation__code", "survey__region_id", "survey__period")[:2000])


def lines_of_search(user, s: DemandSearch) -> QuerySet[DemandLine]:
    return _lines(user, s).select_related("survey__employer", "survey__region", "occupation", "vacancy").order_by(
        "-survey__period", "survey__employer__name", "pk")


def search_lines(user, s: DemandSearch):
    return page(lines_of_search(user, s), s.limit, s.offset)


def count_lines(user, s: DemandSearch) -> int:
    return _lines(user, s).count()
