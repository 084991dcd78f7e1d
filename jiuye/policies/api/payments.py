"""API of the payments part (issue 9) under /api/v1: budgets with committed / paid / remaining, payment
batches (create, send = the bank file, reconcile = upload the bank's return file), their items, and the
ledger's entries. Thin handlers over ``policies.queries.ledger`` and ``policies.services.payments`` /
``budgets``; a record outside the scope answers 404 like one that does not exist; identity numbers and
account numbers are masked."""
from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from jiuye.apitypes import ApiDate, Limit, Offset, RecordId, RegionCode, RegionCodeFilter, SearchText, text
from jiuye.policies.services.facts import mask_account_number
from jiuye.policies.queries import ledger as queries
from jiuye.policies.services import budgets as budget_services
from jiuye.policies.services import payments as services
from jiuye.registry.identity import mask_id_number

router = Router(tags=["policies-payments"])

Amount = Annotated[Decimal, Field(ge=0, le=Decimal("99999999999999.99"), max_digits=16, decimal_places=2)]
Year = Annotated[int, Field(ge=2000, le=2100)]


class ErrorOut(Schema):
    detail: str | dict


# ---------------------------------------------------------------------------------------------
# Budgets


class BudgetOut(Schema):
    id: int
    year: int
    region_code: str
    region_name: str
    policy_code: str = Field(..., description="空字符串：区划全部政策的总预算")
    amount: Decimal
    committed: Decimal = Field(..., description="已核准（核准减撤销核准）")
    paid: Decimal
    remaining: Decimal
    overrides: int
    overridden: Decimal
    note: str


def _budget_out(r: queries.BudgetRow) -> BudgetOut:
    b = r.budget
    return BudgetOut(id=b.pk, year=b.year, region_code=b.region_id, region_name=b.region.name, policy_code=b.policy_code,
                     amount=b.amount, committed=r.committed, paid=r.paid, remaining=r.remaining, overrides=r.overrides,
                     overridden=r.overridden, note=b.note)


class BudgetPage(Schema):
    items: list[BudgetOut]
    count: int
    has_more: bool
    limit: int
    offset: int


@router.get("/policy-budgets", response=BudgetPage, summary="补贴预算及执行情况")
def list_budgets(request, year: Year | None = None, region: RegionCodeFilter = "", policy: text(64) = "",
                 sort: text(32) = Query("", description="排序：year、region、policy、amount，前加“-”为降序"),
                 limit: Limit = Query(50, le=200), offset: Offset = 0):
    s = queries.BudgetSearch(year=year, region_code=region, policy_code=policy, sort=sort, limit=limit, offset=offset)
    rows, more = queries.search_budgets(request.auth, s)
    return BudgetPage(items=[_budget_out(r) for r in rows], count=queries.count_budgets(request.auth, s), has_more=more,
                      limit=limit, offset=offset)


class BudgetIn(Schema):
    year: Year
    region: RegionCode
    policy_code: text(64) = ""
    amount: Amount
    note: text(255) = ""


class BudgetPatch(Schema):
    amount: Amount | None = None
    note: text(255) | None = None


@router.post("/policy-budgets", response={201: BudgetOut}, summary="新建补贴预算")
def create_budget(request, payload: BudgetIn):
    b = budget_services.create_budget(actor=request.auth, **payload.dict())
    return Status(201, _budget_out(queries.budget_figures([queries.get_budget(request.auth, b.pk)])[0]))


@router.get("/policy-budgets/{budget_id}", response=BudgetOut, summary="补贴预算")
def get_budget(request, budget_id: RecordId):
    return _budget_out(queries.budget_figures([queries.get_budget(request.auth, budget_id)])[0])


@router.patch("/policy-budgets/{budget_id}", response=BudgetOut, summary="修改补贴预算（金额不低于已核准）")
def update_budget(request, budget_id: RecordId, payload: BudgetPatch):
    budget = queries.get_budget(request.auth, budget_id)
    budget_services.update_budget(actor=request.auth, budget=budget, **payload.dict(exclude_unset=True))
    return _budget_out(queries.budget_figures([queries.get_budget(request.auth, budget_id)])[0])


# ---------------------------------------------------------------------------------------------
# Ledger entries


