"""The web workbench (jiuye.web) through Django's test client: pages per role, masking, audit, forms, scoping."""
from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from stdnum.cn import uscc

from jiuye.accounts.models import AuditEntry, Role, User
from jiuye.registry.groups import GROUPS
from jiuye.registry import services
from jiuye.registry.identity import mask_id_number
from jiuye.imports.models import ImportBatch
from jiuye.registry.models import EmploymentStatus, HouseholdMembership, Person, Registration

from .conftest import COMMUNITY_A1, COMMUNITY_A2, COMMUNITY_B1, STREET_A, make_id

PASSWORD = "pass-12345678"


def credit_code(body9: str = "123456789", region6: str = "610102") -> str:
    body = f"91{region6}{body9}"
    return body + uscc.calc_check_digit(body)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world(make_person, district_officer):
    """Two persons in different streets, a household, an employer and a little history."""
    a = make_person(name="张三", region=COMMUNITY_A1, phone="13912345678")
    b = make_person(name="李四", region=COMMUNITY_B1, phone="13800001111")
    employer = services.create_employer(actor=district_officer, credit_code=credit_code(), name="西安示例机械有限公司",
                                        region=COMMUNITY_A1)
    household = services.create_household(actor=district_officer, number="A1-0001", region=COMMUNITY_A1)
    services.add_household_member(actor=district_officer, household=household, person=a, relation="head",
                                  joined_on=datetime.date(2020, 1, 1))
    services.register_unemployment(actor=district_officer, person=a, effective_date=datetime.date(2024, 1, 10),
                                   unemployment_reason="contract_ended")
    services.register_unemployment(actor=district_officer, person=b, effective_date=datetime.date(2024, 2, 1),
                                   unemployment_reason="resigned")
    a.refresh_from_db()
    b.refresh_from_db()
    return {"a": a, "b": b, "employer": employer, "household": household}


@pytest.fixture
def resident(world):
    user = User.objects.create_user(username="res_a", password=PASSWORD, role=Role.RESIDENT, display_name="张三")
    services.link_account(actor=None, user=user, person=world["a"])
    return user


@pytest.fixture
def employer_user(world):
    user = User.objects.create_user(username="emp_1", password=PASSWORD, role=Role.EMPLOYER_USER,
                                    display_name="单位经办人")
    services.link_account(actor=None, user=user, employer=world["employer"])
    return user


# ---------------------------------------------------------------------------------------------
# Login and logout


def test_login_page_is_chinese_and_has_no_external_resources(client, regions):
    response = client.get(reverse("web:login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "用户登录" in html and 'lang="zh-Hans"' in html
    assert "http://" not in html and "https://" not in html


def test_login_works_and_is_audited(client, community_worker):
    response = client.post(reverse("web:login"), {"username": "cw_a1", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("web:home")
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN)
    assert entry.actor == community_worker and entry.region_code == COMMUNITY_A1 and entry.channel == "web"
    home = client.get(reverse("web:home"))
    assert home.status_code == 200
    html = home.content.decode()
    assert "社区协理员" in html and "社区劳动保障协理员" in html  # name and role in the top bar


def test_failed_login_is_audited_with_the_username_only(client, community_worker):
    response = client.post(reverse("web:login"), {"username": "cw_a1", "password": "wrong-password-x"})
    assert response.status_code == 200
    assert "请输入" in response.content.decode() or "正确" in response.content.decode()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN_FAILED)
    assert entry.actor is None and entry.object_label == "cw_a1" and entry.region_code == COMMUNITY_A1
    stored = f"{entry.object_label}{entry.summary}{entry.changes}{entry.actor_name}"
    assert "wrong-password-x" not in stored


def test_failed_login_with_unknown_username(client, regions):
    client.post(reverse("web:login"), {"username": "nobody", "password": "secret-secret"})
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN_FAILED)
    assert entry.object_label == "nobody" and entry.object_id == "" and "secret-secret" not in str(entry.changes)


def test_logout_is_audited(client, community_worker):
    client.post(reverse("web:login"), {"username": "cw_a1", "password": PASSWORD})
    response = client.post(reverse("web:logout"))
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LOGOUT, actor=community_worker).exists()
    assert client.get(reverse("web:home")).status_code == 302  # back to the login page


def test_pages_require_login(client, world):
    for url in [reverse("web:home"), reverse("web:person_search"), reverse("web:person", args=[world["a"].pk]),
                reverse("web:audit"), reverse("web:imports")]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("web:login"))


