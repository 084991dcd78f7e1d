"""Kept KPI values for fast pages (the dashboard).

``compute_cached(region_codes, period, *, codes=None) -> dict[(region_code, kpi), KpiValue]``
returns what ``compute`` would return for the data as they are now, from kept values when they are fresh
enough, computing (and keeping) the missing ones. ``queries.overview``/``children``/``trend`` call it when no
``known_on`` is asked; with ``known_on`` they call ``compute`` directly. ``computed_at(region_code, period)``:
when the values shown were computed (pages print "数据截至 …").

Also here: ``refresh(periods, region_codes=None)`` (``jiuye kpi_refresh``, the daily refresh and the demo
precompute every region's current month, quarter and year), ``invalidate(since=None, kpis=None)`` and the
receivers that call it.

Freshness (docs/targets/dashboard.md):
- a value of a period that is not over yet (its last day today or later) is kept ``JIUYE_KPI_FRESH_SECONDS``
  (default 600 s: the figures of the running month are at most ten minutes old);
- a value of a closed period is kept until the registry changes what it counts, and at most
  ``JIUYE_KPI_MAX_AGE_SECONDS`` (default one day, a safety net for changes no event announces);
- a change deletes the kept values it may affect, inside the writer's transaction: new, corrected or voided
  registrations → every period ending on or after the earliest effective date concerned (a stock at the end
  of a later period and the flows of the period itself); a person's counted fields changed → everything; a
  person created → the person-based rates; households and memberships → the zero-employment KPIs; an input
  value, a statistics-bureau value or a community assessment → the periods ending on or after its period's
  start; a bulk load (``registry_loaded``) → everything.
"""
from __future__ import annotations

import datetime
import os
from decimal import Decimal
from typing import Iterable, Sequence

from django.conf import settings
from django.db.models import Min
from django.utils import timezone

from jiuye.monitoring.periods import MONTH, QUARTER, YEAR, Period, period_of, year_to_date
from jiuye.targets.kpis.compute import KpiValue, compute

#: Fields of a person that no KPI reads (a change of these keeps the kept values).
PERSON_FIELDS_NOT_COUNTED = frozenset({
    "name", "phone", "address", "ethnicity", "skills", "certificates", "preferred_occupation",
    "preferred_industry", "preferred_wage_min", "preferred_work_place", "major", "school_name", "updated_at"})
#: KPIs read from persons' own fields rather than from registrations.
PERSON_KPIS = ("avg_schooling_years", "graduate_destination_rate_estimate", "hte_assistance_rate")
#: KPIs read from households and memberships.
HOUSEHOLD_KPIS = ("zero_employment_households", "zero_employment_resolved")
_CHUNK = 500


def fresh_seconds() -> int:
    return int(getattr(settings, "JIUYE_KPI_FRESH_SECONDS", None) or os.environ.get("JIUYE_KPI_FRESH_SECONDS") or 600)


def max_age_seconds() -> int:
    return int(getattr(settings, "JIUYE_KPI_MAX_AGE_SECONDS", None) or os.environ.get("JIUYE_KPI_MAX_AGE_SECONDS")
               or 86400)


def _cutoff(period, now: datetime.datetime) -> datetime.datetime:
    is_open = period.end >= timezone.localdate(now)
    return now - datetime.timedelta(seconds=fresh_seconds() if is_open else max_age_seconds())


# -- exact round trip of values and components -------------------------------------------------------------

def _encode(value):
    if isinstance(value, Decimal):
        return {"$dec": str(value)}
    if isinstance(value, datetime.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"$date": value.isoformat()}
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    return value


def _decode(value):
    if isinstance(value, dict):
        if len(value) == 1:
            (key, inner), = value.items()
            if key == "$dec":
                return Decimal(inner)
            if key == "$date":
                return datetime.date.fromisoformat(inner)
            if key == "$dt":
                return datetime.datetime.fromisoformat(inner)
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def _to_value(snapshot) -> KpiValue:
    return KpiValue(snapshot.kpi, snapshot.region_id, snapshot.period,
                    None if snapshot.value is None else Decimal(snapshot.value),
                    _decode(snapshot.components or {}), snapshot.source)


def _keep(values: Iterable[KpiValue], period, at: datetime.datetime) -> None:
    from jiuye.targets.models import KpiSnapshot

    rows = [KpiSnapshot(region_id=v.region_code, period=period.code, period_start=period.start, period_end=period.end,
                        kpi=v.kpi, value=None if v.value is None else str(v.value), components=_encode(v.components or {}),
                        source=(v.source or "")[:128], computed_at=at) for v in values]
    for i in range(0, len(rows), _CHUNK):
        KpiSnapshot.objects.bulk_create(
            rows[i:i + _CHUNK], update_conflicts=True, unique_fields=["region", "period", "kpi"],
            update_fields=["period_start", "period_end", "value", "components", "source", "computed_at"])


