"""PDF with fpdf2: the vendored CJK font (fonts/) is embedded and subset, so Chinese renders on any machine;
tables with fpdf2's table(), charts as PNG images (render/charts.py)."""
from __future__ import annotations

import io

from fpdf import FPDF
from fpdf.fonts import FontFace

from jiuye.reports.render import FONT_PATH, known_on_text
from jiuye.reports.render.charts import chart_png

F = "wqy"


def _cell_text(v) -> str:
    if isinstance(v, float):
        return f"{v:,.2f}"
    if isinstance(v, int):
        return f"{v:,}"
    return "" if v is None else str(v)


class _Pdf(FPDF):
    footer_text = ""

    def footer(self):
        self.set_y(-12)
        self.set_font(F, size=8)
        self.cell(0, 8, f"{self.footer_text}　第 {self.page_no()} 页", align="C")


def render_pdf(doc) -> bytes:
    wide = max([len(t.columns) for s in doc.sections for t in s.tables] + [0]) > 7
    pdf = _Pdf(orientation="L" if wide else "P", unit="mm", format="A4")
    pdf.footer_text = doc.title
    pdf.set_title(doc.title)
    pdf.set_creator("就业服务平台")
    pdf.add_font(F, "", str(FONT_PATH))
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font(F, size=18)
    pdf.multi_cell(0, 10, doc.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(F, size=10)
    pdf.multi_cell(0, 6, f"{doc.subtitle}　　{known_on_text(doc)}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for section in doc.sections:
        pdf.set_font(F, size=14)
        pdf.multi_cell(0, 9, section.heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(F, size=10.5)
        for text in section.paragraphs:
            pdf.multi_cell(0, 6, "　　" + text, new_x="LMARGIN", new_y="NEXT")
        for table in section.tables:
            pdf.ln(2)
            pdf.set_font(F, size=10.5)
            pdf.multi_cell(0, 6, table.title, align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.set_font(F, size=8.5)
            for line in table.head_lines:
                pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
            with pdf.table(headings_style=FontFace(emphasis=None, fill_color=(221, 235, 247)),
                           line_height=5, text_align="LEFT") as t:
                t.row([str(c) for c in table.columns])
                for values in table.rows:
                    t.row([_cell_text(v) for v in values[:len(table.columns)]])
            for line in ([table.note] if table.note else []) + table.foot_lines:
                pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
        for chart in section.charts:
            pdf.ln(2)
            w = 170 if not wide else 200
            if pdf.get_y() + w * 3.6 / 7 > pdf.h - 20:
                pdf.add_page()
            pdf.image(io.BytesIO(chart_png(chart)), w=w, x=(pdf.w - w) / 2)
        pdf.ln(3)
    return bytes(pdf.output())
