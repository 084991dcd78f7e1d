"""Import kinds welfare_posts and post_placements through the shared engine: the same rules and the
same error report as the pages."""
import datetime

import pytest
from django.conf import settings

from jiuye.assistance.models import Placement, WelfarePost
from jiuye.imports.services import run_import
from jiuye.registry import services as registry
from jiuye.registry.models import EmploymentForm
from tests.conftest import COMMUNITY_A1, COMMUNITY_B1
from tests.import_files import read_report, write_xlsx
from tests.test_assistance_posts import credit_code, recognise

D = datetime.date


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def report(batch):
    return read_report(settings.MEDIA_ROOT / batch.report_file) if batch.report_file else []


@pytest.fixture
def employer(district_officer):
    return registry.create_employer(actor=district_officer, credit_code=credit_code(9), name="西一路街道办事处",
                                    region=COMMUNITY_A1)


def test_posts_then_placements(tmp_path, employer, district_officer, street_officer, make_person):
    rows = [
        ["序号", "岗位名称*", "岗位类别", "统一社会信用代码", "工作地点", "岗位数", "月补贴标准", "开发日期"],
        [1, "社区保洁", "城镇公益性岗位", employer.credit_code, COMMUNITY_A1, "2个", "1950", "2025-01-01"],
        [2, "消杀防疫", "临时", employer.credit_code, COMMUNITY_A1, 1, 2340, "2025/1/1"],
        [3, "治安巡逻", "城镇", employer.credit_code, COMMUNITY_A1, 0, 1950, "2025-01-01"],
        [4, "护林", "林业岗", employer.credit_code, COMMUNITY_A1, 1, 1950, "2025-01-01"],
        [5, "外区岗位", "城镇", employer.credit_code, COMMUNITY_B1, 1, 1950, "2025-01-01"],
    ]
    batch = run_import(kind="welfare_posts", path=write_xlsx(tmp_path / "p.xlsx", rows), actor=street_officer)
    assert batch.imported == 2 and batch.rejected == 3
    reasons = {r[0]: r[3] for r in report(batch)}
    assert "岗位类别" in reasons[5] and set(reasons) == {4, 5, 6}
    again = run_import(kind="welfare_posts", path=write_xlsx(tmp_path / "p2.xlsx", rows[:3]), actor=street_officer)
    assert again.imported == 0 and again.unchanged == 2 and WelfarePost.objects.count() == 2

    eligible, ineligible = make_person(name="王五"), make_person(name="赵六")
    for p in (eligible, ineligible):
        registry.register_unemployment(actor=district_officer, person=p, effective_date=D(2025, 6, 1),
                                       unemployment_reason="dismissed")
    recognise(eligible)
    rows = [
        ["公民身份号码", "姓名", "统一社会信用代码", "岗位名称", "上岗日期"],
        [eligible.id_number, "王五", employer.credit_code, "社区保洁", "2026-01-05"],
        [ineligible.id_number, "赵六", employer.credit_code, "社区保洁", "2026-01-05"],
    ]
    dry = run_import(kind="post_placements", path=write_xlsx(tmp_path / "a0.xlsx", rows), actor=street_officer, dry_run=True)
    assert dry.imported == 1 and dry.rejected == 1 and not Placement.objects.exists()
    batch = run_import(kind="post_placements", path=write_xlsx(tmp_path / "a.xlsx", rows), actor=street_officer)
    assert batch.imported == 1 and batch.rejected == 1
    assert "不属于城镇公益性岗位的安置对象" in report(batch)[0][3]
    eligible.refresh_from_db()
    assert eligible.employment_form == EmploymentForm.PUBLIC_WELFARE
    assert Placement.objects.get(person=eligible).planned_end_on == D(2029, 1, 4)
