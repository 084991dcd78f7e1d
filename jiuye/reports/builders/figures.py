"""Figures the report builders read beside the KPIs: registrations, assistance cases, payments, warnings
and key groups of a region over a span of days, as known on a moment. Set-based: one GROUP BY per figure
(per child region where a report names the regions behind a change); no loop over persons.

Attribution: registrations by 登记地 (``registered_in``), cases by their community, payments by the place
the claim was received (``region``), warnings by their region, key groups by the person's community.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case as SqlCase
from django.db.models import Count, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Substr
from django.utils import timezone

from jiuye.assistance.models import Case
from jiuye.monitoring.models import Warning
from jiuye.policies.models import EntryKind, LedgerEntry
from jiuye.regions.codes import LEVEL_PREFIX_LENGTH, level_of, significant_prefix
from jiuye.regions.models import Region
from jiuye.regions.queries import within_q
from jiuye.registry import groups
from jiuye.registry.models import Person, Registration
from jiuye.registry.status import counting_registrations

EMPLOYMENT, UNEMPLOYMENT = Registration.Kind.EMPLOYMENT, Registration.Kind.UNEMPLOYMENT

#: the key groups a report counts (registry.groups codes)
REPORT_GROUPS = ["graduate_current_year", "graduate_within_2y", "migrant_worker", "veteran", "poverty_lifted",
                 "disabled", "zero_employment_household", "long_term_unemployed", "hard_to_employ"]


def child_width(region_code: str) -> int:
    """The prefix length of a region's children (a community has none: its own code)."""
    level = level_of(region_code)
    return LEVEL_PREFIX_LENGTH[min(level + 1, 5)]


def child_names(region_code: str) -> dict[str, str]:
    """{child prefix: name} of the region's direct children."""
    width = child_width(region_code)
    return {r.code[:width]: r.name for r in Region.objects.filter(parent_id=region_code).only("code", "name")}


def _bounds(first: datetime.date, last: datetime.date):
    tz = timezone.get_current_timezone()
    return (datetime.datetime.combine(first, datetime.time.min, tzinfo=tz),
            datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz))


def _known(known_on):
    return known_on or timezone.now()


@dataclass
class Counts:
    total: int = 0
    by_child: dict[str, int] = field(default_factory=dict)


def registrations(region_code: str, first: datetime.date, last: datetime.date, known_on=None) -> dict[str, Counts]:
    """Employment and unemployment registrations effective in [first, last], made under the region, as
    known on ``known_on``: ``{"employment": Counts, "unemployment": Counts}`` (by child region)."""
    prefix = significant_prefix(region_code)
    width = child_width(region_code)
    rows = (counting_registrations(known_on).filter(kind__in=[EMPLOYMENT, UNEMPLOYMENT],
                                                    effective_date__gte=first, effective_date__lte=last)
            .filter(within_q(prefix, "registered_in"))
            .annotate(child=Substr("registered_in_id", 1, width)).values("kind", "child")
            .annotate(n=Count("pk")).order_by().values_list("kind", "child", "n"))
    out = {EMPLOYMENT: Counts(), UNEMPLOYMENT: Counts()}
    for kind, child, n in rows:
        out[kind].total += n
        out[kind].by_child[child] = out[kind].by_child.get(child, 0) + n
    return out


def monthly_registrations(region_code: str, months: list[datetime.date], known_on=None) -> dict[str, list[int]]:
    """Employment and unemployment registrations per month (months = first days, consecutive), one GROUP BY
    over a CASE of month ranges (no date function per row: SQLite's date_trunc is a Python callback)."""
    from dateutil.relativedelta import relativedelta

    prefix = significant_prefix(region_code)
    after = months[-1] + relativedelta(months=1)
    bounds = months + [after]
    month_index = SqlCase(*[When(effective_date__gte=bounds[i], effective_date__lt=bounds[i + 1], then=Value(i))
                         for i in range(len(months))], default=Value(-1), output_field=IntegerField())
    rows = (counting_registrations(known_on).filter(kind__in=[EMPLOYMENT, UNEMPLOYMENT],
                                                    effective_date__gte=months[0], effective_date__lt=after)
            .filter(within_q(prefix, "registered_in"))
            .annotate(m=month_index).values("kind", "m").annotate(n=Count("pk"))
            .order_by().values_list("kind", "m", "n"))
    out = {EMPLOYMENT: [0] * len(months), UNEMPLOYMENT: [0] * len(months)}
    for kind, i, n in rows:
        if 0 <= i < len(months):
            out[kind][i] += n
    return out


