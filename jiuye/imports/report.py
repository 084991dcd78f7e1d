"""The error report (.xlsx): one line per bad cell — 行号, 列, 值, 原因.

Every text written is stripped of control characters first (openpyxl refuses them, and a cell of an
uploaded file is shown, never obeyed). ``masks`` ({column position: function}) writes the masked
copy of a report for readers who may not see full identity numbers (see ``queries.report_for``).
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from django.utils.translation import gettext as _

from jiuye.imports.normalise import excel_display, strip_control

REPORT_HEADERS = ["行号", "列", "值", "原因"]
NOTE_HEADERS = ["行号", "列", "值", "说明"]


def _sorted(items) -> list:
    return sorted(items, key=lambda e: (e.row, getattr(e, "col", 0)))  # stable within a cell


def masked_report_name(relative: str) -> str:
    """Where the masked copy of the report at ``relative`` (MEDIA_ROOT-relative) is written."""
    return relative[: -len(".xlsx")] + "-masked.xlsx" if relative.endswith(".xlsx") else relative + "-masked"


def write_error_report(errors: Iterable, path: Path, notes: Iterable = (), masks: dict[int, Callable] | None = None) -> Path:
    """Write ``errors`` (objects with row, column, value, reason) to ``path``; ``notes`` go to a second sheet.

    ``masks``: {column position (``col``): function} applied to the shown value of those columns."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = Workbook(write_only=True)
    for title, headers, items in ((_("错误"), REPORT_HEADERS, errors), (_("提示"), NOTE_HEADERS, notes)):
        items = _sorted(items)
        if title == _("提示") and not items:
            continue
        sheet = workbook.create_sheet(title)
        sheet.column_dimensions["A"].width = 8
        sheet.column_dimensions["B"].width = 18
        sheet.column_dimensions["C"].width = 24
        sheet.column_dimensions["D"].width = 70
        sheet.freeze_panes = "A2"
        from openpyxl.cell import WriteOnlyCell

        bold = Font(bold=True)
        header_cells = []
        for text in headers:
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        for item in items:
            shown = strip_control(excel_display(item.value))
            mask = masks.get(getattr(item, "col", None)) if masks else None
            if mask is not None and shown:
                shown = mask(shown)
            value_cell = WriteOnlyCell(sheet, value=shown)
            value_cell.data_type = "s"  # a cell of an uploaded file never becomes a formula
            sheet.append([item.row, strip_control(str(item.column)), value_cell, strip_control(str(item.reason))])
    workbook.save(path)
    return path
