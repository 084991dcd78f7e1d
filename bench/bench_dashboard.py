"""Benchmark: the targets dashboard (issue 12 target: p95 under 500 ms on the 1,000,000-person city with kept
values), the KPI detail page, the big screen and its JSON; prints JSON.

    flock /work/bench-data/bench.lock .venv/bin/python bench/bench_dashboard.py \
        --sqlite-source /work/bench-data/sqlite/jiuye1m.sqlite3 --pg-template bench1m
    .venv/bin/python bench/bench_dashboard.py --persons 20000     # seeds a fresh SQLite database first

The seeded databases are never written: the SQLite file is copied into --workdir and the PostgreSQL template
is cloned (CREATE DATABASE ... TEMPLATE) and dropped afterwards. Each copy is migrated with this tree (a
database migrated when targets' reserved migrations were still empty is moved back to 0004 first, by record
only, so that 0005_dashboard creates the kept-values table). On each database, with the Django test client
(the whole request: middleware, session, queries, templates) as a district officer of the largest district:
- ``refresh``: ``jiuye kpi_refresh``'s default periods (the last 12 full months, the running month, quarter and
  year, and the years to date) over every region: the precomputation the demo, the daily refresh and cron run;
- ``warm``: --loads loads of the district's dashboard for the last full month from kept values (p50/p95/max),
  and the same for the KPI detail page, the big screen and the screen's JSON;
- ``cold_dashboard``: the district's dashboard (and --cold-streets streets') with nothing kept: every value it
  shows computed on the page (then kept).
Also reports how many kept values are not None (the KPI computations of the kpis part; the scaffold's stub
returns None everywhere, which makes ``cold`` a measure of the pages alone).
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

from common import fresh_sqlite_env, percentile, run_jiuye  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _stats(times: list[float]) -> dict:
    ms = [t * 1000 for t in times]
    return {"n": len(ms), "p50_ms": round(percentile(ms, 0.5), 1), "p95_ms": round(percentile(ms, 0.95), 1),
            "max_ms": round(max(ms), 1) if ms else None}


def migrate(env: dict) -> None:
    code = ("import django,os;os.environ.setdefault('DJANGO_SETTINGS_MODULE','jiuye.settings');django.setup();"
            "from django.db import connection;"
            "from django.db.migrations.recorder import MigrationRecorder as R;"
            "applied=R(connection).applied_migrations();"
            "print(int(('targets','0005_dashboard') in applied and "
            "'targets_kpisnapshot' not in connection.introspection.table_names()))")
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    if out.stdout.strip().endswith("1"):
        subprocess.run([sys.executable, "-m", "jiuye.cli", "migrate", "targets", "0004_tasks", "--fake", "-v0"], env=env,
                       cwd=ROOT, check=True)
    subprocess.run([sys.executable, "-m", "jiuye.cli", "migrate", "-v0"], env=env, cwd=ROOT, check=True)


def run_one(database_url: str, data_dir: str, loads: int, cold_streets: int = 0) -> dict:
    env = dict(os.environ, JIUYE_DATABASE_URL=database_url, JIUYE_DATA_DIR=data_dir, PYTHONPATH=ROOT)
    env.pop("JIUYE_TESTING", None)
    started = time.perf_counter()
    migrate(env)
    migrate_s = time.perf_counter() - started
    out = subprocess.run([sys.executable, os.path.abspath(__file__), "--child", "--loads", str(loads),
                          "--cold-streets", str(cold_streets)], env=env, cwd=ROOT,
                         stdout=subprocess.PIPE, text=True)  # stderr passes through: progress lines
    out.check_returncode()
    result = json.loads(out.stdout)
    result["migrate_s"] = round(migrate_s, 1)
    return result


def child(loads: int, cold_streets: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiuye.settings")
    sys.path.insert(0, ROOT)
    import django

    django.setup()
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from jiuye.accounts.models import Role, User
    from jiuye.regions.models import Region
    from jiuye.registry.models import Person
    from jiuye.targets.kpis import cache
    from jiuye.targets.models import KpiSnapshot
    from jiuye.web.views.targets_dashboard import default_period

    biggest = (Person.objects.values("region_id").annotate(n=Count("pk")).order_by("-n")
               .values_list("region_id", flat=True).first())
    district = Region.objects.get(code=biggest[:6] + "000000")
    user, _created = User.objects.get_or_create(username="bench_dash_do", defaults={
        "role": Role.DISTRICT_OFFICER, "region_id": district.code, "display_name": "看板基准"})
    client = Client()
    client.force_login(user)
    period = default_period()
    streets = list(Region.objects.filter(parent=district).order_by("code").values_list("code", flat=True))
    result = {"persons": Person.objects.count(), "district": district.code, "streets": len(streets),
              "regions": Region.objects.count(), "period": period.code}

    def load(url, params):
        t0 = time.perf_counter()
        r = client.get(url, params)
        elapsed = time.perf_counter() - t0
        assert r.status_code == 200, (url, params, r.status_code)
        return elapsed

    dash = reverse("web:targets")
    params = {"region": district.code, "period": period.code}

    def note(what):
        sys.stderr.write(f"{time.strftime('%H:%M:%S')} {what}\n")
        sys.stderr.flush()

    # precompute as the demo / daily refresh / cron do
    KpiSnapshot.objects.all().delete()
    t0 = time.perf_counter()
    kept = cache.refresh(cache.current_periods())
    result["refresh"] = {"seconds": round(time.perf_counter() - t0, 2), "kept": kept}
    note(f"refresh {result['refresh']}")
    # warm: every load answers from kept values
    first = load(dash, params)
    warm = [load(dash, params) for _ in range(loads)]
    result["warm_dashboard"] = {**_stats(warm), "first_after_refresh_ms": round(first * 1000, 1)}
    note(f"warm dashboard {result['warm_dashboard']}")
    detail = reverse("web:kpi_detail", args=["new_urban_jobs"])
    load(detail, params)
    result["warm_kpi_detail"] = _stats([load(detail, params) for _ in range(max(5, loads // 2))])
    screen = reverse("web:targets_screen")
    load(screen, params)
    result["warm_screen"] = _stats([load(screen, params) for _ in range(max(5, loads // 2))])
    data = reverse("web:targets_screen_data")
    result["warm_screen_data"] = _stats([load(data, params) for _ in range(max(5, loads // 2))])
    note("warm pages done")
    # cold: nothing kept; the first load computes every value it shows (and keeps them)
    cold = []
    for code in [district.code] + streets[:cold_streets]:
        KpiSnapshot.objects.all().delete()
        cold.append(load(dash, {"region": code, "period": period.code}))
        note(f"cold {code} {cold[-1]:.1f} s")
    result["cold_dashboard"] = _stats(cold)
    load(dash, params)
    result["kept_values"] = KpiSnapshot.objects.count()
    result["kept_not_none"] = KpiSnapshot.objects.exclude(value=None).count()
    json.dump(result, sys.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sqlite-source", help="a seeded SQLite file (copied, never written)")
    parser.add_argument("--pg-template", help="a seeded PostgreSQL database to clone (never written)")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432", help="server of --pg-template")
    parser.add_argument("--persons", type=int, help="seed a fresh SQLite database of this many persons first")
    parser.add_argument("--loads", type=int, default=50, help="warm page loads per measure (default 50)")
    parser.add_argument("--cold-streets", type=int, default=0, help="cold loads of streets besides the district's")
    parser.add_argument("--workdir", help="where the copies go (default: a temp dir, removed afterwards)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.loads, args.cold_streets)
        return
    workdir = args.workdir or tempfile.mkdtemp(prefix="jiuye-bench-dash-")
    os.makedirs(workdir, exist_ok=True)
    out: dict = {"loads": args.loads}
    try:
        sources = []
        if args.persons:
            env, db = fresh_sqlite_env(os.path.join(workdir, "seeded"))
            run_jiuye(["migrate", "-v0"], env, quiet=True)
            run_jiuye(["seed", "--persons", str(args.persons)], env, quiet=True)
            sources.append(("sqlite", str(db)))
        if args.sqlite_source:
            sources.append(("sqlite", args.sqlite_source))
        for name, source in sources:
            copy_dir = os.path.join(workdir, "copy")
            os.makedirs(copy_dir, exist_ok=True)
            copy = os.path.join(copy_dir, "jiuye.sqlite3")
            t0 = time.perf_counter()
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(source + suffix):
                    shutil.copyfile(source + suffix, copy + suffix)
            sys.stderr.write(f"copied {source} in {time.perf_counter() - t0:.1f} s\n")
            out[name] = run_one(f"sqlite:///{copy}", copy_dir, args.loads, args.cold_streets)
            shutil.rmtree(copy_dir, ignore_errors=True)
        if args.pg_template:
            clone = f"bench_dash_{os.getpid()}"
            psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-c"]
            subprocess.run([*psql, f'CREATE DATABASE "{clone}" TEMPLATE "{args.pg_template}"'], check=True,
                           stdout=subprocess.DEVNULL)
            try:
                pg_dir = os.path.join(workdir, "pg")
                os.makedirs(pg_dir, exist_ok=True)
                out["postgresql"] = run_one(f"{args.pg_url}/{clone}", pg_dir, args.loads, args.cold_streets)
            finally:
                subprocess.run([*psql, f'DROP DATABASE IF EXISTS "{clone}"'], check=False, stdout=subprocess.DEVNULL)
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