@dataclass
class CaseFigures:
    opened: int = 0
    resolved: int = 0  # closed by employment in the span
    closed: int = 0
    active: int = 0  # open or in follow-up at the end of the span


def cases(region_code: str, first: datetime.date, last: datetime.date, known_on=None) -> CaseFigures:
    """Assistance cases opened, closed (of which by employment) in the span, and active on its last day."""
    qs = Case.objects.filter(within_q(significant_prefix(region_code), "region"), opened_at__lte=_known(known_on))
    agg = qs.aggregate(
        opened=Count("pk", filter=Q(opened_on__gte=first, opened_on__lte=last)),
        closed=Count("pk", filter=Q(closed_on__gte=first, closed_on__lte=last)),
        resolved=Count("pk", filter=Q(closed_on__gte=first, closed_on__lte=last, close_kind="resolved")),
        active=Count("pk", filter=Q(opened_on__lte=last) & (Q(closed_on__isnull=True) | Q(closed_on__gt=last))),
    )
    return CaseFigures(**{k: v or 0 for k, v in agg.items()})


@dataclass
class PaymentFigures:
    count: int = 0
    amount: Decimal = Decimal(0)
    by_policy: list[tuple[str, int, Decimal]] = field(default_factory=list)


def payments(region_code: str, first: datetime.date, last: datetime.date, known_on=None) -> PaymentFigures:
    """Policy payments (ledger entries of kind payment) booked in the span, by policy."""
    lo, hi = _bounds(first, last)
    hi = min(hi, _known(known_on))
    rows = (LedgerEntry.objects.filter(kind=EntryKind.PAYMENT, created_at__gte=lo, created_at__lte=hi)
            .filter(within_q(significant_prefix(region_code), "region"))
            .values("policy_code").annotate(n=Count("pk"), amount=Sum("amount")).order_by("-amount", "policy_code"))
    out = PaymentFigures()
    for r in rows:
        out.count += r["n"]
        out.amount += r["amount"] or 0
        out.by_policy.append((r["policy_code"], r["n"], r["amount"] or Decimal(0)))
    return out


@dataclass
class WarningFigures:
    opened: int = 0
    closed: int = 0
    active: int = 0
    by_level: dict[str, int] = field(default_factory=dict)  # active at the end, by level


def warnings(region_code: str, first: datetime.date, last: datetime.date, known_on=None) -> WarningFigures:
    lo, hi = _bounds(first, last)
    hi = min(hi, _known(known_on))
    qs = Warning.objects.filter(within_q(significant_prefix(region_code), "region"), raised_at__lt=hi)
    active_q = Q(closed_at__isnull=True) | Q(closed_at__gte=hi)
    agg = qs.aggregate(opened=Count("pk", filter=Q(raised_at__gte=lo)),
                       closed=Count("pk", filter=Q(closed_at__gte=lo, closed_at__lt=hi)),
                       active=Count("pk", filter=active_q))
    out = WarningFigures(**{k: v or 0 for k, v in agg.items()})
    for level, n in qs.filter(active_q).values_list("level").annotate(n=Count("pk")).order_by().values_list("level", "n"):
        out.by_level[level] = n
    return out


def key_groups(region_code: str, on: datetime.date, known_on=None) -> list[tuple[str, str, int]]:
    """(code, label, persons living under the region who are in the group on ``on``) for each report group:
    one pass (the history annotated once, one ``Count(filter=...)`` per group, as ``groups.group_condition``
    describes)."""
    base = Person.objects.filter(within_q(significant_prefix(region_code), "region"))
    qs = groups.with_history_annotations(base, on, known_on, status=True, household=True)
    counts, conditions = {}, {}
    for code in REPORT_GROUPS:
        condition = groups.group_condition(qs, code, on)
        if condition is None:
            counts[code] = 0
        else:
            conditions[code] = Count("pk", filter=condition)
    if conditions:
        counts.update(qs.aggregate(**conditions))
    return [(code, str(groups.GROUPS_BY_CODE[code].label), counts[code] or 0) for code in REPORT_GROUPS]


def key_groups_one_by_one(region_code: str, on: datetime.date, known_on=None) -> list[tuple[str, str, int]]:
    """The same counts one group at a time through ``groups.filter_group`` (the reference the tests compare)."""
    base = Person.objects.filter(within_q(significant_prefix(region_code), "region"))
    return [(code, str(groups.GROUPS_BY_CODE[code].label),
             groups.filter_group(base, code, on, known_on).count()) for code in REPORT_GROUPS]
