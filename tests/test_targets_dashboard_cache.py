"""Kept KPI values (targets/kpis/cache.py): the same answer as compute, kept, recomputed when stale, and
deleted when the registrations of their period change."""
from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiuye.monitoring.periods import parse_period
from jiuye.registry import services
from jiuye.targets.kpis import cache
from jiuye.targets.kpis.compute import KpiValue
from jiuye.targets.models import KpiSnapshot
from tests.conftest import COMMUNITY_A1, COMMUNITY_B1, STREET_A, STREET_B, XINCHENG

pytestmark = pytest.mark.django_db


class FakeCompute:
    """compute() stand-in: a value derived from the call number, so a recomputation is visible."""

    def __init__(self):
        self.calls = []

    def __call__(self, region_codes, period, *, codes=None, known_on=None):
        from jiuye.targets.kpis.catalogue import KPIS

        self.calls.append((tuple(region_codes), period.code, tuple(codes) if codes is not None else None))
        n = len(self.calls)
        wanted = list(codes) if codes is not None else list(KPIS)
        return {(r, c): KpiValue(c, r, period.code, Decimal(n) + Decimal("0.125"),
                                 {"gross": Decimal("10.50"), "n": n, "on": datetime.date(2026, 1, 31)}, "registry")
                for r in region_codes for c in wanted}


@pytest.fixture
def fake(monkeypatch):
    f = FakeCompute()
    monkeypatch.setattr(cache, "compute", f)
    return f


def test_kept_value_reads_back_exactly_and_is_not_recomputed(regions, fake):
    period = parse_period("2026-03")
    first = cache.compute_cached([XINCHENG, STREET_A], period, codes=["new_urban_jobs", "hte_employed"])
    assert len(fake.calls) == 1
    again = cache.compute_cached([XINCHENG, STREET_A], period, codes=["new_urban_jobs", "hte_employed"])
    assert len(fake.calls) == 1  # from the kept values
    assert again == first
    value = again[(XINCHENG, "new_urban_jobs")]
    assert value.value == Decimal("1.125") and value.components["gross"] == Decimal("10.50")
    assert value.components["on"] == datetime.date(2026, 1, 31)
    assert KpiSnapshot.objects.count() == 4


def test_only_missing_values_are_computed(regions, fake):
    period = parse_period("2026-Q1")
    cache.compute_cached([XINCHENG], period, codes=["new_urban_jobs"])
    out = cache.compute_cached([XINCHENG, STREET_B], period, codes=["new_urban_jobs"])
    assert fake.calls[-1] == ((STREET_B,), "2026-Q1", ("new_urban_jobs",))
    assert out[(XINCHENG, "new_urban_jobs")].value == Decimal("1.125")
    assert out[(STREET_B, "new_urban_jobs")].value == Decimal("2.125")


def test_none_values_are_kept_as_none(regions, monkeypatch):
    def unknown(region_codes, period, *, codes=None, known_on=None):
        from jiuye.targets.kpis.catalogue import KPIS

        return {(r, c): KpiValue(c, r, period.code, None) for r in region_codes for c in (codes or list(KPIS))}

    monkeypatch.setattr(cache, "compute", unknown)
    out = cache.compute_cached([XINCHENG], parse_period("2025"))
    assert all(v.value is None for v in out.values())
    assert cache.compute_cached([XINCHENG], parse_period("2025")) == out


def test_open_period_recomputed_after_freshness(regions, fake, settings):
    settings.JIUYE_KPI_FRESH_SECONDS = 600
    today = timezone.localdate()
    period = parse_period(today.strftime("%Y-%m"))
    cache.compute_cached([XINCHENG], period, codes=["new_urban_jobs"])
    KpiSnapshot.objects.update(computed_at=timezone.now() - datetime.timedelta(seconds=601))
    out = cache.compute_cached([XINCHENG], period, codes=["new_urban_jobs"])
    assert len(fake.calls) == 2 and out[(XINCHENG, "new_urban_jobs")].value == Decimal("2.125")
    assert KpiSnapshot.objects.count() == 1  # replaced, not added


def test_closed_period_kept_longer_than_open_freshness(regions, fake, settings):
    settings.JIUYE_KPI_FRESH_SECONDS = 600
    settings.JIUYE_KPI_MAX_AGE_SECONDS = 86400
    period = parse_period("2024-05")
    cache.compute_cached([XINCHENG], period, codes=["new_urban_jobs"])
    KpiSnapshot.objects.update(computed_at=timezone.now() - datetime.timedelta(hours=2))
    cache.compute_cached([XINCHENG], period, codes=["new_urban_jobs"])
    assert len(fake.calls) == 1
    KpiSnapshot.objects.update(computed_at=timezone.now() - datetime.timedelta(days=2))
    cache.compute_cached([XINCHENG], period, codes=["new_urban_jobs"])
    assert len(fake.calls) == 2


def test_computed_at_is_the_oldest_value_shown(regions, fake):
    period = parse_period("2024-05")
    cache.compute_cached([XINCHENG], period, codes=["new_urban_jobs", "hte_employed"])
    old = timezone.now() - datetime.timedelta(hours=3)
    KpiSnapshot.objects.filter(kpi="hte_employed").update(computed_at=old)
    assert abs((cache.computed_at(XINCHENG, period) - old).total_seconds()) < 1


