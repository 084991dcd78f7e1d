"""Households through the API: create (number generated), edit, members (add, relation, leave), with the
web's services, rules and messages; writers only; out of scope answers like a missing record; audited."""
from __future__ import annotations

import json

import pytest
from django.test import Client

from jiuye.accounts.models import AuditEntry, Role, User
from jiuye.registry import services
from jiuye.registry.models import Household, HouseholdMembership

from .conftest import COMMUNITY_A1, COMMUNITY_B1, STREET_A


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _send(client, method, url, body=None):
    return getattr(client, method)(url, json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def worker(community_worker):
    return client_for(community_worker)


def test_create_with_generated_number_and_edit(worker, community_worker):
    made = _send(worker, "post", "/api/v1/households", {"region_code": COMMUNITY_A1, "address": " 西一路1号 "})
    assert made.status_code == 201, made.content
    out = made.json()
    assert out["number"] == f"{COMMUNITY_A1}-00001" and out["address"] == "西一路1号" and out["members"] == []
    second = _send(worker, "post", "/api/v1/households", {"region_code": COMMUNITY_A1})
    assert second.json()["number"] == f"{COMMUNITY_A1}-00002"
    typed = _send(worker, "post", "/api/v1/households", {"region_code": COMMUNITY_A1, "number": "XC-9"})
    assert typed.status_code == 201 and typed.json()["number"] == "XC-9"
    again = _send(worker, "post", "/api/v1/households", {"region_code": COMMUNITY_A1, "number": "XC-9"})
    assert again.status_code == 422 and again.json()["detail"]["number"] == ["户编号XC-9已存在"]
    street = _send(worker, "post", "/api/v1/households", {"region_code": STREET_A, "note": "x" * 300})
    assert street.status_code == 422 and "note" in str(street.json())  # every broken field named
    street = _send(worker, "post", "/api/v1/households", {"region_code": STREET_A})
    assert street.status_code == 422 and "不是社区/村" in street.json()["detail"]["region_code"][0]

    pk = out["id"]
    edited = _send(worker, "patch", f"/api/v1/households/{pk}", {"has_business_income": True, "note": "有门面"})
    assert edited.status_code == 200 and edited.json()["has_business_income"] is True and edited.json()["note"] == "有门面"
    assert Household.objects.get(pk=pk).number == out["number"]  # the number stays
    assert _send(worker, "patch", f"/api/v1/households/{pk}", {"address": None}).status_code == 422
    summaries = list(AuditEntry.objects.filter(object_type="household", object_id=str(pk), actor=community_worker)
                     .values_list("summary", flat=True))
    assert "新建家庭户" in summaries and "修改家庭户信息" in summaries


def test_members_add_relation_leave_and_one_head(worker, community_worker, make_person):
    head, spouse, child = make_person(name="户主甲"), make_person(name="配偶乙"), make_person(name="子女丙")
    pk = _send(worker, "post", "/api/v1/households", {"region_code": COMMUNITY_A1}).json()["id"]
    url = f"/api/v1/households/{pk}/members"
    r = _send(worker, "post", url, {"person_id": head.pk, "relation": "head", "joined_on": "2024-01-01"})
    assert r.status_code == 201 and [(m["name"], m["relation"]) for m in r.json()["members"]] == [("户主甲", "head")]
    assert "*" in r.json()["members"][0]["id_number_masked"]
    second_head = _send(worker, "post", url, {"id_number": spouse.id_number, "relation": "head"})
    assert second_head.status_code == 422
    assert second_head.json()["detail"]["relation"] == ["本户已有户主，不能再添加户主；请选择其他关系"]
    assert _send(worker, "post", url, {"id_number": spouse.id_number, "relation": "spouse"}).status_code == 201
    assert _send(worker, "post", url, {"person_id": child.pk, "relation": "child"}).status_code == 201
    dup = _send(worker, "post", url, {"person_id": child.pk, "relation": "child"})
    assert dup.status_code == 422 and dup.json()["detail"]["person_id"] == ["子女丙已是本户成员"]
    bad = _send(worker, "post", url, {"id_number": "123", "relation": "boss"})
    assert bad.status_code == 422 and "relation" in str(bad.json())
    assert _send(worker, "post", url, {"relation": "child"}).status_code == 422

    rel = _send(worker, "patch", f"{url}/{spouse.pk}", {"relation": "head"})
    assert rel.status_code == 422 and "本户已有户主（户主甲）" in rel.json()["detail"]["relation"][0]
    rel = _send(worker, "patch", f"{url}/{child.pk}", {"relation": "grandchild"})
    assert rel.status_code == 200 and {m["name"]: m["relation"] for m in rel.json()["members"]}["子女丙"] == "grandchild"

    left = _send(worker, "post", f"{url}/{child.pk}/leave", {"left_on": "2025-06-30"})
    assert left.status_code == 200 and "子女丙" not in [m["name"] for m in left.json()["members"]]
    closed = HouseholdMembership.objects.get(household_id=pk, person=child)
    assert str(closed.left_on) == "2025-06-30"
    assert _send(worker, "post", f"{url}/{child.pk}/leave", {}).status_code == 404  # no longer a member
    assert _send(worker, "patch", f"{url}/{child.pk}", {"relation": "child"}).status_code == 404

    summaries = list(AuditEntry.objects.filter(object_type="household", object_id=str(pk), actor=community_worker)
                     .values_list("summary", flat=True))
    assert summaries.count("添加家庭成员") == 3 and "修改与户主关系" in summaries and "移出家庭成员" in summaries


def test_out_of_scope_is_a_404_with_no_hint(worker, district_officer, make_person):
    far = services.create_household(actor=district_officer, number="FAR-1", region=COMMUNITY_B1, address="保密地址")
    stranger = make_person(name="外街道某人", region=COMMUNITY_B1)
    services.add_household_member(actor=district_officer, household=far, person=stranger, relation="head")
    missing = _send(worker, "patch", "/api/v1/households/999999", {"note": "x"})
    for method, url, body in [
        ("patch", f"/api/v1/households/{far.pk}", {"note": "x"}),
        ("post", f"/api/v1/households/{far.pk}/members", {"person_id": stranger.pk, "relation": "child"}),
        ("patch", f"/api/v1/households/{far.pk}/members/{stranger.pk}", {"relation": "other"}),
        ("post", f"/api/v1/households/{far.pk}/members/{stranger.pk}/leave", {}),
    ]:
        r = _send(worker, method, url, body)
        assert r.status_code == 404 and r.json() == missing.json(), (url, r.content)
        assert "FAR-1" not in r.content.decode() and "外街道某人" not in r.content.decode()
    # A person outside the scope named in the body: the same message as a person that does not exist.
    own = _send(worker, "post", "/api/v1/households", {"region_code": COMMUNITY_A1}).json()["id"]
    by_id = _send(worker, "post", f"/api/v1/households/{own}/members", {"person_id": stranger.pk, "relation": "head"})
    nobody = _send(worker, "post", f"/api/v1/households/{own}/members", {"person_id": 999999, "relation": "head"})
    assert by_id.status_code == nobody.status_code == 422 and "外街道某人" not in by_id.content.decode()
    assert by_id.json()["detail"]["person_id"][0].replace(str(stranger.pk), "N") == \
        nobody.json()["detail"]["person_id"][0].replace("999999", "N")
    by_number = _send(worker, "post", f"/api/v1/households/{own}/members",
                      {"id_number": stranger.id_number, "relation": "head"})
    assert by_number.status_code == 422 and "不在您的管辖范围内" in by_number.json()["detail"]["id_number"][0]
    assert not HouseholdMembership.objects.filter(household_id=own).exists()
    far.refresh_from_db()
    assert far.note == ""


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.EMPLOYER_USER, Role.AUDITOR])
def test_non_writers_are_refused(role, district_officer, make_person, regions):
    household = services.create_household(actor=district_officer, number="A1-1", region=COMMUNITY_A1)
    person = make_person()
    user = User.objects.create_user(username=f"u_{role}", password="pass-12345678", role=role,
                                    region_id=COMMUNITY_A1 if role == Role.AUDITOR else None)
    c = client_for(user)
    for method, url, body in [
        ("post", "/api/v1/households", {"region_code": COMMUNITY_A1}),
        ("patch", f"/api/v1/households/{household.pk}", {"note": "x"}),
        ("post", f"/api/v1/households/{household.pk}/members", {"person_id": person.pk, "relation": "head"}),
    ]:
        r = _send(c, method, url, body)
        assert r.status_code == 403 and "无权修改" in r.json()["detail"], (role, url, r.content)
    assert Household.objects.count() == 1 and not household.memberships.exists()
    assert not AuditEntry.objects.filter(object_type="household", actor=user).exists()
