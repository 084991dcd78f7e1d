"""xlsx with openpyxl: a summary sheet, one sheet per section, tables as cells and charts as NATIVE Excel charts
(openpyxl.chart BarChart/LineChart over the cell range of the chart's data, written beside it): they open with
their charts in Excel, WPS and LibreOffice."""
from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from jiuye.reports.render import known_on_text

THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _sheet_title(text: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]\*\?/\\:]", "", text)[:28] or "表"
    base, i = name, 2
    while name in used:
        name = f"{base[:26]}{i}"
        i += 1
    used.add(name)
    return name


def _write_table(ws, row: int, table, width: int) -> int:
    ws.cell(row, 1, table.title).font = Font(bold=True, size=12)
    row += 1
    for line in table.head_lines:
        ws.cell(row, 1, line)
        row += 1
    for j, col in enumerate(table.columns, 1):
        c = ws.cell(row, j, col)
        c.font, c.fill, c.border, c.alignment = Font(bold=True), HEAD_FILL, BORDER, CENTER
    row += 1
    for values in table.rows:
        for j, v in enumerate(values, 1):
            c = ws.cell(row, j, v)
            c.border = BORDER
            c.alignment = WRAP
            if isinstance(v, float):
                c.number_format = "#,##0.00"
            elif isinstance(v, int):
                c.number_format = "#,##0"
        row += 1
    for line in ([table.note] if table.note else []) + table.foot_lines:
        ws.cell(row, 1, line)
        row += 1
    return row + 1


def _write_chart(ws, row: int, chart, index: int) -> int:
    """The chart's data as a small table (the chart's source range), the chart anchored to its right."""
    ws.cell(row, 1, f"{chart.title}（图表数据）").font = Font(italic=True)
    row += 1
    first = row
    ws.cell(row, 1, "类别").border = BORDER
    for j, (name, _values) in enumerate(chart.series, 2):
        ws.cell(row, j, name).border = BORDER
    for i, cat in enumerate(chart.categories, 1):
        ws.cell(row + i, 1, cat).border = BORDER
        for j, (_name, values) in enumerate(chart.series, 2):
            v = values[i - 1] if i - 1 < len(values) else None
            ws.cell(row + i, j, v).border = BORDER
    last = row + len(chart.categories)
    c = BarChart() if chart.kind == "bar" else LineChart()
    if chart.kind == "bar":
        c.type = "col"
    c.title = chart.title
    c.y_axis.title = chart.y_title or None
    c.height, c.width = 8, 16
    data = Reference(ws, min_col=2, max_col=1 + max(len(chart.series), 1), min_row=first, max_row=max(last, first + 1))
    cats = Reference(ws, min_col=1, min_row=first + 1, max_row=max(last, first + 1))
    c.add_data(data, titles_from_data=True)
    c.set_categories(cats)
    anchor_col = get_column_letter(len(chart.series) + 3)
    ws.add_chart(c, f"{anchor_col}{first}")
    return max(last, first + 16) + 2


def render_xlsx(doc) -> bytes:
    wb = Workbook()
    ws = wb.active
    used: set[str] = set()
    ws.title = _sheet_title("封面与摘要", used)
    ws.column_dimensions["A"].width = 110
    ws.cell(1, 1, doc.title).font = Font(bold=True, size=16)
    ws.cell(2, 1, doc.subtitle)
    ws.cell(3, 1, known_on_text(doc))
    row = 5
    for line in doc.summary:
        ws.cell(row, 1, line).alignment = WRAP
        row += 1
    for index, section in enumerate(doc.sections):
        sh = wb.create_sheet(_sheet_title(section.heading, used))
        widths = max([len(t.columns) for t in section.tables] + [3])
        sh.column_dimensions["A"].width = 28
        for j in range(2, widths + 1):
            sh.column_dimensions[get_column_letter(j)].width = 16
        sh.cell(1, 1, section.heading).font = Font(bold=True, size=14)
        r = 2
        for p in section.paragraphs:
            sh.cell(r, 1, p).alignment = Alignment(wrap_text=False)
            r += 1
        r += 1
        for table in section.tables:
            r = _write_table(sh, r, table, widths)
        for i, chart in enumerate(section.charts):
            r = _write_chart(sh, r, chart, i)
    wb.properties.title = doc.title
    wb.properties.creator = "就业服务平台"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
