"""The registrations import reads 合同起始日期/合同开始日期 and 合同终止日期/合同结束日期 and applies the
services' contract rules (services.contract_error): months derived from the dates, disagreements refused."""
from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from stdnum.cn import uscc

from jiuye.imports.services import run_import
from jiuye.registry import services
from jiuye.registry.models import Registration

from .import_files import read_report, write_xlsx

ACME = "91610102MA6U00001" + uscc.calc_check_digit("91610102MA6U00001")


@pytest.fixture
def employer(district_officer):
    return services.create_employer(actor=district_officer, credit_code=ACME, name="西安甲公司", region="610102001000")


def report(batch):
    return read_report(settings.MEDIA_ROOT / batch.report_file) if batch.report_file else []


@pytest.mark.parametrize("start_header, end_header", [("合同起始日期", "合同终止日期"), ("合同开始日期", "合同结束日期")])
def test_import_reads_contract_dates_and_applies_the_rules(regions, tmp_path, make_person, employer, start_header,
                                                           end_header):
    people = [make_person(name=f"工{i}") for i in range(6)]
    header = ["公民身份号码", "登记类型", "登记日期", "单位统一社会信用代码", "就业形式", "合同类型", "合同期限(月)",
              start_header, end_header]
    rows = [
        header,
        [people[0].id_number, "就业", "2024-01-01", ACME, "单位就业", "固定期限", "", "2024-01-01", "2026-12-31"],
        [people[1].id_number, "就业", "2024-01-01", ACME, "单位就业", "固定期限", "36", "2024-01-01", "2026-12-31"],
        [people[2].id_number, "就业", "2024-01-01", ACME, "单位就业", "固定期限", "24", "2024-01-01", "2026-12-31"],
        [people[3].id_number, "就业", "2024-01-01", ACME, "单位就业", "固定期限", "", "2024-01-01", "2023-12-31"],
        [people[4].id_number, "就业", "2024-01-01", ACME, "单位就业", "无固定期限", "", "2024-01-01", "2026-12-31"],
        [people[5].id_number, "就业", "2024-01-01", ACME, "单位就业", "固定期限", "", "2024-01-01", ""],
    ]
    batch = run_import(kind="registrations", path=write_xlsx(tmp_path / "r.xlsx", rows), actor=None)
    assert (batch.imported, batch.rejected) == (2, 4)
    assert [(r[0], r[1]) for r in report(batch)] == [
        (4, "合同期限(月)"), (5, end_header), (6, end_header), (7, end_header)]
    messages = [r[3] for r in report(batch)]
    assert "共36个月" in messages[0] and "早于合同起始日期" in messages[1] and "没有终止日期" in messages[2]
    assert "须填写合同终止日期" in messages[3]
    entry = Registration.objects.get(person=people[0])
    assert (entry.contract_start, entry.contract_end, entry.contract_months) == (
        datetime.date(2024, 1, 1), datetime.date(2026, 12, 31), 36)
    again = run_import(kind="registrations", path=write_xlsx(tmp_path / "r.xlsx", rows), actor=None)
    assert (again.imported, again.unchanged) == (0, 2)
