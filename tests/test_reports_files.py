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
    """Values the targets part will compute: the KPI stubs return None until then."""
    real = tq.overview

    def overview(user, region_code, period, *, codes=None, known_on=None):
        rows = real(user, region_code, period, codes=codes, known_on=known_on)
        for s in rows:
            if s.kpi.code == "new_urban_jobs":
                s.value = Decimal(1234 if period.code == "2020-06" else 1100)
                s.target_value, s.actual = Decimal(15360), Decimal(7000)
                s.progress, s.elapsed_share, s.status = Decimal("0.456"), Decimal("0.5"), tq.AMBER
                s.status_text = "完成目标的45.6%，序时进度50.0%"
        return rows

    def children(user, region_code, period, kpi_code, *, known_on=None):
        rows = tq.children.__wrapped__(user, region_code, period, kpi_code, known_on=known_on)
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


def test_monthly_with_kpis_not_computed_yet_shows_dashes(district_officer, history, settings, tmp_path):
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
