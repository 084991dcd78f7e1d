"""KPIs beyond the flows: rural transfer equal to the monitoring page, zero-employment households, the
registered unemployment rate with the statistics bureau's denominator as known on a time, the graduates'
destination estimate, schooling years, full-employment communities, the assistance rate, input series."""
import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from jiuye.accounts.models import User
from jiuye.assistance.models import Case, Recognition, ZeroEmploymentSpell
from jiuye.monitoring.models import StatSeriesValue
from jiuye.monitoring.periods import parse_period
from jiuye.monitoring.queries import rural as rq
from jiuye.regions.models import Region
from jiuye.registry import services
from jiuye.registry.models import Household
from jiuye.targets.kpis.compute import compute, records
from jiuye.targets.models import CommunityAssessment, InputValue
from tests.conftest import COMMUNITY_A1, COMMUNITY_A2, COMMUNITY_B1, STREET_A, STREET_B, make_id

XC = "610102000000"
D = datetime.date
NODES = [XC, STREET_A, STREET_B, COMMUNITY_A1, COMMUNITY_A2, COMMUNITY_B1]


def at(*args):
    return timezone.make_aware(datetime.datetime(*args))


@pytest.fixture
def urban(regions):
    Region.objects.filter(code__in=[COMMUNITY_A1, COMMUNITY_A2]).update(urban_rural="111")
    Region.objects.filter(code=COMMUNITY_B1).update(urban_rural="220")


def su():
    return User(username="su", is_superuser=True, is_active=True)


def test_rural_transfer_equals_the_monitoring_page(urban, district_officer):
    places = ["陕西省西安市新城区", "甘肃省武威市凉州区", "陕西省汉阴县涧池镇", ""]
    persons = []
    for i, (place, region) in enumerate(zip(places * 2, [COMMUNITY_A1, COMMUNITY_A2, COMMUNITY_B1, COMMUNITY_A1] * 2)):
        persons.append(services.create_person(
            actor=district_officer, id_number=make_id("610102", "19900307", f"{i * 2 + 1:03d}"), name=f"农民工{i}",
            region=region, hukou_type="rural", hukou_place=place))
    for i, p in enumerate(persons):
        services.register_employment(actor=district_officer, person=p, effective_date=D(2024, 3 + i % 3, 5),
                                     employment_form="agriculture" if i == 7 else "flexible")
    services.register_employment(actor=district_officer, person=persons[0], effective_date=D(2024, 9, 5),
                                 employment_form="platform", registered_in=COMMUNITY_B1)  # twice: one person, two 人次
    period = parse_period("2024")
    got = compute(NODES, period, codes=["rural_transfer_persons", "rural_local_transfer", "rural_transfer_person_times"])
    page = rq.rural_transfer(district_officer, rq.RuralSearch(period="2024", region_code=XC))["measures"][rq.NEW]
    assert got[(XC, "rural_transfer_persons")].value == page["total"].total == 7
    assert got[(XC, "rural_local_transfer")].value == page["total"].counts["local"]
    assert got[(XC, "rural_transfer_person_times")].value == Decimal(8) / 10000
    for row in page["rows"]:  # the page's rows are the streets
        code = row.code.ljust(12, "0")
        assert got[(code, "rural_transfer_persons")].value == row.total
        assert got[(code, "rural_local_transfer")].value == row.counts["local"]
    for kpi in ("rural_transfer_persons", "rural_local_transfer"):
        assert records(su(), kpi, XC, period).count() == got[(XC, kpi)].value


def _household(n, region):
    return Household.objects.create(number=f"H{n}", region_id=region)


