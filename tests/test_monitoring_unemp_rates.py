"""The registered urban unemployment rate, the statistics bureau's series and the warning levels (issue 11 scope 4):
what a manager and a reader see on the pages and through the API."""
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from jiuye.accounts.scoping import OutOfScope
from jiuye.monitoring import levels
from jiuye.monitoring.models import StatSeriesValue, Warning
from jiuye.monitoring.queries import unemployment as q
from jiuye.monitoring.services import series
from jiuye.regions.models import Region
from jiuye.registry import events
from jiuye.registry import services as registry
from tests.conftest import COMMUNITY_A1, COMMUNITY_B1, STREET_A, STREET_B, XINCHENG

D = datetime.date
JUNE = D(2025, 6, 1)
TODAY = D(2026, 11, 30)


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.fixture
def urban(regions):
    Region.objects.filter(code__startswith="610102").filter(level=5).update(urban_rural="111")


@pytest.fixture
def unemployed(urban, make_person, district_officer):
    """Two registered unemployed in street A (A1) since May 2025 and one in street B (B1)."""
    people = []
    for region in (COMMUNITY_A1, COMMUNITY_A1, COMMUNITY_B1):
        p = make_person(region=region)
        registry.register_unemployment(actor=district_officer, person=p, effective_date=D(2025, 5, 10),
                                       unemployment_reason="dismissed")
        people.append(p)
    return people


def enter(user, region, indicator, month, value, source="西安市统计局 2025年6月", reason="", **kw):
    return series.enter_value(user, region_code=region, indicator=indicator, month=month, value=value, source=source,
                              reason=reason, today=TODAY, **kw)


# ---------------------------------------------------------------------------------------------
# The rate exists only with its denominator


def test_rate_is_absent_without_a_denominator(unemployed, district_officer):
    rows = {r.region.code: r for r in q.region_table(district_officer, JUNE, XINCHENG)}
    assert rows[STREET_A].unemployed == 2 and rows[STREET_B].unemployed == 1 and rows[XINCHENG].unemployed == 3
    assert all(r.rate is None for r in rows.values())
    page = client_for(district_officer).get("/monitoring/unemployment/", {"month": "2025-06"})
    assert page.status_code == 200 and "未录入分母" in page.content.decode()

    enter(district_officer, STREET_A, "urban_employed", JUNE, "98")
    rows = {r.region.code: r for r in q.region_table(district_officer, JUNE, XINCHENG)}
    assert rows[STREET_A].rate == Decimal("2.00")  # 2 / (98 + 2)
    assert rows[STREET_B].rate is None and rows[XINCHENG].rate is None  # never borrowed from another region
    july = {r.region.code: r for r in q.region_table(district_officer, D(2025, 7, 1), XINCHENG)}
    assert july[STREET_A].rate is None  # nor from another month


def test_a_correction_is_a_new_version_and_keeps_the_old(unemployed, district_officer):
    first, what = enter(district_officer, STREET_A, "urban_employed", JUNE, "98")
    assert what == "created"
    assert enter(district_officer, STREET_A, "urban_employed", JUNE, "98")[1] == "unchanged"
    with pytest.raises(ValidationError) as exc:
        enter(district_officer, STREET_A, "urban_employed", JUNE, "198")
    assert "reason" in exc.value.message_dict and "98" in exc.value.message_dict["reason"][0]
    second, what = enter(district_officer, STREET_A, "urban_employed", JUNE, "198", reason="统计局修订")
    assert what == "corrected" and second.version == 2
    versions = list(StatSeriesValue.objects.filter(region_id=STREET_A, month=JUNE).order_by("version"))
    assert [(v.value, v.is_current) for v in versions] == [(Decimal("98"), False), (Decimal("198"), True)]
    rows = {r.region.code: r for r in q.region_table(district_officer, JUNE, XINCHENG)}
    assert rows[STREET_A].rate == Decimal("1.00")
    page = client_for(district_officer).get(f"/monitoring/series/{STREET_A}/urban_employed/2025-06/")
    assert page.status_code == 200 and page.content.decode().count('data-testid="version-row"') == 2


def test_every_field_is_checked_at_once_in_chinese(urban, district_officer):
    with pytest.raises(ValidationError) as exc:
        series.enter_value(district_officer, region_code="999999", indicator="nonsense", month=D(2030, 1, 1),
                           value="很多", source="", today=TODAY)
    errors = exc.value.message_dict
    assert set(errors) == {"region", "indicator", "month", "value", "source"}
    assert "999999" in errors["region"][0] and "2030-01" in errors["month"][0] and "很多" in errors["value"][0]
    with pytest.raises(ValidationError) as exc:
        enter(district_officer, STREET_A, "surveyed_rate", JUNE, "105")
    assert "105" in exc.value.message_dict["value"][0]