def test_registration_deletes_kept_values_of_its_period_and_later(regions, fake, make_person, district_officer):
    for code in ("2024-04", "2024-05", "2024-06", "2024-Q2", "2024", "2023"):
        cache.compute_cached([XINCHENG, COMMUNITY_A1], parse_period(code), codes=["new_urban_jobs"])
    person = make_person(region=COMMUNITY_A1)
    services.register_employment(actor=district_officer, person=person, effective_date=datetime.date(2024, 5, 10),
                                 employment_form="flexible")
    left = set(KpiSnapshot.objects.values_list("period", flat=True))
    assert left == {"2024-04", "2023"}  # April 2024 and 2023 ended before 10 May 2024


def test_correction_uses_the_earlier_of_old_and_new_dates(regions, fake, make_person, district_officer):
    person = make_person(region=COMMUNITY_B1)
    entry = services.register_unemployment(actor=district_officer, person=person,
                                           effective_date=datetime.date(2024, 6, 3), unemployment_reason="resigned")
    for code in ("2024-02", "2024-03", "2024-06"):
        cache.compute_cached([XINCHENG], parse_period(code), codes=["registered_urban_unemployed"])
    services.correct_registration(actor=district_officer, registration=entry, reason="日期录错",
                                  effective_date=datetime.date(2024, 3, 1), unemployment_reason="resigned")
    assert set(KpiSnapshot.objects.values_list("period", flat=True)) == {"2024-02"}


def test_person_change_of_uncounted_field_keeps_values(regions, fake, make_person, district_officer):
    person = make_person(region=COMMUNITY_A1)
    cache.compute_cached([XINCHENG], parse_period("2024"), codes=["avg_schooling_years", "new_urban_jobs"])
    services.update_person(actor=district_officer, person=person, phone="13800000000")
    assert KpiSnapshot.objects.count() == 2
    services.update_person(actor=district_officer, person=person, education="bachelor")
    assert KpiSnapshot.objects.count() == 0


def test_kpi_refresh_command_precomputes_every_region(regions, fake):
    from jiuye.regions.models import Region

    call_command("kpi_refresh", "--period", "2024-05", "--period", "2024", "--region", "610102")
    under = Region.objects.filter(code__startswith="610102").count()
    from jiuye.targets.kpis.catalogue import KPIS

    assert KpiSnapshot.objects.filter(period="2024-05").count() == under * len(KPIS)
    assert KpiSnapshot.objects.filter(period="2024").count() == under * len(KPIS)
    calls = len(fake.calls)
    cache.compute_cached([STREET_A, COMMUNITY_A1], parse_period("2024-05"))
    assert len(fake.calls) == calls


def test_kpi_refresh_refuses_bad_period(regions):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="无法识别的统计期"):
        call_command("kpi_refresh", "--period", "2024-13x")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(regions_drawn=st.lists(st.sampled_from([XINCHENG, STREET_A, STREET_B, COMMUNITY_A1, COMMUNITY_B1]), min_size=1,
                              max_size=5),
       codes=st.one_of(st.none(), st.lists(st.sampled_from(["new_urban_jobs", "hte_employed",
                                                            "registered_unemployment_rate", "urban_employed"]),
                                           min_size=1, max_size=4)),
       warm=st.booleans())
def test_cached_equals_compute(regions, monkeypatch, regions_drawn, codes, warm):
    """Whatever is kept, compute_cached answers exactly what compute answers (a deterministic compute)."""

    def deterministic(region_codes, period, *, codes=None, known_on=None):
        from jiuye.targets.kpis.catalogue import KPIS

        wanted = list(codes) if codes is not None else list(KPIS)
        return {(r, c): KpiValue(c, r, period.code, Decimal(int(r[-4:]) + len(c)) / 7 if c != "urban_employed" else None,
                                 {"parts": [Decimal("1.5"), 2], "src": c}, "市统计局" if c == "urban_employed" else "registry")
                for r in region_codes for c in wanted}

    monkeypatch.setattr(cache, "compute", deterministic)
    KpiSnapshot.objects.all().delete()
    period = parse_period("2025-Q3")
    if warm:
        cache.compute_cached(regions_drawn[:1], period, codes=codes)
    assert cache.compute_cached(regions_drawn, period, codes=codes) == deterministic(regions_drawn, period, codes=codes)


def test_default_refresh_covers_what_the_dashboard_shows():
    codes = [p.code for p in cache.current_periods(datetime.date(2026, 12, 1))]
    assert len(codes) == len(set(codes))
    for code in ("2025-12", "2026-11", "2026-12", "2026-Q4", "2026", "2026-01..2026-11", "2026-01..2026-12"):
        assert code in codes, code
    assert "2025-11" not in codes  # 12 full months back only


def test_demo_load_precomputes_the_default_view(regions, fake):
    from jiuye.registry import events
    from jiuye.targets.kpis.cache_receivers import _loaded

    KpiSnapshot.objects.create(region_id=XINCHENG, period="2020-01", period_start=datetime.date(2020, 1, 1),
                               period_end=datetime.date(2020, 1, 31), kpi="new_urban_jobs", value="1")
    line = _loaded(sender=None, today=datetime.date(2026, 12, 1), demo=True)
    assert "指标缓存" in line
    assert set(KpiSnapshot.objects.values_list("period", flat=True)) == {"2026-11", "2026-01..2026-11"}
    events.registry_loaded.send(sender=None, today=datetime.date(2026, 12, 1), demo=False)
    assert not KpiSnapshot.objects.exists()  # a bulk load without the demo: everything dropped