# ---------------------------------------------------------------------------------------------
# Pages per role

READERS = ["community_worker", "street_officer", "district_officer", "city_officer", "auditor"]
WRITERS = ["community_worker", "street_officer", "district_officer"]


@pytest.mark.parametrize("role", READERS)
def test_staff_pages_render(request, world, role):
    user = request.getfixturevalue(role)
    c = client_for(user)
    urls = [
        reverse("web:home"), reverse("web:person_search"), reverse("web:person_search") + "?q=张",
        reverse("web:person", args=[world["a"].pk]), reverse("web:person", args=[world["a"].pk]) + "?on=2024-01-01",
        reverse("web:household_search"), reverse("web:household", args=[world["household"].pk]),
        reverse("web:employer_search"), reverse("web:employer", args=[world["employer"].pk]),
    ]
    for url in urls:
        response = c.get(url)
        assert response.status_code == 200, url
        assert "就业实名制登记工作台" in response.content.decode()


@pytest.mark.parametrize("role", WRITERS)
def test_writer_pages_render(request, world, role):
    c = client_for(request.getfixturevalue(role))
    a = world["a"]
    entry = a.registrations.get()
    for url in [reverse("web:person_create"), reverse("web:person_edit", args=[a.pk]),
                reverse("web:register_employment", args=[a.pk]), reverse("web:register_unemployment", args=[a.pk]),
                reverse("web:end_status", args=[a.pk]), reverse("web:correct_registration", args=[a.pk, entry.pk]),
                reverse("web:imports")]:
        assert c.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ["city_officer", "auditor"])
def test_readers_cannot_open_write_forms(request, world, role):
    c = client_for(request.getfixturevalue(role))
    a = world["a"]
    for url in [reverse("web:person_create"), reverse("web:register_employment", args=[a.pk]),
                reverse("web:person_edit", args=[a.pk]), reverse("web:imports")]:
        response = c.get(url)
        assert response.status_code == 403, url
        assert "无权" in response.content.decode()
    page = c.get(reverse("web:person", args=[a.pk])).content.decode()
    assert reverse("web:register_employment", args=[a.pk]) not in page


@pytest.mark.parametrize("role,allowed", [("auditor", True), ("district_officer", True), ("city_officer", True),
                                          ("community_worker", False), ("street_officer", False)])
def test_audit_log_only_for_audit_readers(request, world, role, allowed):
    c = client_for(request.getfixturevalue(role))
    response = c.get(reverse("web:audit"))
    assert response.status_code == (200 if allowed else 403)
    nav = c.get(reverse("web:home")).content.decode()
    assert (reverse("web:audit") in nav) is allowed


def test_side_navigation_follows_the_role(world, community_worker, city_officer):
    cw = client_for(community_worker).get(reverse("web:home")).content.decode()
    assert reverse("web:imports") in cw and reverse("web:person_create") in cw
    co = client_for(city_officer).get(reverse("web:home")).content.decode()
    assert reverse("web:imports") not in co and reverse("web:person_create") not in co
    assert "西安市" in co  # region in the top bar


def test_resident_and_employer_cannot_open_staff_search(world, resident, employer_user):
    for user in (resident, employer_user):
        c = client_for(user)
        for url in [reverse("web:person_search"), reverse("web:employer_search"), reverse("web:household_search"),
                    reverse("web:audit"), reverse("web:imports"), reverse("web:person_create")]:
            assert c.get(url).status_code == 403, (user.username, url)


def test_resident_sees_own_record_only(world, resident):
    c = client_for(resident)
    home = c.get(reverse("web:home")).content.decode()
    own = reverse("web:person", args=[world["a"].pk])
    assert own in home
    page = c.get(own)
    assert page.status_code == 200 and world["a"].id_number in page.content.decode()
    assert reverse("web:register_employment", args=[world["a"].pk]) not in page.content.decode()
    assert c.get(reverse("web:person", args=[world["b"].pk])).status_code == 404


def test_employer_user_sees_own_employer_page(world, employer_user):
    c = client_for(employer_user)
    own = reverse("web:employer", args=[world["employer"].pk])
    assert own in c.get(reverse("web:home")).content.decode()
    page = c.get(own)
    assert page.status_code == 200 and "西安示例机械有限公司" in page.content.decode()
    assert c.get(reverse("web:person", args=[world["a"].pk])).status_code == 404


def test_404_page_is_chinese(world, community_worker):
    response = client_for(community_worker).get("/no-such-page/")
    assert response.status_code == 404 and "未找到" in response.content.decode()


