"""Turning the cells of real community sheets into clean values.

Every converter takes one cell (a ``str`` already cleaned by ``clean``, or a native value the Excel
reader produced: float, int, bool, date, datetime) and returns the value for the model field, or
raises ``CellError`` with a Chinese reason. Converters never see blank cells.
"""
from __future__ import annotations

import datetime
import re
import unicodedata
from typing import Any, Callable, Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy



class CellError(ValueError):
    """A Chinese reason why one cell cannot be used."""


_normalize = unicodedata.normalize


def clean(value: Any) -> Any:
    """Full-width to half-width (NFKC), stray spaces (incl. U+3000, NBSP) collapsed; non-strings unchanged.

    Returns "" for blank cells. Strings stay strings; numbers, dates and booleans from Excel are kept.
    """
    if value.__class__ is str:
        if not value.isascii():
            value = _normalize("NFKC", value)
        return " ".join(value.split())
    if value is None:
        return ""
    return value


# The characters ``str.split()`` splits on that NFKC leaves as they are (NFKC turns the others, such as
# NBSP and U+3000, into a plain space): a row without any of them needs no splitting.
_WHITESPACE = (" ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", "\x85", "\u1680", "\u2028",
               "\u2029")


def clean_cells(cells: list[Any]) -> list[Any]:
    """``clean`` applied to every cell of a row; one pass over the joined text when all cells are text.

    A NUL inside a cell would split it in two and shift the cells after it: such a row is cleaned
    cell by cell (and the cell is rejected by ``control_cells``)."""
    try:
        joined = "\x00".join(cells)
    except TypeError:  # numbers, dates from Excel
        return [clean(c) for c in cells]
    if not joined.isascii():
        joined = _normalize("NFKC", joined)
    parts = joined.split("\x00")
    if len(parts) != len(cells):
        return [clean(c) for c in cells]
    for ws in _WHITESPACE:
        if ws in joined:
            return [" ".join(c.split()) for c in parts]
    return parts


# Control characters no sheet means to hold (tab, line feed and carriage return are ordinary
# whitespace in a cell; everything else below U+0020, and DEL). openpyxl refuses them in a cell, a
# terminal or a log would act on them, and NUL splits a row.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_REASON = gettext_lazy("单元格含有不可见的控制字符（如从其他系统复制时带入），请删除后重新导入")


def control_cells(cells: list[Any]) -> list[int]:
    """The positions of the text cells of a row that hold a control character (usually none: one search)."""
    try:
        if _CONTROL.search("".join(cells)) is None:
            return []
    except TypeError:  # numbers, dates from Excel
        pass
    return [i for i, c in enumerate(cells) if c.__class__ is str and _CONTROL.search(c) is not None]


def control_rows(rows: list[list[Any]]) -> list[int]:
    """The positions of the rows holding a control character in a text cell (one search per chunk)."""
    try:
        if _CONTROL.search("".join([c for cells in rows for c in cells])) is None:
            return []
    except TypeError:
        pass
    return [i for i, cells in enumerate(rows) if control_cells(cells)]


def strip_control(value: Any) -> Any:
    """``value`` without control characters (what the report and messages may show of a cell)."""
    if isinstance(value, str):
        return _CONTROL.sub("", value)
    return value


def is_blank(value: Any) -> bool:
    return value is None or (value.__class__ is str and not value.strip())


def squeeze(value: str) -> str:
    """All whitespace removed (for codes, numbers, names)."""
    return "".join(value.split())


def key(value: Any) -> str:
    """A matching key for headers and choice labels: NFKC, no spaces, case-folded."""
    return squeeze(_normalize("NFKC", str(value))).casefold()


def excel_display(value: Any) -> str:
    """A cell value shown the way a spreadsheet shows it (for the error report)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e11:
            return str(int(value))
        if abs(value) >= 1e11:
            mantissa, exponent = f"{value:.5E}".split("E")
            mantissa = mantissa.rstrip("0").rstrip(".")
            return f"{mantissa}E+{int(exponent):02d}"
        return repr(value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S") if value.time() != datetime.time() else value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _number_text(value: Any) -> str | None:
    """An Excel number cell as text without a spurious ".0" (None if it is not a number)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return None


def as_text(value: Any) -> str:
    """Any cell as text (numbers without ".0", dates ISO)."""
    if value.__class__ is str:
        return value
    number = _number_text(value)
    if number is not None:
        return number
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


# ---------------------------------------------------------------------------------------------
# Text


def text(max_length: int, *, label: str) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        if value.__class__ is not str:
            value = as_text(value)
        if len(value) > max_length:
            raise CellError(_("%(label)s过长（最多%(n)d个字，实际%(m)d个字）") % {"label": label, "n": max_length, "m": len(value)})
        return value

    return convert


_CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])")
_HAS_DIGIT = re.compile(r"\d").search


