"""Contract dates, 待生效 and online self-registration (网上自助) through the web workbench."""
from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jiuye.accounts.models import AuditEntry, Role, User
from jiuye.registry import services
from jiuye.registry.models import PendingRegistration, Registration, RegistrationSource

from .conftest import COMMUNITY_A1, COMMUNITY_B1, _user
from .test_pending_registrations import credit_code, immediate  # noqa: F401  (fixture)

D = datetime.date


def client_for(user) -> Client:
    client = Client()
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


def test_worker_registers_employment_with_contract_dates_and_sees_them_on_the_timeline(person, employer,
                                                                                     community_worker):
    c = client_for(community_worker)
    url = reverse("web:register_employment", args=[person.pk])
    form = {"effective_date": "2024-01-01", "employment_form": "unit", "employer_credit_code": employer.credit_code,
            "contract_type": "fixed", "contract_start": "2024-01-01", "contract_end": "2026-12-31",
            "contract_months": "24"}
    r = c.post(url, form)
    assert r.status_code == 200 and "与合同起止日期（2024-01-01至2026-12-31，共36个月）不符" in r.content.decode()
    r = c.post(url, {**form, "contract_months": ""})
    assert r.status_code == 302
    entry = Registration.objects.get(person=person)
    assert entry.contract_months == 36
    page = c.get(reverse("web:person", args=[person.pk])).content.decode()
    assert "2024-01-01 至 2026-12-31" in page and "（36个月）" in page
    r = c.post(url, {**form, "effective_date": "2024-02-01", "contract_end": "2023-12-31", "contract_months": ""})
    assert "合同终止日期2023-12-31早于合同起始日期2024-01-01" in r.content.decode()


def test_correcting_the_dates_derives_the_months_anew(person, employer, community_worker):
    entry = services.register_employment(actor=community_worker, person=person, effective_date=D(2024, 1, 1),
                                         employment_form="unit", employer=employer, contract_type="fixed",
                                         contract_start=D(2024, 1, 1), contract_end=D(2026, 12, 31))
    c = client_for(community_worker)
    r = c.post(reverse("web:correct_registration", args=[person.pk, entry.pk]), {
        "mode": "correct", "reason": "终止日期录错", "effective_date": "2024-01-01", "employment_form": "unit",
        "employer_credit_code": employer.credit_code, "contract_type": "fixed", "contract_start": "2024-01-01",
        "contract_end": "2025-12-31", "contract_months": "36"})
    assert r.status_code == 302
    assert Registration.objects.get(corrects=entry).contract_months == 24


def test_the_person_page_shows_pending_entries(person, employer, community_worker):
    start = timezone.localdate() + datetime.timedelta(days=10)
    services.schedule_registration(actor=community_worker, person=person, kind="employment", effective_date=start,
                                   employment_form="unit", employer=employer)
    page = client_for(community_worker).get(reverse("web:person", args=[person.pk])).content.decode()
    assert 'id="pending-registrations"' in page and "待生效" in page and start.isoformat() in page
    assert "西安示例机械有限公司" in page and "待生效录用" in page


def test_resident_self_registers_and_the_worker_confirms_from_the_home_page(resident, person, community_worker):
    rc = client_for(resident)
    assert "网上办理登记" in rc.get(reverse("web:home")).content.decode()
    r = rc.post(reverse("web:portal_register", args=["unemployment"]),
                {"effective_date": "2024-05-01", "unemployment_reason": ""})
    assert r.status_code == 200 and "has-error" in r.content.decode()
    r = rc.post(reverse("web:portal_register", args=["unemployment"]),
                {"effective_date": "2024-05-01", "unemployment_reason": "resigned"}, follow=True)
    body = r.content.decode()
    assert "待社区工作人员确认后生效" in body and "待社区确认" in body
    pending = PendingRegistration.objects.get(person=person)

    wc = client_for(community_worker)
    home = wc.get(reverse("web:home")).content.decode()
    assert 'id="pending-self-registrations"' in home and "王五：失业登记（2024-05-01）" in home
    detail = wc.get(reverse("web:self_registration", args=[pending.pk])).content.decode()
    assert person.id_number not in detail  # masked
    r = wc.post(reverse("web:self_registration", args=[pending.pk]), {"action": "confirm"})
    assert r.status_code == 302
    entry = Registration.objects.get(person=person)
    assert (entry.source, entry.operator) == (RegistrationSource.ONLINE, community_worker)
    assert "已生效" in rc.get(reverse("web:portal")).content.decode()
    assert "网上自助" in wc.get(reverse("web:person", args=[person.pk])).content.decode()


