"""Benchmark: the monthly analysis report of a district (issue 12 target: < 30 s at 1,000,000 persons), in
each format, with the time of reading the figures (build) and of laying them out (render); prints JSON.

    flock /work/bench-data/bench.lock .venv/bin/python bench/bench_reports.py \
        --sqlite-source /work/bench-data/sqlite/jiuye1m.sqlite3 [--pg-template bench1m]
    .venv/bin/python bench/bench_reports.py --persons 20000     # seeds a fresh SQLite database first

The seeded databases are never written: the SQLite file is copied into --workdir (and migrated with this
tree) and the PostgreSQL template is cloned (CREATE DATABASE ... TEMPLATE) and dropped afterwards. On each
database, for --region (default 610102, 新城区) and --period (default 2020-06):
- ``build``: the report's content (KPIs through targets.queries, registrations by street and by month,
  supply and demand, warnings, key groups, assistance cases, payments), as known on now;
- ``render_<fmt>``: laying that content out as xlsx (native charts), docx and pdf (PNG charts, embedded font);
- ``report_<fmt>``: the whole kept run as ``jiuye report`` makes it (build + render + store + sha256);
- ``sections``: the build's slowest parts (key groups, registrations, supply).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import fresh_sqlite_env, migrate_and_run_child, pg_clone, run_jiuye, timed  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FORMATS = ["xlsx", "docx", "pdf"]


def run_one(database_url: str, data_dir: str, region: str, period: str) -> dict:
    return migrate_and_run_child(__file__, database_url, ["--region", region, "--period", period],
                                 JIUYE_DATA_DIR=data_dir)


def child(region: str, period_text: str) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiuye.settings")
    django.setup()
    from django.db import connection
    from django.utils import timezone

    from jiuye.regions.codes import pad
    from jiuye.registry.models import Person, Registration
    from jiuye.reports import builders, services
    from jiuye.reports.builders import figures
    from jiuye.reports.render import render

    code = pad(region)
    period = builders.parse_report_period("monthly", period_text)
    known_on = timezone.now()
    out = {"vendor": connection.vendor, "region": code, "period": period_text,
           "persons": Person.objects.count(), "registrations": Registration.objects.count()}
    sections = {}
    sections["registrations"], _ = timed(lambda: figures.registrations(code, period.start, period.end, known_on))
    sections["key_groups"], _ = timed(lambda: figures.key_groups(code, period.end, known_on))
    from jiuye.monitoring.queries import supply
    sections["supply"], _ = timed(lambda: supply.supply_figures(services.OPERATOR, period, region_code=code))
    out["sections"] = sections
    out["build"], doc = timed(lambda: builders.build(services.OPERATOR, "monthly", code, period, known_on))
    out["figures"] = {k: doc.figures[k] for k in ("employment_registrations", "unemployment_registrations")}
    for fmt in FORMATS:
        out[f"render_{fmt}"], data = timed(lambda: render(doc, fmt))
        out[f"bytes_{fmt}"] = len(data)
    for fmt in FORMATS:
        out[f"report_{fmt}"], run = timed(lambda: services.generate(services.OPERATOR, "monthly", code, period_text, fmt))
        assert run.status == "done", run.error
    out["target_s"] = 30
    out["ok"] = all(out[f"report_{fmt}"] < 30 for fmt in FORMATS)
    print(json.dumps(out, ensure_ascii=False))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--child", action="store_true")
    p.add_argument("--region", default="610102")
    p.add_argument("--period", default="2020-06")
    p.add_argument("--sqlite-source", help="seeded SQLite file to copy (never written)")
    p.add_argument("--pg-template", help="seeded PostgreSQL database to clone (CREATE DATABASE ... TEMPLATE)")
    p.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/")
    p.add_argument("--persons", type=int, default=0, help="seed a fresh SQLite database of this many persons")
    p.add_argument("--workdir")
    a = p.parse_args()
    if a.child:
        return child(a.region, a.period)
    work = a.workdir or tempfile.mkdtemp(prefix="jiuye-bench-reports-")
    results = {}
    try:
        if a.sqlite_source or a.persons:
            env, db = fresh_sqlite_env(os.path.join(work, "sqlite"))
            if a.sqlite_source:
                shutil.copyfile(a.sqlite_source, db)
            else:
                run_jiuye(["demo", "--persons", str(a.persons)], env, quiet=True)
            results["sqlite"] = run_one(f"sqlite:///{db}", str(db.parent), a.region, a.period)
        if a.pg_template:
            with pg_clone(a.pg_url + "postgres", a.pg_template, f"bench_reports_{os.getpid()}") as url:
                results["postgresql"] = run_one(url, os.path.join(work, "pg"), a.region, a.period)
    finally:
        if not a.workdir:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
