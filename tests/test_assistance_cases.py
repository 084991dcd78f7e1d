"""The case workbench (援助个案): services meet deadlines, escalation on the right working days, the
urgency order, scope, the overview, the end of follow-up, and cases following their subject when it moves."""
import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from django.core.exceptions import ValidationError
from django.http import Http404

from jiuye.accounts.models import AuditEntry, Role
from jiuye.assistance.models import (
    Case,
    CaseEvent,
    CaseEventKind,
    CaseKind,
    CaseStatus,
    CloseKind,
    DeadlineKind,
    EscalationLevel,
    ServiceKind,
)
from jiuye.assistance.queries import cases as q
from jiuye.assistance.services import cases
from jiuye.registry import events
from jiuye.registry import services as registry
from jiuye.registry.models import Household
from jiuye.registry import transfers
from tests.conftest import COMMUNITY_A1, COMMUNITY_A2, COMMUNITY_B1, STREET_A, _user

OPENED = datetime.date(2026, 9, 30)  # Wednesday before the National Day holiday (1–7 October 2026)
D = datetime.date


@pytest.fixture
def household(district_officer):
    return registry.create_household(actor=district_officer, region=COMMUNITY_A1)


def _zero_case(household, opened_on=OPENED):
    # The household stands on the zero-employment list (the daily check closes a zero-employment case
    # whose household is not on it: tests/test_assistance_zero_*.py).
    Household.objects.filter(pk=household.pk).update(is_zero_employment=True)
    return cases.open_case(kind=CaseKind.ZERO_EMPLOYMENT, region_id=household.region_id, household=household,
                           opened_on=opened_on)


def _hte_case(person, opened_on=OPENED):
    return cases.open_case(kind=CaseKind.HARD_TO_EMPLOY, region_id=person.region_id, person=person, opened_on=opened_on)


def test_deadlines_across_national_day_and_its_make_up_saturday(household, community_worker):
    case = _zero_case(household)
    due = {d.kind: d.due_on for d in case.deadlines.all()}
    # Working days after 30 Sep 2026: 8, 9, 10 (Sat, make-up), 12, 13 | 14, 15, 16, 19, 20 October.
    assert due[DeadlineKind.FIRST_CONTACT] == D(2026, 10, 13)
    assert due[DeadlineKind.PLAN] == D(2026, 10, 20)
    # The district takes over 5 working days after the missed deadline: 14, 15, 16, 19, 20 October.
    assert case.district_due_on == D(2026, 10, 20)


def test_a_deadline_crossing_2027_says_its_holidays_are_not_known(household, community_worker, district_officer):
    # The calendar package (chinese-calendar) knows holidays up to 2026; 2027 is not in it yet.
    case = _zero_case(household, opened_on=D(2026, 12, 21))
    employment = case.deadlines.get(kind=DeadlineKind.EMPLOYMENT)
    assert employment.uncovered and employment.due_on.year == 2027
    assert not case.deadlines.get(kind=DeadlineKind.FIRST_CONTACT).uncovered
    page = q.case_page(district_officer, case.pk, today=D(2026, 12, 22))
    assert page.uncovered_years == [2027]


def test_overdue_escalates_to_the_street_then_the_district_on_the_right_working_days(household, community_worker):
    case = _zero_case(household)
    assert cases.daily(D(2026, 10, 13)) is None  # due today: not overdue yet, nothing to say
    case.refresh_from_db()
    assert case.escalation == EscalationLevel.COMMUNITY
    cases.daily(D(2026, 10, 14))
    case.refresh_from_db()
    assert case.escalation == EscalationLevel.STREET
    cases.daily(D(2026, 10, 20))  # the district's day: still the street's
    case.refresh_from_db()
    assert case.escalation == EscalationLevel.STREET
    line = cases.daily(D(2026, 10, 21))
    case.refresh_from_db()
    assert case.escalation == EscalationLevel.DISTRICT and "区县督办 1 件" in line
    cases.daily(D(2026, 10, 22))  # nothing more to do: one event per step
    assert list(case.events.filter(kind=CaseEventKind.ESCALATED).values_list("on", flat=True)) == [
        D(2026, 10, 14), D(2026, 10, 21)]
    assert AuditEntry.objects.filter(object_type="case", object_id=str(case.pk), summary__startswith="逾期督办").count() == 2


