"""The targets dashboard pages (issue 12, dashboard part): what a viewer sees, from chosen values (the queries
are replaced by fakes: the figures themselves are the kpis and targets parts' tests), within their scope."""
from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from jiuye.regions.models import Region
from jiuye.targets import queries
from jiuye.targets.kpis import compute as kpi_compute
from jiuye.targets.kpis.catalogue import KPIS
from jiuye.targets.queries import AMBER, GREEN, NONE, RED, KpiStatus
from tests.conftest import COMMUNITY_A1, STREET_A, STREET_B, XIAN, XINCHENG

pytestmark = pytest.mark.django_db

VALUES = {
    "new_urban_jobs": (Decimal("12345"), Decimal("15360"), Decimal("0.583"), Decimal("0.804"), GREEN, "完成目标的80.4%，序时进度58.3%"),
    "reemployed_unemployed": (Decimal("2100"), Decimal("6000"), Decimal("0.583"), Decimal("0.35"), RED, "完成目标的35.0%，序时进度58.3%"),
    "hte_employed": (Decimal("640"), Decimal("1200"), Decimal("0.583"), Decimal("0.533"), AMBER, "完成目标的53.3%，序时进度58.3%"),
    "registered_unemployment_rate": (Decimal("3.2145"), Decimal("4"), None, None, GREEN, "3.21%，低于控制目标4%"),
}


def fake_status(kpi_code: str, region_code: str, period, *, scale: Decimal = Decimal(1)) -> KpiStatus:
    region = Region.objects.get(code=region_code)
    kpi = KPIS[kpi_code]
    if kpi_code in VALUES:
        value, target, elapsed, progress, status, text = VALUES[kpi_code]
        return KpiStatus(kpi, region.code, region.name, period, value * scale, {"gross": 900, "attrition": 30},
                         target_value=target, actual=value * scale, elapsed_share=elapsed,
                         progress=progress * scale if progress is not None else None, status=status, status_text=text)
    return KpiStatus(kpi, region.code, region.name, period, None, status=NONE)


@pytest.fixture
def fake_queries(monkeypatch):
    calls = []

    def overview(user, region_code, period, *, codes=None, known_on=None):
        calls.append(("overview", region_code, period.code))
        wanted = list(codes) if codes is not None else list(KPIS)
        return [fake_status(c, region_code or user.region_id, period) for c in wanted]

    def children(user, region_code, period, kpi_code, *, known_on=None):
        calls.append(("children", region_code, kpi_code))
        kids = list(Region.objects.filter(parent_id=region_code).order_by("code"))
        out = [fake_status(kpi_code, r.code, period, scale=Decimal(len(kids) - i)) for i, r in enumerate(kids)]
        for i, s in enumerate(out):
            s.rank, s.siblings = i + 1, len(out)
        return out

    def trend(user, region_code, kpi_code, periods, *, known_on=None):
        calls.append(("trend", region_code, kpi_code, len(periods)))
        return [fake_status(kpi_code, region_code, p) for p in periods]

    monkeypatch.setattr(queries, "overview", overview)
    monkeypatch.setattr(queries, "children", children)
    monkeypatch.setattr(queries, "trend", trend)
    return calls


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def text_of(response) -> str:
    return response.content.decode()


def test_dashboard_shows_every_kpi_with_value_target_progress_and_status_words(district_officer, fake_queries):
    r = client_for(district_officer).get(reverse("web:targets"), {"period": "2026-06"})
    assert r.status_code == 200
    page = text_of(r)
    assert "新城区 目标考核看板" in page and "2026年6月" in page
    assert page.count('data-testid="kpi-row"') == len(KPIS)
    assert "12,345" in page and "15,360" in page and "58.3%" in page and "80.4%" in page
    assert "3.21" in page  # two decimals for the rate
    for word in ("正常", "偏慢", "滞后", "无目标"):
        assert word in page  # text as well as colour
    assert 'data-status="red"' in page
    assert "—" in page  # a value not computed
    assert "数据截至" in page
    assert ("overview", XINCHENG, "2026-06") in fake_queries
    trends = [c for c in fake_queries if c[0] == "trend"]
    assert trends and all(c[3] == 12 for c in trends)