# ---------------------------------------------------------------------------------------------
# Home counts


def test_home_counts_stay_a_few_queries(world, make_person, district_officer, django_assert_max_num_queries):
    for i in range(12):
        p = make_person(name=f"批量{i}", region=COMMUNITY_A2)
        if i % 2:
            services.register_employment(actor=district_officer, person=p, effective_date=datetime.date(2024, 5, 1),
                                         employment_form="flexible")
    c = client_for(district_officer)
    c.get(reverse("web:home"))  # warm caches (rules file, session)
    # The overview: the child regions, one grouped query per measure, one count per key group (a
    # constant number whatever the number of regions or persons; tests/test_overview.py).
    with django_assert_max_num_queries(9 + 3 + len(GROUPS)):
        response = c.get(reverse("web:home"))
    counts = response.context["counts"]
    assert counts["persons"] == 14 and counts["employed"] == 6 and counts["unemployed"] == 2
    html = response.content.decode()
    assert 'data-stat="persons">14<' in html


def test_home_counts_are_scoped(world, other_street_officer):
    counts = client_for(other_street_officer).get(reverse("web:home")).context["counts"]
    assert counts["persons"] == 1 and counts["unemployed"] == 1


# ---------------------------------------------------------------------------------------------
# Search


def test_search_masks_identity_numbers_and_phones(world, community_worker):
    a = world["a"]
    response = client_for(community_worker).get(reverse("web:person_search"), {"q": "张三"})
    html = response.content.decode()
    assert "张三" in html
    assert a.id_number not in html and mask_id_number(a.id_number) in html
    assert "13912345678" not in html and "139****5678" in html


def test_search_by_identity_number_and_filters(world, district_officer):
    c = client_for(district_officer)
    a, b = world["a"], world["b"]
    html = c.get(reverse("web:person_search"), {"q": a.id_number}).content.decode()
    assert "张三" in html and "李四" not in html
    html = c.get(reverse("web:person_search"), {"region": COMMUNITY_B1}).content.decode()
    assert "李四" in html and "张三" not in html
    html = c.get(reverse("web:person_search"), {"status": "employed"}).content.decode()
    assert "张三" not in html and "没有符合条件的人员" in html
    rows = c.get(reverse("web:person_search"), {"hukou_type": "urban", "q": "李"}).context["page"]["rows"]
    assert [r["person"].pk for r in rows] == [b.pk]
    unknown_group = c.get(reverse("web:person_search"), {"group": "no-such-group"})
    assert unknown_group.status_code == 200 and unknown_group.context["form"].errors["group"]


def test_search_paginates_with_previous_and_next(world, make_person, district_officer):
    for i in range(55):
        make_person(name=f"王{i:02d}", region=COMMUNITY_A2)
    c = client_for(district_officer)
    first = c.get(reverse("web:person_search"), {"q": "王"})
    page = first.context["page"]
    assert len(page["rows"]) == 50 and page["next_url"] and not page["prev_url"]
    second = c.get(reverse("web:person_search") + page["next_url"])
    page2 = second.context["page"]
    assert len(page2["rows"]) == 5 and page2["prev_url"] and not page2["next_url"]


def test_person_outside_scope_never_appears_in_search(world, street_officer, community_worker):
    b = world["b"]
    for user in (street_officer, community_worker):
        c = client_for(user)
        for params in ({"q": "李四"}, {"q": b.id_number}, {"q": b.phone}, {"q": ""}, {"region": COMMUNITY_B1},
                       {"status": "unemployed"}, {"group": "hard_to_employ"}):
            response = c.get(reverse("web:person_search"), params)
            assert b.pk not in [row["person"].pk for row in response.context["page"]["rows"]], params
            assert f'href="{reverse("web:person", args=[b.pk])}"' not in response.content.decode()
            assert b.id_number[-4:] + "<" not in response.content.decode()


def test_region_filter_lists_only_regions_in_scope(world, street_officer):
    response = client_for(street_officer).get(reverse("web:person_search"))
    codes = [code for code, _label in response.context["form"].fields["region"].choices if code]
    assert COMMUNITY_A1 in codes and COMMUNITY_B1 not in codes and STREET_A not in codes


# ---------------------------------------------------------------------------------------------
# Person page


