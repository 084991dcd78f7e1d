"""Benchmark: the set-based faces (status, status-since, groups, hard-to-employ categories, zero-employment
households as of a date, the zero-employment refresh) on a seeded city, SQLite and PostgreSQL side by
side, with DuckDB over the same data exported to Parquet as a reference; prints JSON.

    flock /work/bench-data/bench.lock .venv/bin/python bench/bench_faces.py \\
        --sqlite-source /work/bench-data/sqlite/jiuye1m.sqlite3 --pg-template bench1m

The seeded databases are never written: the SQLite file is copied (``cp``) into --workdir and the
PostgreSQL database is created from the template (``CREATE DATABASE ... TEMPLATE``); both copies are
migrated (this branch's indexes), analysed, measured and removed at the end (--keep keeps them).

Each face counts its result per street (the first 9 digits of the region code) as of --on, through
the public functions (``status.annotate_status_on``, ``groups.filter_group`` ...). Times are seconds:
``first`` (cold-ish) and ``best`` of --repeat runs. The refresh of a few households runs
``services.refresh_zero_employment`` inside a rolled-back transaction.

DuckDB reference: each database's tables (the columns the faces read) are exported through its DB-API
cursor -> pyarrow -> Parquet; DuckDB (no extensions) runs the very SQL Django generated for PostgreSQL
over views on those files, and the counts must equal the database's (``duckdb_counts_equal``).
"""
from __future__ import annotations

import argparse
import datetime
import enum
import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import CHECKOUT, JIUYE  # noqa: E402

TABLES = ["registry_person", "registry_registration", "registry_household", "registry_householdmembership"]
SKIPPED_COLUMNS = {  # never read by the faces; left out of the Parquet export
    "registry_person": {"id_number", "name", "phone", "address", "hukou_place", "school_name", "major", "skills",
                        "certificates", "preferred_occupation", "preferred_industry", "preferred_wage_min",
                        "preferred_work_place", "ethnicity", "disability_grade", "veteran_kind"},
    "registry_registration": {"occupation", "reason", "import_key", "contract_type", "contract_months",
                              "social_insurance", "unemployment_reason", "operator_id", "source"},
    "registry_household": {"number", "address", "note"},
}


# ---------------------------------------------------------------------------------------------
# Worker: one database, in its own process (Django settings are per process)


def _setup(database_url: str, data_dir: str) -> None:
    os.environ["JIUYE_DATABASE_URL"] = database_url
    os.environ["JIUYE_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiuye.settings")
    sys.path.insert(0, str(CHECKOUT))
    import django

    django.setup()


def _faces(on: datetime.date, known_on: datetime.date):
    """name -> function returning a queryset of per-street counts (or None for a timed action)."""
    from django.db.models import Count, F
    from django.db.models.functions import ExtractYear, Substr

    from jiuye.registry import groups, status
    from jiuye.registry.models import Person

    street = Substr("region_id", 1, 9)
    persons = Person.objects.all()

    def per_street(qs, **extra):
        return qs.values(street=street, **extra).annotate(n=Count("id")).order_by()

    faces = {
        "status": lambda: per_street(status.annotate_status_on(persons, on), status=F("status_on_date")),
        "status_known_on": lambda: per_street(status.annotate_status_on(persons, on, known_on=known_on),
                                              status=F("status_on_date")),
        "status_since": lambda: per_street(status.annotate_status_since_on(persons, on),
                                           since_year=ExtractYear("status_since_on_date")),
    }
    for rule in groups.GROUPS + groups.HARD_TO_EMPLOY_RULES:
        faces[f"group:{rule.code}"] = (lambda code: lambda: per_street(groups.filter_group(persons, code, on)))(rule.code)
    faces["group:hard_to_employ:known_on"] = lambda: per_street(groups.filter_group(persons, "hard_to_employ", on, known_on))
    faces["zero_employment_households"] = lambda: per_street(groups.zero_employment_households(on))
    faces["zero_employment_households:known_on"] = lambda: per_street(groups.zero_employment_households(on, known_on=known_on))
    return faces


def _refresh_samples() -> dict[str, list[int]]:
    """Households to refresh: some with a registered unemployed member (the web's typical case)."""
    import random

    from jiuye.registry.models import HouseholdMembership

    ids = list(HouseholdMembership.objects.filter(left_on__isnull=True, person__employment_status="unemployed")
               .order_by("household_id").values_list("household_id", flat=True).distinct()[:20000])
    rng = random.Random(1)
    return {f"refresh:{n}": rng.sample(ids, n) for n in (1, 10, 300)}


def _export(out_dir: Path) -> dict:
    """Tables -> Parquet through the DB-API cursor and pyarrow."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from django.apps import apps
    from django.db import connection

    types = {"DateField": pa.date32(), "DateTimeField": pa.timestamp("us", tz="UTC"), "BooleanField": pa.bool_(),
             "CharField": pa.string(), "TextField": pa.string(), "JSONField": pa.string()}
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    rows = {}
    for table in TABLES:
        model = next(m for m in apps.get_models() if m._meta.db_table == table)
        fields = [f for f in model._meta.concrete_fields if f.column not in SKIPPED_COLUMNS.get(table, set())]
        columns = [f.column for f in fields]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(connection.ops.quote_name(c) for c in columns)} FROM {table}")
            data = cursor.fetchall()
        arrays = []
        for i, field in enumerate(fields):
            values = [row[i] for row in data]
            internal = (field.target_field if field.is_relation else field).get_internal_type()
            target = types.get(internal, pa.int64())
            array = pa.array(values)
            if array.type != target:
                if pa.types.is_timestamp(target) and pa.types.is_string(array.type):
                    array = array.cast(pa.timestamp("us")).cast(target)  # SQLite stores UTC text
                else:
                    array = array.cast(target)
            arrays.append(array)
        pq.write_table(pa.Table.from_arrays(arrays, names=columns), out_dir / f"{table}.parquet")
        rows[table] = len(data)
        del data
    return {"seconds": round(time.perf_counter() - started, 1), "rows": rows}


def _rows_key(row: dict) -> str:
    return "|".join(str(v) for k, v in sorted(row.items()) if k != "n")


def worker(args) -> None:
    _setup(args.database_url, args.data_dir)
    from django.db import connection, transaction

    from jiuye.registry import services

    on = datetime.date.fromisoformat(args.on)
    known_on = datetime.date.fromisoformat(args.known_on)
    result = {"vendor": connection.vendor, "faces": {}}
    sql = {}
    for name, make in _faces(on, known_on).items():
        times, counts = [], None
        for _ in range(args.repeat):
            started = time.perf_counter()
            rows = list(make())
            times.append(time.perf_counter() - started)
            counts = {_rows_key(r): r["n"] for r in rows}
        text, params = make().query.sql_with_params()
        sql[name] = (text, [p.value if isinstance(p, enum.Enum) else p for p in params])  # plain types for pickle
        result["faces"][name] = {"first": round(times[0], 3), "best": round(min(times), 3), "total": sum(counts.values()),
                                 "counts": counts}
        print(f"{connection.vendor} {name}: {min(times):.2f}s total={sum(counts.values())}", file=sys.stderr)
    for name, ids in _refresh_samples().items():
        times = []
        for _ in range(max(3, args.repeat)):
            with transaction.atomic():
                started = time.perf_counter()
                changed = services.refresh_zero_employment(ids)
                times.append(time.perf_counter() - started)
                transaction.set_rollback(True)
        result["faces"][name] = {"first": round(times[0], 4), "best": round(min(times), 4), "households": len(ids),
                                 "changed": changed}
        print(f"{connection.vendor} {name}: {min(times) * 1000:.1f} ms", file=sys.stderr)
    with transaction.atomic():
        started = time.perf_counter()
        changed = services.refresh_zero_employment()
        result["faces"]["refresh:all"] = {"first": round(time.perf_counter() - started, 3), "changed": changed}
        transaction.set_rollback(True)
    if args.export:
        result["export"] = _export(Path(args.export))
    Path(args.out).write_bytes(pickle.dumps({"result": result, "sql": sql}))


# ---------------------------------------------------------------------------------------------
# DuckDB reference


def run_duckdb(parquet_dir: Path, sql: dict, repeat: int) -> dict:
    import duckdb

    con = duckdb.connect()
    for table in TABLES:
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{parquet_dir / (table + '.parquet')}')")
    out = {}
    for name, (text, params) in sql.items():
        text = text.replace("%s", "?").replace("%%", "%")
        times, rows = [], None
        for _ in range(repeat):
            started = time.perf_counter()
            cursor = con.execute(text, list(params))
            rows = cursor.fetchall()
            times.append(time.perf_counter() - started)
        columns = [d[0] for d in cursor.description]
        counts = {_rows_key(dict(zip(columns, r))): dict(zip(columns, r))["n"] for r in rows}
        out[name] = {"best": round(min(times), 3), "counts": counts}
    return out


# ---------------------------------------------------------------------------------------------
# Main: copies, workers, DuckDB, JSON


def _run(cmd: list[str], env: dict | None = None) -> None:
    subprocess.run(cmd, env=env, cwd=CHECKOUT, check=True, stdout=sys.stderr, stderr=sys.stderr)


def _pg_admin(sql: str, url: str, autocommit: bool = True) -> list:
    import psycopg

    with psycopg.connect(url, autocommit=autocommit) as conn:
        cur = conn.execute(sql)
        return cur.fetchall() if cur.description else []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sqlite-source", default="/work/bench-data/sqlite/jiuye1m.sqlite3")
    parser.add_argument("--pg-template", default="bench1m", help="seeded PostgreSQL database to copy ('' to skip)")
    parser.add_argument("--pg-server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--workdir", default=None, help="where the copies and Parquet files go (a temp dir)")
    parser.add_argument("--on", default="2020-06-30")
    parser.add_argument("--known-on", default="2021-12-31")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the database copies and Parquet files")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    parser.add_argument("--export", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)

    workdir = Path(tempfile.mkdtemp(prefix="jiuye-faces-", dir=args.workdir))
    targets = {}
    setup = {}
    if args.sqlite_source:
        db = workdir / "jiuye.sqlite3"
        started = time.perf_counter()
        shutil.copyfile(args.sqlite_source, db)
        targets["sqlite"] = f"sqlite:///{db}"
        setup["sqlite_copy_seconds"] = round(time.perf_counter() - started, 1)
    pg_name = None
    if args.pg_template:
        admin = f"{args.pg_server}/postgres"
        if _pg_admin(f"SELECT 1 FROM pg_database WHERE datname = '{args.pg_template}'", admin):
            pg_name = f"jiuye_faces_{os.getpid()}"
            started = time.perf_counter()
            _pg_admin(f'CREATE DATABASE "{pg_name}" TEMPLATE "{args.pg_template}"', admin)
            targets["postgresql"] = f"{args.pg_server}/{pg_name}"
            setup["pg_copy_seconds"] = round(time.perf_counter() - started, 1)
        else:
            print(f"PostgreSQL template {args.pg_template} not found: PostgreSQL skipped", file=sys.stderr)
    report = {"on": args.on, "known_on": args.known_on, "repeat": args.repeat, "setup": setup, "databases": {}}
    try:
        env_base = dict(os.environ, PYTHONPATH=str(CHECKOUT), JIUYE_DATA_DIR=str(workdir))
        env_base.pop("JIUYE_TESTING", None)
        outputs = {}
        for vendor, url in targets.items():
            env = dict(env_base, JIUYE_DATABASE_URL=url)
            started = time.perf_counter()
            _run([*JIUYE, "migrate", "-v0"], env)
            if vendor == "postgresql":  # what autovacuum does after a bulk load: visibility map for index-only scans
                _pg_admin("VACUUM ANALYZE", url)
            else:
                _run([sys.executable, "-c", f"import sqlite3; c = sqlite3.connect({str(db)!r}); c.execute('ANALYZE')"])
            setup[f"{vendor}_migrate_analyze_seconds"] = round(time.perf_counter() - started, 1)
            out = workdir / f"{vendor}.pickle"
            _run([sys.executable, __file__, "--worker", "--database-url", url, "--data-dir", str(workdir), "--on", args.on,
                  "--known-on", args.known_on, "--repeat", str(args.repeat), "--export", str(workdir / f"parquet-{vendor}"),
                  "--out", str(out)], env)
            outputs[vendor] = pickle.loads(out.read_bytes())
        pg_sql = outputs.get("postgresql", {}).get("sql")
        for vendor, output in outputs.items():
            result = output["result"]
            entry = {"export": result.get("export"), "faces": {}}
            duck = run_duckdb(workdir / f"parquet-{vendor}", pg_sql, args.repeat) if pg_sql else {}
            for name, face in result["faces"].items():
                row = {k: v for k, v in face.items() if k != "counts"}
                if name in duck:
                    row["duckdb_best"] = duck[name]["best"]
                    row["duckdb_counts_equal"] = duck[name]["counts"] == face["counts"]
                entry["faces"][name] = row
            report["databases"][vendor] = entry
        if len(outputs) == 2:
            a, b = outputs["sqlite"]["result"]["faces"], outputs["postgresql"]["result"]["faces"]
            report["sqlite_and_postgresql_counts_equal"] = {n: a[n].get("counts") == b[n].get("counts")
                                                            for n in a if "counts" in a[n]}
        report["side_by_side_seconds"] = {
            name: {vendor: report["databases"][vendor]["faces"][name].get("best", report["databases"][vendor]["faces"][name].get("first"))
                   for vendor in report["databases"]}
            | ({"duckdb": report["databases"]["postgresql"]["faces"][name]["duckdb_best"]}
               if "postgresql" in report["databases"] and "duckdb_best" in report["databases"]["postgresql"]["faces"][name] else {})
            for name in next(iter(report["databases"].values()))["faces"]
        } if report["databases"] else {}
    finally:
        if pg_name and not args.keep:
            _pg_admin(f'DROP DATABASE IF EXISTS "{pg_name}"', f"{args.pg_server}/postgres")
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(report, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
