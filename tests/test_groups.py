"""Key groups and hard-to-employ categories derived from facts, with reasons; zero-employment
households. The per-person explanation and the set-based filter must agree."""
import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiuye.registry import groups, services
from jiuye.registry.models import Household, Person, Registration

TODAY = timezone.localdate()


def codes(person, on=None):
    return {g.code: g.reason for g in groups.groups_of(person, on)}


def test_graduate_groups_with_reasons(make_person):
    grad = make_person(birth="20020101", education="bachelor", school_type="university",
                       graduation_date=TODAY - relativedelta(months=18))
    got = codes(grad)
    assert "graduate_within_2y" in got and "离校不满2年" in got["graduate_within_2y"]
    assert "graduate_within_5y" in got
    # Three years later the same person is only within five years of graduation.
    later = codes(grad, TODAY + relativedelta(years=2))
    assert "graduate_within_2y" not in later and "graduate_within_5y" in later
    vocational = make_person(birth="20030101", education="vocational", school_type="secondary_vocational",
                             graduation_date=TODAY - relativedelta(months=3))
    assert "graduate_within_2y" not in codes(vocational)


def test_hard_to_employ_needs_unemployment_and_a_category(make_person, district_officer):
    woman = make_person(birth="19800101", seq="022")  # even sequence: female, 40+
    assert "hard_to_employ" not in codes(woman)
    services.register_unemployment(actor=district_officer, person=woman, effective_date=TODAY - relativedelta(months=14),
                                   unemployment_reason="dismissed")
    reason = codes(woman)["hard_to_employ"]
    assert "女性" in reason and "连续失业14个月" in reason
    assert "long_term_unemployed" in codes(woman)
    # Before the unemployment registration she was not hard-to-employ.
    assert "hard_to_employ" not in codes(woman, TODAY - relativedelta(months=15))
    services.register_employment(actor=district_officer, person=woman, effective_date=TODAY, employment_form="flexible")
    assert "hard_to_employ" not in codes(woman)


def test_young_unemployed_without_category_is_not_hard_to_employ(make_person, district_officer):
    young = make_person(birth="19990101")
    services.register_unemployment(actor=district_officer, person=young, effective_date=TODAY - relativedelta(months=2),
                                   unemployment_reason="resigned")
    assert "hard_to_employ" not in codes(young)
    young_disabled = make_person(birth="19990101", has_disability=True)
    services.register_unemployment(actor=district_officer, person=young_disabled,
                                   effective_date=TODAY - relativedelta(months=2), unemployment_reason="resigned")
    assert "残疾人" in codes(young_disabled)["hard_to_employ"]


def test_migrant_worker_is_rural_in_non_farm_work(make_person, district_officer):
    p = make_person(hukou_type="rural")
    services.register_employment(actor=district_officer, person=p, effective_date=TODAY - relativedelta(years=1),
                                 employment_form="flexible")
    assert "migrant_worker" in codes(p)
    farmer = make_person(hukou_type="rural")
    services.register_employment(actor=district_officer, person=farmer, effective_date=TODAY - relativedelta(years=1),
                                 employment_form="agriculture")
    assert "migrant_worker" not in codes(farmer)


def _household(district_officer, members, number="H1", **kw):
    hh = services.create_household(actor=district_officer, number=number, region="610102001001", **kw)
    for i, person in enumerate(members):
        services.add_household_member(actor=district_officer, household=hh, person=person,
                                      relation="head" if i == 0 else "child", joined_on=datetime.date(2015, 1, 1))
    return hh


def test_zero_employment_household_detected_and_resolved(make_person, district_officer):
    a, b = make_person(birth="19750101"), make_person(birth="19980101")
    retired_parent = make_person(birth="19500101")
    hh = _household(district_officer, [a, b, retired_parent])
    for p in (a, b):
        services.register_unemployment(actor=district_officer, person=p, effective_date=TODAY - relativedelta(months=3),
                                       unemployment_reason="dismissed")
    assert groups.is_zero_employment_household(hh)
    assert list(groups.zero_employment_households()) == [hh]
    assert "零就业家庭" in codes(a)["hard_to_employ"]
    # Six months ago nobody was registered unemployed yet: not a zero-employment household then.
    past = TODAY - relativedelta(months=6)
    assert not groups.is_zero_employment_household(hh, past)
    assert hh not in groups.zero_employment_households(past)
    services.register_employment(actor=district_officer, person=b, effective_date=TODAY, employment_form="flexible")
    assert not groups.is_zero_employment_household(hh)
    assert not groups.zero_employment_households().exists()