def test_only_managers_of_the_scope_enter_series(urban, district_officer, street_officer, community_worker):
    for user in (street_officer, community_worker):
        with pytest.raises(OutOfScope):
            enter(user, COMMUNITY_A1, "urban_employed", JUNE, "100")
    assert client_for(community_worker).get("/monitoring/series/new/").status_code == 403
    Region.objects.get_or_create(code="610103000000", defaults={"name": "碑林区", "level": 3, "parent_id": "610100000000"})
    with pytest.raises(OutOfScope):
        enter(district_officer, "610103000000", "urban_employed", JUNE, "100")


# ---------------------------------------------------------------------------------------------
# Levels and warnings


@pytest.mark.parametrize("rate,level", [("3.39", None), ("3.4", "blue"), ("3.79", "blue"), ("3.8", "yellow"),
                                        ("3.99", "yellow"), ("4", "orange"), ("4.39", "orange"), ("4.4", "red")])
def test_levels_at_their_edges(rate, level):
    assert levels.level_of(Decimal(rate), Decimal("4"), (Decimal("0.85"), Decimal("0.95"), Decimal("1.0"), Decimal("1.1"))) == level


def test_limits_come_from_the_dated_parameters(regions):
    lim = q.limits_of(COMMUNITY_A1, D(2025, 6, 30))
    assert lim["registered"] == Decimal("4") and lim["surveyed"] == Decimal("5.5")  # 新城区 4%; 西安市 5.5%
    assert q.limits_of("610100000000", D(2025, 6, 30))["registered"] == Decimal("5")  # 西安市 ＜5


def test_the_request_that_saves_a_value_over_the_line_raises_the_warning(unemployed, district_officer):
    client = client_for(district_officer)
    response = client.post("/monitoring/series/new/", {"region": STREET_A, "indicator": "urban_employed", "month": "2025-06",
                                                       "value": "60", "source": "西安市统计局 2025年6月"})
    assert response.status_code == 302
    # 2 / (60 + 2) = 3.23%: under blue (3.4%) — no warning yet
    assert not Warning.objects.filter(kind="registered_rate").exists()
    response = client.post("/monitoring/series/new/", {"region": STREET_A, "indicator": "urban_employed", "month": "2025-06",
                                                       "value": "48", "source": "西安市统计局 2025年6月", "reason": "修订"})
    assert response.status_code == 302
    warning = Warning.objects.get(kind="registered_rate", key=f"registered_rate:{STREET_A}")
    assert warning.level == "orange" and "4.00%" in warning.title  # 2 / 50 reaches the 4% limit
    api = client.post("/api/v1/monitoring/series", {"region_code": XINCHENG, "indicator": "surveyed_rate",
                                                    "month": "2025-06-01", "value": "6.1", "source": "模拟劳动力调查"},
                      content_type="application/json")
    assert api.status_code == 201
    assert Warning.objects.get(kind="surveyed_rate", key=f"surveyed_rate:{XINCHENG}").level == "red"  # 6.1 ≥ 5.5 × 1.1


def test_daily_refresh_evaluates_the_latest_month(unemployed, district_officer):
    enter(district_officer, STREET_B, "urban_employed", JUNE, "20", evaluate=False)  # 1 / 21 = 4.76%
    assert not Warning.objects.exists()
    lines = [line for _r, line in events.daily_refresh.send(sender=None, today=TODAY)]
    assert any("失业率预警" in str(line) for line in lines)
    assert Warning.objects.get(kind="registered_rate").region_id == STREET_B


# ---------------------------------------------------------------------------------------------
# Drill-down, scope, API = web, exports