def test_person_page_full_number_for_community_worker_masked_for_city_officer(world, community_worker, city_officer):
    a = world["a"]
    # The page carries the masked number; the full one comes from "显示完整号码" (an audited request).
    worker = client_for(community_worker)
    page = worker.get(reverse("web:person", args=[a.pk])).content.decode()
    assert a.id_number not in page and reverse("web:person_id_number", args=[a.pk]) in page
    cw = page + worker.post(reverse("web:person_id_number", args=[a.pk])).content.decode()
    assert a.id_number in cw and mask_id_number(a.id_number) in cw
    co = client_for(city_officer).get(reverse("web:person", args=[a.pk])).content.decode()
    assert a.id_number not in co and mask_id_number(a.id_number) in co
    assert "13912345678" not in co


def test_opening_person_page_is_audited(world, community_worker):
    a = world["a"]
    before = AuditEntry.objects.filter(action=AuditEntry.Action.VIEW).count()
    client_for(community_worker).get(reverse("web:person", args=[a.pk]))
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.VIEW).latest("id")
    assert AuditEntry.objects.filter(action=AuditEntry.Action.VIEW).count() == before + 1
    assert entry.actor == community_worker and entry.object_type == "person" and entry.object_id == str(a.pk)
    assert entry.channel == "web"


def test_person_page_shows_groups_household_and_timeline(world, make_person, district_officer, community_worker):
    p = make_person(name="王老五", birth="19680405", region=COMMUNITY_A1, has_disability=True)
    services.register_unemployment(actor=district_officer, person=p, effective_date=datetime.date(2024, 3, 1),
                                   unemployment_reason="dismissed")
    html = client_for(community_worker).get(reverse("web:person", args=[p.pk])).content.decode()
    assert "就业困难人员" in html and "残疾人" in html and "登记失业" in html
    assert "被解除劳动合同" in html  # history timeline
    a_html = client_for(community_worker).get(reverse("web:person", args=[world["a"].pk])).content.decode()
    assert "A1-0001" in a_html and "户主" in a_html


def test_status_on_date(world, community_worker, district_officer):
    a = world["a"]
    services.register_employment(actor=district_officer, person=a, effective_date=datetime.date(2024, 6, 1),
                                 employment_form="flexible")
    c = client_for(community_worker)
    before = c.get(reverse("web:person", args=[a.pk]), {"on": "2024-03-01"})
    assert before.context["status_then"]["status"].status == EmploymentStatus.UNEMPLOYED
    assert "2024-03-01 的就业状态" in before.content.decode()
    earlier = c.get(reverse("web:person", args=[a.pk]), {"on": "2023-12-31"})
    assert earlier.context["status_then"]["status"].status == EmploymentStatus.NONE
    bad = c.get(reverse("web:person", args=[a.pk]), {"on": "2024-13-45"})
    assert bad.status_code == 200 and bad.context["status_then"] is None and bad.context["on_form"].errors


# ---------------------------------------------------------------------------------------------
# Registration forms


def test_register_employment_through_form(world, community_worker):
    a = world["a"]
    url = reverse("web:register_employment", args=[a.pk])
    c = client_for(community_worker)
    response = c.post(url, {
        "effective_date": "2024-07-01", "employment_form": "unit", "employer_credit_code": credit_code(),
        "contract_type": "fixed", "contract_months": "24", "social_insurance": "true", "occupation": "钳工",
    })
    assert response.status_code == 302 and response.url == reverse("web:person", args=[a.pk])
    a.refresh_from_db()
    assert a.employment_status == EmploymentStatus.EMPLOYED and a.current_employer == world["employer"]
    entry = a.registrations.latest("id")
    assert entry.operator == community_worker and entry.contract_months == 24 and entry.social_insurance is True
    assert AuditEntry.objects.filter(action=AuditEntry.Action.REGISTER, actor=community_worker,
                                     object_id=str(a.pk)).exists()
    page = c.get(response.url).content.decode()
    assert "已为张三办理就业登记" in page


def test_register_employment_by_picking_employer(world, street_officer):
    a = world["a"]
    response = client_for(street_officer).post(reverse("web:register_employment", args=[a.pk]), {
        "effective_date": "2024-07-01", "employment_form": "unit", "employer": str(world["employer"].pk),
    })
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.current_employer == world["employer"]


def test_register_unemployment_through_form(world, community_worker, district_officer):
    a = world["a"]
    services.register_employment(actor=district_officer, person=a, effective_date=datetime.date(2024, 5, 1),
                                 employment_form="flexible")
    response = client_for(community_worker).post(reverse("web:register_unemployment", args=[a.pk]), {
        "effective_date": "2024-09-01", "unemployment_reason": "resigned",
    })
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.employment_status == EmploymentStatus.UNEMPLOYED and a.status_since == datetime.date(2024, 9, 1)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.REGISTER, actor=community_worker).exists()


