"""Issue 7, finding 6: the audit log is read by people. Changes with Chinese field and value labels
(not raw JSON with English keys and codes), regions and objects by name with a link, a 登记 option in the
object filter, and an Excel export of exactly the filtered rows, itself audited; identity numbers masked."""
from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jiuye.accounts.models import AuditEntry, Role, User
from jiuye.registry import services
from jiuye.registry.identity import mask_id_number

from .test_web import PASSWORD, client_for, credit_code, world  # noqa: F401  (fixture)


def _rows(response):
    return response.context["rows"]


def test_changes_read_in_chinese_with_names(world, district_officer):
    a = world["a"]
    services.register_employment(actor=district_officer, person=a, effective_date=datetime.date(2024, 6, 1),
                                 employment_form="unit", employer=world["employer"])
    services.end_status(actor=district_officer, person=a, effective_date=datetime.date(2024, 9, 1),
                        ending_reason="job_ended")
    services.update_person(actor=district_officer, person=a, phone="13900000000")
    response = client_for(district_officer).get(reverse("web:audit"), {"object_type": "person",
                                                                       "object_id": str(a.pk)})
    html = response.content.decode()
    # Before: raw JSON with English keys and codes ("ending_reason": "job_ended").
    assert "ending_reason" not in html and "job_ended" not in html and '"kind"' not in html
    assert "终止原因" in html and "就业终止" in html
    assert "就业单位" in html and "西安示例机械有限公司" in html  # the employer by name, not its id
    assert "就业形式" in html and "单位就业" in html
    # A change reads old → new with the field's label.
    assert "联系电话" in html or "手机" in html
    assert "13912345678 → 13900000000" in html
    # Region by name; the object by name with a link to its page, not "person #159".
    rows = _rows(response)
    assert rows and all(r.region for r in rows) and "610102001001" != rows[0].region
    assert all(r.object_name == "张三" and r.url == reverse("web:person", args=[a.pk]) for r in rows)
    assert "person #" not in html
    assert a.id_number not in html


def test_no_link_when_the_reader_may_not_see_the_record(world, auditor):
    rows = _rows(client_for(auditor).get(reverse("web:audit"), {"object_type": "person",
                                                                "object_id": str(world["a"].pk)}))
    may_see = client_for(auditor).get(reverse("web:person", args=[world["a"].pk])).status_code == 200
    assert rows and all(bool(r.url) == may_see for r in rows)


def test_registration_filter(world, district_officer):
    form = client_for(district_officer).get(reverse("web:audit")).context["form"]
    assert "registration" in dict(form.fields["object_type"].choices)
    response = client_for(district_officer).get(reverse("web:audit"), {"object_type": "registration"})
    rows = _rows(response)
    assert len(rows) == 2  # the two unemployment registrations of the world
    assert {r.entry.action for r in rows} == {AuditEntry.Action.REGISTER}
    reg = world["a"].registrations.get()
    only = _rows(client_for(district_officer).get(reverse("web:audit"), {"object_type": "registration",
                                                                        "object_id": str(reg.pk)}))
    assert [r.entry.object_id for r in only] == [str(world["a"].pk)]


