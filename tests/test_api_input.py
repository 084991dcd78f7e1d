"""Issue 6, findings 8 and 9: bad API input is a 422 in Chinese naming the field and the value (never a
500, on SQLite and PostgreSQL), every parameter and body field of every operation is a bounded type
from jiuye.apitypes, and registrations neither reveal employers outside the scope nor let ids be probed."""
from __future__ import annotations

import datetime
import typing

import pytest
from django.test import Client
from pydantic import BaseModel

from jiuye.api import api as ninja_api
from jiuye.registry import services
from jiuye.registry.models import Registration

from .conftest import COMMUNITY_A1, COMMUNITY_B1


def client_for(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.fixture
def person(make_person):
    return make_person(name="张伟", region=COMMUNITY_A1)


BAD_QUERIES = [
    ("/api/v1/households?offset=-1", "offset", "-1"),
    ("/api/v1/households?limit=-1", "limit", "-1"),
    ("/api/v1/households?limit=0", "limit", "0"),
    ("/api/v1/employers?offset=-5", "offset", "-5"),
    ("/api/v1/accounts/audit?offset=-1", "offset", "-1"),
    ("/api/v1/accounts/audit?limit=100000", "limit", "100000"),
    ("/api/v1/persons?offset=-1", "offset", "-1"),
    ("/api/v1/imports?offset=-1", "offset", "-1"),
    ("/api/v1/imports?limit=-3", "limit", "-3"),
    ("/api/v1/households?offset=99999999999999999999", "offset", "99999999999999999999"),
    ("/api/v1/persons?offset=9223372036854775808", "offset", "9223372036854775808"),
    ("/api/v1/employers?offset=1e3", "offset", "1e3"),
    ("/api/v1/households?region=abc", "region", "abc"),
    ("/api/v1/persons?region=6101x2", "region", "6101x2"),
    ("/api/v1/persons?q=a%00b", "q", "a\\x00b"),
    ("/api/v1/persons?q=%01", "q", "\\x01"),
    ("/api/v1/employers?q=%00", "q", "\\x00"),
    ("/api/v1/households?q=%00", "q", "\\x00"),
    ("/api/v1/persons?group=%00", "group", "\\x00"),
    ("/api/v1/regions/?parent=%00", "parent", "\\x00"),
    ("/api/v1/regions/%00", "code", "\\x00"),
    ("/api/v1/accounts/audit?actor=%00", "actor", "\\x00"),
    ("/api/v1/accounts/audit?object_id=%00", "object_id", "\\x00"),
    ("/api/v1/accounts/audit?date_from=0001-01-01", "date_from", "0001-01-01"),
    ("/api/v1/accounts/audit?date_to=9999-12-31", "date_to", "9999-12-31"),
    ("/api/v1/accounts/audit?date_to=2024-02-30", "date_to", "2024-02-30"),
    ("/api/v1/imports?kind=%00", "kind", "\\x00"),
    ("/api/v1/imports/99999999999999999999", "batch_id", "99999999999999999999"),
    ("/api/v1/persons/99999999999999999999", "person_id", "99999999999999999999"),
    ("/api/v1/households/-1", "household_id", "-1"),
    ("/api/v1/employers/0", "employer_id", "0"),
]


@pytest.mark.parametrize("url, field, value", BAD_QUERIES)
def test_bad_query_is_422_in_chinese(url, field, value, person, district_officer):
    response = client_for(district_officer).get(url)
    assert response.status_code == 422, (url, response.status_code)
    errors = response.json()["detail"]
    error = next(e for e in errors if e["field"] == field)
    assert error["input"] == value
    assert f"“{field}”" in error["msg"] and f"“{value}”" in error["msg"] and "无效" in error["msg"]
    assert "Input should" not in response.content.decode()


@pytest.mark.parametrize("on", ["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01", "20240101x"])
def test_person_on_date_out_of_range_is_422(on, person, district_officer):
    client = client_for(district_officer)
    for url in (f"/api/v1/persons/{person.pk}", f"/api/v1/persons/{person.pk}/status"):
        response = client.get(url, {"on": on})
        assert response.status_code == 422, (url, on)
        assert response.json()["detail"][0]["field"] == "on"


@pytest.mark.parametrize("on", ["1900-01-01", "1950-06-30", "2100-12-31"])
def test_person_on_dates_within_range_answer(on, person, district_officer):
    client = client_for(district_officer)
    assert client.get(f"/api/v1/persons/{person.pk}", {"on": on}).status_code == 200
    assert client.get(f"/api/v1/persons/{person.pk}/status", {"on": on}).status_code == 200


BAD_BODIES = [
    ({"kind": "employment", "effective_date": "0001-01-01"}, "effective_date"),
    ({"kind": "employment", "effective_date": "2024-13-01"}, "effective_date"),
    ({"kind": "employment", "effective_date": "2024-01-01", "employer_id": 99999999999999999999}, "employer_id"),
    ({"kind": "employment", "effective_date": "2024-01-01", "employer_id": "x"}, "employer_id"),
    ({"kind": "employment\x00", "effective_date": "2024-01-01"}, "kind"),
    ({"kind": "employment", "effective_date": "2024-01-01", "occupation": "a\x00b"}, "occupation"),
    ({"kind": "employment", "effective_date": "2024-01-01", "occupation": "\ud800"}, "occupation"),
    ({"kind": "employment", "effective_date": "2024-01-01", "occupation": "x" * 65}, "occupation"),
    ({"kind": "employment", "effective_date": "2024-01-01", "contract_months": -5}, "contract_months"),
    ({"kind": "employment", "effective_date": "2024-01-01", "contract_months": 10**12}, "contract_months"),
    ({"kind": "employment", "effective_date": "2024-01-01", "registered_in": "abc"}, "registered_in"),
    ({"effective_date": "2024-01-01"}, "kind"),
]


@pytest.mark.parametrize("body, field", BAD_BODIES)
def test_bad_registration_body_is_422(body, field, person, district_officer):
    response = client_for(district_officer).post(f"/api/v1/persons/{person.pk}/registrations", body,
                                                 content_type="application/json")
    assert response.status_code == 422
    assert any(e["field"] == field and f"“{field}”" in e["msg"] for e in response.json()["detail"])
    assert not Registration.objects.filter(person=person).exists()


@pytest.mark.parametrize("body, field", [
    ({"name": "a\x00"}, "name"), ({"phone": "\x00"}, "phone"), ({"region_code": "abc"}, "region_code"),
    ({"graduation_date": "0001-01-01"}, "graduation_date"), ({"address": "甲\x1b乙"}, "address"),
    ({"name": "张" * 65}, "name"), ({"able_to_work": "perhaps"}, "able_to_work"),
])
def test_bad_person_patch_is_422_and_changes_nothing(body, field, person, district_officer):
    response = client_for(district_officer).patch(f"/api/v1/persons/{person.pk}", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == field
    person.refresh_from_db()
    assert person.name == "张伟" and person.phone == ""


def test_multiline_text_keeps_line_breaks(make_person, district_officer):
    person = make_person()
    entry = services.register_unemployment(actor=district_officer, person=person, effective_date=datetime.date(2024, 1, 1),
                                           unemployment_reason="dismissed")
    response = client_for(district_officer).post(f"/api/v1/registrations/{entry.pk}/corrections",
                                                 {"reason": "录入错误\n经本人确认作废"}, content_type="application/json")
    assert response.status_code == 201, response.content


def test_invalid_json_body_is_422_in_chinese(person, district_officer):
    response = client_for(district_officer).post(f"/api/v1/persons/{person.pk}/registrations", "{not json",
                                                 content_type="application/json")
    assert response.status_code in (400, 422)
    assert "Input should" not in response.content.decode()


def test_new_person_with_bad_fields_lists_each(district_officer):
    response = client_for(district_officer).post(
        "/api/v1/persons", {"id_number": "\x00", "name": "x", "region_code": "abc", "hukou_type": "urban"},
        content_type="application/json")
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["detail"]} == {"id_number", "region_code"}


# ---------------------------------------------------------------------------------------------
# Every operation's inputs are bounded (the rule future routers copy)


def _bare(annotation):
    """The annotation without Optional/Union wrappers."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, getattr(__import__("types"), "UnionType")) and len(args) == 1:
        return args[0]
    return annotation


def _walk(model: type[BaseModel], path: str, problems: list[str], seen: set):
    if model in seen:
        return
    seen.add(model)
    for name, info in model.model_fields.items():
        where = f"{path}.{name}"
        annotation = _bare(info.annotation)
        metadata = list(info.metadata)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            _walk(annotation, where, problems, seen)
            continue
        if typing.get_origin(annotation) is typing.Annotated:
            annotation, *extra = typing.get_args(annotation)
            for m in extra:
                metadata += [m, *getattr(m, "metadata", [])]  # a FieldInfo keeps its constraints in .metadata
        bounds = {k for m in metadata for k in ("ge", "le", "gt", "lt") if getattr(m, k, None) is not None}
        if annotation is str:
            if not any(getattr(getattr(m, "func", None), "jiuye_text", False) for m in metadata):
                problems.append(f"{where}: str without jiuye.apitypes.text()")
            if not any(getattr(m, "max_length", None) for m in metadata):
                problems.append(f"{where}: str without max_length")
        elif annotation is int or annotation is datetime.date or annotation is datetime.datetime:
            if not ({"ge", "gt"} & bounds and {"le", "lt"} & bounds):
                problems.append(f"{where}: {annotation.__name__} without both bounds")
        elif annotation in (float,) or typing.get_origin(annotation) in (list, dict):
            problems.append(f"{where}: {annotation} is not checked by this test; add a bounded type")


def test_every_operation_input_is_a_bounded_type():
    problems: list[str] = []
    operations = 0
    for _prefix, router in ninja_api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                operations += 1
                for model in operation.models:
                    _walk(model, f"{'/'.join(operation.methods)} {path}", problems, set())
    assert operations >= 15
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------------------------
# Finding 9: employers outside the scope, registration ids


@pytest.fixture
def far_employer(regions, district_officer):
    return services.create_employer(actor=district_officer, credit_code=_credit_code(),
                                    name="远方科技有限公司", region=COMMUNITY_B1)


def _credit_code() -> str:
    from stdnum.cn import uscc
    body = "91610102MA6U7QX2A"
    return body + uscc.calc_check_digit(body)


def test_employer_out_of_scope_by_id_reveals_nothing(person, far_employer, street_officer, make_person):
    client = client_for(street_officer)  # 西一路街道: the employer sits in 长乐中路街道
    assert client.get(f"/api/v1/employers/{far_employer.pk}").status_code == 404
    hidden = client.post(f"/api/v1/persons/{person.pk}/registrations",
                         {"kind": "employment", "effective_date": "2024-03-01", "employer_id": far_employer.pk,
                          "employment_form": "unit"}, content_type="application/json")
    missing = client.post(f"/api/v1/persons/{person.pk}/registrations",
                          {"kind": "employment", "effective_date": "2024-03-01", "employer_id": far_employer.pk + 1000,
                           "employment_form": "unit"}, content_type="application/json")
    assert hidden.status_code == missing.status_code == 422
    assert "远方" not in hidden.content.decode()
    hidden_msg = hidden.json()["detail"]["employer_id"][0].replace(str(far_employer.pk), "N")
    missing_msg = missing.json()["detail"]["employer_id"][0].replace(str(far_employer.pk + 1000), "N")
    assert hidden_msg == missing_msg
    assert not Registration.objects.filter(person=person).exists()


def test_employer_anywhere_by_credit_code(person, far_employer, street_officer):
    response = client_for(street_officer).post(
        f"/api/v1/persons/{person.pk}/registrations",
        {"kind": "employment", "effective_date": "2024-03-01", "employer_credit_code": far_employer.credit_code,
         "employment_form": "unit"}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["employer_id"] == far_employer.pk
    assert response.json()["employer_name"] == "远方科技有限公司"
    unknown = client_for(street_officer).post(
        f"/api/v1/persons/{person.pk}/registrations",
        {"kind": "employment", "effective_date": "2024-03-01", "employer_credit_code": "91610102MA6U7QX2AX",
         "employment_form": "unit"}, content_type="application/json")
    assert unknown.status_code == 422


def test_former_employer_out_of_scope_by_id_refused(person, far_employer, street_officer):
    response = client_for(street_officer).post(
        f"/api/v1/persons/{person.pk}/registrations",
        {"kind": "unemployment", "effective_date": "2024-03-01", "unemployment_reason": "dismissed",
         "former_employer_id": far_employer.pk}, content_type="application/json")
    assert response.status_code == 422
    assert "远方" not in response.content.decode()


def test_registration_ids_cannot_be_probed(make_person, district_officer, street_officer):
    outside = make_person(region=COMMUNITY_B1)
    entry = services.register_unemployment(actor=district_officer, person=outside, effective_date=datetime.date(2024, 1, 1),
                                           unemployment_reason="dismissed")
    client = client_for(street_officer)
    body = {"reason": "试探"}
    out_of_scope = client.post(f"/api/v1/registrations/{entry.pk}/corrections", body, content_type="application/json")
    missing = client.post(f"/api/v1/registrations/{entry.pk + 1000}/corrections", body, content_type="application/json")
    assert out_of_scope.status_code == missing.status_code == 404
    assert out_of_scope.content == missing.content
    assert Registration.objects.filter(person=outside).count() == 1
    # In scope (the district) it works.
    ok = client_for(district_officer).post(f"/api/v1/registrations/{entry.pk}/corrections", body,
                                           content_type="application/json")
    assert ok.status_code == 201


def test_web_dates_share_the_api_range(person, district_officer):
    client = client_for(district_officer)
    page = client.get(f"/persons/{person.pk}/", {"on": "0001-01-01"})
    assert page.status_code == 200 and "日期应在 1900-01-01 至 2100-12-31 之间" in page.content.decode()
    assert client.get(f"/persons/{person.pk}/", {"on": "2024-01-01"}).status_code == 200


@pytest.mark.parametrize("field", ["address", "phone", "name", "education", "region_code", "able_to_work",
                                   "poverty_status"])
def test_patch_null_for_a_not_null_column_is_422(field, person, district_officer):
    # Found by the schemathesis run: {"address": null} reached the database (NOT NULL) as a 500.
    response = client_for(district_officer).patch(f"/api/v1/persons/{person.pk}", {field: None},
                                                  content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == field and "null" in response.json()["detail"][0]["msg"]


def test_patch_null_clears_graduation_date(person, district_officer):
    client = client_for(district_officer)
    assert client.patch(f"/api/v1/persons/{person.pk}", {"graduation_date": "2020-07-01"},
                        content_type="application/json").json()["graduation_date"] == "2020-07-01"
    assert client.patch(f"/api/v1/persons/{person.pk}", {"graduation_date": None},
                        content_type="application/json").json()["graduation_date"] is None


WEB_URLS = ["/persons/?q=%00", "/persons/?q=%01", "/persons/?region=abc", "/persons/?region=%00", "/persons/?offset=-1",
            "/persons/?offset=99999999999999999999", "/persons/?status=%00&group=%00&hukou_type=%00",
            "/households/?q=%00", "/households/?region=abc", "/households/?offset=99999999999999999999",
            "/employers/?q=%00", "/employers/?offset=99999999999999999999", "/audit/?actor=%00",
            "/audit/?date_from=0001-01-01", "/audit/?offset=99999999999999999999", "/audit/?object_id=%00",
            "/imports/?kind=%00", "/imports/?status=%00", "/persons/99999999999999999999/", "/persons/{pk}/?on=0001-01-01",
            "/persons/{pk}/?on=%00", "/households/99999999999999999999/", "/employers/99999999999999999999/",
            "/imports/99999999999999999999/"]


@pytest.mark.parametrize("url", WEB_URLS)
def test_web_pages_answer_bad_query_strings_without_500(url, person, district_officer):
    response = client_for(district_officer).get(url.format(pk=person.pk))
    assert response.status_code < 500, url
