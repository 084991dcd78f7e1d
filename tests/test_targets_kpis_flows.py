"""KPI definitions on hand-built histories (issue 12 scope 1): new urban jobs, attrition, re-employment,
hard-to-employ persons employed; corrections and ``known_on``; 登记地 attribution; records behind a figure."""
import datetime

import pytest
from django.utils import timezone

from jiuye.accounts.scoping import OutOfScope
from jiuye.assistance.models import Recognition
from jiuye.monitoring.periods import parse_period
from jiuye.regions.models import Region
from jiuye.registry import services
from jiuye.targets.kpis.compute import compute, records
from tests.conftest import COMMUNITY_A1, COMMUNITY_A2, COMMUNITY_B1, STREET_A, STREET_B

XC = "610102000000"
Y2024 = parse_period("2024")
D = datetime.date


@pytest.fixture
def urban(regions):
    Region.objects.filter(code__in=[COMMUNITY_A1, COMMUNITY_A2]).update(urban_rural="111")
    Region.objects.filter(code=COMMUNITY_B1).update(urban_rural="220")


@pytest.fixture
def reg(district_officer, urban):
    class R:
        @staticmethod
        def emp(p, day, form="flexible", where=None):
            return services.register_employment(actor=district_officer, person=p, effective_date=day,
                                                employment_form=form, registered_in=where)

        @staticmethod
        def unemp(p, day, where=None):
            return services.register_unemployment(actor=district_officer, person=p, effective_date=day,
                                                  unemployment_reason="dismissed", registered_in=where)

        @staticmethod
        def end(p, day, reason, where=None):
            return services.end_status(actor=district_officer, person=p, effective_date=day, ending_reason=reason,
                                       registered_in=where)
    return R


def value(code, kpi, period=Y2024, **kw):
    return compute([code], period, codes=[kpi], **kw)[(code, kpi)]


def test_employed_twice_in_a_year_counts_once(make_person, reg):
    p = make_person()
    reg.emp(p, D(2024, 2, 1))
    reg.unemp(p, D(2024, 5, 1))
    reg.emp(p, D(2024, 9, 1), where=COMMUNITY_A2)
    v = value(XC, "new_urban_jobs")
    assert v.value == 1 and v.components == {"gross": 1, "attrition": 0}
    # attributed to the first transition's 登记地
    assert value(COMMUNITY_A1, "new_urban_jobs").value == 1
    assert value(COMMUNITY_A2, "new_urban_jobs").value == 0
    # each month counts its own transition
    assert value(XC, "new_urban_jobs", parse_period("2024-09")).value == 1
    assert value(XC, "reemployed_unemployed").value == 1  # unemployed the day before 1 September


def test_job_change_not_counted(make_person, reg):
    p = make_person()
    reg.emp(p, D(2023, 6, 1))
    reg.emp(p, D(2024, 3, 1))
    assert value(XC, "new_urban_jobs").value == 0
    assert value(XC, "new_urban_jobs", parse_period("2023")).value == 1


def test_retirement_and_death_are_attrition(make_person, reg):
    a, b, c = make_person(), make_person(), make_person()
    reg.emp(a, D(2020, 1, 1))
    reg.emp(b, D(2020, 1, 1))
    reg.end(a, D(2024, 4, 1), "retirement")
    reg.end(b, D(2024, 7, 1), "death")
    reg.unemp(c, D(2023, 1, 1))
    reg.end(c, D(2024, 7, 1), "retirement")  # not employed the day before: not attrition
    reg.emp(make_person(), D(2024, 5, 5))
    v = value(XC, "new_urban_jobs")
    assert v.components == {"gross": 1, "attrition": 2}
    assert v.value == -1


def test_correction_moves_employment_out_of_the_period_and_known_on_still_counts_it(make_person, reg, district_officer):
    p = make_person()
    e = reg.emp(p, D(2024, 3, 1))
    before = timezone.now()
    services.correct_registration(actor=district_officer, registration=e, reason="日期有误",
                                  effective_date=D(2023, 12, 1))
    assert value(XC, "new_urban_jobs").value == 0
    assert value(XC, "new_urban_jobs", parse_period("2023")).value == 1
    assert value(XC, "new_urban_jobs", known_on=before).value == 1
    assert value(XC, "new_urban_jobs", parse_period("2023"), known_on=before).value == 0


