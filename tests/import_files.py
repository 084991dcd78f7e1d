"""Helpers that write import test files (.xlsx with openpyxl, .csv in a chosen encoding)."""
from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path
from typing import Any, Iterable, Sequence

from openpyxl import Workbook, load_workbook

PERSON_HEADERS = ["姓名", "公民身份号码", "联系电话", "户籍性质", "所在社区", "居住地址", "文化程度", "毕业时间"]


def write_xlsx(path: Path, rows: Sequence[Sequence[Any]], *, merges: Iterable[str] = (), text_columns: Iterable[int] = (),
               date_format_cells: Iterable[str] = (), sheet_title: str = "Sheet1", extra_sheets: Sequence[str] = ()) -> Path:
    """Write ``rows`` (None = empty cell) to an .xlsx; ``merges`` are ranges such as "A1:H1"."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    for title in extra_sheets:
        workbook.create_sheet(title, 0)["A1"] = "填表说明：请按模板填写"
    text_columns = set(text_columns)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = sheet.cell(row=r, column=c, value=value)
            if c in text_columns and isinstance(value, str):
                cell.number_format = "@"
            if isinstance(value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
    for ref in date_format_cells:
        sheet[ref].number_format = "yyyy/m/d"
    for ref in merges:
        sheet.merge_cells(ref)
    workbook.save(path)
    return path


def write_csv(path: Path, rows: Sequence[Sequence[Any]], *, encoding: str = "utf-8", bom: bool = False) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    data = buffer.getvalue().encode(encoding)
    if bom:
        data = "\ufeff".encode("utf-8") + data
    Path(path).write_bytes(data)
    return Path(path)


def read_report(path: Path) -> list[tuple]:
    """Rows of the error report's first sheet, without the header: (行号, 列, 值, 原因)."""
    workbook = load_workbook(path, read_only=True)
    sheet = workbook.worksheets[0]
    rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ("行号", "列", "值", "原因")
    return rows[1:]


def read_notes(path: Path) -> list[tuple]:
    workbook = load_workbook(path, read_only=True)
    if len(workbook.worksheets) < 2:
        return []
    return [tuple(r) for r in workbook.worksheets[1].iter_rows(values_only=True)][1:]


def full_width(text: str) -> str:
    """ASCII digits and letters to their full-width forms (as typed with a Chinese input method)."""
    return "".join(chr(ord(ch) + 0xFEE0) if ch.isascii() and ch.isalnum() else ch for ch in text)
