"""Reads of the region tree.

Regions sit on the lowest floor and know nothing of users: a caller that reads for a user passes the
user's scope prefix (``jiuye.accounts.scoping.scope_prefix``: '' the whole tree, None nothing)."""
from __future__ import annotations

from django.db.models import Q, QuerySet

from jiuye.regions.codes import code_range, significant_prefix
from jiuye.regions.models import Region


def within_q(prefix: str | None, field: str = "region") -> Q:
    """Rows whose region code lies under ``prefix``: the code-range predicate (an index range scan).

    ``field`` is a foreign key to Region (``region`` → ``region_id``) or a code column (``code``, or a
    name ending in ``_id`` or ``_code``). An empty prefix is the whole tree, None is nothing."""
    if prefix is None:
        return Q(pk__in=[])
    if prefix == "":
        return Q()
    column = field if field.endswith(("_id", "_code")) or field == "code" else f"{field}_id"
    lo, hi = code_range(prefix)
    return Q(**{f"{column}__gte": lo, f"{column}__lte": hi})


def under_code_q(code: str, field: str = "region") -> Q:
    """Rows under the region node ``code`` (12 digits or a significant prefix); ValueError if invalid."""
    return within_q(significant_prefix(code), field)


def region_filter_q(code: str, field: str = "region") -> Q:
    """A list's street/community filter: rows under the node ``code`` (12 digits or a prefix), nothing at all for
    a code that is no region code."""
    try:
        return under_code_q(code.strip(), field)
    except ValueError:
        return Q(pk__in=[])


def regions_under(region: Region, *, include_self: bool = True) -> QuerySet[Region]:
    qs = Region.objects.filter(within_q(region.prefix, "code"))
    if not include_self:
        qs = qs.exclude(code=region.code)
    return qs


def communities_under(region: Region) -> QuerySet[Region]:
    return regions_under(region).filter(level=Region.Level.COMMUNITY)


def filter_choices(prefix: str | None, *, exclude_code: str | None = None) -> list[Region]:
    """Counties, streets and communities under ``prefix`` (a search filter's region picker)."""
    if prefix is None:
        return []
    qs = Region.objects.filter(within_q(prefix, "code"), level__gte=Region.Level.COUNTY)
    if exclude_code:
        qs = qs.exclude(code=exclude_code)
    return list(qs.order_by("code").only("code", "name", "level"))


def communities_within(prefix: str | None) -> QuerySet[Region]:
    """Communities/villages under ``prefix`` (where a person may be placed), with their street."""
    if prefix is None:
        return Region.objects.none()
    return Region.objects.filter(within_q(prefix, "code"), level=Region.Level.COMMUNITY).select_related(
        "parent").order_by("code")


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
