"""A killed import leaves nothing blocked (finding 4): the forked reader dies with its writer, no
PostgreSQL session stays idle in transaction, the batch is marked failed, and importing the same file
again succeeds. The import runs in a subprocess that the test kills with SIGKILL."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from .conftest import COMMUNITY_A1, make_id

ROOT = Path(__file__).resolve().parent.parent
ROWS = 5000  # more chunks than the pipe holds: the reader is still sending when the writer is killed


def _database_url(tmp_path: Path) -> str:
    """A URL for subprocesses: the test database itself (PostgreSQL), or a file copy of it (SQLite)."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        target = tmp_path / "copy.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        connection.connection.backup(copy)
        copy.close()
        return f"sqlite:///{target}"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    return (f"postgres://{settings['USER']}{password}@{settings.get('HOST') or '127.0.0.1'}:"
            f"{settings.get('PORT') or 5432}/{settings['NAME']}")


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state in ("Z", "X")  # a zombie no one has reaped yet has ended


def _wait(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.django_db(transaction=True)
def test_killed_import_leaves_nothing_blocked(regions, tmp_path):
    lines = ["姓名,公民身份号码,户籍性质,所在社区"]
    lines += [f"张明,{make_id('610102', f'199001{i // 1000 + 10}', f'{i % 1000:03d}')},城镇,{COMMUNITY_A1}"
              for i in range(ROWS)]
    csv = tmp_path / "人员.csv"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {**os.environ, "JIUYE_DATABASE_URL": _database_url(tmp_path), "JIUYE_DATA_DIR": str(tmp_path / "data"),
           "JIUYE_TESTING": "0"}
    env.pop("PYTEST_CURRENT_TEST", None)
    pidfile = tmp_path / "pids"
    importer = subprocess.Popen([sys.executable, "-m", "tests.kill_import", "hang", str(csv), str(pidfile)],
                                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        assert _wait(lambda: pidfile.exists() and pidfile.read_text().strip(), 120), importer.stdout.read(4000)
        parent, *readers = map(int, pidfile.read_text().split())
        assert parent == importer.pid and len(readers) == 1
        reader = readers[0]
        assert not _gone(reader)
        os.kill(parent, signal.SIGKILL)
        importer.wait(10)
    finally:
        if importer.poll() is None:
            importer.kill()
            importer.wait()

    try:
        assert _wait(lambda: _gone(reader), 10), "the reader outlived its killed parent"
    finally:
        if not _gone(reader):  # (the finding) it would hold the session's locks and block the teardown too
            os.kill(reader, signal.SIGKILL)
    if connection.vendor == "postgresql":
        def idle_in_transaction() -> int:
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                               "AND state LIKE 'idle in transaction%%'")
                return cursor.fetchone()[0]

        assert _wait(lambda: idle_in_transaction() == 0, 10), "a session stayed idle in transaction"

    again = subprocess.run([sys.executable, "-m", "tests.kill_import", "plain", str(csv)], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=180)
    assert again.returncode == 0, again.stderr[-3000:]
    line = again.stdout.strip().splitlines()[-1]
    fields = dict(part.split("=") for part in line.split())
    assert fields["stale"] == "1"  # the killed batch, marked failed
    assert fields["status"] == "ok" and fields["rejected"] == "0"
    assert int(fields["imported"]) + int(fields["unchanged"]) == ROWS