def test_queries_see_overdue_before_the_daily_run(household, community_worker, street_officer):
    case = _zero_case(household)
    assert case.escalation == EscalationLevel.COMMUNITY  # no daily run
    on = D(2026, 10, 21)
    assert q.count_cases(street_officer, q.CaseSearch(overdue=True), today=on) == 1
    assert q.count_cases(street_officer, q.CaseSearch(escalation="district"), today=on) == 1
    assert q.count_cases(street_officer, q.CaseSearch(escalation="street"), today=D(2026, 10, 14)) == 1
    assert q.count_cases(street_officer, q.CaseSearch(overdue=True), today=D(2026, 10, 13)) == 0
    assert q.level_of(case, on) == EscalationLevel.DISTRICT


def test_a_visit_meets_first_contact_and_a_plan_meets_the_plan(household, community_worker):
    case = _zero_case(household)
    cases.daily(D(2026, 10, 14))
    case.refresh_from_db()
    assert case.escalation == EscalationLevel.STREET
    cases.record_service(actor=community_worker, case=case, kind=ServiceKind.VISIT, served_on=D(2026, 10, 14),
                         outcome="入户了解家庭情况", today=D(2026, 10, 14))
    case.refresh_from_db()
    deadlines = {d.kind: d.met_on for d in case.deadlines.all()}
    assert deadlines[DeadlineKind.FIRST_CONTACT] == D(2026, 10, 14) and deadlines[DeadlineKind.PLAN] is None
    assert case.next_due_on == D(2026, 10, 20) and case.escalation == EscalationLevel.COMMUNITY
    cases.record_service(actor=community_worker, case=case, kind=ServiceKind.PLAN, served_on=D(2026, 10, 15),
                         outcome="制定帮扶计划", today=D(2026, 10, 15))
    case.refresh_from_db()
    assert case.deadlines.get(kind=DeadlineKind.PLAN).met_on == D(2026, 10, 15)
    assert case.next_due_on == case.deadlines.get(kind=DeadlineKind.EMPLOYMENT).due_on
    assert AuditEntry.objects.filter(object_type="case_service", action="create").count() == 2


def test_a_service_reports_every_broken_rule_at_once(household, community_worker):
    case = _zero_case(household)
    with pytest.raises(ValidationError) as err:
        cases.record_service(actor=community_worker, case=case, kind=ServiceKind.FOLLOW_UP_VISIT,
                             served_on=D(2026, 9, 1), outcome=" ", today=D(2026, 10, 14))
    d = err.value.message_dict
    assert "早于立案日期" in d["served_on"][0] and "请填写服务结果" in d["outcome"][0] and "跟踪回访" in d["kind"][0]


def test_only_an_employment_closes_as_resolved_and_follow_up_ends_daily(household, community_worker, make_person):
    case = _zero_case(household)
    cases.record_employment(case, on=D(2026, 11, 2))
    case.refresh_from_db()
    assert case.status == CaseStatus.FOLLOW_UP and case.follow_up_until == D(2027, 5, 2)
    cases.record_service(actor=community_worker, case=case, kind=ServiceKind.FOLLOW_UP_VISIT,
                         served_on=D(2026, 11, 10), outcome="在岗稳定", today=D(2026, 11, 10))
    case.refresh_from_db()
    assert case.deadlines.get(kind=DeadlineKind.FOLLOW_UP).met_on == D(2026, 11, 10)
    cases.daily(D(2027, 5, 2))  # the last day of follow-up: still in follow-up
    case.refresh_from_db()
    assert case.status == CaseStatus.FOLLOW_UP
    assert "跟踪回访期满结案 1 件" in cases.daily(D(2027, 5, 3))
    case.refresh_from_db()
    assert (case.status, case.close_kind, case.closed_on) == (CaseStatus.CLOSED, CloseKind.RESOLVED, D(2027, 5, 2))
    assert case.events.filter(kind=CaseEventKind.CLOSED).exists()


def test_the_list_is_sorted_by_urgency_overdue_first(district_officer, community_worker, street_officer):
    late = _zero_case(registry.create_household(actor=district_officer, region=COMMUNITY_A1), D(2026, 9, 1))
    later = _zero_case(registry.create_household(actor=district_officer, region=COMMUNITY_A2), D(2026, 9, 15))
    fresh = _zero_case(registry.create_household(actor=district_officer, region=COMMUNITY_A1), D(2026, 11, 25))
    closed = _zero_case(registry.create_household(actor=district_officer, region=COMMUNITY_A1), D(2026, 11, 20))
    cases.close_case(closed, kind=CloseKind.NO_LONGER_QUALIFIES, on=D(2026, 11, 26), note="成员退休")
    rows, more = q.search_cases(street_officer, q.CaseSearch(status=q.ALL), today=D(2026, 11, 30))
    assert [c.pk for c in rows] == [late.pk, later.pk, fresh.pk, closed.pk] and not more
    rows, _more = q.search_cases(street_officer, q.CaseSearch(overdue=True), today=D(2026, 11, 30))
    assert [c.pk for c in rows] == [late.pk, later.pk]
    rows, _more = q.search_cases(street_officer, q.CaseSearch(sort="-opened_on"), today=D(2026, 11, 30))
    assert [c.pk for c in rows] == [fresh.pk, later.pk, late.pk]


