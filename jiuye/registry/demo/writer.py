"""Writing the demo city into the database in bulk (SQLite: executemany; PostgreSQL: COPY).

Rows are converted to exactly what the ORM stores: on SQLite dates as ISO text, datetimes as naive
UTC text, JSON as ``json.dumps`` text, booleans as 0/1; on PostgreSQL through psycopg's own adapters.
Ids are assigned by the generator, so the same seed gives the same ids; sequences are reset after.
"""
from __future__ import annotations

import datetime
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from jiuye.parameters import params
from jiuye.regions.models import Region
from jiuye.registry.demo import city
from jiuye.registry.models import Employer, Household, HouseholdMembership, Person, Registration

COUNTY = "610102000000"
REGISTRY_MODELS = [Registration, HouseholdMembership, Household, Person, Employer]


@dataclass
class SeedResult:
    persons: int
    seed: int
    today: datetime.date
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    db_bytes: int = 0
    status_mix: dict[str, int] = field(default_factory=dict)


class NotEmpty(Exception):
    """The registry already holds data and --force was not given."""


def communities() -> list[city.Community]:
    """The communities of 新城区 in the region tree, ordered by code."""
    streets = {r.code: r.name for r in Region.objects.filter(parent_id=COUNTY, level=Region.Level.STREET)}
    rows = (Region.objects.filter(parent_id__in=list(streets), level=Region.Level.COMMUNITY, is_synthetic=False)
            .order_by("code"))
    return [city.Community(r.code, r.name, r.parent_id, streets[r.parent_id]) for r in rows]


def registry_is_empty() -> bool:
    return not any(model.objects.exists() for model in REGISTRY_MODELS)


def _dependants() -> list[tuple[type[models.Model], models.Field]]:
    """Foreign keys from models outside the registry core to the registry core models."""
    core = set(REGISTRY_MODELS)
    out = []
    for model in apps.get_models():
        if model in core:
            continue
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model in core:
                out.append((model, f))
    return out


def _wiped_models() -> list[type[models.Model]]:
    """Models outside the core whose rows go with the registry: those with a link to the core that is not
    SET_NULL, and, transitively, those with such a link to one of them (a loan's repayments, a claim's
    ledger entries …). Ordered so that a model comes before the models it points at."""
    core = set(REGISTRY_MODELS)
    members: set = set()

    def holds(f, targets) -> bool:
        return (f.is_relation and (f.many_to_one or f.one_to_one) and f.related_model in targets
                and f.remote_field.on_delete is not models.SET_NULL)

    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            if model in core or model in members:
                continue
            if any(holds(f, core | members) for f in model._meta.concrete_fields):
                members.add(model)
                changed = True
    ordered: list = []
    pending = set(members)
    while pending:  # referencing models first; links that are nullable are cleared beforehand (cycles)
        ready = [m for m in pending if not any(  # no other pending model still points at m (non-null links)
            f.is_relation and (f.many_to_one or f.one_to_one) and not f.null and f.related_model is m
            for other in pending if other is not m for f in other._meta.concrete_fields)]
        if not ready:
            ready = list(pending)
        for m in sorted(ready, key=lambda m: m._meta.label):
            ordered.append(m)
            pending.discard(m)
    return ordered


def wipe() -> None:
    """Delete all registry data: registrations, households, persons, employers, and rows elsewhere that
    point at them, directly or through each other (nullable SET_NULL links to the core are cleared,
    other dependants are deleted)."""
    with transaction.atomic():
        wiped = _wiped_models()
        targets = set(wiped)
        for model, f in _dependants():
            if model not in wiped and f.null:  # only SET_NULL links to the core: keep the row, clear the link
                model._base_manager.filter(**{f"{f.name}__isnull": False}).update(**{f.name: None})
        for model in wiped:  # nullable links between wiped models (a cycle such as entry <-> payment item)
            for f in model._meta.concrete_fields:
                if f.is_relation and (f.many_to_one or f.one_to_one) and f.null and f.related_model in targets and f.related_model is not model:
                    model._base_manager.filter(**{f"{f.name}__isnull": False}).update(**{f.name: None})
        for model in wiped:
            model._base_manager.all().delete()
        with connection.cursor() as cursor:
            qn = connection.ops.quote_name
            cursor.execute(f"UPDATE {qn(Person._meta.db_table)} SET {qn('current_employer_id')} = NULL")
            for model in REGISTRY_MODELS:
                cursor.execute(f"DELETE FROM {qn(model._meta.db_table)}")


