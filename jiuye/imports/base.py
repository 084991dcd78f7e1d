"""What every import kind shares: the run context, row errors, converting a row, writing in chunks.

An import kind is a subclass of ``Importer`` registered with ``jiuye.imports.kinds.register``; see
docs/imports.md for a short example.
"""
from __future__ import annotations

import datetime
import re
import threading
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiuye.imports.columns import IGNORED, Column, Field, Layout
from jiuye.imports.db import AuditWriter
from jiuye.imports.lookups import NeedsDatabase, RegionIndex, Scope
from jiuye.imports.normalise import CONTROL_REASON, CellError, clean, clean_cells, control_cells, strip_control

#: What an import says about a record that exists outside the importer's scope: nothing more (not
#: where it lies, not its name, not whether the other cells match it).
OUT_OF_SCOPE_REASON = gettext_lazy("该记录不在您的管辖范围内，请联系上级核实")
OUT_OF_SCOPE_ROWS_AUDITED = 200  # row numbers of out-of-scope hits kept in the batch's audit entry


class TooManyOutOfScope(Exception):
    """More rows of one file hit records outside the importer's scope than the limit allows."""

    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(limit)


@dataclass(slots=True)
class RowError:
    row: int  # as in the original sheet
    column: str  # header as written in the file ("" when the problem is the whole row)
    value: Any  # raw cell value
    reason: str
    col: int = 0  # position of the column in the file (orders the report)


@dataclass(slots=True)
class Record:
    row: int
    values: dict[str, Any]
    cells: list[Any]


@dataclass
class Context:
    actor: Any
    scope: Scope
    regions: RegionIndex
    dry_run: bool
    batch: Any
    today: datetime.date = field(default_factory=timezone.localdate)
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    rejected_rows: set[int] = field(default_factory=set)
    notes: list[RowError] = field(default_factory=list)
    audit: AuditWriter | None = None
    masks: dict[int, Callable[[str], str]] = field(default_factory=dict)  # column position -> mask (report copy)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage (open, read, validate, write)
    out_of_scope: int = 0  # rows that hit an existing record outside the actor's scope
    out_of_scope_rows: list[int] = field(default_factory=list)  # their row numbers (the first ones; audited)
    out_of_scope_limit: int | None = None  # more than this stops the file (None: no limit, the shell)
    alert: dict | None = None  # why the import was stopped or refused for out-of-scope hits (audited)

    @property
    def operator(self):
        return self.actor if self.actor is not None and getattr(self.actor, "is_authenticated", False) else None


_normalize = unicodedata.normalize
_FOOTER = re.compile(r"^\s*(填表人|填报人|制表人|审核人|负责人|审批人|统计人|经办人|单位负责人|填表日期|填报日期|制表日期|"
                     r"合计|总计|小计|共计|以下空白|备注[:：]|说明[:：])")

Converter = Callable[[Any], Any]


class Touched:
    """What the chunk being written touched: ids per event name, and names of changed fields per event.

    The importer adds to it while writing (``Importer.touched``); ``Importer.announce`` tells the
    world once per committed chunk, inside the chunk's transaction.
    """

    __slots__ = ("ids", "fields")

    def __init__(self):
        self.ids: dict[str, set] = defaultdict(set)
        self.fields: dict[str, set[str]] = defaultdict(set)

    def add(self, event: str, ids, fields=()) -> None:
        self.ids[event].update(ids)
        if fields:
            self.fields[event].update(fields)

    def merge(self, other: "Touched") -> None:
        for event, ids in other.ids.items():
            self.ids[event].update(ids)
        for event, names in other.fields.items():
            self.fields[event].update(names)

    def __bool__(self) -> bool:
        return any(self.ids.values())