def test_scope_community_street_and_not_found(district_officer, community_worker, street_officer, other_street_officer):
    a1 = _zero_case(registry.create_household(actor=district_officer, region=COMMUNITY_A1))
    a2 = _zero_case(registry.create_household(actor=district_officer, region=COMMUNITY_A2))
    b1 = _zero_case(registry.create_household(actor=district_officer, region=COMMUNITY_B1))

    def ids(user, **kw):
        return {c.pk for c in q.cases_of_search(user, q.CaseSearch(**kw))}

    assert ids(community_worker) == {a1.pk}
    assert ids(street_officer) == {a1.pk, a2.pk}
    assert ids(other_street_officer) == {b1.pk}
    assert ids(district_officer) == {a1.pk, a2.pk, b1.pk}
    assert ids(street_officer, region_code=COMMUNITY_A2) == {a2.pk}
    assert ids(community_worker, mine=True) == {a1.pk}  # the A1 worker is responsible for A1's cases
    for user, pk in ((community_worker, a2.pk), (street_officer, b1.pk), (other_street_officer, a1.pk)):
        with pytest.raises(Http404) as err:
            q.get_case(user, pk)
        assert str(err.value) == q.NOT_FOUND
    with pytest.raises(Http404) as missing:
        q.get_case(district_officer, 999_999)
    assert str(missing.value) == q.NOT_FOUND


def test_reading_a_case_is_audited_and_identity_numbers_are_masked(make_person, community_worker):
    person = make_person(name="张援助")
    case = _hte_case(person)
    page = q.case_page(community_worker, case.pk, today=D(2026, 10, 1))
    assert page.members[0].id_masked != person.id_number and "*" in page.members[0].id_masked
    assert AuditEntry.objects.filter(action=AuditEntry.Action.VIEW, object_type="person", object_id=str(person.pk),
                                     summary__contains="援助个案").exists()
    assert [s.code for s in page.next_steps][:2] == ["visit", "plan"]
    assert q.count_cases(community_worker, q.CaseSearch(text="张援")) == 1


def test_next_steps_follow_what_was_done(household, community_worker):
    case = _zero_case(household)
    steps = [s.code for s in cases.next_steps(case, community_worker, D(2026, 10, 2))]
    assert steps == ["visit", "plan", "guidance", "training_referral"]
    cases.record_service(actor=community_worker, case=case, kind=ServiceKind.GUIDANCE, served_on=D(2026, 10, 9),
                         outcome="职业指导", today=D(2026, 10, 9))
    steps = cases.next_steps(case, community_worker, D(2026, 10, 14))
    assert [s.code for s in steps] == ["plan", "training_referral"]
    assert "期限 2026-10-20" in steps[0].reason


def test_reassign_to_another_worker_of_the_community(household, community_worker, street_officer, district_officer):
    other = _user("cw_a1b", Role.COMMUNITY_WORKER, COMMUNITY_A1, display_name="第二协理员")
    a2_worker = _user("cw_a2", Role.COMMUNITY_WORKER, COMMUNITY_A2)
    case = _zero_case(household)
    assert case.assigned_to == community_worker
    with pytest.raises(Exception):
        cases.reassign_case(actor=community_worker, case=case, worker_id=other.pk)  # workers do not reassign
    with pytest.raises(ValidationError):
        cases.reassign_case(actor=street_officer, case=case, worker_id=a2_worker.pk)  # not of the community
    cases.reassign_case(actor=street_officer, case=case, worker_id=other.pk, note="工作调整")
    case.refresh_from_db()
    assert case.assigned_to == other
    assert case.events.filter(kind=CaseEventKind.ASSIGNED, text__contains="工作调整").exists()


