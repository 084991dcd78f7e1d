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


def test_the_web_list_and_the_api_return_the_same_vacancies(occupations, community_worker, today):
    """Random filters and sorts (hypothesis): the web list and GET /api/v1/jobs/vacancies agree, in order."""
    import re

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    firm = make_employer(community_worker)
    for title, desc, low, high, wt in [("电焊工", "氩弧焊", 6000, 9000, "full_time"), ("收银员", "超市收银", 3500, 4200, "part_time"),
                                       ("焊工学徒", "焊接辅助", 3000, 4000, "internship"), ("保安员", "门岗", 3500, 3900, "full_time"),
                                       ("理货员", "超市理货", 3600, 4500, "full_time")]:
        services.create_vacancy(community_worker, employer_id=firm.pk, title=title, description=desc, openings=1, wage_min=low,
                                wage_max=high, work_type=wt, valid_until=D(2027, 1, 31), publish=title != "保安员")
    api = client_for(community_worker)

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(text=st.sampled_from(["", "焊", "焊工", "超市", "收银 超市", "门岗"]),
           wage_min=st.sampled_from([None, 3800, 6000]), work_type=st.sampled_from(["", "full_time", "part_time"]),
           status=st.sampled_from(["", "open", "draft"]), occupation=st.sampled_from(["", "6-00-00-00", "4-01-02-04"]),
           sort=st.sampled_from(["", "title", "-wage", "openings", "-created_at"]))
    def check(text, wage_min, work_type, status, occupation, sort):
        params = {k: v for k, v in dict(text=text, wage_min=wage_min, work_type=work_type, status=status,
                                        occupation=occupation, sort=sort).items() if v not in ("", None)}
        web = api.get("/jobs/vacancies/", params).content.decode()
        web_ids = [int(x) for x in re.findall(r'<td><a href="/jobs/vacancies/(\d+)/">', web)]
        api_ids = [item["id"] for item in api.get("/api/v1/jobs/vacancies", params).json()["items"]]
        assert web_ids == api_ids, params

    check()
