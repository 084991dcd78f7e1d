"""Forecasts of the unemployment rates: intervals around the mean that widen with the horizon, the backtest's
error, a refusal below the minimum length, the warning when a limit is forecast to be crossed, and the stored
run shown on the page and through the API without refitting."""
import datetime
import math
import random
from decimal import Decimal

import pytest
from django.test import Client

from jiuye.monitoring import forecast as fc
from jiuye.monitoring.models import ForecastRun, StatSeriesValue, Warning
from jiuye.monitoring.queries import unemployment as q
from jiuye.monitoring.services import forecasts
from jiuye.regions.models import Region
from jiuye.registry import services as registry
from tests.conftest import COMMUNITY_A1, STREET_A, XINCHENG

D = datetime.date
TODAY = D(2026, 11, 30)


def seasonal(n, level=5.0, trend=0.0, seed=3):
    rng = random.Random(seed)
    shock, out = 0.0, []
    for t in range(n):
        shock = 0.5 * shock + rng.gauss(0, 0.05)
        out.append(round(level + trend * t + 0.2 * math.cos(2 * math.pi * t / 12) + shock, 2))
    return out


def test_intervals_contain_the_mean_and_widen_with_the_horizon():
    result = fc.forecast(seasonal(120), D(2026, 10, 1))
    assert result.model_name == fc.SEASONAL_NAME and len(result.points) == 6
    assert [p["month"] for p in result.points] == ["2026-11", "2026-12", "2027-01", "2027-02", "2027-03", "2027-04"]
    for p in result.points:
        assert p["lo95"] <= p["lo80"] <= p["mean"] <= p["hi80"] <= p["hi95"]
    widths = [p["hi95"] - p["lo95"] for p in result.points]
    assert all(b > a for a, b in zip(widths, widths[1:]))


def test_the_backtest_reports_its_error_and_coverage():
    bt = fc.forecast(seasonal(120), D(2026, 10, 1)).backtest
    assert bt["origins"] == 12 and bt["forecasts"] == 57  # 6 × 7 + 5 + 4 + 3 + 2 + 1
    assert 0 < bt["mae"] < 0.5 and 0 < bt["mape"] < 10
    assert 0 <= bt["coverage80"] <= bt["coverage95"] <= 1
    assert set(bt["mae_by_horizon"]) == {"1", "2", "3", "4", "5", "6"}


def test_short_series_fall_back_and_too_short_ones_are_refused():
    short = fc.forecast(seasonal(20), D(2026, 10, 1))
    assert short.model_name == fc.SIMPLE_NAME and short.backtest == {}
    with pytest.raises(fc.TooShort, match="仅有11个月.*12个月"):
        fc.forecast(seasonal(11), D(2026, 10, 1))


def test_crossing_names_the_month_and_the_probability():
    rising = fc.forecast(seasonal(60, level=4.6, trend=0.02), D(2026, 10, 1))
    crossing = fc.crossing(rising.points, 5.5)
    assert crossing is not None and crossing["level"] in ("yellow", "orange", "red")
    assert crossing["month"] in [p["month"] for p in rising.points] and 0 < crossing["probability"] <= 1
    assert fc.crossing(fc.forecast(seasonal(60, level=4.0), D(2026, 10, 1)).points, 5.5) is None


@pytest.fixture
def district_series(regions, district_officer):
    """48 months of a surveyed rate rising towards 西安's 5.5% ceiling for the district."""
    last = D(2026, 10, 1)
    values = seasonal(48, level=4.9, trend=0.015)
    StatSeriesValue.objects.bulk_create([
        StatSeriesValue(region_id=XINCHENG, indicator="surveyed_rate", month=q.add_months(last, i - 47),
                        value=Decimal(str(v)), source="模拟劳动力调查") for i, v in enumerate(values)])
    return values


def test_a_run_is_stored_and_warns_when_the_ceiling_is_forecast_to_be_crossed(district_series, district_officer):
    runs = forecasts.run_forecasts("610102", today=TODAY)
    run = ForecastRun.objects.get(region_id=XINCHENG, indicator="surveyed_rate")
    assert run in runs and run.model_name == fc.SEASONAL_NAME and run.observations == 48 and run.limit == Decimal("5.5")
    assert run.backtest["mae"] > 0 and len(run.points) == 6
    warning = Warning.objects.get(kind="forecast", key=f"forecast:surveyed_rate:{XINCHENG}")
    assert warning.level == run.crossing["level"] and "概率" in warning.detail and "80%预测区间" in warning.detail
    client = Client()
    client.force_login(district_officer)
    page = client.get(f"/monitoring/unemployment/{XINCHENG}/")
    body = page.content.decode()
    assert page.status_code == 200 and 'data-testid="forecast-table"' in body and "MAE" in body and "MAPE" in body
    api = client.get(f"/api/v1/monitoring/unemployment/{XINCHENG}/forecasts").json()
    assert [r["points"] for r in api if r["indicator"] == "surveyed_rate"] == [run.points]
    assert forecasts.refresh_monthly(TODAY) == []  # once per month: already run this month


def test_registered_rate_series_are_forecast_from_the_months_with_a_denominator(regions, make_person, district_officer):
    Region.objects.filter(code=COMMUNITY_A1).update(urban_rural="111")
    for _ in range(3):
        p = make_person(region=COMMUNITY_A1)
        registry.register_unemployment(actor=district_officer, person=p, effective_date=D(2023, 1, 5),
                                       unemployment_reason="dismissed")
    last = D(2026, 10, 1)
    StatSeriesValue.objects.bulk_create([
        StatSeriesValue(region_id=STREET_A, indicator="urban_employed", month=q.add_months(last, -i), value=Decimal(100 + i % 5),
                        source="模拟") for i in range(24) if i != 15])  # a gap: only the unbroken run is used
    run = forecasts.run_forecasts(STREET_A[:9], today=TODAY)[0]
    assert run.indicator == "registered_rate" and run.observations == 15 and run.model_name == fc.SIMPLE_NAME
    assert run.last_month == last


def test_a_region_without_data_says_why(regions, district_officer):
    StatSeriesValue.objects.create(region_id=XINCHENG, indicator="surveyed_rate", month=D(2026, 10, 1), value=5, source="x")
    run = forecasts.run_forecasts("610102", today=TODAY)[0]
    assert run.points == [] and "至少需要连续12个月" in run.message
