"""The API of seekers and applications: the same queries and services as the pages."""
import datetime

import pytest
from django.test import Client
from django.utils import timezone

from jiuye.accounts.models import Role, User
from jiuye.jobs.models import Application
from jiuye.registry import services as registry
from tests.jobs_helpers import make_employer, make_vacancy, occupations  # noqa: F401


def client_for(user):
    c = Client(raise_request_exception=False)
    c.force_login(user)
    return c


@pytest.fixture
def world(occupations, district_officer, make_person):  # noqa: F811
    firm = make_employer(district_officer)
    return firm, make_vacancy(firm), make_person(name="孙求职")


def test_seeker_registration_profile_and_supply_through_the_api(world, community_worker, other_street_officer):
    firm, vacancy, person = world
    c = client_for(community_worker)
    r = c.post(f"/api/v1/jobs/seekers/{person.pk}/start", {}, content_type="application/json")
    assert r.status_code == 200 and r.json()["registrations"][0]["ended_on"] is None
    r = c.put(f"/api/v1/jobs/seekers/{person.pk}/profile",
              {"occupations": "6-18-02-04,1-2", "wage_min": 6000, "wage_max": 5000}, content_type="application/json")
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert "1-2" in detail["occupations"][0] and "低于下限" in detail["wage_max"][0]
    r = c.put(f"/api/v1/jobs/seekers/{person.pk}/profile", {"occupations": "6-18-02-04", "skills": "焊接,切割"},
              content_type="application/json")
    assert r.json()["profile"]["skills"] == ["焊接", "切割"]
    r = c.get("/api/v1/jobs/seekers")
    assert r.json()["count"] == 1 and person.id_number not in r.content.decode()
    r = c.get(f"/api/v1/jobs/seekers-supply?on={timezone.localdate().isoformat()}&level=street")
    assert r.json()["total"] == 1
    assert client_for(other_street_officer).get(f"/api/v1/jobs/seekers/{person.pk}").status_code == 404


def test_application_pipeline_through_the_api(world, community_worker):
    firm, vacancy, person = world
    c = client_for(community_worker)
    r = c.post("/api/v1/jobs/applications/recommend",
               {"vacancy_id": vacancy.pk, "person_id": person.pk, "score": 0.66, "score_parts": "occupation:0.4,place:0.26"},
               content_type="application/json")
    assert r.status_code == 201, r.content
    a = r.json()
    assert a["origin"] == "matched" and a["score_parts"] == {"occupation": 0.4, "place": 0.26}
    me = User.objects.create_user("res_api", password="pass-12345678", role=Role.RESIDENT)
    registry.link_account(actor=None, user=me, person=person)
    r = client_for(me).post("/api/v1/jobs/applications/apply", {"vacancy_id": vacancy.pk}, content_type="application/json")
    assert r.status_code == 201 and r.json()["status"] == "applied"
    r = c.post(f"/api/v1/jobs/applications/{a['id']}/steps", {"action": "interview", "interview_at": "2026-12-01 09:30"},
               content_type="application/json")
    assert r.json()["status"] == "interview" and "hire" in r.json()["next_actions"]
    r = c.post(f"/api/v1/jobs/applications/{a['id']}/hire",
               {"start_date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(), "contract_type": "none"},
               content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["registration_id"] and Application.objects.get().status == "hired"
    r = c.get("/api/v1/jobs/applications?status=hired")
    assert r.json()["count"] == 1
