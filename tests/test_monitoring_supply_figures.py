"""Supply and demand (人力资源市场供求): what counts, where, in which period; 求人倍率; the comparisons."""
from decimal import Decimal

import pytest

from jiuye.jobs.models import VacancyStatus
from jiuye.monitoring.periods import parse_period
from jiuye.monitoring.queries import supply as q
from tests.conftest import COMMUNITY_A1, COMMUNITY_A2, COMMUNITY_B1, STREET_A
from tests.jobs_helpers import make_employer, occupations  # noqa: F401
from tests.supply_helpers import D, published, seeker


@pytest.fixture
def market(district_officer, occupations, make_person):  # noqa: F811
    a1 = make_employer(district_officer, 1, region=COMMUNITY_A1, industry_code="62")
    b1 = make_employer(district_officer, 2, region=COMMUNITY_B1, industry_code="39")
    return {"a1": a1, "b1": b1, "person": make_person}


def _figure(user, period="2026-10", **kw):
    return q.supply_figures(user, parse_period(period), **kw)


def test_a_vacancy_published_on_the_last_evening_of_a_month_counts_in_that_month_only(district_officer, market):
    published(market["a1"], D(2026, 10, 31), openings=3, hour=23, minute=59)
    published(market["a1"], D(2026, 11, 1), openings=5, hour=0, minute=0)
    assert _figure(district_officer, "2026-10").total.openings == 3
    assert _figure(district_officer, "2026-11").total.openings == 5
    assert _figure(district_officer, "2026Q4").total.openings == 8


def test_drafts_refused_and_pending_never_count(district_officer, market):
    published(market["a1"], D(2026, 10, 5), openings=2, status=VacancyStatus.PUBLISHED)
    published(market["a1"], D(2026, 10, 5), openings=4, status=VacancyStatus.EXPIRED)
    for status in (VacancyStatus.DRAFT, VacancyStatus.REFUSED, VacancyStatus.PENDING_REVIEW):
        published(market["a1"], D(2026, 10, 6), openings=100, status=status)
    assert _figure(district_officer).total.openings == 6


def test_ratio_is_none_without_seekers_and_openings_over_seekers_with(district_officer, market):
    published(market["a1"], D(2026, 10, 5), openings=3)
    f = _figure(district_officer)
    assert f.total.seekers == 0 and f.total.ratio is None
    for i in range(2):
        seeker(market["person"](region=COMMUNITY_A1), D(2026, 10, 9))
    f = _figure(district_officer)
    assert (f.total.openings, f.total.seekers, f.total.ratio) == (3, 2, Decimal("1.50"))


def test_by_region_street_officer_sees_only_their_street(street_officer, district_officer, market):
    published(market["a1"], D(2026, 10, 5), openings=3)
    published(market["b1"], D(2026, 10, 5), openings=7)
    seeker(market["person"](region=COMMUNITY_A2), D(2026, 10, 2))
    seeker(market["person"](region=COMMUNITY_B1), D(2026, 10, 2))
    district = _figure(district_officer)
    assert {r.label: (r.openings, r.seekers) for r in district.rows} == {"西一路街道": (3, 1), "长乐中路街道": (7, 1)}
    mine = _figure(street_officer)
    assert (mine.total.openings, mine.total.seekers) == (3, 1)
    assert {r.key for r in mine.rows} == {COMMUNITY_A1, COMMUNITY_A2}
    # another street as a filter answers like a region with nothing in it
    other = _figure(street_officer, region_code=COMMUNITY_B1)
    assert (other.total.openings, other.total.seekers) == (0, 0)
    assert _figure(district_officer, region_code=STREET_A).total.openings == 3