class EntryOut(Schema):
    id: int
    kind: str
    kind_label: str
    claim_id: int
    claim_number: str
    policy_code: str
    policy_version_id: int
    region_code: str
    year: int
    amount: Decimal
    beneficiary: str
    person_id_number: str = Field(..., description="人员公民身份号码（脱敏）")
    reviewer: str
    actor: str
    batch_number: str
    created_at: datetime.datetime
    facts: dict | None = Field(None, description="判定依据（仅单条查询返回）")


def _entry_out(e, *, facts: bool = False) -> EntryOut:
    claim = e.claim
    name = claim.employer.name if claim.beneficiary == "employer" and claim.employer_id else (
        claim.person.name if claim.person_id else "")
    return EntryOut(id=e.pk, kind=e.kind, kind_label=str(e.get_kind_display()), claim_id=claim.pk, claim_number=claim.number,
                    policy_code=e.policy_code, policy_version_id=e.policy.version_id, region_code=e.region_id, year=e.year,
                    amount=e.amount, beneficiary=name,
                    person_id_number=mask_id_number(claim.person.id_number) if claim.person_id else "",
                    reviewer=str(e.reviewer) if e.reviewer_id else "", actor=str(e.actor) if e.actor_id else "",
                    batch_number=e.batch_item.batch.number if e.batch_item_id else "", created_at=e.created_at,
                    facts=e.facts if facts else None)


class EntryPage(Schema):
    items: list[EntryOut]
    count: int
    has_more: bool
    limit: int
    offset: int


@router.get("/ledger-entries", response=EntryPage, summary="补贴台账")
def list_entries(request, q: SearchText = "", policy: text(64) = "", kind: text(12) = "", year: Year | None = None,
                 region: RegionCodeFilter = "", date_from: ApiDate | None = None, date_to: ApiDate | None = None,
                 claim_id: RecordId | None = None, batch_id: RecordId | None = None,
                 sort: text(32) = Query("", description="排序：at、claim、policy、kind、year、region、amount，前加“-”为降序"),
                 limit: Limit = Query(50, le=200), offset: Offset = 0):
    s = queries.EntrySearch(text=q, policy_code=policy, kind=kind, year=year, region_code=region, date_from=date_from,
                            date_to=date_to, claim_id=claim_id, batch_id=batch_id, sort=sort, limit=limit, offset=offset)
    rows, more = queries.search_entries(request.auth, s)
    return EntryPage(items=[_entry_out(e) for e in rows], count=queries.count_entries(request.auth, s), has_more=more,
                     limit=limit, offset=offset)


@router.get("/ledger-entries/{entry_id}", response=EntryOut, summary="台账记录及其判定依据")
def get_entry(request, entry_id: RecordId):
    return _entry_out(queries.get_entry(request.auth, entry_id), facts=True)


# ---------------------------------------------------------------------------------------------
# Payment batches


class BatchOut(Schema):
    id: int
    number: str
    region_code: str
    status: str
    status_label: str
    item_count: int
    total: Decimal
    created_at: datetime.datetime
    sent_at: datetime.datetime | None
    reconciled_at: datetime.datetime | None


def _batch_out(b) -> BatchOut:
    return BatchOut(id=b.pk, number=b.number, region_code=b.region_id, status=b.status,
                    status_label=str(b.get_status_display()), item_count=b.item_count, total=b.total,
                    created_at=b.created_at, sent_at=b.sent_at, reconciled_at=b.reconciled_at)


class BatchPage(Schema):
    items: list[BatchOut]
    count: int
    has_more: bool
    limit: int
    offset: int


@router.get("/payment-batches", response=BatchPage, summary="发放批次")
def list_batches(request, q: text(32) = "", status: text(12) = "", region: RegionCodeFilter = "",
                 date_from: ApiDate | None = None, date_to: ApiDate | None = None,
                 sort: text(32) = Query("", description="排序：created_at、number、status、items、total、sent_at"),
                 limit: Limit = Query(50, le=200), offset: Offset = 0):
    s = queries.BatchSearch(text=q, status=status, region_code=region, date_from=date_from, date_to=date_to, sort=sort,
                            limit=limit, offset=offset)
    rows, more = queries.search_batches(request.auth, s)
    return BatchPage(items=[_batch_out(b) for b in rows], count=queries.count_batches(request.auth, s), has_more=more,
                     limit=limit, offset=offset)


