"""Public-welfare posts (公益性岗位): eligibility, placement with its employment registration and case
service, tenure limits, exit with the right registry entry, attendance and the subsidy due."""
import datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from stdnum.cn import uscc

from jiuye.assistance.models import (
    DeadlineKind,
    CaseKind,
    CaseService,
    Placement,
    PlacementExit,
    PlacementStatus,
    PostCategory,
    Recognition,
    RecognitionStatus,
    ServiceKind,
)
from jiuye.assistance.queries import posts as queries
from jiuye.assistance.services import cases
from jiuye.assistance.services import posts as services
from jiuye.registry import services as registry
from jiuye.registry.models import EmploymentForm, EmploymentStatus, PovertyStatus, Registration
from tests.conftest import COMMUNITY_A1

D = datetime.date


def credit_code(n: int = 0) -> str:
    body = f"91610102MA6U7QX{n:02d}"
    return body + uscc.calc_check_digit(body)


@pytest.fixture
def employer(district_officer):
    return registry.create_employer(actor=district_officer, credit_code=credit_code(1), name="西一路街道办事处",
                                    region=COMMUNITY_A1)


@pytest.fixture
def post_factory(district_officer, employer):
    def make(**kw):
        values = dict(employer=employer, title="社区保洁", category=PostCategory.URBAN, region=COMMUNITY_A1, openings=2,
                      monthly_subsidy=Decimal("1950"), starts_on=D(2025, 1, 1))
        values.update(kw)
        return services.create_post(actor=district_officer, **values)
    return make


def recognise(person, on=D(2025, 6, 1)):
    """Recognised hard-to-employ since ``on``: the act the registration proposed (a long-term unemployed
    person gets one at once), decided; or a new act when none was proposed."""
    act = Recognition.objects.filter(person=person, status=RecognitionStatus.PROPOSED).first()
    if act is None:
        return Recognition.objects.create(person=person, region_id=person.region_id, categories=["long_term_unemployed"],
                                          applied_on=on, status=RecognitionStatus.RECOGNISED, valid_from=on)
    Recognition.objects.filter(pk=act.pk).update(status=RecognitionStatus.RECOGNISED, valid_from=on, applied_on=on)
    act.refresh_from_db()
    return act


@pytest.fixture
def unemployed(make_person, district_officer):
    def make(recognised=True, since=D(2025, 6, 1), **kw):
        person = make_person(**kw)
        registry.register_unemployment(actor=district_officer, person=person, effective_date=since,
                                       unemployment_reason="dismissed")
        if recognised:
            recognise(person, since)
        person.refresh_from_db()
        return person
    return make


def test_placement_registers_employment_and_records_the_case_service(post_factory, unemployed, district_officer):
    post = post_factory()
    person = unemployed()
    case = cases.open_case(kind=CaseKind.HARD_TO_EMPLOY, region_id=COMMUNITY_A1, person=person, opened_on=D(2025, 6, 2))
    placement = services.place(actor=district_officer, post=post, person=person, started_on=D(2026, 1, 5))
    person.refresh_from_db()
    assert person.employment_status == EmploymentStatus.EMPLOYED
    assert person.employment_form == EmploymentForm.PUBLIC_WELFARE and person.current_employer_id == post.employer_id
    reg = placement.registration
    assert reg.kind == Registration.Kind.EMPLOYMENT and reg.contract_end == placement.planned_end_on
    assert placement.planned_end_on == D(2029, 1, 4)  # 36 months
    assert placement.eligibility == "经认定的就业困难人员"
    service = CaseService.objects.get(case=case)
    assert service.kind == ServiceKind.POST_PLACEMENT and "社区保洁" in service.outcome
    assert queries.get_post(district_officer, post.pk)._filled == 1


def test_an_ineligible_person_is_refused_with_the_reason(post_factory, unemployed, district_officer):
    post = post_factory()
    person = unemployed(recognised=False)
    with pytest.raises(ValidationError) as exc:
        services.place(actor=district_officer, post=post, person=person, started_on=D(2026, 1, 5))
    text = " ".join(exc.value.messages)
    assert "不属于城镇公益性岗位的安置对象" in text and "经认定的就业困难人员" in text
    assert not Placement.objects.exists() and not Registration.objects.filter(kind="employment").exists()


