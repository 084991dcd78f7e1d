"""Parameter files: reading, validating (every mistake with file and line), nothing half-loaded.

A file holds the dated values of one jurisdiction (format: docs/parameters.md)::

    jurisdiction: "610102"          # region code (significant digits or 12 digits), or national
    name: 西安市新城区               # optional, for people
    parameters:
      registry.long_term_unemployed_months:
        - since: open               # older than the documents at hand
          value: 12
          basis: {document: 新政发〔2020〕28号, article: （十五）}
        - since: 2021-01-01         # a later value ends the one before it
          until: 2022-12-31         # optional last day (inclusive)
          value: 6
          basis: {document: ..., article: ...}

``validate(sources)`` returns every mistake as a ``FileError`` (path, line, message) and is what
``jiuye params check`` and other apps' pack checks call; ``read(sources)`` returns the values only
when there is no mistake at all, and raises ``ParameterFilesInvalid`` with the whole list otherwise.
"""
from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Union

import yaml

from jiuye.parameters.schema import SCHEMA, Schema, ValueTypeError, type_label
from jiuye.regions.codes import pad, significant_prefix

NATIONAL = ""  # the jurisdiction code of national values (the root of every chain)
NATIONAL_NAMES = {"national", "全国", "cn", "CN"}
OPEN = "open"
FILE_FIELDS = {"jurisdiction", "name", "parameters"}
PERIOD_FIELDS = {"since", "until", "value", "basis", "note"}
BASIS_FIELDS = {"document", "article", "note"}
PATTERNS = ("*.yaml", "*.yml")

#: Sections other apps add to the file format (a policy pack adds ``pack`` and ``policies``): name → handler.
#: A handler is called as ``handler(reader, path, jurisdiction, name, top)`` (``top``: {field: (key node,
#: value node)} of the file), reports mistakes with ``reader.error(path, node, message)`` and returns what it
#: read (kept in ``reader.sections[first field]``). Files are then checked by the same validator everywhere.
SECTIONS: dict[tuple[str, ...], Any] = {}


def register_section(fields: tuple[str, ...], handler) -> None:
    SECTIONS[tuple(fields)] = handler


def section_fields() -> set[str]:
    return {name for fields in SECTIONS for name in fields}


@dataclass(frozen=True)
class Source:
    """Parameter file text that does not (or not yet) live in a file; ``name`` stands for its path."""

    name: str
    text: str


SourceLike = Union[str, Path, Source]


@dataclass(frozen=True)
class FileError:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Basis:
    """Legal basis of a value: the document (文号) and its article (条款); for an old value replaced
    by a document, that document's article that names it."""

    document: str
    article: str
    note: str = ""

    def __str__(self) -> str:
        text = f"{self.document} {self.article}"
        return f"{text}（{self.note}）" if self.note else text


@dataclass(frozen=True)
class DatedValue:
    """One value of one key in one jurisdiction for one period, as written in a file."""

    jurisdiction: str
    key: str
    since: datetime.date | None  # None: open start (older than the documents at hand)
    until: datetime.date | None  # inclusive last day as written; None: until the next value, or open
    value: Any
    basis: Basis
    note: str
    path: str
    line: int
    jurisdiction_name: str = ""

    @property
    def source(self) -> str:
        return f"{self.path}:{self.line}"


class ParameterFilesInvalid(Exception):
    """Parameter files with mistakes: nothing of them was loaded."""

    def __init__(self, errors: list[FileError]):
        self.errors = errors
        lines = "\n".join(str(e) for e in errors[:20])
        more = f"\n…共 {len(errors)} 处错误" if len(errors) > 20 else ""
        super().__init__(f"参数文件有 {len(errors)} 处错误，未加载任何参数：\n{lines}{more}")


def jurisdiction_code(raw: Any) -> str:
    """The jurisdiction's code as used for resolution: significant digits of the region code, or
    ``NATIONAL`` (""). Raises ValueError for anything else."""
    text = str(raw).strip() if raw is not None else ""
    if text in NATIONAL_NAMES:
        return NATIONAL
    if not text.isdigit() or len(text) not in (2, 4, 6, 9, 12) or text.startswith("00"):
        raise ValueError(text)
    return significant_prefix(pad(text))


def expand(sources: Iterable[SourceLike]) -> list[SourceLike]:
    """Directories become their .yaml/.yml files (recursively, sorted); files and texts stay."""
    out: list[SourceLike] = []
    for source in sources:
        if isinstance(source, Source):
            out.append(source)
            continue
        path = Path(source)
        if path.is_dir():
            found = sorted({p for pattern in PATTERNS for p in path.rglob(pattern)})
            out.extend(found)
        else:
            out.append(path)
    return out