def test_dashboard_defaults_to_users_node_and_last_full_month(street_officer, fake_queries):
    from django.utils import timezone

    from jiuye.monitoring.periods import month_of

    r = client_for(street_officer).get(reverse("web:targets"))
    assert r.status_code == 200
    expected = month_of(timezone.localdate()).previous()
    assert ("overview", STREET_A, expected.code) in fake_queries


def test_every_figure_links_to_its_detail_and_children_to_their_dashboards(district_officer, fake_queries):
    page = text_of(client_for(district_officer).get(reverse("web:targets"), {"period": "2026-Q2"}))
    detail = reverse("web:kpi_detail", args=["new_urban_jobs"])
    assert f'{detail}?region={XINCHENG}&amp;period=2026-Q2' in page
    assert f'{reverse("web:targets")}?region={STREET_A}&amp;period=2026-Q2' in page  # ranking → child's dashboard
    assert page.count('data-testid="ranking"') == 4


def test_region_outside_scope_is_404_like_a_region_that_does_not_exist(street_officer, fake_queries):
    c = client_for(street_officer)
    outside = c.get(reverse("web:targets"), {"region": STREET_B})
    missing = c.get(reverse("web:targets"), {"region": "610102999000"})
    assert outside.status_code == missing.status_code == 404
    assert "长乐中路" not in text_of(outside)
    for name in ("kpi_detail",):
        assert c.get(reverse(f"web:{name}", args=["new_urban_jobs"]), {"region": STREET_B}).status_code == 404
    assert c.get(reverse("web:targets_screen"), {"region": STREET_B}).status_code == 404
    assert c.get(reverse("web:targets_screen_data"), {"region": STREET_B}).status_code == 404
    assert c.get(reverse("web:kpi_records", args=["new_urban_jobs"]), {"region": STREET_B}).status_code == 404
    assert not any(call[1] == STREET_B for call in fake_queries)


def test_region_picker_offers_only_the_scope(street_officer, fake_queries):
    page = text_of(client_for(street_officer).get(reverse("web:targets")))
    assert f'value="{COMMUNITY_A1}"' in page and f'value="{STREET_B}"' not in page


def test_roles_without_targets_are_refused(regions, fake_queries):
    from jiuye.accounts.models import Role, User

    resident = User.objects.create_user("res1", password="pass-12345678", role=Role.RESIDENT, region_id=COMMUNITY_A1)
    assert client_for(resident).get(reverse("web:targets")).status_code == 403
    assert Client().get(reverse("web:targets")).status_code == 302  # to the login page


def test_wrong_period_is_said_and_the_default_used(district_officer, fake_queries):
    r = client_for(district_officer).get(reverse("web:targets"), {"period": "2026-13"})
    assert r.status_code == 200 and "月份应为1至12" in text_of(r)


def test_leaf_region_has_no_ranking(community_worker, fake_queries):
    page = text_of(client_for(community_worker).get(reverse("web:targets")))
    assert 'data-testid="ranking"' not in page and 'data-testid="trend"' in page


def test_dashboard_exports_the_kpi_table(district_officer, fake_queries):
    from openpyxl import load_workbook

    r = client_for(district_officer).get(reverse("web:targets"), {"period": "2026-06", "format": "xlsx"})
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("指标代码", "指标", "区划", "数值") and len(rows) == len(KPIS) + 1
    jobs = dict(zip(rows[0], next(row for row in rows if row[0] == "new_urban_jobs")))
    assert jobs["数值"] == 12345 and jobs["状态"] == "正常" and jobs["目标"] == "15,360"


def test_kpi_detail_ranks_children_with_links_and_records_for_staff(district_officer, fake_queries):
    r = client_for(district_officer).get(reverse("web:kpi_detail", args=["new_urban_jobs"]), {"period": "2026-06"})
    page = text_of(r)
    assert r.status_code == 200 and "城镇新增就业人数" in page
    assert page.count('data-testid="ranking-row"') == Region.objects.filter(parent_id=XINCHENG).count()
    assert f'{reverse("web:targets")}?region={STREET_A}&amp;period=2026-06' in page
    assert 'data-testid="records-link"' in page
    assert "新增就业人数（毛数）" in page and "自然减员" in page  # the components behind the value, in Chinese