def test_end_status_through_form(world, community_worker):
    a = world["a"]
    response = client_for(community_worker).post(reverse("web:end_status", args=[a.pk]), {
        "effective_date": "2024-09-01", "ending_reason": "moved_away",
    })
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.employment_status == EmploymentStatus.MOVED_AWAY


def test_service_validation_error_appears_next_to_the_field(world, community_worker):
    a = world["a"]
    c = client_for(community_worker)
    response = c.post(reverse("web:register_employment", args=[a.pk]), {
        "effective_date": "2024-07-01", "employment_form": "unit",
    })
    assert response.status_code == 200
    form = response.context["form"]
    assert "须填写就业单位" in " ".join(form.errors["employer"])
    assert "须填写就业单位" in response.content.decode()
    future = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    response = c.post(reverse("web:register_unemployment", args=[a.pk]), {
        "effective_date": future, "unemployment_reason": "resigned",
    })
    assert "晚于今天" in " ".join(response.context["form"].errors["effective_date"])
    response = c.post(reverse("web:register_unemployment", args=[a.pk]), {"effective_date": "2024-08-01"})
    assert "请填写失业原因" in " ".join(response.context["form"].errors["unemployment_reason"])
    a.refresh_from_db()
    assert a.registrations.count() == 1 and a.employment_status == EmploymentStatus.UNEMPLOYED


def test_unknown_credit_code_is_a_form_error(world, community_worker):
    a = world["a"]
    response = client_for(community_worker).post(reverse("web:register_employment", args=[a.pk]), {
        "effective_date": "2024-07-01", "employment_form": "unit", "employer_credit_code": credit_code("987654321"),
    })
    assert response.status_code == 200 and response.context["form"].errors["employer_credit_code"]
    assert a.registrations.count() == 1


def test_void_entry_through_form_strikes_it_through(world, community_worker):
    a = world["a"]
    entry = a.registrations.get()
    c = client_for(community_worker)
    url = reverse("web:correct_registration", args=[a.pk, entry.pk])
    missing_reason = c.post(url, {"mode": "void", "reason": "  "})
    assert missing_reason.status_code == 200 and missing_reason.context["form"].errors["reason"]
    response = c.post(url, {"mode": "void", "reason": "误登记"})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.employment_status == EmploymentStatus.NONE
    html = c.get(reverse("web:person", args=[a.pk])).content.decode()
    assert "<del>" in html and "已作废" in html and "误登记" in html and "社区协理员" in html
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CORRECT, actor=community_worker).exists()
    again = c.post(url, {"mode": "void", "reason": "再次"})
    assert again.status_code == 200 and "已被更正或作废" in again.content.decode()
    void_entry = a.registrations.get(kind=Registration.Kind.VOID)
    assert c.get(reverse("web:correct_registration", args=[a.pk, void_entry.pk])).status_code == 404
    assert a.registrations.count() == 2


def test_correct_entry_through_form(world, community_worker):
    a = world["a"]
    entry = a.registrations.get()
    response = client_for(community_worker).post(reverse("web:correct_registration", args=[a.pk, entry.pk]), {
        "mode": "correct", "reason": "日期录错", "effective_date": "2024-01-15", "unemployment_reason": "dismissed",
    })
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.status_since == datetime.date(2024, 1, 15)
    new = a.registrations.latest("id")
    assert new.corrects == entry and new.unemployment_reason == "dismissed" and new.reason == "日期录错"
    html = client_for(community_worker).get(reverse("web:person", args=[a.pk])).content.decode()
    assert "已更正" in html and "日期录错" in html


def test_registration_of_another_person_is_404(world, district_officer):
    a, b = world["a"], world["b"]
    entry_b = b.registrations.get()
    response = client_for(district_officer).get(reverse("web:correct_registration", args=[a.pk, entry_b.pk]))
    assert response.status_code == 404


# ---------------------------------------------------------------------------------------------
# Person create / edit


