"""Importing employers, registrations and households."""
from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.utils import timezone
from stdnum.cn import uscc

from jiuye.accounts.models import AuditEntry
from jiuye.registry import services
from jiuye.imports.services import run_import
from jiuye.imports.models import ImportBatch
from jiuye.registry.models import Employer, Household, HouseholdMembership, Registration

from .conftest import COMMUNITY_A1, COMMUNITY_A2, make_id
from .import_files import read_notes, read_report, write_xlsx


def credit_code(body17: str) -> str:
    return body17 + uscc.calc_check_digit(body17)


ACME = credit_code("91610102MA6U00001")
BETA = credit_code("91610102MA6U00002")
GAMMA = credit_code("91610102MA6U00003")


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def report(batch):
    return read_report(settings.MEDIA_ROOT / batch.report_file) if batch.report_file else []


# ---------------------------------------------------------------------------------------------
# Employers


def test_employers(regions, tmp_path):
    rows = [
        ["统一社会信用代码*", "单位名称*", "行业代码", "企业规模", "经济类型", "所在区划", "单位地址", "联系人", "联系电话", "职工人数"],
        [ACME, "西安甲公司", "C13", "小型", "民营企业", "西一路街道", "西一路1号", "王经理", "029-87654321", "35人"],
        [BETA.lower(), "西安乙公司", 52, "微", "个体工商户", "610102", "", "", "", 3],
        [GAMMA, "西安丙公司", "A13", "巨型", "", "长乐社区", "", "", "", ""],
        [ACME, "重复公司", "", "", "", "西一路街道", "", "", "", ""],
        ["91610102MA6U0000X1", "坏代码公司", "", "", "", "新城区", "", "", "", ""],
        [credit_code("91610100MA6U00004"), "市级公司", "", "", "", "西安市", "", "", "", ""],
    ]
    batch = run_import(kind="employers", path=write_xlsx(tmp_path / "e.xlsx", rows), actor=None)
    assert (batch.imported, batch.rejected) == (2, 4)
    acme = Employer.objects.get(credit_code=ACME)
    assert (acme.industry_code, acme.size_class, acme.ownership, acme.region_id, acme.employee_count) == (
        "13", "small", "private", "610102001000", 35)
    beta = Employer.objects.get(credit_code=BETA)
    assert (beta.industry_code, beta.size_class, beta.ownership, beta.region_id) == ("52", "micro", "individual", "610102000000")
    rejected = report(batch)
    assert rejected[0] == (4, "行业代码", "A13", "行业代码“A13”的门类与大类不符（13大类属于C门类）")
    assert rejected[1] == (4, "企业规模", "巨型", "企业规模“巨型”无法识别，可填：大型、中型、小型、微型")
    assert rejected[2] == (5, "统一社会信用代码*", ACME, "与第2行的统一社会信用代码重复")
    assert rejected[3][:2] == (6, "统一社会信用代码*") and "统一社会信用代码" in rejected[3][3]
    assert rejected[4] == (7, "所在区划", "西安市", "“西安市”范围过大，所在区划须填到区县、街道或社区")

    rows[1][9] = "40"
    again = run_import(kind="employers", path=write_xlsx(tmp_path / "e2.xlsx", rows), actor=None)
    assert (again.imported, again.updated, again.unchanged) == (0, 1, 1)
    acme.refresh_from_db()
    assert acme.employee_count == 40
    assert AuditEntry.objects.get(action=AuditEntry.Action.UPDATE, object_type="employer").changes["employee_count"] == [35, 40]


# ---------------------------------------------------------------------------------------------
# Registrations


@pytest.fixture
def employer(district_officer):
    return services.create_employer(actor=district_officer, credit_code=ACME, name="西安甲公司", region="610102001000")


REG_HEADER = ["公民身份号码", "姓名", "登记类型", "登记日期", "单位统一社会信用代码", "就业形式", "合同类型", "合同期限（月）",
              "是否缴纳社保", "工种", "失业原因", "终止原因"]


