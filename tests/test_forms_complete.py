"""Issue 7, findings 3 and 4: employers and households are created and edited on the web; credit codes get
their own messages; markers match validation; every error shows in one submit; phones, graduation dates
and the work flags of children follow one rule in the services that the web, the API and the import share."""
from __future__ import annotations

import datetime
import json
import re

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from stdnum.cn import uscc

from jiuye.accounts.models import AuditEntry
from jiuye.imports.services import run_import
from jiuye.registry import services
from jiuye.registry.identity import IdentityError, is_mobile_fast, parse_credit_code, parse_phone
from jiuye.registry.industries import DIVISIONS, SECTION_NAMES, section_of
from jiuye.registry.models import Employer, Household, Person, Relation
from jiuye.web.forms import employers as employer_forms
from jiuye.web.forms import households as household_forms
from jiuye.web.forms import persons as person_forms

from .conftest import COMMUNITY_A1, COMMUNITY_B1, make_id
from .import_files import write_csv

REQ = '<span class="req">*</span>'


def credit_code(body9: str = "123456789") -> str:
    body = f"91610102{body9}"
    return body + uscc.calc_check_digit(body)


def wrong_check(code: str) -> str:
    return code[:17] + ("0" if code[17] != "0" else "1")


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def errors_of(response) -> dict[str, list[str]]:
    return {k: [str(m) for m in v] for k, v in response.context["form"].errors.items()}


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def report_text(batch, media) -> str:
    book = load_workbook(media / batch.report_file, read_only=True)
    return " ".join(str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c)


# ---------------------------------------------------------------------------------------------
# Credit codes (finding 3)


def test_credit_code_messages_name_the_mistake():
    good = credit_code()
    assert parse_credit_code(good) == good
    with pytest.raises(IdentityError, match="应为18位，实际为6位"):
        parse_credit_code("ABC123")
    with pytest.raises(IdentityError, match=rf"校验位错误（应为{good[17]}）"):
        parse_credit_code(wrong_check(good))
    with pytest.raises(IdentityError, match="非法字符：第17位“I”"):
        parse_credit_code(good[:16] + "I" + good[17])


def test_registration_form_tells_invalid_from_unregistered_codes(make_person, community_worker):
    person = make_person(region=COMMUNITY_A1)
    c = client_for(community_worker)
    url = reverse("web:register_employment", args=[person.pk])
    base = {"effective_date": "2024-07-01", "employment_form": "unit"}
    short = c.post(url, {**base, "employer_credit_code": "ABC123"})
    text = " ".join(errors_of(short)["employer_credit_code"])
    assert "应为18位，实际为6位" in text and "未找到" not in text and "未登记" not in text
    wrong = c.post(url, {**base, "employer_credit_code": wrong_check(credit_code())})
    assert f"校验位错误（应为{credit_code()[17]}）" in " ".join(errors_of(wrong)["employer_credit_code"])
    unknown = c.post(url, {**base, "employer_credit_code": credit_code("987654321")})
    page = unknown.content.decode()
    assert "未登记" in " ".join(errors_of(unknown)["employer_credit_code"])
    link = reverse("web:employer_create") + "?credit_code=" + credit_code("987654321")
    assert f'<a href="{link}">登记该单位</a>' in page  # a real link, not escaped text
    # The link prefills the new employer's code.
    assert credit_code("987654321") in c.get(link).content.decode()
    # The former employer of an unemployment registration gets the same messages.
    response = c.post(reverse("web:register_unemployment", args=[person.pk]), {
        "effective_date": "2024-09-01", "unemployment_reason": "dismissed", "former_employer_credit_code": "ABC123"})
    assert "应为18位，实际为6位" in " ".join(errors_of(response)["former_employer_credit_code"])


# ---------------------------------------------------------------------------------------------
# Employers on the web


