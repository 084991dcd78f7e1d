"""Recruitment events (招聘活动): organisers create them (a live stream needs its URL), employers and vacancies
take part, seekers register (staff or a resident from the portal) and check in, outcomes count the
applications naming the event by stage; scope."""
from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from jiuye.accounts.models import Role
from jiuye.jobs.models import Application, EventRegistration, EventStatus, RecruitmentEvent, VacancyStatus
from jiuye.jobs.queries import events as queries
from jiuye.jobs.services import events as services
from jiuye.registry import services as registry
from tests.conftest import COMMUNITY_A1, COMMUNITY_B1, STREET_A, XINCHENG, _user
from tests import jobs_helpers
from tests.jobs_helpers import make_employer, make_vacancy

occupations = jobs_helpers.occupations  # the fixture


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def event_of(actor, region=STREET_A, **kw):
    start = timezone.now() + datetime.timedelta(days=2)
    fields = dict(kind="spring_breeze", title="春风行动专场招聘会", organiser="西一路街道", region=region, starts_at=start,
                  ends_at=start + datetime.timedelta(hours=4), place="街道广场")
    fields.update(kw)
    return services.create_event(actor=actor, **fields)


def test_create_reports_every_error_and_live_stream_needs_url(street_officer, community_worker):
    with pytest.raises(ValidationError) as exc:
        event_of(street_officer, kind="live_stream", place="", title="", starts_at=timezone.now(),
                 ends_at=timezone.now() - datetime.timedelta(hours=1))
    assert {"title", "ends_at", "stream_url"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError, match="https://"):
        event_of(street_officer, kind="live_stream", stream_url="ftp://x")
    with pytest.raises(PermissionDenied):
        event_of(community_worker)
    with pytest.raises(ValidationError, match="管辖范围"):
        event_of(street_officer, region=COMMUNITY_B1)
    assert event_of(street_officer, kind="live_stream", place="", stream_url="https://live.example.cn/1").pk


