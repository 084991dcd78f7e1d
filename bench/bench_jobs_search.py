"""Benchmark (issue 10, item 8): full-text vacancy search with filters; prints JSON.

Builds its own data: a fresh database (SQLite in a temp directory by default; with JIUYE_DATABASE_URL or
--database-url pointing at PostgreSQL, the database ``jiuye_bench_jobs_search`` on that server, dropped and
re-created), migrated; the seed regions and the shipped occupation table; --employers employers; then
--vacancies published vacancies through bulk_create (titles and descriptions from the occupation table's
names and aliases with realistic Xi'an wording, ``search_text`` by ``jobs.queries.search.index_text``, places
in the seed communities). Then --requests random searches as a city officer through
``jobs.queries.vacancies.search_vacancies`` + ``count_vacancies`` (what the list page and the API run): a
text of one or two words (always), and each filter with some probability (occupation at level 1-3,
place, wage range, work type, education, status "open"). Reports p50/p95/max milliseconds of a page (50
rows) plus its count, and separately the page alone. Target: p95 < 100 ms at 100,000 vacancies.

    .venv/bin/python bench/bench_jobs_search.py --vacancies 10000                 # SQLite, quick
    .venv/bin/python bench/bench_jobs_search.py --vacancies 100000                # SQLite, the target
    JIUYE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/bench_jobs_search.py --vacancies 100000            # PostgreSQL
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import sys
import tempfile
import time
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import CHECKOUT, percentile  # noqa: E402

DB_NAME = "jiuye_bench_jobs_search"
D = datetime.date

PHRASES = ["五险一金", "包吃住", "周末双休", "有相关工作经验者优先", "提供技能培训", "月休四天", "交通便利，近地铁站",
           "工作地点在新城区", "节假日三倍工资", "年底有奖金", "可接受应届毕业生", "长期稳定", "计件工资，多劳多得",
           "负责日常运营", "服从安排，吃苦耐劳", "持证上岗", "轮班制", "食宿补贴", "西安市内", "试用期一个月"]


def _database(url: str | None) -> str:
    if url and url.startswith(("postgres://", "postgresql://")):
        import psycopg

        with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
        parts = urlsplit(url)
        return urlunsplit((parts.scheme, parts.netloc, "/" + DB_NAME, parts.query, parts.fragment))
    directory = tempfile.mkdtemp(prefix="jiuye-bench-jobs-")
    os.environ["JIUYE_DATA_DIR"] = directory
    return f"sqlite:///{directory}/jiuye.sqlite3"


def _setup(url: str) -> None:
    os.environ["JIUYE_DATABASE_URL"] = url
    os.environ.pop("JIUYE_TESTING", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiuye.settings")
    sys.path.insert(0, str(CHECKOUT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _credit_code(n: int) -> str:
    from stdnum.cn import uscc

    body = f"91610102MA{n:07d}X"[:17]
    return body + uscc.calc_check_digit(body)


def build(n_vacancies: int, n_employers: int, seed: int) -> dict:
    from django.db import connection

    from jiuye.jobs.models import Occupation, Vacancy, VacancySource, VacancyStatus, WorkType
    from jiuye.jobs.queries.search import index_text
    from jiuye.jobs.services.occupations import ensure_loaded
    from jiuye.regions.models import Region
    from jiuye.regions.services import load_seed_regions
    from jiuye.registry.models import Education, Employer

    rng = random.Random(seed)
    started = time.perf_counter()
    load_seed_regions()
    ensure_loaded()
    communities = list(Region.objects.filter(level=Region.Level.COMMUNITY).values_list("code", flat=True))
    employers = [Employer(credit_code=_credit_code(i), name=f"西安{rng.choice(['华', '秦', '长安', '曲江', '高新', '雁塔'])}"
                          f"{rng.choice(['实业', '科技', '餐饮', '物流', '物业', '制造', '商贸'])}有限公司{i}",
                          region_id=rng.choice(communities)) for i in range(n_employers)]
    Employer.objects.bulk_create(employers, batch_size=2000)
    employers = list(Employer.objects.values_list("pk", "region_id"))
    occupations = list(Occupation.objects.filter(is_occupation=True).values_list("pk", "name", "aliases"))
    educations = [""] * 4 + [e.value for e in Education]
    work_types = [WorkType.FULL_TIME] * 6 + [WorkType.PART_TIME] * 2 + [WorkType.GIG, WorkType.INTERNSHIP, WorkType.WELFARE_POST]
    today = D.today()
    batch = []
    for i in range(n_vacancies):
        occ_id, name, aliases = rng.choice(occupations)
        names = [name] + [a for a in (aliases or "").splitlines() if a.strip()]
        title = rng.choice(names)[:64]
        description = "，".join(rng.sample(PHRASES, 3)) + f"。招聘{title}，负责{rng.choice(names)}相关工作。"
        employer_id, employer_region = rng.choice(employers)
        low = rng.randrange(2500, 12000, 100)
        batch.append(Vacancy(employer_id=employer_id, title=title, description=description, occupation_id=occ_id,
                             work_type=rng.choice(work_types), openings=rng.randint(1, 20),
                             wage_min=low, wage_max=low + rng.randrange(0, 6000, 100),
                             region_id=employer_region if rng.random() < 0.7 else rng.choice(communities),
                             education_min=rng.choice(educations), valid_from=today - datetime.timedelta(days=rng.randint(0, 60)),
                             valid_until=today + datetime.timedelta(days=rng.randint(1, 120)), status=VacancyStatus.PUBLISHED,
                             source=VacancySource.STAFF, search_text=index_text(title, description, name),
                             published_at=None))
        if len(batch) == 5000:
            Vacancy.objects.bulk_create(batch, batch_size=1000)
            batch = []
    if batch:
        Vacancy.objects.bulk_create(batch, batch_size=1000)
    with connection.cursor() as cursor:
        # PostgreSQL: VACUUM merges the GIN index's pending list (autovacuum does it in production)
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE jobs_vacancy")
    return {"build_seconds": round(time.perf_counter() - started, 1), "vacancies": Vacancy.objects.count(),
            "employers": len(employers), "vendor": connection.vendor}


def run(requests: int, seed: int) -> dict:
    from django.db import connection

    from jiuye.accounts.models import Role, User
    from jiuye.jobs.models import Occupation, WorkType
    from jiuye.jobs.queries import vacancies as queries
    from jiuye.jobs.text import tokens
    from jiuye.regions.models import Region
    from jiuye.registry.models import Education

    rng = random.Random(seed + 1)
    user = User.objects.filter(username="bench_city").first() or User.objects.create(
        username="bench_city", role=Role.CITY_OFFICER, region_id="610100000000")
    from jiuye.jobs.models import Vacancy

    # what people type: words of the titles on offer (a sample of vacancies), and now and then any occupation's word
    # each query starts from a vacancy on offer: a word of its title, its occupation's group, its street or district
    sample = [(t, code, region) for t, code, region in
              Vacancy.objects.order_by("?").values_list("title", "occupation__code", "region_id")[:2000]]
    sample = [(w, code, region) for t, code, region in sample for w in tokens(t)[:1] if len(w) >= 2]
    words = sorted({w for w, _c, _r in sample})
    rare = sorted({w for name in Occupation.objects.filter(is_occupation=True).values_list("name", flat=True)
                   for w in tokens(name) if len(w) >= 2})
    groups = list(Occupation.objects.filter(level__in=(1, 2, 3)).values_list("code", flat=True))
    places = list(Region.objects.filter(level__in=(Region.Level.COUNTY, Region.Level.STREET)).values_list("code", flat=True))
    educations = [e.value for e in Education]
    total_ms, page_ms, hits = [], [], []
    for i in range(requests + 10):
        word, code, region = rng.choice(sample)
        text = word if rng.random() < 0.9 else rng.choice(rare)
        if rng.random() < 0.1:
            text += " " + rng.choice(words)
        s = queries.VacancySearch(text=text, limit=50,
                                  sort=rng.choice(["", "-wage", "-published_at", "valid_until"]))
        if rng.random() < 0.3:
            s.occupation = code[:2] + "00-00-00" if rng.random() < 0.5 else code[:5] + "-00-00"
        elif rng.random() < 0.05:
            s.occupation = rng.choice(groups)
        if rng.random() < 0.4:
            s.region_code = region[:9] + "000" if rng.random() < 0.5 else region[:6] + "000000"
        elif rng.random() < 0.05:
            s.region_code = rng.choice(places)
        if rng.random() < 0.3:
            s.wage_min = rng.randrange(3000, 9000, 500)
            s.wage_max = s.wage_min + 3000 if rng.random() < 0.5 else None
        if rng.random() < 0.2:
            s.work_type = rng.choice(WorkType.values)
        if rng.random() < 0.2:
            s.education = rng.choice(educations)
        if rng.random() < 0.5:
            s.status = "open"
        t0 = time.perf_counter()
        rows, _more = queries.search_vacancies(user, s)
        t1 = time.perf_counter()
        count = queries.count_vacancies(user, s)
        t2 = time.perf_counter()
        if i >= 10:  # warm-up
            page_ms.append((t1 - t0) * 1000)
            total_ms.append((t2 - t0) * 1000)
            hits.append(count)
    return {"requests": requests, "vendor": connection.vendor,
            "page_and_count_ms": {"p50": round(percentile(total_ms, 0.5), 1), "p95": round(percentile(total_ms, 0.95), 1),
                                  "max": round(max(total_ms), 1)},
            "page_only_ms": {"p50": round(percentile(page_ms, 0.5), 1), "p95": round(percentile(page_ms, 0.95), 1),
                             "max": round(max(page_ms), 1)},
            "hits": {"median": sorted(hits)[len(hits) // 2], "max": max(hits), "zero": sum(1 for h in hits if h == 0)},
            "target_p95_ms": 100}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vacancies", type=int, default=100_000)
    parser.add_argument("--employers", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--database-url", default=os.environ.get("JIUYE_DATABASE_URL"),
                        help="a PostgreSQL server (its database jiuye_bench_jobs_search is re-created); default SQLite")
    args = parser.parse_args()
    _setup(_database(args.database_url))
    out = {"build": build(args.vacancies, args.employers, args.seed)}
    out["search"] = run(args.requests, args.seed)
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