def person_name(value: Any) -> str:
    """A person's name: spaces between Chinese characters removed ("张 三" -> "张三"); no digits."""
    value = name_text(value)
    if _HAS_DIGIT(value):
        raise CellError(_("姓名中不能含有数字"))
    return value


def name_text(value: Any) -> str:
    """A name to compare with a stored record (spaces between Chinese characters removed)."""
    if value.__class__ is not str:
        value = as_text(value)
    if " " in value:
        value = _CJK_SPACE.sub("", value)
    if len(value) > 64:
        raise CellError(_("姓名过长（最多64个字）"))
    return value


_LIST_SPLIT = re.compile(r"[、,;/|\n]+")


def text_list(max_items: int = 50, max_length: int = 64, *, label: str) -> Callable[[Any], list[str]]:
    """技能特长 / 证书: split on 、,，;；/ (NFKC has already made the full-width ones half-width)."""

    def convert(value: Any) -> list[str]:
        if value.__class__ is str and len(value) <= max_length and _LIST_SPLIT.search(value) is None:
            return [value]
        items = [p.strip() for p in _LIST_SPLIT.split(as_text(value))]
        items = list(dict.fromkeys(p for p in items if p))
        if len(items) > max_items:
            raise CellError(_("%(label)s最多%(n)d项") % {"label": label, "n": max_items})
        for item in items:
            if len(item) > max_length:
                raise CellError(_("%(label)s“%(v)s”过长（每项最多%(n)d个字）") % {"label": label, "v": item, "n": max_length})
        return items

    return convert


# ---------------------------------------------------------------------------------------------
# Numbers


_INT_TEXT = re.compile(r"^(\d+)(?:\.0+)?$")
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def integer(low: int, high: int, *, label: str, suffixes: tuple[str, ...] = ()) -> Callable[[Any], int]:
    def convert(value: Any) -> int:
        if isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, int) and not isinstance(value, bool):
            number = value
        else:
            raw = squeeze(as_text(value)).replace(",", "")
            for suffix in suffixes:
                if raw.endswith(suffix) and len(raw) > len(suffix):
                    raw = raw[: -len(suffix)]
                    break
            if raw in _CN_DIGITS:
                number = _CN_DIGITS[raw]
            else:
                match = _INT_TEXT.match(raw)
                if not match:
                    raise CellError(_("%(label)s“%(v)s”不是整数") % {"label": label, "v": as_text(value)})
                number = int(match.group(1))
        if not low <= number <= high:
            raise CellError(_("%(label)s应在%(lo)d到%(hi)d之间") % {"label": label, "lo": low, "hi": high})
        return number

    return convert


_WAGE = re.compile(r"^(\d+(?:\.\d+)?)(万|千|k|K)?(?:元)?(?:[-~至到](\d+(?:\.\d+)?)(万|千|k|K)?元?)?(?:元|/月|元/月)*$")


_wage_cache: dict[str, int] = {}


def wage(value: Any) -> int:
    """期望月薪: "3000", "3000元", "3000-5000" (the lower bound is stored), "3千", "1.2万"."""
    if value.__class__ is str:
        cached = _wage_cache.get(value)
        if cached is not None:
            return cached
        result = _wage(value)
        if len(_wage_cache) < 10_000:
            _wage_cache[value] = result
        return result
    return _wage(value)


def _wage(value: Any) -> int:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    else:
        raw = squeeze(as_text(value)).replace(",", "")
        if raw in {"面议", "不限"}:
            raise CellError(_("期望月薪“%(v)s”不是金额，不限请留空") % {"v": raw})
        match = _WAGE.match(raw)
        if not match:
            raise CellError(_("期望月薪“%(v)s”不是金额（如3000或3000-5000）") % {"v": raw})
        number = float(match.group(1)) * {"万": 10000, "千": 1000, "k": 1000, "K": 1000}.get(match.group(2) or "", 1)
    if not 0 <= number <= 1_000_000:
        raise CellError(_("期望月薪应在0到1000000元之间"))
    return int(round(number))


# ---------------------------------------------------------------------------------------------
# Yes / no


_TRUE = {"是", "有", "y", "yes", "√", "✓", "✔", "1", "true", "对", "t"}
_FALSE = {"否", "无", "n", "no", "×", "✗", "✘", "0", "false", "没有", "不是", "f", "-"}


_YES_NO = {**{w: True for w in _TRUE}, **{w: False for w in _FALSE}}
_YES_NO.update({w.upper(): v for w, v in list(_YES_NO.items())})


def yes_no(label: str) -> Callable[[Any], bool]:
    def convert(value: Any) -> bool:
        found = _YES_NO.get(value)
        if found is not None:
            return found
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)) and value in (0, 1):
            return bool(value)
        raw = squeeze(as_text(value)).casefold()
        if raw in _TRUE:
            return True
        if raw in _FALSE:
            return False
        raise CellError(_("%(label)s“%(v)s”无法识别，请填“是”或“否”") % {"label": label, "v": as_text(value)})

    return convert


