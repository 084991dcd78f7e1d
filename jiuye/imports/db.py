"""Fast set-based writes for the import: plain INSERT/UPDATE statements on Django's connection.

The ORM's bulk_create/bulk_update build a model instance and prepare every field of every row, which
costs more than validating the row. Imports write many rows of a few tables whose columns are known,
so they prepare the values once per column type and hand tuples to ``executemany``.
"""
from __future__ import annotations

import datetime
import json
from typing import Any, Callable, Iterable, Sequence

from django.db import connection, models
from django.utils import timezone

from jiuye.accounts import audit
from jiuye.accounts.models import AuditEntry


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


def _literal(value: Any) -> str:
    """An adapted constant as an SQL literal (SQLite)."""
    if value is None:
        return "NULL"
    if value is True or value is False:
        return "1" if value else "0"
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


class Table:
    """INSERT and UPDATE statements for one model with values given per column.

    ``columns`` are the attnames given in each row; ``constants`` ({attname: adapted value}) are the
    same for every row of an insert: SQLite gets them as literals in the statement (fewer parameters
    to bind per row), PostgreSQL's COPY gets them appended to each row.
    """

    def __init__(self, model: type[models.Model], columns: Sequence[str], constants: dict[str, Any] | None = None):
        self.model = model
        self.table = model._meta.db_table
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        self.columns = list(columns)
        self.fields = [by_attname[c] for c in self.columns]
        self.adapters = [(i, a) for i, f in enumerate(self.fields) if (a := adapter_for(f)) is not None]
        self.constants = dict(constants or {})
        self.constant_fields = [by_attname[c] for c in self.constants]
        self.constant_values = list(self.constants.values())
        all_fields = self.fields + self.constant_fields
        self.column_list = ", ".join(_qn(f.column) for f in all_fields)
        self.pk_column = _qn(model._meta.pk.column)
        literals = "".join(", " + _literal(v) for v in self.constant_values)
        self.sqlite_sql = (f"INSERT INTO {_qn(self.table)} ({self.column_list}) "
                           f"VALUES ({', '.join(['?'] * len(self.fields))}{literals})")

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
        """One prepared INSERT run for every row (``executemany`` on the sqlite3 connection)."""
        connection.ensure_connection()
        with connection.wrap_database_errors:
            connection.connection.executemany(self.sqlite_sql, rows)

    def copy(self, rows: list[list[Any]], ids: list[int] | None = None) -> None:
        """PostgreSQL COPY ... FROM STDIN: the fastest way to load many rows (``ids``: the primary keys)."""
        columns = self.column_list if ids is None else f"{self.pk_column}, {self.column_list}"
        tail = tuple(self.constant_values)
        # The raw psycopg cursor raises psycopg's errors: wrapped, a duplicate key raised inside COPY is
        # Django's IntegrityError like everywhere else (``Importer.write`` retries row by row on it).
        with connection.cursor() as cursor, connection.wrap_database_errors:
            with cursor.cursor.copy(f"COPY {_qn(self.table)} ({columns}) FROM STDIN") as copy:
                write_row = copy.write_row
                if ids is not None:
                    for pk, row in zip(ids, rows):
                        write_row((pk, *row, *tail))
                elif tail:
                    for row in rows:
                        write_row((*row, *tail))
                else:
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
    PostgreSQL: the keys are drawn from the table's sequence first and sent with the rows in COPY.
    """
    if not rows:
        return []
    key_index = table.columns.index(key_column)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [table.table, table.model._meta.pk.column, len(rows)])
            ids = [pk for (pk,) in cursor.fetchall()]
        table.copy(rows, ids)
        return ids
    pk = table.pk_column
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
    by_key = ids_by(table.model, key_column, [r[key_index] for r in rows], chunk=5000)
    return [by_key[r[key_index]] for r in rows]


def now() -> datetime.datetime:
    return timezone.now()


#: A chunk that creates at least this many records of one kind records them as runs (``AuditWriter.add_runs``,
#: one entry per stretch of consecutive ids in one region) rather than one entry per record: the
#: audit table's indexes would otherwise cost as much as the records' own. Smaller chunks keep an
#: entry per record (easier to read in the log).
RUN_ENTRIES_FROM = 100


class AuditWriter:
    """Audit entries for many records, the same columns ``audit.build`` fills, written in one go.

    Uses ``audit.build`` semantics (actor or "system", audit context channel and address, JSON-safe
    changes) without building a model instance per entry. Entries are kept as their four varying
    values (object id, label, region, changes as JSON text) grouped by action, object type and
    summary; the other columns are the same for a whole group and written as constants.
    """

    VARYING = ["object_id", "object_label", "region_code", "changes"]

    def __init__(self, actor):
        template = audit.build(actor, AuditEntry.Action.IMPORT)
        self.actor = actor
        self.actor_id = template.actor_id
        self.actor_name = template.actor_name
        self.ip_address = template.ip_address
        self.channel = template.channel
        self.runs: list[tuple[tuple[str, str, str], list[list[Any]]]] = []  # in the order entries were added
        self._at = None
        self._json = AuditEntry._meta.get_field("changes").encoder

    def _group(self, action: str, object_type: str, summary: str) -> list[list[Any]]:
        if self._at is None:
            self._at = connection.ops.adapt_datetimefield_value(timezone.now())
        key = (action, object_type, summary[:255])
        if not self.runs or self.runs[-1][0] != key:
            self.runs.append((key, []))
        return self.runs[-1][1]

    def add(self, action: str, *, object_type: str, object_id: Any, object_label: str, region_code: str,
            changes: dict, summary: str, json_safe: bool = False) -> None:
        """One entry; ``json_safe``: ``changes`` holds only JSON types already."""
        self._group(action, object_type, summary).append([
            str(object_id), object_label[:128], region_code or "",
            json.dumps(changes if json_safe else audit.json_safe(changes), cls=self._json),
        ])

    def add_many(self, action: str, *, object_type: str, summary: str, entries: list[Sequence[Any]]) -> None:
        """Entries given as (object id (text), label (at most 128 characters), region code, changes JSON text)."""
        self._group(action, object_type, summary).extend(entries)

    def add_runs(self, action: str, *, object_type: str, summary: str, label: str, ids: Sequence[int],
                 regions: Sequence[str], rows: Sequence[int], changes: dict) -> int:
        """One entry per run of records created together instead of one per record: ``ids``, their
        ``regions`` and file ``rows`` are parallel lists; a run is a stretch of consecutive ids in one
        region. ``audit.entries_about_q`` finds a record's run. Returns the number of entries.

        ``label`` may use %(n)d (the number of records in the run); ``changes`` (JSON types only) is
        completed with first_id, last_id, count, first_row and last_row.
        """
        order = sorted(range(len(ids)), key=lambda i: (regions[i], ids[i]))
        entries = []
        start = 0
        for k in range(1, len(order) + 1):
            if k < len(order):
                i, j = order[k - 1], order[k]
                if regions[j] == regions[i] and ids[j] == ids[i] + 1:
                    continue
            run = order[start:k]
            first, last = ids[run[0]], ids[run[-1]]
            run_rows = [rows[i] for i in run]
            entries.append([
                audit.range_object_id(last), (label % {"n": len(run)})[:128], regions[run[0]] or "",
                json.dumps({**changes, "first_id": first, "last_id": last, "count": len(run),
                            "first_row": min(run_rows), "last_row": max(run_rows)}, cls=self._json),
            ])
            start = k
        self.add_many(action, object_type=object_type, summary=summary, entries=entries)
        return len(entries)

    @property
    def pending(self) -> int:
        return sum(len(rows) for _key, rows in self.runs)

    def discard(self) -> None:
        """Forget the entries not written yet (their transaction was rolled back)."""
        self.runs = []
        self._at = None

    def flush(self) -> None:
        for (action, object_type, summary), rows in self.runs:
            if not rows:
                continue
            constants = {"at": self._at, "actor_id": self.actor_id, "actor_name": self.actor_name, "action": action,
                         "object_type": object_type, "summary": summary, "ip_address": self.ip_address,
                         "channel": self.channel}
            Table(AuditEntry, self.VARYING, constants=constants).insert(rows, adapted=True)
        self.discard()


def json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