def test_rural_post_takes_poverty_lifted_labour(post_factory, unemployed, district_officer):
    post = post_factory(category=PostCategory.RURAL)
    person = unemployed(recognised=False)
    with pytest.raises(ValidationError):
        services.place(actor=district_officer, post=post, person=person, started_on=D(2026, 1, 5))
    registry.update_person(actor=district_officer, person=person, poverty_status=PovertyStatus.LIFTED)
    placement = services.place(actor=district_officer, post=post, person=person, started_on=D(2026, 1, 5))
    assert placement.eligibility == "脱贫人口"


def test_openings_are_counted_from_placements_and_freed_on_exit(post_factory, unemployed, district_officer):
    post = post_factory(openings=1)
    first, second = unemployed(), unemployed()
    placement = services.place(actor=district_officer, post=post, person=first, started_on=D(2026, 1, 5))
    with pytest.raises(ValidationError) as exc:
        services.place(actor=district_officer, post=post, person=second, started_on=D(2026, 1, 6))
    assert "已满员" in " ".join(exc.value.messages)
    services.exit_placement(actor=district_officer, placement=placement, ended_on=D(2026, 3, 1),
                            reason=PlacementExit.RESIGNED)
    first.refresh_from_db()
    assert first.employment_status == EmploymentStatus.UNEMPLOYED
    replacement = services.place(actor=district_officer, post=post, person=second, started_on=D(2026, 3, 2),
                                 replaces=placement)
    assert replacement.replaces == placement


def test_temporary_posts_six_months_cumulative_then_refused(post_factory, unemployed, district_officer):
    post = post_factory(category=PostCategory.TEMPORARY, title="消杀防疫")
    person = unemployed()
    p1 = services.place(actor=district_officer, post=post, person=person, started_on=D(2026, 1, 5))
    assert p1.planned_end_on == D(2026, 7, 4)
    services.exit_placement(actor=district_officer, placement=p1, ended_on=D(2026, 3, 5), reason=PlacementExit.RESIGNED)
    # 60 days served (5 Jan – 5 Mar): a second temporary placement gets what is left of the 6 months.
    p2 = services.place(actor=district_officer, post=post, person=person, started_on=D(2026, 4, 1))
    assert p2.planned_end_on == D(2026, 4, 1) + datetime.timedelta(days=181 - 60 - 1)  # 181 days in all
    assert "此前已安置60天" in p2.tenure_note
    with pytest.raises(ValidationError) as exc:  # a planned end beyond the limit is refused with the reason
        services.exit_placement(actor=district_officer, placement=p2, ended_on=D(2026, 4, 2), reason=PlacementExit.RESIGNED)
        services.place(actor=district_officer, post=post, person=person, started_on=D(2026, 5, 1),
                       planned_end_on=D(2026, 12, 31))
    assert "超过安置期限" in " ".join(exc.value.messages)


def test_tenure_used_up_is_refused(post_factory, unemployed, district_officer):
    post = post_factory(category=PostCategory.TEMPORARY, title="消杀防疫")
    person = unemployed()
    p1 = services.place(actor=district_officer, post=post, person=person, started_on=D(2026, 1, 5))
    services.exit_placement(actor=district_officer, placement=p1, ended_on=p1.planned_end_on,
                            reason=PlacementExit.TENURE_ENDED)
    person.refresh_from_db()
    assert person.employment_status == EmploymentStatus.UNEMPLOYED
    with pytest.raises(ValidationError) as exc:
        services.place(actor=district_officer, post=post, person=person, started_on=D(2026, 8, 1))
    assert "期限已用完" in " ".join(exc.value.messages)


def test_within_five_years_of_retirement_stays_to_retirement(post_factory, unemployed, district_officer):
    post = post_factory()
    person = unemployed(birth="19680301")
    placement = services.place(actor=district_officer, post=post, person=person, started_on=D(2026, 1, 5))
    assert placement.planned_end_on == person.retirement_date - datetime.timedelta(days=1)
    assert "可安置至退休" in placement.tenure_note


def test_exit_for_retirement_and_for_other_work(post_factory, unemployed, district_officer, employer):
    post = post_factory()
    person = unemployed()
    placement = services.place(actor=district_officer, post=post, person=person, started_on=D(2026, 1, 5))
    with pytest.raises(ValidationError) as exc:
        services.exit_placement(actor=district_officer, placement=placement, ended_on=D(2026, 5, 1),
                                reason=PlacementExit.OTHER_WORK)
    assert "尚未办理新工作的就业登记" in " ".join(exc.value.messages)
    other = registry.create_employer(actor=district_officer, credit_code=credit_code(2), name="新城物业公司",
                                     region=COMMUNITY_A1)
    registry.register_employment(actor=district_officer, person=person, effective_date=D(2026, 5, 1),
                                 employment_form=EmploymentForm.UNIT, employer=other)
    # The new employment registration itself ends the placement (in its transaction) and frees the opening.
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.ENDED and placement.exit_reason == PlacementExit.OTHER_WORK
    assert placement.ended_on == D(2026, 5, 1) and placement.exit_registration is None
    person.refresh_from_db()
    assert person.current_employer_id == other.pk


