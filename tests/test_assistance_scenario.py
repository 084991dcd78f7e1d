"""Issue 8, "done when": the whole lifecycle of a zero-employment household on hand-built records, day by
day as the bureau lives it (``jiuye refresh_projections`` runs every night, as cron would):

it becomes zero-employment and a case opens in the registration's transaction; its deadlines run across
the National Day holiday (1–7 October 2026) and its make-up working day (Saturday 10 October); the case
goes overdue and escalates to the street, then to the district, where the overview shows it; a member is
employed and the case goes to follow-up, resolved; a relapse within the follow-up period reopens the
same case; the household splits (the member who moves out has a case of his own); the last unemployed
member retires and the case closes as "no longer qualifies", counted apart from "resolved"; the
reconcile finds nothing to repair.
"""
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction

from jiuye.assistance.models import (
    Case,
    CaseEventKind,
    CaseKind,
    CaseStatus,
    CloseKind,
    DeadlineKind,
    EscalationLevel,
    SpellEnd,
    ZeroEmploymentSpell,
)
from jiuye.assistance.queries import cases as case_queries
from jiuye.registry import services as registry
from jiuye.registry.models import EmploymentForm, Household, Relation, UnemploymentReason
from tests.conftest import COMMUNITY_A1

D = datetime.date
SHANGHAI = ZoneInfo("Asia/Shanghai")


def travel(day: datetime.date):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 9, 0, tzinfo=SHANGHAI), tick=False)


def zero_cases(user, **filters) -> list[int]:
    rows, _more = case_queries.search_cases(user, case_queries.CaseSearch(kind=CaseKind.ZERO_EMPLOYMENT, **filters))
    return [c.pk for c in rows]


def nightly(day: datetime.date) -> str:
    """The night after ``day``'s work: the daily refresh, as cron runs it at 01:00 the next morning."""
    with travel(day):
        out = io.StringIO()
        call_command("refresh_projections", stdout=out)
        return out.getvalue()


