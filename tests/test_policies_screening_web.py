"""The screening part's pages: catalogue, loading a pack, one policy, the explanation, runs, results,
outreach and the portal's "policies I may qualify for"."""
import io

import pytest
from openpyxl import load_workbook

from jiuye.accounts.models import AuditEntry, Role, User
from jiuye.policies.models import PackVersion, ScreeningRun
from jiuye.policies.services import screening
from jiuye.registry import services as registry
from jiuye.registry.identity import mask_id_number
from tests.conftest import COMMUNITY_A1, COMMUNITY_B1
from tests.policies_helpers import D, hire, make_employer, shipped  # noqa: F401
from tests.test_policies_screening import hires  # noqa: F401


def _get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def test_the_catalogue_shows_1000_yuan_and_not_set(client, shipped, community_worker):
    r = _get(client, community_worker, "/policies/")
    text = r.content.decode()
    assert r.status_code == 200
    assert "xc2020-hiring-once" in text and "1000元" in text and "新政发〔2020〕28号" in text
    row = text.split('data-code="xc2020-internship-retention"')[1].split("</tr>")[0]
    assert "未设置（不能发放）" in row
    assert "加载政策包" not in text  # a community worker does not load packs
    assert 'data-testid="pack-version"' in text


def test_the_catalogue_filters_and_exports(client, shipped, district_officer):
    r = _get(client, district_officer, "/policies/", pack="ak2022")
    text = r.content.decode()
    assert "xc2020-hiring-once" not in text and 'data-testid="policy-row"' in text
    r = _get(client, district_officer, "/policies/", beneficiary="employer", format="xlsx", sort="-code")
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.values)
    assert rows[0][0] == "政策编号" and len(rows) > 2
    codes = [x[0] for x in rows[1:]]
    assert codes == sorted(codes, reverse=True)
    assert AuditEntry.objects.filter(action="export", object_type="policy").exists()


