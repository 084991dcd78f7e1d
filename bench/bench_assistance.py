"""Benchmark: employment assistance on a seeded city (issue 8 targets); prints JSON.

    flock /work/bench-data/bench.lock .venv/bin/python bench/bench_assistance.py \
        --sqlite-source /work/bench-data/seed/jiuye1m.sqlite3 [--pg-template bench1m]
    .venv/bin/python bench/bench_assistance.py --persons 100000     # seeds a fresh SQLite database first

The seeded databases are never written: the SQLite file is copied into --workdir and the PostgreSQL
template is cloned (CREATE DATABASE ... TEMPLATE) and dropped afterwards. On each database:
- **recompute from scratch** (target < 30 s): every household's zero-employment state and every
  hard-to-employ person, with their spells, proposals and cases, from an assistance app that holds
  nothing yet (``reconcile_zero_employment`` + ``reconcile_hard_to_employ``); then the same again when
  everything already agrees (the daily check);
- **detection**: one unemployment registration that makes a household zero-employment, with the case
  opened in its transaction (milliseconds, and whether the case exists);
- **lists** (target p95 < 200 ms): a community worker's case list (web page: count + first page +
  render, urgency order) and the district officer's case list and assistance overview (web pages), over
  --repeat requests each: p50/p95/max.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import fresh_sqlite_env, run_jiuye  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _pct(times: list[float]) -> dict[str, float]:
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(round(0.95 * len(times) + 0.5)) - 1)]
    return {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(p95, 1), "max_ms": round(times[-1], 1)}


def run_one(database_url: str, data_dir: str, repeat: int) -> dict:
    """Runs in a child process (one Django setup per database)."""
    env = dict(os.environ, JIUYE_DATABASE_URL=database_url, JIUYE_DATA_DIR=data_dir, PYTHONPATH=ROOT)
    env.pop("JIUYE_TESTING", None)
    subprocess.run([sys.executable, "-m", "jiuye.cli", "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    out = subprocess.run([sys.executable, os.path.abspath(__file__), "--child", "--repeat", str(repeat)], env=env,
                         cwd=ROOT, capture_output=True, text=True)
    sys.stderr.write(out.stderr)
    out.check_returncode()
    return json.loads(out.stdout)


def child(repeat: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiuye.settings")
    sys.path.insert(0, ROOT)
    import django

    django.setup()
    from django.db import connection, transaction
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from jiuye.accounts.models import Role, User
    from jiuye.accounts.scoping import region_q
    from jiuye.assistance.models import Case, CaseKind, CaseStatus
    from jiuye.assistance.services.recognitions import reconcile_hard_to_employ
    from jiuye.assistance.services.zero import reconcile_zero_employment
    from jiuye.registry import services as registry
    from jiuye.registry.models import EmploymentStatus, Household, HouseholdMembership, Person, UnemploymentReason

    today = timezone.localdate()
    result: dict[str, object] = {"database": connection.vendor, "persons": Person.objects.count(),
                                 "households": Household.objects.count(), "today": str(today)}
    community = (Person.objects.values("region_id").annotate(n=Count("pk")).order_by("-n")
                 .values_list("region_id", flat=True).first())
    users = {
        "district_officer": User.objects.get_or_create(username="bench_assist_district", defaults={
            "role": Role.DISTRICT_OFFICER, "region_id": community[:6] + "000000", "display_name": "基准测试"})[0],
        "community_worker": User.objects.get_or_create(username="bench_assist_community", defaults={
            "role": Role.COMMUNITY_WORKER, "region_id": community, "display_name": "基准测试"})[0],
    }

    # Recompute from scratch (nothing in the assistance tables yet), then again when all agrees.
    t0 = time.perf_counter()
    zero_first = reconcile_zero_employment(today=today, fix=True)
    t1 = time.perf_counter()
    hte_first = reconcile_hard_to_employ(today=today, fix=True)
    t2 = time.perf_counter()
    zero_again = reconcile_zero_employment(today=today, fix=True)
    t3 = time.perf_counter()
    hte_again = reconcile_hard_to_employ(today=today, fix=True)
    t4 = time.perf_counter()
    result["recompute_from_scratch"] = {
        "zero_employment_s": round(t1 - t0, 2), "hard_to_employ_s": round(t2 - t1, 2), "total_s": round(t2 - t0, 2),
        "zero_employment": zero_first, "hard_to_employ": hte_first}
    result["recompute_when_agreeing"] = {
        "zero_employment_s": round(t3 - t2, 2), "hard_to_employ_s": round(t4 - t3, 2), "total_s": round(t4 - t2, 2),
        "zero_employment": zero_again, "hard_to_employ": hte_again}
    result["cases"] = {f"{k}_{s}": n for (k, s), n in (
        ((row["kind"], row["status"]), row["n"]) for row in Case.objects.values("kind", "status").annotate(n=Count("pk")))}
    print(f"recompute: {result['recompute_from_scratch']}", file=sys.stderr)

    # Detection: a household whose only working-age member able and willing to work is employed; that
    # member registers unemployment -> the household is zero-employment and its case opens in the same
    # transaction.
    sole = (HouseholdMembership.objects.filter(left_on__isnull=True).values("household_id").annotate(n=Count("pk"))
            .filter(n=1).values("household_id"))
    member = (HouseholdMembership.objects.filter(left_on__isnull=True, household_id__in=sole,
                                                 household__has_business_income=False,
                                                 person__employment_status=EmploymentStatus.EMPLOYED,
                                                 person__able_to_work=True, person__willing_to_work=True,
                                                 person__retirement_date__gt=today + datetime.timedelta(days=30),
                                                 person__status_since__lt=today - datetime.timedelta(days=30))
              .select_related("person").first())
    if member is not None:
        t0 = time.perf_counter()
        with transaction.atomic():
            registry.register_unemployment(actor=users["district_officer"], person=member.person, effective_date=today,
                                           unemployment_reason=UnemploymentReason.RESIGNED)
            opened = Case.objects.filter(kind=CaseKind.ZERO_EMPLOYMENT, household_id=member.household_id,
                                         status=CaseStatus.OPEN).exists()
        result["detection"] = {"registration_with_case_ms": round((time.perf_counter() - t0) * 1000, 1),
                               "case_open_in_same_transaction": opened}

    # Lists and overview through the web pages, as each user.
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        pages = {"case_list": "/assistance/cases/", "overview": "/assistance/overview/"}
        r: dict[str, object] = {}
        for name, url in pages.items():
            response = client.get(url)
            if response.status_code != 200:
                r[name] = {"status": response.status_code}
                continue
            times = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200
            r[name] = _pct(times)
        r["active_cases_in_scope"] = Case.objects.filter(region_q(user), status__in=["open", "follow_up"]).count()
        result[role] = r
        print(f"{role}: {r}", file=sys.stderr)
    print(json.dumps(result, ensure_ascii=False, default=str))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--sqlite-source", default=None, help="a seeded SQLite file (copied, never written)")
    parser.add_argument("--pg-template", default="", help="a seeded PostgreSQL database to clone ('' to skip)")
    parser.add_argument("--pg-admin", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--persons", type=int, default=100_000, help="persons to seed when no --sqlite-source")
    parser.add_argument("--workdir", default=None)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    if args.child:
        child(args.repeat)
        return
    results = []
    workdir = tempfile.mkdtemp(prefix="bench-assist-", dir=args.workdir)
    try:
        if args.sqlite_source:
            db = os.path.join(workdir, "jiuye.sqlite3")
            shutil.copyfile(args.sqlite_source, db)
            results.append(run_one(f"sqlite:///{db}", workdir, args.repeat))
        else:
            env, db = fresh_sqlite_env(workdir)
            run_jiuye(["migrate", "-v0"], env)
            run_jiuye(["seed", "--persons", str(args.persons), "--no-samples"], env)
            results.append(run_one(env["JIUYE_DATABASE_URL"], env["JIUYE_DATA_DIR"], args.repeat))
        if args.pg_template:
            import psycopg

            name = f"bench_assist_{os.getpid()}"
            with psycopg.connect(args.pg_admin, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{args.pg_template}"')
            try:
                base = args.pg_admin.rsplit("/", 1)[0]
                results.append(run_one(f"{base}/{name}", workdir, args.repeat))
            finally:
                with psycopg.connect(args.pg_admin, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(results, ensure_ascii=False, indent=2, default=str))


if __name__ == "__main__":
    main()
