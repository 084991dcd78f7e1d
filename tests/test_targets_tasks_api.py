"""The tasks and communities API under /api/v1/targets: list, detail, POST progress (a correction replaces),
the week report; community assessments, POST assess, designations. Scope: 404 outside it, 403 for a role
that may not act, 422 naming the field."""
from __future__ import annotations

import datetime

import pytest
from django.test import Client

from jiuye.targets import services_tasks
from jiuye.targets.models import Department, PlanTask

from .conftest import XIAN, XINCHENG

XC_PLAN = "西安市新城区进一步做好稳就业工作的实施意见"


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.fixture
def tables(regions):
    services_tasks.load_tables()


def test_tasks_list_detail_progress_and_week(tables, district_officer, department_user, leader):
    finance = Department.objects.get(region_id=XINCHENG, name="区财政局")
    services_tasks.link_member(district_officer, department_user, finance)
    t1 = PlanTask.objects.get(plan=XC_PLAN, number="1")
    c = client_for(department_user)
    body = c.get("/api/v1/targets/tasks").json()
    assert body["count"] == 23 and body["items"][0]["number"] == "1"
    today = datetime.date.today().isoformat()
    r = c.post(f"/api/v1/targets/tasks/{t1.pk}/progress", {"department_id": finance.pk, "week": today,
                                                            "status": "on_track", "text": "资金已拨付"},
               content_type="application/json")
    assert r.status_code == 201, r.content
    r = c.post(f"/api/v1/targets/tasks/{t1.pk}/progress", {"department_id": finance.pk, "week": today,
                                                            "status": "behind", "text": "资金拨付滞后"},
               content_type="application/json")
    assert r.status_code == 201
    detail = c.get(f"/api/v1/targets/tasks/{t1.pk}?corrections=true").json()
    assert [h["is_current"] for h in detail["history"]] == [True, False]
    # Another department's entry is refused (403), a task of the city is out of scope (404), a bad status 422.
    r = c.post(f"/api/v1/targets/tasks/{t1.pk}/progress", {"department_id": t1.lead.get().pk, "week": today,
                                                            "status": "on_track", "text": "x"}, content_type="application/json")
    assert r.status_code == 403
    city_task = PlanTask.objects.get(region_id=XIAN, number="1")
    assert c.get(f"/api/v1/targets/tasks/{city_task.pk}").status_code == 404
    r = c.post(f"/api/v1/targets/tasks/{t1.pk}/progress", {"department_id": finance.pk, "week": today,
                                                            "status": "galloping", "text": "x"}, content_type="application/json")
    assert r.status_code == 422 and "status" in str(r.json()["detail"])
    week = client_for(leader).get("/api/v1/targets/tasks-week").json()
    assert week["region_code"] == XINCHENG and week["counts"]["unreported"] == 23  # finance is a partner, not the lead
    row = next(x for x in week["rows"] if x["number"] == "1")
    assert any(e["department"] == "区财政局" and e["status"] == "behind" for e in row["entries"])
    # The leader reads but may not report.
    r = client_for(leader).post(f"/api/v1/targets/tasks/{t1.pk}/progress", {"department_id": finance.pk, "week": today,
                                                                             "status": "on_track", "text": "x"},
                                content_type="application/json")
    assert r.status_code == 403


def test_communities_assess_list_history_and_designations(regions, district_officer, leader, street_officer):
    year = datetime.date.today().year - 1
    assert client_for(leader).post("/api/v1/targets/fe-assessments", {"year": year},
                                   content_type="application/json").status_code == 403
    r = client_for(district_officer).post("/api/v1/targets/fe-assessments", {"year": year},
                                          content_type="application/json")
    assert r.status_code == 201 and r.json()["communities"] > 10
    body = client_for(leader).get(f"/api/v1/targets/fe-communities?year={year}&limit=5").json()
    assert body["count"] == r.json()["communities"] and len(body["items"][0]["evidence"]) == 5
    code = body["items"][0]["community_code"]
    r = client_for(district_officer).post(f"/api/v1/targets/fe-communities/{code}/designation",
                                          {"year": year, "designation": "municipal"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["designation"] == "municipal"
    counts = client_for(leader).get(f"/api/v1/targets/fe-designations?year={year}").json()
    assert counts["municipal"] == 1
    assert len(client_for(leader).get(f"/api/v1/targets/fe-communities/{code}").json()) == 1
    other = "610102002001"
    assert client_for(street_officer).get(f"/api/v1/targets/fe-communities/{other}").status_code == 404
    assert client_for(leader).get("/api/v1/targets/fe-communities?year=1900").status_code == 422