def test_zero_employment_households_at_the_end_and_resolved(regions):
    h1, h2, h3 = _household(1, COMMUNITY_A1), _household(2, COMMUNITY_A2), _household(3, COMMUNITY_B1)
    ZeroEmploymentSpell.objects.create(household=h1, region_id=COMMUNITY_A1, started_on=D(2024, 1, 5))
    ZeroEmploymentSpell.objects.create(household=h2, region_id=COMMUNITY_A2, started_on=D(2023, 1, 5),
                                       ended_on=D(2024, 5, 1), end_kind="resolved")
    ZeroEmploymentSpell.objects.create(household=h3, region_id=COMMUNITY_B1, started_on=D(2023, 1, 5),
                                       ended_on=D(2024, 5, 1), end_kind="no_longer_qualifies")
    got = compute(NODES, parse_period("2024-04"), codes=["zero_employment_households", "zero_employment_resolved"])
    assert got[(XC, "zero_employment_households")].value == 3
    assert got[(STREET_A, "zero_employment_households")].value == 2
    got = compute(NODES, parse_period("2024-Q2"), codes=["zero_employment_households", "zero_employment_resolved"])
    assert got[(XC, "zero_employment_households")].value == 1
    assert got[(XC, "zero_employment_resolved")].value == 1
    assert got[(COMMUNITY_A2, "zero_employment_resolved")].value == 1
    assert list(records(su(), "zero_employment_resolved", XC, parse_period("2024-Q2"))) == [h2]


def test_registered_rate_uses_the_urban_employed_known_then(urban, make_person, district_officer):
    for _ in range(3):
        services.register_unemployment(actor=district_officer, person=make_person(), effective_date=D(2024, 3, 5),
                                       unemployment_reason="dismissed")
    period = parse_period("2024-06")
    got = compute([XC], period, codes=["registered_unemployment_rate", "registered_urban_unemployed", "urban_employed"])
    assert got[(XC, "registered_urban_unemployed")].value == 3
    assert got[(XC, "registered_unemployment_rate")].value is None  # no denominator entered
    StatSeriesValue.objects.create(region_id=XC, indicator="urban_employed", month=D(2024, 6, 1), value=97,
                                   source="市统计局", version=1, is_current=False, entered_at=timezone.now())
    mid = timezone.now()
    StatSeriesValue.objects.create(region_id=XC, indicator="urban_employed", month=D(2024, 6, 1), value=297,
                                   source="市统计局（更正）", version=2, is_current=True,
                                   entered_at=timezone.now() + datetime.timedelta(seconds=1))
    StatSeriesValue.objects.create(region_id=XC, indicator="surveyed_rate", month=D(2024, 6, 1), value=Decimal("5.1"),
                                   source="国家统计局陕西调查总队", entered_at=at(2024, 7, 10))
    got = compute([XC], period, codes=["registered_unemployment_rate", "urban_employed", "surveyed_unemployment_rate"])
    assert got[(XC, "registered_unemployment_rate")].value == Decimal("1.00")  # 3 / (297 + 3)
    assert got[(XC, "urban_employed")].value == 297 and got[(XC, "urban_employed")].source == "市统计局（更正）"
    assert got[(XC, "surveyed_unemployment_rate")].value == Decimal("5.1")
    then = compute([XC], period, codes=["registered_unemployment_rate"], known_on=mid)
    assert then[(XC, "registered_unemployment_rate")].value == Decimal("3.00")  # 3 / (97 + 3)
    before = compute([XC], period, codes=["urban_employed"], known_on=D(2024, 7, 1))  # nothing entered yet
    assert before[(XC, "urban_employed")].value is None
    assert records(su(), "registered_urban_unemployed", XC, period).count() == 3


def test_graduate_destination_estimate(urban, make_person, district_officer):
    grads = [make_person(birth="20000101", school_type="university", education="bachelor",
                         graduation_date=D(2024, 6, 30)) for _ in range(4)]
    make_person(birth="20000101", school_type="university", education="bachelor", graduation_date=D(2023, 6, 30))
    services.register_employment(actor=district_officer, person=grads[0], effective_date=D(2024, 8, 1),
                                 employment_form="flexible")
    services.end_status(actor=district_officer, person=grads[1], effective_date=D(2024, 9, 1), ending_reason="school")
    services.register_unemployment(actor=district_officer, person=grads[2], effective_date=D(2024, 7, 1),
                                   unemployment_reason="graduate")
    got = compute([XC, STREET_B], parse_period("2024"), codes=["graduate_destination_rate_estimate"])
    v = got[(XC, "graduate_destination_rate_estimate")]
    assert v.components == {"graduates": 4, "placed": 2} and v.value == Decimal("50.0")
    assert got[(STREET_B, "graduate_destination_rate_estimate")].value is None
    july = compute([XC], parse_period("2024-07"), codes=["graduate_destination_rate_estimate"])
    assert july[(XC, "graduate_destination_rate_estimate")].components == {"graduates": 4, "placed": 0}
    assert set(records(su(), "graduate_destination_rate_estimate", XC, parse_period("2024"))) == {grads[0], grads[1]}