def test_a_death_registered_elsewhere_ends_the_placement(post_factory, unemployed, district_officer):
    post = post_factory()
    person = unemployed()
    placement = services.place(actor=district_officer, post=post, person=person, started_on=D(2026, 1, 5))
    registry.end_status(actor=district_officer, person=person, effective_date=D(2026, 6, 1), ending_reason="death")
    placement.refresh_from_db()
    assert (placement.status, placement.exit_reason, placement.ended_on) == (PlacementStatus.ENDED,
                                                                             PlacementExit.DECEASED, D(2026, 6, 1))
    assert services.daily_line(today=D(2026, 6, 2)) is None


def test_out_of_scope_post_is_not_found_and_not_writable(post_factory, unemployed, other_street_officer, street_officer):
    post = post_factory()
    from django.http import Http404
    with pytest.raises(Http404):
        queries.get_post(other_street_officer, post.pk)
    assert queries.get_post(street_officer, post.pk).pk == post.pk
    from jiuye.accounts.scoping import OutOfScope
    with pytest.raises(OutOfScope):
        services.place(actor=other_street_officer, post=post, person=unemployed(), started_on=D(2026, 1, 5))


def test_attendance_and_the_subsidy_due(post_factory, unemployed, district_officer, employer):
    post = post_factory()
    person = unemployed()
    placement = services.place(actor=district_officer, post=post, person=person, started_on=D(2026, 1, 5))
    with pytest.raises(ValidationError) as exc:
        services.record_attendance(actor=district_officer, placement=placement, month=D(2026, 1, 1), days_worked=25,
                                   absent_days=5)
    assert "超过当月在岗天数27天" in " ".join(exc.value.messages)
    services.record_attendance(actor=district_officer, placement=placement, month=D(2026, 2, 1), days_worked=18,
                               absent_days=2)
    rows = {r.placement.pk: r for r in queries.payroll_rows(district_officer, employer.pk, D(2026, 2, 1))}
    assert rows[placement.pk].due == Decimal("1755.00")  # 1950 × 18 / 20
    rows = {r.placement.pk: r for r in queries.payroll_rows(district_officer, employer.pk, D(2026, 3, 1))}
    assert rows[placement.pk].due == Decimal("0.00") and rows[placement.pk].note == "未录入考勤"


def test_standard_subsidy_from_the_parameters_and_temporary_120_percent(tmp_path, district_officer, employer):
    (tmp_path / "610102.yaml").write_text(
        'jurisdiction: "610102"\nname: 新城区\nparameters:\n'
        "  assistance.posts.subsidy_monthly.urban:\n    - since: open\n      value: 2000\n"
        "      basis: {document: 测试, article: 测试}\n", encoding="utf-8")
    with override_settings(JIUYE_PARAMETERS_DIR=str(tmp_path)):
        assert services.standard_subsidy(PostCategory.TEMPORARY, COMMUNITY_A1, D(2026, 1, 1)) == Decimal("2400.00")
        post = services.create_post(actor=district_officer, employer=employer, title="防疫", category=PostCategory.TEMPORARY,
                                    region=COMMUNITY_A1, openings=1, starts_on=D(2026, 1, 1))
        assert services.post_subsidy(post, D(2026, 1, 1)) == Decimal("2400.00")
    with pytest.raises(ValidationError) as exc:  # without a standard the post must name its own subsidy
        services.create_post(actor=district_officer, employer=employer, title="保洁", category=PostCategory.URBAN,
                             region=COMMUNITY_A1, openings=1, starts_on=D(2026, 1, 1))
    assert "月补贴标准" in " ".join(exc.value.messages)


def test_create_post_reports_every_error_at_once(district_officer, employer):
    with pytest.raises(ValidationError) as exc:
        services.create_post(actor=district_officer, employer=employer, title="", category="nope", region=COMMUNITY_A1,
                             openings=0, starts_on=D(2026, 1, 1), ends_on=D(2025, 1, 1))
    assert set(exc.value.message_dict) >= {"title", "category", "openings", "ends_on"}


