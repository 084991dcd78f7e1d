"""Reading .xlsx (python-calamine) and .csv (UTF-8 with/without BOM, GBK/GB18030) into rows.

A reader yields ``(row_number, cells, blank)``: the row number as in the original sheet (1-based),
the raw cell values with merged ranges filled from their top-left cell, and whether the row was
blank before filling (blank rows are skipped).
"""
from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from django.utils.translation import gettext as _

from jiuye.imports.normalise import strip_control


class FileUnusable(Exception):
    """The file cannot be imported at all; the message (Chinese) says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


Row = tuple[int, list[Any], bool]

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}


@dataclass
class Table:
    rows: Iterator[Row]
    total_rows: int  # rows in the sheet (for progress; includes title and header rows)
    format: str  # "xlsx" / "csv"
    sheet_name: str = ""
    encoding: str = ""


def _blank(cells: list[Any]) -> bool:
    for cell in cells:
        if cell is None:
            continue
        if cell.__class__ is str:
            if cell and not cell.isspace():
                return False
        else:
            return False
    return True


def _sniff(path: Path) -> str:
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    return "text"


def open_table(path: Path, header_finder=None, name: str | None = None) -> Table:
    """Open ``path`` by its content (a .csv that is really an .xlsx is read as Excel).

    ``name`` is the file's name as the user knows it (messages name it, never a server's temporary file).
    """
    path = Path(path)
    name = strip_control(name or path.name)
    if not path.exists() or not path.is_file():
        raise FileUnusable(_("文件不存在：%(name)s") % {"name": name})
    try:
        kind = _sniff(path)
    except OSError:
        raise FileUnusable(_("无法读取文件：%(name)s") % {"name": name}) from None
    suffix = path.suffix.lower()
    if kind in ("zip", "ole"):
        if suffix in (".docx", ".doc", ".pptx", ".zip", ".pdf"):
            raise FileUnusable(_("不支持的文件格式“%(s)s”，请上传 .xlsx 或 .csv 文件") % {"s": suffix})
        return _open_excel(path, header_finder, name)
    if suffix in EXCEL_SUFFIXES:
        raise FileUnusable(_("文件“%(name)s”不是有效的Excel文件（可能已损坏，或只是改了扩展名）") % {"name": name})
    if suffix and suffix not in CSV_SUFFIXES:
        raise FileUnusable(_("不支持的文件格式“%(s)s”，请上传 .xlsx 或 .csv 文件") % {"s": suffix})
    return _open_csv(path, name)


# ---------------------------------------------------------------------------------------------
# Excel


def _open_excel(path: Path, header_finder, file_name: str) -> Table:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception:  # noqa: BLE001 - calamine raises several types for damaged files
        raise FileUnusable(_("无法读取Excel文件“%(name)s”（文件可能已损坏或设有密码）") % {"name": file_name}) from None
    names = list(workbook.sheet_names)
    if not names:
        raise FileUnusable(_("Excel文件中没有工作表"))
    chosen = None
    for index, name in enumerate(names):
        try:
            sheet = workbook.get_sheet_by_index(index)
        except Exception:  # noqa: BLE001
            continue
        if sheet.height == 0:
            continue
        if chosen is None:
            chosen = sheet
        if header_finder is None:
            break
        head = [cells for _n, cells, _b in _excel_rows(sheet, limit=header_finder.scan_rows)]
        if header_finder.looks_like_header(head):
            chosen = sheet
            break
    if chosen is None:
        raise FileUnusable(_("Excel文件中没有数据"))
    return Table(rows=_excel_rows(chosen), total_rows=chosen.height, format="xlsx", sheet_name=chosen.name)


def _merged_ranges(sheet) -> dict[int, list[tuple[int, int, int, int]]]:
    try:
        ranges = sheet.merged_cell_ranges or []
    except Exception:  # noqa: BLE001 - not available for every format
        ranges = []
    starts: dict[int, list[tuple[int, int, int, int]]] = {}
    for (r1, c1), (r2, c2) in ranges:
        if r1 == r2 and c1 == c2:
            continue
        starts.setdefault(r1, []).append((r1, c1, r2, c2))
    return starts


def _excel_rows(sheet, limit: int | None = None) -> Iterator[Row]:
    start = sheet.start or (0, 0)
    col_offset = start[1]
    merges = _merged_ranges(sheet)
    active: list[tuple[int, int, int, Any]] = []  # (last row, first col, last col, value)
    for row_index, cells in enumerate(sheet.iter_rows()):
        if limit is not None and row_index >= limit:
            return
        if col_offset:
            cells = [""] * col_offset + cells
        blank = _blank(cells)
        if row_index in merges:
            for r1, c1, r2, c2 in merges[row_index]:
                value = cells[c1] if c1 < len(cells) else ""
                active.append((r2, c1, c2, value))
        if active:
            still = []
            for last_row, c1, c2, value in active:
                if last_row < row_index:
                    continue
                if len(cells) <= c2:
                    cells = cells + [""] * (c2 + 1 - len(cells))
                for col in range(c1, c2 + 1):
                    cells[col] = value
                still.append((last_row, c1, c2, value))
            active = still
        yield row_index + 1, cells, blank


# ---------------------------------------------------------------------------------------------
# CSV


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 with or without BOM, UTF-16 with BOM, else GB18030 (a superset of GBK)."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise FileUnusable(_("无法识别文件编码：CSV文件应为UTF-8或GBK编码")) from None


def _delimiter(sample: str) -> str:
    lines = [line for line in sample.splitlines()[:20] if line.strip()]
    best, best_count = ",", 0
    for candidate in (",", "\t", ";"):
        count = sum(line.count(candidate) for line in lines)
        if count > best_count:
            best, best_count = candidate, count
    return best


def _open_csv(path: Path, name: str) -> Table:
    try:
        data = path.read_bytes()
    except OSError:
        raise FileUnusable(_("无法读取文件：%(name)s") % {"name": name}) from None
    if not data.strip():
        raise FileUnusable(_("文件是空的"))
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileUnusable(_("文件“%(name)s”不是文本格式的CSV文件") % {"name": name})
    text, encoding = decode_text(data)
    del data
    total = text.count("\n") + (0 if text.endswith("\n") else 1)
    delimiter = _delimiter(text[:20000])
    return Table(rows=_csv_rows(text, delimiter), total_rows=total, format="csv", encoding=encoding)


def _csv_rows(text: str, delimiter: str) -> Iterator[Row]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, cells, _blank(cells)
    except csv.Error as exc:
        raise FileUnusable(_("CSV文件格式错误（第%(n)d行附近）：%(e)s") % {"n": reader.line_num, "e": exc}) from None