def test_community_worker_registers_and_edits_an_employer(community_worker):
    c = client_for(community_worker)
    assert reverse("web:employer_create") in c.get(reverse("web:employer_search")).content.decode()  # 新建单位
    form = c.get(reverse("web:employer_create")).context["form"]
    assert form.fields["region"].choices == [(COMMUNITY_A1, "\u3000\u3000长乐社区")] or len(form.fields["region"].choices) == 1
    assert form.initial["region"] == COMMUNITY_A1  # the single option is preselected
    response = c.post(reverse("web:employer_create"), {
        "credit_code": credit_code().lower(), "name": " 西安新星餐饮有限公司 ", "industry_code": "62", "size_class": "micro",
        "ownership": "", "region": COMMUNITY_A1, "contact_phone": "029-87654321", "employee_count": "12",
    })
    assert response.status_code == 302, errors_of(response)
    employer = Employer.objects.get(credit_code=credit_code())
    assert employer.name == "西安新星餐饮有限公司" and employer.industry_code == "62" and employer.employee_count == 12
    assert AuditEntry.objects.filter(object_type="employer", object_id=str(employer.pk), action="create").exists()
    page = c.get(response["Location"]).content.decode()
    assert "62 餐饮业" in page and reverse("web:employer_edit", args=[employer.pk]) in page  # 编辑
    response = c.post(reverse("web:employer_edit", args=[employer.pk]), {
        "name": "西安新星餐饮有限公司", "industry_code": "62", "region": COMMUNITY_A1, "contact_phone": "13912345678"})
    assert response.status_code == 302, errors_of(response)
    employer.refresh_from_db()
    assert employer.contact_phone == "13912345678"
    update = AuditEntry.objects.get(object_type="employer", object_id=str(employer.pk), action="update")
    assert update.changes["contact_phone"] == ["029-87654321", "13912345678"]


def test_employer_form_shows_every_error_at_once(community_worker):
    response = client_for(community_worker).post(reverse("web:employer_create"), {
        "credit_code": wrong_check(credit_code()), "name": "", "region": COMMUNITY_A1, "contact_phone": "1234",
        "employee_count": "-3"})
    errors = errors_of(response)
    assert "校验位错误" in errors["credit_code"][0]
    assert set(errors) >= {"credit_code", "name", "contact_phone", "employee_count"}
    assert not Employer.objects.exists()


def test_duplicate_credit_code_names_the_employer_only_within_scope(community_worker, district_officer):
    services.create_employer(actor=district_officer, credit_code=credit_code("111111111"), name="本社区单位",
                             region=COMMUNITY_A1)
    services.create_employer(actor=district_officer, credit_code=credit_code("222222222"), name="外街道保密单位",
                             region=COMMUNITY_B1)
    c = client_for(community_worker)
    mine = c.post(reverse("web:employer_create"), {"credit_code": credit_code("111111111"), "name": "x",
                                                   "region": COMMUNITY_A1})
    assert "本社区单位" in errors_of(mine)["credit_code"][0]
    other = c.post(reverse("web:employer_create"), {"credit_code": credit_code("222222222"), "name": "x",
                                                    "region": COMMUNITY_A1})
    message = errors_of(other)["credit_code"][0]
    assert "已在其他辖区登记" in message
    page = other.content.decode()
    assert "外街道保密单位" not in page and "长乐中路" not in message
    # The service says the same to the API and the import's callers.
    with pytest.raises(Exception) as exc:
        services.create_employer(actor=community_worker, credit_code=credit_code("222222222"), name="x",
                                 region=COMMUNITY_A1)
    assert "外街道保密单位" not in str(exc.value)


def test_employer_edit_is_not_offered_outside_the_scope(community_worker, district_officer):
    other = services.create_employer(actor=district_officer, credit_code=credit_code("333333333"), name="外单位",
                                     region=COMMUNITY_B1)
    c = client_for(community_worker)
    assert c.get(reverse("web:employer_edit", args=[other.pk])).status_code == 404


def test_industry_table_is_gb_t_4754_2017():
    assert sorted(DIVISIONS) == [f"{d:02d}" for d in range(1, 98)]  # 97 divisions, 01-97
    covered = []
    for letter, (_name, low, high) in SECTION_NAMES.items():
        covered += list(range(low, high + 1))
    assert covered == list(range(1, 98))  # sections A-T in order, no gap, no overlap
    assert list(SECTION_NAMES) == list("ABCDEFGHIJKLMNOPQRST")
    assert (section_of(13), section_of(43), section_of(44), section_of(97)) == ("C", "C", "D", "T")
    assert DIVISIONS["62"] == "餐饮业" and DIVISIONS["65"] == "软件和信息技术服务业" and DIVISIONS["80"] == "居民服务业"


