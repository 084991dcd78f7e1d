"""Rural labour transfer (农村劳动力转移就业): classification local / within the province / across provinces /
unknown, new transfers in a period (each person once) and the stock at the period's end, scope, the drill-down
to persons, and the set-based counts against a per-person reference (hypothesis)."""
from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiuye.monitoring import places
from jiuye.monitoring.queries import rural as q
from jiuye.registry import services as registry
from jiuye.registry.models import Registration
from jiuye.registry.status import effective_entries
from tests.monitoring_helpers import make_employer

from .conftest import COMMUNITY_A1, COMMUNITY_B1, STREET_A, make_id

D = datetime.date
PLACES = {"local": "陕西省西安市新城区", "province": "陕西省汉阴县涧池镇", "cross": "甘肃省武威市凉州区", "unknown": ""}


def test_places_resolve_to_counties_and_classify():
    assert places.county_of_place("陕西省汉阴县") == "610921"
    assert places.county_of_place("陕西省西安市新城区长乐中路") == "610102"
    assert places.county_of_place("甘肃省武威市凉州区") == "620602"
    assert places.county_of_place("新城区") == ""  # several 新城区 in the country: not guessed
    assert places.origin_county("", "610921") == ("610921", "id_number")
    assert places.origin_county("火星", "610100") == ("", "unknown")  # 610100 is a prefecture, not a county
    assert places.classify("610102", "610102001001") == "local"
    assert places.classify("610921", "610102001001") == "province"
    assert places.classify("620602", "610102001001") == "cross"
    assert places.classify("", "610102001001") == "unknown"


@pytest.fixture
def rural(district_officer):
    counter = {"n": 0}

    def person(place_kind, region=COMMUNITY_A1, hukou_type="rural"):
        counter["n"] += 1
        prefix = "610100" if place_kind == "unknown" else "610102"
        return registry.create_person(actor=district_officer, id_number=make_id(prefix, "19900307", f"{counter['n'] * 2 + 1:03d}"),
                                      name=f"农民工{counter['n']}", region=region, hukou_type=hukou_type,
                                      hukou_place=PLACES[place_kind])
    return person


def _employ(officer, person, day, form="flexible", employer=None, registered_in=None):
    return registry.register_employment(actor=officer, person=person, effective_date=day, employment_form=form,
                                        employer=employer, registered_in=registered_in)


def _totals(data, measure):
    return dict(data["measures"][measure]["total"].counts)


def test_new_and_stock_split_by_where_the_household_registration_is(rural, district_officer):
    for kind in ("local", "province", "cross", "unknown"):
        _employ(district_officer, rural(kind), D(2026, 10, 5))
    farmer = rural("province")
    _employ(district_officer, farmer, D(2026, 10, 6), form="agriculture")  # 务农 is not a transfer
    urban = rural("local", hukou_type="urban")
    _employ(district_officer, urban, D(2026, 10, 6))  # an urban household registration is not counted
    twice = rural("cross")
    _employ(district_officer, twice, D(2026, 10, 7))
    _employ(district_officer, twice, D(2026, 10, 20), form="platform")  # each person once
    data = q.rural_transfer(district_officer, q.RuralSearch(period="2026-10"))
    assert _totals(data, q.NEW) == {"local": 1, "province": 1, "cross": 2, "unknown": 1}
    assert _totals(data, q.STOCK) == {"local": 1, "province": 1, "cross": 2, "unknown": 1}
    [origin] = data["measures"][q.NEW]["origins"]
    assert origin["code"] == "620602" and origin["n"] == 2 and origin["province"] == "甘肃省"
    # November: nobody new; the stock is still there, minus who became unemployed
    registry.register_unemployment(actor=district_officer, person=twice, effective_date=D(2026, 11, 3),
                                   unemployment_reason="resigned")
    nov = q.rural_transfer(district_officer, q.RuralSearch(period="2026-11"))
    assert sum(_totals(nov, q.NEW).values()) == 0
    assert _totals(nov, q.STOCK) == {"local": 1, "province": 1, "cross": 1, "unknown": 1}
    year = q.rural_transfer(district_officer, q.RuralSearch(period="2026"))
    assert sum(_totals(year, q.NEW).values()) == 5


def test_place_of_work_is_the_employers_region_else_the_registration_place(rural, district_officer):
    employer = make_employer(district_officer, n=21, region=COMMUNITY_B1, industry_code="34")
    a = rural("cross")
    _employ(district_officer, a, D(2026, 10, 5), form="unit", employer=employer)
    data = q.rural_transfer(district_officer, q.RuralSearch(period="2026-10"))
    rows = {r.code: r for r in data["measures"][q.NEW]["rows"]}
    assert list(rows) == ["610102001"]  # per 登记地 (the person's community A1), not where the employer is
    assert rows["610102001"].counts["cross"] == 1


