"""One read layer: the web lists and the API lists are the same query (registry.queries,
accounts.queries), so for any filters they return the same records in the same order. The person page
is composed once (registry.queries.person_page) for the web and the API."""
from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from jiuye.accounts.audit import entries_about_q
from jiuye.accounts.models import AuditEntry
from jiuye.registry import services
from jiuye.registry.groups import GROUPS
from jiuye.registry.identity import credit_code_in

from .conftest import COMMUNITY_A1, COMMUNITY_A2, COMMUNITY_B1, STREET_A, STREET_B, XINCHENG
from .test_web import client_for, credit_code

PROPERTY = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
REGIONS = ["", COMMUNITY_A1, COMMUNITY_A2, COMMUNITY_B1, STREET_A, STREET_B, XINCHENG, "610102001", "6101"]
OFFSETS = st.sampled_from([0, 0, 1, 3])


@pytest.fixture
def town(make_person, district_officer, street_officer, community_worker, auditor, city_officer):
    """Persons, households and employers in two streets, with a little history and audit trail."""
    people = []
    for i, (name, region, hukou) in enumerate([
        ("张三", COMMUNITY_A1, "urban"), ("张伟", COMMUNITY_A1, "rural"), ("李四", COMMUNITY_A2, "urban"),
        ("李娜", COMMUNITY_B1, "rural"), ("王五", COMMUNITY_B1, "urban"), ("王芳", COMMUNITY_A2, "urban"),
        ("赵六", COMMUNITY_A1, "urban"),
    ]):
        people.append(make_person(name=name, region=region, hukou_type=hukou, phone=f"1380000{i:04d}",
                                  birth="19850715" if i % 2 else "19900307"))
    employers = [
        services.create_employer(actor=district_officer, credit_code=credit_code("12345678" + str(i)), name=name,
                                 region=region)
        for i, (name, region) in enumerate([("西安示例机械有限公司", COMMUNITY_A1), ("西安新城食品厂", COMMUNITY_B1),
                                            ("长乐商贸有限公司", COMMUNITY_A2),
                                            ("西安示例机械有限公司有限公司有限公司", COMMUNITY_A1)])
    ]
    for i, person in enumerate(people):
        if i % 3 == 0:
            services.register_unemployment(actor=district_officer, person=person,
                                           effective_date=datetime.date(2023, 1 + i, 10), unemployment_reason="resigned")
        elif i % 3 == 1:
            services.register_employment(actor=street_officer if person.region_id.startswith("610102001") else
                                         district_officer, person=person, effective_date=datetime.date(2024, 2, 1),
                                         employment_form="unit", employer=employers[i % len(employers)])
    households = []
    for number, region, members in [("A1-0001", COMMUNITY_A1, [0, 1]), ("A1-0002", COMMUNITY_A1, [6]),
                                    ("A2-0001", COMMUNITY_A2, [2, 5]), ("B1-0001", COMMUNITY_B1, [3, 4])]:
        household = services.create_household(actor=district_officer, number=number, region=region)
        for k, index in enumerate(members):
            services.add_household_member(actor=district_officer, household=household, person=people[index],
                                          relation="head" if k == 0 else "spouse", joined_on=datetime.date(2020, 1, 1))
        households.append(household)
    services.update_person(actor=street_officer, person=people[0], phone="13912345678")
    clients = {user.username: client_for(user)
               for user in (district_officer, street_officer, community_worker, auditor, city_officer)}
    return {"people": people, "employers": employers, "households": households, "clients": clients}


def web_rows(client, name, params) -> list[int]:
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    return [row["person"].pk if isinstance(row, dict) else row.pk for row in response.context["page"]["rows"]]


def api_rows(client, path, params) -> list[int]:
    response = client.get(path, {**params, "limit": 50})
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def region_choices(client, name) -> set[str]:
    return {code for code, _label in client.get(reverse(name)).context["form"].fields["region"].choices}


STAFF = ["do_xc", "so_a", "cw_a1", "co_xa"]


@PROPERTY
@given(data=st.data())
def test_person_lists_agree(town, data):
    people = town["people"]
    client = town["clients"][data.draw(st.sampled_from(STAFF))]
    person = data.draw(st.sampled_from(people))
    q = data.draw(st.sampled_from(["", "张", "李", "王五", "赵", person.id_number, person.id_number[:10],
                                   person.id_number[:6], person.id_number.lower(), person.phone, " 张 ", "张三"]))
    region = data.draw(st.sampled_from(REGIONS))
    assume(region in region_choices(client, "web:person_search"))
    params = {"q": q, "region": region, "offset": data.draw(OFFSETS),
              "status": data.draw(st.sampled_from(["", "employed", "unemployed", "none"])),
              "group": data.draw(st.sampled_from([""] + [g.code for g in GROUPS])),
              "hukou_type": data.draw(st.sampled_from(["", "urban", "rural"]))}
    assert web_rows(client, "web:person_search", params) == api_rows(client, "/api/v1/persons", params)