# ---------------------------------------------------------------------------------------------
# Households on the web


def test_household_created_with_a_generated_number_and_members(community_worker, make_person):
    head = make_person(region=COMMUNITY_A1, name="王大")
    spouse = make_person(region=COMMUNITY_A1, name="李二", seq="024")
    c = client_for(community_worker)
    assert reverse("web:household_create") in c.get(reverse("web:household_search")).content.decode()
    form = c.get(reverse("web:household_create")).context["form"]
    assert form.initial["region"] == COMMUNITY_A1 and len(form.fields["region"].choices) == 1
    response = c.post(reverse("web:household_create"), {"number": "", "region": COMMUNITY_A1, "address": "幸福路1号"})
    assert response.status_code == 302, errors_of(response)
    household = Household.objects.get()
    assert re.fullmatch(rf"{COMMUNITY_A1}-\d{{5}}", household.number) and household.number.endswith("00001")
    page = c.get(response["Location"])
    assert page.context["add_form"].initial["relation"] == Relation.HEAD  # no head yet: 户主 by default
    add = reverse("web:household_add_member", args=[household.pk])
    assert c.post(add, {"add-id_number": head.id_number, "add-relation": "head"}).status_code == 302
    page = c.get(reverse("web:household", args=[household.pk]))
    form = page.context["add_form"]
    assert form.initial["relation"] == "" and "head" not in [v for v, _l in form.fields["relation"].choices]
    assert form["relation"].field.required
    again = c.post(add, {"add-id_number": spouse.id_number, "add-relation": "head"})
    assert "本户已有户主" in " ".join(again.context["add_form"].errors["relation"])
    assert c.post(add, {"add-id_number": spouse.id_number, "add-relation": "spouse"}).status_code == 302
    # Change a relation (audited); a second 户主 is refused with a message.
    relation = reverse("web:household_member_relation", args=[household.pk])
    refused = c.post(relation, {"relation-person_id": spouse.pk, "relation-relation": "head"})
    assert "本户已有户主" in refused.content.decode()
    assert c.post(relation, {"relation-person_id": spouse.pk, "relation-relation": "other"}).status_code == 302
    assert household.memberships.get(person=spouse).relation == "other"
    entry = AuditEntry.objects.filter(object_type="household", summary="修改与户主关系").get()
    assert entry.changes == {"member": spouse.pk, "relation": "other", "former_relation": "spouse"}
    # Edit the household (audited); the number stays.
    edit = c.post(reverse("web:household_edit", args=[household.pk]), {"address": "幸福路2号", "has_business_income": "on"})
    assert edit.status_code == 302
    household.refresh_from_db()
    assert household.address == "幸福路2号" and household.has_business_income
    second = services.create_household(actor=community_worker, region=COMMUNITY_A1)
    assert second.number == f"{COMMUNITY_A1}-00002"


def test_add_member_id_number_error_comes_at_once(community_worker):
    household = services.create_household(actor=community_worker, region=COMMUNITY_A1)
    c = client_for(community_worker)
    bad = make_id("610102", "19900307", "011")
    bad = bad[:17] + ("0" if bad[17] != "0" else "1")
    response = c.post(reverse("web:household_add_member", args=[household.pk]), {"add-id_number": bad, "add-relation": ""})
    errors = response.context["add_form"].errors
    assert "校验位错误" in " ".join(errors["id_number"]) and "relation" in errors


# ---------------------------------------------------------------------------------------------
# Markers and all errors at once (finding 4)


def _forms(user, person, entry, household, employer):
    return {
        "PersonForm (new)": person_forms.PersonForm(user=user),
        "PersonForm (edit)": person_forms.PersonForm(user=user, person=person),
        "EmploymentRegistrationForm": person_forms.EmploymentRegistrationForm(user=user),
        "UnemploymentRegistrationForm": person_forms.UnemploymentRegistrationForm(user=user, person=person),
        "EndStatusForm": person_forms.EndStatusForm(),
        "CorrectionForm": person_forms.CorrectionForm(user=user, registration=entry),
        "HouseholdForm (new)": household_forms.HouseholdForm(user=user),
        "HouseholdForm (edit)": household_forms.HouseholdForm(user=user, household=household),
        "AddMemberForm": household_forms.AddMemberForm(user=user, household=household),
        "EmployerForm (new)": employer_forms.EmployerForm(user=user),
        "EmployerForm (edit)": employer_forms.EmployerForm(user=user, employer=employer),
    }


