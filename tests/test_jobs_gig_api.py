"""API of the gig market: create with the services' errors (422 naming the field), list with count, take,
outcome, history; another street gets 404."""
from __future__ import annotations

import datetime

from django.test import Client
from django.utils import timezone

from jiuye.jobs.models import GigTake, GigTask
from tests.conftest import COMMUNITY_A1

BASE = "/api/v1/jobs/gigs"


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_gig_api_round_trip(street_officer, other_street_officer, make_person):
    api = client_for(street_officer)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    bad = api.post(BASE, {"title": "保洁", "work_date": "2020-01-01", "start_time": "12:00", "end_time": "08:00",
                          "daily_pay": "0", "region": COMMUNITY_A1}, content_type="application/json")
    assert bad.status_code == 422
    assert {"work_date", "end_time", "daily_pay", "poster_name"} <= set(bad.json()["detail"])
    r = api.post(BASE, {"title": "保洁", "work_date": tomorrow, "start_time": "08:00", "end_time": "12:00",
                        "daily_pay": "150", "headcount": 1, "region": COMMUNITY_A1, "poster_name": "王先生",
                        "contact_phone": "13800138000"}, content_type="application/json")
    assert r.status_code == 201, r.content
    gig_id = r.json()["id"]
    listing = api.get(BASE).json()
    assert listing["count"] == 1 and listing["items"][0]["status"] == "open"
    assert client_for(other_street_officer).get(f"{BASE}/{gig_id}").status_code == 404
    person = make_person(name="接单人")
    r = api.post(f"{BASE}/{gig_id}/takes", {"id_number": person.id_number}, content_type="application/json")
    assert r.status_code == 201 and r.json()["id_number_masked"] != person.id_number
    assert api.get(f"{BASE}/{gig_id}").json()["status"] == "taken"
    # after the day: the outcome
    GigTask.objects.filter(pk=gig_id).update(work_date=timezone.localdate() - datetime.timedelta(days=1))
    take_id = GigTake.objects.get().pk
    r = api.post(f"{BASE}/{gig_id}/takes/{take_id}/outcome", {"outcome": "done", "paid": "150"},
                 content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "done"
    history = api.get(f"/api/v1/jobs/persons/{person.pk}/gigs").json()
    assert history["done"] == 1 and history["paid"] == "150.00"
    assert client_for(other_street_officer).get(f"/api/v1/jobs/persons/{person.pk}/gigs").status_code == 404
