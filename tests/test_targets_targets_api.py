"""API /api/v1/targets: catalogue, overview/children/trend, targets (create, replace, breakdown), inputs."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from tests.conftest import STREET_A, STREET_B, XIAN, XINCHENG

pytestmark = pytest.mark.django_db


def client_for(user):
    c = Client(raise_request_exception=False)
    c.force_login(user)
    return c


@pytest.fixture
def values(fake_kpis):
    return fake_kpis


def test_catalogue(leader, community_worker):
    c = client_for(leader)
    r = c.get("/api/v1/targets/kpis")
    assert r.status_code == 200
    codes = {k["code"] for k in r.json()}
    assert {"new_urban_jobs", "fe_communities_national", "graduate_destination_rate"} <= codes
    r = c.get("/api/v1/targets/kpis/registered_unemployment_rate")
    assert r.json()["lower_is_better"] is True and r.json()["unit"] == "%"
    assert c.get("/api/v1/targets/kpis/nope").status_code == 404


def test_targets_create_replace_breakdown_and_overview(district_officer, leader, street_officer, values):
    c = client_for(district_officer)
    r = c.post("/api/v1/targets/targets", {"kpi": "new_urban_jobs", "region": XINCHENG, "plan": "2024年目标",
                                           "start_year": 2024, "end_year": 2024, "value": "1000"},
               content_type="application/json")
    assert r.status_code == 201, r.content
    tid = r.json()["id"]
    r = c.post("/api/v1/targets/targets", {"kpi": "new_urban_jobs", "region": XINCHENG, "plan": "x",
                                           "start_year": 2024, "end_year": 2024, "value": "abc"},
               content_type="application/json")
    assert r.status_code == 422 and "abc" in r.json()["detail"]["value"][0]
    r = c.post(f"/api/v1/targets/targets/{tid}/replace", {"reason": "调整", "value": "1200"},
               content_type="application/json")
    assert r.status_code == 201 and r.json()["value"] == 1200 and r.json()["replaces_id"] == tid
    new_id = r.json()["id"]
    from jiuye.regions.models import Region
    kids = list(Region.objects.filter(parent_id=XINCHENG).values_list("code", flat=True))
    pairs = ";".join(f"{k}={700 if k == STREET_A else (400 if k == STREET_B else 0)}" for k in kids)
    r = c.post(f"/api/v1/targets/targets/{new_id}/breakdown", {"values": pairs}, content_type="application/json")
    assert r.status_code == 422 and r.json()["detail"]["values"][0] == "分解合计1,100，与上级目标1,200相差100"
    pairs = pairs.replace(f"{STREET_B}=400", f"{STREET_B}=500")
    r = c.post(f"/api/v1/targets/targets/{new_id}/breakdown", {"values": pairs}, content_type="application/json")
    assert r.status_code == 201 and len(r.json()) == len(kids)
    detail = client_for(leader).get(f"/api/v1/targets/targets/{new_id}").json()
    assert [h["id"] for h in detail["history"]] == [new_id, tid] and len(detail["children"]) == len(kids)
    assert client_for(street_officer).get(f"/api/v1/targets/targets/{new_id}").status_code == 404
    lst = client_for(street_officer).get("/api/v1/targets/targets").json()
    assert lst["count"] == 1 and lst["items"][0]["region_code"] == STREET_A

    values[(XINCHENG, "new_urban_jobs", "2024-01..2024-06")] = Decimal(700)
    r = client_for(leader).get(f"/api/v1/targets/overview?region={XINCHENG}&period=2024-06&kpi=new_urban_jobs")
    [row] = r.json()
    assert row["status_text"] == "完成目标的58.3%，序时进度49.7%" and row["status"] == "green"
    values[(STREET_A, "new_urban_jobs", "2024-01..2024-06")] = Decimal(200)
    values[(STREET_B, "new_urban_jobs", "2024-01..2024-06")] = Decimal(400)
    rows = client_for(leader).get(f"/api/v1/targets/children?region={XINCHENG}&period=2024-06&kpi=new_urban_jobs").json()
    assert rows[0]["region_code"] == STREET_B and rows[0]["rank"] == 1
    trend = client_for(leader).get(f"/api/v1/targets/trend?region={XINCHENG}&kpi=new_urban_jobs&from=2024-01&to=2024-06")
    assert [x["period"] for x in trend.json()][-1] == "2024-06"
    bad = client_for(leader).get(f"/api/v1/targets/overview?region={XINCHENG}&period=2024-13")
    assert bad.status_code == 422
    assert client_for(leader).get(f"/api/v1/targets/overview?region={XIAN}&period=2024").status_code == 403


def test_inputs(district_officer, leader):
    c = client_for(district_officer)
    body = {"kpi": "graduate_destination_rate", "region": XINCHENG, "period": "2024", "value": "91.5", "source": "市教育局"}
    assert c.post("/api/v1/targets/inputs", body, content_type="application/json").status_code == 201
    body["value"] = "92"
    r = c.post("/api/v1/targets/inputs", body, content_type="application/json")
    assert r.status_code == 200 and r.json()["result"] == "corrected"
    lst = client_for(leader).get("/api/v1/targets/inputs?history=true").json()
    assert lst["count"] == 2
    assert client_for(leader).post("/api/v1/targets/inputs", body, content_type="application/json").status_code == 403
