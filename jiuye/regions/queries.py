"""Reads of the region tree."""
from __future__ import annotations

from django.db.models import Q, QuerySet

from jiuye.regions.codes import code_range
from jiuye.regions.models import Region


def within_q(prefix: str, field: str = "region") -> Q:
    """Q object for rows whose region code (``field`` + '_id') lies under ``prefix``."""
    lo, hi = code_range(prefix)
    column = field if field.endswith("_id") or field == "code" else f"{field}_id"
    return Q(**{f"{column}__gte": lo, f"{column}__lte": hi})


def regions_under(region: Region, *, include_self: bool = True) -> QuerySet[Region]:
    qs = Region.objects.filter(within_q(region.prefix, "code"))
    if not include_self:
        qs = qs.exclude(code=region.code)
    return qs


def communities_under(region: Region) -> QuerySet[Region]:
    return regions_under(region).filter(level=Region.Level.COMMUNITY)


def children_of(region: Region | None) -> QuerySet[Region]:
    if region is None:
        return Region.objects.filter(parent__isnull=True)
    return Region.objects.filter(parent=region)


def ancestors(region: Region) -> list[Region]:
    out = []
    current = region.parent
    while current is not None:
        out.append(current)
        current = current.parent
    return list(reversed(out))
