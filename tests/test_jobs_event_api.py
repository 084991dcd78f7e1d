"""API of recruitment events: create, employers, vacancies, registrations, check-in, outcomes."""
from __future__ import annotations

import datetime

from django.test import Client
from django.utils import timezone

from jiuye.jobs.models import Application
from tests.conftest import STREET_A
from tests import jobs_helpers
from tests.jobs_helpers import credit_code, make_employer, make_vacancy

occupations = jobs_helpers.occupations  # the fixture

BASE = "/api/v1/jobs/events"


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_event_api_round_trip(street_officer, community_worker, district_officer, make_person, occupations):
    api = client_for(street_officer)
    day = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    bad = api.post(BASE, {"kind": "live_stream", "title": "直播带岗", "organiser": "街道", "region": STREET_A,
                          "start_date": day, "start_time": "10:00", "end_date": day, "end_time": "09:00"},
                   content_type="application/json")
    assert bad.status_code == 422 and {"ends_at", "stream_url"} <= set(bad.json()["detail"])
    r = api.post(BASE, {"kind": "live_stream", "title": "直播带岗", "organiser": "街道", "region": STREET_A,
                        "start_date": day, "start_time": "10:00", "end_date": day, "end_time": "12:00",
                        "stream_url": "https://live.example.cn/a"}, content_type="application/json")
    assert r.status_code == 201, r.content
    event_id = r.json()["id"]
    employer = make_employer(district_officer, n=71, name="餐饮公司")
    vacancy = make_vacancy(employer, title="服务员", occupation_code=None)
    assert api.post(f"{BASE}/{event_id}/employers", {"credit_code": credit_code(71)},
                    content_type="application/json").status_code == 201
    assert api.post(f"{BASE}/{event_id}/vacancies", {"vacancy_id": vacancy.pk},
                    content_type="application/json").status_code == 201
    person = make_person(name="报名者")
    cw = client_for(community_worker)
    r = cw.post(f"{BASE}/{event_id}/registrations", {"id_number": person.id_number}, content_type="application/json")
    assert r.status_code == 201
    reg_id = r.json()["id"]
    Application.objects.create(vacancy=vacancy, person=person, origin="event", status="offer", event_id=event_id)
    assert cw.post(f"{BASE}/{event_id}/registrations/{reg_id}/check-in").status_code == 422  # three days early
    out = api.get(f"{BASE}/{event_id}/outcomes").json()
    assert (out["registered"], out["attended"], out["interviews"], out["offers"], out["hires"]) == (1, 0, 1, 1, 0)
    assert out["per_employer"][0]["employer_name"] == "餐饮公司"
    assert api.get(BASE, {"kind": "live_stream"}).json()["count"] == 1