def test_business_income_or_unwilling_members_change_the_answer(make_person, district_officer):
    a = make_person(birth="19750101")
    unwilling = make_person(birth="19760101", willing_to_work=False)
    hh = _household(district_officer, [a, unwilling], number="H2", has_business_income=True)
    services.register_unemployment(actor=district_officer, person=a, effective_date=TODAY - relativedelta(months=3),
                                   unemployment_reason="dismissed")
    assert not groups.is_zero_employment_household(hh)
    services.update_household(actor=district_officer, household=hh, has_business_income=False)
    assert groups.is_zero_employment_household(hh)
    # An employed member who is not willing to work does not count either way: only the able and willing do.
    services.register_employment(actor=district_officer, person=unwilling, effective_date=TODAY, employment_form="flexible")
    assert groups.is_zero_employment_household(hh)


def test_person_belongs_to_one_household_at_a_time(make_person, district_officer):
    from django.core.exceptions import ValidationError

    p = make_person()
    h1 = _household(district_officer, [p], number="H3")
    h2 = services.create_household(actor=district_officer, number="H4", region="610102001001")
    with pytest.raises(ValidationError, match="一人同时只能属于一户"):
        services.add_household_member(actor=district_officer, household=h2, person=p, relation="head")
    services.add_household_member(actor=district_officer, household=h2, person=p, relation="head", move=True)
    assert p.household_memberships.filter(left_on__isnull=True).get().household == h2
    assert h1.memberships.get(person=p).left_on == TODAY


person_strategy = st.fixed_dictionaries({
    "birth": st.dates(min_value=datetime.date(1962, 1, 1), max_value=datetime.date(2008, 12, 31)),
    "female": st.booleans(),
    "hukou_type": st.sampled_from(["urban", "rural"]),
    "education": st.sampled_from(["", "senior", "vocational", "college", "bachelor", "master"]),
    "graduated_days_ago": st.one_of(st.none(), st.integers(min_value=-200, max_value=3000)),
    "is_veteran": st.booleans(),
    "has_disability": st.booleans(),
    "is_dibao": st.booleans(),
    "poverty_status": st.sampled_from(["none", "lifted", "monitored"]),
    "is_land_lost_farmer": st.booleans(),
    "willing_to_work": st.booleans(),
    "region": st.sampled_from(["610102001001", "610102002001"]),
    "events": st.lists(st.tuples(st.sampled_from(["employment", "unemployment", "ending"]),
                                 st.integers(min_value=0, max_value=4000),
                                 st.sampled_from(["flexible", "agriculture", "self_employed"])), max_size=4),
    "household": st.integers(min_value=0, max_value=2),
})


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=st.lists(person_strategy, min_size=1, max_size=6),
       days_back=st.sampled_from([0, 0, 90, 400, 1500]),
       business_income=st.booleans())
def test_explanations_and_filters_agree(district_officer, people, days_back, business_income):
    _explanations_and_filters_agree(district_officer, people, days_back, business_income)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=st.lists(person_strategy, min_size=1, max_size=6),
       days_back=st.sampled_from([0, 0, 90, 400, 1500]),
       business_income=st.booleans(),
       recorded_days_back=st.lists(st.integers(min_value=0, max_value=3000), min_size=1, max_size=8),
       known_days_back=st.one_of(st.none(), st.integers(min_value=0, max_value=3000)))
def test_explanations_and_filters_agree_with_known_on(district_officer, people, days_back, business_income,
                                                      recorded_days_back, known_days_back):
    """Registrations recorded at random times, faces asked with a random "known on" cutoff."""
    known_on = TODAY - datetime.timedelta(days=known_days_back) if known_days_back is not None else None
    _explanations_and_filters_agree(district_officer, people, days_back, business_income,
                                    recorded_days_back=recorded_days_back, known_on=known_on)


