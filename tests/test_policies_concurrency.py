"""Concurrent approvals and payments on PostgreSQL: threads (each with its own connection) approve the same
claims and colliding entitlements at once, and pay the same batch at once. The database's constraints and
locks must leave every entitlement committed at most once, no duplicate slot, no budget exceeded and no
claim paid twice. Skipped on SQLite (one writer at a time: nothing runs concurrently there)."""
import random
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction
from django.db.models import Count, Sum

from jiuye.policies import engine
from jiuye.policies.models import Budget, Claim, EntryKind, LedgerEntry, LedgerSlot, PaymentItem
from jiuye.policies.services import budgets, ledger, payments
from tests.conftest import XINCHENG
from tests.policies_helpers import D, bank_account, claim_for, hire, make_employer, shipped  # noqa: F401

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrency needs PostgreSQL"),
]

AS_OF = D(2020, 11, 20)
THREADS = 6


def run_threads(n, work):
    barrier = threading.Barrier(n)
    outcomes, errors = [], []

    def target(i):
        try:
            barrier.wait()
            outcomes.append(work(i))
        except Exception as exc:  # noqa: BLE001  (reported by the test)
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return outcomes, errors


@pytest.fixture
def colliding(shipped, district_officer, make_person):
    """Claims waiting for approval: for each of 6 graduates hired by a micro firm, the employer's hiring and
    social insurance subsidies; for each, the person's flexible social insurance subsidy for overlapping
    months (excluded by the employer's); and for two, a re-hire by the same firm (the same graduate twice).
    A budget of 4000 for the hiring subsidy (fewer than the 6 hires) and 200,000 for the district."""
    firm = make_employer(district_officer, 1, size="micro")
    bank_account(firm)
    claims = []
    for n in range(6):
        grad = make_person(birth="19980506", education="bachelor", school_type="university", graduation_date=D(2020, 7, 1))
        job = hire(district_officer, grad, firm, D(2020, 8, 3))
        flexible = hire(district_officer, grad, None, D(2020, 9, 7), form="flexible", contract=None)
        events = [("xc2020-hiring-once", job), ("xc2020-si-employer", job), ("xc2020-si-flexible", flexible)]
        if n < 2:
            events.append(("xc2020-hiring-once", hire(district_officer, grad, firm, D(2020, 10, 12))))
        for code, reg in events:
            ent = engine.reevaluate(code, "employment", reg.pk, AS_OF)
            assert ent.eligible, (code, ent.trace)
            claims.append(claim_for(ent, actor=district_officer))
    budgets.create_budget(actor=district_officer, year=2020, region=XINCHENG, policy_code="xc2020-hiring-once", amount=4000)
    budgets.create_budget(actor=district_officer, year=2020, region=XINCHENG, amount=200000)
    return claims


def approve_all(claims, officer, seed):
    order = list(claims)
    random.Random(seed).shuffle(order)
    done, refused = 0, {}
    for claim in order:
        claim = Claim.objects.get(pk=claim.pk)
        ent = engine.reevaluate(claim.policy_code, claim.event_type, claim.event_id, AS_OF, exclude_claim_id=claim.pk)
        try:
            with transaction.atomic():
                ledger.commit(claim, ent, ent.policy, actor=officer, trace=ent.trace, on=AS_OF)
                Claim.objects.filter(pk=claim.pk).update(status="approved", approved_by=officer)
            done += 1
        except ledger.LedgerRefused as exc:
            refused[exc.code] = refused.get(exc.code, 0) + 1
    return done, refused


def test_concurrent_approvals_commit_each_entitlement_at_most_once_within_the_budget(colliding, district_officer):
    outcomes, errors = run_threads(THREADS, lambda i: approve_all(colliding, district_officer, i))
    assert errors == []
    commitments = LedgerEntry.objects.filter(kind=EntryKind.COMMITMENT)
    # every claim at most once (and the sum of the threads' successes is exactly what the ledger holds)
    assert sum(done for done, _ in outcomes) == commitments.count()
    assert not commitments.values("claim").annotate(n=Count("pk")).filter(n__gt=1).exists()
    # no slot twice: the same person and month under one kind, the same (employer, graduate) once
    assert not LedgerSlot.objects.values("kind", "beneficiary_key", "subject_key", "period_key").annotate(
        n=Count("pk")).filter(n__gt=1).exists()
    # per graduate: one hiring subsidy, and either the employer's or the flexible SI subsidy for a month
    hiring = commitments.filter(policy_code="xc2020-hiring-once")
    persons = list(hiring.values_list("claim__person_id", flat=True))
    assert len(persons) == len(set(persons))
    for person_id in Claim.objects.values_list("person_id", flat=True).distinct():
        months = [s.period_key for s in LedgerSlot.objects.filter(kind="social_insurance", subject_key=f"P{person_id}")]
        assert len(months) == len(set(months))
    # the budget never exceeded: 4 of the 8 hiring claims at 1000
    budget = Budget.objects.get(policy_code="xc2020-hiring-once")
    assert ledger.committed(budget) <= budget.amount
    assert hiring.aggregate(s=Sum("amount"))["s"] == Decimal("4000.00")
    refused = {}
    for _, r in outcomes:
        for k, v in r.items():
            refused[k] = refused.get(k, 0) + v
    assert refused.get("budget", 0) > 0 and refused.get("duplicate", 0) > 0


def test_concurrent_batches_and_reconciles_pay_nothing_twice(colliding, district_officer):
    approve_all(colliding, district_officer, 0)
    outcomes, errors = run_threads(THREADS, lambda i: payments.create_batch(district_officer))
    assert errors == []
    batches = [r.batch for r in outcomes if r.batch is not None]
    assert len(batches) == 1  # the others found every claim taken
    live = PaymentItem.objects.exclude(status="failed")
    assert not live.values("claim").annotate(n=Count("pk")).filter(n__gt=1).exists()
    batch = batches[0]
    payments.send_batch(district_officer, batch)
    items = list(batch.items.order_by("pk"))
    lines = ["明细编号,账号,户名,金额,结果,银行流水号,说明"] + [
        f"{i.pk},{i.account_number},{i.account_name},{i.amount:.2f},成功,BK{i.pk},"
        for i in items]
    data = ("\n".join(lines) + "\n").encode()
    outcomes, errors = run_threads(THREADS, lambda i: payments.reconcile(district_officer, batch, data))
    assert errors == []
    assert all(r.applied for r in outcomes)
    assert sum(r.count("paid") for r in outcomes) == len(items)
    payments_made = LedgerEntry.objects.filter(kind=EntryKind.PAYMENT)
    assert payments_made.count() == len(items)
    assert not payments_made.values("claim").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert connection.vendor == "postgresql"
