"""Scoped reads of the payment ledger (补贴台账), the budgets (就业补助资金预算) with what they committed
and paid, and the payment batches with their items.

Every read is scoped by the record's region (``region_q``) and needs ``roles.can_read_policies``; a
budget or batch outside the scope is "not found" (Http404), like one that does not exist. Budget figures
are set-based: one grouped aggregate of the ledger per page of budgets (by year, region, policy and kind),
rolled up to each budget's region range and policy in Python over the groups (a few per community).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from jiuye.accounts import roles
from jiuye.accounts.scoping import region_q
from jiuye.paging import page, sort_key, sorted_by
from jiuye.policies.models import (
    Budget,
    BudgetOverride,
    Claim,
    ClaimStatus,
    EntryKind,
    ItemStatus,
    LedgerEntry,
    PaymentBatch,
    PaymentItem,
)
from jiuye.regions.codes import significant_prefix
from jiuye.regions.queries import region_filter_q, within_q

BUDGET_NOT_FOUND = _("补贴预算不存在或不在您的管辖范围内")
BATCH_NOT_FOUND = _("发放批次不存在或不在您的管辖范围内")
ENTRY_NOT_FOUND = _("台账记录不存在或不在您的管辖范围内")
LIVE_ITEM = (ItemStatus.PENDING, ItemStatus.PAID)


def may_read(user) -> bool:
    return roles.can_read_policies(user)


# ---------------------------------------------------------------------------------------------
# Ledger entries


@dataclass
class EntrySearch:
    text: str = ""  # claim number, beneficiary's name, identity number or credit code
    policy_code: str = ""
    kind: str = ""
    year: int | None = None
    region_code: str = ""  # a street or community (or county) in scope
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    claim_id: int | None = None
    batch_id: int | None = None
    sort: str = ""
    limit: int = 50
    offset: int = 0


ENTRY_SORTS = {
    "at": ("created_at",),
    "claim": ("claim__number",),
    "policy": ("policy_code", "created_at"),
    "kind": ("kind", "created_at"),
    "year": ("year", "created_at"),
    "region": ("region_id", "created_at"),
    "amount": ("amount", "created_at"),
}
ENTRY_DEFAULT_SORT = "-at"


def entry_sort(s: EntrySearch) -> str:
    return sort_key(ENTRY_SORTS, s.sort, ENTRY_DEFAULT_SORT)


def entries_visible_to(user) -> QuerySet[LedgerEntry]:
    if not may_read(user):
        return LedgerEntry.objects.none()
    return LedgerEntry.objects.filter(region_q(user))


def _text_q(text: str, prefix: str = "claim__") -> Q:
    text = text.strip()
    q = (Q(**{f"{prefix}number": text}) | Q(**{f"{prefix}person__name__icontains": text})
         | Q(**{f"{prefix}employer__name__icontains": text}))
    if len(text) >= 15:
        q |= Q(**{f"{prefix}person__id_number": text.upper()}) | Q(**{f"{prefix}employer__credit_code": text.upper()})
    return q


def _entries(user, s: EntrySearch) -> QuerySet[LedgerEntry]:
    qs = entries_visible_to(user)
    if s.text.strip():
        qs = qs.filter(_text_q(s.text))
    if s.policy_code:
        qs = qs.filter(policy_code=s.policy_code)
    if s.kind:
        qs = qs.filter(kind=s.kind)
    if s.year:
        qs = qs.filter(year=s.year)
    if s.region_code:
        qs = qs.filter(region_filter_q(s.region_code))
    if s.date_from:
        qs = qs.filter(created_at__date__gte=s.date_from)
    if s.date_to:
        qs = qs.filter(created_at__date__lte=s.date_to)
    if s.claim_id:
        qs = qs.filter(claim_id=s.claim_id)
    if s.batch_id:
        qs = qs.filter(batch_item__batch_id=s.batch_id)
    return qs


def entries_of_search(user, s: EntrySearch) -> QuerySet[LedgerEntry]:
    qs = _entries(user, s).select_related("claim", "claim__person", "claim__employer", "policy__version__pack", "reviewer",
                                          "actor", "region", "region__parent", "batch_item__batch")
    return sorted_by(qs, ENTRY_SORTS, entry_sort(s), ENTRY_DEFAULT_SORT)


def search_entries(user, s: EntrySearch) -> tuple[list[LedgerEntry], bool]:
    return page(entries_of_search(user, s), s.limit, s.offset)


def count_entries(user, s: EntrySearch) -> int:
    return _entries(user, s).count()


def entry_totals(user, s: EntrySearch) -> dict[str, Decimal]:
    """The filtered entries' sums per kind (one grouped aggregate)."""
    out = {k: Decimal(0) for k in EntryKind.values}
    for row in _entries(user, s).order_by().values("kind").annotate(s=Sum("amount")):
        out[row["kind"]] = Decimal(row["s"] or 0).quantize(Decimal("0.01"))
    return out


