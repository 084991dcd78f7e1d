"""Benchmark: the lists' count, pages, sorting and export, and the overview home, on a seeded database;
prints JSON.

    flock /work/bench-data/bench.lock .venv/bin/python bench/bench_lists.py --database-url sqlite:////tmp/copy.sqlite3
    .venv/bin/python bench/bench_lists.py --persons 100000          # seeds a fresh SQLite database first

Never point it at a database you want to keep unchanged: it adds two bench users (and the audit entries
of their exports). For each of a district officer (all of 新城区) and a community worker (one community):
milliseconds (median of --repeat runs) for COUNT of the person list, the first page of the web list
(count + page + render), page 100, the list sorted by name / by street-community / by status (first
page), the web export of 10,000 rows (the same filter and sort as the list, .xlsx, audited), and the
overview home (one grouped query per measure, one count per key group).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import fresh_sqlite_env, run_jiuye  # noqa: E402


def _setup(database_url: str, data_dir: str | None) -> None:
    os.environ["JIUYE_DATABASE_URL"] = database_url
    if data_dir:
        os.environ["JIUYE_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiuye.settings")
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import django

    django.setup()


def _timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(times), 1), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=None,
                        help="an already seeded database (a COPY: bench users are added)")
    parser.add_argument("--persons", type=int, default=100_000, help="persons to seed when no --database-url")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measure (median)")
    parser.add_argument("--export-rows", type=int, default=10_000)
    args = parser.parse_args()

    data_dir = None
    database_url = args.database_url
    if not database_url:
        env, _db = fresh_sqlite_env()
        data_dir = env["JIUYE_DATA_DIR"]
        run_jiuye(["migrate", "-v0"], env)
        run_jiuye(["seed", "--persons", str(args.persons), "--no-samples"], env)
        database_url = env["JIUYE_DATABASE_URL"]
    _setup(database_url, data_dir)

    from django.db import connection
    from django.db.models import Count
    from django.test import Client, RequestFactory

    from jiuye.accounts.models import Role, User
    from jiuye.registry import queries
    from jiuye.registry.models import Person
    from jiuye.web import exports
    from jiuye.web.views.persons import PERSON_COLUMNS

    # The community worker's community: the most populated one (a realistic worst case).
    community = (Person.objects.values("region_id").annotate(n=Count("pk")).order_by("-n")
                 .values_list("region_id", flat=True).first())
    users = {
        "district_officer": User.objects.get_or_create(username="bench_lists_district", defaults={
            "role": Role.DISTRICT_OFFICER, "region_id": community[:6] + "000000", "display_name": "基准测试"})[0],
        "community_worker": User.objects.get_or_create(username="bench_lists_community", defaults={
            "role": Role.COMMUNITY_WORKER, "region_id": community, "display_name": "基准测试"})[0],
    }
    results = {}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        everyone = queries.PersonSearch()
        r: dict[str, object] = {}
        r["count_ms"], total = _timed(lambda: queries.count_persons(user, everyone), args.repeat)
        r["rows"] = total

        def get(params):
            response = client.get("/persons/", params)
            assert response.status_code == 200, response.status_code
            return response

        r["first_page_ms"], _ = _timed(lambda: get({}), args.repeat)
        r["page_100_ms"], _ = _timed(lambda: get({"offset": 99 * 50}), args.repeat)
        for key in ("name", "-name", "region", "status"):
            r[f"sorted_{key}_ms"], _ = _timed(lambda: get({"sort": key}), args.repeat)
        r["sorted_name_page_100_ms"], _ = _timed(lambda: get({"sort": "name", "offset": 99 * 50}), args.repeat)
        r["count_unemployed_ms"], _ = _timed(
            lambda: queries.count_persons(user, queries.PersonSearch(status="unemployed")), args.repeat)
        r["count_hard_to_employ_ms"], n_hard = _timed(
            lambda: queries.count_persons(user, queries.PersonSearch(group="hard_to_employ")), args.repeat)
        r["hard_to_employ"] = n_hard

        # The export machinery on the list's first 10,000 rows in the list's order (name), audited.
        search = queries.PersonSearch(sort="name")
        request = RequestFactory().get("/persons/", {"format": "xlsx", "sort": "name"})
        request.user = user
        request._messages = None

        def export():
            rows = queries.persons_of_search(user, search)[: args.export_rows].iterator(chunk_size=2000)
            response = exports.export_xlsx(request, rows=rows, total=min(total, args.export_rows),
                                           columns=PERSON_COLUMNS, sheet="人员", filename="persons",
                                           object_type="person", filters={}, sort="name", summary="基准测试导出")
            return len(response.content)

        r["export_10000_ms"], size = _timed(export, max(1, min(args.repeat, 3)))
        r["export_bytes"] = size
        r["overview_ms"], overview = _timed(lambda: queries.region_overview(user), max(1, min(args.repeat, 3)))
        r["overview_rows"] = len(overview.rows)
        r["home_ms"], _ = _timed(lambda: client.get("/"), max(1, min(args.repeat, 3)))
        results[role] = r
        print(f"{role}: {r}", file=sys.stderr)

    print(json.dumps({"persons": Person.objects.count(), "database": connection.vendor,
                      "community": community, "repeat": args.repeat, "results": results},
                     ensure_ascii=False, indent=2))
    if data_dir:
        connection.close()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
