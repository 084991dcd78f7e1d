"""docx with python-docx: title, headings, paragraphs, tables and the charts as PNG images (render/charts.py)."""
from __future__ import annotations

import io

from docx import Document as Docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from jiuye.reports.render import known_on_text
from jiuye.reports.render.charts import chart_png

EAST_ASIA_FONT = "宋体"


def _east_asia(style, name: str = EAST_ASIA_FONT) -> None:
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def _cell_text(v) -> str:
    if isinstance(v, float):
        return f"{v:,.2f}"
    if isinstance(v, int):
        return f"{v:,}"
    return "" if v is None else str(v)


def render_docx(doc) -> bytes:
    d = Docx()
    wide = max([len(t.columns) for s in doc.sections for t in s.tables] + [0]) > 7
    sec = d.sections[0]
    if wide:
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = sec.page_height, sec.page_width
    for m in ("left_margin", "right_margin"):
        setattr(sec, m, Cm(2))
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Caption"):
        _east_asia(d.styles[name], "黑体" if name != "Normal" else EAST_ASIA_FONT)
    d.styles["Normal"].font.size = Pt(10.5)
    title = d.add_heading(doc.title, level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p = d.add_paragraph(f"{doc.subtitle}　　{known_on_text(doc)}")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    width = Cm(24) if wide else Cm(16)
    for section in doc.sections:
        d.add_heading(section.heading, level=1)
        for text in section.paragraphs:
            para = d.add_paragraph(text)
            para.paragraph_format.first_line_indent = Pt(21)
        for table in section.tables:
            d.add_paragraph(table.title, style="Caption").alignment = WD_ALIGN_PARAGRAPH.CENTER
            for line in table.head_lines:
                d.add_paragraph(line)
            t = d.add_table(rows=1, cols=len(table.columns))
            t.style = "Table Grid"
            for j, col in enumerate(table.columns):
                t.rows[0].cells[j].text = col
                for run in t.rows[0].cells[j].paragraphs[0].runs:
                    run.bold = True
            for values in table.rows:
                cells = t.add_row().cells
                for j, v in enumerate(values[:len(table.columns)]):
                    cells[j].text = _cell_text(v)
            for line in ([table.note] if table.note else []) + table.foot_lines:
                d.add_paragraph(line)
        for chart in section.charts:
            d.add_picture(io.BytesIO(chart_png(chart)), width=width)
            d.add_paragraph(chart.title, style="Caption").alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.core_properties.title = doc.title
    d.core_properties.author = "就业服务平台"
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()
