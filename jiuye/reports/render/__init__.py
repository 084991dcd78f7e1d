"""Renderers: a builders.Document laid out as xlsx (openpyxl, native charts), docx (python-docx, charts as PNG)
or pdf (fpdf2, the vendored CJK font embedded and subset). ``render(doc, fmt) -> bytes``."""
from __future__ import annotations

from pathlib import Path

FONT_PATH = Path(__file__).resolve().parent.parent / "fonts" / "wqy-microhei-gb2312.ttf"
FONT_NAME = "WenQuanYi Micro Hei"
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def render(doc, fmt: str) -> bytes:
    if fmt == "xlsx":
        from jiuye.reports.render.xlsx import render_xlsx
        return render_xlsx(doc)
    if fmt == "docx":
        from jiuye.reports.render.docx import render_docx
        return render_docx(doc)
    if fmt == "pdf":
        from jiuye.reports.render.pdf import render_pdf
        return render_pdf(doc)
    raise ValueError(f"未知的报告格式：{fmt}")


def known_on_text(doc) -> str:
    from django.utils import timezone
    return f"数据截至：{timezone.localtime(doc.known_on):%Y年%m月%d日 %H:%M}"
