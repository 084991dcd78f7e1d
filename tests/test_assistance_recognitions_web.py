"""就业困难人员认定 on the web and the API: the list (count, sort, filter, masked export) agrees with the
API list; the act page shows categories with reasons and the evidence checklist, the decision form only
to deciders of the act's scope (outside: the same 404 as a missing act); 申请认定 from the person page;
evidence files downloaded only within the owner's scope, audited."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jiuye.accounts.models import AuditEntry
from jiuye.assistance.models import Attachment, Recognition, RecognitionStatus
from jiuye.registry import services as registry
from jiuye.registry.identity import mask_id_number

from .conftest import COMMUNITY_B1
from .test_lists import last_export, sheet_rows
from .test_web import client_for

D = datetime.date


@pytest.fixture
def acts(district_officer, make_person, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    people = {}
    for name, birth, seq, region in [("王秀英", "19800101", "002", None), ("赵桂兰", "19780505", "004", None),
                                     ("钱大伟", "19700303", "005", None), ("孙远方", "19790101", "006", COMMUNITY_B1)]:
        kwargs = {"region": region} if region else {}
        p = make_person(birth=birth, seq=seq, name=name, **kwargs)
        registry.register_unemployment(actor=district_officer, person=p, effective_date=D(2026, 1, 5),
                                       unemployment_reason="dismissed")
        people[name] = p
    return people


def test_list_export_and_api_agree_and_mask(acts, street_officer):
    c = client_for(street_officer)
    params = {"status": "proposed", "sort": "name"}
    page = c.get(reverse("web:recognitions"), params)
    assert page.status_code == 200
    names = [r["a"].person.name for r in page.context["rows"]]
    assert page.context["page"]["total"] == 3 and "孙远方" not in names  # another street's community
    assert names == sorted(names)
    api = c.get("/api/v1/recognitions", params).json()
    assert api["count"] == 3 and [i["name"] for i in api["items"]] == names
    rows = sheet_rows(c.get(reverse("web:recognitions"), {**params, "format": "xlsx"}))
    assert rows[0][:4] == ("姓名", "公民身份号码", "认定社区", "认定类别")
    assert [r[0] for r in rows[1:]] == names
    assert all(r[1] == mask_id_number(acts[r[0]].id_number) for r in rows[1:])
    assert all(r[3] == "大龄人员" for r in rows[1:])
    entry = last_export(street_officer)
    assert entry.object_type == "recognition" and entry.changes["rows"] == 3
    by_category = c.get("/api/v1/recognitions", {"category": "disability"}).json()
    assert by_category["count"] == 0
    assert c.get("/api/v1/recognitions", {"category": "older_worker"}).json()["count"] == 3


def test_act_page_decision_form_and_scope(acts, street_officer, other_street_officer, community_worker):
    act = Recognition.objects.get(person=acts["王秀英"])
    url = reverse("web:recognition", args=[act.pk])
    html = client_for(street_officer).get(url).content.decode()
    assert "大龄人员" in html and "女性46周岁" in html  # the category and its reason
    assert "居民身份证" in html and "未上传" in html  # the evidence checklist
    assert 'id="decide"' in html
    worker_page = client_for(community_worker).get(url).content.decode()
    assert 'id="decide"' not in worker_page and 'id="withdraw"' in worker_page
    outside = client_for(other_street_officer).get(url)
    missing = client_for(other_street_officer).get(reverse("web:recognition", args=[act.pk + 999]))
    assert outside.status_code == missing.status_code == 404
    api_outside = client_for(other_street_officer).post(f"/api/v1/recognitions/{act.pk}/decide",
                                                       {"decision": "recognised"}, content_type="application/json")
    api_missing = client_for(other_street_officer).post(f"/api/v1/recognitions/{act.pk + 999}/decide",
                                                       {"decision": "recognised"}, content_type="application/json")
    assert api_outside.status_code == api_missing.status_code == 404
    assert api_outside.json() == api_missing.json()
    worker = client_for(community_worker).post(f"/api/v1/recognitions/{act.pk}/decide", {"decision": "recognised"},
                                               content_type="application/json")
    assert worker.status_code == 403
    r = client_for(street_officer).post(reverse("web:recognition_decide", args=[act.pk]),
                                        {"decision": "rejected", "note": ""})
    assert r.status_code == 400 and "不予认定须填写理由" in r.content.decode()
    r = client_for(street_officer).post(reverse("web:recognition_decide", args=[act.pk]), {"decision": "recognised"})
    assert r.status_code == 302
    act.refresh_from_db()
    assert act.status == RecognitionStatus.RECOGNISED


def test_apply_from_the_person_page_with_evidence_and_download(district_officer, community_worker, other_street_officer,
                                                              make_person, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    p = make_person(birth="19950101", seq="011", name="李强")
    registry.register_unemployment(actor=district_officer, person=p, effective_date=D(2026, 6, 1),
                                   unemployment_reason="dismissed")
    c = client_for(community_worker)
    person_page = c.get(reverse("web:person", args=[p.pk])).content.decode()
    assert reverse("web:recognition_new", args=[p.pk]) in person_page and "申请认定" in person_page
    form = c.get(reverse("web:recognition_new", args=[p.pk]))
    assert form.status_code == 200
    card = SimpleUploadedFile("残疾证.pdf", b"%PDF-1.4 card", content_type="application/pdf")
    r = c.post(reverse("web:recognition_new", args=[p.pk]),
               {"categories": ["disability"], "applied_on": "2026-06-02", "file_kind": "残疾人证", "files": [card]})
    assert r.status_code == 302, r.content.decode()[:2000]
    act = Recognition.objects.get(person=p)
    page = c.get(r["Location"]).content.decode()
    assert "残疾证.pdf" in page
    att = Attachment.objects.get(owner_type="recognition", owner_id=act.pk)
    download = c.get(reverse("web:assistance_file", args=[att.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 card"
    assert AuditEntry.objects.filter(actor=community_worker, object_type="recognition", object_id=str(act.pk),
                                     summary__contains="下载证明材料").exists()
    assert client_for(other_street_officer).get(reverse("web:assistance_file", args=[att.pk])).status_code == 404
    after = c.get(reverse("web:person", args=[p.pk])).content.decode()
    assert "待认定" in after and reverse("web:recognition_new", args=[p.pk]) not in after


def test_api_propose_decide_exit(district_officer, community_worker, street_officer, make_person):
    p = make_person(birth="19950101", seq="013", name="周明")
    registry.register_unemployment(actor=district_officer, person=p, effective_date=D(2026, 6, 1),
                                   unemployment_reason="dismissed")
    c = client_for(community_worker)
    bad = c.post("/api/v1/recognitions", {"person_id": p.pk, "categories": "火星人"}, content_type="application/json")
    assert bad.status_code == 422 and "火星人" in str(bad.json())
    created = c.post("/api/v1/recognitions", {"person_id": p.pk, "categories": "残疾人、低保家庭成员"},
                     content_type="application/json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["categories"] == ["disability", "dibao"] and body["status"] == "proposed"
    assert {e["name"] for e in body["evidence"]} == {"居民身份证", "残疾人证", "最低生活保障证明"}
    decided = client_for(street_officer).post(f"/api/v1/recognitions/{body['id']}/decide", {"decision": "recognised"},
                                              content_type="application/json")
    assert decided.status_code == 200 and decided.json()["status"] == "recognised"
    exited = c.post(f"/api/v1/recognitions/{body['id']}/exit", {"reason": "other"}, content_type="application/json")
    assert exited.status_code == 422 and "note" in exited.json()["detail"]


# ---------------------------------------------------------------------------------------------
# Import kind "recognitions" (historic ledgers)


def test_import_recognitions_creates_recognised_acts_and_reports_every_bad_row(
        district_officer, street_officer, make_person, settings, tmp_path):
    from jiuye.imports.services import run_import

    from .import_files import read_report, write_xlsx

    settings.MEDIA_ROOT = tmp_path / "media"
    a = make_person(birth="19800101", seq="002", name="甲")
    b = make_person(birth="19900101", seq="003", name="乙")
    c = make_person(birth="19750101", seq="004", name="丙")
    far = make_person(birth="19850101", seq="005", name="丁", region=COMMUNITY_B1)
    registry.register_unemployment(actor=district_officer, person=a, effective_date=D(2026, 1, 5),
                                   unemployment_reason="dismissed")
    assert Recognition.objects.get(person=a).status == "proposed"
    rows = [
        ["序号", "身份证号", "姓名", "认定类别", "认定日期", "有效期至", "认定单位/意见"],
        [1, a.id_number, "甲", "大龄人员、长期失业人员", "2026-02-01", "", "西一路街道"],
        [2, b.id_number, "乙", "disability", "2020-03-01", "2021-02-28", "西一路街道"],  # expired: kept as history
        [3, c.id_number, "丙", "外星人", "2026-02-01", "", ""],  # unknown category
        [4, far.id_number, "丁", "残疾人", "2026-02-01", "", ""],  # outside the scope
        [5, "110101199003070000", "戊", "残疾人", "2026-02-01", "", ""],  # bad identity number
        [6, c.id_number, "错名", "残疾人", "2026-02-01", "", ""],  # name does not match
        [7, c.id_number, "丙", "残疾人", "2099-01-01", "", ""],  # future date
        [8, c.id_number, "丙", "残疾人", "2026-02-01", "2026-01-01", ""],  # validity ends before it starts
    ]
    batch = run_import(kind="recognitions", path=write_xlsx(tmp_path / "r.xlsx", rows), actor=street_officer)
    assert (batch.imported, batch.rejected) == (2, 6)
    report = read_report(settings.MEDIA_ROOT / batch.report_file)
    assert {r[0] for r in report} == {4, 5, 6, 7, 8, 9}  # spreadsheet rows (the header is row 1)
    by_row = {r[0]: r for r in report}
    assert "外星人" in by_row[4][3] and "不符" in by_row[7][3] and "晚于今天" in by_row[8][3] and "早于" in by_row[9][3]
    assert "丁" not in by_row[5][3] and "管辖范围" in by_row[5][3]
    act = Recognition.objects.get(person=a, status="recognised")
    assert act.categories == ["older_worker", "long_term_unemployed"] and act.origin == "imported"
    assert act.valid_from == D(2026, 2, 1) and act.decision_note == "西一路街道"
    assert Recognition.objects.filter(person=a, status="withdrawn").count() == 1  # the pending proposal
    old = Recognition.objects.get(person=b)
    assert old.status == "exited" and old.exit_reason == "expired" and old.exited_on == D(2021, 3, 1)
    from jiuye.assistance.queries.recognitions import recognised_on

    assert recognised_on(b.pk, D(2021, 2, 28)) == old and recognised_on(b.pk, D(2021, 3, 1)) is None
    again = run_import(kind="recognitions", path=write_xlsx(tmp_path / "r2.xlsx", rows[:3]), actor=street_officer)
    assert (again.imported, again.unchanged, again.rejected) == (0, 2, 0)


def test_the_guide_names_the_buttons_the_recognition_pages_have(acts, street_officer, community_worker):
    from django.test import Client

    from .test_help_pages import text_of

    guide = text_of(Client().get(reverse("web:help_role", args=["street_officer"])))
    act = Recognition.objects.get(person=acts["王秀英"])
    decider_page = client_for(street_officer).get(reverse("web:recognition", args=[act.pk])).content.decode()
    person_page = client_for(community_worker).get(reverse("web:person", args=[acts["王秀英"].pk])).content.decode()
    apply_page = client_for(community_worker).get(reverse("web:recognition_new", args=[acts["王秀英"].pk])).content.decode()
    for label in ["认定为就业困难人员", "不予认定", "提交认定决定", "上传材料", "未上传", "认定类别及依据"]:
        assert label in guide and label in decider_page, label
    assert "申请认定" in guide and "就业援助" in person_page
    assert "提交申请" in guide and "提交申请" in apply_page


def test_exit_and_withdraw_on_the_act_page(acts, street_officer, community_worker):
    c = client_for(community_worker)
    act = Recognition.objects.get(person=acts["王秀英"])
    Recognition.objects.filter(pk=act.pk).update(applied_on=D(2026, 1, 5))
    client_for(street_officer).post(reverse("web:recognition_decide", args=[act.pk]),
                                    {"decision": "recognised", "valid_from": "2026-02-01"})
    page = c.get(reverse("web:recognition", args=[act.pk])).content.decode()
    assert 'id="exit"' in page and "办理退出" in page
    r = c.post(reverse("web:recognition_exit", args=[act.pk]), {"reason": "other", "on": "2026-03-01", "note": ""})
    assert r.status_code == 400 and "须填写说明" in r.content.decode()
    r = c.post(reverse("web:recognition_exit", args=[act.pk]), {"reason": "stably_employed", "on": "2026-03-01"})
    assert r.status_code == 302
    act.refresh_from_db()
    assert act.status == RecognitionStatus.EXITED and act.exited_on == D(2026, 3, 1)
    other = Recognition.objects.get(person=acts["赵桂兰"])
    r = c.post(reverse("web:recognition_withdraw", args=[other.pk]), {"note": "本人不再申请"})
    assert r.status_code == 302
    other.refresh_from_db()
    assert other.status == RecognitionStatus.WITHDRAWN
    assert not Recognition.objects.filter(person=acts["赵桂兰"], status="proposed").exists()  # not proposed again
    history = c.get(reverse("web:recognition", args=[other.pk])).content.decode()
    assert "撤销：本人不再申请" in history
