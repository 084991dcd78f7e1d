"""The unemployment part of the demo city (``registry.events.registry_loaded`` with ``demo=True``).

Ten years (120 closed months) of the statistics bureau's series, so the rates, levels and forecasts show:
- 城镇从业人员数 for the district and each street, month by month. The demo registry's ten-year history is
  built backwards from today (few records in the early years), so its employed count times a fixed factor
  would give a rate that climbs for years and then falls. Instead each region gets a plausible rate path
  (about 3.6% for the district, streets spread around it, a small drift, a season and autocorrelated noise)
  and the urban employed is the number that, with the registry's own registered unemployed at that month end
  (the numerator), gives that rate (never less than the registry's registered employed); source
  "示例数据：模拟统计局城镇从业人员数";
- 城镇调查失业率 for the district: a seasonal series around 5% (peaks after the Spring Festival and at
  graduation), source "示例数据：模拟劳动力调查".
Then the warning levels of the latest month and the forecasts. Deterministic (a fixed seed). The series take
under a second; the eleven forecasts with their backtests take most of the time (about 20 s on the 2 shared
cores of the build machine under load).
"""
from __future__ import annotations

import datetime
import math
import random
from decimal import Decimal

from django.dispatch import receiver

from jiuye.registry import events

EMPLOYED_SOURCE = "示例数据：模拟统计局城镇从业人员数"
SURVEYED_SOURCE = "示例数据：模拟劳动力调查"
MONTHS = 120
TARGET_RATE = 0.036


def seed(today: datetime.date) -> str:
    from django.db import transaction

    from jiuye.accounts import audit
    from jiuye.accounts.models import AuditEntry
    from jiuye.monitoring.models import SeriesIndicator, StatSeriesValue
    from jiuye.monitoring.queries import unemployment as q
    from jiuye.monitoring.services import forecasts, series
    from jiuye.regions.codes import significant_prefix
    from jiuye.regions.models import Region
    from jiuye.registry.models import Person

    code = (Person.objects.order_by().values_list("region_id", flat=True).first() or "")[:6]
    district = Region.objects.filter(code=code.ljust(12, "0")).first() if code else None
    if district is None or StatSeriesValue.objects.filter(region=district).exists():
        return ""
    rng = random.Random(20261130)
    streets = list(Region.objects.filter(parent=district).order_by("code"))
    last = series.last_closed_month(today)
    months = [q.add_months(last, -i) for i in range(MONTHS - 1, -1, -1)]
    ends = [q.month_end(m) for m in months]
    prefix = significant_prefix(district.code)
    rows = []
    with transaction.atomic():
        for width, regions in ((9, streets), (6, [district])):
            employed = q.unemployed_counts(ends, prefix=prefix, width=width, kind="employment")
            unemployed = q.unemployed_counts(ends, prefix=prefix, width=width)
            for region in regions:
                # a plausible registered-rate path for this region (level, drift, season, noise) ...
                level = TARGET_RATE * (1 + rng.uniform(-0.25, 0.12)) if width == 9 else TARGET_RATE
                drift, shock = rng.uniform(-0.0004, 0.0004) / 12, 0.0
                for i, (m, d) in enumerate(zip(months, ends)):
                    u = unemployed.get((region.code, d), 0)
                    e = employed.get((region.code, d), 0)
                    if not u or not e:
                        continue
                    shock = 0.7 * shock + rng.gauss(0, 0.0006)
                    rate = level + drift * (i - MONTHS) + 0.0015 * math.cos(2 * math.pi * (m.month - 2) / 12) + shock
                    # ... turned into the urban employed around the registry's employed count: the registry
                    # supplies the numerator, the "bureau" the rest of the denominator
                    value = round(u * (1 - rate) / rate)
                    rows.append(StatSeriesValue(region=region, indicator=SeriesIndicator.URBAN_EMPLOYED, month=m,
                                                value=Decimal(max(value, e)), source=EMPLOYED_SOURCE,
                                                via=StatSeriesValue.Via.DEMO))
        level, shock = 4.7, 0.0
        for i, m in enumerate(months):
            shock = 0.6 * shock + rng.gauss(0, 0.06)
            level += 0.004 + (0.35 if m == datetime.date(2020, 2, 1) else 0) - (0.03 if datetime.date(2020, 3, 1) <= m <= datetime.date(2020, 12, 1) else 0)
            seasonal = 0.18 * math.cos(2 * math.pi * (m.month - 2) / 12) + 0.12 * math.exp(-((m.month - 7) ** 2) / 1.5)
            rate = round(level + seasonal + shock, 1)
            rows.append(StatSeriesValue(region=district, indicator=SeriesIndicator.SURVEYED_RATE, month=m,
                                        value=Decimal(str(rate)), source=SURVEYED_SOURCE, via=StatSeriesValue.Via.DEMO))
        StatSeriesValue.objects.bulk_create(rows, batch_size=2000)
        audit.record(None, AuditEntry.Action.CREATE, object_type="stat_series", object_id="", object_label=district.name,
                     region_code=district.code, changes={"values": len(rows)}, summary="示例数据：统计部门数据")
        raised = series.evaluate_levels(today=today)
    runs = forecasts.run_forecasts(prefix, today=today)
    crossing = sum(1 for r in runs if r.crossing)
    return f"统计部门数据：{len(rows)}个月度数值；失业率预警{len(raised)}项；失业率预测{len(runs)}项（{crossing}项预计越限）"


@receiver(events.registry_loaded, dispatch_uid="monitoring_unemployment_registry_loaded")
def _on_registry_loaded(sender, today=None, demo=False, **kwargs):
    from django.utils import timezone

    if not demo:
        return ""
    return seed(today or timezone.localdate())