# ---------------------------------------------------------------------------------------------
# Dates

_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_DATE_SEP = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_MONTH_ONLY = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_COMPACT_MONTH = re.compile(r"^(\d{4})(\d{2})$")
_SERIAL = re.compile(r"^\d{1,5}(?:\.0+)?$")
_date_cache: dict[tuple[str, bool], datetime.date] = {}


def _from_serial(serial: float) -> datetime.date:
    if not 1 <= serial < 2958466:
        raise CellError(_("日期“%(v)s”无法识别") % {"v": excel_display(serial)})
    return _EXCEL_EPOCH + datetime.timedelta(days=int(serial))


def _make_date(y: str, m: str, d: str, raw: str) -> datetime.date:
    try:
        return datetime.date(int(y), int(m), int(d))
    except ValueError:
        raise CellError(_("日期“%(v)s”不存在") % {"v": raw}) from None


def parse_date(value: Any, *, month_precision: bool = False) -> datetime.date:
    """2020年3月5日, 2020.3.5, 2020-03-05, 2020/3/5, 20200305, Excel serial numbers and date cells.

    With ``month_precision`` a year and month alone ("2020年7月", "2020.07", "202007") give the first of
    the month (graduation dates are often written that way).
    """
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        raise CellError(_("日期“%(v)s”无法识别") % {"v": excel_display(value)})
    if isinstance(value, (int, float)):
        if 19000101 <= value <= 29991231 and float(value).is_integer():
            return parse_date(str(int(value)), month_precision=month_precision)
        if month_precision and 190001 <= value <= 299912 and float(value).is_integer():
            return parse_date(str(int(value)), month_precision=True)
        return _from_serial(float(value))
    raw = as_text(value)
    cached = _date_cache.get((raw, month_precision))
    if cached is not None:
        return cached
    s = raw.strip()
    match = _DATE_SEP.match(s) or _COMPACT.match(s)
    if match:
        result = _make_date(*match.groups(), raw)
    elif month_precision and (match := (_MONTH_ONLY.match(s) or _COMPACT_MONTH.match(s))):
        result = _make_date(match.group(1), match.group(2), "1", raw)
    elif _SERIAL.match(s):
        result = _from_serial(float(s))
    else:
        raise CellError(_("日期“%(v)s”无法识别（可写作2020-03-05、2020年3月5日、2020.3.5、20200305）") % {"v": raw})
    if result.year < 1900:
        raise CellError(_("日期“%(v)s”不合理") % {"v": raw})
    if len(_date_cache) < 100_000:
        _date_cache[(raw, month_precision)] = result
    return result


def date_converter(*, month_precision: bool = False) -> Callable[[Any], datetime.date]:
    def convert(value: Any) -> datetime.date:
        return parse_date(value, month_precision=month_precision)

    return convert


# ---------------------------------------------------------------------------------------------
# Choices


class Choice:
    """A choice field matched by label, code or alias; ``label`` names the column in messages."""

    def __init__(self, choices, label: str, aliases: dict[str, Iterable[str]] | None = None):
        self.label = label
        self.labels = [str(lbl) for _code, lbl in choices]
        self.codes = {code for code, _lbl in choices}
        self.lookup: dict[str, str] = {}
        for code, lbl in choices:
            self.lookup[key(code)] = code
            self.lookup[key(lbl)] = code
        for code, words in (aliases or {}).items():
            for word in words:
                self.lookup.setdefault(key(word), code)
        # Cleaned cells usually match a label or alias exactly.
        self.exact: dict[Any, str] = {}
        for code, lbl in choices:
            self.exact[str(lbl)] = code
            self.exact[str(code)] = code
        for code, words in (aliases or {}).items():
            for word in words:
                self.exact.setdefault(_normalize("NFKC", word), code)

    def __call__(self, value: Any) -> str:
        found = self.exact.get(value)
        if found is not None:
            return found
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        found = self.lookup.get(key(value))
        if found is None:
            raise CellError(
                _("%(label)s“%(v)s”无法识别，可填：%(options)s")
                % {"label": self.label, "v": as_text(value), "options": "、".join(self.labels)}
            )
        return found


_SCIENTIFIC = re.compile(r"^\d(?:\.\d+)?E\+?\d+$", re.IGNORECASE)


def excel_mangled_number_reason(value: Any, label: str) -> str | None:
    """A Chinese reason when Excel has turned a long identifier into a number that lost digits."""
    if isinstance(value, (float, int)) and not isinstance(value, bool):
        return _("%(label)s被Excel存成了数字（显示为%(v)s），后几位已丢失；请将该列设为“文本”格式后重新填写") % {
            "label": label, "v": excel_display(value)}
    if value.__class__ is str and _SCIENTIFIC.match(squeeze(value)):
        return _("%(label)s“%(v)s”是科学计数法，Excel已丢失后几位数字；请将该列设为“文本”格式后重新填写") % {
            "label": label, "v": value}
    return None
