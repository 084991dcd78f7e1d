"""The district / street / city home (issue 7, finding 5): one row per child region with registered
persons, employed, registered unemployed, hard-to-employ and zero-employment households, a totals row,
thousands separators, every cell a link to the list filtered the same way, whose total is the cell's
number; the key groups in a second table. Set-based: a constant number of queries."""
from __future__ import annotations

import datetime
import itertools
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiuye.regions.models import Region
from jiuye.registry import queries, services
from jiuye.registry.groups import GROUPS

from .conftest import COMMUNITY_A1, COMMUNITY_A2, COMMUNITY_B1, STREET_A, XINCHENG
from .test_web import client_for

CELL = re.compile(r'<a data-measure="(\w+)" href="([^"]+)">([0-9,]+)</a>')
SERIAL = itertools.count(1)  # unique identity numbers and household numbers across hypothesis examples
COMMUNITIES = [COMMUNITY_A1, COMMUNITY_A2, COMMUNITY_B1, "610102001003", "610102002002"]


def cells(html: str) -> list[tuple[str, str, int]]:
    section = html.split('id="region-overview"')[1].split("</section>")[0]
    return [(m, href.replace("&amp;", "&"), int(n.replace(",", ""))) for m, href, n in CELL.findall(section)]


def list_total(client, href: str) -> int:
    response = client.get(href)
    assert response.status_code == 200
    return response.context["page"]["total"]


def assert_cells_match_lists(client) -> list[tuple[str, str, int]]:
    found = cells(client.get(reverse("web:home")).content.decode())
    assert found
    for measure, href, n in found:
        assert list_total(client, href) == n, (measure, href)
    return found


def populate(make_person, actor, plan):
    """plan: (community, birth year, sex even/odd, status) tuples; households of two per community."""
    people = []
    for i, (community, year, female, status) in enumerate(plan):
        n = next(SERIAL)
        person = make_person(region=community, birth=f"{year}03{1 + n // 450:02d}",
                             seq=f"{((n % 450) * 2 + (0 if female else 1)):03d}")
        if status == "unemployed":
            services.register_unemployment(actor=actor, person=person, effective_date=datetime.date(2023, 3, 1),
                                           unemployment_reason="resigned")
        elif status == "employed":
            services.register_employment(actor=actor, person=person, effective_date=datetime.date(2024, 2, 1),
                                         employment_form="flexible")
        people.append(person)
    by_community: dict[str, list] = {}
    for p in people:
        by_community.setdefault(p.region_id, []).append(p)
    for k, (community, members) in enumerate(sorted(by_community.items())):
        household = services.create_household(actor=actor, number=f"OV-{next(SERIAL)}",
                                              region=community)
        for j, p in enumerate(members[:2]):
            services.add_household_member(actor=actor, household=household, person=p,
                                          relation="head" if j == 0 else "spouse", joined_on=datetime.date(2020, 1, 1))
    return people


def test_district_home_has_a_row_per_street_with_links_to_the_same_counts(make_person, district_officer):
    populate(make_person, district_officer, [
        (COMMUNITY_A1, 1970, True, "unemployed"), (COMMUNITY_A1, 1972, True, "unemployed"),
        (COMMUNITY_A2, 1990, False, "employed"), (COMMUNITY_B1, 1968, False, "unemployed"),
        (COMMUNITY_B1, 1995, True, ""), (COMMUNITY_A2, 1980, False, "unemployed"),
    ])
    client = client_for(district_officer)
    html = client.get(reverse("web:home")).content.decode()
    streets = list(Region.objects.filter(parent_id=XINCHENG).order_by("code"))
    for street in streets:
        assert f'<tr data-region="{street.code}">' in html and street.name in html
    assert "分街道/乡镇统计" in html and "合计" in html and "重点群体" in html
    found = assert_cells_match_lists(client)
    assert len(found) == 5 * (len(streets) + 1)
    overview = queries.region_overview(district_officer)
    a = next(r for r in overview.rows if r.code == STREET_A)
    assert a.counts["persons"] == 4 and a.counts["unemployed"] == 3 and a.counts["employed"] == 1
    assert overview.total.counts == queries.registry_counts(district_officer)
    assert overview.total.counts["hard_to_employ"] >= 1 and overview.total.counts["zero_employment_households"] >= 1
    # key groups: each count is the person list's total for that group
    group_links = re.findall(r'<tr data-group="([\w.]+)"><th scope="row">[^<]+</th><td class="num"><a href="([^"]+)">([0-9,]+)</a>',
                             html)
    assert {code for code, _h, _n in group_links} == {g.code for g in GROUPS}
    for _code, href, n in group_links:
        assert list_total(client, href) == int(n.replace(",", ""))


def test_street_officer_sees_communities_and_community_worker_their_own(make_person, district_officer,
                                                                        street_officer, community_worker, city_officer):
    populate(make_person, district_officer, [(COMMUNITY_A1, 1970, True, "unemployed"),
                                             (COMMUNITY_A2, 1985, False, "employed"),
                                             (COMMUNITY_B1, 1975, False, "unemployed")])
    street = queries.region_overview(street_officer)
    assert {r.code for r in street.rows} == set(Region.objects.filter(parent_id=STREET_A).values_list("code", flat=True))
    assert street.total.counts["persons"] == 2 and street.level_label == "社区/村"
    assert_cells_match_lists(client_for(street_officer))
    own = queries.region_overview(community_worker)
    assert own.own_node and [r.code for r in own.rows] == [COMMUNITY_A1] and own.rows[0].counts["persons"] == 1
    assert_cells_match_lists(client_for(community_worker))
    city = queries.region_overview(city_officer)
    assert XINCHENG in {r.code for r in city.rows} and city.level_label == "区县"
    assert next(r for r in city.rows if r.code == XINCHENG).counts["persons"] == 3
    assert_cells_match_lists(client_for(city_officer))


def test_overview_queries_do_not_grow_with_regions(make_person, district_officer, city_officer):
    populate(make_person, district_officer, [(COMMUNITY_A1, 1970, True, "unemployed")])
    counts = []
    for user in (district_officer, city_officer):
        with CaptureQueriesContext(connection) as ctx:
            queries.region_overview(user)
        counts.append(len(ctx.captured_queries))
    # child regions + one grouped query per measure (three share one) + one count per key group
    assert counts[0] <= 1 + 3 + len(GROUPS) + 2 and counts[0] == counts[1]


def test_thousands_separators_on_the_home(district_officer, monkeypatch):
    overview = queries.region_overview(district_officer)
    overview.rows[0].counts["persons"] = 1234567
    monkeypatch.setattr(queries, "region_overview", lambda user, **kw: overview)
    html = client_for(district_officer).get(reverse("web:home")).content.decode()
    assert ">1,234,567<" in html


PLAN = st.lists(st.tuples(st.sampled_from(COMMUNITIES), st.integers(1962, 2004), st.booleans(),
                          st.sampled_from(["", "employed", "unemployed", "unemployed"])), min_size=1, max_size=6)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=PLAN)
def test_overview_numbers_equal_the_filtered_lists(make_person, district_officer, street_officer, plan):
    populate(make_person, district_officer, plan)
    assert_cells_match_lists(client_for(district_officer))
    assert_cells_match_lists(client_for(street_officer))