def test_the_worker_rejects_with_a_reason_the_resident_reads(resident, person, community_worker):
    pending = services.submit_self_registration(actor=resident, kind="employment", effective_date=D(2024, 5, 1),
                                                employment_form="flexible")
    wc = client_for(community_worker)
    url = reverse("web:self_registration", args=[pending.pk])
    r = wc.post(url, {"action": "reject", "reason": ""})
    assert r.status_code == 200 and "has-error" in r.content.decode()
    assert wc.post(url, {"action": "reject", "reason": "本人已于4月离职"}).status_code == 302
    page = client_for(resident).get(reverse("web:portal")).content.decode()
    assert "未通过" in page and "本人已于4月离职" in page


def test_a_worker_of_another_region_gets_not_found_for_an_existing_request(resident, person, regions):
    other = _user("cw_b1", Role.COMMUNITY_WORKER, COMMUNITY_B1)
    pending = services.submit_self_registration(actor=resident, kind="employment", effective_date=D(2024, 5, 1),
                                                employment_form="flexible")
    c = client_for(other)
    existing = c.post(reverse("web:self_registration", args=[pending.pk]), {"action": "confirm"})
    missing = c.post(reverse("web:self_registration", args=[pending.pk + 999]), {"action": "confirm"})
    assert existing.status_code == missing.status_code == 404
    assert "王五" not in c.get(reverse("web:home")).content.decode()
    assert "王五" not in c.get(reverse("web:self_registrations")).content.decode()
    pending.refresh_from_db()
    assert pending.status == PendingRegistration.Status.WAITING_CONFIRMATION


def test_portal_is_for_linked_residents_only(community_worker, regions):
    assert client_for(community_worker).get(reverse("web:portal")).status_code == 403
    lonely = User.objects.create_user(username="res_x", password="pass-12345678", role=Role.RESIDENT)
    assert client_for(lonely).get(reverse("web:portal")).status_code == 403


def test_resident_withdraws_a_waiting_request(resident, person):
    pending = services.submit_self_registration(actor=resident, kind="employment", effective_date=D(2024, 5, 1),
                                                employment_form="flexible")
    r = client_for(resident).post(reverse("web:portal_withdraw", args=[pending.pk]), follow=True)
    assert "已撤回" in r.content.decode()
    assert AuditEntry.objects.filter(actor=resident, summary="撤回网上自助登记").exists()


def test_the_audit_log_reads_a_self_registration_in_chinese(resident, person, community_worker, auditor):
    pending = services.submit_self_registration(actor=resident, kind="unemployment", effective_date=D(2024, 5, 1),
                                                unemployment_reason="resigned")
    services.reject_pending_registration(actor=community_worker, pending=pending, reason="信息不实")
    page = client_for(auditor).get(reverse("web:audit")).content.decode()
    assert "待生效/网上登记编号" in page and "待社区确认" in page and "未通过" in page and "本人辞职" in page
    assert "pending_registration" not in page and "waiting_confirmation" not in page


def test_self_registration_takes_effect_at_once_where_the_parameter_says_so(resident, person, immediate):
    r = client_for(resident).post(reverse("web:portal_register", args=["employment"]),
                                  {"effective_date": "2024-05-01", "employment_form": "flexible"}, follow=True)
    body = r.content.decode()
    assert "即时生效" in body and "已生效" in body
    entry = Registration.objects.get(person=person)
    assert (entry.source, entry.operator) == (RegistrationSource.ONLINE, resident)
