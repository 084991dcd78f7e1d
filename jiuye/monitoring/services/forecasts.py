"""Forecast runs: fit each rate series of the districts and streets, store the points, intervals and backtest,
and warn (kind "forecast", key ``forecast:{indicator}:{region}``) when the 80% interval of a coming month
reaches that series' own limit (registered rate: ``registered_limit``; surveyed rate: ``surveyed_limit``).

Series: the registered rate exists only for months whose urban employed has been entered; the series
forecast is the unbroken run of months ending at the latest one (a gap is never filled). The surveyed rate
is the entered values, the same way. Communities are not forecast (a few dozen unemployed: the rate jumps
by whole persons; see docs/monitoring/unemployment.md).
"""
from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.monitoring import forecast as fc
from jiuye.monitoring.models import ForecastRun, RateIndicator, SeriesIndicator, StatSeriesValue, WarningKind
from jiuye.monitoring.periods import month_start
from jiuye.monitoring.queries import unemployment as q
from jiuye.monitoring.services.series import last_closed_month
from jiuye.monitoring.services.warnings import raise_warning
from jiuye.regions.codes import significant_prefix
from jiuye.regions.models import Region


def _tail(values: dict[datetime.date, Decimal]) -> list[tuple[datetime.date, float]]:
    """The unbroken run of months ending at the latest month of ``values``."""
    if not values:
        return []
    months = sorted(values)
    run = [months[-1]]
    for m in reversed(months[:-1]):
        if q.add_months(run[-1], -1) != m:
            break
        run.append(m)
    return [(m, float(values[m])) for m in reversed(run)]


def rate_series(regions: list[Region], today: datetime.date) -> dict[tuple[str, str], list[tuple[datetime.date, float]]]:
    """{(region code, indicator): [(month, rate)]} for every region, set-based: one series read and one
    spells query per region level over every month with an urban employed value."""
    codes = [r.code for r in regions]
    last = last_closed_month(today)
    employed: dict[str, dict[datetime.date, Decimal]] = {}
    surveyed: dict[str, dict[datetime.date, Decimal]] = {}
    for code, ind, month, value in (StatSeriesValue.objects.filter(region_id__in=codes, is_current=True)
                                    .values_list("region_id", "indicator", "month", "value")):
        if ind == SeriesIndicator.URBAN_EMPLOYED and month <= last:
            employed.setdefault(code, {})[month] = value
        elif ind == SeriesIndicator.SURVEYED_RATE and month <= month_start(today):
            surveyed.setdefault(code, {})[month] = value
    counts: dict = {}
    by_width: dict[int, set[datetime.date]] = {}
    for code, months in employed.items():
        by_width.setdefault(len(significant_prefix(code)), set()).update(q.month_end(m) for m in months)
    for width, ends in by_width.items():
        counts.update(q.unemployed_counts(sorted(ends), prefix="", width=width))
    out = {}
    for code, months in employed.items():
        rates = {m: q.registered_rate(counts.get((code, q.month_end(m)), 0), e) for m, e in months.items()}
        out[(code, RateIndicator.REGISTERED_RATE)] = _tail({m: r for m, r in rates.items() if r is not None})
    for code, months in surveyed.items():
        out[(code, RateIndicator.SURVEYED_RATE)] = _tail(months)
    return out


def _limit(code: str, indicator: str, on: datetime.date):
    lim = q.limits_of(code, on)
    return lim["registered"] if indicator == RateIndicator.REGISTERED_RATE else lim["surveyed"]


def run_one(region: Region, indicator: str, series: list[tuple[datetime.date, float]], *, today: datetime.date,
            actor=None) -> ForecastRun:
    """Fit, store and (when a limit is at risk) warn, in one transaction."""
    with transaction.atomic():
        if not series:
            return ForecastRun.objects.create(region=region, indicator=indicator, made_on=today,
                                              message=_("没有可用的数据（未录入分母或统计数据）"))
        last_month = series[-1][0]
        limit = _limit(region.code, indicator, q.month_end(last_month))
        try:
            result = fc.forecast([v for _m, v in series], last_month)
        except fc.TooShort as exc:
            return ForecastRun.objects.create(region=region, indicator=indicator, made_on=today, last_month=last_month,
                                              observations=len(series), message=str(exc), limit=limit)
        crossing = fc.crossing(result.points, float(limit) if limit is not None else None)
        run = ForecastRun.objects.create(
            region=region, indicator=indicator, made_on=today, last_month=last_month, observations=result.observations,
            model_name=result.model_name, points=result.points, backtest=result.backtest, limit=limit, crossing=crossing)
        if crossing:
            name = str(RateIndicator(indicator).label)
            y, m = crossing["month"].split("-")
            title = _("%(r)s %(n)s预计%(y)s年%(m)s月越过控制目标%(l)s%%") % {
                "r": region.name, "n": name, "y": y, "m": int(m), "l": Decimal(limit).normalize()}
            detail = _("预测%(y)s年%(m)s月%(n)s为%(v).2f%%（80%%预测区间%(lo).2f%%–%(hi).2f%%，95%%区间%(lo95).2f%%–%(hi95).2f%%），"
                       "达到或超过控制目标%(l)s%%的概率约%(p).0f%%；模型%(model)s，依据截至%(last)s的%(k)s个月数据。") % {
                "y": y, "m": int(m), "n": name, "v": crossing["mean"], "lo": crossing["lo80"], "hi": crossing["hi80"],
                "lo95": crossing["lo95"], "hi95": crossing["hi95"], "l": Decimal(limit).normalize(),
                "p": crossing["probability"] * 100, "model": result.model_name, "last": last_month.strftime("%Y-%m"),
                "k": result.observations}
            raise_warning(kind=WarningKind.FORECAST, key=f"forecast:{indicator}:{region.code}", region_id=region.code,
                          level=crossing["level"], title=title, since=datetime.date(int(y), int(m), 1), detail=detail,
                          facts={"indicator": indicator, "run": run.pk, **crossing}, actor=actor)
        return run


def run_forecasts(prefix: str = "", *, today: datetime.date | None = None, actor=None) -> list[ForecastRun]:
    """Refit every district and street under ``prefix`` ('' everywhere) that has a series."""
    today = today or timezone.localdate()
    regions = q.forecast_regions(prefix)
    series = rate_series(regions, today)
    runs = []
    for region in regions:
        for indicator in RateIndicator.values:
            s = series.get((region.code, indicator))
            if s is None:
                continue
            runs.append(run_one(region, indicator, s, today=today, actor=actor))
    return runs


def refresh_monthly(today: datetime.date | None = None) -> list[ForecastRun]:
    """The daily receiver's part: refit once per new month (nothing when a run of this month exists)."""
    today = today or timezone.localdate()
    if ForecastRun.objects.filter(made_on__gte=month_start(today)).exists():
        return []
    return run_forecasts(today=today)