def test_rows_are_per_region_and_scope_is_the_registration_place(rural, district_officer, street_officer,
                                                                 other_street_officer):
    _employ(district_officer, rural("province"), D(2026, 10, 5))
    _employ(district_officer, rural("cross", region=COMMUNITY_B1), D(2026, 10, 5))
    district = q.rural_transfer(district_officer, q.RuralSearch(period="2026-10"))
    assert [(r.code, r.total) for r in district["measures"][q.NEW]["rows"]] == [("610102001", 1), ("610102002", 1)]
    street = q.rural_transfer(street_officer, q.RuralSearch(period="2026-10"))
    assert [(r.code, r.total) for r in street["measures"][q.NEW]["rows"]] == [("610102001001", 1)]
    other = q.rural_transfer(other_street_officer, q.RuralSearch(period="2026-10"))
    assert _totals(other, q.NEW)["cross"] == 1 and _totals(other, q.NEW)["province"] == 0
    with pytest.raises(ValueError):
        q.rural_transfer(street_officer, q.RuralSearch(period="2026-10", region_code="610102002000"))
    with pytest.raises(ValueError):
        q.rural_transfer(district_officer, q.RuralSearch(period="2026-13"))


def test_drill_down_lists_exactly_the_persons_of_a_cell(rural, district_officer, street_officer):
    people = {kind: rural(kind) for kind in ("local", "province", "cross", "unknown")}
    for p in people.values():
        _employ(district_officer, p, D(2026, 10, 5))
    for kind, person in people.items():
        rows = list(q.persons_query(district_officer, q.RuralPersonSearch(period="2026-10", scope=kind)))
        assert [r.pk for r in rows] == [person.pk]
    all_rows = q.person_rows(q.persons_query(district_officer, q.RuralPersonSearch(period="2026-10", measure="stock")))
    assert {r["scope"] for r in all_rows} == {"local", "province", "cross", "unknown"}
    assert q.count_persons(street_officer, q.RuralPersonSearch(period="2026-10", region_code=STREET_A)) == 4
    origin = q.persons_query(district_officer, q.RuralPersonSearch(period="2026-10", origin="620602"))
    assert [r.pk for r in origin] == [people["cross"].pk]


# ---------------------------------------------------------------------------------------------
# The set-based counts equal a per-person reference


def _reference(persons, period, measure):
    counts = {s: 0 for s in q.SCOPES}
    for person in persons:
        if person.hukou_type != "rural":
            continue
        entries = effective_entries(list(Registration.objects.filter(person=person).select_related("employer")))
        if measure == q.NEW:
            chosen = [e for e in entries if e.kind == "employment" and e.employment_form != "agriculture"
                      and period.start <= e.effective_date <= period.end]
            entry = chosen[0] if chosen else None
        else:
            before = [e for e in entries if e.effective_date <= period.end]
            entry = before[-1] if before else None
            if entry is not None and (entry.kind != "employment" or entry.employment_form == "agriculture"):
                entry = None
        if entry is None:
            continue
        work = entry.employer.region_id if entry.employer_id else entry.registered_in_id
        origin, _how = places.origin_county(person.hukou_place, person.id_number[:6])
        counts[places.classify(origin, work)] += 1
    return counts


ENTRY = st.tuples(st.integers(0, 7), st.dates(D(2026, 1, 1), D(2026, 12, 31)),
                  st.sampled_from(["employment", "employment", "unemployment", "ending"]),
                  st.sampled_from(["unit", "flexible", "agriculture", "platform"]), st.booleans())


@pytest.fixture
def pool(rural, district_officer):
    kinds = ["local", "province", "cross", "unknown", "province", "cross", "local", "province"]
    people = [rural(k, hukou_type="urban" if i == 6 else "rural", region=COMMUNITY_B1 if i % 3 == 0 else COMMUNITY_A1)
              for i, k in enumerate(kinds)]
    employer = make_employer(district_officer, n=22, region=COMMUNITY_B1, industry_code="34")
    return people, employer


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(ENTRY, min_size=1, max_size=25),
       period=st.sampled_from(["2026-03", "2026-07", "2026Q2", "2026Q4", "2026"]))
def test_set_based_counts_equal_the_per_person_reference(pool, district_officer, entries, period):
    people, employer = pool
    with transaction.atomic():
        rows = []
        for i, (who, day, kind, form, with_employer) in enumerate(entries):
            person = people[who]
            extra = {}
            if kind == "employment":
                extra = {"employment_form": form, "employer": employer if with_employer else None}
            elif kind == "unemployment":
                extra = {"unemployment_reason": "resigned"}
            else:
                extra = {"ending_reason": "retired"}
            rows.append(Registration(person=person, kind=kind, effective_date=day, registered_in_id=person.region_id,
                                     **extra))
        Registration.objects.bulk_create(rows)
        p = q.period_of_search(period)
        data = q.rural_transfer(district_officer, q.RuralSearch(period=period))
        for measure in (q.NEW, q.STOCK):
            assert _totals(data, measure) == _reference(people, p, measure), measure
            cells = sum(q.count_persons(district_officer, q.RuralPersonSearch(period=period, measure=measure, scope=s))
                        for s in q.SCOPES)
            assert cells == sum(_totals(data, measure).values())
        transaction.set_rollback(True)
