"""Reports: each format opens with its content (xlsx native charts, docx PNG charts and text, PDF with the
embedded font and its text); LibreOffice converts xlsx and docx (slow)."""
from __future__ import annotations

import datetime
import io
import shutil
import subprocess
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from jiuye.registry import services as registry
from jiuye.reports import services
from jiuye.reports.models import RunStatus
from jiuye.targets import queries as tq
from tests.conftest import COMMUNITY_A1, COMMUNITY_B1, XINCHENG


@pytest.fixture
def history(make_person, district_officer):
    """A few registrations in May and June 2020 in two streets."""
    people = [make_person(region=COMMUNITY_A1 if i % 3 else COMMUNITY_B1) for i in range(6)]
    for i, p in enumerate(people):
        registry.register_unemployment(actor=district_officer, person=p, effective_date=datetime.date(2020, 5, 3 + i),
                                       unemployment_reason="dismissed")
    for p in people[:4]:
        registry.register_employment(actor=district_officer, person=p, effective_date=datetime.date(2020, 6, 10),
                                     employment_form="flexible")
    return people


@pytest.fixture
def kpi_values(monkeypatch):
    """Chosen figures for 城镇新增就业 (value, target, progress) on top of what the registry computes."""
    real = tq.overview

    def overview(user, region_code, period, *, codes=None, known_on=None, values_only=False):
        rows = real(user, region_code, period, codes=codes, known_on=known_on, values_only=values_only)
        for s in rows:
            if s.kpi.code == "new_urban_jobs":
                s.value = Decimal(1234 if period.code == "2020-06" else 1100)
                s.target_value, s.actual = Decimal(15360), Decimal(7000)
                s.progress, s.elapsed_share, s.status = Decimal("0.456"), Decimal("0.5"), tq.AMBER
                s.status_text = "完成目标的45.6%，序时进度50.0%"
        return rows

    def children(user, region_code, period, kpi_code, *, known_on=None, values_only=False):
        rows = tq.children.__wrapped__(user, region_code, period, kpi_code, known_on=known_on, values_only=values_only)
        for i, s in enumerate(rows):
            s.value = Decimal(100 + (85 if period.code == "2020-06" and i == 0 else 0) + i)
            s.rank = i + 1
        return rows

    children.__wrapped__ = tq.children
    monkeypatch.setattr(tq, "overview", overview)
    monkeypatch.setattr(tq, "children", children)


def _make(user, kind, period, fmt, region=XINCHENG):
    run = services.generate(user, kind, region, period, fmt)
    assert run.status == RunStatus.DONE, run.error
    with run.file.open("rb") as f:
        data = f.read()
    assert len(data) == run.size and run.sha256
    return run, data


