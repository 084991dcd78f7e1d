"""The upgrade path: a database made by the previous release (git commit d72e2d9: regions 0001; accounts
0001, 0002; registry 0001–0003) with a little data is migrated to the latest and the data survives.
Runs `python -m tests.upgrade_check` on an empty database of the suite's vendor (a SQLite file, or a new
PostgreSQL database next to the test database)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def empty_database_url(tmp_path):
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'previous-release.sqlite3'}"
        return
    import psycopg

    settings = connection.settings_dict
    name = f"{settings['NAME']}_upgrade"[:63]
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    server = f"postgres://{settings['USER']}{password}@{settings.get('HOST') or '127.0.0.1'}:{settings.get('PORT') or 5432}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_database_of_the_previous_release_upgrades_with_its_data(empty_database_url, tmp_path):
    env = {**os.environ, "JIUYE_DATABASE_URL": empty_database_url, "JIUYE_DATA_DIR": str(tmp_path / "data"),
           "JIUYE_TESTING": "0"}
    result = subprocess.run([sys.executable, "-m", "tests.upgrade_check"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-4000:]
    assert result.stdout.strip().splitlines()[-1] == "upgrade ok"
