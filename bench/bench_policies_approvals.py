"""Benchmark (issue 9): 10,000 concurrent approvals through the ledger's one door on PostgreSQL, and the
proof that nothing is paid twice.

Builds its own data in its own database ``jiuye_bench_approvals`` (dropped and re-created; the server is
``--database-url``, else JIUYE_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres): migrate,
``jiuye seed`` (a small demo city), the shipped packs, then N claims waiting for approval, some of them
deliberately colliding:

- the employer's social insurance subsidy (12 months) for a hired person, and for some of the same persons
  the flexible-employment social insurance subsidy for overlapping months (the slots of one kind exclude
  each other, whoever is paid);
- the one-time hiring subsidy, and for some persons a second claim by the same employer (once per
  beneficiary and person);
- some claims queued twice (the same claim approved by two workers at once);
- a budget for the hiring subsidy smaller than what is claimed (approvals beyond it are refused).

``--workers`` threads (each with its own connection) take claims from one shared queue and call
``policies.services.ledger.commit`` inside a transaction, as an approval does. Then plain SQL, independent
of the slots, counts double payments: a person and month under one kind committed by two claims, a
one-time subsidy committed twice for one beneficiary and person, a claim committed twice, a budget
exceeded. Prints JSON: approvals per second, refused by reason, double payments (must be 0).

    .venv/bin/python bench/bench_policies_approvals.py --claims 10000 --workers 8
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import queue
import random
import sys
import tempfile
import threading
import time
from decimal import Decimal
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import CHECKOUT  # noqa: E402

DB_NAME = "jiuye_bench_approvals"
D = datetime.date


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def recreate_database(url: str) -> str:
    import psycopg

    admin = url
    with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    return _with_db(url, DB_NAME)


def build(n_claims: int, persons: int, seed: int, district_budget: bool = True):
    """Claims and entitlements (see the module docstring); returns (jobs, budgets, plan counts)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from jiuye.accounts.models import Role
    from jiuye.policies import engine
    from jiuye.policies.models import Claim, ClaimChannel
    from jiuye.policies.services import packs
    from jiuye.registry.models import Employer, Person

    rng = random.Random(seed)
    engine.clear_tables()
    packs.load_shipped()
    pol = {code: engine.current_policy(code) for code in ("xc2020-hiring-once", "xc2020-si-employer", "xc2020-si-flexible")}
    User = get_user_model()
    officer = User.objects.create(username="bench_approver", role=Role.DISTRICT_OFFICER, region_id="610102000000",
                                  display_name="基准测试核准人")
    people = list(Person.objects.order_by("pk").values_list("pk", "region_id")[:persons])
    firms = list(Employer.objects.order_by("pk").values_list("pk", "region_id"))
    # The plan: 40 % employer SI, 10 % flexible SI (60 % of them overlapping an employer SI of the same person),
    # 40 % hiring once, 10 % a second hiring claim of the same employer and person.
    n_si = n_claims * 4 // 10
    n_flex = n_claims // 10
    n_once = n_claims * 4 // 10
    n_dup = n_claims - n_si - n_flex - n_once
    assert len(people) >= n_si + n_flex, f"need {n_si + n_flex} persons, have {len(people)}"
    rows = []  # (code, beneficiary, person (pk, region), employer (pk, region), first_month)

    def firm_of(i):
        return firms[i % len(firms)]

    for i in range(n_si):
        rows.append(("xc2020-si-employer", "employer", people[i], firm_of(i), D(2020, 1 + i % 6, 1)))
    overlapping = n_flex * 6 // 10
    for j in range(n_flex):
        i = j if j < overlapping else n_si + j  # the first ones collide with an employer SI of the same person
        rows.append(("xc2020-si-flexible", "person", people[i], None, D(2020, 3 + j % 6, 1)))
    for i in range(n_once):
        rows.append(("xc2020-hiring-once", "employer", people[i], firm_of(i), D(2020, 8, 1)))
    for i in range(n_dup):
        rows.append(("xc2020-hiring-once", "employer", people[i], firm_of(i), D(2020, 10, 1)))
    now = timezone.now()
    claims = []
    for n, (code, beneficiary, (pid, pregion), firm, first) in enumerate(rows, start=1):
        p = pol[code]
        monthly = p.spec["benefit"]["unit"] == "month"
        amount = Decimal("600") if monthly else Decimal("1000")
        months = 12 if monthly else None
        region = pregion if beneficiary == "person" else firm[1]
        key = f"P{pid}" if beneficiary == "person" else f"E{firm[0]}"
        claims.append(Claim(number=f"BA{n:07d}", policy=p, policy_code=code, kind=p.kind, beneficiary=beneficiary,
                            person_id=pid, employer_id=firm[0] if firm else None, beneficiary_key=key, region_id=region,
                            event_type="employment", event_id=10_000_000 + n, event_date=first, unit="month" if monthly else "once",
                            amount=amount, months=months, first_month=first if monthly else None,
                            total=amount * (months or 1), status="publicity", channel=ClaimChannel.SEED, submitted_at=now,
                            reviewer=officer, decision_policy=p))
    Claim.objects.bulk_create(claims, batch_size=2000)
    jobs = []
    for c in Claim.objects.filter(number__startswith="BA").order_by("pk"):
        p = pol[c.policy_code]
        ent = engine.Entitlement(policy=p, event_type=c.event_type, event_id=c.event_id, event_date=c.event_date,
                                 beneficiary=c.beneficiary, person_id=c.person_id,
                                 employer_id=c.employer_id if c.beneficiary == "employer" else None, region_id=c.region_id,
                                 eligible=True, amount=c.amount, unit=c.unit, months=c.months, first_month=c.first_month)
        jobs.append((c, ent))
    twice = rng.sample(jobs, max(1, len(jobs) // 20))  # 5 % queued twice: the same claim approved at once
    jobs = jobs + twice
    rng.shuffle(jobs)
    from jiuye.policies.models import Budget

    hiring_total = (n_once + n_dup) * 1000
    Budget.objects.create(year=2020, region_id="610102000000", policy_code="xc2020-hiring-once",
                          amount=Decimal(hiring_total) * Decimal("0.75"), note="基准测试：少于申领总额")
    if district_budget:  # the region's whole fund: every approval locks it (one hot row)
        Budget.objects.create(year=2020, region_id="610102000000", policy_code="", amount=Decimal("1000000000"), note="基准测试")
    plan = {"si_employer": n_si, "si_flexible": n_flex, "si_flexible_overlapping": overlapping, "hiring_once": n_once,
            "hiring_once_same_person_again": n_dup, "claims_queued_twice": len(twice)}
    return officer, jobs, plan


def approve_all(officer, jobs, workers: int) -> tuple[float, dict]:
    from django.db import connections, transaction

    from jiuye.policies.models import Claim
    from jiuye.policies.services import ledger

    work: queue.Queue = queue.Queue()
    for job in jobs:
        work.put(job)
    lock = threading.Lock()
    stats = {"committed": 0, "refused": {}, "errors": {}}
    barrier = threading.Barrier(workers + 1)

    def worker():
        barrier.wait()
        try:
            while True:
                try:
                    claim, ent = work.get_nowait()
                except queue.Empty:
                    return
                try:
                    with transaction.atomic():
                        ledger.commit(claim, ent, ent.policy, actor=officer, trace={"bench": True}, on=D(2020, 11, 20))
                        Claim.objects.filter(pk=claim.pk).update(status="approved", approved_by=officer)
                    with lock:
                        stats["committed"] += 1
                except ledger.LedgerRefused as exc:
                    with lock:
                        stats["refused"][exc.code] = stats["refused"].get(exc.code, 0) + 1
                except Exception as exc:  # noqa: BLE001  (counted and printed: must stay empty)
                    with lock:
                        name = type(exc).__name__
                        stats["errors"][name] = stats["errors"].get(name, 0) + 1
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    return time.perf_counter() - started, stats


DOUBLE_PAYMENT_SQL = {
    # a person and a month under one kind committed by two claims (whoever is paid)
    "same_person_month_same_kind": """
        SELECT count(*) FROM (
          SELECT c.kind, c.person_id, (c.first_month + make_interval(months => g.m))::date AS month
          FROM policies_claim c
          JOIN policies_ledgerentry e ON e.claim_id = c.id AND e.kind = 'commitment'
          CROSS JOIN LATERAL generate_series(0, c.months - 1) AS g(m)
          WHERE c.unit = 'month' AND NOT EXISTS (
            SELECT 1 FROM policies_ledgerentry r WHERE r.claim_id = c.id AND r.kind = 'release')
          GROUP BY 1, 2, 3 HAVING count(*) > 1) d""",
    # a one-time subsidy committed twice for one beneficiary and person
    "once_twice_for_beneficiary_and_person": """
        SELECT count(*) FROM (
          SELECT c.kind, c.beneficiary_key, c.person_id FROM policies_claim c
          JOIN policies_ledgerentry e ON e.claim_id = c.id AND e.kind = 'commitment'
          WHERE c.unit = 'once' AND c.kind <> 'loan_interest' AND NOT EXISTS (
            SELECT 1 FROM policies_ledgerentry r WHERE r.claim_id = c.id AND r.kind = 'release')
          GROUP BY 1, 2, 3 HAVING count(*) > 1) d""",
    # a claim committed (or paid) twice
    "claim_committed_twice": """
        SELECT count(*) FROM (SELECT claim_id, kind FROM policies_ledgerentry WHERE kind IN ('commitment', 'payment')
                              GROUP BY 1, 2 HAVING count(*) > 1) d""",
    # a budget whose commitments exceed it without a recorded override
    "budget_exceeded": """
        SELECT count(*) FROM policies_budget b
        WHERE b.amount < (SELECT coalesce(sum(e.amount), 0) FROM policies_ledgerentry e
                          WHERE e.year = b.year AND e.kind IN ('commitment', 'release')
                            AND e.region_id LIKE rtrim(b.region_id, '0') || '%%'
                            AND (b.policy_code = '' OR e.policy_code = b.policy_code))
          AND NOT EXISTS (SELECT 1 FROM policies_budgetoverride o WHERE o.budget_id = b.id)""",
}


def verify() -> dict:
    from django.db import connection

    out = {}
    with connection.cursor() as cursor:
        for name, sql in DOUBLE_PAYMENT_SQL.items():
            cursor.execute(sql)
            out[name] = cursor.fetchone()[0]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("JIUYE_DATABASE_URL")
                        or "postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--persons", type=int, default=10_000, help="persons of the demo city seeded first")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-district-budget", action="store_true",
                        help="no budget for the district's whole fund (only the hiring subsidy's): approvals of the other "
                             "policies lock no budget row")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        parser.error("PostgreSQL only (concurrent approvals)")
    url = recreate_database(args.database_url)
    os.environ["JIUYE_DATABASE_URL"] = url
    os.environ.setdefault("JIUYE_DATA_DIR", tempfile.mkdtemp(prefix="jiuye-bench-approvals-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiuye.settings")
    sys.path.insert(0, str(CHECKOUT))
    import django

    django.setup()
    from django.core.management import call_command

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, stdout=sys.stderr)
    call_command("seed", persons=args.persons, seed=args.seed, no_samples=True, verbosity=0, stdout=sys.stderr)
    officer, jobs, plan = build(args.claims, args.persons, args.seed, district_budget=not args.no_district_budget)
    setup = time.perf_counter() - t0
    seconds, stats = approve_all(officer, jobs, args.workers)
    checks = verify()
    from jiuye.policies.models import LedgerSlot

    print(json.dumps({
        "database": "postgresql", "claims": args.claims, "district_budget": not args.no_district_budget, "attempts": len(jobs), "workers": args.workers,
        "plan": plan, "setup_seconds": round(setup, 1), "seconds": round(seconds, 2),
        "attempts_per_second": round(len(jobs) / seconds, 1),
        "approvals_per_second": round(stats["committed"] / seconds, 1),
        "committed": stats["committed"], "refused_by_reason": stats["refused"], "errors": stats["errors"],
        "slots": LedgerSlot.objects.count(), "double_payment_checks": checks,
        "double_payments": sum(v for k, v in checks.items() if k != "budget_exceeded"),
        "budgets_exceeded": checks["budget_exceeded"],
    }, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