class Importer:
    """One import kind. Subclasses set ``kind``, ``label`` and ``fields``, build ``converters`` and
    implement ``process`` (look up, classify, ``write`` and count); see docs/imports.md."""

    kind = ""  # stored in ImportBatch.kind (at most 16 characters)
    label = ""  # Chinese name shown to users (人员, 家庭户 ...)
    fields: list[Field] = []  # the columns: canonical header, aliases, required
    chunk_size = 2000
    streaming = True  # False: all rows are collected first and processed together
    parallel = False  # True: convert/check/prepare may run in a producer process (no database access there)
    object_type = ""
    key_field = "id_number"  # the identifier column: a row without it may be a footer line
    # True: rows rejected for their cells still get the checks that need the database (person exists,
    # name matches ...), so that every problem of a row is reported at once; see ``take_partial``.
    diagnose_partial = False
    # {field name: function}: the masked copy of the error report shows these columns' values through
    # the function (identity numbers, phones), for readers who may not see them in full.
    masked_fields: dict[str, Callable[[str], str]] = {}

    def __init__(self, ctx: Context, layout: Layout):
        self.ctx = ctx
        self.layout = layout
        self.columns: dict[str, Column] = {c.field.name: c for c in layout.columns if c.field.name != IGNORED}
        self.converters: dict[str, Converter] = self.build_converters()
        self.plan = [
            (c.index, c.field.name, self.converters.get(c.field.name), c.header, c.field.header if c.field.required else "")
            for c in layout.columns
            if c.field.name != IGNORED
        ]
        self.seen: dict[str, int] = {}
        self.partial: list[Record] = []
        self._sink = threading.local()  # a producer thread collects its errors per chunk
        self.canonical = {f.name: f.header for f in type(self).fields}
        self.touched = Touched()
        ctx.masks = {self.columns[name].index: mask for name, mask in self.masked_fields.items() if name in self.columns}
        key = self.columns.get(self.key_field)
        self._key_index = key.index if key is not None else 0

    # -- to override ---------------------------------------------------------------------------

    def build_converters(self) -> dict[str, Converter]:
        raise NotImplementedError

    def check(self, record: Record) -> bool:
        """Cross-field checks of one converted row; add errors and return False to reject it."""
        return True

    def process(self, records: list[Record]) -> None:
        """Look up existing rows, classify, write (unless dry run) and count."""
        raise NotImplementedError

    def finish(self) -> None:
        """After the last chunk (outside its transaction): work that needs the whole file."""

    def announce(self, touched: Touched) -> None:
        """Tell the world what one committed chunk touched (domain events); runs inside the chunk's
        transaction, once per chunk. The default tells nobody."""

    # -- helpers -------------------------------------------------------------------------------

    @property
    def errors(self) -> list[RowError]:
        sink = getattr(self._sink, "errors", None)
        return self.ctx.errors if sink is None else sink

    @property
    def rejected(self) -> set[int]:
        sink = getattr(self._sink, "rejected", None)
        return self.ctx.rejected_rows if sink is None else sink

    @property
    def notes(self) -> list[RowError]:
        sink = getattr(self._sink, "notes", None)
        return self.ctx.notes if sink is None else sink

    def collect_into(self, errors: list[RowError] | None, rejected: set[int] | None,
                     notes: list[RowError] | None = None) -> None:
        """Errors and notes of the current thread go to these (a producer's chunk), or to the context (None)."""
        self._sink.errors = errors
        self._sink.rejected = rejected
        self._sink.notes = notes

    def prepare(self, record: Record) -> None:
        """Work on a good row that needs no database (may run in the producer process)."""

    def pack(self, record: Record):
        """A record in a compact form to send from the producer process (see ``unpack``)."""
        return record

    def unpack(self, packed) -> Record:
        return packed

    def col(self, name: str) -> int:
        column = self.columns.get(name)
        return column.index if column is not None else 10_000

    def header(self, name: str) -> str:
        column = self.columns.get(name)
        return column.header if column else self.canonical.get(name, "")

    def raw(self, record: Record, name: str) -> Any:
        column = self.columns.get(name)
        if column is None:
            return ""
        if isinstance(record.cells, dict):  # a packed record keeps only some raw cells
            return record.cells.get(column.index, "")
        if column.index >= len(record.cells):
            return ""
        return record.cells[column.index]

    def error(self, record_or_row, name: str, reason: str, value: Any = None) -> None:
        if isinstance(record_or_row, Record):
            row = record_or_row.row
            if value is None:
                value = self.raw(record_or_row, name)
        else:
            row = record_or_row
        self.errors.append(RowError(row, self.header(name) if name else "", value, reason, self.col(name)))
        self.rejected.add(row)

    def note(self, record: Record, name: str, message: str) -> None:
        self.notes.append(RowError(record.row, self.header(name), self.raw(record, name), message, self.col(name)))

    def is_footer(self, cells: list[Any]) -> bool:
        """A signature line under the table (填表人：…  审核人：…) or a total row, with no identifier."""
        key = self._key_index
        cell = cells[key] if key < len(cells) else None
        if cell is not None and cell.__class__ is not str:
            return False
        if cell and (cell[0].isdigit() or not cell.isspace() and not _FOOTER.match(clean(cell))):
            return False  # the usual case: an identifier
        text = "".join(str(c) for c in cells if c not in (None, ""))
        return bool(_FOOTER.match(clean(text)))

    def convert(self, row: int, cells: list[Any]) -> Record | None:
        """Clean and convert every mapped cell of one row; every bad cell gives one error."""
        values: dict[str, Any] = {}
        ok = True
        cleaned = clean_cells(cells)
        n = len(cleaned)
        controls = control_cells(cells)
        for index, name, convert, header, required in self.plan:
            if controls and index in controls:
                self.errors.append(RowError(row, header, strip_control(cells[index]), str(CONTROL_REASON), index))
                ok = False
                continue
            value = cleaned[index] if index < n else ""
            if value == "" or value is None:
                if required:
                    self.errors.append(RowError(row, header, cells[index] if index < n else None,
                                                _("%(h)s不能为空（必填）") % {"h": required}, index))
                    ok = False
                continue
            if convert is None:
                values[name] = value
                continue
            try:
                values[name] = convert(value)
            except CellError as exc:
                self.errors.append(RowError(row, header, cells[index], str(exc), index))
                ok = False
        record = Record(row, values, cells)
        if not ok:
            self.rejected.add(row)
            self.check(record)  # still report cross-field problems of the cells that were fine
            if self.diagnose_partial and self.key_field in values:
                self.partial.append(record)
            return None
        if not self.check(record):
            self.rejected.add(row)
            return None
        return record

    def convert_many(self, rows: list[tuple[int, list[Any]]]) -> tuple[list, list[tuple[int, list[Any]]]]:
        """``convert`` and ``prepare`` for many rows: (good records, rows whose lookups need the database).

        The second list is only ever filled in a producer process (see pipeline._produce); the rows in
        it are redone by the writing process, so what was reported for them here is taken back.
        """
        records = []
        redo = []
        for row, cells in rows:
            errors, rejected = self.errors, self.rejected
            mark = len(errors)
            try:
                record = self.convert(row, cells)
                if record is not None:
                    self.prepare(record)
            except NeedsDatabase:
                del errors[mark:]
                rejected.discard(row)
                redo.append((row, cells))
                continue
            if record is not None:
                records.append(record)
        return records, redo

    def take_partial(self) -> list[Record]:
        partial, self.partial = self.partial, []
        return partial

    def duplicate(self, record: Record, key: str, name: str) -> bool:
        """True (and an error) when ``key`` was already seen in an earlier row of this file."""
        first = self.seen.get(key)
        if first is not None and first != record.row:
            self.error(record, name, _("与第%(n)d行的%(h)s重复") % {"n": first, "h": self.canonical.get(name, name)})
            return True
        self.seen[key] = record.row
        return False

    def out_of_scope(self, record_or_row, name: str, value: Any = None) -> None:
        """Reject a row whose key hits an existing record outside the actor's scope, saying only that
        (``OUT_OF_SCOPE_REASON``), and count it; past the file's limit the import stops
        (``TooManyOutOfScope``: call this before writing anything of the chunk)."""
        ctx = self.ctx
        ctx.out_of_scope += 1
        if len(ctx.out_of_scope_rows) < OUT_OF_SCOPE_ROWS_AUDITED:
            ctx.out_of_scope_rows.append(record_or_row.row if isinstance(record_or_row, Record) else record_or_row)
        self.error(record_or_row, name, str(OUT_OF_SCOPE_REASON), value)
        if ctx.out_of_scope_limit is not None and ctx.out_of_scope > ctx.out_of_scope_limit:
            raise TooManyOutOfScope(ctx.out_of_scope_limit)

    def scope_check(self, record: Record, name: str, code: str) -> bool:
        if self.ctx.scope.contains(code):
            return True
        self.error(record, name, self.ctx.regions.out_of_scope_reason(code))
        return False

    def write(self, work: Callable[[list], None], items: list) -> list:
        """Run ``work(items)`` in one transaction; on a conflict, retry item by item (a savepoint each).

        ``work`` records what it touched in ``self.touched``; ``announce`` is called once, inside the
        transaction, with what the items that were written touched. Returns the items that could not
        be written (their rows must be rejected by the caller).
        """
        if self.ctx.dry_run or not items:
            return []
        try:
            with transaction.atomic():
                self.touched = Touched()
                work(items)
                self.announce(self.touched)
            return []
        except IntegrityError:
            if self.ctx.audit is not None:
                self.ctx.audit.discard()
        failed = []
        written = Touched()
        with transaction.atomic():
            for item in items:
                self.touched = Touched()
                try:
                    with transaction.atomic():
                        work([item])
                except IntegrityError:
                    failed.append(item)
                    if self.ctx.audit is not None:
                        self.ctx.audit.discard()
                else:
                    written.merge(self.touched)
            if written:
                self.announce(written)
        self.touched = Touched()
        return failed

    def reject_failed(self, failed_rows: list[int], name: str) -> None:
        for row in failed_rows:
            self.errors.append(
                RowError(row, self.header(name), "", _("写入数据库时与其他人同时录入的记录冲突，该行未导入，请重新导入"),
                         self.col(name))
            )
            self.rejected.add(row)