# The fields each service requires (it raises a ValidationError naming them when they are empty).
SERVICE_REQUIRED = {
    "PersonForm (new)": {"id_number", "name", "hukou_type", "region"},
    "EmploymentRegistrationForm": {"effective_date", "employment_form"},
    "UnemploymentRegistrationForm": {"effective_date", "unemployment_reason"},
    "EndStatusForm": {"effective_date", "ending_reason"},
    "CorrectionForm": {"mode", "reason", "effective_date", "unemployment_reason"},
    "HouseholdForm (new)": {"region"},
    "AddMemberForm": {"id_number", "relation"},
    "EmployerForm (new)": {"credit_code", "name", "region"},
    "EmployerForm (edit)": {"name", "region"},
}


def test_every_marker_matches_validation(community_worker, make_person):
    from django.template.loader import render_to_string

    person = make_person(region=COMMUNITY_A1)
    entry = services.register_unemployment(actor=community_worker, person=person, effective_date=datetime.date(2024, 1, 5),
                                           unemployment_reason="resigned")
    household = services.create_household(actor=community_worker, region=COMMUNITY_A1)
    employer = services.create_employer(actor=community_worker, credit_code=credit_code(), name="单位", region=COMMUNITY_A1)
    for name, form in _forms(community_worker, person, entry, household, employer).items():
        for bound in form.visible_fields():
            html = render_to_string("web/_field.html", {"f": bound})
            marked = REQ in html
            assert marked == bound.field.required, (name, bound.name)
            # A required field really refuses an empty value.
            if bound.field.required:
                with pytest.raises(Exception):
                    bound.field.clean(bound.field.to_python("") if bound.field.widget.input_type != "checkbox" else False)
        required = {b.name for b in form.visible_fields() if b.field.required}
        assert SERVICE_REQUIRED.get(name, set()) <= required, name


def test_person_form_shows_every_error_in_one_submit(community_worker):
    bad = make_id("610102", "19900307", "011")
    bad = bad[:17] + ("0" if bad[17] != "0" else "1")
    response = client_for(community_worker).post(reverse("web:person_create"), {
        "id_number": bad, "phone": "1234", "graduation_date": "2030-07-01"})
    errors = errors_of(response)
    assert "校验位错误" in errors["id_number"][0]  # although name, hukou type ... are empty
    assert {"id_number", "name", "hukou_type", "phone", "graduation_date"} <= set(errors)
    page = response.content.decode()
    for message in ("校验位错误", "不是有效的电话号码", "一年内的预计毕业时间", "这个字段是必填项"):
        assert message in page


def test_registration_forms_show_every_missing_field(make_person, community_worker):
    person = make_person(region=COMMUNITY_A1)
    c = client_for(community_worker)
    errors = errors_of(c.post(reverse("web:register_employment", args=[person.pk]), {"employer_credit_code": "ABC123"}))
    assert {"effective_date", "employment_form", "employer_credit_code"} <= set(errors)
    assert errors["employment_form"] == ["请填写就业形式"]
    errors = errors_of(c.post(reverse("web:register_unemployment", args=[person.pk]), {}))
    assert errors["unemployment_reason"] == ["请填写失业原因"] and "effective_date" in errors
    errors = errors_of(c.post(reverse("web:end_status", args=[person.pk]), {}))
    assert errors["ending_reason"] == ["请填写终止原因"]


# ---------------------------------------------------------------------------------------------
# Phones, graduation dates and children's work flags: web, API and import share the services' rules


@pytest.mark.parametrize("value,ok", [
    ("13912345678", True), ("+86 139 1234 5678", True), ("029-87654321", True), ("02987654321", True),
    ("029-87654321-123", True), ("1234", False), ("12345678901", False), ("87654321", False), ("abc", False),
])
def test_one_phone_rule(value, ok):
    if ok:
        assert parse_phone(value)
    else:
        with pytest.raises(IdentityError):
            parse_phone(value)