def test_leader_sees_figures_but_never_records(leader, fake_queries):
    c = client_for(leader)
    assert c.get(reverse("web:targets")).status_code == 200
    page = text_of(c.get(reverse("web:kpi_detail", args=["new_urban_jobs"]), {"period": "2026-06"}))
    assert 'data-testid="records-link"' not in page and "不显示个人名单" in page
    assert "/records/" not in page
    assert c.get(reverse("web:kpi_records", args=["new_urban_jobs"]), {"period": "2026-06"}).status_code == 403


def test_city_leader_drills_down_to_a_street(city_leader, fake_queries):
    c = client_for(city_leader)
    r = c.get(reverse("web:targets"), {"region": STREET_A, "period": "2026-06"})
    assert r.status_code == 200 and "西一路" in text_of(r)
    assert f'?region={XIAN}' in text_of(r) or f'?region={XINCHENG}' in text_of(r)  # crumbs back up


def test_year_to_date_figure_is_shown_beside_the_months(district_officer, fake_queries, monkeypatch):
    """A month's value is the month's; the target is judged on the year to date: both are shown, labelled."""
    original = queries.overview

    def overview(user, region_code, period, *, codes=None, known_on=None):
        out = original(user, region_code, period, codes=codes)
        for s in out:
            if s.kpi.code == "new_urban_jobs":
                s.actual = Decimal("54321")
                s.compared_label = "2026年1—6月"
        return out

    monkeypatch.setattr(queries, "overview", overview)
    c = client_for(district_officer)
    page = text_of(c.get(reverse("web:targets"), {"period": "2026-06"}))
    assert "54,321" in page and "2026年1—6月" in page and "12,345" in page
    detail = text_of(c.get(reverse("web:kpi_detail", args=["new_urban_jobs"]), {"period": "2026-06"}))
    assert 'data-testid="kpi-compared"' in detail and "54,321" in detail
    data = json.loads(c.get(reverse("web:targets_screen_data"), {"period": "2026-06"}).content)
    tile = next(t for t in data["tiles"] if t["code"] == "new_urban_jobs")
    assert tile["compared"] == "54,321" and tile["compared_label"] == "2026年1—6月"


def test_kpi_detail_unknown_kpi_is_404(district_officer, fake_queries):
    assert client_for(district_officer).get(reverse("web:kpi_detail", args=["no_such_kpi"])).status_code == 404


@pytest.fixture
def people(make_person):
    return [make_person(region=COMMUNITY_A1, name=f"甲{i}") for i in range(3)] + [make_person(region=STREET_B[:9] + "001",
                                                                                               name="乙")]