def test_export_is_the_filtered_rows_audited_and_masked(world, district_officer):
    a = world["a"]
    c = client_for(district_officer)
    params = {"object_type": "person", "object_id": str(a.pk)}
    shown = _rows(c.get(reverse("web:audit"), params))
    response = c.get(reverse("web:audit"), {**params, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    values = list(ws.values)
    assert values[0][0] == "时间"
    body = values[1:]
    assert len(body) == len(shown)
    text = "\n".join(str(v) for row in values for v in row if v is not None)
    assert a.id_number not in text
    assert "张三" in text and "失业原因" in text and "ending_reason" not in text
    export = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, actor=district_officer).latest("at")
    assert export.changes["rows"] == len(body)
    assert export.changes["filters"]["object_type"] == "person"
    assert export.changes["filters"]["object_id"] == str(a.pk)
    # The export entry is itself readable in the log.
    html = c.get(reverse("web:audit"), {"action": "export"}).content.decode()
    assert "导出审计日志" in html and "行数" in html and "筛选条件" in html and "审计日志 #" not in html


def test_identity_numbers_masked_on_the_page_and_in_the_export(world, district_officer):
    from jiuye.accounts import audit

    a = world["a"]
    audit.record(district_officer, AuditEntry.Action.UPDATE, object_type="person", object_id=a.pk, object_label=a.name,
                 region_code=a.region_id, changes={"id_number": ["610102199003070011", a.id_number]},
                 summary=f"更正身份号码 {a.id_number}")
    c = client_for(district_officer)
    params = {"object_type": "person", "object_id": str(a.pk), "action": "update"}
    html = c.get(reverse("web:audit"), params).content.decode()
    assert a.id_number not in html
    rows = _rows(c.get(reverse("web:audit"), params))
    assert rows[0].changes[0].new == mask_id_number(a.id_number)
    book = load_workbook(io.BytesIO(c.get(reverse("web:audit"), {**params, "format": "xlsx"}).content))
    text = "\n".join(str(v) for row in book.active.values for v in row if v is not None)
    assert a.id_number not in text and "610102199003070011" not in text
    assert mask_id_number(a.id_number) in text


def test_export_for_audit_readers_only(world, community_worker):
    assert client_for(community_worker).get(reverse("web:audit"), {"format": "xlsx"}).status_code in (302, 403)


def test_an_import_run_reads_as_a_range_of_records(world, community_worker, district_officer, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .conftest import COMMUNITY_A1, make_id

    settings.MEDIA_ROOT = tmp_path
    lines = ["姓名,公民身份号码,户籍性质,所在社区"] + [
        f"{'赵钱孙'[k]}小明,{make_id('610102', '19920101', f'{101 + 2 * k:03d}')},城镇,{COMMUNITY_A1}" for k in range(3)]
    upload = SimpleUploadedFile("人员.csv", ("\n".join(lines) + "\n").encode(), content_type="text/csv")
    assert client_for(community_worker).post(reverse("web:imports"), {"kind": "persons", "file": upload}).status_code == 302
    rows = _rows(client_for(district_officer).get(reverse("web:audit"), {"operator": "cw_a1", "action": "create",
                                                                         "object_type": "person"}))
    assert rows
    for r in rows:
        assert r.object_ref.startswith("人员 #")
        assert all(c.label not in ("first_id", "last_id", "count", "import_batch") for c in r.changes)


def test_what_no_account_did_reads_as_the_system_and_account_links_by_name(db, regions, district_officer, make_person):
    """Found on the demo city's audit log: the seed's entries showed the actor "system", the channel "web"
    and a resident's link to their record as "person — → 75"."""
    from django.test import Client

    from jiuye.accounts.models import User
    from jiuye.registry import services

    person = make_person(name="关联本人")
    resident = User.objects.create_user("res_link", password="pass-12345678", role="resident", region_id=person.region_id)
    services.link_account(actor=None, user=resident, person=person)
    client = Client()
    client.force_login(district_officer)
    html = client.get("/audit/", {"object_type": "user"}).content.decode()
    assert ">system<" not in html and "系统" in html
    assert "<dt>person</dt>" not in html and "本人档案" in html and "关联本人" in html


def test_a_certificate_and_a_full_number_read_read_in_chinese_on_the_person_page_and_in_the_log(
        db, regions, district_officer, make_person):
    """Found on the demo's pages: the person page's change log showed the actor "system" and the keys
    "certificate、issued_on、issued_by"; the audit log showed a full-number read as "fields: id_number"."""
    from django.test import Client

    from jiuye.registry import certificates, services

    person = make_person(name="证书人")
    services.register_unemployment(actor=district_officer, person=person, effective_date=datetime.date(2024, 3, 1),
                                   unemployment_reason="contract_ended")
    certificates.issue_missing()  # no account acted: the backfill
    client = Client()
    client.force_login(district_officer)
    client.post(f"/persons/{person.pk}/id-number/")
    page = client.get(f"/persons/{person.pk}/").content.decode()
    assert "certificate、" not in page and "issued_on" not in page and ">system<" not in page
    assert "就业创业证编号" in page
    log = client.get("/audit/", {"object_type": "person", "object_id": str(person.pk)}).content.decode()
    assert "<dt>fields</dt>" not in log and "<dd>id_number</dd>" not in log
    assert "<dt>涉及字段</dt><dd>公民身份号码</dd>" in log


def test_the_object_filter_offers_every_object_type_the_log_names():
    """An app's object types (a claim, a publicity list, a policy fact …) can be filtered by, not only shown."""
    from jiuye.web.forms.audit import AuditFilterForm
    from jiuye.web.views.audit import OBJECT_TYPES

    offered = {code for code, _label in AuditFilterForm(object_types=OBJECT_TYPES).fields["object_type"].choices}
    assert set(OBJECT_TYPES) <= offered
    assert AuditFilterForm({"object_type": "claim"}, object_types=OBJECT_TYPES).is_valid()