class BatchIn(Schema):
    region: RegionCode | None = Field(None, description="发放范围（街道、社区），不填为本辖区全部")


class BatchCreated(Schema):
    batch: BatchOut | None
    items: int
    total: Decimal
    skipped: list[str] = Field(..., description="未列入的申领及原因（如“无社保卡/银行账户”）")


@router.post("/payment-batches", response={201: BatchCreated, 200: BatchCreated}, summary="新建发放批次")
def create_batch(request, payload: BatchIn):
    result = services.create_batch(request.auth, region=payload.region)
    body = BatchCreated(batch=_batch_out(result.batch) if result.batch else None, items=result.items, total=result.total,
                        skipped=result.skipped)
    return Status(201 if result.batch else 200, body)


@router.get("/payment-batches/{batch_id}", response=BatchOut, summary="发放批次")
def get_batch(request, batch_id: RecordId):
    return _batch_out(queries.get_batch(request.auth, batch_id))


class ItemOut(Schema):
    id: int
    claim_id: int
    claim_number: str
    policy_code: str
    amount: Decimal
    account_kind: str
    bank: str
    account_number: str = Field(..., description="账号（脱敏；完整账号见银行文件）")
    account_name: str
    status: str
    bank_reference: str
    failure_reason: str


class ItemPage(Schema):
    items: list[ItemOut]
    count: int
    has_more: bool
    limit: int
    offset: int


@router.get("/payment-batches/{batch_id}/items", response=ItemPage, summary="发放明细")
def list_items(request, batch_id: RecordId, status: text(8) = "", q: SearchText = "",
               sort: text(32) = Query("", description="排序：item、claim、name、amount、status"),
               limit: Limit = Query(50, le=200), offset: Offset = 0):
    batch = queries.get_batch(request.auth, batch_id)
    s = queries.ItemSearch(status=status, text=q, sort=sort, limit=limit, offset=offset)
    rows, more = queries.search_items(request.auth, batch, s)
    return ItemPage(items=[ItemOut(id=i.pk, claim_id=i.claim_id, claim_number=i.claim.number, policy_code=i.claim.policy_code,
                                   amount=i.amount, account_kind=i.account_kind, bank=i.bank,
                                   account_number=mask_account_number(i.account_number), account_name=i.account_name,
                                   status=i.status, bank_reference=i.bank_reference, failure_reason=i.failure_reason)
                            for i in rows],
                    count=queries.count_items(request.auth, batch, s), has_more=more, limit=limit, offset=offset)


@router.post("/payment-batches/{batch_id}/send", summary="发送银行：返回银行文件（CSV）；重复发送返回同一文件，不作变更",
             response={200: None})
def send_batch(request, batch_id: RecordId):
    batch = queries.get_batch(request.auth, batch_id)
    data, name = services.send_batch(request.auth, batch)
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename={name}"
    return response


class LineOut(Schema):
    line: int
    item_id: str
    result: str
    reference: str
    outcome: str = Field(..., description="paid 到账、failed 发放失败、pending 银行处理中、already 此前已处理、error 错误")
    note: str


class ReconcileOut(Schema):
    applied: bool = Field(..., description="false：文件有错误行，未作任何处理")
    errors: list[str]
    batch: BatchOut
    lines: list[LineOut]


@router.post("/payment-batches/{batch_id}/reconcile", response={200: ReconcileOut, 422: ErrorOut},
             summary="上传银行回盘文件对账（multipart/form-data：文件 file）")
def reconcile(request, batch_id: RecordId, file: File[UploadedFile]):
    batch = queries.get_batch(request.auth, batch_id)
    if file.size > 20 * 1024 * 1024:
        raise ValidationError({"file": ["回盘文件超过20MB"]})
    try:
        result = services.reconcile(request.auth, batch, file.read())
    except services.LayoutError as exc:
        return Status(422, {"detail": str(exc)})
    return ReconcileOut(applied=result.applied, errors=result.errors, batch=_batch_out(result.batch), lines=[
        LineOut(line=x.line, item_id=x.item_id, result=x.result, reference=x.reference, outcome=x.outcome, note=x.note)
        for x in result.lines])
