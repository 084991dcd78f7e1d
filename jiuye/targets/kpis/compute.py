"""Computing KPIs (指标计算): every computed KPI of the catalogue for many regions and one period, set-based.

INTERFACE (frozen; the kpis part fills in the bodies; other parts call only these):

``compute(region_codes, period, *, codes=None, known_on=None) -> dict[(region_code, kpi_code), KpiValue]``
    ``region_codes``: 12-digit codes of any level (a node and its children, or every region of a city);
    ``period``: a ``monitoring.periods.Period``; ``codes``: KPI codes (default: every KPI of the catalogue,
    input series included: their current value for the region and period, or None); ``known_on``: the
    registry and the inputs as known at that time (a kept report is reproduced with it).
    Additive KPIs of a node equal the sum over its children (each person is attributed once, to the 登记地
    of the registration that counts them).

``records(user, kpi_code, region_code, period, *, known_on=None) -> QuerySet``
    The persons (or households) behind a computed count, scoped to ``user``; OutOfScope outside it.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable, Sequence

from jiuye.monitoring.periods import Period


@dataclass
class KpiValue:
    kpi: str
    region_code: str
    period: str  # Period.code
    value: Decimal | None  # None: not computable (no denominator entered, no input value)
    components: dict = field(default_factory=dict)  # e.g. {"gross": 900, "attrition": 30}
    source: str = "registry"  # "registry", or an input value's source (市统计局 ...)


def compute(region_codes: Sequence[str], period: Period, *, codes: Iterable[str] | None = None,
            known_on: datetime.datetime | datetime.date | None = None) -> dict[tuple[str, str], KpiValue]:
    # Scaffold stub (the kpis part replaces it): every value unknown.
    from jiuye.targets.kpis.catalogue import KPIS
    wanted = list(codes) if codes is not None else list(KPIS)
    return {(r, c): KpiValue(c, r, period.code, None) for r in region_codes for c in wanted}


def records(user, kpi_code: str, region_code: str, period: Period, *, known_on=None):
    raise NotImplementedError
