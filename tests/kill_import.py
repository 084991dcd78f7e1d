"""Run by tests/test_import_kill.py in a subprocess: `python -m tests.kill_import MODE FILE [PIDFILE]`.

hang: import FILE with the forked reader; on the second chunk, inside its transaction, write
      "<own pid> <reader pid>" to PIDFILE and wait to be killed.
plain: mark stale batches, import FILE, print "stale=N status=S imported=... unchanged=... rejected=...".
The database is the one in JIUYE_DATABASE_URL.
"""
from __future__ import annotations

import multiprocessing
import os
import sys
import time
from pathlib import Path


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiuye.settings")
    import django

    django.setup()
    from django.db import transaction

    from jiuye.imports import services
    from jiuye.registry.importers.persons import PersonImporter

    mode, path = sys.argv[1], Path(sys.argv[2])
    services.PARALLEL_THRESHOLD = 0
    services._can_fork = lambda: True
    PersonImporter.chunk_size = 50
    if mode == "hang":
        original = PersonImporter.process
        calls = []

        def process(self, records):
            calls.append(1)
            if len(calls) < 2:
                return original(self, records)
            with transaction.atomic():
                original(self, records)  # rows written, their locks held, never committed
                readers = [p.pid for p in multiprocessing.active_children()]
                Path(sys.argv[3]).write_text(f"{os.getpid()} {' '.join(map(str, readers))}")
                while True:
                    time.sleep(1)

        PersonImporter.process = process
        services.run_import(kind="persons", path=path, actor=None)
        raise SystemExit("the import was not stopped")
    stale = services.mark_stale_batches()
    batch = services.run_import(kind="persons", path=path, actor=None)
    print(f"stale={stale} status={batch.status} {batch.summary_line()}", flush=True)


if __name__ == "__main__":
    main()