def get_entry(user, pk: int) -> LedgerEntry:
    row = entries_of_search(user, EntrySearch()).filter(pk=pk).first()
    if row is None:
        raise Http404(ENTRY_NOT_FOUND)
    return row


def policy_codes(user) -> list[str]:
    """The policy codes of the ledger and the budgets in scope (a filter's choices)."""
    codes = set(entries_visible_to(user).order_by().values_list("policy_code", flat=True).distinct())
    codes |= set(budgets_visible_to(user).exclude(policy_code="").values_list("policy_code", flat=True))
    return sorted(codes)


# ---------------------------------------------------------------------------------------------
# Budgets


@dataclass
class BudgetSearch:
    year: int | None = None
    region_code: str = ""
    policy_code: str = ""  # "*" = only the region-wide budgets
    sort: str = ""
    limit: int = 50
    offset: int = 0


BUDGET_SORTS = {
    "year": ("year", "region_id", "policy_code"),
    "region": ("region_id", "year", "policy_code"),
    "policy": ("policy_code", "year", "region_id"),
    "amount": ("amount",),
}
BUDGET_DEFAULT_SORT = "-year"


@dataclass
class BudgetRow:
    budget: Budget
    committed: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)
    overrides: int = 0
    overridden: Decimal = Decimal(0)

    @property
    def remaining(self) -> Decimal:
        return self.budget.amount - self.committed

    @property
    def over(self) -> bool:
        return self.remaining < 0


def budget_sort(s: BudgetSearch) -> str:
    return sort_key(BUDGET_SORTS, s.sort, BUDGET_DEFAULT_SORT)


def budgets_visible_to(user) -> QuerySet[Budget]:
    if not may_read(user):
        return Budget.objects.none()
    return Budget.objects.filter(region_q(user))


def _budgets(user, s: BudgetSearch) -> QuerySet[Budget]:
    qs = budgets_visible_to(user)
    if s.year:
        qs = qs.filter(year=s.year)
    if s.region_code:
        qs = qs.filter(region_filter_q(s.region_code))
    if s.policy_code == "*":
        qs = qs.filter(policy_code="")
    elif s.policy_code:
        qs = qs.filter(policy_code=s.policy_code)
    return qs


def budgets_of_search(user, s: BudgetSearch) -> QuerySet[Budget]:
    return sorted_by(_budgets(user, s).select_related("region", "region__parent", "created_by"), BUDGET_SORTS,
                     budget_sort(s), BUDGET_DEFAULT_SORT)


def count_budgets(user, s: BudgetSearch) -> int:
    return _budgets(user, s).count()


def budget_figures(budgets: list[Budget]) -> list[BudgetRow]:
    """Committed (approvals less releases), paid and overrides of each budget: one grouped aggregate of the
    ledger over the budgets' years and regions, one of the overrides; rolled up per budget."""
    if not budgets:
        return []
    years = {b.year for b in budgets}
    area = Q(pk__in=[])
    for b in budgets:
        area |= within_q(significant_prefix(b.region_id), "region")
    groups = list(LedgerEntry.objects.filter(area, year__in=years).order_by()
                  .values_list("year", "region_id", "policy_code", "kind").annotate(s=Sum("amount")))
    overrides = {r["budget"]: r for r in BudgetOverride.objects.filter(budget__in=budgets).order_by()
                 .values("budget").annotate(n=Count("pk"), s=Sum("amount"))}
    out = []
    for b in budgets:
        prefix = significant_prefix(b.region_id)
        row = BudgetRow(budget=b)
        for year, region_id, code, kind, s in groups:
            if year != b.year or not region_id.startswith(prefix) or (b.policy_code and code != b.policy_code):
                continue
            if kind in (EntryKind.COMMITMENT, EntryKind.RELEASE):
                row.committed += Decimal(s or 0)
            elif kind == EntryKind.PAYMENT:
                row.paid += Decimal(s or 0)
        row.committed = row.committed.quantize(Decimal("0.01"))
        row.paid = row.paid.quantize(Decimal("0.01"))
        o = overrides.get(b.pk)
        if o:
            row.overrides, row.overridden = o["n"], Decimal(o["s"] or 0).quantize(Decimal("0.01"))
        out.append(row)
    return out


def search_budgets(user, s: BudgetSearch) -> tuple[list[BudgetRow], bool]:
    rows, more = page(budgets_of_search(user, s), s.limit, s.offset)
    return budget_figures(rows), more


def budget_rows_of_search(user, s: BudgetSearch, *, chunk: int = 500):
    """Every budget of the search with its figures (the export), a chunk at a time."""
    qs = budgets_of_search(user, s)
    offset = 0
    while True:
        rows = list(qs[offset:offset + chunk])
        if not rows:
            return
        yield from budget_figures(rows)
        offset += chunk


def get_budget(user, pk: int) -> Budget:
    row = budgets_visible_to(user).select_related("region").filter(pk=pk).first()
    if row is None:
        raise Http404(BUDGET_NOT_FOUND)
    return row