def test_breakdowns_occupation_industry_education_age(district_officer, market):
    published(market["a1"], D(2026, 10, 5), openings=3, occupation_code="6-18-02-04", education_min="vocational")
    published(market["b1"], D(2026, 10, 5), openings=1, occupation_code="", age_min=18, age_max=40,
              age_justification="体力")
    p = market["person"]
    seeker(p(birth="20000101", education="bachelor", preferred_industry="餐饮"), D(2026, 10, 2),
           occupations=["4-03-02-01"])
    seeker(p(birth="19811002", preferred_industry="不知道"), D(2026, 10, 1))  # 44 on 1 Oct 2026 (birthday the 2nd)
    major = {r.key: (r.openings, r.seekers) for r in _figure(district_officer, dimension=q.MAJOR).rows}
    assert major == {"6": (3, 0), "4": (0, 1), "": (1, 1)}
    medium = {r.key: (r.openings, r.seekers) for r in _figure(district_officer, dimension=q.MEDIUM).rows}
    assert medium == {"6-18": (3, 0), "4-03": (0, 1), "": (1, 1)}
    industry = {r.key: (r.openings, r.seekers) for r in _figure(district_officer, dimension=q.INDUSTRY).rows}
    assert industry == {"H": (3, 1), "C": (1, 0), q.NOT_GIVEN: (0, 1)}
    education = {r.key: (r.openings, r.seekers) for r in _figure(district_officer, dimension=q.EDUCATION).rows}
    assert education == {"vocational": (3, 0), "bachelor": (0, 1), "": (1, 1)}
    age = {r.key: (r.openings, r.seekers) for r in _figure(district_officer, dimension=q.AGE).rows}
    assert age == {"25–34岁": (0, 1), "35–44岁": (1, 1), q.NO_LIMIT: (3, 0)}


def test_changes_on_previous_period_and_year_before(district_officer, market):
    published(market["a1"], D(2026, 10, 5), openings=6)
    published(market["a1"], D(2026, 9, 5), openings=4)
    published(market["a1"], D(2025, 10, 5), openings=3)
    seeker(market["person"](), D(2026, 10, 5))
    seeker(market["person"](), D(2025, 10, 5))
    seeker(market["person"](), D(2025, 10, 6))
    t = _figure(district_officer).total
    assert (t.openings, t.prev_openings, t.yb_openings) == (6, 4, 3)
    c = t.changes()
    assert c["openings_prev"] == {"abs": 2, "pct": Decimal("50.0")}
    assert c["openings_yb"] == {"abs": 3, "pct": Decimal("100.0")}
    assert c["seekers_yb"] == {"abs": -1, "pct": Decimal("-50.0")}
    assert c["seekers_prev"] == {"abs": 1, "pct": None}  # no seekers in September: no percentage
    assert c["ratio_prev"] == {"abs": None, "pct": None}  # September had no ratio
    assert t.ratio == Decimal("6.00") and t.yb_ratio == Decimal("1.50")


def test_monthly_series_per_region(district_officer, market):
    published(market["a1"], D(2026, 9, 30), openings=2, hour=23)
    published(market["b1"], D(2026, 10, 1), openings=5)
    seeker(market["person"](region=COMMUNITY_A1), D(2026, 10, 31))
    s = q.monthly_series(district_officer, D(2026, 10, 1), months=3)
    assert s["months"] == [D(2026, 8, 1), D(2026, 9, 1), D(2026, 10, 1)]
    assert s["total"]["openings"] == [0, 2, 5] and s["total"]["seekers"] == [0, 0, 1]
    assert s["total"]["ratio"] == [None, None, Decimal("5.00")]
    assert dict(s["regions"]) == {"610102001": "西一路街道", "610102002": "长乐中路街道"}
    assert s["openings"]["610102001"] == [0, 2, 0]


def test_drill_down_lists_the_records_behind_a_cell_within_scope(street_officer, district_officer, market):
    published(market["a1"], D(2026, 10, 5), openings=3, title="电焊工A")
    published(market["b1"], D(2026, 10, 5), openings=7, title="电焊工B")
    seeker(market["person"](region=COMMUNITY_B1, name="乙某"), D(2026, 10, 2))
    s = q.SupplyRecords(period="2026-10", dimension=q.REGION, key="610102002")
    rows, _more = q.search_vacancy_records(district_officer, s)
    assert [v.title for v in rows] == ["电焊工B"] and q.sum_vacancy_openings(district_officer, s) == 7
    assert [r.person.name for r in q.search_seeker_records(district_officer, s)[0]] == ["乙某"]
    # the other street's cell, asked for by a street officer: nothing, like a cell with no records
    assert q.count_vacancy_records(street_officer, s) == 0 and q.count_seeker_records(street_officer, s) == 0
    s_region = q.SupplyRecords(period="2026-10", region=COMMUNITY_B1)
    assert q.count_vacancy_records(street_officer, s_region) == 0
