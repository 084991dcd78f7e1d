"""The API of the enterprise sample: enrol, submit (a warning raised by the same request), scope, lists, job loss."""
import datetime

from django.test import Client

from jiuye.monitoring.models import Warning
from tests.conftest import COMMUNITY_B1
from tests.monitoring_helpers import make_employer

D = datetime.date


def client_for(user):
    c = Client(raise_request_exception=False)
    c.force_login(user)
    return c


def _enrol(client, employer, joined="2025-01-01"):
    r = client.post("/api/v1/monitoring/enterprises", {"employer_id": employer.pk, "joined_on": joined,
                                                       "contact_name": "王会计"}, content_type="application/json")
    assert r.status_code == 201, r.content
    return r.json()["id"]


def test_submit_crossing_the_line_raises_the_warning_in_the_same_request(district_officer, community_worker):
    employer = make_employer(district_officer, 1, industry_code="13")
    pk = _enrol(client_for(district_officer), employer)
    body = {"month": "2025-06-01", "start_headcount": 150, "end_headcount": 127,
            "additions": {"new_hire": 2}, "reductions": {"economic_layoff": 25, "economic_layoff_reason": "orders_down"}}
    r = client_for(community_worker).post(f"/api/v1/monitoring/enterprises/{pk}/reports", body,
                                          content_type="application/json")
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["warning_action"] == "raised" and out["warning_id"] and "预警" in out["message"]
    assert Warning.objects.get(pk=out["warning_id"]).facts["layoffs"] == 25
    detail = client_for(community_worker).get(f"/api/v1/monitoring/reports/{out['report']['id']}").json()
    assert {(x["kind"], x["count"]) for x in detail["lines"]} == {("new_hire", 2), ("economic_layoff", 25)}
    loss = client_for(district_officer).get("/api/v1/monitoring/job-loss?month_from=2025-06-01&month_to=2025-06-01"
                                            "&by=industry").json()
    assert loss[0]["reductions"] == 25 and loss[0]["label"].startswith("C ")


def test_unbalanced_is_422_with_the_difference_and_out_of_scope_is_404(district_officer, other_street_officer):
    employer = make_employer(district_officer, 1, industry_code="13")
    pk = _enrol(client_for(district_officer), employer)
    body = {"month": "2025-06-01", "start_headcount": 150, "end_headcount": 151}
    r = client_for(district_officer).post(f"/api/v1/monitoring/enterprises/{pk}/reports", body,
                                          content_type="application/json")
    assert r.status_code == 422 and "相差+1" in r.json()["detail"]["end_headcount"][0]
    far = client_for(other_street_officer)
    assert far.post(f"/api/v1/monitoring/enterprises/{pk}/reports", body, content_type="application/json").status_code == 404
    assert far.get(f"/api/v1/monitoring/enterprises/{pk}").status_code == 404
    assert far.get(f"/api/v1/monitoring/enterprises/{pk + 1000}").status_code == 404
    assert far.get("/api/v1/monitoring/enterprises").json()["count"] == 0


def test_due_list_and_chase(district_officer, community_worker):
    employer = make_employer(district_officer, 1, industry_code="13")
    other = make_employer(district_officer, 2, industry_code="52", region=COMMUNITY_B1)
    pk = _enrol(client_for(district_officer), employer, "2024-01-01")
    _enrol(client_for(district_officer), other, "2024-01-01")
    r = client_for(district_officer).get("/api/v1/monitoring/reports/due?month=2025-06-01").json()
    assert r["count"] == 2 and r["counts"]["missing"] == 2
    c = client_for(community_worker).post(f"/api/v1/monitoring/enterprises/{pk}/reminders",
                                          {"month": "2025-06-01", "channel": "phone", "note": "已电话催报"},
                                          content_type="application/json")
    assert c.status_code == 201
    mine = client_for(community_worker).get("/api/v1/monitoring/reports/due?month=2025-06-01").json()
    assert mine["count"] == 1 and mine["items"][0]["reminders"] == 1
