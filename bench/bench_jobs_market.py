"""Benchmark (issue 10, part "market"): the gig board and concurrent takes on PostgreSQL.

Builds its own data in its own database ``jiuye_bench_market`` (dropped and re-created; the server is
``--database-url``, else JIUYE_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres): migrate,
``jiuye seed`` (a small demo city), then ``--tasks`` gig tasks over the district's communities (bulk, a
quarter of them past with done takes) and one event with ``--applications`` applications naming it.

Measures: the board's first page and count as a street officer and a resident (p50/p95 over repeats);
a person's gig history; the event's outcomes (one aggregate + one grouped query); and ``--workers``
threads taking ``--contended`` tasks of headcount 3 at once with ``--takers`` persons each (every
thread its own connection): the takes must never exceed the headcount (over_taken must be 0).

    .venv/bin/python bench/bench_jobs_market.py --tasks 200000 --applications 20000 --workers 8
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import tempfile
import threading
import time
from decimal import Decimal
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import CHECKOUT, percentile  # noqa: E402

DB_NAME = "jiuye_bench_market"


def recreate_database(url: str) -> str:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + DB_NAME, parts.query, parts.fragment))


def timed(fn, repeats: int) -> dict:
    runs = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t) * 1000)
    return {"p50_ms": round(percentile(runs, 0.5), 1), "p95_ms": round(percentile(runs, 0.95), 1)}


def build(n_tasks: int, n_apps: int):
    import random

    from django.utils import timezone

    from jiuye.jobs.models import Application, GigTake, GigTask, RecruitmentEvent, Vacancy
    from jiuye.regions.models import Region
    from jiuye.registry.models import Employer, Person

    rng = random.Random(1)
    today = timezone.localdate()
    communities = list(Region.objects.filter(code__startswith="610102", level=5).values_list("code", flat=True))
    persons = list(Person.objects.filter(region__code__startswith="610102").values_list("id", flat=True)[:20000])
    T = datetime.time
    tasks = []
    for i in range(n_tasks):
        past = i % 4 == 0
        day = today + datetime.timedelta(days=(-rng.randint(1, 300) if past else rng.randint(0, 14)))
        tasks.append(GigTask(title=f"零工{i}", region_id=rng.choice(communities), work_date=day, start_time=T(8),
                             end_time=T(17), daily_pay=Decimal(150 + i % 100), headcount=2,
                             status="done" if past else "open", poster_name="个人", contact_phone="13800138000"))
    GigTask.objects.bulk_create(tasks, batch_size=5000)
    done = GigTask.objects.filter(status="done").values_list("id", "daily_pay")
    GigTake.objects.bulk_create([GigTake(task_id=tid, person_id=persons[k % len(persons)], status="done", paid=pay)
                                 for k, (tid, pay) in enumerate(done.iterator())], batch_size=5000)
    employer = Employer.objects.order_by("id").first()
    start = timezone.now() - datetime.timedelta(days=30)
    event = RecruitmentEvent.objects.create(kind="spring_breeze", title="基准活动", organiser="区人社局", region_id="610102000000",
                                            starts_at=start, ends_at=start + datetime.timedelta(hours=6), place="市场")
    vacancies = [Vacancy.objects.create(employer=employer, title=f"岗位{k}", openings=50, region_id=employer.region_id,
                                        status="published", valid_from=today, valid_until=today) for k in range(20)]
    statuses = ["applied", "interview", "offer", "hired", "rejected"]
    Application.objects.bulk_create([Application(vacancy=vacancies[k % 20], person_id=persons[k // 20 % len(persons)],
                                                 origin="event", status=statuses[k % 5], event=event)
                                     for k in range(min(n_apps, 20 * len(persons)))], batch_size=5000)
    return event, persons, communities


def contend(n_tasks: int, takers: int, workers: int, persons, communities) -> dict:
    import queue

    from django.core.exceptions import ValidationError
    from django.db import connections
    from django.utils import timezone

    from jiuye.accounts.models import User
    from jiuye.jobs.models import GigTake, GigTask
    from jiuye.jobs.services import gigs
    from jiuye.registry.models import Person

    officer = User.objects.get(username="bench_district")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    tasks = [GigTask.objects.create(title=f"抢单{i}", region_id=communities[0], work_date=tomorrow,
                                    start_time=datetime.time(8), end_time=datetime.time(12), daily_pay=Decimal(100),
                                    headcount=3, poster_name="个人", contact_phone="13800138000") for i in range(n_tasks)]
    jobs = queue.Queue()
    for k, task in enumerate(tasks):
        for j in range(takers):
            jobs.put((task.pk, persons[(k * takers + j) % len(persons)]))
    stats = {"taken": 0, "refused": 0, "errors": 0}
    lock = threading.Lock()

    def worker():
        try:
            while True:
                try:
                    task_id, person_id = jobs.get_nowait()
                except queue.Empty:
                    return
                try:
                    gigs.take_gig(actor=officer, task=GigTask.objects.get(pk=task_id),
                                  person=Person.objects.get(pk=person_id))
                    key = "taken"
                except ValidationError:
                    key = "refused"
                except Exception:  # noqa: BLE001 - counted, the bench goes on
                    key = "errors"
                with lock:
                    stats[key] += 1
        finally:
            connections.close_all()

    t = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    seconds = time.perf_counter() - t
    from django.db.models import Count, F

    over = (GigTask.objects.filter(pk__in=[x.pk for x in tasks]).annotate(n=Count("takes"))
            .filter(n__gt=F("headcount")).count())
    stats.update(seconds=round(seconds, 2), takes_per_second=round((stats["taken"] + stats["refused"]) / seconds, 1),
                 over_taken=over, all_full=GigTake.objects.filter(task__in=tasks).count() == 3 * n_tasks)
    return stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("JIUYE_DATABASE_URL")
                        or "postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument("--tasks", type=int, default=200_000)
    parser.add_argument("--applications", type=int, default=20_000)
    parser.add_argument("--contended", type=int, default=200)
    parser.add_argument("--takers", type=int, default=8)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        parser.error("PostgreSQL only (concurrent takes)")
    os.environ["JIUYE_DATABASE_URL"] = recreate_database(args.database_url)
    os.environ.setdefault("JIUYE_DATA_DIR", tempfile.mkdtemp(prefix="jiuye-bench-market-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiuye.settings")
    sys.path.insert(0, str(CHECKOUT))
    import django

    django.setup()
    from django.core.management import call_command

    from jiuye.accounts.models import Role, User
    from jiuye.jobs.queries import events as event_queries
    from jiuye.jobs.queries import gigs as gig_queries
    from jiuye.registry import services as registry

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, stdout=sys.stderr)
    call_command("seed", persons=args.persons, seed=1, no_samples=True, verbosity=0, stdout=sys.stderr)
    officer = User.objects.create(username="bench_district", role=Role.DISTRICT_OFFICER, region_id="610102000000")
    street = User.objects.create(username="bench_street", role=Role.STREET_OFFICER, region_id="610102001000")
    event, persons, communities = build(args.tasks, args.applications)
    resident = User.objects.create(username="bench_resident", role=Role.RESIDENT)
    from jiuye.registry.models import Person

    registry.link_account(actor=None, user=resident, person=Person.objects.get(pk=persons[0]))
    setup = time.perf_counter() - t0
    s = gig_queries.GigSearch()
    out = {
        "database": "postgresql", "persons": args.persons, "tasks": args.tasks, "applications": args.applications,
        "setup_seconds": round(setup, 1),
        "board_page_street": timed(lambda: gig_queries.search_gigs(street, s), args.repeats),
        "board_count_street": timed(lambda: gig_queries.count_gigs(street, s), args.repeats),
        "board_page_district": timed(lambda: gig_queries.search_gigs(officer, s), args.repeats),
        "board_page_resident": timed(lambda: gig_queries.search_gigs(resident, s), args.repeats),
        "person_history": timed(lambda: gig_queries.gigs_of_person(officer, persons[1]), args.repeats),
        "event_outcomes": timed(lambda: event_queries.outcomes(officer, event), args.repeats),
    }
    out["contended_takes"] = contend(args.contended, args.takers, args.workers, persons, communities)
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
