"""Reads of the targets app: KPI values against targets, 序时进度, status and ranking (scoped).

What the dashboard, the reports and the API call:

``overview(user, region_code, period, *, codes=None, known_on=None) -> list[KpiStatus]``
    Every KPI (or ``codes``) of the region (default: the user's node) for the period, with its target and
    progress. OutOfScope outside the user's scope.
``children(user, region_code, period, kpi_code, *, known_on=None) -> list[KpiStatus]``
    The same KPI for each child region, ranked (``rank`` 1 = best; ``None`` where no value).
``trend(user, region_code, kpi_code, periods, *, known_on=None) -> list[KpiStatus]``
    One KPI over consecutive periods (for the charts).
``targets_of(user, region_code, *, year=None) -> list[Target]``: the current targets of a region.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable, Sequence

from jiuye.monitoring.periods import Period
from jiuye.targets.kpis.catalogue import KPIS, Kpi
from jiuye.targets.models import Target

GREEN, AMBER, RED, NONE = "green", "amber", "red", "none"
STATUS_LABELS = {GREEN: "正常", AMBER: "偏慢", RED: "滞后", NONE: "无目标"}


@dataclass
class KpiStatus:
    kpi: Kpi
    region_code: str
    region_name: str
    period: Period
    value: Decimal | None  # the KPI for the period
    components: dict = field(default_factory=dict)
    source: str = "registry"
    target: Target | None = None
    target_value: Decimal | None = None  # the target the value is compared with (annual, cumulative or limit)
    actual: Decimal | None = None  # what is compared: the period's value, or the sum since the plan's start
    elapsed_share: Decimal | None = None  # 序时进度, 0..1 (None for a ceiling or a level)
    progress: Decimal | None = None  # actual / target_value (counts), None for ceilings
    status: str = NONE  # GREEN, AMBER, RED or NONE
    status_text: str = ""  # "完成目标的62.0%，序时进度58.3%", "3.21%，低于控制目标4%"
    rank: int | None = None
    siblings: int | None = None
    compared_label: str = ""  # what ``actual`` covers: "2024年1—6月", "2021年1月—2024年6月累计"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def _ensure(user, region_code: str | None):
    """The region asked (default: the user's node), or OutOfScope (same answer for unknown and foreign)."""
    from django.utils.translation import gettext as _

    from jiuye.accounts import roles
    from jiuye.accounts.scoping import OutOfScope, in_scope
    from jiuye.regions.codes import pad
    from jiuye.regions.models import Region

    if not roles.can_read_targets(user):
        raise OutOfScope(_("您的角色无权查看指标与目标"))
    code = region_code or getattr(user, "region_id", None)
    try:
        code = pad(str(code or ""))
    except ValueError:
        code = None
    if not code or not in_scope(user, code):
        raise OutOfScope(_("区划 %(code)s 不在您的管辖范围内") % {"code": region_code})
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise OutOfScope(_("区划 %(code)s 不在您的管辖范围内") % {"code": region_code})
    return region


def _values(region_codes, period_like, codes, known_on):
    from jiuye.targets.kpis import cache, compute

    if not codes or not region_codes:
        return {}
    if known_on is None:
        return cache.compute_cached(list(region_codes), period_like, codes=sorted(codes))
    return compute.compute(list(region_codes), period_like, codes=sorted(codes), known_on=known_on)


def _number(v) -> Decimal | None:
    if v is None:
        return None
    return v if isinstance(v, Decimal) else Decimal(str(v))


def _moment(known_on) -> datetime.datetime | None:
    """``known_on`` as an aware datetime (a date: the end of that day)."""
    from django.utils import timezone

    if known_on is None:
        return None
    if isinstance(known_on, datetime.datetime):
        return known_on if timezone.is_aware(known_on) else timezone.make_aware(known_on)
    return timezone.make_aware(datetime.datetime.combine(known_on, datetime.time.max))


def targets_known(region_codes, codes, year: int, known_on=None):
    """The targets in force in ``year`` as known at ``known_on`` (the current ones when None): entered by
    then and not yet replaced by a version entered by then (a kept report shows the targets it showed)."""
    qs = Target.objects.filter(region_id__in=list(region_codes), kpi__in=list(codes), start_year__lte=year,
                               end_year__gte=year)
    moment = _moment(known_on)
    if moment is None:
        return qs.filter(is_current=True)
    return qs.filter(created_at__lte=moment).exclude(replaced_by__created_at__lte=moment)


def evaluate(regions, period: Period, codes: Sequence[str], *, known_on=None,
             targets: dict | None = None) -> dict[tuple[str, str], KpiStatus]:
    """Every (region, KPI) of ``regions`` × ``codes`` for ``period``: value, target, actual and status.
    Unscoped (callers check the scope). One ``compute`` per distinct period needed (the period itself, its
    year to date, the past plan years of cumulative targets), each over all the regions at once.
    ``targets``: {(region, kpi): Target} to judge against instead of the current ones (a target's page)."""
    from jiuye.targets import progress as P

    codes = [c for c in codes if c in KPIS]
    region_codes = [r.code for r in regions]
    year = period.start.year
    if targets is not None:
        picked = {k: t for k, t in targets.items() if P.applies(t, period)}
    else:
        current: dict[tuple[str, str], list[Target]] = {}
        for t in targets_known(region_codes, codes, year, known_on):
            current.setdefault((t.region_id, t.kpi), []).append(t)
        picked = {key: P.pick(ts, period) for key, ts in current.items()}
    wanted: dict = {period: set(codes)}
    for (_r, code), t in picked.items():
        if t is not None:
            for p in P.needs(t, KPIS[code], period):
                wanted.setdefault(p, set()).add(code)
    values = {p: _values(region_codes, p, cs, known_on) for p, cs in wanted.items()}
    thresholds = {}
    out = {}
    for region in regions:
        for code in codes:
            kpi = KPIS[code]
            kv = values[period].get((region.code, code))
            status = KpiStatus(kpi, region.code, region.name, period, _number(kv.value) if kv else None,
                               components=dict(kv.components) if kv else {}, source=kv.source if kv else "registry")
            target = picked.get((region.code, code))
            if target is not None:
                parts = [values[p].get((region.code, code)) for p in P.needs(target, kpi, period)]
                nums = [_number(x.value) if x else None for x in parts]
                actual = None if any(n is None for n in nums) else sum(nums, Decimal(0))
                if region.code not in thresholds:
                    thresholds[region.code] = P.thresholds_for(region.code, period.end)
                j = P.judge(target, kpi, period, actual, thresholds[region.code])
                status.target = target
                status.target_value = j.target_value
                status.actual = j.actual
                status.elapsed_share = j.elapsed_share
                status.progress = j.progress
                status.status = j.status
                status.status_text = j.status_text
                status.compared_label = j.compared_label
            out[(region.code, code)] = status
    return out


def rank(statuses: list[KpiStatus]) -> list[KpiStatus]:
    """Rank siblings of one KPI in place (1 = best; None without a value) and return them best first."""
    from jiuye.targets import progress as P

    keyed = [(P.rank_key(s.kpi, s.actual if s.actual is not None else s.value, s.progress), s) for s in statuses]
    ranked = sorted([(k, s) for k, s in keyed if k is not None], key=lambda ks: ks[0])
    for i, (_k, s) in enumerate(ranked, start=1):
        s.rank = i
        s.siblings = len(statuses)
    for k, s in keyed:
        if k is None:
            s.rank = None
            s.siblings = len(statuses)
    return [s for _k, s in ranked] + [s for k, s in keyed if k is None]


def overview(user, region_code: str | None, period: Period, *, codes: Iterable[str] | None = None,
             known_on=None, values_only: bool = False) -> list[KpiStatus]:
    """``values_only``: the values without targets and progress (a report's previous month and year-earlier
    columns), sparing the year-to-date and plan-year computations."""
    region = _ensure(user, region_code)
    wanted = [c for c in (list(codes) if codes is not None else list(KPIS)) if c in KPIS]
    result = evaluate([region], period, wanted, known_on=known_on, targets={} if values_only else None)
    return [result[(region.code, c)] for c in wanted]


def children(user, region_code: str, period: Period, kpi_code: str, *, known_on=None,
             values_only: bool = False) -> list[KpiStatus]:
    from jiuye.regions.models import Region

    region = _ensure(user, region_code)
    if kpi_code not in KPIS:
        return []
    kids = list(Region.objects.filter(parent_id=region.code).order_by("code"))
    result = evaluate(kids, period, [kpi_code], known_on=known_on, targets={} if values_only else None)
    return rank([result[(r.code, kpi_code)] for r in kids])


def trend(user, region_code: str, kpi_code: str, periods: Sequence[Period], *, known_on=None) -> list[KpiStatus]:
    region = _ensure(user, region_code)
    if kpi_code not in KPIS:
        return []
    return [evaluate([region], p, [kpi_code], known_on=known_on)[(region.code, kpi_code)] for p in periods]


def default_period(target: Target, today: datetime.date | None = None) -> Period:
    """The period a target's page shows: the last closed month inside the target's years (its last year
    once the plan is over, the first month when it has not started)."""
    from django.utils import timezone

    from jiuye.monitoring.periods import YEAR, month_of

    today = today or timezone.localdate()
    last_closed = month_of(today.replace(day=1) - datetime.timedelta(days=1))
    if last_closed.start.year > target.end_year:
        return Period(datetime.date(target.end_year, 1, 1), YEAR)
    if last_closed.start.year < target.start_year:
        return month_of(datetime.date(target.start_year, 1, 1))
    return last_closed


def target_progress(user, target: Target, period: Period, *, known_on=None) -> tuple[KpiStatus, list[KpiStatus]]:
    """A target's own progress for ``period`` and its children's (each against its own breakdown target),
    ranked. The user must see the target (``target_detail``)."""
    from jiuye.regions.models import Region

    _ensure(user, target.region_id)
    own = evaluate([target.region], period, [target.kpi], known_on=known_on,
                   targets={(target.region_id, target.kpi): target})[(target.region_id, target.kpi)]
    kids = list(Target.objects.filter(parent=target, is_current=True).select_related("region"))
    regions = [k.region for k in kids] or list(Region.objects.filter(parent_id=target.region_id).order_by("code"))
    if not regions:
        return own, []
    fixed = {(k.region_id, k.kpi): k for k in kids}
    result = evaluate(regions, period, [target.kpi], known_on=known_on, targets=fixed)
    return own, rank([result[(r.code, target.kpi)] for r in regions])


def targets_of(user, region_code: str, *, year: int | None = None) -> list[Target]:
    region = _ensure(user, region_code)
    qs = Target.objects.filter(region=region, is_current=True).select_related("region", "parent")
    if year is not None:
        qs = qs.filter(start_year__lte=year, end_year__gte=year)
    return list(qs.order_by("start_year", "kpi", "id"))


def target_list(user, *, region_code: str | None = None, kpi: str = "", year: int | None = None,
                include_replaced: bool = False, descendants: bool = True):
    """Targets in the user's scope (a QuerySet: the list page and the API count, sort and export it)."""
    from django.utils.translation import gettext as _

    from jiuye.accounts import roles
    from jiuye.accounts.scoping import OutOfScope, region_q
    from jiuye.regions.codes import significant_prefix
    from jiuye.regions.queries import within_q

    if not roles.can_read_targets(user):
        raise OutOfScope(_("您的角色无权查看指标与目标"))
    qs = Target.objects.filter(region_q(user)).select_related("region", "parent", "replaces")
    if region_code:
        region = _ensure(user, region_code)
        qs = qs.filter(within_q(significant_prefix(region.code))) if descendants else qs.filter(region=region)
    if kpi:
        qs = qs.filter(kpi=kpi)
    if year is not None:
        qs = qs.filter(start_year__lte=year, end_year__gte=year)
    if not include_replaced:
        qs = qs.filter(is_current=True)
    return qs


def target_detail(user, target_id: int) -> Target:
    """One target in the user's scope; OutOfScope (shown as 404) otherwise."""
    from django.utils.translation import gettext as _

    from jiuye.accounts.scoping import OutOfScope

    target = target_list(user, include_replaced=True).filter(pk=target_id).first()
    if target is None:
        raise OutOfScope(_("目标不存在或不在您的管辖范围内"))
    return target


def history(target: Target) -> list[Target]:
    """The versions of a target, newest first (the one given, what it replaced, and what replaced it)."""
    chain = [target]
    seen = {target.pk}
    older = target.replaces
    while older is not None and older.pk not in seen:
        chain.append(older)
        seen.add(older.pk)
        older = older.replaces
    newer = Target.objects.filter(replaces=target).first()
    while newer is not None and newer.pk not in seen:
        chain.insert(0, newer)
        seen.add(newer.pk)
        newer = Target.objects.filter(replaces=newer).first()
    return chain


def input_values(user, *, region_code: str | None = None, kpi: str = "", period: str = "",
                 include_replaced: bool = False):
    """Input-series values in the user's scope (a QuerySet)."""
    from django.utils.translation import gettext as _

    from jiuye.accounts import roles
    from jiuye.accounts.scoping import OutOfScope, region_q
    from jiuye.regions.codes import significant_prefix
    from jiuye.regions.queries import within_q
    from jiuye.targets.models import InputValue

    if not roles.can_read_targets(user):
        raise OutOfScope(_("您的角色无权查看指标与目标"))
    qs = InputValue.objects.filter(region_q(user)).select_related("region", "entered_by")
    if region_code:
        region = _ensure(user, region_code)
        qs = qs.filter(within_q(significant_prefix(region.code)))
    if kpi:
        qs = qs.filter(kpi=kpi)
    if period:
        qs = qs.filter(period=period)
    if not include_replaced:
        qs = qs.filter(is_current=True)
    return qs


# -- list pages and exports (the web lists and the API share these) ------------------------------------

TARGET_SORTS = {"region": ("region_id", "kpi", "start_year"), "kpi": ("kpi", "region_id", "start_year"),
                "year": ("start_year", "end_year", "region_id", "kpi"), "value": ("value",),
                "created": ("created_at",)}
INPUT_SORTS = {"kpi": ("kpi", "region_id", "period"), "region": ("region_id", "kpi", "period"),
               "period": ("period", "kpi", "region_id"), "entered": ("entered_at",)}


@dataclass
class TargetSearch:
    region_code: str = ""
    kpi: str = ""
    year: int | None = None
    history: bool = False
    sort: str = "region"
    limit: int = 50
    offset: int = 0


def targets_of_search(user, s: TargetSearch):
    from jiuye.paging import sorted_by

    qs = target_list(user, region_code=s.region_code or None, kpi=s.kpi, year=s.year, include_replaced=s.history)
    return sorted_by(qs, TARGET_SORTS, s.sort, "region")


def search_targets(user, s: TargetSearch):
    from jiuye.paging import page

    return page(targets_of_search(user, s), s.limit, s.offset)


def count_targets(user, s: TargetSearch) -> int:
    return target_list(user, region_code=s.region_code or None, kpi=s.kpi, year=s.year,
                       include_replaced=s.history).count()


@dataclass
class InputSearch:
    region_code: str = ""
    kpi: str = ""
    period: str = ""
    history: bool = False
    sort: str = "-period"
    limit: int = 50
    offset: int = 0


def inputs_of_search(user, s: InputSearch):
    from jiuye.paging import sorted_by

    qs = input_values(user, region_code=s.region_code or None, kpi=s.kpi, period=s.period, include_replaced=s.history)
    return sorted_by(qs, INPUT_SORTS, s.sort, "-period")


def search_inputs(user, s: InputSearch):
    from jiuye.paging import page

    return page(inputs_of_search(user, s), s.limit, s.offset)


def count_inputs(user, s: InputSearch) -> int:
    return input_values(user, region_code=s.region_code or None, kpi=s.kpi, period=s.period,
                        include_replaced=s.history).count()
