"""Import kinds of the policy facts through the shared engine: good rows kept, bad rows reported with
row, column, value and reason, out-of-scope rows with the generic reason, re-import unchanged."""
import datetime

import pytest
from django.conf import settings

from jiuye.imports.base import OUT_OF_SCOPE_REASON
from jiuye.imports.services import run_import
from jiuye.policies.models import (
    BenefitPeriod,
    EmployerInsuranceYear,
    GuaranteeLoan,
    Internship,
    LoanInterestPeriod,
    LoanRepayment,
    OnlineShop,
    PaymentAccount,
    TrainingEnrolment,
)
from tests.conftest import COMMUNITY_B1
from tests.import_files import read_report, write_xlsx
from tests.policies_helpers import make_employer

D = datetime.date


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def report(batch):
    return read_report(settings.MEDIA_ROOT / batch.report_file) if batch.report_file else []


def run(tmp_path, kind, rows, actor, name="f.xlsx"):
    return run_import(kind=kind, path=write_xlsx(tmp_path / name, rows, text_columns=range(12)), actor=actor)


@pytest.fixture
def people(make_person):
    return make_person(name="张三"), make_person(name="李四"), make_person(name="王五", region=COMMUNITY_B1)


def test_benefit_periods(tmp_path, people, street_officer):
    a, b, outside = people
    rows = [
        ["序号", "身份证号", "姓名", "领取起始日期", "应领月数", "月领取标准"],
        [1, a.id_number, "张三", "2020-03-15", "12个月", "1620"],
        [2, b.id_number, "李四", "2020/6/1", 0, ""],
        [3, b.id_number, "李四", "2020-07-01", 30, ""],
        [4, outside.id_number, "王五", "2020-07-01", 6, ""],
        [5, a.id_number, "张三三", "2021-01-01", 6, ""],
        [6, "610102199001010000", "某某", "2021-01-01", 6, ""],
    ]
    batch = run(tmp_path, "benefit_periods", rows, street_officer)
    assert (batch.imported, batch.rejected, batch.out_of_scope) == (2, 4, 1)
    got = {r[0]: r for r in report(batch)}
    assert got[4][1] == "应领月数" and got[4][2] == "30" and "应领月数应在0到24之间" in got[4][3]
    assert got[5][1] == "身份证号" and got[5][3] == str(OUT_OF_SCOPE_REASON)
    assert got[6][1] == "姓名" and got[6][3] == "姓名与该公民身份号码的人员档案不符"
    assert got[7][1] == "身份证号"
    assert BenefitPeriod.objects.get(person=a).ends_on == D(2021, 3, 14)
    assert BenefitPeriod.objects.get(person=b).ends_on == D(2020, 6, 1)
    again = run(tmp_path, "benefit_periods", rows[:3], street_officer, "again.xlsx")
    assert (again.imported, again.unchanged) == (0, 2) and BenefitPeriod.objects.count() == 2


def test_insurance_years(tmp_path, district_officer, street_officer):
    inside = make_employer(district_officer, 1)
    outside = make_employer(district_officer, 2, region=COMMUNITY_B1)
    rows = [
        ["统一社会信用代码", "年度", "年末参保人数", "单位缴费", "个人缴费", "裁员人数"],
        [inside.credit_code, "2020年", 12, "3,600.00", 1200, 1],
        [inside.credit_code, 2021, 10, -5, 1000, 0],
        [outside.credit_code, 2020, 3, 100, 50, 0],
    ]
    batch = run(tmp_path, "insurance_years", rows, street_officer)
    assert (batch.imported, batch.rejected) == (1, 2)
    got = {r[0]: r for r in report(batch)}
    assert got[3][1] == "单位缴费" and "不能为负数" in got[3][3]
    assert got[4][3] == str(OUT_OF_SCOPE_REASON)
    year = EmployerInsuranceYear.objects.get()
    assert year.settles_on == D(2021, 1, 1) and year.premiums_employer == 3600


