"""Benchmark: the full-employment community assessment (充分就业社区, issue 12 part tasks) of a whole district and a
whole city for the last full year: ``targets.communities.evaluate`` (five criteria, each one GROUP BY over every
community of the region; two status-table CTEs over the registrations) and ``services_communities.assess`` (the
same plus storing one assessment per community); prints JSON.

    flock /work/bench-data/bench.lock .venv/bin/python bench/bench_targets_communities.py \
        --sqlite-source /work/bench-data/sqlite/jiuye1m.sqlite3 [--pg-template bench1m]
    .venv/bin/python bench/bench_targets_communities.py --persons 20000     # seeds a fresh SQLite database first

The seeded databases are never written: the SQLite file is copied into a temporary directory and the PostgreSQL
template is cloned (CREATE DATABASE ... TEMPLATE) and dropped afterwards.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import fresh_sqlite_env, migrate_and_run_child, pg_clone, run_jiuye  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_one(database_url: str, data_dir: str, repeat: int) -> dict:
    return migrate_and_run_child(__file__, database_url, ["--repeat", str(repeat)], JIUYE_DATA_DIR=data_dir)


def _best(fn, repeat: int):
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return round(min(times), 3), result


def child(repeat: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiuye.settings")
    sys.path.insert(0, ROOT)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    with connection.cursor() as cursor:
        columns = [c.name for c in connection.introspection.get_table_description(cursor, "targets_communityassessment")]
    if "designation" not in columns:
        # A copy migrated with the scaffold's empty 0004_tasks: mark 0004 and later unapplied, apply them again.
        call_command("migrate", "targets", "0003", fake=True, verbosity=0)
        call_command("migrate", verbosity=0)
    from django.db.models import Count
    from django.utils import timezone

    from jiuye.accounts.models import Role, User
    from jiuye.registry.models import Person, Registration
    from jiuye.targets import communities, services_communities

    year = timezone.localdate().year - 1
    community = (Person.objects.values("region_id").annotate(n=Count("pk")).order_by("-n")
                 .values_list("region_id", flat=True).first())
    district, city = community[:6].ljust(12, "0"), community[:4].ljust(12, "0")
    result: dict = {"database": connection.vendor, "persons": Person.objects.count(),
                    "registrations": Registration.objects.count(), "year": year, "district": district}
    for name, code in (("district", district), ("city", city)):
        seconds, out = _best(lambda: communities.evaluate(code, year), repeat)
        result[f"evaluate_{name}_s"] = seconds
        result[f"evaluate_{name}_communities"] = len(out)
        result[f"evaluate_{name}_passed"] = sum(1 for c in out.values() if communities.passed(c))
    user, _ = User.objects.get_or_create(username="bench_communities", defaults={
        "role": Role.CITY_OFFICER, "region_id": city, "display_name": "基准测试"})
    result["assess_city_s"], _ = _best(lambda: services_communities.assess(user, year, city), 1)
    print(f"{connection.vendor}: {result}", file=sys.stderr)
    print(json.dumps(result, ensure_ascii=False, default=str))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--sqlite-source", default=None, help="a seeded SQLite file (copied, never written)")
    parser.add_argument("--pg-template", default="", help="a seeded PostgreSQL database to clone ('' to skip)")
    parser.add_argument("--pg-admin", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--persons", type=int, default=20_000, help="persons to seed when no --sqlite-source")
    parser.add_argument("--workdir", default=None)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    if args.child:
        child(args.repeat)
        return
    results = []
    workdir = tempfile.mkdtemp(prefix="bench-fe-", dir=args.workdir)
    try:
        if args.sqlite_source:
            db = os.path.join(workdir, "jiuye.sqlite3")
            shutil.copyfile(args.sqlite_source, db)
        else:
            env, db = fresh_sqlite_env(workdir)
            run_jiuye(["migrate", "-v0"], env)
            run_jiuye(["seed", "--persons", str(args.persons), "--no-samples"], env)
        results.append(run_one(f"sqlite:///{db}", workdir, args.repeat))
        if args.pg_template:
            with pg_clone(args.pg_admin, args.pg_template, f"bench_fe_{os.getpid()}") as url:
                results.append(run_one(url, workdir, args.repeat))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(results, ensure_ascii=False, indent=2, default=str))


if __name__ == "__main__":
    main()
