"""Scoped reads of the talent reserve pool (人力资源储备池): staff who read jobs see the entries of their region
(the person's community at entry). Filters: reason, status, street/community, date range, occupation
subtree, priority persons only (``flags.priority_person_ids_q``); sorts from ``POOL_SORTS``."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from jiuye.accounts import roles
from jiuye.accounts.scoping import region_q
from jiuye.jobs.models import TalentPoolEntry
from jiuye.jobs.flags import priority_person_ids_q
from jiuye.jobs.queries.vacancies import occupation_prefix
from jiuye.paging import page, sort_key, sorted_by
from jiuye.regions.queries import region_filter_q


@dataclass
class PoolSearch:
    reason: str = ""
    status: str = "active"  # "" = every status
    region_code: str = ""
    occupation: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    priority: bool = False
    sort: str = ""
    limit: int = 50
    offset: int = 0


POOL_SORTS = {"occurred_on": ("occurred_on",), "name": ("person__name",), "region": ("region_id",),
              "reason": ("reason", "occurred_on"), "status": ("status", "occurred_on")}
POOL_DEFAULT_SORT = "-occurred_on"


def pool_sort(s: PoolSearch) -> str:
    return sort_key(POOL_SORTS, s.sort, POOL_DEFAULT_SORT)


def pool_visible_to(user) -> QuerySet[TalentPoolEntry]:
    if not roles.can_read_jobs(user):
        return TalentPoolEntry.objects.none()
    return TalentPoolEntry.objects.filter(region_q(user))


def _entries(user, s: PoolSearch) -> QuerySet[TalentPoolEntry]:
    qs = pool_visible_to(user)
    if s.reason:
        qs = qs.filter(reason=s.reason)
    if s.status:
        qs = qs.filter(status=s.status)
    if s.region_code:
        qs = qs.filter(region_filter_q(s.region_code))
    if s.occupation:
        prefix = occupation_prefix(s.occupation)
        qs = qs.filter(occupation__code=prefix) if not prefix.endswith("-") else qs.filter(occupation__code__startswith=prefix)
    if s.date_from:
        qs = qs.filter(occurred_on__gte=s.date_from)
    if s.date_to:
        qs = qs.filter(occurred_on__lte=s.date_to)
    if s.priority:
        qs = qs.filter(person__in=_priority_persons())
    return qs


def _priority_persons():
    from jiuye.registry.models import Person

    return Person.objects.filter(priority_person_ids_q()).values("pk")


def pool_of_search(user, s: PoolSearch) -> QuerySet[TalentPoolEntry]:
    return sorted_by(_entries(user, s), POOL_SORTS, s.sort, POOL_DEFAULT_SORT).select_related(
        "person", "employer", "occupation", "region__parent")


def search_pool(user, s: PoolSearch):
    return page(pool_of_search(user, s), s.limit, s.offset)


def count_pool(user, s: PoolSearch) -> int:
    return _entries(user, s).count()
