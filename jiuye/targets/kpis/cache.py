"""Kept KPI values for fast pages (the dashboard part owns this module).

INTERFACE (frozen): ``compute_cached(region_codes, period, *, codes=None) -> dict[(region_code, kpi), KpiValue]``
returns what ``compute`` would return for the data as they are now, from kept values when they are fresh
enough, computing (and keeping) the missing ones. ``queries.overview``/``children``/``trend`` call it when no
``known_on`` is asked; with ``known_on`` they call ``compute`` directly. ``computed_at(region_code, period)``:
when the values shown were computed (pages print "数据截至 …").
"""
from __future__ import annotations

import datetime
from typing import Iterable, Sequence

from django.utils import timezone

from jiuye.monitoring.periods import Period
from jiuye.targets.kpis.compute import KpiValue, compute


def compute_cached(region_codes: Sequence[str], period: Period, *,
                   codes: Iterable[str] | None = None) -> dict[tuple[str, str], KpiValue]:
    # Scaffold stub (the dashboard part replaces it): no keeping.
    return compute(region_codes, period, codes=codes)


def computed_at(region_code: str, period: Period) -> datetime.datetime:
    return timezone.now()
