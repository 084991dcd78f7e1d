"""What issuing 就业创业证 on registration costs the registration import (issue 7, H2).

Builds a fresh SQLite database (or PostgreSQL with --pg), imports 2 × N persons, then imports one
unemployment registration for each of the first N with the certificate receiver connected and for the
other N with it disconnected, and prints JSON: seconds and rows/s of both, and the certificates issued.

    .venv/bin/python bench/bench_certificates.py --rows 20000 [--pg postgres://postgres@127.0.0.1:5432/jiuye_bench_cert]
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_import import _setup, write_csv  # noqa: E402


def registration_csv(path: Path, id_numbers: list[str]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["公民身份号码", "登记类型", "登记日期", "失业原因"])
        for number in id_numbers:
            writer.writerow([number, "失业登记", "2024-03-01", "本人辞职"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--pg", default="", help="PostgreSQL URL (the database must exist and be empty)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="jiuye-bench-cert-"))
    url = args.pg or f"sqlite:///{work / 'jiuye.sqlite3'}"
    os.environ["JIUYE_DATA_DIR"] = str(work / "data")
    _setup(url, work / "x")

    from jiuye.imports.services import run_import
    from jiuye.registry import certificates, events
    from jiuye.registry.models import Certificate, Person

    persons_file = work / "persons.csv"
    write_csv(persons_file, 2 * args.rows, 0)
    batch = run_import(kind="persons", path=persons_file, actor=None)
    numbers = list(Person.objects.order_by("pk").values_list("id_number", flat=True))
    half = len(numbers) // 2
    out = {"database": "postgresql" if args.pg else "sqlite", "persons": batch.imported}
    for label, ids, connected in (("with_certificates", numbers[:half], True), ("without", numbers[half:], False)):
        if not connected:
            events.registrations_recorded.disconnect(dispatch_uid="registry_issue_certificates")
        path = work / f"{label}.csv"
        registration_csv(path, ids)
        started = time.perf_counter()
        result = run_import(kind="registrations", path=path, actor=None)
        seconds = time.perf_counter() - started
        out[label] = {"rows": result.imported, "seconds": round(seconds, 2),
                      "rows_per_s": round(result.imported / seconds) if seconds else None}
        if not connected:
            certificates.connect()
    out["certificates_issued"] = Certificate.objects.count()
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
