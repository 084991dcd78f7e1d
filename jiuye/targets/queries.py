"""Reads of the targets app: KPI values against targets, 序时进度, status and ranking (scoped).

INTERFACE (frozen; the targets part fills in the bodies; the dashboard, reports and API call these):

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

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def overview(user, region_code: str | None, period: Period, *, codes: Iterable[str] | None = None,
             known_on=None) -> list[KpiStatus]:
    # Scaffold stub (the targets part replaces it).
    from jiuye.regions.models import Region
    region = Region.objects.get(code=region_code) if region_code else user.region
    wanted = list(codes) if codes is not None else list(KPIS)
    return [KpiStatus(KPIS[c], region.code, region.name, period, None) for c in wanted]


def children(user, region_code: str, period: Period, kpi_code: str, *, known_on=None) -> list[KpiStatus]:
    from jiuye.regions.models import Region
    return [KpiStatus(KPIS[kpi_code], r.code, r.name, period, None)
            for r in Region.objects.filter(parent_id=region_code).order_by("code")]


def trend(user, region_code: str, kpi_code: str, periods: Sequence[Period], *, known_on=None) -> list[KpiStatus]:
    from jiuye.regions.models import Region
    region = Region.objects.get(code=region_code)
    return [KpiStatus(KPIS[kpi_code], region.code, region.name, p, None) for p in periods]


def targets_of(user, region_code: str, *, year: int | None = None) -> list[Target]:
    return []