def test_phone_refused_through_web_api_and_import(community_worker, make_person, media, tmp_path):
    person = make_person(region=COMMUNITY_A1)
    c = client_for(community_worker)
    response = c.post(reverse("web:person_edit", args=[person.pk]), {
        "name": person.name, "hukou_type": "urban", "region": COMMUNITY_A1, "poverty_status": "none", "phone": "1234"})
    assert "不是有效的电话号码" in " ".join(errors_of(response)["phone"])
    api = c.patch(f"/api/v1/persons/{person.pk}", json.dumps({"phone": "1234"}), content_type="application/json")
    assert api.status_code == 422 and "phone" in api.json()["detail"]
    person.refresh_from_db()
    assert person.phone == ""
    rows = [["姓名", "公民身份号码", "户籍性质", "所在社区", "联系电话"],
            ["电话错", make_id("610102", "19850101", "031"), "城镇", "长乐社区", "1234"],
            ["电话对", make_id("610102", "19850101", "033"), "城镇", "长乐社区", "13912345678"]]
    batch = run_import(kind="persons", path=write_csv(tmp_path / "p.csv", rows), actor=community_worker)
    assert (batch.imported, batch.rejected) == (1, 1)
    assert "不是有效的电话号码" in report_text(batch, media)


def test_graduation_date_rule_through_web_api_and_import(community_worker, make_person, media, tmp_path):
    person = make_person(region=COMMUNITY_A1)
    this_year = timezone.localdate().year
    c = client_for(community_worker)
    data = {"name": person.name, "hukou_type": "urban", "region": COMMUNITY_A1, "poverty_status": "none"}
    response = c.post(reverse("web:person_edit", args=[person.pk]), {**data, "graduation_date": "2030-07-01"})
    assert "一年内的预计毕业时间" in " ".join(errors_of(response)["graduation_date"])
    # A final-year student may be entered with the expected date (up to a year ahead), not further.
    expected = (timezone.localdate() + datetime.timedelta(days=360)).isoformat()
    assert c.post(reverse("web:person_edit", args=[person.pk]), {**data, "graduation_date": expected}).status_code == 302
    api = c.patch(f"/api/v1/persons/{person.pk}", json.dumps({"graduation_date": f"{this_year + 2}-07-01"}),
                  content_type="application/json")
    assert api.status_code == 422 and "graduation_date" in api.json()["detail"]
    rows = [["姓名", "公民身份号码", "户籍性质", "所在社区", "毕业时间"],
            ["未来毕业", make_id("610102", "20000101", "031"), "城镇", "长乐社区", "2030-07-01"],
            ["今年毕业", make_id("610102", "20000101", "033"), "城镇", "长乐社区", f"{this_year}-01-01"]]
    batch = run_import(kind="persons", path=write_csv(tmp_path / "g.csv", rows), actor=community_worker)
    assert (batch.imported, batch.rejected) == (1, 1)
    assert "一年内的预计毕业时间" in report_text(batch, media)