def test_a_broken_pack_upload_lists_every_mistake_with_its_line(client, shipped, district_officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jiuye.policies.pack import shipped_packs

    text = shipped_packs()[-1].read_text(encoding="utf-8").replace("graduating_year: true", "graduating_yaer: true", 1)
    client.force_login(district_officer)
    r = client.post("/policies/load/", {"file": SimpleUploadedFile("xc2020.yaml", text.encode("utf-8"))})
    assert r.status_code == 400
    body = r.content.decode()
    assert "未加载任何政策" in body and "xc2020.yaml:" in body
    assert PackVersion.objects.filter(pack__code="xc2020").count() == 1
    changed = shipped_packs()[-1].read_text(encoding="utf-8").replace("value: 1000", "value: 1200", 1)
    r = client.post("/policies/load/", {"file": SimpleUploadedFile("xc2020.yaml", changed.encode("utf-8"))})
    assert r.status_code == 302
    assert PackVersion.objects.filter(pack__code="xc2020").count() == 2
    assert "1200元" in client.get("/policies/").content.decode()


def test_a_community_worker_may_not_load_a_pack(client, shipped, community_worker):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(community_worker)
    r = client.post("/policies/load/", {"file": SimpleUploadedFile("x.yaml", b"x: 1")})
    assert r.status_code == 403


def test_one_policy_shows_its_rule_in_words(client, shipped, community_worker):
    r = _get(client, community_worker, "/policies/xc2020-hiring-once/")
    text = r.content.decode()
    assert "毕业年度高校毕业生" in text and "单位规模属于" in text and "中型" in text and "小型" in text
    assert "劳动合同期限不少于12个月" in text and "第 1 版" in text
    assert _get(client, community_worker, "/policies/xc2020-nope/").status_code == 404


def test_the_explanation_page_renders_the_trace_and_audits_the_read(client, hires, street_officer):
    r = _get(client, street_officer, "/policies/explain/", policy="xc2020-hiring-once", id_number=hires["a"].id_number,
             credit_code=hires["firm_a"].credit_code, as_of="2020-12-31")
    text = r.content.decode()
    assert r.status_code == 200
    assert "✓ 满足" in text and "毕业年度高校毕业生" in text and "一次性1000元" in text
    shown = text.split('id="explanation"')[1]  # the form keeps what was typed; the answer masks it
    assert hires["a"].id_number not in shown and mask_id_number(hires["a"].id_number) in shown
    assert AuditEntry.objects.filter(action="view", object_type="person", object_id=str(hires["a"].pk),
                                     actor=street_officer).exists()


def test_the_explanation_of_someone_outside_the_scope_is_not_found(client, hires, other_street_officer):
    r = _get(client, other_street_officer, "/policies/explain/", policy="xc2020-hiring-once",
             id_number=hires["a"].id_number, as_of="2020-12-31")
    assert "不存在或不在您的管辖范围内" in r.content.decode()
    assert hires["a"].name not in r.content.decode()


def test_the_explanation_names_a_bad_identity_number(client, shipped, street_officer):
    r = _get(client, street_officer, "/policies/explain/", policy="xc2020-hiring-once", id_number="123", as_of="2020-12-31")
    assert "公民身份号码：“123”无效" in r.content.decode()


def test_start_a_run_from_the_web_then_results_and_export(client, hires, district_officer):
    client.force_login(district_officer)
    r = client.post("/policies/screening/", {"as_of": "2020-12-31"})
    assert r.status_code == 302
    run = ScreeningRun.objects.get()
    assert r["Location"] == f"/policies/screening/{run.pk}/"
    page = client.get(r["Location"]).content.decode()
    assert "已完成" in page and 'data-testid="result-row"' in page
    assert hires["a"].id_number not in page and mask_id_number(hires["a"].id_number) in page
    listing = client.get("/policies/screening/").content.decode()
    assert 'data-testid="run-row"' in listing
    r = client.get(f"/policies/screening/{run.pk}/", {"policy": "xc2020-hiring-once", "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(r.content)).active.values)
    assert rows[0][:5] == ("政策编号", "政策名称", "受益对象", "姓名", "公民身份号码")
    assert {x[0] for x in rows[1:]} == {"xc2020-hiring-once"} and len(rows) == 3
    assert mask_id_number(hires["a"].id_number) in {x[4] for x in rows[1:]}


def test_the_results_filter_by_street_and_claimed(client, hires, district_officer):
    run = screening.run_screening(district_officer, D(2020, 12, 31))
    r = _get(client, district_officer, f"/policies/screening/{run.pk}/", region="610102002000", policy="xc2020-hiring-once")
    text = r.content.decode()
    assert "李毕业" in text and "张毕业" not in text
    r = _get(client, district_officer, f"/policies/screening/{run.pk}/", claimed="yes")
    assert 'data-testid="result-row"' not in r.content.decode()


def test_a_street_officer_sees_only_their_street_of_a_district_run(client, hires, district_officer, street_officer,
                                                                   other_street_officer):
    run = screening.run_screening(district_officer, D(2020, 12, 31))
    text = _get(client, street_officer, f"/policies/screening/{run.pk}/").content.decode()
    assert "张毕业" in text and "李毕业" not in text
    mine = screening.run_screening(street_officer, D(2020, 12, 31))
    assert _get(client, other_street_officer, f"/policies/screening/{mine.pk}/").status_code == 404


def test_the_outreach_list_groups_by_community_with_phone_and_address(client, hires, district_officer, community_worker):
    registry.update_person(actor=district_officer, person=hires["a"], phone="13912345678", address="西一路1号")
    run = screening.run_screening(district_officer, D(2020, 12, 31), codes=["xc2020-startup-once", "xc2020-si-employer"])
    text = _get(client, community_worker, f"/policies/screening/{run.pk}/outreach/").content.decode()
    groups = text.count('data-testid="outreach-community"')
    assert groups == 1 and f'data-code="{COMMUNITY_A1}"' in text and f'data-code="{COMMUNITY_B1}"' not in text
    assert "甲企业" in text and "张毕业" in text
    assert AuditEntry.objects.filter(object_type="screening_run", action="view", actor=community_worker).exists()


def _resident(person, username="res1"):
    user = User.objects.create_user(username, password="pass-12345678", role=Role.RESIDENT)
    registry.link_account(actor=None, user=user, person=person)
    return user


def test_my_policies_for_a_resident_who_started_a_business(client, shipped, district_officer, make_person):
    person = make_person(birth="19990101", education="bachelor", school_type="university",
                         graduation_date=D(2025, 7, 1), name="王创业")
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    registry.register_employment(actor=district_officer, person=person, effective_date=today - datetime.timedelta(days=10),
                                 employment_form="self_employed", social_insurance=True)
    user = _resident(person)
    r = _get(client, user, "/portal/policies/")
    text = r.content.decode()
    assert r.status_code == 200
    assert 'data-code="xc2020-startup-once"' in text and "一次性5000元" in text
    assert "为什么符合" in text


def test_my_policies_refuses_staff(client, shipped, community_worker):
    assert _get(client, community_worker, "/portal/policies/").status_code == 403


@pytest.mark.parametrize("url", ["/policies/", "/policies/screening/", "/policies/explain/"])
def test_residents_do_not_see_the_workbench_pages(client, shipped, make_person, url):
    user = _resident(make_person())
    assert _get(client, user, url).status_code == 403


def test_my_policies_for_an_employer_user_who_hired_a_graduate(client, shipped, district_officer, make_person):
    import datetime

    from django.utils import timezone

    grad = make_person(birth="20000101", education="bachelor", school_type="university", graduation_date=D(2025, 7, 1),
                       name="赵毕业")
    firm = make_employer(district_officer, 7, size="micro", name="丙企业")
    hire(district_officer, grad, firm, timezone.localdate() - datetime.timedelta(days=10))
    user = User.objects.create_user("emp1", password="pass-12345678", role=Role.EMPLOYER_USER)
    registry.link_account(actor=None, user=user, employer=firm)
    text = _get(client, user, "/portal/policies/").content.decode()
    assert 'data-code="xc2020-si-employer"' in text and "每月600元" in text
    assert 'data-code="xc2020-startup-once"' not in text  # a person's subsidy is not the employer's


def test_a_run_left_running_by_a_dead_worker_says_so(client, shipped, district_officer):
    import datetime

    from django.utils import timezone

    run = ScreeningRun.objects.create(as_of=D(2020, 12, 31), started_by=district_officer, progress="排队中",
                                      started_at=timezone.now() - datetime.timedelta(days=1))
    text = _get(client, district_officer, f"/policies/screening/{run.pk}/").content.decode()
    assert 'data-testid="run-stale"' in text and 'http-equiv="refresh"' not in text
