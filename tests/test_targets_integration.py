"""The parts of issue 12 working together on real registry data: registrations → computed KPIs → targets,
序时进度 and status on the dashboard and in `jiuye kpi`; titles of full-employment communities counted as KPIs;
leadership sees the warnings' titles, never their records."""
from __future__ import annotations

import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from jiuye.monitoring.models import Warning
from jiuye.monitoring.periods import parse_period
from jiuye.regions.models import Region
from jiuye.registry import services as registry
from jiuye.registry.models import EmploymentForm, UnemploymentReason
from jiuye.targets import queries, services, services_communities
from jiuye.targets.kpis.compute import compute
from tests.conftest import COMMUNITY_A1, COMMUNITY_B1, STREET_A, XINCHENG

pytestmark = pytest.mark.django_db


@pytest.fixture
def reemployed(district_officer, make_person):
    """Three persons of 长乐社区 unemployed in January 2025 and employed again in March (one in June)."""
    people = [make_person(region=COMMUNITY_A1) for _i in range(3)]
    for i, p in enumerate(people):
        registry.register_unemployment(actor=district_officer, person=p, effective_date=datetime.date(2025, 1, 10),
                                       unemployment_reason=UnemploymentReason.DISMISSED)
        registry.register_employment(actor=district_officer, person=p, employment_form=EmploymentForm.FLEXIBLE,
                                     effective_date=datetime.date(2025, 6 if i == 2 else 3, 2))
    return people


def test_registrations_reach_the_overview_with_target_and_status(reemployed, district_officer):
    services.create_target(district_officer, {"kpi": "reemployed_unemployed", "region": XINCHENG, "plan": "2025年目标",
                                              "start_year": 2025, "end_year": 2025, "scope": "annual", "value": "4"})
    rows = {s.kpi.code: s for s in queries.overview(district_officer, XINCHENG, parse_period("2025-03"))}
    row = rows["reemployed_unemployed"]
    assert row.value == 2  # March alone
    assert row.actual == 2 and row.target_value == 4  # January to March against the year's target
    assert row.progress == Decimal("0.5") and row.elapsed_share is not None and row.status == "green"
    june = {s.kpi.code: s for s in queries.overview(district_officer, XINCHENG, parse_period("2025-06"))}
    assert june["reemployed_unemployed"].value == 1 and june["reemployed_unemployed"].actual == 3
    # the street with the persons ranks first among 新城区's streets
    ranked = queries.children(district_officer, XINCHENG, parse_period("2025-03"), "reemployed_unemployed")
    assert ranked[0].region_code == STREET_A and ranked[0].value == 2


def test_jiuye_kpi_prints_value_target_and_status(reemployed, district_officer):
    services.create_target(district_officer, {"kpi": "reemployed_unemployed", "region": XINCHENG, "plan": "2025年目标",
                                              "start_year": 2025, "end_year": 2025, "scope": "annual", "value": "4"})
    out = StringIO()
    call_command("kpi", "--region", XINCHENG, "--period", "2025-Q1", "--json", stdout=out)
    data = json.loads(out.getvalue())
    row = next(r for r in data["kpis"] if r["code"] == "reemployed_unemployed")
    assert row["value"] == 2 and row["target"] == 4 and row["actual"] == 2
    assert row["progress"] == 0.5 and row["status"] == "green" and "完成目标的50.0%" in row["status_text"]


def test_community_titles_are_counted_as_kpis(reemployed, district_officer):
    services_communities.assess(district_officer, 2025, XINCHENG)
    services_communities.designate(district_officer, COMMUNITY_B1, 2025, "national")
    services_communities.designate(district_officer, COMMUNITY_A1, 2025, "provincial")
    values = compute([XINCHENG, STREET_A], parse_period("2025"),
                     codes=["fe_communities_national", "fe_communities_provincial", "fe_communities_provincial_star"])
    assert values[(XINCHENG, "fe_communities_national")].value == 1
    assert values[(XINCHENG, "fe_communities_provincial")].value == 1
    assert values[(STREET_A, "fe_communities_national")].value == 0
    assert values[(XINCHENG, "fe_communities_provincial_star")].value == 0
    assert compute([XINCHENG], parse_period("2024"), codes=["fe_communities_national"])[
        (XINCHENG, "fe_communities_national")].value == 0


def test_leadership_sees_warning_titles_on_the_dashboard_but_not_their_records(leader, regions):
    w = Warning.objects.create(kind="mass_layoff", key="x-1", level="orange", title="某公司规模性裁员",
                               region=Region.objects.get(code=COMMUNITY_A1), since=datetime.date.today())
    c = Client()
    c.force_login(leader)
    page = c.get(reverse("web:targets"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "某公司规模性裁员" in text
    assert reverse("web:warning", args=[w.pk]) not in text
    assert c.get(reverse("web:warning", args=[w.pk])).status_code in (403, 404)
