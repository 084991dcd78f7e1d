"""Targets: import kinds ``targets`` and ``kpi_inputs`` (bad rows reported, good rows kept) and the demo."""
from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.conf import settings

from jiuye.imports.services import run_import
from jiuye.registry import services as registry
from jiuye.targets import demo
from jiuye.targets.models import InputValue, Target
from tests.conftest import STREET_A, STREET_B, XIAN, XINCHENG
from tests.import_files import read_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_import_targets(district_officer, media, tmp_path):
    path = tmp_path / "目标.csv"
    path.write_text(
        "指标,区划代码,规划名称,依据,起始年度,终止年度,目标口径,指标属性,目标值,基期年度,基期值\n"
        f"城镇新增就业人数,{XINCHENG},新城区十四五,,2021,2025,累计,约束性,[60000],2020,15310\n"
        f"registered_unemployment_rate,{STREET_A},西一路2024,,2024,2024,年度,预期性,＜4,,—\n"
        f"不存在的指标,{XINCHENG},x,,2024,2024,年度,,100,,\n"
        f"new_urban_jobs,{XIAN},西安,,2024,2024,年度,,100,,\n"
        f"new_urban_jobs,{STREET_B},x,,2026,2024,年度,,abc,,\n", encoding="utf-8")
    batch = run_import(kind="targets", path=path, actor=district_officer)
    assert (batch.imported, batch.rejected) == (2, 3)
    t = Target.objects.get(region_id=XINCHENG, kpi="new_urban_jobs")
    assert (t.scope, t.nature, t.value, t.value_text, t.source) == ("cumulative", "binding", 60000, "[60000]", "import")
    rows = read_report(settings.MEDIA_ROOT / batch.report_file)
    reasons = " ".join(r[3] for r in rows)
    assert "不在指标目录中" in reasons and "终止年度2024早于起始年度2026" in reasons and "abc" in reasons
    assert any(r[0] == 5 for r in rows)  # 西安 is outside the district officer's scope
    path.write_text("指标,区划代码,规划名称,起始年度,终止年度,目标口径,目标值\n"
                    f"new_urban_jobs,{XINCHENG},新城区十四五,2021,2025,累计,[61000]\n", encoding="utf-8")
    batch = run_import(kind="targets", path=path, actor=district_officer)
    assert batch.updated == 1
    assert Target.objects.filter(region_id=XINCHENG, kpi="new_urban_jobs").count() == 2


def test_import_kpi_inputs(district_officer, media, tmp_path):
    path = tmp_path / "输入.csv"
    path.write_text("指标,区划代码,统计期,数值,来源\n"
                    f"高校毕业生就业去向落实率,{XINCHENG},2024,91.2%,市教育局\n"
                    f"vocational_training_persons,{STREET_A},2024-Q2,\"1,2\",区人社局\n"
                    f"new_urban_jobs,{XINCHENG},2024,100,区人社局\n"
                    f"graduate_destination_rate,{XINCHENG},2024-13,90,市教育局\n"
                    f"graduate_destination_rate,{STREET_B},2024,120,市教育局\n", encoding="utf-8")
    batch = run_import(kind="kpi_inputs", path=path, actor=district_officer)
    assert batch.imported == 2 and batch.rejected == 3
    v = InputValue.objects.get(kpi="graduate_destination_rate", region_id=XINCHENG)
    assert v.value == Decimal("91.2") and v.source == "市教育局" and v.import_batch == batch.pk
    reasons = " ".join(r[3] for r in read_report(settings.MEDIA_ROOT / batch.report_file))
    assert "由登记数据计算" in reasons and "不能超过100" in reasons


def test_demo_targets_add_up_and_show_progress(district_officer, make_person):
    people = [make_person(name=f"居民{i}", birth="19850101") for i in range(12)]
    for i, p in enumerate(people):
        registry.register_employment(actor=district_officer, person=p, effective_date=datetime.date(2024, 3, 1 + i),
                                     employment_form="flexible")
    line = demo.seed(datetime.date(2025, 6, 30))
    assert "demo targets" in line
    district = Target.objects.get(region_id=XINCHENG, kpi="new_urban_jobs", start_year=2025, is_current=True)
    kids = Target.objects.filter(parent=district, is_current=True)
    assert kids.exists() and sum(k.value for k in kids) == district.value
    assert Target.objects.filter(region_id=XINCHENG, kpi="zero_employment_households", start_year=2024,
                                 comparator="equal", value=0).exists()
    assert InputValue.objects.filter(region_id=XINCHENG, kpi="graduate_destination_rate", period="2024",
                                     source="示例数据").exists()
    count = Target.objects.count()
    demo.seed(datetime.date(2025, 6, 30))
    assert Target.objects.count() == count  # a second run adds nothing


def test_split_adds_up():
    assert demo.split(10, {"a": 1, "b": 1, "c": 1}) == {"a": 4, "b": 3, "c": 3}
    assert sum(demo.split(15360, {"a": 7, "b": 5, "c": 0}).values()) == 15360


def test_only_target_managers_import(street_officer, media, tmp_path):
    path = tmp_path / "输入.csv"
    path.write_text("指标,区划代码,统计期,数值,来源\n"
                    f"graduate_destination_rate,{STREET_A},2024,91,市教育局\n", encoding="utf-8")
    batch = run_import(kind="kpi_inputs", path=path, actor=street_officer)
    assert batch.imported == 0 and batch.rejected == 1
    assert "无权导入" in read_report(settings.MEDIA_ROOT / batch.report_file)[0][3]
