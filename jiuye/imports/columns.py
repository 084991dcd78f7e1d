"""Columns of an import kind and finding the header row.

Headers are matched ignoring spaces, full-width characters, "*" marks and "（必填）"; each field has a
canonical header and aliases seen in community sheets. The fields of a kind are its importer's
``fields`` (see ``kinds``).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterable

from django.utils.translation import gettext as _

from jiuye.imports import kinds
from jiuye.imports.readers import FileUnusable

IGNORED = "__ignored__"



@dataclass(frozen=True)
class Field:
    """One column an importer reads: its field name, canonical header, aliases and whether it is required.

    ``name`` IGNORED marks columns that are recognised and skipped (序号, 备注 ...).
    """

    name: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False


def F(name: str, header: str, *aliases: str, required: bool = False) -> Field:
    return Field(name, header, aliases, required)


_REQUIRED_MARK = re.compile(r"(\(必填\)|\(选填\)|必填|\*)")
_TRAILING_PAREN = re.compile(r"\([^()]*\)$")


def header_key(value: Any) -> str:
    """Matching key of a header cell: NFKC, no whitespace, no "*"/（必填） marks, no trailing colon."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    text = "".join(text.split())
    text = _REQUIRED_MARK.sub("", text).rstrip(":").casefold()
    return text


def _alias_index(fields: Iterable[Field]) -> dict[str, Field]:
    index: dict[str, Field] = {}
    for field in fields:
        for name in (field.header, *field.aliases):
            index.setdefault(header_key(name), field)
    return index


_INDEXES: dict[tuple[str, int], dict[str, Field]] = {}


def fields_of(kind: str) -> list[Field]:
    return list(kinds.get(kind).fields)


def _index(kind: str) -> dict[str, Field]:
    importer = kinds.get(kind)
    key = (kind, id(importer))
    index = _INDEXES.get(key)
    if index is None:
        index = _INDEXES[key] = _alias_index(importer.fields)
    return index


def match_header(kind: str, cell: Any) -> Field | None:
    index = _index(kind)
    k = header_key(cell)
    if not k:
        return None
    found = index.get(k)
    if found is None:
        stripped = _TRAILING_PAREN.sub("", k)
        if stripped != k:
            found = index.get(stripped)
    return found


@dataclass(frozen=True)
class Column:
    index: int
    header: str  # as written in the file
    field: Field


@dataclass
class Layout:
    kind: str
    header_row: int  # 1-based row number of the header
    columns: list[Column]

    def by_field(self) -> dict[str, Column]:
        return {c.field.name: c for c in self.columns}


class HeaderFinder:
    """Finds the header row among the first rows by matching known headers."""

    scan_rows = 10

    def __init__(self, kind: str):
        self.kind = kind
        self.fields = fields_of(kind)  # raises kinds.UnknownKind
        self.label = kinds.label(kind)

    def _score(self, kind: str, cells: list[Any]) -> int:
        seen = set()
        for cell in cells:
            field = match_header(kind, cell)
            if field is not None and field.name != IGNORED:
                seen.add(field.name)
        return len(seen)

    def looks_like_header(self, rows: list[list[Any]]) -> bool:
        return any(self._score(self.kind, cells) >= 2 for cells in rows)

    def find(self, rows: list[tuple[int, list[Any]]]) -> Layout:
        best: tuple[int, int, list[Any]] | None = None
        for number, cells in rows[: self.scan_rows]:
            score = self._score(self.kind, cells)
            if score >= 2 and (best is None or score > best[0]):
                best = (score, number, cells)
        if best is None:
            raise FileUnusable(
                _("未找到表头：前%(n)d行中没有可识别的列名（%(kind)s导入须有%(cols)s等列）")
                % {"n": self.scan_rows, "kind": self.label, "cols": "、".join(self._required_headers())}
            )
        _score, number, cells = best
        columns: list[Column] = []
        taken: set[str] = set()
        for index, cell in enumerate(cells):
            field = match_header(self.kind, cell)
            if field is None:
                continue
            if field.name != IGNORED:
                if field.name in taken:
                    continue  # a repeated column (or a header merged over two columns): the first one counts
                taken.add(field.name)
            columns.append(Column(index=index, header=" ".join(str(cell).split()), field=field))
        missing = [f.header for f in self.fields if f.required and f.name not in taken]
        if missing:
            message = _("缺少必填列：%(cols)s") % {"cols": "、".join(missing)}
            other = self._better_kind(cells)
            if other:
                message += _("（表头看起来是“%(k)s”导入文件，请检查导入类型）") % {"k": kinds.label(other)}
            raise FileUnusable(message)
        return Layout(kind=self.kind, header_row=number, columns=columns)

    def _required_headers(self) -> list[str]:
        return [f.header for f in self.fields if f.required]

    def _better_kind(self, cells: list[Any]) -> str | None:
        for kind, _label in kinds.choices():
            if kind == self.kind:
                continue
            fields = {f.name for f in fields_of(kind) if f.required}
            matched = {match_header(kind, c).name for c in cells if match_header(kind, c) is not None}
            if fields <= matched:
                return kind
        return None