def test_registrations_update_the_status_projection(regions, tmp_path, make_person, employer):
    worker = make_person(name="张工")
    jobless = make_person(name="李闲", seq="022")
    retiree = make_person(name="王退", birth="19600101")
    young = make_person(name="赵小", birth="20080101")
    today = timezone.localdate()
    rows = [
        REG_HEADER,
        [worker.id_number, "张工", "就业", "2024-03-01", ACME, "单位就业", "固定期限", "36", "是", "焊工", "", ""],
        [jobless.id_number, "李闲", "失业登记", "2024.5.6", "", "", "", "", "", "", "合同到期", ""],
        [retiree.id_number, "王退", "终止", "2024年1月1日", "", "", "", "", "", "", "", "退休"],
        # problems
        [young.id_number, "赵小", "就业", "2023-01-01", "", "灵活就业", "", "", "", "", "", ""],  # under 16
        [worker.id_number, "张工", "就业", (today + datetime.timedelta(days=3)).isoformat(), "", "灵活就业", "", "", "", "", "", ""],
        [worker.id_number, "张工", "就业", "2024-02-01", "", "", "", "", "", "", "", ""],  # no form
        [worker.id_number, "张工", "就业", "2024-02-01", "", "单位就业", "", "", "", "", "", ""],  # unit needs employer
        [worker.id_number, "张三", "失业", "2024-02-01", "", "", "", "", "", "", "辞职", ""],  # name mismatch
        [make_id("610102", "19990101", "991"), "", "失业", "2024-02-01", "", "", "", "", "", "", "辞职", ""],
        [worker.id_number, "", "就业", "2024-02-01", BETA, "单位就业", "", "", "", "", "", ""],  # unknown employer
        [jobless.id_number, "李闲", "失业", "2024-05-06", "", "", "", "", "", "", "合同期满", ""],  # same as row 3
    ]
    path = write_xlsx(tmp_path / "r.xlsx", rows)
    batch = run_import(kind="registrations", path=path, actor=None)
    assert (batch.imported, batch.rejected) == (3, 8)
    assert [(r[0], r[1], r[3]) for r in report(batch)] == [
        (5, "登记日期", "生效日期2023-01-01时本人未满16周岁"),
        (6, "登记日期", f"生效日期{(today + datetime.timedelta(days=3)).isoformat()}晚于今天，不能预先登记"),
        (7, "就业形式", "就业登记须填写就业形式"),
        (8, "单位统一社会信用代码", "“单位就业”须填写就业单位的统一社会信用代码"),
        (9, "姓名", "姓名与该公民身份号码的人员档案不符"),
        (10, "公民身份号码", "该公民身份号码尚未建立人员档案，请先导入人员"),
        (11, "单位统一社会信用代码", f"统一社会信用代码{BETA}的单位尚未登记，请先导入用人单位"),
        (12, "公民身份号码", "与第3行是同一条登记（重复）"),
    ]
    worker.refresh_from_db()
    assert (worker.employment_status, worker.current_employer_id, worker.employment_form, worker.status_since) == (
        "employed", employer.pk, "unit", datetime.date(2024, 3, 1))
    jobless.refresh_from_db()
    assert jobless.employment_status == "unemployed"
    retiree.refresh_from_db()
    assert retiree.employment_status == "retired"
    entry = Registration.objects.get(person=worker)
    assert (entry.source, entry.contract_type, entry.contract_months, entry.social_insurance, entry.occupation) == (
        "import", "fixed", 36, True, "焊工")
    assert entry.import_key and len(entry.import_key) == 64
    assert AuditEntry.objects.filter(action=AuditEntry.Action.REGISTER).count() == 3

    again = run_import(kind="registrations", path=path, actor=None)
    assert (again.imported, again.updated, again.unchanged, again.rejected) == (0, 0, 3, 8)
    assert Registration.objects.count() == 3


def test_registration_after_death_is_rejected(regions, tmp_path, make_person, district_officer):
    person = make_person()
    services.end_status(actor=district_officer, person=person, effective_date=datetime.date(2023, 1, 1), ending_reason="death")
    rows = [REG_HEADER, [person.id_number, "", "失业", "2024-01-01", "", "", "", "", "", "", "辞职", ""]]
    batch = run_import(kind="registrations", path=write_xlsx(tmp_path / "r.xlsx", rows), actor=None)
    assert [(r[0], r[3]) for r in report(batch)] == [(2, "本人已于2023-01-01登记死亡")]


def test_registrations_dry_run(regions, tmp_path, make_person):
    person = make_person()
    rows = [REG_HEADER, [person.id_number, "", "失业", "2024-01-01", "", "", "", "", "", "", "辞职", ""]]
    batch = run_import(kind="registrations", path=write_xlsx(tmp_path / "r.xlsx", rows), actor=None, dry_run=True)
    assert batch.imported == 1
    assert not Registration.objects.exists()
    person.refresh_from_db()
    assert person.employment_status == "none"