def _explanations_and_filters_agree(district_officer, people, days_back, business_income, recorded_days_back=None,
                                    known_on=None):
    from jiuye.registry.retirement import working_age_start

    on = TODAY - datetime.timedelta(days=days_back)
    with transaction.atomic():
        households = [Household.objects.create(number=f"HH{i}", region_id="610102001001",
                                               has_business_income=business_income and i == 0) for i in range(3)]
        n_entries = 0
        for n, spec in enumerate(people):
            birth = spec["birth"].strftime("%Y%m%d")
            seq = f"{n * 2 + (2 if spec['female'] else 1):03d}"
            from tests.conftest import make_id

            grad = TODAY - datetime.timedelta(days=spec["graduated_days_ago"]) if spec["graduated_days_ago"] is not None else None
            person = services.create_person(
                actor=district_officer, id_number=make_id("610102", birth, seq), name=f"人{n}", region=spec["region"],
                hukou_type=spec["hukou_type"], education=spec["education"], graduation_date=grad,
                school_type="university" if spec["education"] in ("college", "bachelor", "master") else "",
                is_veteran=spec["is_veteran"], has_disability=spec["has_disability"], is_dibao=spec["is_dibao"],
                poverty_status=spec["poverty_status"], is_land_lost_farmer=spec["is_land_lost_farmer"],
                willing_to_work=spec["willing_to_work"])
            hh = households[spec["household"]]
            hh.memberships.create(person=person, relation="head" if not hh.memberships.exists() else "other",
                                  joined_on=datetime.date(2010, 1, 1))
            start = working_age_start(person.birth_date)
            for kind, offset, form in spec["events"]:
                date = min(TODAY, start + datetime.timedelta(days=offset))
                extra = {}
                if recorded_days_back is not None:
                    back = recorded_days_back[n_entries % len(recorded_days_back)]
                    extra["recorded_at"] = timezone.now() - datetime.timedelta(days=back)
                n_entries += 1
                Registration.objects.create(
                    person=person, kind=kind, effective_date=date, employment_form=form if kind == "employment" else "",
                    unemployment_reason="other" if kind == "unemployment" else "",
                    ending_reason="job_ended" if kind == "ending" else "", **extra)
        services.refresh_status(Person.objects.values_list("pk", flat=True))
        persons = list(Person.objects.all())
        for rule in groups.GROUPS + groups.HARD_TO_EMPLOY_RULES:
            expected = {p.pk for p in persons if rule.explain(groups.facts_for(p, on, known_on))}
            got = set(groups.filter_group(Person.objects.all(), rule.code, on, known_on).values_list("pk", flat=True))
            assert got == expected, (rule.code, on)
        expected_hh = {h.pk for h in households if groups.is_zero_employment_household(h, on, known_on)}
        assert set(groups.zero_employment_households(on, known_on=known_on).values_list("pk", flat=True)) == expected_hh
        transaction.set_rollback(True)


def test_zero_employment_flag_follows_every_change_and_the_daily_refresh(make_person, district_officer):
    from django.core.management import call_command

    a = make_person(birth="19750101")
    hh = _household(district_officer, [a], number="H9")
    hh.refresh_from_db()
    assert not hh.is_zero_employment  # nobody registered unemployed yet: not flagged
    services.register_unemployment(actor=district_officer, person=a, effective_date=TODAY - relativedelta(months=1),
                                   unemployment_reason="dismissed")
    hh.refresh_from_db()
    assert hh.is_zero_employment
    b = make_person(birth="19800101")
    services.register_employment(actor=district_officer, person=b, effective_date=TODAY, employment_form="flexible")
    services.add_household_member(actor=district_officer, household=hh, person=b, relation="spouse")
    hh.refresh_from_db()
    assert not hh.is_zero_employment
    services.remove_household_member(actor=district_officer, household=hh, person=b)
    hh.refresh_from_db()
    assert hh.is_zero_employment
    # A stale flag (e.g. a member reached retirement age overnight) is put right by the daily refresh.
    Household.objects.filter(pk=hh.pk).update(is_zero_employment=False)
    call_command("refresh_projections")
    hh.refresh_from_db()
    assert hh.is_zero_employment


