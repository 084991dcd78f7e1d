"""Two paths must agree. Tasks: whatever the departments enter and correct, the weekly report's counts by status
equal the tasks list filtered by that status, and a department is "missing" exactly when it leads a task it has no
entry on. Communities: the set-based criteria (one GROUP BY over the community) equal a replay of each person's
registrations in Python (registry.status.status_on) for random registration histories."""
from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiuye.registry import services as registry
from jiuye.registry.models import EmploymentForm, EmploymentStatus, EndingReason, Person, UnemploymentReason
from jiuye.registry.status import status_on
from jiuye.targets import communities, queries_tasks as queries, services_tasks as services
from jiuye.targets.models import PlanTask, TaskStatus

from .conftest import COMMUNITY_B1, XINCHENG

TODAY = datetime.date(2026, 11, 25)
WEEK = datetime.date(2026, 11, 23)


class _Rollback(Exception):
    pass


@pytest.fixture
def tables(regions):
    services.load_tables()
    return list(PlanTask.objects.filter(region_id=XINCHENG).prefetch_related("lead", "partners").order_by("id"))


ENTRIES = st.lists(st.tuples(st.integers(0, 22), st.integers(0, 3), st.sampled_from(TaskStatus.values),
                             st.sampled_from([0, 7])), max_size=25)


@pytest.mark.slow
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=ENTRIES)
def test_the_week_report_and_the_list_agree(tables, district_officer, entries):
    try:
        with transaction.atomic():
            for i, which, status, back in entries:
                task = tables[i]
                depts = [*task.lead.all(), *task.partners.all()]
                services.report_progress(district_officer, task, depts[which % len(depts)],
                                         WEEK - datetime.timedelta(days=back), status=status, text=f"{status}", today=TODAY)
            report = queries.week_report(district_officer, XINCHENG, WEEK)
            for status in [*TaskStatus.values, "unreported"]:
                assert report.counts[status] == queries.count_tasks(district_officer, queries.TaskSearch(week=WEEK, status=status))
            missing = set()
            for row in report.rows:
                for e in row.entries:
                    if e.role == "lead" and not e.status:
                        missing.add(e.department)
            assert set(report.missing) == missing
            raise _Rollback
    except _Rollback:
        pass


YEAR = 2025
STEPS = st.lists(st.tuples(st.integers(0, 3), st.sampled_from(["employment", "unemployment", "ending"]),
                           st.integers(-200, 364)), max_size=10)


def _apply(actor, person, kind, day):
    if kind == "employment":
        registry.register_employment(actor=actor, person=person, effective_date=day, employment_form=EmploymentForm.FLEXIBLE)
    elif kind == "unemployment":
        registry.register_unemployment(actor=actor, person=person, effective_date=day,
                                       unemployment_reason=UnemploymentReason.DISMISSED)
    else:
        registry.end_status(actor=actor, person=person, effective_date=day, ending_reason=EndingReason.OTHER)


@pytest.mark.slow
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS, able=st.lists(st.booleans(), min_size=4, max_size=4))
def test_the_grouped_criteria_equal_a_replay_per_person(regions, district_officer, make_person, steps, able):
    try:
        with transaction.atomic():
            people = [make_person(birth=f"19{70 + 5 * i}0101", region=COMMUNITY_B1, able_to_work=able[i]) for i in range(4)]
            for who, kind, offset in sorted(steps, key=lambda s: s[2]):
                try:
                    with transaction.atomic():
                        _apply(district_officer, people[who], kind, datetime.date(YEAR, 1, 1) + datetime.timedelta(days=offset))
                except ValidationError:
                    pass  # a refused entry (unemployed twice ...) changes nothing
            got = {c.criterion: c for c in communities.evaluate(XINCHENG, YEAR)[COMMUNITY_B1]}
            end, start = datetime.date(YEAR, 12, 31), datetime.date(YEAR - 1, 12, 31)
            wa_emp = wa_unemp = able_n = able_emp = in_year = reemp = 0
            for p in Person.objects.filter(pk__in=[x.pk for x in people]):
                entries = list(p.registrations.all())
                s_end = status_on(entries, end).status
                s_start = status_on(entries, start).status
                registered = any(e.kind == "unemployment" and YEAR == e.effective_date.year and e.pk in
                                 {x.pk for x in _counting(entries)} for e in entries)
                wa_emp += s_end == EmploymentStatus.EMPLOYED
                wa_unemp += s_end == EmploymentStatus.UNEMPLOYED
                if p.able_to_work and p.willing_to_work and s_end not in communities.NOT_COUNTED:
                    able_n += 1
                    able_emp += s_end == EmploymentStatus.EMPLOYED
                if s_start == EmploymentStatus.UNEMPLOYED or registered:
                    in_year += 1
                    reemp += s_end == EmploymentStatus.EMPLOYED
            assert (got["registered_unemployment"].numerator, got["registered_unemployment"].denominator) == (wa_unemp, wa_emp + wa_unemp)
            assert (got["able_willing_employed"].numerator, got["able_willing_employed"].denominator) == (able_emp, able_n)
            assert (got["reemployed"].numerator, got["reemployed"].denominator) == (reemp, in_year)
            raise _Rollback
    except _Rollback:
        pass


def _counting(entries):
    from jiuye.registry.status import effective_entries
    return effective_entries(entries)