def test_create_person_through_form(regions, community_worker):
    number = make_id("610102", "19950812", "024")
    c = client_for(community_worker)
    response = c.post(reverse("web:person_create"), {
        "id_number": number.lower(), "name": " 赵六 ", "hukou_type": "rural", "region": COMMUNITY_A1,
        "phone": "13700000000", "skills": "电工、焊工", "able_to_work": "on", "willing_to_work": "on",
        "poverty_status": "none",
    })
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    person = Person.objects.get(id_number=number)
    assert person.name == "赵六" and person.sex == "F" and person.skills == ["电工", "焊工"]
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, object_id=str(person.pk)).exists()
    duplicate = c.post(reverse("web:person_create"), {
        "id_number": number, "name": "赵六", "hukou_type": "rural", "region": COMMUNITY_A1, "poverty_status": "none",
    })
    assert duplicate.status_code == 200 and "已登记" in " ".join(duplicate.context["form"].errors["id_number"])
    bad = c.post(reverse("web:person_create"), {
        "id_number": number[:-1] + ("0" if number[-1] != "0" else "1"), "name": "钱七", "hukou_type": "urban",
        "region": COMMUNITY_A1, "poverty_status": "none",
    })
    assert "校验位" in " ".join(bad.context["form"].errors["id_number"])


def test_create_person_outside_scope_is_refused(regions, community_worker):
    response = client_for(community_worker).post(reverse("web:person_create"), {
        "id_number": make_id("610102", "19950812", "046"), "name": "越界", "hukou_type": "urban",
        "region": COMMUNITY_B1, "poverty_status": "none",
    })
    assert response.status_code == 200 and response.context["form"].errors["region"]
    assert not Person.objects.filter(name="越界").exists()


