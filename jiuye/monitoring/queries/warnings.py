"""Reads of the warning board (预警看板): every warning of every kind in the viewer's region.

The board is per region: a warning belongs to the region of what it is about (the employer, the district
of a rate) and a user sees the warnings under their own node (``accounts.scoping.region_q``). A warning
outside that answers exactly like one that does not exist. The default list is the active warnings (open
and being handled), the highest level first, then the oldest.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext as _

from jiuye.accounts import roles
from jiuye.accounts.scoping import region_q
from jiuye.monitoring.models import LEVEL_RANK, Warning, WarningEvent, WarningLevel, WarningLink, WarningStatus
from jiuye.paging import page, sort_key, sorted_by
from jiuye.regions.queries import under_code_q

NOT_FOUND = "预警不存在或不在您的管辖范围内"
ACTIVE = "active"  # open or acknowledged
STATUS_FILTERS = (ACTIVE, WarningStatus.OPEN, WarningStatus.ACKNOWLEDGED, WarningStatus.CLOSED, "all")

WARNING_SORTS = {"level": ("-lrank", "since"), "since": ("since",), "raised_at": ("raised_at",),
                 "updated_at": ("updated_at",), "status": ("srank", "-lrank"), "kind": ("kind", "-lrank"),
                 "region": ("region_id", "-lrank"), "title": ("title",)}
DEFAULT_SORT = "level"


@dataclass
class WarningSearch:
    kind: str = ""
    level: str = ""
    status: str = ACTIVE
    region_code: str = ""
    date_from: datetime.date | None = None  # 起始日期 (since) from
    date_to: datetime.date | None = None
    text: str = ""
    employer_id: int | None = None
    sort: str = ""
    limit: int = 50
    offset: int = 0


def warnings_visible_to(user) -> QuerySet[Warning]:
    if not roles.can_read_warnings(user):
        return Warning.objects.none()
    return Warning.objects.filter(region_q(user))


def _level_rank() -> Case:
    return Case(*[When(level=level, then=Value(rank)) for level, rank in LEVEL_RANK.items()], default=Value(0),
                output_field=IntegerField())


def _status_rank() -> Case:
    return Case(When(status=WarningStatus.OPEN, then=Value(0)), When(status=WarningStatus.ACKNOWLEDGED, then=Value(1)),
                default=Value(2), output_field=IntegerField())


def _warnings(user, s: WarningSearch) -> QuerySet[Warning]:
    qs = warnings_visible_to(user)
    if s.kind:
        qs = qs.filter(kind=s.kind)
    if s.level:
        qs = qs.filter(level=s.level)
    status = s.status or ACTIVE
    if status == ACTIVE:
        qs = qs.exclude(status=WarningStatus.CLOSED)
    elif status != "all":
        qs = qs.filter(status=status)
    if s.region_code:
        try:
            qs = qs.filter(under_code_q(s.region_code.strip()))
        except ValueError:
            raise ValueError(_("区划代码“%(c)s”无效") % {"c": s.region_code}) from None
    if s.date_from:
        qs = qs.filter(since__gte=s.date_from)
    if s.date_to:
        qs = qs.filter(since__lte=s.date_to)
    if s.text:
        text = s.text.strip()
        qs = qs.filter(Q(title__contains=text) | Q(employer__name__contains=text))
    if s.employer_id:
        qs = qs.filter(employer_id=s.employer_id)
    return qs


def warning_sort(s: WarningSearch) -> str:
    return sort_key(WARNING_SORTS, s.sort, DEFAULT_SORT)


def warnings_of_search(user, s: WarningSearch) -> QuerySet[Warning]:
    qs = (_warnings(user, s).alias(lrank=_level_rank(), srank=_status_rank())
          .select_related("region", "region__parent", "employer", "acknowledged_by", "closed_by"))
    return sorted_by(qs, WARNING_SORTS, s.sort, DEFAULT_SORT)


def search_warnings(user, s: WarningSearch) -> tuple[list[Warning], bool]:
    return page(warnings_of_search(user, s), s.limit, s.offset)


def count_warnings(user, s: WarningSearch) -> int:
    return _warnings(user, s).count()


def get_warning(user, pk: int) -> Warning:
    """One warning with its records (monitoring readers only; leadership sees the lists' titles and levels)."""
    qs = warnings_visible_to(user) if roles.can_read_monitoring(user) else Warning.objects.none()
    warning = (qs.select_related("region", "region__parent", "employer", "report",
                                                       "acknowledged_by", "closed_by").filter(pk=pk).first())
    if warning is None:
        raise Http404(_(NOT_FOUND))
    return warning


def events_of(warning: Warning) -> list[WarningEvent]:
    return list(warning.events.select_related("actor").order_by("at", "pk"))


def links_of(warning: Warning) -> QuerySet[WarningLink]:
    """The unemployment registrations tied to the warning, with their persons (the page masks the numbers)."""
    return (WarningLink.objects.filter(warning=warning)
            .select_related("registration", "registration__person", "registration__registered_in")
            .order_by("registration__effective_date", "registration_id"))


def level_counts(user, *, status: str = ACTIVE) -> dict:
    """Active warnings in the user's scope by level and by kind × level (one grouped query): the home page's
    panels and the workbench's 预警 panel; each figure is the board's total for the same filter."""
    rows = (_warnings(user, WarningSearch(status=status)).order_by().values("kind", "level").annotate(n=Count("pk")))
    by_level = {level: 0 for level in reversed(WarningLevel.values)}
    by_kind: dict[str, dict[str, int]] = {}
    for r in rows:
        by_level[r["level"]] = by_level.get(r["level"], 0) + r["n"]
        by_kind.setdefault(r["kind"], {level: 0 for level in reversed(WarningLevel.values)})[r["level"]] += r["n"]
    return {"by_level": by_level, "by_kind": by_kind, "total": sum(by_level.values())}


def top_warnings(user, limit: int = 10) -> list[Warning]:
    """The active warnings, the red ones first (the home page)."""
    return list(warnings_of_search(user, WarningSearch(sort="level"))[:limit])