def test_records_list_masks_counts_sorts_and_exports(district_officer, fake_queries, people, monkeypatch):
    from openpyxl import load_workbook

    from jiuye.registry.models import Person

    seen = {}

    def records(user, kpi_code, region_code, period, *, known_on=None):
        seen["args"] = (user, kpi_code, region_code, period.code)
        return Person.objects.filter(region__code__startswith=region_code[:9])

    monkeypatch.setattr(kpi_compute, "records", records)
    c = client_for(district_officer)
    url = reverse("web:kpi_records", args=["new_urban_jobs"])
    r = c.get(url, {"region": STREET_A, "period": "2026-06", "sort": "-name"})
    page = text_of(r)
    assert r.status_code == 200 and seen["args"] == (district_officer, "new_urban_jobs", STREET_A, "2026-06")
    assert 'data-total="3"' in page
    assert people[0].id_number not in page and people[0].id_number[:6] in page  # masked
    names = [p for p in ("甲2", "甲1", "甲0") if p in page]
    assert page.index("甲2") < page.index("甲1") < page.index("甲0") and len(names) == 3
    assert reverse("web:person", args=[people[0].pk]) in page
    x = c.get(url, {"region": STREET_A, "period": "2026-06", "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(x.content)).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("姓名", "公民身份号码") and len(rows) == 4
    assert all("*" in row[1] for row in rows[1:])


def test_records_not_available_is_said(district_officer, fake_queries, monkeypatch):
    def records(user, kpi_code, *args, **kwargs):
        raise ValueError(f"指标“{kpi_code}”没有对应的人员或家庭名单")

    monkeypatch.setattr(kpi_compute, "records", records)
    r = client_for(district_officer).get(reverse("web:kpi_records", args=["registered_unemployment_rate"]),
                                         {"period": "2026-06"})
    assert r.status_code == 200 and "暂不提供名单" in text_of(r)


def test_records_out_of_scope_from_the_query_is_404(street_officer, fake_queries, monkeypatch):
    from jiuye.accounts.scoping import OutOfScope

    def records(*args, **kwargs):
        raise OutOfScope("x")

    monkeypatch.setattr(kpi_compute, "records", records)
    r = client_for(street_officer).get(reverse("web:kpi_records", args=["new_urban_jobs"]), {"period": "2026-06"})
    assert r.status_code == 404


def test_screen_is_chromeless_dark_and_refreshes_itself(leader, fake_queries, settings):
    settings.JIUYE_SCREEN_REFRESH_SECONDS = 30
    r = client_for(leader).get(reverse("web:targets_screen"), {"period": "2026-06"})
    page = text_of(r)
    assert r.status_code == 200
    assert 'class="sidenav"' not in page and 'class="topbar"' not in page
    assert '<noscript><meta http-equiv="refresh" content="30"></noscript>' in page
    assert 'data-screen-seconds="30"' in page and reverse("web:targets_screen_data") in page
    assert page.count('data-testid="screen-tile"') == 8 and "12,345" in page and "滞后" in page
    assert "targets_screen.js" in page and "targets_screen.css" in page


def test_screen_data_is_the_same_figures_as_json(leader, fake_queries):
    r = client_for(leader).get(reverse("web:targets_screen_data"), {"period": "2026-06"})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/json")
    data = json.loads(r.content)
    assert data["region"]["code"] == XINCHENG and data["period"]["code"] == "2026-06"
    tile = next(t for t in data["tiles"] if t["code"] == "new_urban_jobs")
    assert tile["value"] == "12,345" and tile["status"] == GREEN and tile["status_label"] == "正常"
    assert data["ranking"]["chart"]["series"][0]["type"] == "bar"
    assert len(data["trend"]["rows"]) == 12
    assert data["warnings"] == [] and "computed_at" in data


def test_catalogue_lists_every_kpi_with_definition(leader, fake_queries):
    c = client_for(leader)
    page = text_of(c.get(reverse("web:kpi_catalogue")))
    assert page.count('data-testid="catalogue-row"') == len(KPIS)
    assert KPIS["new_urban_jobs"].definition in page and "录入/导入" in page
    assert c.get(reverse("web:kpi_catalogue"), {"format": "xlsx"}).status_code == 200


def test_pages_with_the_scaffold_queries_show_dashes(district_officer):
    """No fakes: with values not computed the pages still answer, with "—"."""
    c = client_for(district_officer)
    r = c.get(reverse("web:targets"), {"period": "2025"})
    assert r.status_code == 200 and "—" in text_of(r)
    assert c.get(reverse("web:kpi_detail", args=["hte_employed"]), {"period": "2025-Q1"}).status_code == 200
    assert c.get(reverse("web:targets_screen")).status_code == 200


def test_subnav_links_the_parts_that_exist(district_officer, fake_queries):
    page = text_of(client_for(district_officer).get(reverse("web:kpi_catalogue")))
    assert 'data-testid="targets-subnav"' in page
    assert reverse("web:targets") in page and reverse("web:targets_screen") in page


def test_help_pages_explain_the_dashboard(regions, leader, district_officer, street_officer, community_worker,
                                          city_officer):
    for user in (leader, district_officer, street_officer, community_worker, city_officer):
        page = text_of(client_for(user).get(reverse("web:help")))
        assert 'id="help-targets-dashboard"' in page, user.role
