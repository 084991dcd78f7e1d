"""Benchmark of the persons import: a generated 100,000-row .csv and .xlsx into SQLite and PostgreSQL.

    .venv/bin/python bench/bench_import.py [--rows 100000] [--formats csv,xlsx] [--pg URL] [--no-sqlite]
                                           [--repeat N] [--floor] [--into empty,1m]
                                           [--sqlite-1m FILE] [--pg-1m-template NAME]

PostgreSQL is measured when --pg or JIUYE_BENCH_PG_URL gives a server URL, e.g.
postgres://postgres@127.0.0.1:5432/jiuye_bench (the database is dropped and created afresh).
Each (database, format) runs in a fresh process on a freshly migrated database holding the seed
region tree; the import runs with full validation as the installation administrator. Prints one JSON
object per run (with the seconds per stage: open, read, validate, write; a forked producer's stages
are prefixed producer_) and a JSON list of all runs at the end. --repeat runs each N times and
reports the median run (and the best).

--into 1m imports into a copy of the seeded 1,000,000-person demo city instead of an empty registry:
SQLite copies --sqlite-1m (default /work/bench-data/sqlite/jiuye1m.sqlite3) with ``cp``; PostgreSQL
creates the database from the template --pg-1m-template (default bench1m, ``createdb -T``). The copy
is migrated before the clock starts and deleted afterwards. Part of the generated file's identity
numbers exist in the demo city already (those rows are updates or unchanged).

--floor also measures what the import cannot go below on this machine: reading the file alone
(csv.reader / python-calamine), and writing the very rows the import stored (persons and their audit
entries) with plain sqlite3 ``executemany`` / psycopg COPY in 5,000-row transactions into a freshly
migrated database (same indexes and constraints), without any validation.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADERS = ["序号", "姓名", "公民身份号码", "性别", "民族", "联系电话", "户籍性质", "户籍地", "所在社区", "居住地址", "文化程度",
           "毕业时间", "毕业院校", "专业", "是否退役军人", "是否残疾人", "是否低保", "脱贫/监测状态", "技能特长",
           "有无劳动能力", "有无就业意愿", "求职意向工种", "期望月薪", "备注"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红梅玉兰海燕亮飞鹏辉健斌波宁欣怡子涵浩然雨轩梓萱"
# Real communities of the seed tree (jiuye/regions/data/xincheng_610102.yaml), written the ways community
# sheets write them: a bare name, street + name, or the 12-digit code.
COMMUNITIES = ["民乐社区", "西一路街道红会社区", "西一路街道广场社区", "西一路街道尚朴社区", "紫铭社区", "610102001007",
               "中山门街道中山社区", "万达社区",
               "长乐中路街道幸福社区", "610102002002", "韩南社区", "韩森寨街道新科社区"]
EDUCATION = ["初中", "高中", "中专", "大专", "本科", "大学本科", "硕士研究生", "小学"]
SKILLS = ["电工", "焊工、钳工", "厨师", "驾驶", "家政服务", "计算机操作", "育婴员；保育员", ""]


def _id(region6: str, birth: datetime.date, seq: int) -> str:
    from stdnum.cn import ric

    body = f"{region6}{birth:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def person_rows(n: int, offset: int, seed: int):
    rng = random.Random(seed)
    regions6 = ["610102", "610103", "610104", "610111", "610112", "610113", "610114", "610115", "610116", "610122"]
    used = set()
    i = 0
    while i < n:
        birth = datetime.date(1965, 1, 1) + datetime.timedelta(days=rng.randrange(0, 42 * 365))
        seq = rng.randrange(0, 1000)
        region6 = regions6[(i + offset) % len(regions6)]
        number = _id(region6, birth, seq)
        if number in used:
            continue
        used.add(number)
        i += 1
        grad = birth.replace(year=birth.year + 22, month=7, day=1)
        grad_text = rng.choice([grad.isoformat(), f"{grad.year}年{grad.month}月{grad.day}日", f"{grad.year}.{grad.month}.{grad.day}",
                                grad.strftime("%Y%m%d"), f"{grad.year}/{grad.month}/{grad.day}"])
        yield [
            i, rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(["", rng.choice(GIVEN)]), number,
            "男" if int(number[16]) % 2 else "女", rng.choice(["汉族", "汉族", "汉族", "回族", "满族"]),
            f"1{rng.choice('3578')}{rng.randrange(0, 10**9):09d}", rng.choice(["城镇", "农村", "非农业", "农业户口"]),
            "陕西省西安市", rng.choice(COMMUNITIES), f"{rng.choice(['东', '西', '南', '北'])}大街{rng.randrange(1, 300)}号",
            rng.choice(EDUCATION), grad_text, rng.choice(["", "西安交通大学", "西北大学", "西安职业技术学院"]),
            rng.choice(["", "机械", "会计", "计算机"]), rng.choice(["否", "否", "否", "是"]), rng.choice(["否"] * 9 + ["是"]),
            rng.choice(["否"] * 9 + ["是"]), rng.choice(["无", "无", "无", "脱贫人口"]), rng.choice(SKILLS),
            "有", rng.choice(["有", "有", "无"]), rng.choice(["", "普工", "保洁", "厨师"]),
            rng.choice(["", "3000", "3000-5000", "4500"]), "",
        ]


def write_csv(path: Path, n: int, offset: int) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["新城区就业人员实名制花名册"])
        writer.writerow(HEADERS)
        writer.writerows(person_rows(n, offset, seed=1))


def write_xlsx(path: Path, n: int, offset: int) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.append(["新城区就业人员实名制花名册"])
    sheet.append(HEADERS)
    for row in person_rows(n, offset, seed=2):
        sheet.append(row)
    workbook.save(path)


# ---------------------------------------------------------------------------------------------
# One measured run in a fresh process


def _setup(database_url: str, path: Path) -> None:
    os.environ["JIUYE_DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiuye.settings")
    os.environ.setdefault("JIUYE_DATA_DIR", str(path.parent / "data"))
    import django

    django.setup()
    from django.core.management import call_command

    from jiuye.regions.services import load_seed_regions

    call_command("migrate", verbosity=0)
    load_seed_regions()


PERSON_SQL = "SELECT * FROM registry_person ORDER BY id"
AUDIT_SQL = "SELECT * FROM accounts_auditentry WHERE action = 'create' AND object_type = 'person' ORDER BY id"


def worker(database_url: str, path: Path, label: str, dump: str = "") -> dict:
    _setup(database_url, path)
    from django.db import connection

    from jiuye.imports.services import run_import
    from jiuye.registry.models import Person

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    batch = run_import(kind="persons", path=path, actor=None)
    seconds = time.perf_counter() - started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rss_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert batch.status == "ok", (batch.status, batch.error_message, batch.summary_line())
    stored = Person.objects.count()
    updated = batch.updated
    if dump:  # the stored rows, for --floor
        import pickle

        with connection.cursor() as cursor:
            tables = {}
            for name, sql in (("registry_person", PERSON_SQL), ("accounts_auditentry", AUDIT_SQL)):
                cursor.execute(sql)
                columns = [c[0] for c in cursor.description]
                keep = [i for i, c in enumerate(columns) if c != "id"]
                tables[name] = ([columns[i] for i in keep], [[row[i] for i in keep] for row in cursor.fetchall()])
        Path(dump).write_bytes(pickle.dumps(tables))
    started = time.perf_counter()
    again = run_import(kind="persons", path=path, actor=None)
    reimport_seconds = time.perf_counter() - started
    return {
        "database": connection.vendor, "format": label, "rows": batch.total_rows, "imported": batch.imported,
        "updated": updated, "unchanged": batch.unchanged,
        "stored": stored, "seconds": round(seconds, 2), "rows_per_s": round(batch.total_rows / seconds),
        "stages": {k: round(v, 2) for k, v in batch.timings.items()},
        "peak_rss_mb": round(rss_after / 1024), "rss_growth_mb": round((rss_after - rss_before) / 1024),
        "producer_peak_rss_mb": round(rss_children / 1024),
        "reimport_unchanged": again.unchanged, "reimport_seconds": round(reimport_seconds, 2),
        "reimport_rows_per_s": round(again.total_rows / reimport_seconds),
    }


def read_floor(path: Path) -> float:
    """Seconds to read every row of the file, nothing else."""
    started = time.perf_counter()
    if path.suffix == ".csv":
        import csv as csv_module
        import io

        text = path.read_bytes().decode("utf-8-sig")
        for _row in csv_module.reader(io.StringIO(text, newline="")):
            pass
    else:
        from python_calamine import CalamineWorkbook

        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        for _row in sheet.iter_rows():
            pass
    return time.perf_counter() - started


def floor_worker(database_url: str, path: Path, dump: str) -> dict:
    """Plain inserts of the rows the import stored, in 5,000-row transactions, on a fresh database."""
    import pickle

    _setup(database_url, path)
    from django.db import connection, transaction

    tables = pickle.loads(Path(dump).read_bytes())
    person_columns, persons = tables["registry_person"]
    audit_columns, audits = tables["accounts_auditentry"]
    connection.ensure_connection()
    seconds = {"persons": 0.0, "audit": 0.0, "commit": 0.0}
    started = time.perf_counter()
    for start in range(0, len(persons), 5000):
        t0 = time.perf_counter()
        with transaction.atomic():
            for name, columns, rows, stage in (("registry_person", person_columns, persons, "persons"),
                                                ("accounts_auditentry", audit_columns, audits, "audit")):
                part = rows[start : start + 5000]
                if connection.vendor == "sqlite":
                    sql = f'INSERT INTO "{name}" ({", ".join(columns)}) VALUES ({", ".join("?" * len(columns))})'
                    connection.connection.executemany(sql, part)
                else:
                    with connection.cursor() as cursor:
                        with cursor.cursor.copy(f'COPY "{name}" ({", ".join(columns)}) FROM STDIN') as copy:
                            for row in part:
                                copy.write_row(row)
                t1 = time.perf_counter()
                seconds[stage] += t1 - t0
                t0 = t1
        seconds["commit"] += time.perf_counter() - t0
    total = time.perf_counter() - started
    return {"database": connection.vendor, "floor": "plain insert of the stored rows", "rows": len(persons),
            "seconds": round(total, 2), "rows_per_s": round(len(persons) / total),
            "stages": {k: round(v, 2) for k, v in seconds.items()}}


def _fresh_pg(url: str) -> str:
    import psycopg
    from urllib.parse import urlparse

    parsed = urlparse(url)
    name = parsed.path.lstrip("/") or "jiuye_bench"
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return parsed._replace(path=f"/{name}").geturl()


def _pg_from_template(url: str, template: str) -> str:
    import psycopg
    from urllib.parse import urlparse

    parsed = urlparse(url)
    name = (parsed.path.lstrip("/") or "jiuye_bench") + "_1m"
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return parsed._replace(path=f"/{name}").geturl()


def _drop_pg(url: str) -> None:
    import psycopg
    from urllib.parse import urlparse

    parsed = urlparse(url)
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.path.lstrip("/")}"')


def _run(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        print(out.stderr, file=sys.stderr)
        raise SystemExit(f"benchmark run failed: {args}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--pg", default=os.environ.get("JIUYE_BENCH_PG_URL", ""), help="PostgreSQL URL (database is recreated)")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--repeat", type=int, default=1, help="runs per database and format (the median is reported)")
    parser.add_argument("--floor", action="store_true", help="also measure reading alone and plain inserts")
    parser.add_argument("--dir", help="working directory (default: a new temporary directory)")
    parser.add_argument("--into", default="empty", help="empty and/or 1m (a copy of the seeded demo city)")
    parser.add_argument("--sqlite-1m", default="/work/bench-data/sqlite/jiuye1m.sqlite3")
    parser.add_argument("--pg-1m-template", default="bench1m")
    parser.add_argument("--worker", nargs="+", metavar="ARG", help=argparse.SUPPRESS)
    parser.add_argument("--floor-worker", nargs=3, metavar=("URL", "FILE", "DUMP"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker[0], Path(args.worker[1]), args.worker[2], *args.worker[3:])))
        return
    if args.floor_worker:
        print(json.dumps(floor_worker(args.floor_worker[0], Path(args.floor_worker[1]), args.floor_worker[2])))
        return
    workdir = Path(args.dir or tempfile.mkdtemp(prefix="jiuye-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    files = {}
    for label in args.formats.split(","):
        path = workdir / f"persons-{args.rows}.{label}"
        if not path.exists():
            started = time.perf_counter()
            (write_csv if label == "csv" else write_xlsx)(path, args.rows, offset=0 if label == "csv" else 3)
            print(f"# wrote {path} in {time.perf_counter() - started:.1f}s", file=sys.stderr)
        files[label] = path
    targets = []
    if not args.no_sqlite:
        targets.append("sqlite")
    if args.pg:
        targets.append("pg")

    def fresh_url(target: str, label: str, into: str = "empty") -> str:
        if into == "1m":
            if target == "sqlite":
                import shutil

                db_file = workdir / "bench-1m.sqlite3"
                for suffix in ("-wal", "-shm"):
                    Path(str(db_file) + suffix).unlink(missing_ok=True)
                shutil.copyfile(args.sqlite_1m, db_file)
                return f"sqlite:///{db_file}"
            return _pg_from_template(args.pg, args.pg_1m_template)
        if target == "sqlite":
            db_file = workdir / f"bench-{label}.sqlite3"
            for suffix in ("", "-wal", "-shm"):
                Path(str(db_file) + suffix).unlink(missing_ok=True)
            return f"sqlite:///{db_file}"
        return _fresh_pg(args.pg)

    def forget(target: str, url: str, into: str) -> None:
        if into != "1m":
            return
        if target == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
        else:
            _drop_pg(url)

    results = []
    for target, into, label, path in [(t, i, lb, p) for t in targets for i in args.into.split(",")
                                      for lb, p in files.items()]:
        if True:
            runs = []
            for attempt in range(args.repeat):
                dump = (str(workdir / f"stored-{target}.pickle")
                        if args.floor and attempt == 0 and label == "csv" and into == "empty" else "")
                url = fresh_url(target, label, into)
                try:
                    result = _run(["--worker", url, str(path), label, *([dump] if dump else [])])
                finally:
                    forget(target, url, into)
                result["into"] = into
                result["cpus"] = os.cpu_count()
                runs.append(result)
                print(json.dumps(result, ensure_ascii=False), file=sys.stderr)
            runs.sort(key=lambda r: r["seconds"])
            result = dict(runs[len(runs) // 2])
            if len(runs) > 1:
                result["runs_seconds"] = [r["seconds"] for r in runs]
                result["best_rows_per_s"] = runs[0]["rows_per_s"]
            print(json.dumps(result, ensure_ascii=False))
            results.append(result)
    for target in targets:
        if args.floor:
            dump = workdir / f"stored-{target}.pickle"
            if dump.exists():
                result = _run(["--floor-worker", fresh_url(target, "floor"), str(files.get("csv", path)), str(dump)])
                print(json.dumps(result, ensure_ascii=False))
                results.append(result)
    if args.floor:
        for label, path in files.items():
            seconds = read_floor(path)
            result = {"floor": f"read {label} alone", "rows": args.rows, "seconds": round(seconds, 2),
                      "rows_per_s": round(args.rows / seconds)}
            print(json.dumps(result, ensure_ascii=False))
            results.append(result)
    print(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