def test_void_does_not_count(make_person, reg, district_officer):
    p = make_person()
    e = reg.emp(p, D(2024, 3, 1))
    services.void_registration(actor=district_officer, registration=e, reason="误录")
    assert value(XC, "new_urban_jobs").value == 0


def test_rural_registration_place_and_farming_not_counted(make_person, reg):
    reg.emp(make_person(region=COMMUNITY_B1), D(2024, 3, 1))  # rural 登记地
    reg.emp(make_person(), D(2024, 3, 1), form="agriculture")  # 务农
    assert value(XC, "new_urban_jobs").value == 0
    p = make_person(region=COMMUNITY_B1)
    reg.emp(p, D(2024, 3, 1), where=COMMUNITY_A1)  # lives in B1, registered in an urban community
    assert value(XC, "new_urban_jobs").value == 1
    assert value(STREET_B, "new_urban_jobs").value == 0


def test_reemployed_unemployed(make_person, reg):
    a, b = make_person(), make_person()
    reg.unemp(a, D(2023, 10, 1))
    reg.emp(a, D(2024, 2, 1))
    reg.emp(b, D(2024, 2, 1))  # never unemployed
    u = make_person(region=COMMUNITY_B1)
    reg.unemp(u, D(2024, 1, 1))
    reg.emp(u, D(2024, 6, 1))  # rural 登记地 counts for re-employment (no urban test)
    assert value(XC, "reemployed_unemployed").value == 2
    assert value(STREET_A, "reemployed_unemployed").value == 1
    assert value(STREET_B, "reemployed_unemployed").value == 1


def _recognise(person, since, until=None, exited_on=None):
    return Recognition.objects.create(
        person=person, region_id=person.region_id, categories=["long_term_unemployed"], applied_on=since,
        status="exited" if exited_on else "recognised", decided_at=timezone.make_aware(datetime.datetime(2020, 1, 1)),
        valid_from=since, valid_until=until, exited_on=exited_on)


def test_hard_to_employ_employed(make_person, reg):
    a, b, c = make_person(), make_person(), make_person()
    _recognise(a, D(2023, 1, 1))
    _recognise(b, D(2024, 6, 1))  # recognised only after the employment
    _recognise(c, D(2023, 1, 1), exited_on=D(2024, 3, 1))  # exited before
    for p in (a, b, c):
        reg.unemp(p, D(2023, 1, 1))
        reg.emp(p, D(2024, 4, 1))
    assert value(XC, "hte_employed").value == 1
    assert list(records_of("hte_employed")) == [a.pk]


def records_of(kpi, code=XC, period=Y2024):
    from jiuye.accounts.models import User
    su = User(username="su", is_superuser=True, is_active=True)
    return records(su, kpi, code, period).order_by("pk").values_list("pk", flat=True)


def test_records_equal_the_value_and_refuse_outside_the_scope(make_person, reg, street_officer, other_street_officer, leader):
    a, b = make_person(), make_person(region=COMMUNITY_A2)
    reg.emp(a, D(2024, 2, 1))
    reg.unemp(b, D(2024, 1, 1))
    reg.emp(b, D(2024, 3, 1))
    c = make_person(region=COMMUNITY_B1)
    _recognise(c, D(2023, 1, 1))
    reg.emp(c, D(2024, 4, 1), where=COMMUNITY_A2)
    for kpi in ("new_urban_jobs", "reemployed_unemployed", "hte_employed"):
        for code in (STREET_A, COMMUNITY_A1, COMMUNITY_A2):
            v = value(code, kpi)
            assert records(street_officer, kpi, code, Y2024).count() == v.components.get("gross", v.value), (kpi, code)
    assert set(records(street_officer, "new_urban_jobs", STREET_A, Y2024).values_list("pk", flat=True)) == {a.pk, b.pk, c.pk}
    with pytest.raises(OutOfScope):
        records(other_street_officer, "new_urban_jobs", STREET_A, Y2024)
    with pytest.raises(OutOfScope):
        records(street_officer, "new_urban_jobs", XC, Y2024)  # above the officer's node
    with pytest.raises(OutOfScope):
        records(leader, "new_urban_jobs", XC, Y2024)  # leadership sees figures, never persons
