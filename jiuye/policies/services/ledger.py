"""The ledger's core: committing an approval (slots, budget) and releasing it. The one door every approval
goes through (claims, imports, the demo), so the guarantees hold whoever approves:

- **no double payment**: the approval's slots (models/ledger.py) are inserted under the database's unique
  constraint; a slot already taken, by any policy of the same kind in any pack, refuses the approval with the
  month or the subsidy it collides with. Two concurrent approvals of the same entitlement: one wins, the
  other is refused (PostgreSQL: the unique index; SQLite: the write lock);
- **no overdrawn budget**: every budget that covers the claim (its region or any region above, for the
  policy or for every policy, in the approval's year) is locked (SELECT … FOR UPDATE, in pk order, after the
  entry and the slots are inserted, so the lock is held only for the sums and the caller's commit) and its
  commitments summed, this approval included; an approval beyond one is refused unless an authorised officer
  records an override with a reason. No approval waits for a slot while holding a budget lock: no deadlock.

The approval's own writes sit in a savepoint: a refusal leaves nothing, even if the caller goes on.
docs/policies/payments.md has the whole picture; tests/test_policies_concurrency.py and
bench/bench_policies_approvals.py hold it under concurrent approvals on PostgreSQL.

Call these inside the caller's transaction (``transaction.atomic``): the claim's status, the ledger entry, the
slots and the audit entry commit together.
"""
from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from jiuye.accounts import roles
from jiuye.policies.engine import Entitlement, month_keys, param_value, table_for
from jiuye.policies.models import Budget, BudgetOverride, Claim, EntryKind, LedgerEntry, LedgerSlot, Policy
from jiuye.regions.codes import pad, significant_prefix
from jiuye.regions.queries import within_q


class LedgerRefused(ValidationError):
    """An approval the ledger refuses (a slot taken, a budget exceeded, an amount not set). ``code`` tells
    which: ``duplicate``, ``budget``, ``not_set``, ``limit``."""


def slot_keys(policy: Policy, ent: Entitlement, *, times_used: int = 0) -> list[tuple[str, str, str, str]]:
    """(kind, beneficiary, subject, period) of every slot the entitlement takes."""
    kind = policy.kind
    if ent.unit == "month":
        return [(kind, "*", ent.subject_key, m) for m in month_keys(ent.first_month, ent.months or 0)]
    limits = policy.spec.get("limits") or {}
    if limits.get("times"):
        return [(kind, ent.beneficiary_key, "", f"n{times_used + 1}")]
    return [(kind, ent.beneficiary_key, ent.subject_key, "once")]


def covering_budgets(claim: Claim, year: int):
    """Budgets of ``year`` for the claim's region or any region above it, for its policy or for every policy."""
    code = pad(claim.region_id)
    prefix = significant_prefix(code)
    ancestors = {pad(prefix[:n]) for n in (2, 4, 6, 9, 12) if n <= len(prefix)}
    return Budget.objects.filter(year=year, region_id__in=ancestors).filter(Q(policy_code="") | Q(policy_code=claim.policy_code))


def committed(budget: Budget) -> Decimal:
    """What the budget has committed: the approvals of its year in its region (and of its policy, when it is a
    policy's budget), less releases (stored negative)."""
    qs = LedgerEntry.objects.filter(within_q(significant_prefix(budget.region_id), "region"), year=budget.year,
                                    kind__in=[EntryKind.COMMITMENT, EntryKind.RELEASE])
    if budget.policy_code:
        qs = qs.filter(policy_code=budget.policy_code)
    return Decimal(qs.aggregate(s=Sum("amount"))["s"] or 0).quantize(Decimal("0.01"))


def committed_many(budgets: list[Budget]) -> dict[int, Decimal]:
    """``committed`` of several budgets of one year in one query (the approval's locked section)."""
    if not budgets:
        return {}
    sums = {}
    area = Q(pk__in=[])
    for b in budgets:
        q = within_q(significant_prefix(b.region_id), "region")
        if b.policy_code:
            q &= Q(policy_code=b.policy_code)
        area |= q
        sums[f"b{b.pk}"] = Sum("amount", filter=q)
    row = (LedgerEntry.objects.filter(area, year__in={b.year for b in budgets},
                                      kind__in=[EntryKind.COMMITMENT, EntryKind.RELEASE]).aggregate(**sums))
    return {b.pk: Decimal(row[f"b{b.pk}"] or 0).quantize(Decimal("0.01")) for b in budgets}