def test_average_schooling_years_of_the_working_age(regions, make_person):
    make_person(birth="19900101", education="bachelor")  # 16
    make_person(birth="19900101", education="junior")  # 9
    make_person(birth="19900101", education="")  # excluded from the mean, counted as a person
    make_person(birth="20150101", education="primary")  # under 16
    make_person(birth="19500101", education="doctor")  # retired
    v = compute([XC], parse_period("2024"), codes=["avg_schooling_years"])[(XC, "avg_schooling_years")]
    assert v.components == {"persons": 3, "with_education": 2}
    assert v.value == Decimal("12.50")


def test_full_employment_communities_and_assistance_rate(urban, make_person, district_officer):
    CommunityAssessment.objects.create(region_id=COMMUNITY_A1, year=2024, passed=True, known_on=at(2024, 12, 31))
    CommunityAssessment.objects.create(region_id=COMMUNITY_A2, year=2024, passed=False, known_on=at(2024, 12, 31))
    CommunityAssessment.objects.create(region_id=COMMUNITY_B1, year=2023, passed=True, known_on=at(2023, 12, 31))
    got = compute(NODES, parse_period("2024"), codes=["full_employment_communities"])
    assert got[(XC, "full_employment_communities")].value == 1
    assert got[(STREET_B, "full_employment_communities")].value == 0

    a, b, c = make_person(), make_person(), make_person()
    for p in (a, b, c):
        Recognition.objects.create(person=p, region_id=p.region_id, categories=["x"], applied_on=D(2024, 1, 1),
                                   status="recognised", decided_at=at(2024, 1, 2), valid_from=D(2024, 1, 2))
    Case.objects.create(kind="hard_to_employ", person=a, region_id=a.region_id, opened_on=D(2024, 2, 1))
    services.register_employment(actor=district_officer, person=b, effective_date=D(2024, 3, 1),
                                 employment_form="flexible")
    v = compute([XC], parse_period("2024"), codes=["hte_assistance_rate"])[(XC, "hte_assistance_rate")]
    assert v.components == {"recognised": 3, "assisted": 2} and v.value == Decimal("66.7")
    assert set(records(su(), "hte_assistance_rate", XC, parse_period("2024"))) == {a, b}


def test_input_series_as_known_on(regions, district_officer):
    first = InputValue.objects.create(kpi="vocational_training_persons", region_id=XC, period="2024",
                                      value=Decimal("1.2"), source="区人社局", is_current=False,
                                      entered_at=at(2025, 1, 10))
    InputValue.objects.create(kpi="vocational_training_persons", region_id=XC, period="2024", value=Decimal("1.5"),
                              source="区人社局（更正）", replaces=first, entered_at=at(2025, 2, 10))
    now = compute([XC, STREET_A], parse_period("2024"), codes=["vocational_training_persons"])
    assert now[(XC, "vocational_training_persons")].value == Decimal("1.5")
    assert now[(XC, "vocational_training_persons")].source == "区人社局（更正）"
    assert now[(STREET_A, "vocational_training_persons")].value is None
    then = compute([XC], parse_period("2024"), codes=["vocational_training_persons"], known_on=D(2025, 1, 31))
    assert then[(XC, "vocational_training_persons")].value == Decimal("1.2")
    before = compute([XC], parse_period("2024"), codes=["vocational_training_persons"], known_on=D(2025, 1, 1))
    assert before[(XC, "vocational_training_persons")].value is None
    every = compute([XC], parse_period("2024"))
    from jiuye.targets.kpis.catalogue import KPIS
    assert {k for (_r, k) in every} == set(KPIS)
    with pytest.raises(ValueError):
        compute([XC], parse_period("2024"), codes=["no_such_kpi"])
