"""The matching API: the same lists as the pages and the command line, scoped."""
import pytest
from tests.jobs_helpers import occupations  # noqa: F401  (fixture)
from tests.jobs_match_helpers import employer_user, market, resident

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("occupations")]


def _get(user, path):
    from django.test import Client

    c = Client()
    c.force_login(user)
    return c.get("/api/v1" + path)


def test_jobs_for_a_person_and_seekers_for_a_vacancy(district_officer, make_person, other_street_officer):
    m = market(district_officer, make_person)
    r = _get(district_officer, f"/jobs/persons/{m['a'].pk}/jobs?top=2")
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 2 and body["items"][0]["title"] == "电焊工"
    assert body["items"][0]["reasons"][0]["label"] == "职业相近"
    r = _get(district_officer, f"/jobs/vacancies/{m['welder_job'].pk}/seekers")
    assert r.json()["items"][0]["name"] == "张焊工"
    assert _get(other_street_officer, f"/jobs/persons/{m['a'].pk}/jobs").status_code == 404
    assert _get(district_officer, f"/jobs/persons/{m['a'].pk}/jobs?top=1000").status_code == 422


def test_employer_sees_masked_seekers_and_resident_own_jobs(district_officer, make_person):
    m = market(district_officer, make_person)
    body = _get(employer_user(m["firm"]), f"/jobs/vacancies/{m['welder_job'].pk}/seekers").json()
    assert body["items"][0]["name"] == "张**" and body["items"][0]["person_id"] is None
    user = resident(m["c"])
    assert _get(user, "/jobs/my-jobs").json()["items"][0]["title"] == "中式烹调师"
    assert _get(user, f"/jobs/persons/{m['a'].pk}/jobs").status_code == 404


def test_runs_start_and_show_progress(district_officer, make_person, community_worker, settings, tmp_path):
    settings.JIUYE_MATCHING_DIR = str(tmp_path)
    market(district_officer, make_person)
    from django.test import Client

    c = Client()
    c.force_login(district_officer)
    r = c.post("/api/v1/jobs/recommendation-runs", {"congestion": True}, content_type="application/json")
    assert r.status_code == 201, r.content
    run = r.json()
    r = _get(district_officer, f"/jobs/recommendation-runs/{run['id']}").json()
    assert r["status"] == "done" and r["progress"] == 100 and r["stats"]["coverage"] == 1.0
    assert _get(district_officer, "/jobs/recommendation-runs").json()["count"] == 1
    c.force_login(community_worker)
    assert c.post("/api/v1/jobs/recommendation-runs", {}, content_type="application/json").status_code == 403