def commit(claim: Claim, ent: Entitlement, policy: Policy, *, actor, trace: dict, on: datetime.date | None = None,
           override_reason: str = "", override_by=None) -> LedgerEntry:
    """Record the approval of ``claim`` (entitlement ``ent`` as re-evaluated under ``policy``)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ledger.commit must run inside the caller's transaction")
    on = on or timezone.localdate()
    if LedgerEntry.objects.filter(claim=claim, kind=EntryKind.COMMITMENT).exists():
        raise LedgerRefused(f"申领{claim.number}已核准，不得重复核准", code="duplicate")
    total = ent.total
    if total is None or ent.blocked:
        raise LedgerRefused(ent.blocked or "补贴标准未设置，不能核准发放", code="not_set")
    times_used = 0
    free = 0  # the first free k of the N-times slots (a released approval frees its k)
    limits = policy.spec.get("limits") or {}
    if limits.get("times"):
        used = set(LedgerSlot.objects.filter(kind=policy.kind, beneficiary_key=ent.beneficiary_key,
                                             period_key__startswith="n").values_list("period_key", flat=True))
        times_used = len(used)
        n = param_value(table_for([policy.version]), ent.region_id, ent.event_date, limits["times"], [])
        if n is not None and times_used >= n:
            raise LedgerRefused(f"已享受{times_used}次{policy.name}，累计不超过{n}次", code="limit")
        free = next(k for k in range(times_used + 1) if f"n{k + 1}" not in used)
    keys = slot_keys(policy, ent, times_used=free)
    taken = _taken(keys)
    if taken:
        raise LedgerRefused(taken, code="duplicate")
    # The budget the entry counts against: the most specific one (a policy's before the region's whole fund).
    budget = max(covering_budgets(claim, on.year), key=lambda b: (len(significant_prefix(b.region_id)), bool(b.policy_code)),
                 default=None)
    with transaction.atomic():  # this approval's own writes, undone on any refusal whatever the caller does
        try:
            # ledger_one_commitment: the same claim approved twice at once — the second insert waits for the
            # first transaction and then fails.
            with transaction.atomic():
                entry = LedgerEntry.objects.create(
                    claim=claim, kind=EntryKind.COMMITMENT, policy=policy, policy_code=policy.code,
                    region_id=claim.region_id, year=on.year, amount=total, budget=budget, reviewer_id=claim.reviewer_id,
                    actor=actor, facts=trace)
        except IntegrityError:
            raise LedgerRefused(f"申领{claim.number}已核准，不得重复核准", code="duplicate") from None
        try:
            with transaction.atomic():
                LedgerSlot.objects.bulk_create([LedgerSlot(kind=k, beneficiary_key=b, subject_key=s, period_key=p,
                                                           claim=claim, entry=entry) for k, b, s, p in keys])
        except IntegrityError:
            raise LedgerRefused(_taken(keys) or "同一补贴已被另一笔核准占用（并发核准），本次不予核准", code="duplicate") from None
        # Last, the budgets, locked (SELECT … FOR UPDATE, in pk order): from here until the caller's transaction
        # ends no other approval counts against them, and the sums below already include this entry. Taken after
        # the slots so that the lock is held for as short a time as possible (the sums and the commit).
        over = []
        locked = list(covering_budgets(claim, on.year).select_for_update().order_by("pk"))
        sums = committed_many(locked)
        for b in locked:
            used = sums[b.pk]
            if used > b.amount:
                over.append((b, min(total, used - b.amount)))
        if over and not override_reason:
            b, excess = over[0]
            raise LedgerRefused(f"超出{b.year}年度预算（{b.region_id} {b.policy_code or '全部政策'}）{excess}元：须由授权人员记录超预算核准理由",
                                code="budget")
        if over and not roles.can_manage_budgets(override_by):
            raise PermissionDenied("只有区县、市人社局工作人员可以批准超预算核准")
        for b, excess in over:
            BudgetOverride.objects.create(budget=b, claim=claim, amount=excess, reason=override_reason, officer=override_by)
    return entry


def _taken(keys) -> str:
    """A sentence naming what is already taken (empty when nothing is)."""
    if not keys:
        return ""
    kinds = {k[0] for k in keys}
    q = Q(pk__in=[])
    for k, b, s, p in keys:
        q |= Q(kind=k, beneficiary_key=b, subject_key=s, period_key=p)
    hits = list(LedgerSlot.objects.filter(kind__in=kinds).filter(q).select_related("claim").order_by("period_key")[:12])
    if not hits:
        return ""
    first = hits[0]
    if first.period_key == "once":
        return f"已享受过同类一次性补贴（申领{first.claim.number}），不得重复发放"
    if first.period_key.startswith("n"):
        return f"第{first.period_key[1:]}次已被申领{first.claim.number}占用"
    months = "、".join(h.period_key for h in hits)
    return f"同一人员同一月份已享受同类补贴（{months}，申领{first.claim.number}），不得重复发放"


def release(claim: Claim, *, actor, reason: str) -> LedgerEntry | None:
    """Undo an approval not yet paid (an objection upheld after approval, a payment that cannot be made):
    a negative entry that frees the budget, and the slots freed."""
    entry = LedgerEntry.objects.filter(claim=claim, kind=EntryKind.COMMITMENT).first()
    if entry is None or LedgerEntry.objects.filter(claim=claim, kind=EntryKind.RELEASE).exists():
        return None  # nothing approved, or already released: a second release would free the budget twice
    if LedgerEntry.objects.filter(claim=claim, kind=EntryKind.PAYMENT).exists():
        raise ValidationError("已发放的补贴不能撤销核准")
    LedgerSlot.objects.filter(claim=claim).delete()
    return LedgerEntry.objects.create(
        claim=claim, kind=EntryKind.RELEASE, policy=entry.policy, policy_code=entry.policy_code, region_id=entry.region_id,
        year=entry.year, amount=-entry.amount, budget=entry.budget, reviewer=entry.reviewer, actor=actor,
        facts={"reason": reason})