# ---------------------------------------------------------------------------------------------
# Households


HH_HEADER = ["户编号", "所在社区", "家庭地址", "有无经营性收入", "成员公民身份号码", "成员姓名", "与户主关系"]


def test_households_with_merged_cells(regions, tmp_path, make_person, district_officer):
    a = [make_person(name=f"甲{i}", seq=f"{i * 2 + 1:03d}") for i in range(4)]
    b = [make_person(name=f"乙{i}", seq=f"{i * 2 + 101:03d}") for i in range(3)]
    mover = make_person(name="迁入者", seq="301")
    old = services.create_household(actor=district_officer, number="H0009", region=COMMUNITY_A1)
    services.add_household_member(actor=district_officer, household=old, person=mover, relation="head")
    rows = [
        ["西一路街道长乐社区家庭户花名册"],
        HH_HEADER,
        ["H0001", "长乐社区", "西一路1号", "无", a[0].id_number, "甲0", "本人"],
        [None, None, None, None, a[1].id_number, "甲1", "妻"],
        [None, None, None, None, a[2].id_number, "甲2", "长子"],
        [None, None, None, None, a[3].id_number, "甲3", "户主"],  # second head
        ["H0002", "长乐社区", "西一路2号", "有", b[0].id_number, "乙0", "户主"],
        [None, None, None, None, b[1].id_number, "错名", "女儿"],
        [None, None, None, None, b[2].id_number, "乙2", "外甥"],
        [None, None, None, None, mover.id_number, "迁入者", "女婿"],
    ]
    path = write_xlsx(tmp_path / "h.xlsx", rows, merges=["A3:A6", "B3:B6", "C3:C6", "D3:D6", "A7:A10", "B7:B10", "C7:C10", "D7:D10"])
    batch = run_import(kind="households", path=path, actor=None)
    assert (batch.imported, batch.updated, batch.unchanged, batch.rejected) == (6, 0, 0, 2)
    assert [(r[0], r[1], r[3]) for r in report(batch)] == [
        (6, "与户主关系", "本户在第3行已有户主，一户只能有一个户主"),
        (8, "成员姓名", "成员姓名与该公民身份号码的人员档案不符"),
    ]
    notes = read_notes(settings.MEDIA_ROOT / batch.report_file)
    today = timezone.localdate().isoformat()
    assert notes == [(10, "成员公民身份号码", mover.id_number, f"该成员原属家庭户H0009，已移入本户H0002（原家庭成员关系于{today}结束）")]
    h1 = Household.objects.get(number="H0001")
    assert (h1.region_id, h1.address, h1.has_business_income) == (COMMUNITY_A1, "西一路1号", False)
    assert Household.objects.get(number="H0002").has_business_income is True
    relations = dict(HouseholdMembership.objects.filter(household=h1, left_on__isnull=True).values_list("person__name", "relation"))
    assert relations == {"甲0": "head", "甲1": "spouse", "甲2": "child"}
    moved = HouseholdMembership.objects.get(person=mover, household=old)
    assert moved.left_on == timezone.localdate()
    assert HouseholdMembership.objects.get(person=mover, left_on__isnull=True).household.number == "H0002"

    again = run_import(kind="households", path=path, actor=None)
    assert (again.imported, again.updated, again.unchanged, again.rejected) == (0, 0, 6, 2)

    rows[2][2] = "西一路1号院"
    rows[4][6] = "子"  # same relation, another word
    rows[5][6] = "孙女"
    changed = run_import(kind="households", path=write_xlsx(tmp_path / "h2.xlsx", rows, merges=["A3:A6", "B3:B6", "C3:C6", "D3:D6", "A7:A10", "B7:B10", "C7:C10", "D7:D10"]), actor=None)
    assert (changed.imported, changed.updated, changed.unchanged, changed.rejected) == (1, 1, 5, 1)
    h1.refresh_from_db()
    assert h1.address == "西一路1号院"


