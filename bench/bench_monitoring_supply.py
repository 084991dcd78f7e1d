"""Benchmark: supply and demand (issue 11, part supply) on a COPY of a seeded city; prints JSON.

    .venv/bin/python bench/bench_monitoring_supply.py --persons 20000                 # seeds fresh SQLite (+ PG with --pg-url)
    .venv/bin/python bench/bench_monitoring_supply.py --sqlite-source /work/bench-data/1m.sqlite3 \\
        --pg-template bench1m --pg-url postgres://postgres@127.0.0.1:5432

Each database is a copy (the SQLite file copied, PostgreSQL ``CREATE DATABASE x TEMPLATE name``; with
``--persons`` a fresh city is seeded, on PostgreSQL too when ``--pg-url`` is given). Into it the bench writes ten
years of market history in bulk (``monitoring.demo_supply``: about 0.3 vacancies and 0.6 seeker registrations per
person), then times, as a city-wide officer:

(a) one month's figures (the last complete month) for every region: the six breakdowns (region, occupation 大类 and
    中类, industry, education, age band) of the whole city, and the region breakdown of every county, each with the
    previous month and the same month a year earlier (``queries.supply.supply_figures``);
(b) the monthly series of ten years (120 months) per region: the city's children and every county's
    (``queries.supply.monthly_series``).

Then the vacancies and seeker registrations are exported to Parquet (pyarrow) and DuckDB runs the same aggregation
(one month by region with the comparisons, and the 120-month series by region) as the reference for this machine;
the totals are checked equal to the Django path's. Issue target: (a) and (b) under 10 s each at 1,000,000 persons.
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
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import CHECKOUT, fresh_sqlite_env, run_jiuye  # noqa: E402


def _worker(url: str, parquet_dir: str | None) -> dict:
    os.environ["JIUYE_DATABASE_URL"] = url
    os.environ.setdefault("JIUYE_DATA_DIR", tempfile.mkdtemp(prefix="jiuye-bench-supply-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiuye.settings")
    sys.path.insert(0, str(CHECKOUT))
    import random

    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from jiuye.accounts.models import Role, User
    from jiuye.jobs.models import SeekerRegistration, Vacancy
    from jiuye.jobs.services.occupations import ensure_loaded
    from jiuye.monitoring import demo_supply
    from jiuye.monitoring.periods import month_of
    from jiuye.monitoring.queries import supply as q
    from jiuye.regions.models import Region
    from jiuye.registry.models import Person

    ensure_loaded()
    today = timezone.localdate()
    persons = Person.objects.count()
    started = time.perf_counter()
    if not Vacancy.objects.filter(import_key__startswith=demo_supply.MARKER).exists():
        rng = random.Random(7)
        codes = demo_supply._occupation_codes()
        demo_supply.history_vacancies(today, "", persons, codes, rng)
        demo_supply.history_seekers(today, "", codes, rng)
    build = time.perf_counter() - started
    top = Region.objects.filter(level=Region.Level.CITY).order_by("code").first() or Region.objects.order_by("level", "code").first()
    officer = User.objects.filter(username="bench_supply_city").first() or User.objects.create(
        username="bench_supply_city", role=Role.CITY_OFFICER, region=top)
    counties = list(Region.objects.filter(level=Region.Level.COUNTY, code__startswith=top.prefix).order_by("code")
                    .values_list("code", flat=True))
    month = month_of(today).previous()

    started = time.perf_counter()
    figures = {d: q.supply_figures(officer, month, dimension=d) for d in q.DIMENSIONS}
    a_city = time.perf_counter() - started
    started = time.perf_counter()
    for code in counties:
        q.supply_figures(officer, month, dimension=q.REGION, region_code=code)
    a_counties = time.perf_counter() - started

    started = time.perf_counter()
    series = q.monthly_series(officer, month.start, 120)
    b_city = time.perf_counter() - started
    started = time.perf_counter()
    for code in counties:
        q.monthly_series(officer, month.start, 120, region_code=code)
    b_counties = time.perf_counter() - started

    out = {
        "database": url.split(":", 1)[0], "persons": persons, "vacancies": Vacancy.objects.count(),
        "seeker_registrations": SeekerRegistration.objects.count(), "build_seconds": round(build, 1),
        "month": month.code, "counties": len(counties),
        "a_month_figures_seconds": {"city_six_breakdowns": round(a_city, 3), "every_county_by_region": round(a_counties, 3),
                                    "total": round(a_city + a_counties, 3)},
        "b_series_120_months_seconds": {"city": round(b_city, 3), "every_county": round(b_counties, 3),
                                        "total": round(b_city + b_counties, 3)},
        "month_total": {"openings": figures[q.REGION].total.openings, "seekers": figures[q.REGION].total.seekers,
                        "prev_openings": figures[q.REGION].total.prev_openings,
                        "yb_openings": figures[q.REGION].total.yb_openings},
        "series_total": {"openings": sum(series["total"]["openings"]), "seekers": sum(series["total"]["seekers"])},
    }
    if parquet_dir:
        out["parquet"] = _export(parquet_dir, top.prefix)
    return out


def _export(directory: str, prefix: str) -> dict:
    """The rows the figures read, to Parquet (published_at as the local timestamp, the counted statuses only)."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from django.utils import timezone

    from jiuye.jobs.models import SeekerRegistration, Vacancy
    from jiuye.monitoring.queries.supply import COUNTED_STATUSES

    tz = timezone.get_current_timezone()
    started = time.perf_counter()
    v = Vacancy.objects.filter(status__in=COUNTED_STATUSES, published_at__isnull=False).values_list(
        "published_at", "region_id", "openings")
    cols = ([], [], [])
    for at, region, openings in v.iterator(chunk_size=20000):
        cols[0].append(at.astimezone(tz).replace(tzinfo=None))
        cols[1].append(region)
        cols[2].append(openings)
    pq.write_table(pa.table({"published_at": cols[0], "region_id": cols[1], "openings": cols[2]}),
                   f"{directory}/vacancies.parquet")
    s = SeekerRegistration.objects.values_list("started_on", "registered_in_id")
    scol = ([], [])
    for day, region in s.iterator(chunk_size=20000):
        scol[0].append(day)
        scol[1].append(region)
    pq.write_table(pa.table({"started_on": scol[0], "registered_in_id": scol[1]}), f"{directory}/seekers.parquet")
    return {"seconds": round(time.perf_counter() - started, 1), "prefix": prefix}


