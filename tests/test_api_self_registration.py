"""Contract dates and online self-registration (网上自助) through the API."""
from __future__ import annotations

import datetime

import pytest
from django.test import Client

from jiuye.accounts.models import Role, User
from jiuye.registry import services
from jiuye.registry.models import PendingRegistration, Registration

from .conftest import COMMUNITY_A1, COMMUNITY_B1, _user
from .test_pending_registrations import credit_code


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.fixture
def person(make_person):
    return make_person(name="王五", region=COMMUNITY_A1)


@pytest.fixture
def employer(district_officer):
    return services.create_employer(actor=district_officer, credit_code=credit_code(), name="西安示例机械有限公司",
                                    region=COMMUNITY_A1)


@pytest.fixture
def resident(person):
    user = User.objects.create_user(username="res_w", password="pass-12345678", role=Role.RESIDENT)
    services.link_account(actor=None, user=user, person=person)
    return user


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_api_registration_with_contract_dates(person, employer, community_worker):
    c = client_for(community_worker)
    url = f"/api/v1/persons/{person.pk}/registrations"
    body = {"kind": "employment", "effective_date": "2024-01-01", "employment_form": "unit",
            "employer_credit_code": employer.credit_code, "contract_type": "fixed",
            "contract_start": "2024-01-01", "contract_end": "2026-12-31", "contract_months": 12}
    r = _post(c, url, body)
    assert r.status_code == 422 and "共36个月" in str(r.json())
    r = _post(c, url, {**body, "contract_type": "open_ended", "contract_months": None})
    assert r.status_code == 422 and "没有终止日期" in str(r.json())
    r = _post(c, url, {**body, "contract_months": None})
    assert r.status_code == 201
    out = r.json()
    assert (out["contract_start"], out["contract_end"], out["contract_months"]) == ("2024-01-01", "2026-12-31", 36)


def test_api_resident_submits_and_staff_confirm(resident, person, community_worker):
    rc = client_for(resident)
    r = _post(rc, "/api/v1/self-registrations", {"kind": "unemployment", "effective_date": "2024-05-01",
                                                 "unemployment_reason": "resigned"})
    assert r.status_code == 201, r.content
    out = r.json()
    assert (out["status"], out["status_label"], out["summary"]) == ("waiting_confirmation", "待社区确认", "失业原因：本人辞职")
    wc = client_for(community_worker)
    assert [p["id"] for p in wc.get("/api/v1/self-registrations").json()] == [out["id"]]
    r = _post(wc, f"/api/v1/self-registrations/{out['id']}/confirm", {})
    assert r.status_code == 201 and r.json()["source"] == "online"
    mine = rc.get("/api/v1/self-registrations/mine").json()
    assert mine[0]["status"] == "applied" and mine[0]["registration_id"] == r.json()["id"]


def test_api_self_registration_rules_and_roles(resident, person, community_worker):
    rc = client_for(resident)
    future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    r = _post(rc, "/api/v1/self-registrations", {"kind": "employment", "effective_date": future,
                                                 "employment_form": "flexible"})
    assert r.status_code == 422 and "晚于今天" in str(r.json())
    r = _post(client_for(community_worker), "/api/v1/self-registrations",
              {"kind": "employment", "effective_date": "2024-05-01", "employment_form": "flexible"})
    assert r.status_code == 403
    assert client_for(resident).get("/api/v1/self-registrations").json() == []  # residents confirm nothing


def test_api_reject_needs_a_reason_and_scope_hides_the_request(resident, person, regions):
    worker_b = _user("cw_b1", Role.COMMUNITY_WORKER, COMMUNITY_B1)
    worker_a = _user("cw_a1x", Role.COMMUNITY_WORKER, COMMUNITY_A1)
    pending = services.submit_self_registration(actor=resident, kind="employment",
                                                effective_date=datetime.date(2024, 5, 1), employment_form="flexible")
    b = client_for(worker_b)
    outside = _post(b, f"/api/v1/self-registrations/{pending.pk}/confirm", {})
    missing = _post(b, f"/api/v1/self-registrations/{pending.pk + 999}/confirm", {})
    assert outside.status_code == missing.status_code == 404 and outside.json() == missing.json()
    a = client_for(worker_a)
    assert _post(a, f"/api/v1/self-registrations/{pending.pk}/reject", {"reason": ""}).status_code == 422
    r = _post(a, f"/api/v1/self-registrations/{pending.pk}/reject", {"reason": "信息不实"})
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    assert not Registration.objects.filter(person=person).exists()
    pending.refresh_from_db()
    assert pending.status == PendingRegistration.Status.REJECTED