def test_a_transferred_person_takes_the_case_along(make_person, community_worker, district_officer):
    b1_worker = _user("cw_b1", Role.COMMUNITY_WORKER, COMMUNITY_B1)
    person = make_person()
    case = _hte_case(person)
    transfer = transfers.request_transfer(actor=district_officer, person=person, to_region=COMMUNITY_B1, reason="搬家")
    transfers.accept_transfer(actor=district_officer, transfer=transfer)
    case.refresh_from_db()
    assert (case.region_id, case.assigned_to_id) == (COMMUNITY_B1, b1_worker.pk)
    moved = case.events.filter(kind=CaseEventKind.MOVED)
    assert moved.count() == 1  # persons_changed and persons_transferred both came: one move
    assert AuditEntry.objects.filter(object_type="case", object_id=str(case.pk), region_code=COMMUNITY_A1,
                                     summary__contains="随人员迁移").exists()


def test_a_household_whose_community_changes_takes_its_case_along(household, community_worker, district_officer):
    # No registry service moves a household yet; whichever path does announces it like this.
    case = _zero_case(household)
    from jiuye.registry.models import Household

    Household.objects.filter(pk=household.pk).update(region_id=COMMUNITY_A2)
    events.households_changed.send(sender=Household, ids=[household.pk], created=False, fields=["region"],
                                   via=events.VIA_IMPORT)
    case.refresh_from_db()
    assert case.region_id == COMMUNITY_A2 and case.assigned_to is None
    assert case.events.filter(kind=CaseEventKind.MOVED).count() == 1


def test_overview_per_community_and_per_street(district_officer, community_worker, street_officer):
    a1 = _zero_case(registry.create_household(actor=district_officer, region=COMMUNITY_A1))
    _zero_case(registry.create_household(actor=district_officer, region=COMMUNITY_A2), D(2026, 11, 27))
    b1 = _zero_case(registry.create_household(actor=district_officer, region=COMMUNITY_B1))
    done = _zero_case(registry.create_household(actor=district_officer, region=COMMUNITY_B1))
    cases.close_case(done, kind=CloseKind.NO_LONGER_QUALIFIES, on=D(2026, 11, 2), note="户分立")
    cases.record_employment(b1, on=D(2026, 11, 3))
    on = D(2026, 11, 30)
    street_view = q.case_overview(street_officer, on)
    assert street_view.level == "community"
    rows = {r.code: r for r in street_view.rows}
    assert rows[COMMUNITY_A1].overdue == 1 and rows[COMMUNITY_A1].district == 1
    assert rows[COMMUNITY_A2].open == 1 and rows[COMMUNITY_A2].overdue == 0
    assert COMMUNITY_B1 not in rows
    district_view = q.case_overview(district_officer, on)
    assert district_view.level == "street"
    rows = {r.code: r for r in district_view.rows}
    assert (rows[STREET_A].open, rows[STREET_A].overdue) == (2, 1)
    b = rows["610102002000"]
    assert (b.follow_up, b.no_longer_qualifies, b.open) == (1, 1, 0)
    assert district_view.total.open == 2 and a1.pk
    assert q.my_summary(community_worker, on) == q.MySummary(active=1, overdue=1)  # A2 has no worker of its own


def test_daily_refresh_signal_returns_the_line(household, community_worker):
    _zero_case(household)
    lines = [line for _r, line in events.daily_refresh.send(sender=None, today=D(2026, 10, 14)) if line]
    assert any("逾期升级街道督办 1 件" in line for line in lines)
    assert CaseEvent.objects.filter(kind=CaseEventKind.ESCALATED).count() == 1
    assert Case.objects.get().escalation == EscalationLevel.STREET


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(opened=st.lists(st.dates(D(2026, 8, 1), D(2026, 11, 20)), min_size=1, max_size=4),
       days=st.lists(st.integers(1, 40), min_size=1, max_size=3))
def test_the_stored_escalation_and_the_computed_level_agree(district_officer, community_worker, opened, days):
    """The daily run (UPDATEs over everyone) and the reads (dates against today) say the same."""
    Case.objects.all().delete()
    made = [_zero_case(registry.create_household(actor=district_officer, region=COMMUNITY_A1), on) for on in opened]
    today = max(opened)
    for step in sorted(days):
        today = max(opened) + datetime.timedelta(days=step)
        cases.daily(today)
    for case in made:
        case.refresh_from_db()
        assert case.escalation == q.level_of(case, today)
    for name, level in (("street", EscalationLevel.STREET), ("district", EscalationLevel.DISTRICT)):
        assert q.count_cases(district_officer, q.CaseSearch(escalation=name), today=today) == sum(
            1 for c in made if c.escalation == level)