class _Reader:
    """Walks the YAML node tree (line numbers come from the nodes) and collects values and mistakes."""

    def __init__(self, schema: Schema):
        self.schema = schema
        self.errors: list[FileError] = []
        self.values: list[DatedValue] = []
        # Every period whose dates are readable, valid or not otherwise: overlaps are reported even
        # when the same file has other mistakes.
        self.periods: list[tuple[str, str, datetime.date | None, datetime.date | None, str, int]] = []
        self.constructor = yaml.constructor.SafeConstructor()
        self.sections: dict[str, list] = defaultdict(list)

    def error(self, path: str, node_or_line, message: str) -> None:
        line = node_or_line if isinstance(node_or_line, int) else node_or_line.start_mark.line + 1
        self.errors.append(FileError(path, line, message))

    def construct(self, node) -> Any:
        self.constructor.constructed_objects = {}
        self.constructor.recursive_objects = {}
        return self.constructor.construct_object(node, deep=True)

    def mapping(self, path: str, node, what: str, allowed: set[str] | None) -> dict[str, tuple[Any, Any]] | None:
        """{field: (key_node, value_node)} of a mapping node; reports duplicates and unknown fields."""
        if not isinstance(node, yaml.MappingNode):
            self.error(path, node, f"{what}应为键值映射")
            return None
        out: dict[str, tuple[Any, Any]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(path, key_node, f"{what}中的键应为文字")
                continue
            name = str(key_node.value)
            if name in out:
                self.error(path, key_node, f"重复的键“{name}”（第 {out[name][0].start_mark.line + 1} 行已有）")
                continue
            if allowed is not None and name not in allowed:
                self.error(path, key_node, f"{what}中有未知字段“{name}”（可用：{'、'.join(sorted(allowed))}）")
                continue
            out[name] = (key_node, value_node)
        return out

    def read_source(self, source: SourceLike) -> None:
        if isinstance(source, Source):
            path, text = source.name, source.text
        else:
            path = str(source)
            try:
                text = Path(source).read_text(encoding="utf-8")
            except FileNotFoundError:
                self.error(path, 1, "文件不存在")
                return
            except (OSError, UnicodeDecodeError) as exc:
                self.error(path, 1, f"无法读取文件（须为 UTF-8 文本）：{exc}")
                return
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            self.error(path, (mark.line + 1) if mark else 1, f"YAML 语法错误：{exc.problem or exc}")
            return
        except yaml.YAMLError as exc:
            self.error(path, 1, f"YAML 语法错误：{exc}")
            return
        if root is None:
            self.error(path, 1, "文件为空")
            return
        top = self.mapping(path, root, "文件", FILE_FIELDS | section_fields())
        if top is None:
            return
        if "jurisdiction" not in top:
            self.error(path, root, "缺少辖区（jurisdiction）：写区划代码，如 \"6101\"，或 national（全国）")
            return
        j_node = top["jurisdiction"][1]
        try:
            jurisdiction = jurisdiction_code(j_node.value if isinstance(j_node, yaml.ScalarNode) else None)
        except ValueError:
            self.error(path, j_node, f"辖区“{getattr(j_node, 'value', '')}”不是区划代码（2/4/6/9/12 位数字）或 national")
            return
        name = ""
        if "name" in top:
            name = str(self.construct(top["name"][1]) or "")
        extra = [(fields, handler) for fields, handler in SECTIONS.items() if any(f in top for f in fields)]
        if "parameters" not in top and not extra:
            self.error(path, root, "缺少参数（parameters）")
            return
        if "parameters" in top:
            params = self.mapping(path, top["parameters"][1], "参数表", None)
            for key, (key_node, periods_node) in (params or {}).items():
                self.read_key(path, jurisdiction, name, key, key_node, periods_node)
        for fields, handler in extra:
            result = handler(self, path, jurisdiction, name, top)
            if result is not None:
                self.sections[fields[0]].append(result)

    def read_key(self, path, jurisdiction, name, key, key_node, periods_node) -> None:
        parameter = self.schema.get(key)
        if parameter is None:
            hint = "（这是一组参数的前缀，请写完整的键）" if self.schema.is_section(key) else ""
            self.error(path, key_node, f"未知参数“{key}”{hint}：参数须先在参数表（schema）中声明")
            return
        if not isinstance(periods_node, yaml.SequenceNode) or not periods_node.value:
            self.error(path, periods_node, f"参数“{key}”应为取值列表（每项含 since、value、basis）")
            return
        for item in periods_node.value:
            fields = self.mapping(path, item, f"参数“{key}”的取值", PERIOD_FIELDS)
            if fields is None:
                continue
            ok = True
            since = until = None
            if "since" not in fields:
                self.error(path, item, f"参数“{key}”的取值缺少生效日期（since）；早于现有文件的值写 since: open")
                ok = False
            else:
                since, good = self.date(path, fields["since"][1], "生效日期（since）", allow_open=True)
                ok &= good
            if "until" in fields:
                until, good = self.date(path, fields["until"][1], "截止日期（until）", allow_open=False)
                ok &= good
                if good and until is None:
                    ok = False
            if ok and since is not None and until is not None and until < since:
                self.error(path, fields["until"][1], f"截止日期 {until} 早于生效日期 {since}")
                ok = False
            if ok:
                self.periods.append((jurisdiction, key, since, until, path, item.start_mark.line + 1))
            value = None
            if "value" not in fields:
                self.error(path, item, f"参数“{key}”的取值缺少值（value）")
                ok = False
            else:
                value_node = fields["value"][1]
                try:
                    raw = self.construct(value_node)
                    value = parameter.coerce(raw)
                except ValueTypeError as exc:
                    self.error(path, value_node, f"参数“{key}”（{type_label(parameter.type)}）的值有误：{exc}")
                    ok = False
                except (ValueError, yaml.YAMLError) as exc:
                    self.error(path, value_node, f"参数“{key}”的值无法解析：{exc}")
                    ok = False
            basis = self.basis(path, key, item, fields.get("basis"))
            ok &= basis is not None
            note = ""
            if "note" in fields:
                note = str(self.construct(fields["note"][1]) or "")
            if ok:
                self.values.append(DatedValue(
                    jurisdiction=jurisdiction, key=key, since=since, until=until, value=value, basis=basis,
                    note=note, path=path, line=item.start_mark.line + 1, jurisdiction_name=name,
                ))

    def date(self, path, node, what, *, allow_open) -> tuple[datetime.date | None, bool]:
        if isinstance(node, yaml.ScalarNode) and node.value == OPEN:
            if allow_open:
                return None, True
            self.error(path, node, f"{what}不能写 open；没有截止日期就不写 until")
            return None, False
        raw = node.value if isinstance(node, yaml.ScalarNode) else None
        try:
            value = self.construct(node) if isinstance(node, yaml.ScalarNode) else None
        except ValueError:
            value = None
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value, True
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value.strip()), True
            except ValueError:
                pass
        self.error(path, node, f"{what}“{raw if raw is not None else ''}”无法解析为日期（应为 YYYY-MM-DD）")
        return None, False

    def basis(self, path, key, item, entry) -> Basis | None:
        if entry is None:
            self.error(path, item, f"参数“{key}”的取值缺少法律依据（basis：document 文号、article 条款）")
            return None
        node = entry[1]
        if not isinstance(node, yaml.MappingNode):
            self.error(path, node, "法律依据（basis）须分写文号（document）和条款（article）")
            return None
        fields = self.mapping(path, node, "法律依据（basis）", BASIS_FIELDS)
        if fields is None:
            return None
        parts = {}
        for name, label in (("document", "文号（document）"), ("article", "条款（article）")):
            value = self.construct(fields[name][1]) if name in fields else None
            if value is None or not str(value).strip():
                self.error(path, fields[name][1] if name in fields else node, f"法律依据缺少{label}")
                return None
            parts[name] = str(value).strip()
        note = str(self.construct(fields["note"][1]) or "") if "note" in fields else ""
        return Basis(parts["document"], parts["article"], note)

    def check_overlaps(self) -> None:
        """Periods of one key in one jurisdiction may not overlap (also across files). A value without
        ``until`` ends the day before the next value starts, so only an equal start or a written
        ``until`` reaching into the next period overlaps."""
        by_slot: dict[tuple[str, str], list[tuple]] = defaultdict(list)
        for period in self.periods:
            by_slot[period[:2]].append(period)
        for slot_periods in by_slot.values():
            ordered = sorted(slot_periods, key=lambda p: (p[2] is not None, p[2] or datetime.date.min, p[4], p[5]))
            for before, after in zip(ordered, ordered[1:]):
                (_, key, since_a, until_a, path_a, line_a), (_, _, since_b, until_b, path_b, line_b) = before, after
                if since_a == since_b or (until_a is not None and until_a >= since_b):
                    where = f"第 {line_a} 行" if path_a == path_b else f"{path_a}:{line_a}"
                    self.error(path_b, line_b, (
                        f"参数“{key}”的时段与{where}重叠"
                        f"（{period_text(since_a, until_a)} 与 {period_text(since_b, until_b)}）"
                    ))


