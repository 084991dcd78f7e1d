"""Benchmark of the persons import: a generated 100,000-row .csv and .xlsx into SQLite and PostgreSQL.

    .venv/bin/python bench/bench_import.py [--rows 100000] [--formats csv,xlsx] [--pg URL] [--no-sqlite]

PostgreSQL is measured when --pg or JIUYE_BENCH_PG_URL gives a server URL, e.g.
postgres://postgres@127.0.0.1:5432/jiuye_bench (the database is dropped and created afresh).
Each (database, format) runs in a fresh process on a freshly migrated database holding the seed
region tree; the import runs with full validation as the installation administrator. Prints one JSON
object per run and a JSON list of all runs at the end.
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
COMMUNITIES = ["长乐社区", "西一路街道建设社区", "西一路街道春晓社区", "西一路街道团结社区", "景龙社区", "610102001006",
               "西一路街道韩南社区", "东七社区",
               "长乐中路街道胡东社区", "610102002002", "公交社区", "长乐中路街道华山社区"]
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


def worker(database_url: str, path: Path, label: str) -> dict:
    os.environ["JIUYE_DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiuye.settings")
    os.environ.setdefault("JIUYE_DATA_DIR", str(path.parent / "data"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from jiuye.registry.imports import run_import
    from jiuye.regions.services import load_seed_regions
    from jiuye.registry.models import Person

    call_command("migrate", verbosity=0)
    load_seed_regions()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    batch = run_import(kind="persons", path=path, actor=None)
    seconds = time.perf_counter() - started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert batch.status == "ok", (batch.status, batch.error_message, batch.summary_line())
    stored = Person.objects.count()
    started = time.perf_counter()
    again = run_import(kind="persons", path=path, actor=None)
    reimport_seconds = time.perf_counter() - started
    return {
        "database": connection.vendor, "format": label, "rows": batch.total_rows, "imported": batch.imported,
        "stored": stored, "seconds": round(seconds, 2), "rows_per_s": round(batch.total_rows / seconds),
        "peak_rss_mb": round(rss_after / 1024), "rss_growth_mb": round((rss_after - rss_before) / 1024),
        "reimport_unchanged": again.unchanged, "reimport_seconds": round(reimport_seconds, 2),
        "reimport_rows_per_s": round(again.total_rows / reimport_seconds),
    }


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--pg", default=os.environ.get("JIUYE_BENCH_PG_URL", ""), help="PostgreSQL URL (database is recreated)")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--dir", help="working directory (default: a new temporary directory)")
    parser.add_argument("--worker", nargs=3, metavar=("URL", "FILE", "LABEL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker[0], Path(args.worker[1]), args.worker[2])))
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
    results = []
    for target in targets:
        for label, path in files.items():
            if target == "sqlite":
                db_file = workdir / f"bench-{label}.sqlite3"
                for suffix in ("", "-wal", "-shm"):
                    Path(str(db_file) + suffix).unlink(missing_ok=True)
                url = f"sqlite:///{db_file}"
            else:
                url = _fresh_pg(args.pg)
            out = subprocess.run([sys.executable, __file__, "--worker", url, str(path), label], cwd=ROOT,
                                 capture_output=True, text=True)
            if out.returncode != 0:
                print(out.stderr, file=sys.stderr)
                raise SystemExit(f"benchmark run failed: {target} {label}")
            result = json.loads(out.stdout.strip().splitlines()[-1])
            result["cpus"] = os.cpu_count()
            print(json.dumps(result, ensure_ascii=False))
            results.append(result)
    print(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