def test_edit_person_through_form(world, community_worker):
    a = world["a"]
    c = client_for(community_worker)
    form = c.get(reverse("web:person_edit", args=[a.pk])).context["form"]
    data = {name: ("on" if value is True else "" if value in (None, False) else value)
            for name, value in ((f.name, f.value()) for f in form)}
    data = {k: v for k, v in data.items() if v != ""}
    data.update({"address": "西一路1号", "skills": "厨师、面点"})
    response = c.post(reverse("web:person_edit", args=[a.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    a.refresh_from_db()
    assert a.address == "西一路1号" and a.skills == ["厨师", "面点"] and a.phone == "13912345678"
    assert AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE, object_type="person", object_id=str(a.pk)).exists()


# ---------------------------------------------------------------------------------------------
# Scoping of every form URL


def _person_urls(person, entry):
    return [
        reverse("web:person", args=[person.pk]),
        reverse("web:person_edit", args=[person.pk]),
        reverse("web:register_employment", args=[person.pk]),
        reverse("web:register_unemployment", args=[person.pk]),
        reverse("web:end_status", args=[person.pk]),
        reverse("web:correct_registration", args=[person.pk, entry.pk]),
    ]


def test_officer_of_another_street_gets_404_and_changes_nothing(world, other_street_officer):
    a = world["a"]
    entry = a.registrations.get()
    c = client_for(other_street_officer)
    snapshot = Person.objects.filter(pk=a.pk).values().get()
    registrations = Registration.objects.count()
    audits = AuditEntry.objects.exclude(action=AuditEntry.Action.LOGIN).count()
    payload = {
        "effective_date": "2024-07-01", "employment_form": "flexible", "unemployment_reason": "resigned",
        "ending_reason": "moved_away", "mode": "void", "reason": "越权", "name": "篡改", "hukou_type": "urban",
        "region": COMMUNITY_B1, "poverty_status": "none",
    }
    for url in _person_urls(a, entry):
        assert c.get(url).status_code == 404, url
        assert c.post(url, payload).status_code == 404, url
    assert Person.objects.filter(pk=a.pk).values().get() == snapshot
    assert Registration.objects.count() == registrations
    assert AuditEntry.objects.exclude(action=AuditEntry.Action.LOGIN).count() == audits
    household = world["household"]
    for url in [reverse("web:household", args=[household.pk]),
                reverse("web:household_add_member", args=[household.pk]),
                reverse("web:household_remove_member", args=[household.pk])]:
        assert c.post(url, {"add-id_number": world["b"].id_number, "add-relation": "spouse",
                            "remove-person_id": a.pk}).status_code == 404, url
    assert HouseholdMembership.objects.filter(household=household, left_on__isnull=True).count() == 1


def test_community_worker_cannot_reach_neighbouring_community(world, make_person, community_worker):
    neighbour = make_person(name="邻居", region=COMMUNITY_A2)
    c = client_for(community_worker)
    assert c.get(reverse("web:person", args=[neighbour.pk])).status_code == 404
    assert c.post(reverse("web:register_unemployment", args=[neighbour.pk]),
                  {"effective_date": "2024-01-01", "unemployment_reason": "resigned"}).status_code == 404
    assert not neighbour.registrations.exists()


# ---------------------------------------------------------------------------------------------
# Households and employers


def test_household_page_and_members(world, make_person, community_worker):
    household = world["household"]
    c = client_for(community_worker)
    html = c.get(reverse("web:household", args=[household.pk])).content.decode()
    assert "张三" in html and "户主" in html and "零就业家庭" in html  # the only member is unemployed
    assert world["a"].id_number not in html and mask_id_number(world["a"].id_number) in html
    spouse = make_person(name="张妻", region=COMMUNITY_A1, seq="222")
    response = c.post(reverse("web:household_add_member", args=[household.pk]), {
        "add-id_number": spouse.id_number, "add-relation": "spouse", "add-joined_on": "2024-01-01",
    })
    assert response.status_code == 302
    assert HouseholdMembership.objects.filter(household=household, person=spouse, left_on__isnull=True).exists()
    second_head = c.post(reverse("web:household_add_member", args=[household.pk]), {
        "add-id_number": make_person(name="另一户主", region=COMMUNITY_A1).id_number, "add-relation": "head",
    })
    assert second_head.status_code == 200 and "本户已有户主" in second_head.content.decode()
    outsider = c.post(reverse("web:household_add_member", args=[household.pk]), {
        "add-id_number": world["b"].id_number, "add-relation": "other",
    })
    assert "不在您的管辖范围内" in outsider.content.decode()
    response = c.post(reverse("web:household_remove_member", args=[household.pk]), {"remove-person_id": spouse.pk})
    assert response.status_code == 302
    assert not HouseholdMembership.objects.filter(household=household, person=spouse, left_on__isnull=True).exists()


def test_household_search_zero_employment_filter(world, district_officer):
    c = client_for(district_officer)
    html = c.get(reverse("web:household_search"), {"zero_employment": "on"}).content.decode()
    assert "A1-0001" in html
    services.register_employment(actor=district_officer, person=world["a"], effective_date=datetime.date(2024, 6, 1),
                                 employment_form="flexible")
    html = c.get(reverse("web:household_search"), {"zero_employment": "on"}).content.decode()
    assert "A1-0001" not in html


def test_employer_search_and_page(world, district_officer, other_street_officer):
    services.register_employment(actor=district_officer, person=world["a"], effective_date=datetime.date(2024, 6, 1),
                                 employment_form="unit", employer=world["employer"])
    c = client_for(district_officer)
    assert "西安示例机械有限公司" in c.get(reverse("web:employer_search"), {"q": "机械"}).content.decode()
    assert "西安示例机械有限公司" in c.get(reverse("web:employer_search"), {"q": credit_code()}).content.decode()
    page = c.get(reverse("web:employer", args=[world["employer"].pk])).content.decode()
    assert "张三" in page and world["a"].id_number not in page
    # The employer lies in street A: the officer of street B neither finds nor opens it.
    other = client_for(other_street_officer)
    assert "西安示例机械有限公司" not in other.get(reverse("web:employer_search"), {"q": "机械"}).content.decode()
    assert other.get(reverse("web:employer", args=[world["employer"].pk])).status_code == 404


# ---------------------------------------------------------------------------------------------
# Audit log


def test_audit_log_lists_and_filters(world, auditor, community_worker):
    client_for(community_worker).get(reverse("web:person", args=[world["a"].pk]))
    c = client_for(auditor)
    response = c.get(reverse("web:audit"), {"operator": "cw_a1", "action": "view"})
    rows = response.context["page"]["rows"]
    assert rows and all(r.actor_name == "cw_a1" and r.action == "view" for r in rows)
    response = c.get(reverse("web:audit"), {"object_type": "person", "object_id": str(world["b"].pk)})
    assert all(r.object_id == str(world["b"].pk) for r in response.context["page"]["rows"])
    today = timezone.localdate()
    assert c.get(reverse("web:audit"), {"date_from": today.isoformat(), "date_to": today.isoformat()}).context["page"]["rows"]
    tomorrow = today + datetime.timedelta(days=1)
    assert not c.get(reverse("web:audit"), {"date_from": tomorrow.isoformat()}).context["page"]["rows"]
    bad = c.get(reverse("web:audit"), {"date_from": tomorrow.isoformat(), "date_to": today.isoformat()})
    assert bad.context["form"].errors["date_to"]


def test_audit_log_is_scoped_to_region(world, regions, make_person, district_officer):
    street_b_auditor = User.objects.create_user(username="au_b", password=PASSWORD, role=Role.AUDITOR,
                                                region_id="610102002000")
    rows = client_for(street_b_auditor).get(reverse("web:audit")).context["page"]["rows"]
    assert rows and all(r.region_code.startswith("610102002") for r in rows)


def test_audit_log_is_read_only(world, auditor):
    c = client_for(auditor)
    before = AuditEntry.objects.count()
    c.post(reverse("web:audit"), {"action": "view"})
    assert AuditEntry.objects.count() == before
    main = c.get(reverse("web:audit")).content.decode().split("<main")[1]
    assert 'method="post"' not in main


# ---------------------------------------------------------------------------------------------
# Imports


def test_import_report_download_is_scoped(world, community_worker, other_street_officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "batch-1-errors.csv").write_text("行号,错误\n2,公民身份号码校验位错误\n", encoding="utf-8")
    batch = ImportBatch.objects.create(kind="persons", file_name="persons.xlsx", actor=community_worker,
                                       region_code=COMMUNITY_A1, status="partial", rejected=1,
                                       report_file="reports/batch-1-errors.csv")
    c = client_for(community_worker)
    page = c.get(reverse("web:imports")).content.decode()
    assert "persons.xlsx" in page and reverse("web:import_report", args=[batch.pk]) in page
    assert "persons.xlsx" in c.get(reverse("web:home")).content.decode()  # recent imports
    assert c.get(reverse("web:import_batch", args=[batch.pk])).status_code == 200
    # A report with no masked copy: only the full one, asked for explicitly by a role that may see it.
    assert c.get(reverse("web:import_report", args=[batch.pk])).status_code == 404
    response = c.get(reverse("web:import_report", args=[batch.pk]), {"full_id": "1"})
    assert response.status_code == 200
    assert "校验位错误" in b"".join(response.streaming_content).decode()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, object_type="import_batch").exists()
    other = client_for(other_street_officer)
    assert other.get(reverse("web:import_report", args=[batch.pk])).status_code == 404
    assert other.get(reverse("web:import_batch", args=[batch.pk])).status_code == 404
    assert "persons.xlsx" not in other.get(reverse("web:imports")).content.decode()
    escaped = ImportBatch.objects.create(kind="persons", file_name="x.csv", actor=community_worker,
                                         region_code=COMMUNITY_A1, report_file="../../etc/passwd")
    assert c.get(reverse("web:import_report", args=[escaped.pk])).status_code == 404


def _persons_csv(*rows: tuple[str, str]) -> bytes:
    lines = ["姓名,公民身份号码,户籍性质,所在社区"] + [f"{name},{number},城镇,{COMMUNITY_A1}" for name, number in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_import_dry_run_through_the_page(world, community_worker, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("人员.csv", _persons_csv(("孙八", make_id("610102", "19920101", "135"))),
                                content_type="text/csv")
    c = client_for(community_worker)
    response = c.post(reverse("web:imports"), {"kind": "persons", "file": upload, "dry_run": "on"})
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    batch = ImportBatch.objects.latest("id")
    assert batch.actor == community_worker and batch.dry_run and batch.file_name == "人员.csv"
    assert response.url == reverse("web:import_batch", args=[batch.pk])
    assert "人员.csv" in c.get(response.url).content.decode()
    assert not Person.objects.filter(name="孙八").exists()


def test_import_with_a_rejected_row_offers_the_error_report(world, community_worker, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    good = make_id("610102", "19920101", "157")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    upload = SimpleUploadedFile("人员.csv", _persons_csv(("孙八", good), ("周九", bad)), content_type="text/csv")
    c = client_for(community_worker)
    response = c.post(reverse("web:imports"), {"kind": "persons", "file": upload})
    assert response.status_code == 302
    batch = ImportBatch.objects.latest("id")
    assert (batch.imported, batch.rejected) == (1, 1) and batch.report_file
    assert Person.objects.filter(name="孙八", region_id=COMMUNITY_A1).exists()
    page = c.get(response.url).content.decode()
    assert reverse("web:import_report", args=[batch.pk]) in page
    report = c.get(reverse("web:import_report", args=[batch.pk]))
    assert report.status_code == 200 and b"".join(report.streaming_content)


def test_import_form_rejects_other_file_types(world, community_worker):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for(community_worker).post(reverse("web:imports"), {
        "kind": "persons", "file": SimpleUploadedFile("x.exe", b"MZ"),
    })
    assert response.status_code == 200 and not ImportBatch.objects.exists()
    assert response.context["form"].errors
