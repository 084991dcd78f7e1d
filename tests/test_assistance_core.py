"""The case lifecycle core every part of the assistance app uses (services/cases.py)."""
import datetime

import pytest

from jiuye.assistance.models import Case, CaseKind, CaseStatus, CloseKind, DeadlineKind
from jiuye.assistance.services import cases
from jiuye.registry import services as registry
from tests.conftest import COMMUNITY_A1

OPENED = datetime.date(2026, 9, 30)  # Wednesday before the National Day holiday (1–7 October 2026)


@pytest.fixture
def household(district_officer, community_worker):
    return registry.create_household(actor=district_officer, region=COMMUNITY_A1)


def test_case_deadlines_skip_the_national_day_holiday_and_count_the_make_up_day(household, community_worker):
    case = cases.open_case(kind=CaseKind.ZERO_EMPLOYMENT, region_id=COMMUNITY_A1, household=household, opened_on=OPENED)
    due = {d.kind: d.due_on for d in case.deadlines.all()}
    # 5 working days after 30 Sep: 8, 9, 10 (Saturday, make-up day), 12, 13 October.
    assert due[DeadlineKind.FIRST_CONTACT] == datetime.date(2026, 10, 13)
    assert case.next_due_on == datetime.date(2026, 10, 13)
    assert case.assigned_to == community_worker
    assert not any(d.uncovered for d in case.deadlines.all())


def test_bulk_open_agrees_with_one_by_one(household, district_officer):
    other = registry.create_household(actor=district_officer, region=COMMUNITY_A1)
    one = cases.open_case(kind=CaseKind.ZERO_EMPLOYMENT, region_id=COMMUNITY_A1, household=household, opened_on=OPENED)
    counts = cases.open_cases_bulk(CaseKind.ZERO_EMPLOYMENT, [cases.Subject(COMMUNITY_A1, household_id=household.pk),
                                                              cases.Subject(COMMUNITY_A1, household_id=other.pk)],
                                   opened_on=OPENED)
    assert counts == {"opened": 1, "reopened": 0}
    bulk = Case.objects.get(household=other)
    assert (bulk.next_due_on, bulk.district_due_on, bulk.assigned_to_id) == (one.next_due_on, one.district_due_on, one.assigned_to_id)
    assert sorted((d.kind, d.due_on) for d in bulk.deadlines.all()) == sorted((d.kind, d.due_on) for d in one.deadlines.all())


def test_employment_then_relapse_within_follow_up_reopens_the_same_case(household):
    case = cases.open_case(kind=CaseKind.ZERO_EMPLOYMENT, region_id=COMMUNITY_A1, household=household, opened_on=OPENED)
    cases.record_employment(case, on=datetime.date(2026, 11, 2))
    case.refresh_from_db()
    assert case.status == CaseStatus.FOLLOW_UP and case.follow_up_until == datetime.date(2027, 5, 2)
    again = cases.open_case(kind=CaseKind.ZERO_EMPLOYMENT, region_id=COMMUNITY_A1, household=household,
                            opened_on=datetime.date(2026, 12, 1))
    assert again.pk == case.pk and again.status == CaseStatus.OPEN and again.reopen_count == 1
    cases.close_case(again, kind=CloseKind.NO_LONGER_QUALIFIES, on=datetime.date(2026, 12, 2), note="户成员退休")
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLOSED
