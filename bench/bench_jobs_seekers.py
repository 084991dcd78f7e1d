"""Benchmark: job seekers (issue 10, part seek) on a seeded city; prints JSON.

    .venv/bin/python bench/bench_jobs_seekers.py --persons 20000          # seeds a fresh SQLite database first
    .venv/bin/python bench/bench_jobs_seekers.py --database-url sqlite:////work/bench-data/copy.sqlite3
    .venv/bin/python bench/bench_jobs_seekers.py --database-url postgres://postgres@127.0.0.1:5432/bench1m_copy

WRITES to the database (use a copy): opens a seeker registration for every unemployed person able and
willing to work, with profiles for two in three (``demo_seekers._seekers``: bulk, 5,000 per transaction).
Then measures, over --repeat runs: the supply figures for the whole city by street
(``open_seeker_counts``, one GROUP BY), the district officer's seeker list (first page + count, open
registrations, and with an occupation-group filter), and the hire receiver (``close_on_registrations``)
over the latest --receiver employment registrations (one event's worth).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import CHECKOUT, fresh_sqlite_env, percentile, run_jiuye  # noqa: E402


def _times(fn, repeat: int) -> dict:
    times = []
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(percentile(times, 0.95), 1),
            "max_ms": round(max(times), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--persons", type=int, default=0, help="seed a fresh SQLite city of this size first")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--receiver", type=int, default=10_000)
    args = parser.parse_args()
    if args.persons:
        env, db = fresh_sqlite_env()
        run_jiuye(["migrate"], env, quiet=True)
        run_jiuye(["seed", "--persons", str(args.persons), "--no-samples"], env, quiet=True)
        args.database_url = f"sqlite:///{db}"
    if not args.database_url:
        parser.error("--database-url or --persons")
    os.environ["JIUYE_DATABASE_URL"] = args.database_url
    os.environ.setdefault("JIUYE_DATA_DIR", tempfile.mkdtemp(prefix="jiuye-bench-seek-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiuye.settings")
    sys.path.insert(0, str(CHECKOUT))
    import django

    django.setup()
    from django.utils import timezone

    from jiuye.accounts.models import Role, User
    from jiuye.jobs import demo_seekers
    from jiuye.jobs.queries import seekers as q
    from jiuye.jobs.services.occupations import ensure_loaded
    from jiuye.jobs.services.seekers import close_on_registrations
    from jiuye.regions.models import Region
    from jiuye.registry.models import Person, Registration

    ensure_loaded()
    today = timezone.localdate()
    started = time.perf_counter()
    regs, profiles = demo_seekers._seekers(today)
    bulk = time.perf_counter() - started
    district = Region.objects.filter(level=Region.Level.COUNTY).order_by("code").first()
    officer = User.objects.filter(role=Role.DISTRICT_OFFICER, region=district).first() or User.objects.create(
        username="bench_seek_district", role=Role.DISTRICT_OFFICER, region=district)
    supply = _times(lambda: q.open_seeker_counts(today, "", "street"), args.repeat)
    plain = q.SeekerSearch(limit=50)
    listing = _times(lambda: (q.search_seekers(officer, plain), q.count_seekers(officer, plain)), args.repeat)
    by_occupation = q.SeekerSearch(limit=50, occupation="6-")
    occupation = _times(lambda: (q.search_seekers(officer, by_occupation), q.count_seekers(officer, by_occupation)),
                        args.repeat)
    ids = list(Registration.objects.filter(kind="employment").order_by("-pk").values_list("pk", flat=True)[:args.receiver])
    started = time.perf_counter()
    closed = close_on_registrations(ids)
    receiver = time.perf_counter() - started
    print(json.dumps({
        "database": args.database_url.split(":", 1)[0], "persons": Person.objects.count(),
        "seeker_registrations_made": regs, "profiles_made": profiles, "bulk_seconds": round(bulk, 2),
        "open_seekers_today": q.open_seekers_on(today).count(),
        "supply_by_street": supply, "district_list_first_page_and_count": listing,
        "district_list_occupation_filter": occupation,
        "receiver": {"registrations": len(ids), "closed": closed, "seconds": round(receiver, 3)},
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
