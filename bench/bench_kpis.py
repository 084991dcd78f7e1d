"""Benchmark: a year of every KPI for every region of the demo city (issue 12 target: < 10 s at 1,000,000
persons with ten years of registrations, on SQLite and PostgreSQL), with DuckDB's time for the same
aggregations over the same tables exported to Parquet, side by side in the same run; prints JSON.

    .venv/bin/python bench/bench_kpis.py --sqlite-source /work/bench-data/sqlite/jiuye1m.sqlite3 \
        --pg-template bench1m --period 2025
    .venv/bin/python bench/bench_kpis.py --sqlite /tmp/h1/kpi1m.sqlite3 --pg kpi1m     # copies already made

The seeded databases are never written: ``--sqlite-source`` is copied into ``--workdir`` and
``--pg-template`` cloned (CREATE DATABASE ... TEMPLATE, dropped afterwards); ``--sqlite``/``--pg`` name
copies made beforehand (they are migrated, which adds the KPI index of targets/0002). On each database:

- ``compute_all``: ``targets.kpis.compute.compute`` for every region of the city (the city, its districts,
  streets and communities) and every KPI of the catalogue (computed and input), the period ``--period``;
  best of ``--repeat`` and the first (cold) run;
- ``parts``: the same split by query (flows, registered unemployed, schooling, rural local, the rest);
- ``duckdb`` (on the SQLite run): the registrations, persons, regions and recognitions exported to Parquet
  (export time apart), then on DuckDB the same aggregations as ``parts.flows`` (the very SQL text of
  ``targets.kpis.flows`` in its window form), ``parts.unemployed`` (the status-table form) and
  ``parts.schooling``, each checked equal to the database's counts (``equal``).
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import migrate_and_run_child, timed  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_one(database_url: str, args, duck: bool) -> dict:
    child = ["--repeat", str(args.repeat), "--period", args.period, "--city", args.city, "--workdir", args.workdir]
    return migrate_and_run_child(__file__, database_url, child + (["--duckdb"] if duck else []))


def _best(fn, repeat: int):
    first, result = timed(fn)
    times = [first]
    for _ in range(repeat - 1):
        t, result = timed(fn)
        times.append(t)
    return first, min(times), result


def _export(workdir: str) -> tuple[dict, float]:
    """The tables the aggregations read, to Parquet (dates and times typed), through the Django cursor."""
    import duckdb
    import pyarrow as pa
    from django.db import connection

    tables = {
        "registry_registration": ("id, person_id, kind, ending_reason, employment_form, registered_in_id, "
                                  "effective_date, recorded_at, corrects_id"),
        "registry_person": "id, hukou_type, region_id, education, birth_date, retirement_date",
        "regions_region": "code, urban_rural",
        "assistance_recognition": "person_id, status, valid_from, valid_until, exited_on, decided_at, exited_at",
    }
    casts = {"effective_date": "DATE", "birth_date": "DATE", "retirement_date": "DATE", "valid_from": "DATE",
             "valid_until": "DATE", "exited_on": "DATE", "recorded_at": "TIMESTAMPTZ", "decided_at": "TIMESTAMPTZ",
             "exited_at": "TIMESTAMPTZ"}
    t0 = time.perf_counter()
    paths = {}
    db = duckdb.connect()
    for table, cols in tables.items():
        names = [c.strip() for c in cols.split(",")]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {cols} FROM {table}")
            rows = cursor.fetchall()
        arrow = pa.table({n: pa.array([None if r[i] is None else str(r[i]) for r in rows], pa.string())
                          for i, n in enumerate(names)})
        db.register("src", arrow)
        select = ", ".join(f"CAST(src.{n} AS {casts[n]}) AS {n}" if n in casts else
                           (f"CAST(src.{n} AS BIGINT) AS {n}" if n in ("id", "person_id", "corrects_id") else f"src.{n}")
                           for n in names)
        path = os.path.join(workdir, f"{table}.parquet")
        db.execute(f"COPY (SELECT {select} FROM src) TO '{path}' (FORMAT parquet)")
        db.unregister("src")
        paths[table] = path
    return paths, round(time.perf_counter() - t0, 2)


def child(args) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiuye.settings")
    sys.path.insert(0, ROOT)
    import django

    django.setup()
    from django.db import connection

    from jiuye.monitoring.periods import parse_period
    from jiuye.regions.codes import code_range
    from jiuye.regions.models import Region
    from jiuye.registry.models import Person, Registration
    from jiuye.targets.kpis import compute as kc, flows, stocks
    from jiuye.monitoring.queries import rural

    # a copy migrated before targets/0002 had its index: create it (the migration's own statement)
    import importlib
    index_sql = importlib.import_module("jiuye.targets.migrations.0002_kpis").Migration.operations[0].sql
    with connection.cursor() as cursor:
        cursor.execute(index_sql)
        cursor.execute("ANALYZE")
    period = parse_period(args.period)
    lo, hi = code_range(args.city)
    regions = list(Region.objects.filter(code__gte=lo, code__lte=hi).values_list("code", flat=True))
    out = {"vendor": connection.vendor, "period": period.code, "persons": Person.objects.count(),
           "registrations": Registration.objects.count(), "regions": len(regions),
           "levels": {str(lv): n for lv, n in sorted(Region.objects.filter(code__gte=lo, code__lte=hi)
                                                     .values_list("level").annotate(n=django.db.models.Count("code")))}}
    first, best, values = _best(lambda: kc.compute(regions, period), args.repeat)
    out["compute_all"] = {"first": first, "best": best, "values": len(values)}
    city = regions[0]
    out["city_values"] = {k: (None if v.value is None else float(v.value)) for (r, k), v in values.items() if r == city}
    node = args.city
    parts = {}
    parts["flows"], fl = timed(lambda: flows.flow_counts(period.start, period.end, flags=flows.FLAGS, node=node))
    parts["unemployed"], un = timed(lambda: stocks.unemployed_by_community(period.end, None, node))
    parts["schooling"], sc = timed(lambda: kc._schooling(period, node))
    parts["rural_local"], _ = timed(lambda: rural.new_transfer_counts(period, node=node))
    parts["graduates"], _ = timed(lambda: kc._graduates(period, node))
    parts["other"], _ = timed(lambda: kc.compute(regions, period, codes=[
        "zero_employment_households", "zero_employment_resolved", "full_employment_communities",
        "hte_assistance_rate", "registered_unemployment_rate", "urban_employed", "surveyed_unemployment_rate",
        "vocational_training_persons"]))
    out["parts"] = parts
    if args.duckdb:
        out["duckdb"] = _duck(args, period, node, fl, un, sc)
    print(json.dumps(out, ensure_ascii=False))


def _duck(args, period, node, fl, un, sc) -> dict:
    import duckdb
    from dateutil.relativedelta import relativedelta

    from jiuye.regions.codes import code_range
    from jiuye.targets.kpis import flows
    from jiuye.targets.kpis.compute import SCHOOLING_YEARS

    workdir = os.path.join(args.workdir, "parquet")
    os.makedirs(workdir, exist_ok=True)
    paths, export = _export(workdir)
    db = duckdb.connect()
    for table, path in paths.items():
        db.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{path}')")
    counting = ("SELECT id, person_id, kind, ending_reason, employment_form, registered_in_id, effective_date, "
                "recorded_at FROM registry_registration WHERE kind <> 'void' AND id NOT IN "
                "(SELECT corrects_id FROM registry_registration WHERE corrects_id IS NOT NULL)")
    res = {"export": export}

    def q(sql, params):
        return db.execute(sql.replace("%s", "?"), params).fetchall()

    sql, params = flows.flows_sql(period.start, period.end, flags=flows.FLAGS, node=node, counting_sql=(counting, []),
                                  vendor="duckdb")
    first, best, rows = _best(lambda: q(sql, params), args.repeat)
    got = {}
    for flag, code, n in rows:
        got.setdefault(flag, {})[code] = int(n)
    res["flows"] = {"first": first, "best": best, "equal": got == {f: c for f, c in fl.items() if c}}
    lo, hi = code_range(node)
    unemployed_sql = (
        f"WITH c AS ({counting}), l AS (SELECT *, ROW_NUMBER() OVER (PARTITION BY person_id ORDER BY effective_date DESC, "
        "recorded_at DESC, id DESC) AS rn FROM c WHERE effective_date <= ?) "
        "SELECT l.registered_in_id, COUNT(*) FROM l JOIN regions_region r ON r.code = l.registered_in_id "
        "WHERE l.rn = 1 AND l.kind = 'unemployment' AND r.urban_rural >= '1' AND r.urban_rural < '2' "
        "AND l.registered_in_id BETWEEN ? AND ? GROUP BY 1")
    first, best, rows = _best(lambda: q(unemployed_sql, [period.end, lo, hi]), args.repeat)
    res["unemployed"] = {"first": first, "best": best, "equal": {c: int(n) for c, n in rows} == un}
    years = " ".join(f"WHEN '{k}' THEN {v}" for k, v in SCHOOLING_YEARS.items())
    schooling_sql = (
        f"SELECT region_id, COUNT(*), COUNT(*) FILTER (WHERE education IN ({', '.join(repr(k) for k in SCHOOLING_YEARS)})), "
        f"SUM(CASE education {years} ELSE 0 END) FROM registry_person "
        "WHERE birth_date <= ? AND retirement_date > ? AND region_id BETWEEN ? AND ? GROUP BY 1")
    first, best, rows = _best(lambda: q(schooling_sql, [period.end - relativedelta(years=16), period.end, lo, hi]),
                              args.repeat)
    n, with_edu, total = sc
    res["schooling"] = {"first": first, "best": best, "equal": (
        {r[0]: r[1] for r in rows} == dict(n) and {r[0]: r[2] for r in rows if r[2]} == {k: v for k, v in with_edu.items() if v}
        and {r[0]: int(r[3]) for r in rows if r[3]} == {k: v for k, v in total.items() if v})}
    res["total_best"] = round(res["flows"]["best"] + res["unemployed"]["best"] + res["schooling"]["best"], 3)
    return res


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--sqlite-source", help="a seeded SQLite file (copied, never written)")
    p.add_argument("--sqlite", help="a copy of a seeded SQLite file (migrated and used as is)")
    p.add_argument("--pg-template", help="a seeded PostgreSQL database (cloned, never written)")
    p.add_argument("--pg", help="a clone of a seeded PostgreSQL database (migrated and used as is)")
    p.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/")
    p.add_argument("--period", default=str(datetime.date.today().year - 1))
    p.add_argument("--city", default="6101", help="prefix of the city (every region under it)")
    p.add_argument("--repeat", type=int, default=2)
    p.add_argument("--workdir", default="/tmp/bench_kpis")
    p.add_argument("--no-duckdb", action="store_true")
    p.add_argument("--child", action="store_true")
    p.add_argument("--duckdb", action="store_true")
    args = p.parse_args()
    if args.child:
        child(args)
        return
    os.makedirs(args.workdir, exist_ok=True)
    result = {"period": args.period, "city": args.city}
    sqlite_path = args.sqlite
    if args.sqlite_source:
        sqlite_path = os.path.join(args.workdir, "kpis.sqlite3")
        shutil.copyfile(args.sqlite_source, sqlite_path)
    if sqlite_path:
        result["sqlite"] = run_one(f"sqlite:///{os.path.abspath(sqlite_path)}", args, not args.no_duckdb)
    clone = args.pg
    if args.pg_template:
        clone = "bench_kpis_clone"
        subprocess.run(["psql", args.pg_url + "postgres", "-c", f"DROP DATABASE IF EXISTS {clone}"], check=True,
                       capture_output=True)
        subprocess.run(["psql", args.pg_url + "postgres", "-c", f"CREATE DATABASE {clone} TEMPLATE {args.pg_template}"],
                       check=True, capture_output=True)
    if clone:
        try:
            result["postgresql"] = run_one(args.pg_url + clone, args, False)
        finally:
            if args.pg_template:
                subprocess.run(["psql", args.pg_url + "postgres", "-c", f"DROP DATABASE IF EXISTS {clone}"],
                               capture_output=True)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