def test_loans_repayments_and_interest(tmp_path, people, district_officer):
    a, b, _outside = people
    employer = make_employer(district_officer, 3)
    rows = [
        ["借款人身份证号", "统一社会信用代码", "借款合同编号", "经办银行", "贷款金额", "放款日期", "到期日期", "带动就业人数"],
        [a.id_number, "", "DB-2021-001", "长安银行", "20万", "2021-03-01", "2024-02-29", 3],
        ["", employer.credit_code, "DB-2021-002", "长安银行", 500000, "2021-04-01", "2023-03-31", 8],
        [b.id_number, employer.credit_code, "DB-2021-003", "长安银行", 100000, "2021-04-01", "2023-03-31", 0],
        [b.id_number, "", "DB-2021-004", "长安银行", 100000, "2021-04-01", "2021-03-31", 0],
    ]
    batch = run(tmp_path, "guarantee_loans", rows, district_officer)
    assert (batch.imported, batch.rejected) == (2, 2)
    got = {r[0]: r for r in report(batch)}
    assert "二者选一" in got[4][3]
    assert got[5][1] == "到期日期" and got[5][3] == "到期日期2021-03-31早于放款日期2021-04-01"
    assert GuaranteeLoan.objects.get(contract_number="DB-2021-001").amount == 200000

    rows = [
        ["借款合同编号", "经办银行", "应还日期", "应还金额", "实还日期"],
        ["DB-2021-001", "长安银行", "2022-03-01", 100000, "2022-03-20"],
        ["DB-2021-001", "长安银行", "2023-03-01", 100000, ""],
        ["DB-9999", "长安银行", "2023-03-01", 100000, ""],
    ]
    batch = run(tmp_path, "loan_repayments", rows, district_officer, "r.xlsx")
    assert (batch.imported, batch.rejected) == (2, 1)
    assert report(batch)[0][3] == "没有该经办银行的这一借款合同，请先导入创业担保贷款"
    assert LoanRepayment.objects.filter(paid_on__isnull=True).count() == 1

    rows = [
        ["借款合同编号", "经办银行", "计息起始日期", "计息截止日期", "利息"],
        ["DB-2021-002", "长安银行", "2021-04-01", "2022-03-31", "19250.00"],
        ["DB-2021-002", "长安银行", "2022-04-01", "2022-03-31", "100"],
    ]
    batch = run(tmp_path, "loan_interest", rows, district_officer, "i.xlsx")
    assert (batch.imported, batch.rejected) == (1, 1)
    assert report(batch)[0][1] == "计息截止日期"
    assert LoanInterestPeriod.objects.get().interest == 19250


def test_shops_internships_trainings(tmp_path, people, district_officer, street_officer):
    a, b, outside = people
    platform = make_employer(district_officer, 4, name="某电商平台", region=COMMUNITY_B1)  # a platform elsewhere is fine
    unit = make_employer(district_officer, 5, name="见习基地")
    batch = run(tmp_path, "online_shops", [
        ["公民身份号码", "姓名", "平台统一社会信用代码", "网店名称", "开办日期", "平台证明日期"],
        [a.id_number, "张三", platform.credit_code, "张三农家店", "2021-05-01", "2021-06-01"],
        [b.id_number, "李四", platform.credit_code, "李四小铺", "2021-05-01", "2021-04-01"],
        [outside.id_number, "王五", platform.credit_code, "王五小铺", "2021-05-01", "2021-06-01"],
    ], street_officer)
    assert (batch.imported, batch.rejected, batch.out_of_scope) == (1, 2, 1)
    assert OnlineShop.objects.get().platform == platform

    batch = run(tmp_path, "internships", [
        ["公民身份号码", "见习单位统一社会信用代码", "见习起止日期", "签订劳动合同日期", "合同期限"],
        [a.id_number, unit.credit_code, "2021-07-01至2022-06-30", "2022-03-01", "36个月"],
        [b.id_number, unit.credit_code, "2021-07-01", "", ""],
    ], street_officer, "n.xlsx")
    assert (batch.imported, batch.rejected) == (1, 1)
    assert "起始日期至期满日期" in report(batch)[0][3]
    assert Internship.objects.get().hired_on == D(2022, 3, 1)

    batch = run(tmp_path, "trainings", [
        ["公民身份号码", "培训项目", "培训机构", "开班日期", "结业日期", "是否结业"],
        [a.id_number, "育婴员", "新城区职业培训学校", "2022-04-01", "2022-04-30", "是"],
        [b.id_number, "电工", "新城区职业培训学校", "2022-04-01", "2022-04-30", "也许"],
    ], street_officer, "t.xlsx")
    assert (batch.imported, batch.rejected) == (1, 1)
    assert report(batch)[0][1] == "是否结业"
    assert TrainingEnrolment.objects.get().completed is True


def test_payment_accounts_import_closes_the_previous(tmp_path, people, district_officer, street_officer):
    a, b, _outside = people
    employer = make_employer(district_officer, 6, name="测试企业6")
    rows = [
        ["公民身份号码", "统一社会信用代码", "账户类型", "开户银行", "账号", "户名", "启用日期"],
        [a.id_number, "", "社保卡", "中国建设银行", "6217000011112222", "张三", "2019-05-01"],
        [a.id_number, "", "社保卡", "长安银行", "6222000033334444", "张三", "2022-03-01"],
        ["", employer.credit_code, "对公账户", "长安银行", "61000000111122223333", "测试企业6", "2020-01-01"],
        [b.id_number, "", "银行账户", "长安银行", "6222000055556666", "李四", "2020-01-01"],
    ]
    batch = run(tmp_path, "payment_accounts", rows, street_officer)
    assert (batch.imported, batch.rejected) == (3, 1)
    assert report(batch)[0][1] == "账户类型" and report(batch)[0][3] == "个人的收款账户须为社会保障卡金融账户（社保卡）"
    first = PaymentAccount.objects.get(account_number="6217000011112222")
    assert first.valid_until == D(2022, 2, 28)
    again = run(tmp_path, "payment_accounts", rows[:3], street_officer, "again.xlsx")
    assert (again.imported, again.unchanged) == (0, 2) and PaymentAccount.objects.count() == 3


def test_one_import_kind_per_fact():
    from jiuye.policies.importers.facts import IMPORTERS
    from jiuye.policies.services.facts import IMPORT_KINDS

    assert {cls.fact_kind: cls.kind for cls in IMPORTERS} == IMPORT_KINDS