@PROPERTY
@given(data=st.data())
def test_household_lists_agree(town, data):
    client = town["clients"][data.draw(st.sampled_from(STAFF))]
    region = data.draw(st.sampled_from(REGIONS))
    assume(region in region_choices(client, "web:household_search"))
    params = {"q": data.draw(st.sampled_from(["", "A", "A1", "A1-0002", "B", " A2 ", "X"])), "region": region,
              "offset": data.draw(OFFSETS)}
    web_params, api_params = dict(params), dict(params)
    if data.draw(st.booleans()):
        web_params["zero_employment"], api_params["zero_employment"] = "on", "true"
    assert web_rows(client, "web:household_search", web_params) == api_rows(client, "/api/v1/households", api_params)


@PROPERTY
@given(data=st.data())
def test_employer_lists_agree(town, data):
    client = town["clients"][data.draw(st.sampled_from(STAFF))]
    code = data.draw(st.sampled_from(town["employers"])).credit_code
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code)
    q = data.draw(st.sampled_from(["", "西安", "有限公司", "食品", "西安示例机械有限公司有限公司有限公司", code, code.lower(), f" {code[:9]} {code[9:]} ",
                                   full_width, code[:17], code + "1"]))
    params = {"q": q, "offset": data.draw(OFFSETS)}
    assert web_rows(client, "web:employer_search", params) == api_rows(client, "/api/v1/employers", params)


@PROPERTY
@given(data=st.data())
def test_audit_lists_agree(town, data):
    client = town["clients"][data.draw(st.sampled_from(["au_xc", "do_xc", "co_xa"]))]
    today = timezone.localdate()
    dates = [None, today - datetime.timedelta(days=1), today, today + datetime.timedelta(days=1)]
    some = data.draw(st.sampled_from(town["people"] + town["households"] + town["employers"]))
    date_from, date_to = data.draw(st.sampled_from(dates)), data.draw(st.sampled_from(dates))
    common = {
        "object_type": data.draw(st.sampled_from(["", "person", "registration", "household", "employer", "user"])),
        "object_id": data.draw(st.sampled_from(["", str(some.pk), f" {some.pk} "])),
        "action": data.draw(st.sampled_from(["", "create", "register", "update", "login", "view"])),
        "date_from": date_from.isoformat() if date_from else "",
        "date_to": date_to.isoformat() if date_to else "",
        "offset": data.draw(OFFSETS),
    }
    actor = data.draw(st.sampled_from(["", "do_xc", "so_a", "au_xc", "nobody"]))
    web = web_rows(client, "web:audit", {**common, "operator": actor})
    api = api_rows(client, "/api/v1/accounts/audit", {**{k: v for k, v in common.items() if v != ""}, "actor": actor})
    assert web == api


def test_api_audit_list_filters_by_date(town, auditor):
    client = town["clients"]["au_xc"]
    today = timezone.localdate()
    assert api_rows(client, "/api/v1/accounts/audit", {"date_from": today.isoformat(), "date_to": today.isoformat()})
    assert not api_rows(client, "/api/v1/accounts/audit", {"date_from": (today + datetime.timedelta(days=1)).isoformat()})


def test_credit_codes_are_recognised_once():
    code = credit_code("123456789")
    assert credit_code_in(code.lower()) == code and credit_code_in(f" {code[:9]} {code[9:]}") == code
    assert credit_code_in(code[:17]) == "" and credit_code_in("西安示例机械有限公司有限公司有限公司") == ""


def test_entries_about_finds_a_records_entries(town):
    person = town["people"][0]
    entries = AuditEntry.objects.filter(entries_about_q("person", person.pk))
    assert set(entries.values_list("action", flat=True)) >= {"create", "register", "update"}
    assert all(e.object_id == str(person.pk) and e.object_type == "person" for e in entries)


def test_person_page_is_the_same_on_the_web_and_in_the_api(town):
    person = town["people"][0]  # unemployed since 2023-01-10, changed by the street officer, in household A1-0001
    for username in ("do_xc", "co_xa", "cw_a1"):
        client = town["clients"][username]
        web = client.get(reverse("web:person", args=[person.pk]), {"on": "2024-06-30"}).context
        api = client.get(f"/api/v1/persons/{person.pk}", {"on": "2024-06-30"}).json()
        assert api["age"] == web["age"] and api["working_age"] == web["working_age"]
        assert [g["code"] for g in api["groups"]] == [g.code for g in web["groups"]]
        assert [g["reason"] for g in api["groups"]] == [g.reason for g in web["groups"]]
        assert api["status_on"]["status"] == web["status_then"]["status"].status == "unemployed"
        assert api["household_number"] == web["membership"].household.number == "A1-0001"
        assert [r["id"] for r in api["registrations"]] == [row.entry.pk for row in web["timeline"]]
        assert (api["id_number"] == person.id_number) == web["show_full_id"]
        if web["change_log"] is None:
            assert api["change_log"] is None
        else:
            assert [c["action"] for c in api["change_log"]] == [row.entry.action for row in web["change_log"]]


def test_person_page_shows_the_change_log_to_audit_readers_only(town):
    person = town["people"][0]
    html = town["clients"]["co_xa"].get(reverse("web:person", args=[person.pk])).content.decode()
    assert "档案变更记录" in html and "联系电话" in html  # the changed field, by its name
    assert "13912345678" not in html  # masked for the city officer: values stay in the audit log
    assert "档案变更记录" not in town["clients"]["so_a"].get(reverse("web:person", args=[person.pk])).content.decode()
    assert town["clients"]["so_a"].get(f"/api/v1/persons/{person.pk}").json()["change_log"] is None
