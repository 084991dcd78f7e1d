"""Benchmark: screening (政策找人) on the 1,000,000-person demo city (issue 9 targets); prints JSON.

    flock /work/bench-data/bench.lock .venv/bin/python bench/bench_policies_screening.py \
        --sqlite-source /work/bench-data/seed/jiuye1m.sqlite3 [--pg-template bench1m | --pg-seed]
    .venv/bin/python bench/bench_policies_screening.py --persons 100000     # seeds a fresh SQLite database first

The seeded databases are never written: the SQLite file is copied into --workdir and the PostgreSQL template
is cloned (CREATE DATABASE ... TEMPLATE) and dropped afterwards (``--pg-seed``: a fresh PostgreSQL database is
seeded with ``jiuye seed --persons N --seed 1`` instead, and dropped). On each database, after loading the
shipped packs (``services.packs.load_shipped``) and, unless ``--facts no``, the demo's policy facts
(``policies.demo.seed_facts``: benefit periods, insurance years, loans, online shops, internships, trainings,
payment accounts; not timed), so that every policy of the pack has events to screen:

- **screening** (target < 10 s): ``engine.screen(as_of)`` of every policy of the 新城区 pack in force on
  --as-of (default 2020-12-31) against everyone — the set-based face alone — and then the same as a stored run
  (``services.screening.run_screening``: results bulk-inserted, the claimed flag, progress, audit); persons
  per second = persons in the registry / seconds; results per policy;
- **NumPy reference**: the rules of the xc2020 policies about hires, self-employment and graduation
  (hiring-once, si-employer, si-flexible, startup-once, job-search) evaluated vectorised over the same facts
  already loaded into arrays (registrations, persons, employers, recognitions; the parameter values per event
  date resolved beforehand). Only the evaluation is timed. Its counts and totals per policy are compared with
  the SQL face's (``agrees``);
  NumPy is the bench extra's (``pip install numpy``, or a directory of it on PYTHONPATH);
- **one explanation** (target p95 < 50 ms): ``engine.explain`` of one policy for 100 random eligible
  persons (and the paid employer for an employer subsidy), p50/p95/max.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import fresh_sqlite_env, run_jiuye  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _pct(times: list[float]) -> dict[str, float]:
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(round(0.95 * len(times) + 0.5)) - 1)]
    return {"n": len(times), "p50_ms": round(statistics.median(times), 2), "p95_ms": round(p95, 2),
            "max_ms": round(times[-1], 2)}


def run_one(database_url: str, data_dir: str, as_of: str, explanations: int, budget: float = 120, facts: str = "yes") -> dict:
    """Runs in a child process (one Django setup per database)."""
    env = dict(os.environ, JIUYE_DATABASE_URL=database_url, JIUYE_DATA_DIR=data_dir,
               PYTHONPATH=os.pathsep.join(p for p in [ROOT, os.environ.get("PYTHONPATH", "")] if p))
    env.pop("JIUYE_TESTING", None)
    subprocess.run([sys.executable, "-m", "jiuye.cli", "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    out = subprocess.run([sys.executable, os.path.abspath(__file__), "--child", "--as-of", as_of,
                          "--explanations", str(explanations), "--explain-budget", str(budget), "--facts", facts],
                         env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    out.check_returncode()
    return json.loads(out.stdout)


# ---------------------------------------------------------------------------------------------
# The NumPy reference


def _key(col):
    """Date column (datetime.date or None) → int array y*10000+m*100+d (0 for None)."""
    import numpy as np

    return np.fromiter(((d.year * 10000 + d.month * 100 + d.day) if d else 0 for d in col), dtype=np.int64, count=len(col))


def load_arrays(as_of: datetime.date) -> dict:
    """The facts the xc2020 rules about hires, self-employment and graduation read, as NumPy arrays."""
    import numpy as np

    from jiuye.assistance.models import Recognition
    from jiuye.assistance.queries.recognitions import COUNTING
    from jiuye.policies.vocabulary import EVENTS
    from jiuye.registry.models import HIGHER_EDUCATION, Employer, Person

    t0 = time.perf_counter()
    ev = EVENTS["employment"]
    regs = list(ev.queryset().filter(effective_date__lte=as_of).values_list(
        "pk", "effective_date", "person_id", "employer_id", "employment_form", "contract_type", "contract_months",
        "social_insurance"))
    persons = list(Person.objects.values_list("pk", "region_id", "school_type", "education", "graduation_date", "is_veteran",
                                              "hukou_type", "is_dibao", "poverty_status", "has_disability"))
    employers = list(Employer.objects.values_list("pk", "region_id", "size_class"))
    recs = list(Recognition.objects.filter(status__in=COUNTING, valid_from__isnull=False).values_list(
        "person_id", "valid_from", "valid_until", "exited_on"))
    cols = list(zip(*regs)) if regs else [[] for _ in range(8)]
    a: dict = {"n_regs": len(regs)}
    a["reg_id"] = np.asarray(cols[0], dtype=np.int64)
    a["reg_date"] = _key(cols[1])
    a["reg_dates"] = list(cols[1])
    a["reg_person"] = np.asarray(cols[2], dtype=np.int64)
    a["reg_employer"] = np.asarray([e or 0 for e in cols[3]], dtype=np.int64)
    forms = {"unit": 1, "flexible": 2, "platform": 3, "self_employed": 4}
    a["reg_form"] = np.asarray([forms.get(f, 0) for f in cols[4]], dtype=np.int8)
    ctypes = {"fixed": 1, "task": 2, "open_ended": 3}
    a["reg_ctype"] = np.asarray([ctypes.get(c, 0) for c in cols[5]], dtype=np.int8)
    a["reg_cmonths"] = np.asarray([-1 if m is None else m for m in cols[6]], dtype=np.int32)
    a["reg_si"] = np.asarray([s is True for s in cols[7]], dtype=bool)
    # persons, indexed by id
    pcols = list(zip(*persons))
    n = (max(pcols[0]) + 1) if persons else 1
    pid = np.asarray(pcols[0], dtype=np.int64)

    def by_person(values, dtype):
        out = np.zeros(n, dtype=dtype)
        out[pid] = np.asarray(values, dtype=dtype)
        return out

    higher = set(HIGHER_EDUCATION)
    a["p_in_area"] = by_person([r.startswith("610102") for r in pcols[1]], bool)
    a["p_region"] = pcols[1]
    a["p_college"] = by_person([s == "university" or e in higher for s, e in zip(pcols[2], pcols[3])], bool)
    a["p_grad"] = by_person(_key(pcols[4]), np.int64)
    a["p_grad_dates"] = dict(zip(pcols[0], pcols[4]))
    a["p_school_jobsearch"] = by_person([s in ("university", "secondary_vocational", "technical") for s in pcols[2]], bool)
    a["p_veteran"] = by_person([bool(v) for v in pcols[5]], bool)
    a["p_rural"] = by_person([h == "rural" for h in pcols[6]], bool)
    a["p_hardship"] = by_person([bool(d) or p in ("lifted", "monitored") or bool(x)
                                 for d, p, x in zip(pcols[7], pcols[8], pcols[9])], bool)
    a["person_ids"] = pid
    ecols = list(zip(*employers)) if employers else [[], [], []]
    m = (max(ecols[0]) + 1) if employers else 1
    eid = np.asarray(ecols[0], dtype=np.int64)
    a["e_in_area"] = np.zeros(m, dtype=bool)
    a["e_in_area"][eid] = np.asarray([r.startswith("610102") for r in ecols[1]], dtype=bool)
    sizes = {"medium": 1, "small": 2, "micro": 3, "large": 4}
    a["e_size"] = np.zeros(m, dtype=np.int8)
    a["e_size"][eid] = np.asarray([sizes.get(s, 0) for s in ecols[2]], dtype=np.int8)
    # recognitions, sorted by person
    rcols = list(zip(*recs)) if recs else [[], [], [], []]
    order = np.argsort(np.asarray(rcols[0], dtype=np.int64), kind="stable")
    a["r_person"] = np.asarray(rcols[0], dtype=np.int64)[order]
    a["r_from"] = _key(rcols[1])[order]
    a["r_until"] = np.where(_key(rcols[2]) == 0, 99991231, _key(rcols[2]))[order]
    a["r_exit"] = np.where(_key(rcols[3]) == 0, 99991231, _key(rcols[3]))[order]
    a["load_seconds"] = round(time.perf_counter() - t0, 2)
    return a


def _recognised_on(person, dates, a):
    """Vectorised: is person[i] recognised on dates[i] (an act with from <= d <= until and d < exit)?"""
    import numpy as np

    rp = a["r_person"]
    lo = np.searchsorted(rp, person, side="left")
    hi = np.searchsorted(rp, person, side="right")
    cnt = hi - lo
    out = np.zeros(len(person), dtype=bool)
    total = int(cnt.sum())
    if total == 0:
        return out
    row = np.repeat(np.arange(len(person)), cnt)
    offs = np.arange(total) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    r = np.repeat(lo, cnt) + offs
    d = dates[row]
    ok = (a["r_from"][r] <= d) & (d <= a["r_until"][r]) & (d < a["r_exit"][r])
    np.logical_or.at(out, row[ok], True)
    return out


def numpy_reference(a: dict, params: dict) -> dict:
    """Counts and totals per policy, evaluated vectorised (the timed part)."""
    import numpy as np

    out = {}
    date, person, emp = a["reg_date"], a["reg_person"], a["reg_employer"]
    college, grad = a["p_college"][person], a["p_grad"][person]
    gy = college & (grad > 0) & (grad // 10000 == date // 10000)
    gw2 = college & (grad > 0) & (grad <= date) & (date < grad + 20000)
    gw5 = college & (grad > 0) & (grad <= date) & (date < grad + 50000)
    rec = _recognised_on(person, date, a)
    contract = (a["reg_ctype"] == 3) | (((a["reg_ctype"] == 1) | (a["reg_ctype"] == 2)) & (a["reg_cmonths"] >= 12))
    si = a["reg_si"]
    has_emp = emp > 0
    e_area = has_emp & a["e_in_area"][emp]
    p_area = a["p_in_area"][person]
    size_ok = has_emp & np.isin(a["e_size"][emp], [1, 2, 3])
    form = a["reg_form"]
    flex = (form == 2) | (form == 3)
    didx = params["date_index"]  # event date → index into the per-date parameter vectors

    def within(code):
        lo, hi = params["bounds"][code]
        return (date <= hi) & ((date >= lo) if lo else True)

    def put(code, mask, amount, months=None):
        total = amount[mask] * (months[mask] if months is not None else 1)
        out[code] = {"count": int(mask.sum()), "total": round(float(np.nansum(total)), 2)}

    m = within("xc2020-hiring-once") & e_area & size_ok & gy & contract & si
    put("xc2020-hiring-once", m, params["amount"]["xc2020-hiring-once"][0][didx])
    m = within("xc2020-si-employer") & e_area & contract & si & (rec | gy | gw2)
    (a_rec, a_grad), (n_rec, n_grad) = params["amount"]["xc2020-si-employer"], params["months"]["xc2020-si-employer"]
    amt = np.where(rec, a_rec[didx], a_grad[didx])
    mon = np.where(rec, n_rec[didx], n_grad[didx])
    put("xc2020-si-employer", m & (mon > 0), amt, mon)
    m = within("xc2020-si-flexible") & p_area & si & ((rec & flex) | (gw2 & flex) | (gy & (form == 4)))
    (a_rec, a_grad), (n_rec, n_grad) = params["amount"]["xc2020-si-flexible"], params["months"]["xc2020-si-flexible"]
    amt = np.where(rec, a_rec[didx], a_grad[didx])
    mon = np.where(rec, n_rec[didx], n_grad[didx])
    put("xc2020-si-flexible", m & (mon > 0), amt, mon)
    m = (within("xc2020-startup-once") & p_area & (form == 4)
         & (rec | gy | gw5 | a["p_veteran"][person] | a["p_rural"][person]))
    put("xc2020-startup-once", m, params["amount"]["xc2020-startup-once"][0][didx])
    # graduation: over persons
    pid = a["person_ids"]
    g = a["p_grad"][pid]
    lo, hi = params["bounds"]["xc2020-job-search"]
    m = (g > 0) & (g <= hi) & ((g >= lo) if lo else True) & a["p_in_area"][pid] & a["p_school_jobsearch"][pid] & a["p_hardship"][pid]
    out["xc2020-job-search"] = {"count": int(m.sum()), "total": None}
    return out


def reference_params(as_of: datetime.date, a: dict) -> dict:
    """Per-date parameter vectors and date bounds for the reference (resolved once, before the clock)."""
    import numpy as np

    from jiuye.policies import engine

    codes = ["xc2020-hiring-once", "xc2020-si-employer", "xc2020-si-flexible", "xc2020-startup-once", "xc2020-job-search"]
    policies = {p.code: p for p in engine.policies_in_force(as_of, codes)}
    table = engine.table_for({p.version_id: p.version for p in policies.values()}.values())
    dates = sorted(set(a["reg_dates"]))
    index = {d: i for i, d in enumerate(dates)}
    didx = np.fromiter((index[d] for d in a["reg_dates"]), dtype=np.int64, count=len(a["reg_dates"]))
    region = "610102000000"
    out = {"date_index": didx, "bounds": {}, "amount": {}, "months": {}}
    for code, p in policies.items():
        lo, hi = engine.date_bounds(p, table, as_of)
        out["bounds"][code] = (lo.year * 10000 + lo.month * 100 + lo.day if lo else 0, hi.year * 10000 + hi.month * 100 + hi.day)
        amounts, months = [], []
        for case in p.spec["benefit"]["cases"]:
            av, mv = [], []
            for d in dates:
                v = engine.evaluate_amount(case["amount"], table, region, d, {}, [])
                av.append(np.nan if v is None else float(v))
                if p.spec["benefit"]["unit"] == "month":
                    n, _why = engine.months_payable(case, p, table, region, d, None, [])
                    mv.append(-1 if n is None else n)
            amounts.append(np.asarray(av, dtype=float))
            months.append(np.asarray(mv, dtype=float))
        out["amount"][code] = amounts if len(amounts) > 1 else [amounts[0]]
        out["months"][code] = months
    return out


# ---------------------------------------------------------------------------------------------


def measure(as_of, codes, persons, explanations: int, budget: float) -> dict:
    """Screening (engine alone, then stored), the NumPy reference, explanations (within ``budget`` seconds)."""
    from django.db.models import Count, Sum

    from jiuye.policies import engine
    from jiuye.policies.models import ScreeningResult
    from jiuye.policies.services import screening
    from jiuye.registry.models import Employer, Person

    result: dict = {}
    engine.clear_tables()
    engine.table_for(engine.current_versions())
    t0 = time.perf_counter()
    ents = engine.screen(as_of, codes=codes)
    seconds = time.perf_counter() - t0
    sql_counts: dict[str, dict] = {}
    for e in ents:
        c = sql_counts.setdefault(e.policy.code, {"count": 0, "total": 0.0})
        c["count"] += 1
        if e.total is not None:
            c["total"] += float(e.total)
    result["screen_seconds"] = round(seconds, 2)
    result["screen_persons_per_second"] = round(persons / seconds) if seconds else None
    result["screen_results"] = len(ents)
    result["screen_totals_per_policy"] = {k: {"count": v["count"], "total": round(v["total"], 2)} for k, v in sorted(sql_counts.items())}
    print(f"engine.screen {seconds:.2f} s, {len(ents)} results", file=sys.stderr)

    t0 = time.perf_counter()
    run = screening.run_screening(None, as_of, codes=codes)
    seconds = time.perf_counter() - t0
    result["run_seconds"] = round(seconds, 2)
    result["run_persons_per_second"] = round(persons / seconds) if seconds else None
    result["run_status"] = run.status
    result["run_results"] = run.result_count
    result["results_per_policy"] = dict(ScreeningResult.objects.filter(run=run).values("policy_code")
                                        .annotate(n=Count("pk")).values_list("policy_code", "n"))
    result["amount_total_per_policy"] = {k: float(v) if v is not None else None for k, v in ScreeningResult.objects.filter(run=run)
                                         .values("policy_code").annotate(s=Sum("amount")).values_list("policy_code", "s")}
    print(f"stored run {seconds:.2f} s ({run.status})", file=sys.stderr)

    arrays = load_arrays(as_of)
    params = reference_params(as_of, arrays)
    numpy_reference(arrays, params)  # warm
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        ref = numpy_reference(arrays, params)
        times.append(time.perf_counter() - t0)
    agrees = {}
    for code, r in ref.items():
        s = sql_counts.get(code, {"count": 0, "total": 0.0})
        agrees[code] = r["count"] == s["count"] and (r["total"] is None or abs(r["total"] - s["total"]) < 0.01)
    result["numpy"] = {"load_seconds": arrays["load_seconds"], "registrations": arrays["n_regs"],
                       "eval_seconds_best": round(min(times), 4), "policies": ref, "agrees_with_sql": agrees}
    print(f"numpy {min(times) * 1000:.1f} ms, agrees {agrees}", file=sys.stderr)

    rng = random.Random(1)
    pool = list(ScreeningResult.objects.filter(run=run, person__isnull=False).values_list("policy_code", "person_id", "employer_id"))
    sample = rng.sample(pool, min(explanations, len(pool)))
    policies = {p.code: p for p in engine.policies_in_force(as_of, codes)}
    times = []
    agreed = 0
    started = time.perf_counter()
    for code, person_id, employer_id in sample:
        if time.perf_counter() - started > budget:
            break
        t0 = time.perf_counter()
        person = Person.objects.get(pk=person_id)
        employer = Employer.objects.get(pk=employer_id) if employer_id else None
        found = engine.explain(policies[code], as_of, person=person, employer=employer)
        times.append((time.perf_counter() - t0) * 1000)
        agreed += any(e.eligible for e in found)
    result["explain"] = _pct(times) if times else None
    result["explain_eligible_agree"] = f"{agreed}/{len(times)}"
    print(f"explain {result['explain']}", file=sys.stderr)
    return result


def child(as_of_text: str, explanations: int, budget: float, facts: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiuye.settings")
    sys.path.insert(0, ROOT)
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from jiuye.policies import engine
    from jiuye.policies.services import packs
    from jiuye.registry.models import Person

    as_of = datetime.date.fromisoformat(as_of_text)
    persons = Person.objects.count()
    result: dict = {"database": connection.vendor, "persons": persons, "as_of": as_of_text}
    packs.load_shipped()
    if facts == "yes":  # the facts the other policies read (benefit periods, loans, shops …), as in the demo
        from jiuye.policies.demo import seed_facts

        t0 = time.perf_counter()
        result["facts"] = seed_facts(timezone.localdate())
        print(f"{connection.vendor}: facts seeded in {time.perf_counter() - t0:.1f} s: {result['facts']}", file=sys.stderr)
    codes = [p.code for p in engine.policies_in_force(as_of) if p.code.startswith("xc2020-")]
    result["policies"] = len(codes)
    result.update(measure(as_of, codes, persons, explanations, budget))
    print(json.dumps(result, ensure_ascii=False, default=str))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--sqlite-source", default=None, help="a seeded SQLite file (copied, never written)")
    parser.add_argument("--pg-template", default="", help="a seeded PostgreSQL database to clone ('' to skip)")
    parser.add_argument("--pg-seed", action="store_true", help="seed a fresh PostgreSQL database (--persons) instead")
    parser.add_argument("--pg-admin", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--persons", type=int, default=100_000, help="persons to seed when no --sqlite-source / --pg-seed")
    parser.add_argument("--workdir", default=None)
    parser.add_argument("--as-of", default="2020-12-31")
    parser.add_argument("--explanations", type=int, default=100)
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--explain-budget", type=float, default=120, help="seconds at most for the explanations")
    parser.add_argument("--facts", choices=["yes", "no"], default="yes",
                        help="seed the demo's policy facts (benefit periods, loans, shops …) into the copy first")
    args = parser.parse_args()
    if args.child:
        child(args.as_of, args.explanations, args.explain_budget, args.facts)
        return
    results = []
    workdir = tempfile.mkdtemp(prefix="bench-screen-", dir=args.workdir)
    try:
        if not args.skip_sqlite:
            if args.sqlite_source:
                db = os.path.join(workdir, "jiuye.sqlite3")
                shutil.copyfile(args.sqlite_source, db)
                results.append(run_one(f"sqlite:///{db}", workdir, args.as_of, args.explanations, args.explain_budget, args.facts))
            else:
                env, db = fresh_sqlite_env(workdir)
                run_jiuye(["migrate", "-v0"], env)
                run_jiuye(["seed", "--persons", str(args.persons), "--seed", "1", "--no-samples"], env)
                results.append(run_one(env["JIUYE_DATABASE_URL"], env["JIUYE_DATA_DIR"], args.as_of, args.explanations, args.explain_budget, args.facts))
            print(json.dumps(results[-1], ensure_ascii=False), file=sys.stderr)
        if args.pg_template or args.pg_seed:
            import psycopg

            name = f"bench_screen_{os.getpid()}"
            with psycopg.connect(args.pg_admin, autocommit=True) as conn:
                if args.pg_template:
                    conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{args.pg_template}"')
                else:
                    conn.execute(f'CREATE DATABASE "{name}"')
            try:
                base = args.pg_admin.rsplit("/", 1)[0]
                url = f"{base}/{name}"
                if args.pg_seed:
                    env = dict(os.environ, JIUYE_DATABASE_URL=url, JIUYE_DATA_DIR=workdir, PYTHONPATH=ROOT)
                    env.pop("JIUYE_TESTING", None)
                    run_jiuye(["migrate", "-v0"], env)
                    run_jiuye(["seed", "--persons", str(args.persons), "--seed", "1", "--no-samples"], env)
                results.append(run_one(url, workdir, args.as_of, args.explanations, args.explain_budget, args.facts))
            finally:
                with psycopg.connect(args.pg_admin, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(results, ensure_ascii=False, indent=2, default=str))


if __name__ == "__main__":
    main()
