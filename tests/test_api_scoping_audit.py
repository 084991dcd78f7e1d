"""Region scoping in the data-access layer and the audit log, exercised through the API and services."""
import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client

from jiuye.accounts.models import AuditEntry, Role, User
from jiuye.registry import services
from jiuye.registry.models import Person, Registration

from .conftest import COMMUNITY_A1, COMMUNITY_B1, make_id


def api(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def people(make_person):
    return {
        "a": make_person(name="张伟", region=COMMUNITY_A1, phone="13800000001"),
        "b": make_person(name="张敏", region=COMMUNITY_B1, phone="13800000002"),
    }


def test_openapi_schema_is_served(district_officer):
    # The schema needs a login since issue 6 (tests/test_api_input.py: anonymous gets 401).
    response = api(district_officer).get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/persons" in response.json()["paths"]


def test_api_requires_authentication(db):
    assert Client().get("/api/v1/persons").status_code == 401


def test_search_lists_masked_numbers_within_scope_only(people, street_officer):
    response = api(street_officer).get("/api/v1/persons", {"q": "张"})
    items = response.json()["items"]
    assert [i["name"] for i in items] == ["张伟"]
    assert items[0]["id_number_masked"] == people["a"].id_number[:6] + "********" + people["a"].id_number[-4:]
    assert people["a"].id_number not in response.content.decode()


def test_search_by_full_id_number_and_phone(people, district_officer):
    client = api(district_officer)
    assert [i["name"] for i in client.get("/api/v1/persons", {"q": people["b"].id_number}).json()["items"]] == ["张敏"]
    assert [i["name"] for i in client.get("/api/v1/persons", {"q": "13800000001"}).json()["items"]] == ["张伟"]
    assert len(client.get("/api/v1/persons", {"q": "张", "region": COMMUNITY_B1}).json()["items"]) == 1


def test_other_street_cannot_read_or_change(people, other_street_officer, street_officer):
    person = people["a"]  # lives in street A
    client = api(other_street_officer)
    assert client.get(f"/api/v1/persons/{person.pk}").status_code == 404
    assert client.get(f"/api/v1/persons/{person.pk}/status", {"on": "2024-01-01"}).status_code == 404
    response = client.post(f"/api/v1/persons/{person.pk}/registrations", json.dumps(
        {"kind": "unemployment", "effective_date": "2024-01-01", "unemployment_reason": "other"}),
        content_type="application/json")
    assert response.status_code == 404
    response = client.patch(f"/api/v1/persons/{person.pk}", json.dumps({"phone": "13900000000"}),
                            content_type="application/json")
    assert response.status_code == 404
    entry = services.register_unemployment(actor=street_officer, person=person, effective_date=datetime.date(2024, 1, 1),
                                           unemployment_reason="other")
    response = client.post(f"/api/v1/registrations/{entry.pk}/corrections", json.dumps({"reason": "错"}),
                           content_type="application/json")
    assert response.status_code == 404
    person.refresh_from_db()
    assert person.phone == "13800000001" and person.registrations.count() == 1
    # Creating a person in someone else's street is refused too.
    response = client.post("/api/v1/persons", json.dumps({
        "id_number": make_id("610102", "19910101", "031"), "name": "越权", "region_code": COMMUNITY_A1,
        "hukou_type": "urban"}), content_type="application/json")
    assert response.status_code == 403
    assert not Person.objects.filter(name="越权").exists()


def test_services_refuse_out_of_scope_and_read_only_roles(people, other_street_officer, city_officer):
    with pytest.raises(PermissionDenied):
        services.update_person(actor=other_street_officer, person=people["a"], phone="1")
    with pytest.raises(PermissionDenied):
        services.register_unemployment(actor=city_officer, person=people["a"], effective_date=datetime.date(2024, 1, 1),
                                       unemployment_reason="other")


def test_full_number_on_detail_only_for_roles_that_need_it(people, community_worker, city_officer):
    person = people["a"]
    assert api(community_worker).get(f"/api/v1/persons/{person.pk}").json()["id_number"] == person.id_number
    masked = api(city_officer).get(f"/api/v1/persons/{person.pk}").json()["id_number"]
    assert masked != person.id_number and masked.endswith(person.id_number[-4:])


def test_resident_sees_only_own_record(people, regions):
    resident = User.objects.create_user("res", password="pass-12345678", role=Role.RESIDENT)
    services.link_account(actor=None, user=resident, person=people["a"])
    client = api(resident)
    assert client.get(f"/api/v1/persons/{people['a'].pk}").status_code == 200
    assert client.get(f"/api/v1/persons/{people['b'].pk}").status_code == 404
    assert [i["name"] for i in client.get("/api/v1/persons").json()["items"]] == ["张伟"]


def test_register_through_api_and_audit_trail(people, community_worker, auditor, street_officer):
    person = people["a"]
    client = api(community_worker)
    response = client.post(f"/api/v1/persons/{person.pk}/registrations", json.dumps(
        {"kind": "unemployment", "effective_date": "2025-03-01", "unemployment_reason": "dismissed"}),
        content_type="application/json")
    assert response.status_code == 201, response.content
    person.refresh_from_db()
    assert person.employment_status == "unemployed"
    bad = client.post(f"/api/v1/persons/{person.pk}/registrations", json.dumps(
        {"kind": "employment", "effective_date": "2025-04-01", "employment_form": "unit"}),
        content_type="application/json")
    assert bad.status_code == 422 and "就业单位" in bad.json()["detail"]["employer"][0]
    client.get(f"/api/v1/persons/{person.pk}")
    entries = AuditEntry.objects.filter(object_type="person", object_id=str(person.pk))
    actions = list(entries.filter(actor=community_worker).values_list("action", flat=True))
    assert "register" in actions and "view" in actions
    view = entries.get(action="view", actor=community_worker)
    assert view.channel == "api" and view.ip_address == "127.0.0.1"
    # Auditors read the log of their region; street officers may not.
    log = api(auditor).get("/api/v1/accounts/audit", {"object_id": str(person.pk)}).json()["items"]
    assert {e["action"] for e in log} >= {"create", "register", "view"}
    assert api(street_officer).get("/api/v1/accounts/audit").status_code == 403


def test_audit_entries_cannot_be_changed(people):
    entry = AuditEntry.objects.first()
    entry.summary = "篡改"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()


def test_correction_through_api_keeps_history(people, community_worker):
    person = people["a"]
    client = api(community_worker)
    created = client.post(f"/api/v1/persons/{person.pk}/registrations", json.dumps(
        {"kind": "employment", "effective_date": "2025-03-01", "employment_form": "flexible"}),
        content_type="application/json").json()
    fixed = client.post(f"/api/v1/registrations/{created['id']}/corrections", json.dumps(
        {"reason": "日期错误", "replacement": {"kind": "employment", "effective_date": "2025-02-01",
                                           "employment_form": "flexible"}}), content_type="application/json")
    assert fixed.status_code == 201
    detail = client.get(f"/api/v1/persons/{person.pk}").json()
    assert [(r["effective_date"], r["counts"]) for r in detail["registrations"]] == [
        ("2025-02-01", True), ("2025-03-01", False)]
    assert Registration.objects.filter(person=person).count() == 2


def test_api_token_authentication(people, street_officer):
    from jiuye.accounts.services import issue_api_token

    key = issue_api_token(actor=None, user=street_officer, name="test")
    client = Client()
    response = client.get("/api/v1/persons", {"q": "张"}, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert [i["name"] for i in response.json()["items"]] == ["张伟"]
    assert client.get("/api/v1/persons", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401


def test_group_filter_through_api(people, district_officer):
    services.register_unemployment(actor=district_officer, person=people["b"], effective_date=datetime.date(2024, 1, 1),
                                   unemployment_reason="other")
    items = api(district_officer).get("/api/v1/persons", {"group": "long_term_unemployed"}).json()["items"]
    assert [i["name"] for i in items] == ["张敏"]
    assert api(district_officer).get("/api/v1/persons", {"group": "nonsense"}).status_code == 400


def test_load_regions_is_idempotent(regions, capsys):
    call_command("load_regions")
    assert "区划：新增 0 个，更新 0 个" in capsys.readouterr().out


def test_create_user_command_checks_role_level(regions):
    from django.core.management.base import CommandError

    call_command("create_user", "st1", role="street_officer", region="610102001", password="pass-12345678")
    assert User.objects.get(username="st1").region_id == "610102001000"
    with pytest.raises(CommandError, match="街道"):
        call_command("create_user", "st2", role="street_officer", region="610102", password="pass-12345678")
