"""Applications (issue 10 item 6): the steps, who may take them, and the hire that registers employment."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jiuye.accounts.models import AuditEntry, Role, User
from jiuye.jobs.models import ApplicationStatus, SeekerRegistration, SeekingEnd, VacancyStatus
from jiuye.jobs.services import applications as apps
from jiuye.jobs.services import seekers
from jiuye.registry import services as registry
from jiuye.registry.models import PendingRegistration, Registration
from jiuye.registry.queries import NotFound
from tests.conftest import COMMUNITY_B1
from tests.jobs_helpers import make_employer, make_vacancy, occupations  # noqa: F401

D = datetime.date


@pytest.fixture
def setting(occupations, community_worker, district_officer, make_person):  # noqa: F811
    employer = make_employer(district_officer)
    vacancy = make_vacancy(employer, openings=1)
    person = make_person(name="张求职")
    return employer, vacancy, person


def _employer_user(employer):
    user = User.objects.create_user("emp_1", password="pass-12345678", role=Role.EMPLOYER_USER)
    registry.link_account(actor=None, user=user, person=None, employer=employer)
    return user


def _resident(person, name="res_1"):
    user = User.objects.create_user(name, password="pass-12345678", role=Role.RESIDENT)
    registry.link_account(actor=None, user=user, person=person)
    return user


def test_recommend_to_hire_by_the_employer_registers_employment_and_fills_the_vacancy(setting, community_worker):
    employer, vacancy, person = setting
    seekers.start_seeking(actor=community_worker, person=person, started_on=D(2026, 11, 2))
    app = apps.recommend(actor=community_worker, vacancy=vacancy, person=person, score=0.8, parts={"occupation": 0.5},
                         matched=True)
    assert app.origin == "matched" and app.status == "recommended" and app.score_parts == {"occupation": 0.5}
    me = _resident(person)
    app = apps.apply(actor=me, vacancy=vacancy, person=person)
    boss = _employer_user(employer)
    app = apps.transition(actor=boss, application=app, action="interview",
                          interview_at=timezone.now() + datetime.timedelta(days=1))
    app = apps.transition(actor=boss, application=app, action="offer")
    today = timezone.localdate()
    app = apps.hire(actor=boss, application=app, start_date=today, employment_form="unit", contract_type="fixed",
                    contract_start=today, contract_end=today.replace(year=today.year + 2) - datetime.timedelta(days=1),
                    social_insurance=True)
    assert app.status == ApplicationStatus.HIRED and app.contract_months == 24
    reg = app.registration
    assert reg.kind == Registration.Kind.EMPLOYMENT and reg.employer == employer and reg.social_insurance is True
    person.refresh_from_db()
    assert person.employment_status == "employed"
    vacancy.refresh_from_db()
    assert vacancy.hired == 1 and vacancy.status == VacancyStatus.FILLED
    seeking = SeekerRegistration.objects.get(person=person)
    assert seeking.ended_on == today and seeking.end_reason == SeekingEnd.HIRED
    steps = list(app.events.values_list("status", flat=True))
    assert steps == ["recommended", "applied", "interview", "offer", "hired"]
    assert AuditEntry.objects.filter(object_type="job_application", object_id=app.pk).count() == 5


def test_a_refused_registration_refuses_the_hire_and_nothing_is_written(setting, community_worker):
    employer, vacancy, person = setting
    app = apps.apply(actor=community_worker, vacancy=vacancy, person=person)
    too_early = person.birth_date  # before 16: the registry refuses
    with pytest.raises(ValidationError) as e:
        apps.hire(actor=community_worker, application=app, start_date=too_early)
    assert "未满16周岁" in str(e.value)
    app.refresh_from_db()
    vacancy.refresh_from_db()
    assert app.status == "applied" and vacancy.hired == 0 and not Registration.objects.filter(person=person).exists()


def test_future_start_is_scheduled_and_linked_when_the_daily_job_applies_it(setting, community_worker, monkeypatch):
    employer, vacancy, person = setting
    app = apps.apply(actor=community_worker, vacancy=vacancy, person=person)
    start = timezone.localdate() + datetime.timedelta(days=3)
    app = apps.hire(actor=_employer_user(employer), application=app, start_date=start, contract_type="open_ended",
                    social_insurance=True)
    pending = PendingRegistration.objects.get(person=person)
    assert pending.status == PendingRegistration.Status.SCHEDULED and app.registration is None
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: start)  # the start day comes
    result = registry.apply_due_pending(today=start)
    assert result == {"applied": 1, "rejected": 0}, PendingRegistration.objects.get(person=person).decision_reason
    app.refresh_from_db()
    assert app.registration is not None and app.registration.effective_date == start
    assert app.registration.employer == employer and app.registration.contract_type == "open_ended"


def test_transitions_follow_the_table_and_the_sides(setting, community_worker, other_street_officer):
    employer, vacancy, person = setting
    app = apps.recommend(actor=community_worker, vacancy=vacancy, person=person)
    with pytest.raises(ValidationError, match="不能发录用通知"):
        apps.transition(actor=community_worker, application=app, action="offer")
    me = _resident(person)
    with pytest.raises(ValidationError, match="您不能对该申请执行"):
        apps.transition(actor=me, application=app, action="interview", interview_at=timezone.now())
    with pytest.raises(NotFound):
        apps.transition(actor=other_street_officer, application=app, action="withdraw")
    app = apps.transition(actor=me, application=app, action="decline", note="已找到其他工作")
    assert app.status == "declined"
    # a new application is possible once the previous one ended, not a second live one
    again = apps.apply(actor=me, vacancy=vacancy, person=person)
    with pytest.raises(ValidationError, match="已有申请"):
        apps.recommend(actor=community_worker, vacancy=vacancy, person=person)
    assert again.status == "applied"


def test_only_published_vacancies_with_open_positions_take_applications(setting, community_worker, make_person):
    employer, vacancy, person = setting
    draft = make_vacancy(employer, title="草稿岗位", status=VacancyStatus.DRAFT)
    with pytest.raises(ValidationError, match="不接受新的申请"):
        apps.apply(actor=community_worker, vacancy=draft, person=person)
    other = make_person(name="李四")
    app = apps.apply(actor=community_worker, vacancy=vacancy, person=other)
    apps.hire(actor=community_worker, application=app, start_date=timezone.localdate())
    vacancy.refresh_from_db()
    with pytest.raises(ValidationError, match="已招满|不接受"):
        apps.apply(actor=community_worker, vacancy=vacancy, person=person)


def test_counting_a_hire_refuses_beyond_openings(setting):
    from jiuye.jobs.services import vacancies

    employer, vacancy, person = setting
    assert vacancies.record_hire(vacancy.pk).status == "filled"  # one opening
    with pytest.raises(ValidationError, match="已招满"):
        vacancies.record_hire(vacancy.pk)


def test_an_employer_user_cannot_touch_another_employers_applications(setting, community_worker, district_officer,
                                                                       make_person):
    employer, vacancy, person = setting
    other = make_employer(district_officer, n=2)
    app = apps.apply(actor=community_worker, vacancy=vacancy, person=person)
    stranger = _employer_user(other)
    with pytest.raises(NotFound):
        apps.hire(actor=stranger, application=app, start_date=timezone.localdate())
    far = make_person(name="远方", region=COMMUNITY_B1)
    with pytest.raises(NotFound):  # a worker of A1 cannot apply for a person of B1 to a vacancy outside A1? (vacancy in A1: allowed)
        apps.apply(actor=_resident(far, "res_far"), vacancy=vacancy, person=person)


def test_applications_at_a_recruitment_event_count_for_the_event(setting, community_worker, make_person):
    from jiuye.jobs.models import EventVacancy, RecruitmentEvent
    from tests.conftest import COMMUNITY_A1

    employer, vacancy, person = setting
    now = timezone.now()
    fair = RecruitmentEvent.objects.create(kind="spring_breeze", title="春风行动专场", organiser="区人社局", region_id=COMMUNITY_A1,
                                           starts_at=now, ends_at=now + datetime.timedelta(hours=4))
    with pytest.raises(ValidationError, match="未参加该招聘活动"):
        apps.apply(actor=community_worker, vacancy=vacancy, person=person, event=fair)
    EventVacancy.objects.create(event=fair, vacancy=vacancy)
    app = apps.apply(actor=community_worker, vacancy=vacancy, person=person, event=fair)
    assert app.origin == "event" and fair.applications.count() == 1
