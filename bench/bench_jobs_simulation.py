"""Benchmark: the recommender on the simulated labour market, and the congestion control at scale; prints JSON.

    .venv/bin/python bench/bench_jobs_simulation.py                                   # 20,000 x 2,000 x 6 months
    .venv/bin/python bench/bench_jobs_simulation.py --seekers 2000 --vacancies 200 --months 3   # quick
    .venv/bin/python bench/bench_jobs_simulation.py --strengths 0,0.03,0.1,0.3,1 --ks 10      # the tuning sweep
    .venv/bin/python bench/bench_jobs_simulation.py --assign-seekers 1000000 --skip-market    # assign.py alone
    .venv/bin/python bench/bench_jobs_simulation.py --slacks none,1.0,1.5                   # rounding variants

Market part: for each (strength, k), the three policies' metrics (jobs.simulation.simulate: hires, recall@10,
NDCG@10, coverage, Gini) and seconds. Assignment part (``--assign-seekers N``): N seekers x ``--assign-per``
candidates over ``--assign-vacancies`` vacancies (30% of each seeker's candidates among 1,000 popular
vacancies that score higher), plain top-k and congestion_assign seconds, exposure gap (L1 distance between
exposure shares and opening shares: 0 proportional, 2 disjoint) and the peak resident memory.
Builds its own data; no database.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiuye.settings")
    import django

    django.setup()


def market(args) -> dict:
    from jiuye.jobs import simulation

    runs = []
    policies = tuple(args.policies.split(","))
    for slack in _slacks(args.slacks):
        for strength, power in [(float(x), float(y)) for x in args.strengths.split(",")
                                for y in args.powers.split(",")]:
            for k in [int(x) for x in args.ks.split(",")]:
                params = simulation.Params(k=k, strength=strength, slack=slack, capacity_power=power)
                result = simulation.simulate(args.seekers, args.vacancies, args.months, seed=args.seed,
                                             params=params, policies=policies)
                for metrics in result["policies"].values():
                    metrics.pop("hires_per_month", None)
                result["slack"] = slack
                runs.append(result)
                print(json.dumps({"slack": slack, "power": power, "strength": strength, "k": k,
                                  "seconds": result["seconds"]}),
                      file=sys.stderr)
    return {"runs": runs}


def _slacks(text: str) -> list:
    """Comma-separated cap slacks; ``none`` = the row-by-row rounding."""
    return [None if x.strip().lower() == "none" else float(x) for x in text.split(",")]


def assignment(args) -> dict:
    import numpy as np
    from scipy import sparse

    from jiuye.jobs.matching import assign

    n, m, per = args.assign_seekers, args.assign_vacancies, args.assign_per
    rng = np.random.default_rng(args.seed)
    started = time.perf_counter()
    cols = np.empty((n, per), dtype=np.int32)
    popular = min(1000, m)
    cols[:, : per * 3 // 10] = rng.integers(0, popular, (n, per * 3 // 10))
    cols[:, per * 3 // 10:] = rng.integers(0, m, (n, per - per * 3 // 10))
    cols.sort(axis=1)
    data = (rng.uniform(0.3, 0.8, (n, per)) + 0.2 * (cols < popular)).astype(np.float32)
    scores = sparse.csr_matrix((data.ravel(), cols.ravel(), np.arange(0, n * per + 1, per)), shape=(n, m))
    del cols, data
    scores.sum_duplicates()
    capacity = rng.integers(1, 5, m)
    out = {"seekers": n, "vacancies": m, "candidates": int(scores.nnz), "k": args.assign_k,
           "build_seconds": round(time.perf_counter() - started, 1)}

    def gap(result):
        exposure = assign.exposure(result, m)
        return round(float(np.abs(exposure / exposure.sum() - capacity / capacity.sum()).sum()), 3)

    started = time.perf_counter()
    plain = assign.plain_top_k(scores, args.assign_k)
    out["plain_top_k_seconds"] = round(time.perf_counter() - started, 1)
    out["plain_top_k_gap"] = gap(plain)
    del plain
    started = time.perf_counter()
    for slack in _slacks(args.slacks):
        started = time.perf_counter()
        controlled = assign.congestion_assign(scores, capacity, args.assign_k, slack=slack)
        out[f"congestion_assign_seconds_slack_{slack}"] = round(time.perf_counter() - started, 1)
        out[f"congestion_assign_gap_slack_{slack}"] = gap(controlled)
        del controlled
    out["peak_memory_gb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6, 2)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seekers", type=int, default=20_000)
    parser.add_argument("--vacancies", type=int, default=2_000)
    parser.add_argument("--months", type=int, default=6)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--strengths", default="0.03", help="comma-separated congestion-control strengths")
    parser.add_argument("--ks", default="10", help="comma-separated list lengths k")
    parser.add_argument("--slacks", default="1.0",
                        help="comma-separated cap slacks of the capacity-aware rounding; none = row-by-row")
    parser.add_argument("--powers", default="1.0",
                        help="comma-separated capacity powers: column targets in proportion to openings ** power")
    parser.add_argument("--policies", default="congestion,top_k,keyword")
    parser.add_argument("--skip-market", action="store_true")
    parser.add_argument("--assign-seekers", type=int, default=0)
    parser.add_argument("--assign-vacancies", type=int, default=100_000)
    parser.add_argument("--assign-per", type=int, default=100)
    parser.add_argument("--assign-k", type=int, default=10)
    args = parser.parse_args()
    _setup()
    out = {}
    if not args.skip_market:
        out["market"] = market(args)
    if args.assign_seekers:
        out["assignment"] = assignment(args)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