@pytest.mark.django_db
def test_a_zero_employment_household_from_first_day_to_no_longer_qualifies(
        district_officer, street_officer, community_worker, make_person):
    actor = community_worker
    with travel(D(2026, 9, 28)):
        a = make_person(birth="19900307", name="甲")  # of working age throughout
        b = make_person(birth="19660915", name="乙")  # reaches retirement age in 2027 (the 2024 rule)
        house = registry.create_household(actor=district_officer, region=COMMUNITY_A1)
        registry.add_household_member(actor=district_officer, household=house, person=a, relation=Relation.HEAD)
        registry.add_household_member(actor=district_officer, household=house, person=b, relation=Relation.SPOUSE)
        registry.register_employment(actor=actor, person=a, effective_date=D(2020, 1, 1), employment_form=EmploymentForm.FLEXIBLE)
        registry.register_unemployment(actor=actor, person=b, effective_date=D(2026, 9, 1),
                                       unemployment_reason=UnemploymentReason.DISMISSED)
        assert not Household.objects.get(pk=house.pk).is_zero_employment  # 甲 works
        assert not Case.objects.filter(household=house).exists()  # (乙, 60, has a hard-to-employ case of his own)

    # Wednesday 30 September: 甲 loses his job; the household is zero-employment and the case exists in
    # the same transaction as the registration.
    with travel(D(2026, 9, 30)):
        with transaction.atomic():
            registry.register_unemployment(actor=actor, person=a, effective_date=D(2026, 9, 30),
                                           unemployment_reason=UnemploymentReason.DISMISSED)
            case = Case.objects.get(household=house)
            assert case.status == CaseStatus.OPEN and case.assigned_to == community_worker
        due = {d.kind: d.due_on for d in case.deadlines.all()}
        # 5 working days: 8, 9, 10 (Saturday, make-up working day), 12, 13 October; the holiday does not count.
        assert due[DeadlineKind.FIRST_CONTACT] == D(2026, 10, 13)
        assert due[DeadlineKind.PLAN] == D(2026, 10, 20)
        spell = ZeroEmploymentSpell.objects.get(household=house)
        assert spell.started_on == D(2026, 9, 30) and spell.case_id == case.pk

    # Nobody contacted the household. 13 October is the last day; the night after, it is overdue.
    nightly(D(2026, 10, 13))
    case.refresh_from_db()
    assert case.escalation == EscalationLevel.COMMUNITY
    nightly(D(2026, 10, 14))
    case.refresh_from_db()
    assert case.escalation == EscalationLevel.STREET
    with travel(D(2026, 10, 14)):
        street_view = case_queries.case_overview(street_officer)
        assert street_view.total.street >= 1 and street_view.total.overdue >= 1
        assert zero_cases(street_officer, escalation="street") == [case.pk]
    # Five more working days (15, 16, 19, 20, 21 October... the district's day is counted from the due date).
    nightly(case.district_due_on - datetime.timedelta(days=1))
    case.refresh_from_db()
    assert case.escalation == EscalationLevel.STREET
    nightly(case.district_due_on + datetime.timedelta(days=1))
    case.refresh_from_db()
    assert case.escalation == EscalationLevel.DISTRICT
    with travel(case.district_due_on + datetime.timedelta(days=1)):
        district_view = case_queries.case_overview(district_officer)
        assert district_view.total.district >= 1
        assert zero_cases(district_officer, escalation="district") == [case.pk]
    assert case.events.filter(kind=CaseEventKind.ESCALATED).count() == 2

    # 甲 finds work on 26 October: resolved, follow-up for six months.
    with travel(D(2026, 10, 26)):
        registry.register_employment(actor=actor, person=a, effective_date=D(2026, 10, 26),
                                     employment_form=EmploymentForm.FLEXIBLE)
    case.refresh_from_db()
    spell.refresh_from_db()
    assert case.status == CaseStatus.FOLLOW_UP and case.follow_up_until == D(2027, 4, 26)
    assert case.escalation == EscalationLevel.COMMUNITY
    assert (spell.ended_on, spell.end_kind) == (D(2026, 10, 26), SpellEnd.RESOLVED)

    # Relapse within the follow-up period: the same case reopens, with fresh deadlines; a new spell.
    with travel(D(2026, 11, 16)):
        registry.register_unemployment(actor=actor, person=a, effective_date=D(2026, 11, 16),
                                       unemployment_reason=UnemploymentReason.CONTRACT_ENDED)
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN and case.reopen_count == 1
    assert Case.objects.filter(household=house).count() == 1
    assert ZeroEmploymentSpell.objects.filter(household=house, ended_on__isnull=True).count() == 1

    # The household splits: 甲 moves into a household of his own, which is zero-employment with its own
    # case; 乙 is still unemployed, so the first household stays on the list.
    with travel(D(2026, 11, 20)):
        own = registry.create_household(actor=district_officer, region=COMMUNITY_A1)
        registry.add_household_member(actor=district_officer, household=own, person=a, relation=Relation.HEAD, move=True)
    assert Case.objects.get(household=own).status == CaseStatus.OPEN
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN

    # 乙 reaches retirement age: the night after, the household has nobody of working age left: the case
    # closes as "no longer qualifies", never as resolved.
    b.refresh_from_db()
    retired = b.retirement_date
    nightly(retired)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.close_kind == CloseKind.NO_LONGER_QUALIFIES
    last = ZeroEmploymentSpell.objects.filter(household=house).order_by("-pk").first()
    assert last.end_kind == SpellEnd.NO_LONGER_QUALIFIES
    with travel(retired):
        assert zero_cases(district_officer, status="closed", close_kind=CloseKind.NO_LONGER_QUALIFIES) == [case.pk]
        assert zero_cases(district_officer, status="closed", close_kind=CloseKind.RESOLVED) == []

    # The history proves it: every spell of the household, when, how it ended.
    spells = list(ZeroEmploymentSpell.objects.filter(household=house).order_by("started_on").values_list(
        "started_on", "end_kind"))
    assert spells == [(D(2026, 9, 30), SpellEnd.RESOLVED), (D(2026, 11, 16), SpellEnd.NO_LONGER_QUALIFIES)]
    with travel(retired):
        out = io.StringIO()
        call_command("reconcile_zero_employment", "--check", stdout=out)  # exits non-zero on a disagreement
