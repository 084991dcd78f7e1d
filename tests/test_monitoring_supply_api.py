"""The supply API: the same figures as the web page, the drill-down lists, the catalogues; bad input is 422, other
scopes 404, roles 403. And the breakdowns always add up to the total (hypothesis)."""
import datetime

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiuye.jobs.models import SeekerRegistration, Vacancy
from jiuye.monitoring.periods import parse_period
from jiuye.registry.models import Employer
from jiuye.monitoring.queries import supply as q
from tests.conftest import COMMUNITY_A1, COMMUNITY_A2, COMMUNITY_B1
from tests.jobs_helpers import make_employer, occupations  # noqa: F401
from tests.supply_helpers import D, published, seeker


def api_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.fixture
def market(district_officer, occupations, make_person):  # noqa: F811
    a1 = make_employer(district_officer, 1, region=COMMUNITY_A1, industry_code="62")
    b1 = make_employer(district_officer, 2, region=COMMUNITY_B1, industry_code="39")
    published(a1, D(2026, 10, 5), openings=3, education_min="senior")
    published(b1, D(2026, 10, 6), openings=7, occupation_code="4-03-02-01")
    published(b1, D(2025, 10, 6), openings=2)
    seeker(make_person(region=COMMUNITY_A1, name="张三"), D(2026, 10, 2), occupations=["4-03-02-01"])
    seeker(make_person(region=COMMUNITY_B1, name="李四"), D(2026, 9, 3))
    return a1


def test_api_figures_equal_the_web_figures(district_officer, market):
    api = api_for(district_officer)
    for dimension in q.DIMENSIONS:
        body = api.get("/api/v1/monitoring/supply", {"period": "2026-10", "dimension": dimension}).json()
        f = q.supply_figures(district_officer, parse_period("2026-10"), dimension=dimension)
        assert [(r["key"], r["openings"], r["seekers"]) for r in body["rows"]] == [(r.key, r.openings, r.seekers) for r in f.rows]
        assert body["total"]["openings"] == 10 and body["total"]["seekers"] == 1 and body["total"]["ratio"] == "10.00"
    body = api.get("/api/v1/monitoring/supply", {"period": "2026-10"}).json()
    assert body["total"]["yb_openings"] == 2 and body["total"]["changes"]["openings_yb"] == {"abs": 8, "pct": "400.0"}
    assert body["total"]["prev_ratio"] == "0.00"  # September: one seeker, no openings
    series = api.get("/api/v1/monitoring/supply/series", {"month": "2026-10", "months": 3}).json()
    assert series["months"] == ["2026-08", "2026-09", "2026-10"] and series["openings"] == [0, 0, 10]


def test_api_drill_down_and_scope(street_officer, district_officer, market):
    api = api_for(district_officer)
    v = api.get("/api/v1/monitoring/supply/records/vacancies",
                {"period": "2026-10", "dimension": "major", "key": "4"}).json()
    assert v["count"] == 1 and v["openings"] == 7
    s = api.get("/api/v1/monitoring/supply/records/seekers", {"period": "2026-10"}).json()
    assert [i["name"] for i in s["items"]] == ["张三"] and "*" in s["items"][0]["id_number"]
    mine = api_for(street_officer).get("/api/v1/monitoring/supply/records/vacancies",
                                       {"period": "2026-10", "region": COMMUNITY_B1}).json()
    assert mine["count"] == 0
    bad = api.get("/api/v1/monitoring/supply", {"period": "2026-13"})
    assert bad.status_code == 422 and "2026-13" in str(bad.json())


def test_api_catalogue_compute_publish(district_officer, street_officer, market):
    api = api_for(district_officer)
    r = api.post("/api/v1/monitoring/shortage-catalogues", {"year": 2025}, content_type="application/json")
    assert r.status_code == 201 and r.json()["status"] == "draft"
    pk = r.json()["id"]
    assert api_for(street_officer).get(f"/api/v1/monitoring/shortage-catalogues/{pk}").status_code == 404
    assert api_for(street_officer).post(f"/api/v1/monitoring/shortage-catalogues/{pk}/publish").status_code == 403
    p = api.post(f"/api/v1/monitoring/shortage-catalogues/{pk}/publish")
    assert p.status_code == 200 and p.json()["status"] == "published"
    assert api.post(f"/api/v1/monitoring/shortage-catalogues/{pk}/publish").status_code == 422
    listing = api_for(street_officer).get("/api/v1/monitoring/shortage-catalogues").json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == pk


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(1, 60), st.integers(1, 9), st.sampled_from(["", "senior", "college"]),
                          st.sampled_from([None, 30, 45, 60])), max_size=8),
       st.lists(st.tuples(st.integers(0, 2), st.integers(1, 60), st.sampled_from(["", "4-03-02-01", "6-18-02-04"]),
                          st.sampled_from(["", "餐饮", "51", "未知"])), max_size=8))
def test_every_breakdown_adds_up_to_the_total(district_officer, occupations, make_person, vacancies, seekers):  # noqa: F811
    SeekerRegistration.objects.all().delete()
    Vacancy.objects.all().delete()
    employers = [Employer.objects.filter(name=f"招聘企业{n}").first()
                 or make_employer(district_officer, n, region=r, industry_code=c) for n, r, c in
                 ((11, COMMUNITY_A1, "62"), (12, COMMUNITY_B1, "13"), (13, COMMUNITY_A2, ""), (14, COMMUNITY_A1, "83"))]
    for e, day, n, edu, age_max in vacancies:
        published(employers[e], D(2026, 9, 1) + datetime.timedelta(days=day), openings=n, education_min=edu,
                  age_max=age_max, occupation_code="6-18-02-04" if n % 2 else "")
    for r, day, occ, industry in seekers:
        person = make_person(region=[COMMUNITY_A1, COMMUNITY_A2, COMMUNITY_B1][r], preferred_industry=industry)
        seeker(person, D(2026, 9, 1) + datetime.timedelta(days=day), occupations=[occ] if occ else [])
    period = parse_period("2026Q4")
    totals = set()
    for dimension in q.DIMENSIONS:
        f = q.supply_figures(district_officer, period, dimension=dimension)
        assert sum(r.openings for r in f.rows) == f.total.openings
        assert sum(r.seekers for r in f.rows) == f.total.seekers
        assert sum(r.prev_openings for r in f.rows) == f.total.prev_openings
        totals.add((f.total.openings, f.total.seekers, f.total.prev_openings, f.total.prev_seekers))
        for r in f.rows:  # every cell opens to exactly its records
            s = q.SupplyRecords(period=period.code, dimension=dimension, key=r.key)
            assert q.sum_vacancy_openings(district_officer, s) == r.openings
            assert q.count_seeker_records(district_officer, s) == r.seekers
    assert len(totals) == 1
