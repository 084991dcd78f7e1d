"""Fast set-based writes for the import: plain INSERT/UPDATE statements on Django's connection.

The ORM's bulk_create/bulk_update build a model instance and prepare every field of every row, which
costs more than validating the row. Imports write many rows of a few tables whose columns are known,
so they prepare the values once per column type and hand tuples to ``executemany``.
"""
from __future__ import annotations

import datetime
import json
from itertools import chain
from typing import Any, Callable, Iterable, Sequence

from django.db import connection, models
from django.utils import timezone

from jiuye.accounts import audit
from jiuye.accounts.models import AuditEntry


def _sqlite_variable_limit() -> int:
    try:
        import sqlite3

        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    except (AttributeError, Exception):  # noqa: BLE001 - older Python: the documented default
        return 999


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


def adapter_for(field: models.Field) -> Callable[[Any], Any] | None:
    """How to turn a Python value of this field into a database parameter (None: as is)."""
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.JSONField):
        # JSON text: SQLite stores it as is; PostgreSQL parses it in COPY and casts the literal in UPDATE.
        encoder = field.encoder

        def adapt_json(value, _encoder=encoder):
            return None if value is None else json.dumps(value, cls=_encoder)

        return adapt_json
    return None


class Table:
    """INSERT and UPDATE statements for one model with values given per column."""

    def __init__(self, model: type[models.Model], columns: Sequence[str]):
        self.model = model
        self.table = model._meta.db_table
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        self.columns = list(columns)
        self.fields = [by_attname[c] for c in self.columns]
        self.adapters = [(i, a) for i, f in enumerate(self.fields) if (a := adapter_for(f)) is not None]
        cols = ", ".join(_qn(f.column) for f in self.fields)
        self.insert_sql = f"INSERT INTO {_qn(self.table)} ({cols}) VALUES ({', '.join(['%s'] * len(self.fields))})"

    def adapt(self, row: list[Any]) -> list[Any]:
        for index, adapt in self.adapters:
            value = row[index]
            if value is not None:
                row[index] = adapt(value)
        return row

    def insert(self, rows: list[list[Any]], *, adapted: bool = False) -> None:
        if not rows:
            return
        if not adapted:
            rows = [self.adapt(r) for r in rows]
        if connection.vendor == "postgresql":
            self.copy(rows)
            return
        self.sqlite_insert(rows)

    def sqlite_insert(self, rows: list[list[Any]]) -> None:
        """Multi-row INSERT statements on the sqlite3 connection.

        One statement per few hundred rows instead of ``executemany`` (one step per row): SQLite releases
        the GIL for each step, and a producer thread would make every row wait for the GIL again.
        """
        ncols = len(self.columns)
        per = max(1, min(1000, _sqlite_variable_limit() // ncols))
        one = "(" + ",".join("?" * ncols) + ")"
        head = self.insert_sql.split(" VALUES ")[0] + " VALUES "
        full = head + ",".join([one] * per)
        connection.ensure_connection()
        raw = connection.connection
        with connection.wrap_database_errors:
            for start in range(0, len(rows), per):
                part = rows[start : start + per]
                sql = full if len(part) == per else head + ",".join([one] * len(part))
                raw.execute(sql, list(chain.from_iterable(part)))

    def copy(self, rows: list[list[Any]]) -> None:
        """PostgreSQL COPY ... FROM STDIN: the fastest way to load many rows."""
        cols = ", ".join(_qn(f.column) for f in self.fields)
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {_qn(self.table)} ({cols}) FROM STDIN") as copy:
                write_row = copy.write_row
                for row in rows:
                    write_row(row)

    def update(self, pk_column: str, changes: Iterable[tuple[Any, dict[str, Any]]]) -> int:
        """UPDATE rows by primary key; ``changes`` yields (pk, {attname: new value}). Grouped by column set."""
        groups: dict[tuple[str, ...], list[list[Any]]] = {}
        by_attname = {f.attname: f for f in self.model._meta.concrete_fields}
        adapters: dict[str, Callable | None] = {}
        count = 0
        for pk, values in changes:
            names = tuple(sorted(values))
            params = []
            for name in names:
                if name not in adapters:
                    adapters[name] = adapter_for(by_attname[name])
                value = values[name]
                adapt = adapters[name]
                params.append(adapt(value) if adapt is not None and value is not None else value)
            params.append(pk)
            groups.setdefault(names, []).append(params)
            count += 1
        with connection.cursor() as cursor:
            for names, rows in groups.items():
                sets = ", ".join(f"{_qn(by_attname[n].column)} = %s" for n in names)
                cursor.executemany(f"UPDATE {_qn(self.table)} SET {sets} WHERE {_qn(pk_column)} = %s", rows)
        return count


def ids_by(model: type[models.Model], key_field: str, keys: list[str], chunk: int = 900) -> dict[str, int]:
    """{key: pk} for rows whose ``key_field`` (a text column) is in ``keys`` (chunked ``IN`` lookups, plain SQL)."""
    result: dict[str, int] = {}
    if not keys:
        return result
    meta = model._meta
    column = _qn(meta.get_field(key_field).column)
    pk = _qn(meta.pk.column)
    table = _qn(meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for start in range(0, len(keys), 10000):
                cursor.execute(f"SELECT {column}, {pk} FROM {table} WHERE {column} = ANY(%s)", [keys[start : start + 10000]])
                result.update(cursor.fetchall())
            return result
        for start in range(0, len(keys), chunk):
            part = keys[start : start + chunk]
            cursor.execute(f"SELECT {column}, {pk} FROM {table} WHERE {column} IN ({', '.join(['%s'] * len(part))})", part)
            result.update(cursor.fetchall())
    return result


def insert_returning_ids(table: "Table", rows: list[list[Any]], key_column: str) -> list[int]:
    """Insert already adapted ``rows`` and return their primary keys in order.

    SQLite: the import writes inside a transaction that holds the database's write lock (Django's
    IMMEDIATE transaction mode), so the rows of one ``executemany`` get consecutive rowids ending at
    ``last_insert_rowid()``; checked against the first and last row, else looked up by ``key_column``.
    PostgreSQL: COPY, then the keys are looked up by ``key_column`` (a unique column).
    """
    if not rows:
        return []
    key_index = table.columns.index(key_column)
    if connection.vendor == "sqlite":
        pk = _qn(table.model._meta.pk.column)
        table.sqlite_insert(rows)
        with connection.cursor() as cursor:
            cursor.execute("SELECT last_insert_rowid()")
            last = cursor.fetchone()[0]
            first = last - len(rows) + 1
            key = _qn(table.model._meta.get_field(key_column).column)
            cursor.execute(f"SELECT {pk}, {key} FROM {_qn(table.table)} WHERE {pk} IN (%s, %s)", [first, last])
            found = dict(cursor.fetchall())
        if found.get(first) == rows[0][key_index] and found.get(last) == rows[-1][key_index]:
            return list(range(first, last + 1))
    else:
        table.copy(rows)
    by_key = ids_by(table.model, key_column, [r[key_index] for r in rows], chunk=5000)
    return [by_key[r[key_index]] for r in rows]


def now() -> datetime.datetime:
    return timezone.now()


class AuditWriter:
    """Audit entries for many records, the same columns ``audit.build`` fills, written in one go.

    Uses ``audit.build`` semantics (actor or "system", audit context channel and address, JSON-safe
    changes) without building a model instance per entry.
    """

    COLUMNS = ["at", "actor_id", "actor_name", "action", "object_type", "object_id", "object_label", "region_code",
               "changes", "summary", "ip_address", "channel"]

    def __init__(self, actor):
        template = audit.build(actor, AuditEntry.Action.IMPORT)
        self.actor = actor
        self.actor_id = template.actor_id
        self.actor_name = template.actor_name
        self.ip_address = template.ip_address
        self.channel = template.channel
        self.table = Table(AuditEntry, self.COLUMNS)
        self.rows: list[list[Any]] = []
        self._at = None
        self._json = self.table.fields[self.COLUMNS.index("changes")].encoder
        self._adapt_json = lambda value, encoder: json.dumps(value, cls=encoder)

    def add(self, action: str, *, object_type: str, object_id: Any, object_label: str, region_code: str,
            changes: dict, summary: str, json_safe: bool = False) -> None:
        """One entry; ``json_safe``: ``changes`` holds only JSON types already."""
        if self._at is None:
            self._at = connection.ops.adapt_datetimefield_value(timezone.now())
        self.rows.append([
            self._at, self.actor_id, self.actor_name, action, object_type, str(object_id), object_label[:128],
            region_code or "", self._adapt_json(changes if json_safe else audit._json_safe(changes), self._json),
            summary[:255], self.ip_address, self.channel,
        ])

    AT, OBJECT_ID = 0, 5

    def prebuilt(self, action: str, *, object_type: str, object_label: str, region_code: str, changes: dict,
                 summary: str) -> list[Any]:
        """A row whose time and object id are filled in later (``complete``); ``changes`` must be JSON-safe."""
        return [None, self.actor_id, self.actor_name, action, object_type, None, object_label[:128], region_code or "",
                self._adapt_json(changes, self._json), summary[:255], self.ip_address, self.channel]

    def prebuilt_json(self, action: str, *, object_type: str, object_label: str, region_code: str, changes_json: str,
                      summary: str) -> list[Any]:
        """Like ``prebuilt`` with the changes already as JSON text."""
        return [None, self.actor_id, self.actor_name, action, object_type, None, object_label[:128], region_code or "",
                changes_json, summary[:255], self.ip_address, self.channel]

    def complete(self, row: list[Any], object_id: Any) -> None:
        if self._at is None:
            self._at = connection.ops.adapt_datetimefield_value(timezone.now())
        row[self.AT] = self._at
        row[self.OBJECT_ID] = str(object_id)
        self.rows.append(row)

    def flush(self) -> None:
        self.table.insert(self.rows, adapted=True)
        self.rows = []
        self._at = None


def json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