def _columns(model, fields: list[str]) -> list[str]:
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    missing = set(by_attname) - set(fields)
    if missing:
        raise RuntimeError(f"generator does not fill {model.__name__} fields {sorted(missing)}")
    return [by_attname[name].column for name in fields]


def _sqlite_converters(model, fields: list[str]) -> list[tuple[int, Callable]]:
    utc = datetime.timezone.utc
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    out = []
    for i, name in enumerate(fields):
        f = by_attname[name]
        internal = f.get_internal_type()
        if internal == "JSONField":
            out.append((i, city.json_text))
        elif internal == "DateTimeField":
            out.append((i, lambda v: None if v is None else str(v.astimezone(utc).replace(tzinfo=None))))
        elif internal == "DateField":
            out.append((i, lambda v: None if v is None else v.isoformat()))
    return out


def insert(model, fields: list[str], rows: list[tuple]) -> None:
    if not rows:
        return
    columns = _columns(model, fields)
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    column_sql = ", ".join(qn(c) for c in columns)
    if connection.vendor == "postgresql":
        json_cols = [i for i, name in enumerate(fields) if name in city.JSON_FIELDS]
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} ({column_sql}) FROM STDIN") as copy:
                for row in rows:
                    if json_cols:
                        row = list(row)
                        for i in json_cols:
                            row[i] = city.json_text(row[i])
                    copy.write_row(row)
        return
    converters = _sqlite_converters(model, fields)
    placeholders = ", ".join(["?"] * len(columns))
    sql = f"INSERT INTO {table} ({column_sql}) VALUES ({placeholders})"

    def converted():
        for row in rows:
            row = list(row)
            for i, fn in converters:
                row[i] = fn(row[i])
            yield row

    connection.ensure_connection()
    raw = connection.connection.cursor()  # the sqlite3 cursor: no per-row wrapper overhead
    try:
        raw.executemany(sql, converted())
    finally:
        raw.close()


def _sqlite_secondary_indexes() -> list[tuple[str, str]]:
    """(name, CREATE statement) of the droppable indexes on the registry tables (not the automatic
    indexes of PRIMARY KEY/UNIQUE columns)."""
    tables = [m._meta.db_table for m in REGISTRY_MODELS]
    marks = ", ".join("?" for _ in tables)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks}) "
            "ORDER BY name", tables)
        return [(name, sql) for name, sql in cursor.fetchall()]


def _drop_indexes() -> list[tuple[str, str]]:
    """Drop the secondary indexes before a bulk load (rebuilding sorted indexes afterwards is several
    times faster than maintaining them row by row); returns what to recreate."""
    if connection.vendor != "sqlite":
        return []
    indexes = _sqlite_secondary_indexes()
    with connection.cursor() as cursor:
        for name, _sql in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return indexes


def _create_indexes(indexes: list[tuple[str, str]]) -> None:
    with connection.cursor() as cursor:
        for _name, sql in indexes:
            cursor.execute(sql)


class _SqliteBulkMode:
    """For a standalone load on SQLite: rollback journal instead of WAL (new pages are written once,
    not once to the WAL and again at checkpoint) and no fsync; both are restored afterwards."""

    def __init__(self):
        self.active = connection.vendor == "sqlite" and not connection.in_atomic_block
        self.journal = None

    def __enter__(self):
        if self.active:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode")
                self.journal = cursor.fetchone()[0]
                try:
                    cursor.execute("PRAGMA journal_mode=DELETE")
                except Exception:  # another connection holds the database: keep WAL
                    self.journal = None
                cursor.execute("PRAGMA synchronous=OFF")
        return self

    def __exit__(self, *exc):
        if self.active:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous=NORMAL")
                if self.journal and self.journal.lower() != "delete":
                    cursor.execute(f"PRAGMA journal_mode={self.journal}")
        return False


