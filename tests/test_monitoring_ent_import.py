"""The ent_reports import: good rows kept, bad rows reported with row, column, value and reason; a file
of several months chains; a month already reported gets a new version; a crossing row raises its warning."""
import datetime

from openpyxl import Workbook, load_workbook

from jiuye.imports.services import run_import
from jiuye.monitoring.models import EnterpriseReport, Warning
from tests.monitoring_helpers import credit_code, make_employer, make_enterprise

D = datetime.date
HEAD = ["统一社会信用代码", "报告月份", "月初职工人数", "月末职工人数", "新招用", "经济性裁员", "本人辞职", "主要减员原因", "备注"]


def _file(tmp_path, rows):
    wb = Workbook()
    ws = wb.active
    ws.append(HEAD)
    for row in rows:
        ws.append(row)
    path = tmp_path / "reports.xlsx"
    wb.save(path)
    return path


def test_import_keeps_good_rows_and_reports_bad_ones(tmp_path, district_officer, community_worker):
    employer = make_employer(district_officer, 1, industry_code="13")
    enterprise = make_enterprise(employer, joined_on=D(2025, 1, 1))
    code = credit_code(1)
    path = _file(tmp_path, [
        [code, "2025-02", 102, 100, 0, 0, 2, "", ""],  # good (later month first: the file is sorted)
        [code, "2025-01", 100, 102, 3, 0, 1, "", ""],  # good
        [code, "2025-03", 100, 99, 0, 0, 2, "", ""],  # unbalanced: 98 expected
        [code, "2025-04", 100, 75, 0, 25, 0, "订单减少", ""],  # a mass layoff: 2025-03 was refused, so no chain
        [credit_code(9), "2025-01", 10, 10, 0, 0, 0, "", ""],  # unknown employer
        [code, "2025年13月", 10, 10, 0, 0, 0, "", ""],  # bad month
    ])
    batch = run_import(kind="ent_reports", path=path, actor=community_worker)
    assert batch.imported == 3 and batch.rejected == 3
    assert list(EnterpriseReport.objects.filter(enterprise=enterprise).order_by("month")
                .values_list("month", "end_headcount")) == [(D(2025, 1, 1), 102), (D(2025, 2, 1), 100),
                                                           (D(2025, 4, 1), 75)]
    warning = Warning.objects.get(kind="mass_layoff")
    assert warning.facts["layoffs"] == 25 and warning.employer_id == employer.pk
    from django.conf import settings

    wb = load_workbook(f"{settings.MEDIA_ROOT}/{batch.report_file}")
    cells = [[str(c.value) for c in row] for row in wb.worksheets[0].iter_rows()]
    text = "\n".join(" ".join(r) for r in cells)
    assert "月末人数应为98" in text and "相差+1" in text
    assert "没有该统一社会信用代码的用人单位" in text
    assert "2025年13月" in text


def test_import_again_replaces_with_a_new_version_or_counts_unchanged(tmp_path, district_officer, community_worker):
    employer = make_employer(district_officer, 1, industry_code="13")
    enterprise = make_enterprise(employer, joined_on=D(2025, 1, 1))
    code = credit_code(1)
    run_import(kind="ent_reports", path=_file(tmp_path, [[code, "2025-01", 100, 100, 0, 0, 0, "", ""]]),
               actor=community_worker)
    again = run_import(kind="ent_reports", path=_file(tmp_path, [[code, "2025-01", 100, 100, 0, 0, 0, "", ""]]),
                       actor=community_worker)
    assert again.unchanged == 1 and again.imported == 0
    changed = run_import(kind="ent_reports", path=_file(tmp_path, [[code, "2025-01", 100, 99, 0, 0, 1, "", ""]]),
                         actor=community_worker)
    assert changed.imported == 1
    versions = list(EnterpriseReport.objects.filter(enterprise=enterprise).order_by("version")
                    .values_list("version", "is_current", "end_headcount", "channel"))
    assert versions == [(1, False, 100, "import"), (2, True, 99, "import")]
