"""Benchmark: job matching (issue 10, item 5); prints JSON.

    .venv/bin/python bench/bench_jobs_matching.py                          # small: 100,000 x 10,000 arrays, 20,000 persons in a DB
    .venv/bin/python bench/bench_jobs_matching.py --seekers 1000000 --vacancies 100000 \
        --db-persons 1000000 --db-vacancies 100000                          # the full run (quiet machine)
    .venv/bin/python bench/bench_jobs_matching.py --db-persons 0            # arrays only

Arrays part (synthetic ``matching.synthetic`` arrays, no database):
- ``top_jobs``: ``score.top_jobs`` for one seeker against every vacancy (all parts, hard filters, top 20),
  over --repeat random seekers: p50/p95/max ms;
- ``top_seekers``: ``score.top_seekers`` for one vacancy against every seeker: p50/p95/max ms;
- ``batch``: ``batch.recommend`` for all seekers (blocked candidates, --per-seeker each, then
  ``assign.congestion_assign`` to top 20): seconds per step, candidates, coverage, Gini, peak memory.

Database part (a fresh SQLite: ``jiuye seed --persons N``, then every adult of working age gets an open
seeker registration and a profile and --db-vacancies published vacancies are bulk-inserted):
- ``snapshot``: ``load.refresh`` (all seekers and vacancies from the database into arrays, saved as .npz) s;
- ``jobs_for_person`` / ``seekers_for_vacancy``: the production query functions (``jobs.queries.matching``)
  after the snapshot is loaded, as the command line's operator, top 20, over --repeat random subjects:
  p50/p95/max ms. Included: the subject's live features from the database (one set of queries), scoring
  against the snapshot, the one query that checks the results are still valid (and the refill loop),
  names, priority flags, the reasons in Chinese, the audit entry. Excluded: HTTP and template rendering.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from common import fresh_sqlite_env, percentile, run_jiuye  # noqa: E402


def _ms(times: list[float]) -> dict[str, float]:
    return {"p50_ms": round(percentile(times, 0.5) * 1000, 1), "p95_ms": round(percentile(times, 0.95) * 1000, 1),
            "max_ms": round(max(times) * 1000, 1), "n": len(times)}


def arrays_part(args) -> dict:
    import numpy as np

    from jiuye.jobs.matching import batch, score
    from jiuye.jobs.matching.synthetic import synthetic

    t = time.perf_counter()
    s, v = synthetic(args.seekers, args.vacancies, seed=1)
    out: dict = {"seekers": args.seekers, "vacancies": args.vacancies, "synthesise_s": round(time.perf_counter() - t, 1)}
    rng = random.Random(0)
    times = []
    for _ in range(args.repeat):
        i = rng.randrange(len(s))
        t = time.perf_counter()
        score.top_jobs(s, i, v, 20)
        times.append(time.perf_counter() - t)
    out["top_jobs"] = _ms(times)
    times = []
    for _ in range(args.repeat):
        j = rng.randrange(len(v))
        t = time.perf_counter()
        score.top_seekers(v, j, s, 20)
        times.append(time.perf_counter() - t)
    out["top_seekers"] = _ms(times)
    if not args.skip_batch:
        t = time.perf_counter()
        result, stats, cand = batch.recommend(s, v, top=20, per_seeker=args.per_seeker, congestion=True)
        stats["seconds"]["total"] = round(time.perf_counter() - t, 1)
        stats["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        stats["per_seeker"] = args.per_seeker
        stats["mean_candidates_per_seeker"] = round(float(np.diff(cand.indptr).mean()), 1)
        out["batch"] = stats
    return out


def _populate(n_vacancies: int) -> dict:
    """Open seeker registrations + profiles for the working-age persons, and published vacancies (bulk)."""
    import datetime

    import numpy as np
    from django.db import transaction
    from django.utils import timezone

    from jiuye.jobs.models import Occupation, SeekerProfile, SeekerRegistration, Vacancy, VacancyStatus
    from jiuye.jobs.services.occupations import ensure_loaded
    from jiuye.jobs.text import search_text
    from jiuye.regions.models import Region
    from jiuye.registry.models import Employer, Person

    ensure_loaded()
    today = timezone.localdate()
    rng = np.random.default_rng(3)
    leaves = list(Occupation.objects.filter(is_occupation=True).values_list("pk", "code", "name"))
    popular = [leaves[i] for i in rng.choice(len(leaves), min(400, len(leaves)), replace=False)]
    communities = list(Region.objects.filter(level=5).values_list("code", flat=True))
    employers = list(Employer.objects.values_list("pk", "region_id")[:20000])
    persons = list(Person.objects.filter(retirement_date__gt=today).values_list("pk", "region_id"))
    t = time.perf_counter()
    edu = ["", "junior", "senior", "vocational", "college", "bachelor"]
    with transaction.atomic():
        rows = []
        for k in range(n_vacancies):
            pk, code, name = popular[int(rng.integers(len(popular)))]
            emp, region = employers[int(rng.integers(len(employers)))]
            wmin = int(rng.integers(25, 80)) * 100
            rows.append(Vacancy(employer_id=emp, title=name[:64], description=f"{name}，负责日常工作", occupation_id=pk,
                                openings=int(rng.integers(1, 10)), wage_min=wmin, wage_max=wmin + 2000,
                                region_id=region or communities[k % len(communities)],
                                education_min=edu[int(rng.integers(len(edu)))], status=VacancyStatus.PUBLISHED,
                                valid_from=today - datetime.timedelta(days=10), valid_until=today + datetime.timedelta(days=60),
                                search_text=search_text(name, "负责日常工作")))
            if len(rows) >= 5000:
                Vacancy.objects.bulk_create(rows, batch_size=5000)
                rows = []
        Vacancy.objects.bulk_create(rows, batch_size=5000)
        regs, profiles = [], []
        for pid, region in persons:
            regs.append(SeekerRegistration(person_id=pid, started_on=today - datetime.timedelta(days=30),
                                           registered_in_id=region))
            occ = [popular[int(rng.integers(len(popular)))][1] for _ in range(int(rng.integers(0, 3)))]
            profiles.append(SeekerProfile(person_id=pid, occupations=occ, wage_min=int(rng.integers(20, 70)) * 100,
                                          experience_years=int(rng.integers(0, 15))))
            if len(regs) >= 10000:
                SeekerRegistration.objects.bulk_create(regs, batch_size=5000)
                SeekerProfile.objects.bulk_create(profiles, batch_size=5000)
                regs, profiles = [], []
        SeekerRegistration.objects.bulk_create(regs, batch_size=5000)
        SeekerProfile.objects.bulk_create(profiles, batch_size=5000)
    return {"seekers": len(persons), "vacancies": n_vacancies, "populate_s": round(time.perf_counter() - t, 1)}


def db_part(args) -> dict:
    env, db = fresh_sqlite_env(args.workdir)
    seed_s = run_jiuye(["migrate", "-v", "0"], env, quiet=True)
    seed_s += run_jiuye(["seed", "--persons", str(args.db_persons), "--no-samples"], env, quiet=True)
    os.environ.update({k: env[k] for k in ("JIUYE_DATA_DIR", "JIUYE_DATABASE_URL")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiuye.settings")
    import django

    django.setup()
    from jiuye.jobs.matching import load
    from jiuye.jobs.queries import matching as q

    out: dict = {"persons": args.db_persons, "seed_s": round(seed_s, 1)}
    out.update(_populate(args.db_vacancies))
    t = time.perf_counter()
    snap = load.refresh()
    out["snapshot_build_and_save_s"] = round(time.perf_counter() - t, 1)
    t = time.perf_counter()
    load.current()
    out["snapshot_load_s"] = round(time.perf_counter() - t, 2)
    rng = random.Random(1)
    pids = snap.seekers.person_id.tolist()
    vids = snap.vacancies.vacancy_id.tolist()
    q.jobs_for_person(q.OPERATOR, pids[0])  # warm the tokenizer and caches
    times = []
    for _ in range(args.repeat):
        pid = rng.choice(pids)
        t = time.perf_counter()
        q.jobs_for_person(q.OPERATOR, pid, top=20)
        times.append(time.perf_counter() - t)
    out["jobs_for_person"] = _ms(times)
    times = []
    for _ in range(args.repeat):
        vid = rng.choice(vids)
        t = time.perf_counter()
        q.seekers_for_vacancy(q.OPERATOR, vid, top=20)
        times.append(time.perf_counter() - t)
    out["seekers_for_vacancy"] = _ms(times)
    out["database"] = str(db)
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--seekers", type=int, default=100_000)
    p.add_argument("--vacancies", type=int, default=10_000)
    p.add_argument("--per-seeker", type=int, default=100)
    p.add_argument("--repeat", type=int, default=30)
    p.add_argument("--skip-batch", action="store_true")
    p.add_argument("--db-persons", type=int, default=20_000, help="0: skip the database part")
    p.add_argument("--db-vacancies", type=int, default=2_000)
    p.add_argument("--workdir", default=None)
    args = p.parse_args()
    out = {}
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiuye.settings")
    if args.seekers:
        out["arrays"] = arrays_part(args)
    if args.db_persons:
        out["database"] = db_part(args)
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
