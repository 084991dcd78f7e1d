"""The vacancies API: a discriminatory vacancy refused with every reason and its law, the review, search
with filters (the same query as the web list), scope (404), occupations and suggestions."""
import pytest
from django.test import Client

from jiuye.jobs.queries import vacancies as queries
from jiuye.jobs.services import vacancies as services
from tests.conftest import COMMUNITY_B1
from tests.jobs_helpers import D, make_employer, occupations  # noqa: F401


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(services, "current_date", lambda: D(2026, 11, 20))
    monkeypatch.setattr(queries, "today", lambda: D(2026, 11, 20))


def client_for(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_refused_then_fixed_then_searched(occupations, community_worker, today):
    firm = make_employer(community_worker)
    api = client_for(community_worker)
    body = {"employer_id": firm.pk, "title": "仓库理货员", "description": "仅限男性，本地户口，无生育计划，身体健全",
            "openings": 2, "wage_min": 4000, "wage_max": 5500, "valid_until": "2027-01-31", "publish": True}
    r = api.post("/api/v1/jobs/vacancies", body, content_type="application/json")
    assert r.status_code == 422, r.content
    out = r.json()
    assert {x["code"] for x in out["refusals"]} == {"sex", "hukou", "marital", "disability"}
    assert all(x["field"] == "description" and x["value"] and x["law"] for x in out["refusals"])
    assert "第二十九条" in " ".join(out["detail"]["description"])
    vid = out["vacancy_id"]
    page = api.get(f"/api/v1/jobs/vacancies/{vid}").json()
    assert page["status"] == "refused" and len(page["refusals"]) == 4
    assert page["suggested_occupations"] and page["suggested_occupations"][0]["reasons"]
    r = api.patch(f"/api/v1/jobs/vacancies/{vid}", {"description": "负责货物出入库与盘点", "publish": True},
                  content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "published"
    listing = api.get("/api/v1/jobs/vacancies", {"text": "理货", "status": "open", "wage_min": 5000}).json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == vid
    assert api.get("/api/v1/jobs/vacancies", {"text": "焊接"}).json()["count"] == 0


def test_age_limit_review_and_scope(occupations, community_worker, street_officer, other_street_officer, today):
    firm = make_employer(community_worker)
    api = client_for(community_worker)
    r = api.post("/api/v1/jobs/vacancies", {"employer_id": firm.pk, "title": "高空作业电工", "openings": 1, "age_max": 50,
                                            "age_justification": "高处作业须符合特种作业体检要求", "valid_until": "2027-01-31",
                                            "publish": True}, content_type="application/json")
    assert r.status_code == 201 and r.json()["status"] == "pending_review"
    vid = r.json()["id"]
    assert client_for(other_street_officer).get(f"/api/v1/jobs/vacancies/{vid}").status_code == 404
    assert client_for(other_street_officer).post(f"/api/v1/jobs/vacancies/{vid}/review", {"decision": "approve"},
                                                 content_type="application/json").status_code == 404
    reviewer = client_for(street_officer)
    assert reviewer.get("/api/v1/jobs/vacancies", {"status": "review"}).json()["count"] == 1
    r = reviewer.post(f"/api/v1/jobs/vacancies/{vid}/review", {"decision": "approve"}, content_type="application/json")
    assert r.json()["status"] == "published"
    r = api.post(f"/api/v1/jobs/vacancies/{vid}/close", {}, content_type="application/json")
    assert r.json()["status"] == "closed"


def test_an_employer_outside_the_scope_is_not_found(occupations, community_worker, district_officer, today):
    other = make_employer(district_officer, n=3, region=COMMUNITY_B1)
    r = client_for(community_worker).post("/api/v1/jobs/vacancies", {"employer_id": other.pk, "title": "厨师", "openings": 1,
                                                                      "valid_until": "2027-01-31"}, content_type="application/json")
    assert r.status_code == 404


def test_occupations_search_browse_and_suggest(occupations, community_worker):
    api = client_for(community_worker)
    top = api.get("/api/v1/jobs/occupations").json()
    assert top["count"] == 8
    found = api.get("/api/v1/jobs/occupations", {"q": "焊工"}).json()
    assert any(o["code"] == "6-18-02-04" for o in found["items"])
    assert api.get("/api/v1/jobs/occupations", {"q": "6-18-02"}).json()["count"] >= 2
    kids = api.get("/api/v1/jobs/occupations", {"parent": "6-00-00-00"}).json()
    assert kids["items"] and all(o["level"] == 2 for o in kids["items"])
    s = api.get("/api/v1/jobs/occupations/suggest", {"title": "电焊工"}).json()
    assert s[0]["code"] == "6-18-02-04" and s[0]["reasons"]