def _duckdb(directory: str, month: str, prefix: str) -> dict:
    import datetime

    import duckdb
    from dateutil.relativedelta import relativedelta

    y, m = map(int, month.split("-"))
    start = datetime.date(y, m, 1)
    width = {2: 4, 4: 6, 6: 9, 9: 12}.get(len(prefix), 12)
    periods = {"cur": start, "prev": start - relativedelta(months=1), "yb": start - relativedelta(years=1)}
    con = duckdb.connect()
    v, s = f"'{directory}/vacancies.parquet'", f"'{directory}/seekers.parquet'"
    case_v = " ".join(f"WHEN published_at >= TIMESTAMP '{p}' AND published_at < TIMESTAMP '{p + relativedelta(months=1)}' "
                      f"THEN '{k}'" for k, p in periods.items())
    case_s = " ".join(f"WHEN started_on >= DATE '{p}' AND started_on < DATE '{p + relativedelta(months=1)}' THEN '{k}'"
                      for k, p in periods.items())
    started = time.perf_counter()
    month_v = con.execute(f"SELECT tag, substr(region_id, 1, {width}) AS node, sum(openings) FROM (SELECT *, CASE {case_v} "
                          f"ELSE '' END AS tag FROM read_parquet({v}) WHERE region_id LIKE '{prefix}%') WHERE tag <> '' "
                          "GROUP BY ALL").fetchall()
    month_s = con.execute(f"SELECT tag, substr(registered_in_id, 1, {width}) AS node, count(*) FROM (SELECT *, CASE {case_s} "
                          f"ELSE '' END AS tag FROM read_parquet({s}) WHERE registered_in_id LIKE '{prefix}%') "
                          "WHERE tag <> '' GROUP BY ALL").fetchall()
    a = time.perf_counter() - started
    first = start - relativedelta(months=119)
    after = start + relativedelta(months=1)
    started = time.perf_counter()
    ser_v = con.execute(f"SELECT date_trunc('month', published_at) AS m, substr(region_id, 1, {width}), sum(openings) "
                        f"FROM read_parquet({v}) WHERE published_at >= TIMESTAMP '{first}' AND published_at < TIMESTAMP "
                        f"'{after}' AND region_id LIKE '{prefix}%' GROUP BY ALL").fetchall()
    ser_s = con.execute(f"SELECT date_trunc('month', started_on) AS m, substr(registered_in_id, 1, {width}), count(*) "
                        f"FROM read_parquet({s}) WHERE started_on >= DATE '{first}' AND started_on < DATE '{after}' "
                        f"AND registered_in_id LIKE '{prefix}%' GROUP BY ALL").fetchall()
    b = time.perf_counter() - started
    return {"a_month_by_region_seconds": round(a, 3), "b_series_120_months_seconds": round(b, 3),
            "month_total": {"openings": int(sum(n for t, _k, n in month_v if t == "cur")),
                            "seekers": int(sum(n for t, _k, n in month_s if t == "cur"))},
            "series_total": {"openings": int(sum(n for *_r, n in ser_v)), "seekers": int(sum(n for *_r, n in ser_s))}}


