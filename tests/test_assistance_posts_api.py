"""The public-welfare posts API (/api/v1/welfare-posts ...): the same queries and services as the web."""
import datetime

import pytest
from django.test import Client

from jiuye.assistance.models import Placement
from jiuye.registry import services as registry
from tests.conftest import COMMUNITY_A1
from tests.test_assistance_posts import credit_code, recognise

D = datetime.date


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.fixture
def employer(district_officer):
    return registry.create_employer(actor=district_officer, credit_code=credit_code(5), name="西一路街道办事处",
                                    region=COMMUNITY_A1)


@pytest.fixture
def person(make_person, district_officer):
    p = make_person()
    registry.register_unemployment(actor=district_officer, person=p, effective_date=D(2025, 6, 1),
                                   unemployment_reason="dismissed")
    recognise(p, D(2025, 6, 1))
    return p


def test_catalogue_placement_attendance_and_exit_through_the_api(employer, person, district_officer, other_street_officer):
    api = client_for(district_officer)
    r = api.post("/api/v1/welfare-posts", {"employer_id": employer.pk, "title": "社区保洁", "category": "urban",
                                           "region": COMMUNITY_A1, "openings": 1, "monthly_subsidy": "1950.00",
                                           "starts_on": "2025-01-01"}, content_type="application/json")
    assert r.status_code == 201, r.content
    post_id = r.json()["id"]
    r = api.get("/api/v1/welfare-posts?vacant=true&sort=-title")
    assert r.json()["count"] == 1 and r.json()["items"][0]["filled"] == 0
    r = api.get(f"/api/v1/welfare-posts/{post_id}/candidates")
    assert [c["person_id"] for c in r.json()["items"]] == [person.pk]
    assert "*" in r.json()["items"][0]["id_number_masked"]
    r = api.post(f"/api/v1/welfare-posts/{post_id}/placements", {"person_id": person.pk, "started_on": "2026-01-05"},
                 content_type="application/json")
    assert r.status_code == 201, r.content
    placement = r.json()
    assert placement["planned_end_on"] == "2029-01-04" and placement["registration_id"]
    r = api.post(f"/api/v1/welfare-posts/{post_id}/placements", {"person_id": person.pk, "started_on": "2026-01-05"},
                 content_type="application/json")
    assert r.status_code == 422 and "已满员" in str(r.json()["detail"])
    r = api.put(f"/api/v1/welfare-placements/{placement['id']}/attendance",
                {"month": "2026-02-10", "days_worked": 18, "absent_days": 2}, content_type="application/json")
    assert r.status_code == 200 and r.json()["subsidy_due"] == "1755.00"
    r = api.get(f"/api/v1/welfare-payroll?employer_id={employer.pk}&month=2026-02-01")
    assert r.json()["total"] == "1755.00" and "*" in r.json()["items"][0]["id_number_masked"]
    r = api.get("/api/v1/welfare-placements?ending_within=10000")
    assert r.json()["count"] == 1
    r = api.post(f"/api/v1/welfare-placements/{placement['id']}/exit", {"ended_on": "2026-03-01", "reason": "resigned"},
                 content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "ended"
    assert Placement.objects.get(pk=placement["id"]).exit_registration.kind == "unemployment"
    # Outside the scope: 404, like a post that does not exist.
    other = client_for(other_street_officer)
    assert other.get(f"/api/v1/welfare-posts/{post_id}").status_code == 404
    assert other.get(f"/api/v1/welfare-placements/{placement['id']}").status_code == 404
    assert other.get("/api/v1/welfare-posts").json()["count"] == 0