def compute_cached(region_codes: Sequence[str], period: Period, *,
                   codes: Iterable[str] | None = None) -> dict[tuple[str, str], KpiValue]:
    from jiuye.targets.kpis.catalogue import KPIS
    from jiuye.targets.models import KpiSnapshot

    regions = list(dict.fromkeys(region_codes))
    wanted = list(dict.fromkeys(codes)) if codes is not None else list(KPIS)
    if not regions or not wanted:
        return {}
    now = timezone.now()
    cutoff = _cutoff(period, now)
    found: dict[tuple[str, str], KpiValue] = {}
    for i in range(0, len(regions), _CHUNK):
        qs = KpiSnapshot.objects.filter(region_id__in=regions[i:i + _CHUNK], period=period.code, computed_at__gte=cutoff)
        if codes is not None:
            qs = qs.filter(kpi__in=wanted)
        for s in qs.only("region_id", "period", "kpi", "value", "components", "source"):
            found[(s.region_id, s.kpi)] = _to_value(s)
    missing = [(r, c) for r in regions for c in wanted if (r, c) not in found]
    if missing:
        miss_regions = list(dict.fromkeys(r for r, _c in missing))
        miss_codes = list(dict.fromkeys(c for _r, c in missing))
        fresh = compute(miss_regions, period, codes=miss_codes)
        _keep(fresh.values(), period, now)
        found.update(fresh)
    return {(r, c): found[(r, c)] for r in regions for c in wanted if (r, c) in found}


def computed_at(region_code: str, period: Period) -> datetime.datetime:
    """The oldest kept value of the region and period still fresh (what a page shows was computed then), or
    now when nothing is kept."""
    from jiuye.targets.models import KpiSnapshot

    at = (KpiSnapshot.objects.filter(region_id=region_code, period=period.code,
                                     computed_at__gte=_cutoff(period, timezone.now()))
          .aggregate(at=Min("computed_at"))["at"])
    return at or timezone.now()


# -- precomputing -----------------------------------------------------------------------------------------------

def current_periods(today: datetime.date | None = None) -> list:
    """What the dashboard shows by default: the last full month (its default) and the 11 months before it (its
    trends), the running month, quarter and year, and the year to date of each (a year's target is compared
    with the figure from 1 January), without repeats."""
    today = today or timezone.localdate()
    running = period_of(today, MONTH)
    months = [running.previous()]
    for _i in range(11):
        months.append(months[-1].previous())
    base = [*reversed(months), running, period_of(today, QUARTER), period_of(today, YEAR)]
    out: dict = {}
    for p in base:
        out.setdefault(p.code, p)
        ytd = year_to_date(p)
        out.setdefault(ytd.code, ytd)
    return list(out.values())


def default_periods(today: datetime.date | None = None) -> list:
    """The dashboard's default view only: the last full month and its year to date (the demo's quick start)."""
    last = period_of(today or timezone.localdate(), MONTH).previous()
    return list({p.code: p for p in (last, year_to_date(last))}.values())


def refresh(periods: Sequence[Period], region_codes: Sequence[str] | None = None) -> int:
    """Compute every KPI of every region (or ``region_codes``) for ``periods`` and keep the values;
    returns how many values were kept."""
    from jiuye.regions.models import Region

    regions = list(region_codes) if region_codes is not None else list(
        Region.objects.order_by("code").values_list("code", flat=True))
    kept = 0
    for period in periods:
        now = timezone.now()
        values = compute(regions, period)
        _keep(values.values(), period, now)
        kept += len(values)
    return kept


# -- invalidation -------------------------------------------------------------------------------------------------

def invalidate(since: datetime.date | None = None, kpis: Iterable[str] | None = None) -> int:
    """Delete the kept values of periods ending on or after ``since`` (every period when None), of ``kpis``
    (every KPI when None). Returns how many were deleted."""
    from jiuye.targets.models import KpiSnapshot

    qs = KpiSnapshot.objects.all()
    if since is not None:
        qs = qs.filter(period_end__gte=since)
    if kpis is not None:
        qs = qs.filter(kpi__in=list(kpis))
    return qs.delete()[0]


def earliest_registration(ids: Iterable[int]) -> datetime.date | None:
    from jiuye.registry.models import Registration

    ids = [i for i in ids if i is not None]
    earliest = None
    for i in range(0, len(ids), _CHUNK):
        d = Registration.objects.filter(pk__in=ids[i:i + _CHUNK]).aggregate(d=Min("effective_date"))["d"]
        if d is not None and (earliest is None or d < earliest):
            earliest = d
    return earliest