def overrides_of(user, budget: Budget) -> QuerySet[BudgetOverride]:
    return (BudgetOverride.objects.filter(budget=budget).filter(region_q(user, "claim__region"))
            .select_related("claim", "officer").order_by("-at", "-pk"))


# ---------------------------------------------------------------------------------------------
# Payment batches and items


@dataclass
class BatchSearch:
    text: str = ""  # batch number
    status: str = ""
    region_code: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    sort: str = ""
    limit: int = 50
    offset: int = 0


BATCH_SORTS = {
    "created_at": ("created_at",),
    "number": ("number",),
    "status": ("status", "created_at"),
    "items": ("item_count",),
    "total": ("total",),
    "sent_at": ("sent_at",),
}
BATCH_DEFAULT_SORT = "-created_at"


def batch_sort(s: BatchSearch) -> str:
    return sort_key(BATCH_SORTS, s.sort, BATCH_DEFAULT_SORT)


def batches_visible_to(user) -> QuerySet[PaymentBatch]:
    if not may_read(user):
        return PaymentBatch.objects.none()
    return PaymentBatch.objects.filter(region_q(user))


def _batches(user, s: BatchSearch) -> QuerySet[PaymentBatch]:
    qs = batches_visible_to(user)
    if s.text.strip():
        qs = qs.filter(number__icontains=s.text.strip())
    if s.status:
        qs = qs.filter(status=s.status)
    if s.region_code:
        qs = qs.filter(region_filter_q(s.region_code))
    if s.date_from:
        qs = qs.filter(created_at__date__gte=s.date_from)
    if s.date_to:
        qs = qs.filter(created_at__date__lte=s.date_to)
    return qs


def batches_of_search(user, s: BatchSearch) -> QuerySet[PaymentBatch]:
    return sorted_by(_batches(user, s).select_related("region", "created_by", "sent_by"), BATCH_SORTS, batch_sort(s),
                     BATCH_DEFAULT_SORT)


def search_batches(user, s: BatchSearch) -> tuple[list[PaymentBatch], bool]:
    return page(batches_of_search(user, s), s.limit, s.offset)


def count_batches(user, s: BatchSearch) -> int:
    return _batches(user, s).count()


def get_batch(user, pk: int) -> PaymentBatch:
    row = batches_visible_to(user).select_related("region", "created_by", "sent_by").filter(pk=pk).first()
    if row is None:
        raise Http404(BATCH_NOT_FOUND)
    return row


@dataclass
class ItemSearch:
    status: str = ""
    text: str = ""
    sort: str = ""
    limit: int = 50
    offset: int = 0


ITEM_SORTS = {"item": ("pk",), "claim": ("claim__number",), "name": ("account_name",), "amount": ("amount",),
              "status": ("status",)}
ITEM_DEFAULT_SORT = "item"


def item_sort(s: ItemSearch) -> str:
    return sort_key(ITEM_SORTS, s.sort, ITEM_DEFAULT_SORT)


def _items(user, batch: PaymentBatch, s: ItemSearch) -> QuerySet[PaymentItem]:
    qs = PaymentItem.objects.filter(batch=batch).filter(region_q(user, "claim__region"))
    if s.status:
        qs = qs.filter(status=s.status)
    if s.text.strip():
        qs = qs.filter(_text_q(s.text) | Q(account_name__icontains=s.text.strip()))
    return qs


def items_of_search(user, batch: PaymentBatch, s: ItemSearch) -> QuerySet[PaymentItem]:
    return sorted_by(_items(user, batch, s).select_related("claim", "claim__person", "claim__employer"), ITEM_SORTS,
                     item_sort(s), ITEM_DEFAULT_SORT)


def search_items(user, batch: PaymentBatch, s: ItemSearch) -> tuple[list[PaymentItem], bool]:
    return page(items_of_search(user, batch, s), s.limit, s.offset)


def count_items(user, batch: PaymentBatch, s: ItemSearch) -> int:
    return _items(user, batch, s).count()


def payable_claims(user, *, region: str | None = None, claim_ids=None) -> QuerySet[Claim]:
    """The approved claims in scope not in a live payment item (the candidates of a new batch)."""
    if not may_read(user):
        return Claim.objects.none()
    qs = Claim.objects.filter(region_q(user), status=ClaimStatus.APPROVED)
    if region:
        qs = qs.filter(region_filter_q(region))
    if claim_ids is not None:
        qs = qs.filter(pk__in=list(claim_ids))
    return qs.exclude(payment_items__status__in=LIVE_ITEM)


@dataclass
class PayableSummary:
    count: int = 0
    total: Decimal = Decimal(0)
    by_policy: list[dict] = field(default_factory=list)


def payable_summary(user, region: str | None = None) -> PayableSummary:
    qs = payable_claims(user, region=region)
    rows = list(qs.order_by().values("policy_code").annotate(n=Count("pk"), s=Sum("total")).order_by("policy_code"))
    return PayableSummary(count=sum(r["n"] for r in rows), total=sum((Decimal(r["s"] or 0) for r in rows), Decimal(0)),
                          by_policy=rows)