def _run_worker(url: str, parquet_dir: str | None) -> dict:
    cmd = [sys.executable, os.path.abspath(__file__), "--worker", url] + (["--parquet", parquet_dir] if parquet_dir else [])
    env = dict(os.environ, PYTHONPATH=str(CHECKOUT))
    env.pop("JIUYE_TESTING", None)
    result = subprocess.run(cmd, env=env, cwd=CHECKOUT, check=True, capture_output=True, text=True)
    sys.stderr.write(result.stderr[-2000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def _pg(base: str, name: str, template: str | None) -> str:
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return f"{base}/{name}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite-source", help="a seeded SQLite file (copied first)")
    parser.add_argument("--pg-template", help="a seeded PostgreSQL database (CREATE DATABASE … TEMPLATE it)")
    parser.add_argument("--pg-url", default="", help="server URL without the database, e.g. postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--persons", type=int, default=0, help="seed a fresh city of this size first")
    parser.add_argument("--no-duckdb", action="store_true")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--parquet", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(_worker(args.worker, args.parquet), ensure_ascii=False))
        return
    runs = []
    parquet = None if args.no_duckdb else tempfile.mkdtemp(prefix="jiuye-bench-parquet-")
    if args.sqlite_source or args.persons:
        env, db = fresh_sqlite_env()
        if args.sqlite_source:
            shutil.copyfile(args.sqlite_source, db)
        else:
            run_jiuye(["migrate"], env, quiet=True)
            run_jiuye(["seed", "--persons", str(args.persons), "--no-samples"], env, quiet=True)
        runs.append(_run_worker(f"sqlite:///{db}", parquet))
    if args.pg_url and (args.pg_template or args.persons):
        url = _pg(args.pg_url, "bench_supply_copy", args.pg_template)
        if not args.pg_template:
            env = dict(os.environ, JIUYE_DATABASE_URL=url, PYTHONPATH=str(CHECKOUT),
                       JIUYE_DATA_DIR=tempfile.mkdtemp(prefix="jiuye-bench-pg-"))
            env.pop("JIUYE_TESTING", None)
            run_jiuye(["migrate"], env, quiet=True)
            run_jiuye(["seed", "--persons", str(args.persons), "--no-samples"], env, quiet=True)
        runs.append(_run_worker(url, None if runs else parquet))
    if not runs:
        parser.error("--sqlite-source, --pg-template with --pg-url, or --persons")
    out = {"runs": runs}
    if parquet:
        first = runs[0]
        duck = _duckdb(parquet, first["month"], first["parquet"]["prefix"])
        duck["equal_to_sql"] = (duck["month_total"] == {k: first["month_total"][k] for k in ("openings", "seekers")}
                                and duck["series_total"] == first["series_total"])
        out["duckdb_parquet"] = duck
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
