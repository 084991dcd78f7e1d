"""Finding 5 (reads) and 11 (entries without a region): every read that shows a person's data is
audited; the full identity number is revealed only by an audited request; region-less entries reach
county-level audit readers and no one below."""
from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse

from jiuye.accounts import audit
from jiuye.accounts.models import AuditEntry, Role, User
from jiuye.accounts.queries import AuditSearch, search_audit
from jiuye.registry import services
from jiuye.registry.identity import mask_id_number

from .conftest import COMMUNITY_A1, COMMUNITY_B1, STREET_A, _user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def views_of(person, user=None):
    qs = AuditEntry.objects.filter(action=AuditEntry.Action.VIEW, object_type="person", object_id=str(person.pk))
    return qs.filter(actor=user) if user is not None else qs


@pytest.fixture
def person(make_person):
    return make_person(name="张三", region=COMMUNITY_A1, phone="13912345678")


def test_person_forms_that_show_the_person_are_audited_reads(person, community_worker, district_officer):
    services.register_unemployment(actor=district_officer, person=person, effective_date=datetime.date(2024, 1, 10),
                                   unemployment_reason="other")
    entry = person.registrations.get()
    c = client_for(community_worker)
    urls = [reverse("web:person_edit", args=[person.pk]), reverse("web:register_employment", args=[person.pk]),
            reverse("web:register_unemployment", args=[person.pk]), reverse("web:end_status", args=[person.pk]),
            reverse("web:correct_registration", args=[person.pk, entry.pk])]
    for n, url in enumerate(urls, start=1):
        assert c.get(url).status_code == 200, url
        assert views_of(person, community_worker).count() == n, url
    # A form sent back with errors shows the person again: another read.
    c.post(reverse("web:person_edit", args=[person.pk]), {"name": ""})
    assert views_of(person, community_worker).count() == len(urls) + 1


def test_patch_with_no_change_is_an_audited_read_and_masks_for_roles_without_full_numbers(
        person, community_worker, city_officer, district_officer):
    c = client_for(community_worker)
    body = json.dumps({"phone": person.phone})
    response = c.patch(f"/api/v1/persons/{person.pk}", body, content_type="application/json")
    assert response.status_code == 200 and response.json()["id_number"] == person.id_number
    assert views_of(person, community_worker).count() == 1
    assert not AuditEntry.objects.filter(action="update", object_type="person").exists()
    # A real change is audited as the change (not as a read too).
    response = c.patch(f"/api/v1/persons/{person.pk}", json.dumps({"phone": "13900000000"}),
                       content_type="application/json")
    assert response.status_code == 200
    assert AuditEntry.objects.filter(action="update", object_type="person", actor=community_worker).count() == 1
    assert views_of(person, community_worker).count() == 1


def test_patch_answer_masks_the_number_for_a_writer_without_full_numbers(person, monkeypatch, community_worker):
    from jiuye.accounts import roles

    monkeypatch.setattr(roles, "FULL_ID_NUMBER_ROLES", set())
    response = client_for(community_worker).patch(f"/api/v1/persons/{person.pk}", json.dumps({}),
                                                  content_type="application/json")
    assert response.status_code == 200
    assert response.json()["id_number"] == mask_id_number(person.id_number)
    assert person.id_number not in response.content.decode()
    assert views_of(person, community_worker).count() == 1


def test_person_page_sends_no_full_number_and_revealing_it_is_audited(person, community_worker, city_officer):
    c = client_for(community_worker)
    html = c.get(reverse("web:person", args=[person.pk])).content.decode()
    assert person.id_number not in html and mask_id_number(person.id_number) in html
    url = reverse("web:person_id_number", args=[person.pk])
    assert c.get(url).status_code == 405  # POST only: no link or prefetch reveals it
    before = views_of(person, community_worker).count()
    response = c.post(url)
    assert response.status_code == 200 and response.json() == {"id_number": person.id_number}
    assert "no-store" in response["Cache-Control"]
    entry = views_of(person, community_worker).latest("id")
    assert views_of(person, community_worker).count() == before + 1
    assert entry.summary == "查看完整公民身份号码" and entry.changes == {"fields": ["id_number"]}
    # A role that may not see full numbers gets neither the button nor the number.
    co = client_for(city_officer)
    assert url not in co.get(reverse("web:person", args=[person.pk])).content.decode()
    assert co.post(url).status_code == 403


def test_reveal_is_scoped(person, other_street_officer):
    assert client_for(other_street_officer).post(reverse("web:person_id_number", args=[person.pk])).status_code == 404
    assert not views_of(person).exists()


def test_admin_person_views_are_audited(person, regions):
    root = User.objects.create_superuser("root", password="pass-12345678")
    c = client_for(root)
    assert c.get(f"/admin/registry/person/{person.pk}/change/").status_code == 200
    assert views_of(person, root).count() == 1
    assert c.get("/admin/registry/person/", {"q": "张"}).status_code == 200
    listing = AuditEntry.objects.filter(actor=root, object_type="person", object_id="").get()
    assert listing.changes == {"search": "张"}


# ---------------------------------------------------------------------------------------------
# Finding 11: entries without a region


def test_regionless_entries_reach_county_level_readers_only(regions, auditor, district_officer, city_officer,
                                                            street_officer):
    Client().post(reverse("web:login"), {"username": "nobody", "password": "secret-secret"})
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN_FAILED)
    assert entry.region_code == ""
    street_auditor = _user("au_a", Role.AUDITOR, STREET_A)
    other = audit.record(None, AuditEntry.Action.VIEW, object_type="person", object_id=1,
                         region_code=COMMUNITY_B1, summary="x")

    def visible(user):
        return {e.pk for e in search_audit(user, AuditSearch(limit=500))[0]}

    for reader in (auditor, district_officer, city_officer):
        assert entry.pk in visible(reader)
    assert entry.pk not in visible(street_auditor)
    assert other.pk not in visible(street_auditor) and other.pk in visible(auditor)
    assert visible(street_officer) == set()  # not an audit reader at all
    # The API and the web list follow the same rule.
    items = client_for(auditor).get("/api/v1/accounts/audit", {"action": "login_failed"}).json()["items"]
    assert [i["object_label"] for i in items] == ["nobody"]
    assert client_for(street_auditor).get("/api/v1/accounts/audit", {"action": "login_failed"}).json()["items"] == []


def test_employer_user_and_resident_logins_carry_their_records_region(make_person, district_officer, auditor):
    from stdnum.cn import uscc

    body = "91610102123456789"
    employer = services.create_employer(actor=district_officer, credit_code=body + uscc.calc_check_digit(body),
                                        name="示例单位", region=COMMUNITY_A1)
    emp = User.objects.create_user("emp_1", password="pass-12345678", role=Role.EMPLOYER_USER)
    services.link_account(actor=None, user=emp, employer=employer)
    res = User.objects.create_user("res_1", password="pass-12345678", role=Role.RESIDENT)
    services.link_account(actor=None, user=res, person=make_person(region=COMMUNITY_B1))
    for username in ("emp_1", "res_1"):
        Client().post(reverse("web:login"), {"username": username, "password": "pass-12345678"})
    logins = dict(AuditEntry.objects.filter(action="login").values_list("actor_name", "region_code"))
    assert logins == {"emp_1": COMMUNITY_A1, "res_1": COMMUNITY_B1}
    seen = {e.actor_name for e in search_audit(auditor, AuditSearch(action="login", limit=50))[0]}
    assert seen == {"emp_1", "res_1"}