def test_household_member_must_exist_and_household_needs_a_community(regions, tmp_path, make_person):
    person = make_person()
    rows = [HH_HEADER,
            ["H1", "长乐社区", "", "", make_id("610102", "19990101", "991"), "", "户主"],
            ["H2", "西一路街道", "", "", person.id_number, "", "户主"]]
    batch = run_import(kind="households", path=write_xlsx(tmp_path / "h.xlsx", rows), actor=None)
    assert [(r[0], r[1], r[3]) for r in report(batch)] == [
        (2, "成员公民身份号码", "该公民身份号码尚未建立人员档案，请先导入人员"),
        (3, "所在社区", "“西一路街道”不是社区/村，居住地须填到社区/村"),
    ]
    assert not Household.objects.exists()


def test_household_existing_head_blocks_a_new_head(regions, tmp_path, make_person, district_officer):
    head, other = make_person(name="老户主"), make_person(name="新人", seq="202")
    household = services.create_household(actor=district_officer, number="H7", region=COMMUNITY_A2)
    services.add_household_member(actor=district_officer, household=household, person=head, relation="head")
    rows = [HH_HEADER, ["H7", "610102001002", "", "", other.id_number, "新人", "户主"]]
    batch = run_import(kind="households", path=write_xlsx(tmp_path / "h.xlsx", rows), actor=None)
    assert batch.rejected == 1 and "本户已登记户主" in report(batch)[0][3]
    # Changing the head in the same file is fine.
    rows.append(["H7", "610102001002", "", "", head.id_number, "老户主", "父亲"])
    batch = run_import(kind="households", path=write_xlsx(tmp_path / "h2.xlsx", rows), actor=None)
    assert (batch.imported, batch.updated, batch.rejected) == (1, 1, 0)
    relations = dict(HouseholdMembership.objects.filter(household=household, left_on__isnull=True).values_list("person__name", "relation"))
    assert relations == {"老户主": "parent", "新人": "head"}


def test_batches_are_recorded(regions, tmp_path):
    batch = run_import(kind="households", path=tmp_path / "none.xlsx", actor=None)
    stored = ImportBatch.objects.get(pk=batch.pk)
    assert stored.status == "unusable" and stored.finished_at is not None and stored.kind == "households"


def test_every_problem_of_a_row_is_reported_at_once(regions, tmp_path, make_person):
    person = make_person(name="张工")
    rows = [REG_HEADER,
            [make_id("610102", "19990101", "991"), "", "就业", "2024-02-30", BETA, "单位就业", "", "", "", "", "", ""],
            [person.id_number, "李工", "失业", "2024-02-01", "", "", "", "", "", "", "天气不好", ""]]
    batch = run_import(kind="registrations", path=write_xlsx(tmp_path / "r.xlsx", rows), actor=None)
    assert [(r[0], r[1], r[3]) for r in report(batch)] == [
        (2, "公民身份号码", "该公民身份号码尚未建立人员档案，请先导入人员"),
        (2, "登记日期", "日期“2024-02-30”不存在"),
        (2, "单位统一社会信用代码", f"统一社会信用代码{BETA}的单位尚未登记，请先导入用人单位"),
        (3, "姓名", "姓名与该公民身份号码的人员档案不符"),
        (3, "失业原因", "失业原因“天气不好”无法识别，可填：劳动合同期满、被解除劳动合同、本人辞职、单位破产/关闭、毕业未就业、个体经营停业、失去土地、其他"),
    ]
    hh = [HH_HEADER, ["H1", "长乐社区", "", "不知道", person.id_number, "李工", "户主"]]
    batch = run_import(kind="households", path=write_xlsx(tmp_path / "h.xlsx", hh), actor=None)
    assert [(r[0], r[1]) for r in report(batch)] == [(2, "有无经营性收入"), (2, "成员姓名")]


def test_household_import_flags_zero_employment_households(regions, tmp_path, make_person, district_officer):
    import datetime

    from jiuye.registry.groups import zero_employment_households

    a, b = make_person(name="零一", seq="511"), make_person(name="零二", seq="513")
    for p in (a, b):
        services.register_unemployment(actor=district_officer, person=p, effective_date=datetime.date(2025, 1, 6),
                                       unemployment_reason="dismissed")
    rows = [HH_HEADER,
            ["H0700", "长乐社区", "西一路7号", "无", a.id_number, "零一", "户主"],
            ["H0700", "长乐社区", "西一路7号", "无", b.id_number, "零二", "配偶"]]
    batch = run_import(kind="households", path=write_xlsx(tmp_path / "z.xlsx", rows), actor=None)
    assert (batch.imported, batch.rejected) == (2, 0)
    assert [h.number for h in zero_employment_households()] == ["H0700"]