def reset_sequences() -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), REGISTRY_MODELS)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def analyze() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
            if not connection.in_atomic_block:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        elif connection.vendor == "postgresql":
            for model in REGISTRY_MODELS:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def database_size() -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            name = str(connection.settings_dict["NAME"])
            if name and name != ":memory:" and "mode=memory" not in name and Path(name).exists():
                return sum(p.stat().st_size for p in [Path(name), Path(name + "-wal")] if p.exists())
            cursor.execute("PRAGMA page_count")
            pages = cursor.fetchone()[0]
            cursor.execute("PRAGMA page_size")
            return pages * cursor.fetchone()[0]
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            return int(cursor.fetchone()[0])
    return 0


def table_counts() -> dict[str, int]:
    return {model._meta.db_table: model.objects.count() for model in reversed(REGISTRY_MODELS)}


def seed_city(*, persons: int, seed: int, force: bool = False, today: datetime.date | None = None,
              progress: Callable[[str], None] | None = None, chunk_persons: int = 50_000,
              rebuild_indexes: bool | None = None) -> SeedResult:
    """Fill the registry with the demo city. Refuses a non-empty registry unless ``force``.

    ``rebuild_indexes`` (default: from 20,000 persons on SQLite) drops the secondary indexes of the
    registry tables for the load and recreates them from their stored definitions afterwards."""
    from jiuye.regions.services import load_seed_regions

    started = time.monotonic()
    say = progress or (lambda message: None)
    today = today or timezone.localdate()
    load_seed_regions()
    if not registry_is_empty():
        if not force:
            raise NotEmpty()
        say("清空现有登记数据……")
        wipe()
    comms = communities()
    if not comms:
        raise RuntimeError("region tree has no communities under 610102")
    base = params(COUNTY, today)["registry.female_retirement_base"]
    from django.conf import settings

    generator = city.CityGenerator(persons=persons, seed=seed, today=today, communities=comms,
                                   female_retirement_base=int(base), tz=settings.TIME_ZONE,
                                   chunk_persons=chunk_persons)
    result = SeedResult(persons=persons, seed=seed, today=today)
    if rebuild_indexes is None:
        rebuild_indexes = persons >= 20_000
    # One transaction: a failed or interrupted load leaves the registry (and its indexes) as it was.
    with _SqliteBulkMode(), transaction.atomic():
        dropped = _drop_indexes() if rebuild_indexes else []
        insert(Employer, city.EMPLOYER_FIELDS, generator.employers())
        done = 0
        for chunk in generator.chunks():
            insert(Person, city.PERSON_FIELDS, chunk.persons)
            insert(Household, city.HOUSEHOLD_FIELDS, chunk.households)
            insert(HouseholdMembership, city.MEMBERSHIP_FIELDS, chunk.memberships)
            insert(Registration, city.REGISTRATION_FIELDS, chunk.registrations)
            for row in chunk.persons:
                status = row[city.P["employment_status"]]
                result.status_mix[status] = result.status_mix.get(status, 0) + 1
            registered = {r[city.R["person_id"]] for r in chunk.registrations}
            result.status_mix["_registered"] = result.status_mix.get("_registered", 0) + len(registered)
            done += len(chunk.persons)
            say(f"已生成 {done:,} / {persons:,} 人（{time.monotonic() - started:.0f} 秒）")
        if dropped:
            say(f"重建索引（{len(dropped)} 个）……")
            _create_indexes(dropped)
    reset_sequences()
    # Statistics first: the planner must know the tables are full before the zero-employment pass (a
    # database analysed while empty, e.g. by a daily `jiuye refresh_projections`, otherwise plans it as
    # if they were empty: minutes on PostgreSQL instead of a second).
    say("更新数据库统计信息……")
    analyze()
    say("识别零就业家庭……")
    from jiuye.registry.services import refresh_zero_employment

    refresh_zero_employment()
    result.counts = table_counts()
    result.db_bytes = database_size()
    result.seconds = time.monotonic() - started
    return result