def test_employers_vacancies_registrations_checkin_and_outcomes(street_officer, community_worker, occupations,
                                                                  district_officer, make_person):
    event = event_of(street_officer)
    employer = make_employer(district_officer, n=51, name="机械厂")
    vacancy = make_vacancy(employer)
    draft = make_vacancy(employer, title="草稿岗位", status=VacancyStatus.DRAFT)
    services.add_employer(actor=street_officer, event=event, employer=employer, booth="A01")
    with pytest.raises(ValidationError, match="已参加"):
        services.add_employer(actor=street_officer, event=event, employer=employer)
    services.add_vacancy(actor=street_officer, event=event, vacancy=vacancy)
    with pytest.raises(ValidationError, match="未发布"):
        services.add_vacancy(actor=street_officer, event=event, vacancy=draft)
    people = [make_person(name=f"求职{i}") for i in range(3)]
    regs = [services.register(actor=community_worker, event=event, person=p) for p in people]
    with pytest.raises(ValidationError, match="已报名"):
        services.register(actor=community_worker, event=event, person=people[0])
    services.check_in(actor=community_worker, registration=regs[0], at=event.starts_at)
    for person, status in zip(people, ("interview", "hired", "applied")):
        Application.objects.create(vacancy=vacancy, person=person, origin="event", status=status, event=event)
    Application.objects.create(vacancy=make_vacancy(employer, title="另一岗位"), person=people[0], origin="applied",
                               status="hired")  # no event
    out = queries.outcomes(street_officer, event)
    assert (out["registered"], out["attended"], out["applications"], out["interviews"], out["offers"], out["hires"]) \
        == (3, 1, 3, 2, 1, 1)
    assert out["per_employer"][0]["vacancy__employer__name"] == "机械厂"
    page = client_for(street_officer).get(f"/jobs/events/{event.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and "活动成效" in html and "机械厂" in html and "求职1" in html
    assert people[0].id_number not in html  # masked
    xlsx = client_for(street_officer).get(f"/jobs/events/{event.pk}/", {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_resident_sees_upcoming_and_registers_from_the_portal(street_officer, make_person):
    event = event_of(street_officer)
    person = make_person(name="报名人", region=COMMUNITY_B1)
    user = _user("res_ev", Role.RESIDENT, COMMUNITY_B1)
    registry.link_account(actor=None, user=user, person=person)
    web = client_for(user)
    assert "春风行动专场招聘会" in web.get("/jobs/events/", {"upcoming": "on"}).content.decode()
    assert "报名" in web.get(f"/jobs/events/{event.pk}/").content.decode()
    assert web.post(f"/jobs/events/{event.pk}/register/").status_code == 302
    assert EventRegistration.objects.filter(event=event, person=person).exists()
    assert "您已报名" in web.get(f"/jobs/events/{event.pk}/").content.decode()
    # another street's officer does not see this person's registration
    other = _user("so_b2", Role.STREET_OFFICER, "610102002000")
    assert queries.registrations_of_event(other, event).count() == 1  # person lives in street B
    assert queries.registrations_of_event(street_officer, event).count() == 0


def test_employer_user_signs_up_itself_and_its_vacancy(street_officer, district_officer, occupations):
    event = event_of(street_officer)
    employer = make_employer(district_officer, n=52, name="食品公司")
    vacancy = make_vacancy(employer, title="面点师", occupation_code=None)
    user = _user("emp_ev", Role.EMPLOYER_USER, COMMUNITY_A1)
    registry.link_account(actor=None, user=user, employer=employer)
    web = client_for(user)
    assert web.post(f"/jobs/events/{event.pk}/employer/").status_code == 302
    assert web.post(f"/jobs/events/{event.pk}/vacancy/", {"vacancy": vacancy.pk}).status_code == 302
    assert event.vacancies.filter(vacancy=vacancy).exists()
    other = make_vacancy(make_employer(district_officer, n=53), title="别家岗位", occupation_code=None)
    with pytest.raises(ValidationError):
        services.add_vacancy(actor=user, event=event, vacancy=other)


def test_events_list_scope_count_and_status(street_officer, other_street_officer, district_officer, community_worker):
    a = event_of(street_officer)
    event_of(district_officer, region=XINCHENG, title="区级金秋招聘月", kind="golden_autumn")
    web = client_for(community_worker)  # sees its street's and the district's events
    html = web.get("/jobs/events/").content.decode()
    assert 'data-total="2"' in html
    assert queries.count_events(other_street_officer, queries.EventSearch()) == 1  # only the district's
    with pytest.raises(Exception):
        queries.get_event(other_street_officer, a.pk)
    services.set_status(actor=street_officer, event=a, status=EventStatus.OPEN)
    with pytest.raises(ValidationError, match="不能改为"):
        services.set_status(actor=street_officer, event=a, status=EventStatus.PLANNED)
    assert RecruitmentEvent.objects.get(pk=a.pk).status == "open"
    assert web.get("/jobs/events/", {"format": "xlsx"}).status_code == 200


def test_organiser_creates_from_the_web_form(street_officer):
    web = client_for(street_officer)
    day = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    r = web.post("/jobs/events/new/", {"kind": "live_stream", "title": "直播带岗专场", "organiser": "西一路街道",
                                       "region": STREET_A, "starts_at": f"{day}T10:00", "ends_at": f"{day}T12:00"})
    assert r.status_code == 200 and "直播带岗活动须填写直播地址" in r.content.decode()
    r = web.post("/jobs/events/new/", {"kind": "live_stream", "title": "直播带岗专场", "organiser": "西一路街道",
                                       "region": STREET_A, "starts_at": f"{day}T10:00", "ends_at": f"{day}T12:00",
                                       "stream_url": "https://live.example.cn/x"})
    assert r.status_code == 302
    event = RecruitmentEvent.objects.get(title="直播带岗专场")
    assert "https://live.example.cn/x" in web.get(f"/jobs/events/{event.pk}/").content.decode()
