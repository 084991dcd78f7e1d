"""Benchmark: registered urban unemployed per region at every month end of ten years (issue 11 target: < 10 s
at 1,000,000 persons on SQLite and PostgreSQL), with DuckDB over the same tables exported to Parquet running
the same SQL as the reference for this machine; prints JSON.

    flock /work/bench-data/bench.lock .venv/bin/python bench/bench_monitoring_unemployment.py \
        --sqlite-source /work/bench-data/sqlite/jiuye1m.sqlite3 --pg-template bench1m
    .venv/bin/python bench/bench_monitoring_unemployment.py --persons 20000     # seeds a fresh SQLite database first

The seeded databases are never written: the SQLite file is copied into --workdir and the PostgreSQL template
is cloned (CREATE DATABASE ... TEMPLATE) and dropped afterwards. On each database:
- ``ten_years_<level>``: ``monitoring.queries.unemployment.unemployed_counts`` for the 120 month ends before
  today, grouped by community (12), street (9) and district (6): one query each (spells × month ends);
- ``one_month``: the same for the last month end alone, by community;
- ``region_history``: the district's 120-month history as the region page reads it (counts + series);
- on SQLite also ``duckdb``: the registrations and regions exported to Parquet (effective dates as ISO text,
  as SQLite stores them), the very SQL text the SQLite run executed for ``ten_years_community`` (the deltas
  query of ``month_end_sql``), on DuckDB (export time apart), and whether its counts equal SQLite's.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import fresh_sqlite_env, run_jiuye  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_one(database_url: str, data_dir: str, repeat: int, duck: bool) -> dict:
    """Runs in a child process (one Django setup per database)."""
    env = dict(os.environ, JIUYE_DATABASE_URL=database_url, JIUYE_DATA_DIR=data_dir, PYTHONPATH=ROOT)
    env.pop("JIUYE_TESTING", None)
    subprocess.run([sys.executable, "-m", "jiuye.cli", "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    args = [sys.executable, os.path.abspath(__file__), "--child", "--repeat", str(repeat), "--workdir", data_dir]
    if duck:
        args.append("--duckdb")
    out = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True)
    sys.stderr.write(out.stderr)
    out.check_returncode()
    return json.loads(out.stdout)


def _best(fn, repeat: int):
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return round(min(times), 3), result


def child(repeat: int, workdir: str, duck: bool) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiuye.settings")
    sys.path.insert(0, ROOT)
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from jiuye.accounts.models import Role, User
    from jiuye.monitoring.queries import unemployment as q
    from jiuye.monitoring.services.series import last_closed_month
    from jiuye.registry.models import Person, Registration

    today = timezone.localdate()
    last = last_closed_month(today)
    ends = [q.month_end(q.add_months(last, -i)) for i in range(119, -1, -1)]
    community = (Person.objects.values("region_id").annotate(n=Count("pk")).order_by("-n")
                 .values_list("region_id", flat=True).first())
    prefix = community[:6]
    result: dict = {"database": connection.vendor, "persons": Person.objects.count(),
                    "registrations": Registration.objects.count(), "today": str(today), "months": len(ends),
                    "district": prefix}
    for width, name in ((12, "community"), (9, "street"), (6, "district")):
        seconds, counts = _best(lambda: q.unemployed_counts(ends, prefix=prefix, width=width), repeat)
        result[f"ten_years_{name}_s"] = seconds
        result[f"ten_years_{name}_cells"] = len(counts)
        if width == 6:
            result["unemployed_last_month_end"] = counts.get((prefix.ljust(12, "0"), ends[-1]), 0)
    result["one_month_s"], _ = _best(lambda: q.unemployed_counts([ends[-1]], prefix=prefix, width=12), repeat)
    user, _ = User.objects.get_or_create(username="bench_unemployment", defaults={
        "role": Role.DISTRICT_OFFICER, "region_id": prefix.ljust(12, "0"), "display_name": "基准测试"})
    result["region_history_s"], _ = _best(lambda: q.region_history(user, prefix, q.add_months(last, -119), last), repeat)
    print(f"{connection.vendor}: {result}", file=sys.stderr)

    if duck:
        import duckdb
        import pyarrow as pa
        import pyarrow.parquet as pq

        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, person_id, kind, effective_date, recorded_at, corrects_id, registered_in_id "
                           "FROM registry_registration")
            cols = list(zip(*cursor.fetchall())) or [[] for _ in range(7)]
            reg = pa.table({"id": pa.array(cols[0], pa.int64()), "person_id": pa.array(cols[1], pa.int64()),
                            "kind": pa.array(cols[2], pa.string()),
                            "effective_date": pa.array([str(v) for v in cols[3]], pa.string()),
                            "recorded_at": pa.array([str(v) for v in cols[4]], pa.string()),
                            "corrects_id": pa.array(cols[5], pa.int64()),
                            "registered_in_id": pa.array(cols[6], pa.string())})
            cursor.execute("SELECT code, urban_rural FROM regions_region")
            rows = cursor.fetchall()
            regions = pa.table({"code": pa.array([r[0] for r in rows], pa.string()),
                                "urban_rural": pa.array([r[1] for r in rows], pa.string())})
        pq.write_table(reg, os.path.join(workdir, "registrations.parquet"))
        pq.write_table(regions, os.path.join(workdir, "regions.parquet"))
        export_s = time.perf_counter() - t0
        first, last_index = q._month_index(ends[0]), q._month_index(ends[-1])
        sql, params = q.month_end_sql(first, last_index, prefix, 12)
        db = duckdb.connect()
        db.execute(f"CREATE VIEW registry_registration AS SELECT * FROM read_parquet('{workdir}/registrations.parquet')")
        db.execute(f"CREATE VIEW regions_region AS SELECT * FROM read_parquet('{workdir}/regions.parquet')")
        duck_sql = sql.replace("%s", "?")
        seconds, rows = _best(lambda: db.execute(duck_sql, params).fetchall(), repeat)
        reference = q._month_end_counts(first, last_index, prefix, 12)
        duck_counts = q.running_sums(rows, first, last_index)
        result["duckdb"] = {"version": duckdb.__version__, "export_to_parquet_s": round(export_s, 2),
                            "ten_years_community_s": seconds, "equal_to_sqlite": duck_counts == reference}
        print(f"duckdb: {result['duckdb']}", file=sys.stderr)
    print(json.dumps(result, ensure_ascii=False, default=str))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--duckdb", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--sqlite-source", default=None, help="a seeded SQLite file (copied, never written)")
    parser.add_argument("--pg-template", default="", help="a seeded PostgreSQL database to clone ('' to skip)")
    parser.add_argument("--pg-admin", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--persons", type=int, default=20_000, help="persons to seed when no --sqlite-source")
    parser.add_argument("--workdir", default=None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-duckdb", action="store_true", help="skip the DuckDB reference")
    args = parser.parse_args()
    if args.child:
        child(args.repeat, args.workdir, args.duckdb)
        return
    results = []
    workdir = tempfile.mkdtemp(prefix="bench-unemp-", dir=args.workdir)
    try:
        if args.sqlite_source:
            db = os.path.join(workdir, "jiuye.sqlite3")
            shutil.copyfile(args.sqlite_source, db)
            results.append(run_one(f"sqlite:///{db}", workdir, args.repeat, not args.no_duckdb))
        else:
            env, db = fresh_sqlite_env(workdir)
            run_jiuye(["migrate", "-v0"], env)
            run_jiuye(["seed", "--persons", str(args.persons), "--no-samples"], env)
            results.append(run_one(env["JIUYE_DATABASE_URL"], env["JIUYE_DATA_DIR"], args.repeat, not args.no_duckdb))
        if args.pg_template:
            import psycopg

            name = f"bench_unemp_{os.getpid()}"
            with psycopg.connect(args.pg_admin, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{args.pg_template}"')
            try:
                base = args.pg_admin.rsplit("/", 1)[0]
                results.append(run_one(f"{base}/{name}", workdir, args.repeat, False))
            finally:
                with psycopg.connect(args.pg_admin, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(results, ensure_ascii=False, indent=2, default=str))


if __name__ == "__main__":
    main()
