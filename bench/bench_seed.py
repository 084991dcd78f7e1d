"""Benchmark: `jiuye seed --persons N` into a fresh SQLite database; prints JSON.

    .venv/bin/python bench/bench_seed.py [--persons 1000000] [--seed 1] [--data-dir DIR]

--data-dir keeps the database there (for bench_search.py --database-url sqlite:///DIR/jiuye.sqlite3);
by default a temporary directory is used and removed afterwards.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import file_bytes, fresh_sqlite_env, run_jiuye, sqlite_rows  # noqa: E402

TABLES = ["registry_employer", "registry_person", "registry_household", "registry_householdmembership",
          "registry_registration"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data-dir", default=None, help="keep the database in this directory")
    args = parser.parse_args()
    env, db = fresh_sqlite_env(args.data_dir)
    if db.exists():
        sys.exit(f"{db} already exists; give an empty --data-dir")
    try:
        run_jiuye(["migrate", "-v0"], env)
        seconds = run_jiuye(["seed", "--persons", str(args.persons), "--seed", str(args.seed),
                             "--sample-dir", str(db.parent / "samples")], env)
        result = {
            "persons": args.persons,
            "seed": args.seed,
            "seconds": round(seconds, 1),
            "db_bytes": file_bytes(db),
            "db_mb": round(file_bytes(db) / 1024 / 1024, 1),
            "rows": sqlite_rows(db, TABLES),
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
            "database": str(db) if args.data_dir else None,
        }
        print(json.dumps(result, ensure_ascii=False, indent=2))
    finally:
        if not args.data_dir:
            shutil.rmtree(db.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
