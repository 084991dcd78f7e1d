"""Validated types for the API's schemas and parameters (a utility outside the floors).

Every value the API accepts is one of these, so a bad number, date or character is a 422 with a
Chinese message naming the field and the value (``jiuye/api.py`` words pydantic's errors), never a
500 from the database: PostgreSQL refuses NUL in text and integers beyond 64 bits, SQLite overflows
on huge offsets, date arithmetic overflows near year 1 and 9999. ``tests/test_api_input.py`` walks
every operation of the API and requires each str, int and date it accepts to carry these bounds.

    q: SearchText = ""                      text filter (single line, at most 100 characters)
    region: RegionCodeFilter = ""           "", or 2 to 12 digits
    on: ApiDate | None = None               1900-01-01 … 2100-12-31
    limit: Limit = 50 / offset: Offset = 0  page size 1 … 500, offset 0 … 10⁸
    person_id: RecordId                     1 … 2⁶³−1
    name: text(64) / address: text(200, multiline=True)
"""
from __future__ import annotations

import datetime
import re
from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

MIN_DATE = datetime.date(1900, 1, 1)
MAX_DATE = datetime.date(2100, 12, 31)
MAX_OFFSET = 100_000_000  # the same bound as jiuye.paging.MAX_OFFSET
MAX_LIMIT = 500
MAX_ID = 2**63 - 1  # a 64-bit primary key (BigAutoField) on SQLite and PostgreSQL

# C0 controls (NUL included), DEL, C1 controls, and lone surrogates (not encodable as UTF-8).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")  # keeps \t \n \r


def _no_control(pattern: re.Pattern):
    def check(value: str) -> str:
        if pattern.search(value):
            raise PydanticCustomError("control_character", "含有控制字符或无效字符")
        return value

    check.jiuye_text = True  # marker looked for by tests/test_api_input.py
    return check


_single_line = _no_control(_CONTROL)
_multi_line = _no_control(_CONTROL_MULTILINE)


def text(max_length: int, *, multiline: bool = False, min_length: int = 0):
    """A str of at most ``max_length`` characters without control characters (tab and line breaks
    allowed when ``multiline``)."""
    return Annotated[str, Field(max_length=max_length, min_length=min_length),
                     AfterValidator(_multi_line if multiline else _single_line)]


def _region_code(value: str) -> str:
    value = value.strip()
    if value and (not value.isdigit() or not 2 <= len(value) <= 12):
        raise PydanticCustomError("region_code", "不是有效的区划代码（2至12位数字）")
    return value


_region_code.jiuye_text = True


def reject_null(value):
    """For optional fields of a PATCH whose column cannot be null: absent means "unchanged", null is refused."""
    if value is None:
        raise PydanticCustomError("null", "不能为 null（不修改请省略该字段，清空文字请用空字符串）")
    return value

SearchText = text(100)
RegionCodeFilter = Annotated[str, Field(max_length=12), AfterValidator(_region_code)]
RegionCode = Annotated[str, Field(max_length=12), AfterValidator(_region_code)]
ApiDate = Annotated[datetime.date, Field(ge=MIN_DATE, le=MAX_DATE)]
Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT)]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]
RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]
SmallInt = Annotated[int, Field(ge=0, le=10_000)]


# ---------------------------------------------------------------------------------------------
# pydantic's errors in Chinese (used by jiuye/api.py for every 422)

_REASONS = {
    "missing": "必须填写",
    "int_parsing": "应为整数", "int_type": "应为整数", "int_from_float": "应为整数",
    "float_parsing": "应为数字", "float_type": "应为数字", "decimal_parsing": "应为数字",
    "bool_parsing": "应为 true 或 false", "bool_type": "应为 true 或 false",
    "greater_than_equal": "应不小于 {ge}", "greater_than": "应大于 {gt}",
    "less_than_equal": "应不大于 {le}", "less_than": "应小于 {lt}",
    "string_too_long": "不能超过 {max_length} 个字符", "string_too_short": "至少 {min_length} 个字符",
    "string_type": "应为文字", "string_unicode": "应为文字",
    "date_parsing": "应为日期（YYYY-MM-DD）", "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_inexact": "应为日期（YYYY-MM-DD）", "date_type": "应为日期（YYYY-MM-DD）",
    "datetime_parsing": "应为日期时间", "datetime_type": "应为日期时间",
    "datetime_from_date_parsing": "应为日期时间",
    "json_invalid": "不是有效的 JSON", "json_type": "不是有效的 JSON",
    "model_attributes_type": "应为 JSON 对象", "model_type": "应为 JSON 对象", "dict_type": "应为 JSON 对象",
    "list_type": "应为列表", "literal_error": "应为以下之一：{expected}", "enum": "应为以下之一：{expected}",
    "too_long": "项数过多（至多 {max_length} 项）", "extra_forbidden": "不是可接受的字段",
}


def _shown(value, limit: int = 40) -> str:
    text = value if isinstance(value, str) else str(value)
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else "\\u%04x" % ord(m.group()), text)
    return text if len(text) <= limit else text[:limit] + "…"


def field_name(loc: tuple | list) -> str:
    """The field as the client named it: ``offset``, ``replacement.effective_date`` (the source, and
    for a body the handler's argument name, are left out)."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"query", "path", "body", "form", "file", "header", "cookie"}:
        source, parts = parts[0], parts[1:]
        if source == "body" and len(parts) > 1:
            parts = parts[1:]
    return ".".join(parts) or "请求"


def chinese_error(error: dict) -> dict:
    """One pydantic error (``type``, ``loc``, ``ctx``, ``input``) as the API reports it: the field,
    the value received (shortened, control characters escaped) and a reason in Chinese."""
    field = field_name(error.get("loc", ()))
    kind = error.get("type", "")
    ctx = {k: _shown(v, 200) for k, v in (error.get("ctx") or {}).items()}
    template = _REASONS.get(kind)
    if template is None:
        reason = error.get("msg", "") if kind in {"control_character", "region_code", "null"} else ""
        reason = reason or (ctx.get("error") if kind == "value_error" else "") or f"无效（{kind}）"
    else:
        try:
            reason = template.format(**ctx)
        except (KeyError, IndexError):
            reason = template
    out = {"type": kind, "loc": list(error.get("loc", ())), "field": field}
    if kind in {"missing", "null"} or "input" not in error:
        out["msg"] = f"“{field}”{reason}"
    else:
        shown = _shown(error["input"]) if isinstance(error["input"], (str, int, float, bool, datetime.date)) else "…"
        out["input"] = shown
        out["msg"] = f"“{field}”的值“{shown}”无效：{reason}"
    return out
