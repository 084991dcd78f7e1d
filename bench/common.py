"""Helpers shared by the benchmarks: a throw-away data directory and the `jiuye` command."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent
JIUYE = [sys.executable, "-m", "jiuye.cli"]


def fresh_sqlite_env(directory: str | None = None) -> tuple[dict[str, str], Path]:
    """Environment for a new SQLite database in ``directory`` (a new temp dir by default)."""
    data_dir = Path(directory or tempfile.mkdtemp(prefix="jiuye-bench-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    db = data_dir / "jiuye.sqlite3"
    env = dict(os.environ)
    env.pop("JIUYE_TESTING", None)
    env.update(JIUYE_DATA_DIR=str(data_dir), JIUYE_DATABASE_URL=f"sqlite:///{db}", PYTHONPATH=str(CHECKOUT))
    return env, db


def run_jiuye(args: list[str], env: dict[str, str], *, quiet: bool = False) -> float:
    """Run `jiuye <args>`; returns the wall-clock seconds. Output goes to stderr (stdout stays JSON)."""
    started = time.perf_counter()
    subprocess.run([*JIUYE, *args], env=env, cwd=CHECKOUT, check=True,
                   stdout=subprocess.DEVNULL if quiet else sys.stderr, stderr=sys.stderr)
    return time.perf_counter() - started


def sqlite_rows(db: Path, tables: list[str]) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


def file_bytes(db: Path) -> int:
    return sum(p.stat().st_size for p in [db, Path(str(db) + "-wal")] if p.exists())


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def timed(fn) -> tuple[float, object]:
    """(seconds rounded to the millisecond, result) of one call."""
    t0 = time.perf_counter()
    result = fn()
    return round(time.perf_counter() - t0, 3), result


def migrate_and_run_child(script: str, database_url: str, child_args: list[str], **env_extra: str) -> dict:
    """Migrate the database at ``database_url`` with this checkout, then run ``script --child ...`` against it
    in a fresh process (settings read from the environment) and return the JSON it prints."""
    import json

    env = dict(os.environ, JIUYE_DATABASE_URL=database_url, PYTHONPATH=str(CHECKOUT), **env_extra)
    env.pop("JIUYE_TESTING", None)
    subprocess.run(JIUYE + ["migrate", "-v0"], env=env, cwd=CHECKOUT, check=True)
    out = subprocess.run([sys.executable, os.path.abspath(script), "--child", *child_args], env=env, cwd=CHECKOUT,
                         capture_output=True, text=True)
    sys.stderr.write(out.stderr)
    out.check_returncode()
    return json.loads(out.stdout)


class pg_clone:
    """``with pg_clone(admin_url, template, name) as url:`` a PostgreSQL database created from ``template`` (a
    seeded database nobody is connected to), dropped on leaving; ``admin_url`` is a URL of a database to run
    CREATE/DROP from (e.g. postgres://postgres@127.0.0.1:5432/postgres), ``url`` the clone's URL."""

    def __init__(self, admin_url: str, template: str, name: str):
        self.admin_url, self.template, self.name = admin_url, template, name

    def __enter__(self) -> str:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}" TEMPLATE "{self.template}"')
        return f"{self.admin_url.rsplit('/', 1)[0]}/{self.name}"

    def __exit__(self, *exc) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