def test_monthly_xlsx_opens_with_native_charts(district_officer, history, kpi_values, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    run, data = _make(district_officer, "monthly", "2020-06", "xlsx")
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert sum(1 for n in names if n.startswith("xl/charts/chart")) >= 3
    wb = load_workbook(io.BytesIO(data))
    assert wb.worksheets[0]["A1"].value == "新城区2020年6月就业形势分析报告"
    charts = [c for ws in wb.worksheets for c in ws._charts]
    assert len(charts) >= 3
    summary = "\n".join(run.summary["lines"])
    assert "城镇新增就业人数1,234人，环比增长12.2%" in summary
    assert "西一路街道（+85人）" in summary
    assert "本月办理就业登记4人次" in summary
    assert run.summary["figures"]["employment_registrations"] == 4
    assert run.summary["figures"]["registrations_12m"]["unemployment"][-2:] == [6, 0]


def test_monthly_with_kpis_not_computed_yet_shows_dashes(district_officer, history, settings, tmp_path, fake_kpis):
    """A KPI without a value (no denominator entered, no input value) reads "暂无数据" and "—", never 0."""
    settings.MEDIA_ROOT = tmp_path
    run, data = _make(district_officer, "monthly", "2020-06", "xlsx")
    assert "城镇新增就业人数暂无数据。" in run.summary["lines"]
    wb = load_workbook(io.BytesIO(data))
    values = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert "—" in values


def test_docx_has_png_charts_and_text(district_officer, history, kpi_values, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    run, data = _make(district_officer, "monthly", "2020-06", "docx")
    z = zipfile.ZipFile(io.BytesIO(data))
    assert any(n.startswith("word/media/") and n.endswith(".png") for n in z.namelist())
    import docx
    d = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "新城区2020年6月就业形势分析报告" in text and "城镇新增就业人数1,234人" in text
    assert len(d.tables) >= 5


def test_pdf_embeds_its_font_and_has_the_text(district_officer, history, kpi_values, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    run, data = _make(district_officer, "monthly", "2020-06", "pdf")
    assert data.startswith(b"%PDF") and b"/FontFile2" in data
    from pypdf import PdfReader  # noqa: PLC0415 (fpdf2's test dependency is not ours: read with the text layer)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "就业形势分析报告" in text and "1,234" in text


@pytest.mark.parametrize("kind,period", [("weekly", "2020-W24"), ("annual", "2020"), ("midterm", "2023"),
                                         ("stats_form", "2020-06")])
@pytest.mark.parametrize("fmt", ["xlsx", "docx", "pdf"])
def test_every_kind_in_every_format(district_officer, history, settings, tmp_path, kind, period, fmt):
    settings.MEDIA_ROOT = tmp_path
    run, data = _make(district_officer, kind, period, fmt)
    assert run.summary["lines"]


def test_stats_form_layout(district_officer, history, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    run, data = _make(district_officer, "stats_form", "2020-06", "xlsx")
    ws = load_workbook(io.BytesIO(data)).worksheets[1]
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert "报告期：2020年6月" in values and "计量单位：人、%" in values
    assert any(str(v).startswith("填报单位：") for v in values)
    assert any(str(v).startswith("单位负责人") for v in values)
    i = values.index("本月办理就业登记人次")
    assert values[i + 1:i + 3] == ["6", 4]


def test_weekly_figures_and_change_on_last_week(district_officer, history, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    run, _data = _make(district_officer, "weekly", "2020-06-10", "xlsx")
    assert run.period == "2020-W24"
    assert run.summary["figures"]["week"]["employment"] == 4
    assert run.summary["figures"]["previous_week"]["employment"] == 0
    assert any("就业登记4" in line for line in run.summary["lines"])


def _soffice():
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.slow
@pytest.mark.skipif(not _soffice(), reason="LibreOffice (soffice) 未安装：scripts/test.sh 以 root 运行时安装 "
                                           "libreoffice-calc-nogui libreoffice-writer-nogui")
@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_libreoffice_converts_the_file_to_pages(district_officer, history, kpi_values, settings, tmp_path, fmt):
    settings.MEDIA_ROOT = tmp_path
    _run, data = _make(district_officer, "monthly", "2020-06", fmt)
    src = tmp_path / f"report.{fmt}"
    src.write_bytes(data)
    out = tmp_path / "out"
    profile = tmp_path / "lo-profile"
    subprocess.run([_soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), str(src)], check=True, capture_output=True, timeout=180)
    pdf = (out / "report.pdf").read_bytes()
    from pypdf import PdfReader  # noqa: PLC0415
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    text = "".join(p.extract_text() for p in reader.pages)
    assert "就业" in text


def test_weekly_report_shows_tasks_by_department_and_who_has_not_reported(district_officer, monkeypatch, settings,
                                                                           tmp_path):
    """The tasks part fills week_report; the report lays out what it returns."""
    from jiuye.targets import queries_tasks as tasks_q

    def week_report(user, region_code, week, *, known_on=None):
        return tasks_q.WeekTasks(region_code, "新城区", week, rows=[
            tasks_q.TaskRow(1, "新城区2020年就业工作要点", "3", "开展春风行动专项招聘", "持续推进", "new_urban_jobs", entries=[
                tasks_q.DepartmentEntry("区人社局", "lead", "on_track", "按计划推进", "举办招聘会2场，提供岗位1,200个",
                                        previous_text="举办招聘会1场"),
                tasks_q.DepartmentEntry("区财政局", "partner")])],
            missing=["区财政局"], counts={"on_track": 1})

    monkeypatch.setattr(tasks_q, "week_report", week_report)
    settings.MEDIA_ROOT = tmp_path
    run, data = _make(district_officer, "weekly", "2020-W24", "docx")
    lines = "\n".join(run.summary["lines"])
    assert "未报送单位：区财政局" in lines and "按计划推进1项" in lines and "有新进展的任务1项" in lines
    import docx
    cells = [c.text for t in docx.Document(io.BytesIO(data)).tables for row in t.rows for c in row.cells]
    assert "举办招聘会2场，提供岗位1,200个" in cells and "举办招聘会1场" in cells and "未填报" in cells


def test_evaluation_with_targets(district_officer, monkeypatch, settings, tmp_path):
    """The targets part fills targets_of/overview; binding targets met or not, progress against elapsed share."""
    from jiuye.targets.models import Target

    t1 = Target(kpi="new_urban_jobs", region_id=XINCHENG, plan="新城区“十四五”就业规划", start_year=2021, end_year=2025,
                scope="cumulative", nature="expected", value=Decimal(75000), value_text="[75000]", baseline_text="—")
    t2 = Target(kpi="registered_unemployment_rate", region_id=XINCHENG, plan="新城区“十四五”就业规划", start_year=2021,
                end_year=2025, scope="level", nature="binding", comparator="below", value=Decimal(4), value_text="<4",
                baseline_text="3.2")
    monkeypatch.setattr(tq, "targets_of", lambda user, code, *, year=None: [t1, t2])
    real = tq.overview

    def overview(user, region_code, period, *, codes=None, known_on=None, values_only=False):
        rows = real(user, region_code, period, codes=codes, known_on=known_on, values_only=values_only)
        for s in rows:
            if s.kpi.code == "new_urban_jobs":
                s.actual, s.progress, s.elapsed_share, s.status = Decimal(40000), Decimal("0.533"), Decimal("0.6"), tq.AMBER
            else:
                s.value, s.status = Decimal("4.3"), tq.RED
        return rows

    monkeypatch.setattr(tq, "overview", overview)
    settings.MEDIA_ROOT = tmp_path
    run, data = _make(district_officer, "midterm", "2023", "xlsx")
    lines = "\n".join(run.summary["lines"])
    assert "共设2项指标，其中约束性指标1项" in lines
    assert "未达到要求的约束性指标：城镇登记失业率" in lines
    rows = run.summary["figures"]["rows"]
    assert rows[0][4:8] == ["[75000]", 40000, "53.3%", "60.0%"]
    assert rows[1][1] == "约束性" and rows[1][-1] == "未达到序时进度"