def period_text(since: datetime.date | None, until: datetime.date | None) -> str:
    if since is None:
        return "始于现有文件之前" + ("" if until is None else f"，至{until.isoformat()}")
    return f"{since.isoformat()}起" if until is None else f"{since.isoformat()}至{until.isoformat()}"


def collect(sources: Iterable[SourceLike], schema: Schema | None = None) -> _Reader:
    """Read these sources as one set: the result has ``values`` (the valid ones) and ``errors``."""
    reader = _Reader(schema or SCHEMA)
    for source in expand(sources):
        reader.read_source(source)
    reader.check_overlaps()
    reader.errors.sort(key=lambda e: (e.path, e.line))
    return reader


def validate(sources: Iterable[SourceLike], schema: Schema | None = None) -> list[FileError]:
    """Every mistake in these files (paths, directories or ``Source`` texts), checked as one set:
    unknown key, wrong type, unparsable date, end before start, missing legal basis, overlapping
    periods (also across files). An empty list means the files are valid."""
    return collect(sources, schema).errors


def read(sources: Iterable[SourceLike], schema: Schema | None = None) -> list[DatedValue]:
    """The dated values of these files, or ``ParameterFilesInvalid`` with every mistake."""
    reader = collect(sources, schema)
    if reader.errors:
        raise ParameterFilesInvalid(reader.errors)
    return reader.values