def test_the_count_opens_to_the_persons_behind_it(unemployed, district_officer):
    client = client_for(district_officer)
    page = client.get(f"/monitoring/unemployment/{STREET_A}/unemployed/", {"month": "2025-06"})
    body = page.content.decode()
    assert page.status_code == 200 and body.count('data-testid="unemployed-row"') == 2
    assert unemployed[0].id_number not in body and unemployed[0].name in body  # masked
    assert client.get(f"/monitoring/unemployment/{STREET_A}/unemployed/", {"month": "2025-04"}).content.decode().count(
        'data-testid="unemployed-row"') == 0
    api = client.get(f"/api/v1/monitoring/unemployment/{STREET_A}/unemployed", {"month": "2025-06-30"}).json()
    assert api["count"] == 2 and {i["person_id"] for i in api["items"]} == {unemployed[0].pk, unemployed[1].pk}
    export = client.get(f"/monitoring/unemployment/{STREET_A}/unemployed/", {"month": "2025-06", "format": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_outside_the_scope_answers_like_nothing(unemployed, district_officer, street_officer, other_street_officer):
    enter(district_officer, STREET_A, "urban_employed", JUNE, "98")
    enter(district_officer, STREET_B, "urban_employed", JUNE, "99")
    outsider = client_for(other_street_officer)
    assert outsider.get(f"/monitoring/unemployment/{STREET_A}/").status_code == 404
    assert outsider.get(f"/monitoring/unemployment/{STREET_A}/unemployed/").status_code == 404
    assert outsider.get(f"/api/v1/monitoring/unemployment/{STREET_A}/history").status_code == 404
    assert outsider.get(f"/monitoring/series/{STREET_A}/urban_employed/2025-06/").status_code == 404
    assert outsider.get("/monitoring/unemployment/", {"region": STREET_A}).status_code == 200  # not a choice: own view
    listed = outsider.get("/api/v1/monitoring/series").json()
    assert [i["region_code"] for i in listed["items"]] == [STREET_B]
    mine = {r["region_code"] for r in client_for(street_officer).get("/api/v1/monitoring/unemployment",
                                                                      {"month": "2025-06-01"}).json()}
    assert STREET_A in mine and STREET_B not in mine


def test_api_and_web_show_the_same_figures(unemployed, district_officer):
    enter(district_officer, STREET_A, "urban_employed", JUNE, "98")
    client = client_for(district_officer)
    page = client.get("/monitoring/unemployment/", {"month": "2025-06"})
    web = [(r.region.code, r.unemployed, r.rate) for r in page.context["rows"]]
    api = client.get("/api/v1/monitoring/unemployment", {"month": "2025-06-15"}).json()
    assert [(r["region_code"], r["unemployed"], None if r["registered_rate"] is None else Decimal(str(r["registered_rate"])).quantize(Decimal("0.01")))
            for r in api] == web
    assert api[0]["is_total"] and [r for r in api if r["region_code"] == STREET_B][0]["registered_rate_text"] == "未录入分母"
    series_page = client.get("/monitoring/series/")
    assert [v.pk for v in series_page.context["page"]["rows"]] == [i["id"] for i in client.get("/api/v1/monitoring/series").json()["items"]]
    for url in ("/monitoring/unemployment/?month=2025-06&format=xlsx", f"/monitoring/unemployment/{STREET_A}/?format=xlsx",
                "/monitoring/series/?format=xlsx"):
        assert client.get(url)["Content-Type"].startswith("application/vnd.openxmlformats"), url


def test_import_of_the_series_keeps_versions_and_rejects_with_reasons(unemployed, district_officer, tmp_path):
    from jiuye.imports.services import run_import

    path = tmp_path / "series.csv"
    path.write_text("区划,月份,指标,数值,数据来源,更正原因\n"
                    "西一路街道,2025-06,城镇从业人员数,98,西安市统计局 2025年6月,\n"
                    f"{STREET_B},2025年6月,城镇从业人员数,\"1,000\",西安市统计局 2025年6月,\n"
                    f"{XINCHENG},2025-06,城镇调查失业率,5.1%,模拟劳动力调查,\n"
                    f"{XINCHENG},2025-07,失业人数,5,模拟劳动力调查,\n"
                    f"{XINCHENG},2025-08,城镇调查失业率,5.0,,\n", encoding="utf-8")
    batch = run_import(kind="stat_series", path=path, actor=district_officer)
    assert (batch.imported, batch.rejected) == (3, 2)
    assert StatSeriesValue.objects.get(region_id=STREET_B, month=JUNE).value == Decimal("1000")
    path.write_text("区划,月份,指标,数值,数据来源,更正原因\n"
                    f"{STREET_B},2025-06,城镇从业人员数,999,西安市统计局 2025年6月,统计局修订\n", encoding="utf-8")
    batch = run_import(kind="stat_series", path=path, actor=district_officer)
    assert batch.updated == 1
    assert StatSeriesValue.objects.filter(region_id=STREET_B, month=JUNE).count() == 2


def test_the_command_forecasts_and_prints_its_machine_line(unemployed, district_officer):
    out = io.StringIO()
    call_command("monitoring_forecast", "--region", XINCHENG, "--on", "2026-11-30", stdout=out)
    assert out.getvalue().strip().splitlines()[-1].startswith("runs=")
