"""Benchmark: the zero-employment reconcile (``assistance.services.zero.reconcile_zero_employment``) on
a seeded city: the rule recomputed for every household in one grouped query and compared with the
flags, the open spells and the open cases. Read-only (``fix=False``); prints JSON.

    .venv/bin/python bench/bench_zero.py --database-url sqlite:////work/bench-data/copy.sqlite3 --repeat 3
    .venv/bin/python bench/bench_zero.py --database-url postgres://postgres@127.0.0.1:5432/bench1m_copy

The database must be migrated to this branch (``jiuye migrate``: the assistance tables). Target of
issue 8: under 30 s on the 1,000,000-person demo city, SQLite and PostgreSQL.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import CHECKOUT  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ["JIUYE_DATABASE_URL"] = args.database_url
    os.environ.setdefault("JIUYE_DATA_DIR", tempfile.mkdtemp(prefix="jiuye-bench-zero-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiuye.settings")
    sys.path.insert(0, str(CHECKOUT))
    import django

    django.setup()
    from jiuye.assistance.services.zero import reconcile_zero_employment
    from jiuye.registry.models import Household, Person

    times, counts = [], {}
    for _ in range(max(1, args.repeat)):
        started = time.perf_counter()
        counts = reconcile_zero_employment(fix=False)
        times.append(time.perf_counter() - started)
    print(json.dumps({
        "database": args.database_url.split(":", 1)[0], "persons": Person.objects.count(),
        "households": Household.objects.count(), "first": round(times[0], 3), "best": round(min(times), 3),
        "counts": counts,
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