def test_a_child_is_never_recorded_as_able_and_willing_to_work(community_worker, media, tmp_path):
    six = (timezone.localdate() - datetime.timedelta(days=6 * 366)).strftime("%Y%m%d")
    c = client_for(community_worker)
    # Web: the boxes ticked.
    response = c.post(reverse("web:person_create"), {
        "id_number": make_id("610102", six, "011"), "name": "小明", "hukou_type": "urban", "region": COMMUNITY_A1,
        "poverty_status": "none", "able_to_work": "on", "willing_to_work": "on"})
    assert response.status_code == 302, errors_of(response)
    child = Person.objects.get(name="小明")
    assert (child.able_to_work, child.willing_to_work) == (False, False)
    assert "不适用（未满16周岁）" in c.get(response["Location"]).content.decode()
    # API: the defaults (True) and explicit True.
    api = c.post("/api/v1/persons", json.dumps({"id_number": make_id("610102", six, "013"), "name": "小红",
                                                 "region_code": COMMUNITY_A1, "hukou_type": "urban",
                                                 "able_to_work": True, "willing_to_work": True}),
                 content_type="application/json")
    assert api.status_code == 201, api.content
    assert (api.json()["able_to_work"], api.json()["willing_to_work"]) == (False, False)
    # Import: the flags given as 是, and not given at all.
    rows = [["姓名", "公民身份号码", "户籍性质", "所在社区", "有无劳动能力", "有无就业意愿"],
            ["小刚", make_id("610102", six, "015"), "城镇", "长乐社区", "是", "是"],
            ["大刚", make_id("610102", "19850101", "017"), "城镇", "长乐社区", "是", "是"]]
    run_import(kind="persons", path=write_csv(tmp_path / "c.csv", rows), actor=community_worker)
    rows = [["姓名", "公民身份号码", "户籍性质", "所在社区"], ["小强", make_id("610102", six, "019"), "城镇", "长乐社区"]]
    run_import(kind="persons", path=write_csv(tmp_path / "d.csv", rows), actor=community_worker)
    flags = dict(Person.objects.filter(name__in=["小刚", "大刚", "小强"]).values_list("name", "willing_to_work"))
    assert flags == {"小刚": False, "大刚": True, "小强": False}
    assert not Person.objects.get(name="小刚").able_to_work


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(alphabet="0123456789-+ ()", min_size=0, max_size=14),
                 st.from_regex(r"1[0-9]{10}", fullmatch=True), st.text(max_size=12)))
def test_the_imports_fast_phone_path_is_the_rule(value):
    """The persons import accepts a usual mobile cell without calling identity.parse_phone: only values the
    rule returns unchanged."""
    if is_mobile_fast(value):
        assert parse_phone(value) == value


def test_a_persons_import_without_flag_columns_leaves_stored_flags_alone(community_worker, make_person, tmp_path):
    adult = make_person(region=COMMUNITY_A1, name="老张", willing_to_work=False)
    rows = [["姓名", "公民身份号码", "户籍性质", "所在社区", "居住地址"], ["老张", adult.id_number, "城镇", "长乐社区", "新地址"]]
    batch = run_import(kind="persons", path=write_csv(tmp_path / "u.csv", rows), actor=community_worker)
    assert batch.updated == 1
    adult.refresh_from_db()
    assert adult.address == "新地址" and adult.willing_to_work is False and adult.able_to_work is True


def test_api_registers_and_edits_employers_with_the_same_rules(community_worker, district_officer):
    c = client_for(community_worker)
    post = lambda body: c.post("/api/v1/employers", json.dumps(body), content_type="application/json")  # noqa: E731
    bad = post({"credit_code": "ABC123", "name": "", "region_code": COMMUNITY_A1, "contact_phone": "1234"})
    assert bad.status_code == 422
    detail = bad.json()["detail"]
    assert "应为18位，实际为6位" in detail["credit_code"][0] and {"name", "contact_phone"} <= set(detail)
    services.create_employer(actor=district_officer, credit_code=credit_code("222222222"), name="外街道保密单位",
                             region=COMMUNITY_B1)
    other = post({"credit_code": credit_code("222222222"), "name": "x", "region_code": COMMUNITY_A1})
    assert other.status_code == 422 and "外街道保密单位" not in other.content.decode()
    assert "已在其他辖区登记" in other.json()["detail"]["credit_code"][0]
    made = post({"credit_code": credit_code(), "name": "接口单位", "region_code": COMMUNITY_A1, "industry_code": "65",
                 "employee_count": 3})
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    patch = lambda body: c.patch(f"/api/v1/employers/{pk}", json.dumps(body), content_type="application/json")  # noqa: E731
    assert patch({"contact_phone": "1234"}).status_code == 422
    assert patch({"industry_code": "99"}).status_code == 422
    ok = patch({"contact_phone": "13912345678", "employee_count": None})
    assert ok.status_code == 200 and ok.json()["employee_count"] is None
    assert Employer.objects.get(pk=pk).contact_phone == "13912345678"
    far = Employer.objects.get(credit_code=credit_code("222222222"))
    assert c.patch(f"/api/v1/employers/{far.pk}", json.dumps({"name": "y"}), content_type="application/json").status_code == 404
