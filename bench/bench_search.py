"""Benchmark: person search through GET /api/v1/persons as a district officer; prints JSON.

    .venv/bin/python bench/bench_search.py --database-url sqlite:////tmp/jb1m/jiuye.sqlite3
    .venv/bin/python bench/bench_search.py --persons 100000        # seeds a fresh SQLite database first

For each query type: p50/p95/max milliseconds over --requests requests (after a short warm-up), through
Django's test Client (the full middleware, authentication, ORM and JSON stack, no network).
--explain adds the query plan of the main SELECT of each type.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import fresh_sqlite_env, percentile, run_jiuye  # noqa: E402


def _setup(database_url: str, data_dir: str | None) -> None:
    os.environ["JIUYE_DATABASE_URL"] = database_url
    if data_dir:
        os.environ["JIUYE_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiuye.settings")
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import django

    django.setup()


def _plan(sql: str) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            return [row[-1] for row in cursor.fetchall()]
        cursor.execute("EXPLAIN " + sql)
        return [row[0] for row in cursor.fetchall()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=None, help="an already seeded database")
    parser.add_argument("--persons", type=int, default=1_000_000, help="persons to seed when no --database-url")
    parser.add_argument("--requests", type=int, default=200, help="requests per query type")
    parser.add_argument("--max-seconds", type=float, default=120, help="time limit per query type")
    parser.add_argument("--explain", action="store_true", help="include query plans")
    parser.add_argument("--only", default="", help="comma-separated query types to run")
    args = parser.parse_args()

    data_dir = None
    database_url = args.database_url
    if not database_url:
        env, db = fresh_sqlite_env()
        data_dir = env["JIUYE_DATA_DIR"]
        run_jiuye(["migrate", "-v0"], env)
        run_jiuye(["seed", "--persons", str(args.persons), "--no-samples"], env)
        database_url = env["JIUYE_DATABASE_URL"]
    _setup(database_url, data_dir)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from jiuye.accounts.models import Role, User
    from jiuye.registry.models import Person

    user, _ = User.objects.get_or_create(username="bench_district", defaults={
        "role": Role.DISTRICT_OFFICER, "region_id": "610102000000", "display_name": "基准测试"})
    client = Client()
    client.force_login(user)

    total = Person.objects.count()
    max_id = Person.objects.order_by("-id").values_list("id", flat=True).first() or 0
    rng = random.Random(42)
    sample_ids = rng.sample(range(1, max_id + 1), min(max_id, 3000))
    people = list(Person.objects.filter(pk__in=sample_ids).values("name", "id_number", "phone", "region_id"))
    rng.shuffle(people)

    def street(code: str) -> str:
        return code[:9] + "000"

    types = {
        "name_surname": lambda p: {"q": p["name"][:1]},
        "name_2chars": lambda p: {"q": p["name"][:2]},
        "name_full": lambda p: {"q": p["name"]},
        "id_full": lambda p: {"q": p["id_number"]},
        "id_prefix_14": lambda p: {"q": p["id_number"][:14]},
        "phone": lambda p: {"q": p["phone"]},
        "region_status_unemployed": lambda p: {"region": p["region_id"] if rng.random() < 0.5 else street(p["region_id"]),
                                               "status": "unemployed"},
        "name_region_status": lambda p: {"q": p["name"][:1], "region": street(p["region_id"]), "status": "employed"},
        "group_graduate_2y": lambda p: {"group": "graduate_within_2y", "region": street(p["region_id"])},
        "group_veteran_name": lambda p: {"group": "veteran", "q": p["name"][:1]},
        "group_long_term_unemployed": lambda p: {"group": "long_term_unemployed"},
        "group_hard_to_employ": lambda p: {"group": "hard_to_employ", "region": street(p["region_id"])},
        "group_zero_household": lambda p: {"group": "zero_employment_household"},
    }
    if args.only:
        wanted = set(args.only.split(","))
        types = {k: v for k, v in types.items() if k in wanted}

    results = {}
    for name, make in types.items():
        times: list[float] = []
        statuses = set()
        rows = 0
        for p in people[:3]:  # warm-up
            client.get("/api/v1/persons", make(p))
        started = time.perf_counter()
        for i in range(args.requests):
            params = make(people[i % len(people)])
            t0 = time.perf_counter()
            response = client.get("/api/v1/persons", params)
            times.append((time.perf_counter() - t0) * 1000)
            statuses.add(response.status_code)
            if response.status_code == 200:
                rows += len(response.json()["items"])
            if time.perf_counter() - started > args.max_seconds:
                break
        entry = {
            "n": len(times), "p50_ms": round(percentile(times, 0.5), 1), "p95_ms": round(percentile(times, 0.95), 1),
            "max_ms": round(max(times), 1), "mean_rows": round(rows / len(times), 1), "http": sorted(statuses),
        }
        if args.explain:
            with CaptureQueriesContext(connection) as ctx:
                client.get("/api/v1/persons", make(people[0]))
            selects = [q["sql"] for q in ctx.captured_queries if 'FROM "registry_person"' in q["sql"]]
            if selects:
                entry["sql"] = selects[-1]
                entry["plan"] = _plan(selects[-1])
        results[name] = entry
        print(f"{name}: {entry['n']} requests, p50 {entry['p50_ms']} ms, p95 {entry['p95_ms']} ms, "
              f"max {entry['max_ms']} ms", file=sys.stderr)
    print(json.dumps({"persons": total, "database": connection.vendor, "queries": results}, ensure_ascii=False,
                     indent=2))
    if data_dir:  # the database this run seeded
        connection.close()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
