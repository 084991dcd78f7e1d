"""The targets part of the demo city (``registry.events.registry_loaded`` with ``demo=True``).

1. The seeds' targets (``seeds.load_all``: 西安, 武威, 安康, 新城区 2020; regions missing are skipped).
2. For the demo district (新城区) annual targets for each year of the registry's history: new urban jobs,
   re-employed unemployed, hard-to-employ placed (about 5% above what the registry shows for that year, the
   last year's for the current year, so the dashboard shows live progress against 序时进度), the registered
   unemployment rate under 4% (the district's own document, seed 003) and zero-employment households at 0;
   each broken down to the district's streets by their share of employed persons (largest remainder, so the
   counts add up), the ceilings and the zero target given to every street as they are.
3. Some input values with source "示例数据" (graduate destination rate, training, entrepreneurship) for the
   district, each past year.
Deterministic (a fixed seed); the years that already have a district target are left alone (idempotent).
"""
from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.dispatch import receiver

from jiuye.registry import events

DEMO_SOURCE = "示例数据"
DEMO_PLAN = "新城区年度就业目标任务（示例）"
COUNTS = ("new_urban_jobs", "reemployed_unemployed", "hte_employed")
# Shares of a year's counting employment registrations used when the KPI is not computable yet.
FALLBACK_SHARES = {"new_urban_jobs": Decimal("0.8"), "reemployed_unemployed": Decimal("0.3"),
                   "hte_employed": Decimal("0.06")}


def _registrations_by_year(prefix: str) -> dict[int, int]:
    from django.db.models import Count
    from django.db.models.functions import ExtractYear

    from jiuye.regions.queries import within_q
    from jiuye.registry.models import Registration

    rows = (Registration.objects.filter(within_q(prefix, "registered_in"), kind="employment")
            .annotate(y=ExtractYear("effective_date")).values("y").annotate(n=Count("id")).order_by())
    return {r["y"]: r["n"] for r in rows}


def _kpi_values(code: str, years: list[int]) -> dict[tuple[int, str], Decimal | None]:
    from jiuye.monitoring.periods import YEAR, Period
    from jiuye.targets.kpis.compute import compute

    out = {}
    for y in years:
        values = compute([code], Period(datetime.date(y, 1, 1), YEAR), codes=list(COUNTS))
        for c in COUNTS:
            v = values.get((code, c))
            out[(y, c)] = Decimal(str(v.value)) if v is not None and v.value is not None else None
    return out


def split(total: int, weights: dict[str, int]) -> dict[str, int]:
    """``total`` split by ``weights`` with the largest remainder (the parts add up to ``total``)."""
    whole = sum(weights.values())
    if whole <= 0:
        keys = sorted(weights)
        return {k: total // len(keys) + (1 if i < total % len(keys) else 0) for i, k in enumerate(keys)}
    raw = {k: Decimal(total) * w / whole for k, w in weights.items()}
    parts = {k: int(v) for k, v in raw.items()}
    left = total - sum(parts.values())
    for k in sorted(raw, key=lambda k: (-(raw[k] - parts[k]), k))[:left]:
        parts[k] += 1
    return parts


def seed(today: datetime.date) -> str:
    from django.db import transaction
    from django.db.models import Count

    from jiuye.regions.codes import significant_prefix
    from jiuye.regions.models import Region
    from jiuye.regions.queries import within_q
    from jiuye.registry.models import Person
    from jiuye.targets import seeds, services
    from jiuye.targets.models import InputValue, Target

    reports = seeds.load_all()
    code = (Person.objects.order_by().values_list("region_id", flat=True).first() or "")[:6]
    district = Region.objects.filter(code=code.ljust(12, "0")).first() if code else None
    if district is None:
        return "targets: seeds only"
    prefix = significant_prefix(district.code)
    by_year = _registrations_by_year(prefix)
    if not by_year:
        return "targets: no registrations"
    years = [y for y in range(max(min(by_year), today.year - 9), today.year + 1)]
    streets = list(Region.objects.filter(parent=district).order_by("code"))
    employed = dict(Person.objects.filter(within_q(prefix), employment_status="employed")
                    .values_list("region_id").annotate(n=Count("id")).order_by().values_list("region_id", "n"))
    weights = {s.code: 0 for s in streets}
    for region_code, n in employed.items():
        street = region_code[:9] + "000"
        if street in weights:
            weights[street] += n
    computed = _kpi_values(district.code, [y for y in years if y < today.year])
    rng = random.Random(20261201)
    made = 0
    with transaction.atomic():
        for y in years:
            basis_year = y if y < today.year else y - 1
            for kpi in COUNTS + ("registered_unemployment_rate", "zero_employment_households"):
                existing = Target.objects.filter(region=district, kpi=kpi, start_year=y, end_year=y, scope="annual",
                                                 is_current=True).first()
                if existing is not None:
                    # a target of the seeds (新城区 2020): break it down too, once
                    if streets and not Target.objects.filter(parent=existing, is_current=True).exists():
                        values = (split(int(existing.value), weights) if kpi in COUNTS
                                  else {s.code: existing.value for s in streets})
                        made += len(services.breakdown(None, existing, values, authorised=True))
                    continue
                if kpi in COUNTS:
                    value = computed.get((basis_year, kpi))
                    if value is None:
                        value = FALLBACK_SHARES[kpi] * by_year.get(basis_year, by_year.get(y, 0))
                    number = max(10, int(round(float(value) * 1.05 / 10.0)) * 10)
                    data = {"value": number, "comparator": "at_least"}
                elif kpi == "registered_unemployment_rate":
                    data = {"value": 4, "comparator": "at_most", "value_text": "4%以内"}
                else:
                    data = {"value": 0, "comparator": "equal", "value_text": "动态清零"}
                target = services.create_target(None, {
                    "kpi": kpi, "region": district.code, "plan": DEMO_PLAN, "basis": "示例数据（按新政发〔2020〕28号口径）",
                    "start_year": y, "end_year": y, "scope": "annual", "nature": "expected", **data},
                    source="seed", authorised=True)
                made += 1
                if not streets:
                    continue
                if kpi in COUNTS:
                    values = split(int(target.value), weights)
                else:
                    values = {s.code: target.value for s in streets}
                made += len(services.breakdown(None, target, values, authorised=True))
        last_closed = today.year - 1
        for y in [y for y in years if y <= last_closed]:
            for kpi, value in (("graduate_destination_rate", Decimal(str(round(rng.uniform(89.5, 93.5), 1)))),
                               ("vocational_training_persons", Decimal(str(round(rng.uniform(0.8, 1.6), 2)))),
                               ("entrepreneurship_driven_jobs", Decimal(rng.randint(900, 1500)))):
                if not InputValue.objects.filter(kpi=kpi, region=district, period=str(y), is_current=True).exists():
                    services.enter_input_value(None, kpi=kpi, region_code=district.code, period=str(y), value=value,
                                               source=DEMO_SOURCE, authorised=True)
    loaded = sum(r.created for r in reports)
    return f"targets: {loaded} seed targets, {made} demo targets"


@receiver(events.registry_loaded, dispatch_uid="targets_registry_loaded")
def _on_registry_loaded(sender, today=None, demo=False, **kwargs):
    from django.utils import timezone

    if not demo:
        return None
    return seed(today or timezone.localdate())