def test_refresh_of_a_few_households_reads_only_them_and_announces_flips(make_person, district_officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jiuye.registry import events

    a = make_person(birth="19750101")
    hh = _household(district_officer, [a], number="H10")
    other = _household(district_officer, [make_person(birth="19760101")], number="H11")
    services.register_unemployment(actor=district_officer, person=a, effective_date=TODAY - relativedelta(months=1),
                                   unemployment_reason="dismissed")
    Household.objects.filter(pk__in=[hh.pk, other.pk]).update(is_zero_employment=True)  # other: stale
    seen = []

    def receiver(sender, ids, created, fields, via, **kwargs):
        seen.append((ids, created, fields, via))

    events.households_changed.connect(receiver, dispatch_uid="test_refresh_flips")
    try:
        assert services.refresh_zero_employment([hh.pk]) == 0  # still zero-employment: nothing flips, no event
        assert seen == []
        with CaptureQueriesContext(connection) as queries:
            assert services.refresh_zero_employment([other.pk], via=events.VIA_REFRESH) == 1
        assert seen == [([other.pk], False, ["is_zero_employment"], events.VIA_REFRESH)]
        # The refresh's own reads and writes of households name only ``other`` (the receivers of higher
        # apps, in the same transaction, read what their rules need: not counted here).
        def on_households(sql: str) -> bool:
            head = sql.split(" FROM ", 1)[1] if sql.startswith("SELECT") and " FROM " in sql else sql
            return head.startswith('"registry_household"') or sql.startswith('UPDATE "registry_household"')

        assert all(str(other.pk) in q["sql"] for q in queries.captured_queries if on_households(q["sql"]))
    finally:
        events.households_changed.disconnect(dispatch_uid="test_refresh_flips")
    other.refresh_from_db()
    hh.refresh_from_db()
    assert not other.is_zero_employment and hh.is_zero_employment


def test_known_on_reproduces_an_earlier_screening(make_person, district_officer):
    """A hard-to-employ screening kept on a date is reproduced after later (back-dated) registrations."""
    woman = make_person(birth="19800101", seq="022")
    kept_on = TODAY - relativedelta(days=10)
    Registration.objects.create(person=woman, kind="unemployment", effective_date=TODAY - relativedelta(months=3),
                                unemployment_reason="dismissed", recorded_at=timezone.now() - relativedelta(days=20))
    # Recorded today, effective before the screening date: she had found work.
    Registration.objects.create(person=woman, kind="employment", effective_date=TODAY - relativedelta(months=2),
                                employment_form="flexible")
    on = TODAY - relativedelta(days=10)
    assert not groups.filter_group(Person.objects.all(), "hard_to_employ", on).exists()
    assert list(groups.filter_group(Person.objects.all(), "hard_to_employ", on, kept_on)) == [woman]
    assert "hard_to_employ" in {g.code for g in groups.groups_of(woman, on, kept_on)}
    assert "hard_to_employ" not in {g.code for g in groups.groups_of(woman, on)}


def test_group_filters_combine_as_of_a_date(make_person, district_officer):
    """Screening combines rules: each filter brings its own one-pass status table."""
    woman = make_person(birth="19800101", seq="022", hukou_type="rural")
    services.register_employment(actor=district_officer, person=woman, effective_date=TODAY - relativedelta(years=3),
                                 employment_form="flexible")
    services.register_unemployment(actor=district_officer, person=woman, effective_date=TODAY - relativedelta(months=14),
                                   unemployment_reason="dismissed")
    past = TODAY - relativedelta(years=2)
    both = groups.filter_group(groups.filter_group(Person.objects.all(), "migrant_worker", past), "long_term_unemployed",
                               TODAY - relativedelta(days=1))
    assert list(both) == [woman] and both.count() == 1
    assert not groups.filter_group(groups.filter_group(Person.objects.all(), "migrant_worker", past), "hard_to_employ",
                                   past).exists()


@given(since=st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2030, 12, 31)),
       days=st.integers(min_value=0, max_value=800), months=st.integers(min_value=1, max_value=24))
def test_the_months_cutoff_agrees_with_whole_months_at_month_ends(since, days, months):
    """Found by the property test above on 2026-11-30: registered unemployed on May 31, a veteran had
    6 whole months on Nov 30 by the Python face (May 31 + 6 months = Nov 30) but not by the SQL face,
    whose cutoff was Nov 30 - 6 months = May 30. The cutoff now counts as the Python face does."""
    from jiuye.registry.groups import months_cutoff

    on = since + datetime.timedelta(days=days)
    delta = relativedelta(on, since)
    assert (delta.years * 12 + delta.months >= months) == (since <= months_cutoff(on, months))