def test_warnings_list_placements_ending_soon(post_factory, unemployed, district_officer):
    post = post_factory(category=PostCategory.TEMPORARY)
    person = unemployed()
    placement = services.place(actor=district_officer, post=post, person=person, started_on=D(2026, 1, 5))
    s = queries.PlacementSearch(ending_within=30, today=D(2026, 6, 10))
    assert [p.pk for p, in [(x,) for x in queries.search_placements(district_officer, s)[0]]] == [placement.pk]
    assert queries.count_placements(district_officer, queries.PlacementSearch(ending_within=30, today=D(2026, 5, 1))) == 0


def test_next_step_suggests_a_post_when_the_case_is_overdue(post_factory, unemployed):
    post_factory()
    person = unemployed()
    # The registration opened the hard-to-employ case at once (open_case returns it).
    case = cases.open_case(kind=CaseKind.HARD_TO_EMPLOY, region_id=COMMUNITY_A1, person=person, opened_on=D(2025, 6, 2))
    employment_due = case.deadlines.get(kind=DeadlineKind.EMPLOYMENT).due_on
    steps = [s for s in cases.next_steps(case, None, today=case.opened_on + datetime.timedelta(days=1)) if s.code == "welfare_post"]
    assert steps == []  # not overdue, employment deadline far away
    steps = [s for s in cases.next_steps(case, None, today=employment_due + datetime.timedelta(days=30)) if s.code == "welfare_post"]
    assert len(steps) == 1 and "已逾期" in steps[0].reason and "本社区有空缺的公益性岗位1个" in steps[0].reason


def test_daily_line_counts_placements_ending_soon_and_overdue(post_factory, unemployed, district_officer):
    post = post_factory(category=PostCategory.TEMPORARY)
    placement = services.place(actor=district_officer, post=post, person=unemployed(), started_on=D(2026, 1, 5))
    assert placement.planned_end_on == D(2026, 7, 4)
    assert services.daily_line(today=D(2026, 6, 10)) == "公益性岗位：1人将在30天内安置期满，0人已过计划期满日期仍在岗（请办理离岗或接替）"
    assert "0人将在30天内安置期满，1人已过计划期满日期" in services.daily_line(today=D(2026, 8, 1))


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spells=st.lists(st.tuples(st.integers(0, 90), st.integers(1, 400)), min_size=1, max_size=5),
       first=st.dates(min_value=D(2020, 1, 1), max_value=D(2025, 12, 31)))
def test_cumulative_tenure_never_exceeds_the_limit(post_factory, make_person, spells, first):
    """Whatever the spells on temporary posts, the days served never exceed 6 months from the first start;
    a placement is refused only when nothing is left."""
    post = post_factory(category=PostCategory.TEMPORARY, starts_on=D(2020, 1, 1))
    person = make_person()
    allowed = (first + relativedelta(months=6) - first).days
    start, served = first, 0
    try:
        for gap, length in spells:
            end, note = services.tenure(person, PostCategory.TEMPORARY, COMMUNITY_A1, start)
            if end is None:
                assert served >= allowed and "期限已用完" in note
                break
            ended = min(end, start + datetime.timedelta(days=length - 1))
            Placement.objects.create(post=post, person=person, category=PostCategory.TEMPORARY, region_id=COMMUNITY_A1,
                                     started_on=start, planned_end_on=end, monthly_subsidy=Decimal("1"),
                                     status=PlacementStatus.ENDED, ended_on=ended)
            served += (ended - start).days + 1
            assert served <= allowed
            start = ended + datetime.timedelta(days=gap + 1)
    finally:
        Placement.objects.filter(person=person).delete()


def test_a_zero_employment_household_member_is_eligible_on_a_past_date(post_factory, unemployed, district_officer):
    post = post_factory()
    person = unemployed(recognised=False, since=D(2025, 6, 1))
    household = registry.create_household(actor=district_officer, region=COMMUNITY_A1)
    registry.add_household_member(actor=district_officer, household=household, person=person, relation="head",
                                  joined_on=D(2025, 1, 1))
    reasons = queries.eligibility_reasons(person, PostCategory.URBAN, COMMUNITY_A1, D(2025, 7, 1))
    assert reasons == ["零就业家庭成员"]
    assert queries.eligibility_reasons(person, PostCategory.URBAN, COMMUNITY_A1, D(2025, 5, 1)) == []
    placement = services.place(actor=district_officer, post=post, person=person, started_on=D(2025, 7, 1))
    assert placement.eligibility == "零就业家庭成员"
