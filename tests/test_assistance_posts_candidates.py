"""Candidates for a public-welfare post: eligible persons in scope, ranked by the urgency of their
assistance case only (overdue first, then the next due date, then no case); sex, ethnicity and household
registration never change anyone's rank (hypothesis)."""
import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiuye.assistance.models import CaseStatus, CloseKind, Case, CaseKind, PostCategory
from jiuye.assistance.queries import posts as queries
from jiuye.assistance.services import cases
from jiuye.assistance.services import posts as services
from jiuye.registry import services as registry
from jiuye.registry.models import Person
from tests.conftest import COMMUNITY_A1, COMMUNITY_B1
from tests.test_assistance_posts import credit_code, recognise

D = datetime.date


@pytest.fixture
def setting(district_officer, make_person):
    employer = registry.create_employer(actor=district_officer, credit_code=credit_code(3), name="街道办",
                                        region=COMMUNITY_A1)
    post = services.create_post(actor=district_officer, employer=employer, title="保洁", category=PostCategory.URBAN,
                                region=COMMUNITY_A1, openings=3, monthly_subsidy=Decimal("1900"), starts_on=D(2025, 1, 1))
    today = timezone.localdate()
    persons = []
    for i in range(6):
        p = make_person(birth=f"19{70 + i}0101", region=COMMUNITY_A1 if i % 3 else COMMUNITY_B1)
        registry.register_unemployment(actor=district_officer, person=p, effective_date=D(2025, 3, 1),
                                       unemployment_reason="dismissed")
        recognise(p, D(2025, 3, 1))
        persons.append(p)
    # Cases: persons[0] no case; [1] due in 20 days; [2] overdue by 3 days; [3] due in 5 days; [4] overdue by 10.
    dues = {1: 20, 2: -3, 3: 5, 4: -10}
    for i, days in dues.items():
        case = cases.open_case(kind=CaseKind.HARD_TO_EMPLOY, region_id=persons[i].region_id, person=persons[i],
                               opened_on=D(2025, 3, 2))
        Case.objects.filter(pk=case.pk).update(next_due_on=today + datetime.timedelta(days=days))
    for i in (0, 5):  # the registration opened hard-to-employ cases at once: these two have none active
        Case.objects.filter(person=persons[i]).update(status=CaseStatus.CLOSED, close_kind=CloseKind.NO_LONGER_QUALIFIES,
                                                      closed_on=today, next_due_on=None, district_due_on=None)
    not_eligible = make_person()
    registry.register_unemployment(actor=district_officer, person=not_eligible, effective_date=D(2025, 3, 1),
                                   unemployment_reason="dismissed")
    return post, persons, not_eligible


def ranked(user, post):
    return [p.pk for p in queries.candidates_of_search(user, post, queries.CandidateSearch())]


def test_candidates_are_ordered_by_case_urgency(setting, district_officer, street_officer):
    post, persons, not_eligible = setting
    assert ranked(district_officer, post) == [persons[4].pk, persons[2].pk, persons[3].pk, persons[1].pk,
                                              persons[0].pk, persons[5].pk]
    assert not_eligible.pk not in ranked(district_officer, post)
    # In the street officer's scope only (street A): the B1 residents drop out.
    assert ranked(street_officer, post) == [persons[4].pk, persons[2].pk, persons[1].pk, persons[5].pk]
    assert queries.count_candidates(district_officer, post, queries.CandidateSearch()) == 6


def test_a_placed_person_is_no_longer_a_candidate(setting, district_officer):
    post, persons, _ = setting
    services.place(actor=district_officer, post=post, person=persons[4], started_on=D(2026, 1, 5))
    assert persons[4].pk not in ranked(district_officer, post)


SEX = st.sampled_from(["M", "F"])
ETHNICITY = st.sampled_from(["汉族", "回族", "满族", "维吾尔族", ""])
HUKOU = st.sampled_from(["urban", "rural"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.lists(st.tuples(SEX, ETHNICITY, HUKOU), min_size=6, max_size=6))
def test_sex_ethnicity_and_household_registration_never_change_the_rank(setting, district_officer, changes):
    post, persons, _ = setting
    before = ranked(district_officer, post)
    originals = list(Person.objects.filter(pk__in=[p.pk for p in persons]).values_list("pk", "sex", "ethnicity", "hukou_type"))
    try:
        for person, (sex, ethnicity, hukou) in zip(persons, changes):
            Person.objects.filter(pk=person.pk).update(sex=sex, ethnicity=ethnicity, hukou_type=hukou)
        assert ranked(district_officer, post) == before
    finally:
        for pk, sex, ethnicity, hukou in originals:
            Person.objects.filter(pk=pk).update(sex=sex, ethnicity=ethnicity, hukou_type=hukou)
