"""The import kind ``seekers`` (求职登记 sheets): good rows kept, every rejected row reported with its reason."""
import datetime

import pytest
from django.conf import settings

from jiuye.imports.services import run_import
from jiuye.jobs.models import SeekerProfile, SeekerRegistration
from tests.conftest import COMMUNITY_A1, COMMUNITY_B1, make_id
from tests.import_files import read_report, write_xlsx
from tests.jobs_helpers import occupations  # noqa: F401

D = datetime.date


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def report(batch):
    return read_report(settings.MEDIA_ROOT / batch.report_file) if batch.report_file else []


def test_seekers_import(tmp_path, media, occupations, street_officer, make_person):  # noqa: F811
    a, b = make_person(name="钱一", region=COMMUNITY_A1), make_person(name="孙二", region=COMMUNITY_A1)
    far = make_person(name="周三", region=COMMUNITY_B1)
    rows = [
        ["序号", "身份证号", "姓名", "求职登记日期", "意向职业/工种", "期望月薪", "意向地点", "用工形式", "技能/证书", "简历"],
        [1, a.id_number, "钱一", "2026-09-01", "焊工、6-18-02-04", "4000-6000", COMMUNITY_A1, "全职", "焊接、电工证", "十年焊工"],
        [2, b.id_number, "孙二", "2026/9/2", "", "5千", "", "兼职", "", ""],
        [3, far.id_number, "周三", "2026-09-01", "", "", "", "", "", ""],
        [4, make_id("610102", "19800101", "991"), "无此人", "2026-09-01", "", "", "", "", "", ""],
        [5, b.id_number[:-1] + "0", "错号", "2026-09-01", "", "", "", "", "", ""],
        [6, a.id_number, "钱一", "2026-09-03", "", "", "", "", "", ""],
        [7, b.id_number, "孙二", "2026-09-02", "不存在的工种", "", "", "长期", "", ""],
    ]
    batch = run_import(kind="seekers", path=write_xlsx(tmp_path / "s.xlsx", rows), actor=street_officer)
    reasons = {r[0]: r[3] for r in report(batch)}
    assert batch.imported == 2, reasons
    assert set(reasons) == {4, 5, 6, 7, 8}, reasons
    assert "管辖范围" in reasons[4] and "没有该公民身份号码" in reasons[5] and "校验" in reasons[6]
    assert "尚未结束" in reasons[7] or "重复" in reasons[7] and ("无法识别" in reasons[8] or "不是职业分类大典" in reasons[8])
    prof = SeekerProfile.objects.get(person=a)
    assert (prof.occupations, prof.wage_min, prof.wage_max, prof.work_types) == (["6-18-02-04"], 4000, 6000, ["full_time"])
    assert SeekerRegistration.objects.get(person=b).started_on == D(2026, 9, 2)
    again = run_import(kind="seekers", path=write_xlsx(tmp_path / "s2.xlsx", [rows[0], rows[2]]), actor=street_officer)
    assert again.imported == 0 and again.unchanged == 1
