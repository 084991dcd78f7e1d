"""Payment batches (发放批次): from approved claims to the bank and back.

- ``create_batch``: the approved claims in the actor's scope that are not in a live item (pending or
  paid), each with the beneficiary's account on the batch date copied onto the item (a person is paid to
  the social security card account only, 社保卡实名制发放; an employer to its bank account). A claim
  whose beneficiary has no account is left out and reported by name ("无社保卡/银行账户").
- ``send_batch``: the batch is marked sent and the bank file (CSV, columns in Chinese) produced from
  its items. Sending again returns the same file and changes nothing.
- ``reconcile``: the bank's return file in the configured layout (``JIUYE_BANK_RETURN_LAYOUT``; default
  CSV, UTF-8 or GBK, header ``明细编号,账号,户名,金额,结果,银行流水号,说明``, ``成功`` = paid). Every
  line is checked against its item (account and amount must match) before anything is written; one
  wrong line refuses the whole file (nothing half-applied). Paid: the item paid, one
  ``LedgerEntry(kind=payment)`` (unique per claim in the database), the claim ``paid``. Failed: the item
  failed with the reason; the claim stays approved and can go into a new batch. A line for an item
  already paid changes nothing (the same return file twice pays nothing twice).

The batch row is locked (SELECT … FOR UPDATE) by send and reconcile, and the claims by create: two
officers doing the same at once are serialised; the database's unique constraints
(``payment_item_live_once``, ``ledger_one_payment``) hold whatever happens.
"""
from __future__ import annotations

import csv
import io
import json
import os
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import audit, roles
from jiuye.accounts.models import AuditEntry
from jiuye.accounts.scoping import in_scope, region_q
from jiuye.policies.models import (
    AccountKind,
    BatchStatus,
    Claim,
    ClaimEvent,
    ClaimStatus,
    EntryKind,
    ItemStatus,
    LedgerEntry,
    PaymentBatch,
    PaymentItem,
)
from jiuye.policies.queries.facts import payment_accounts_on
from jiuye.policies.queries.ledger import payable_claims
from jiuye.regions.codes import common_ancestor, pad
from jiuye.regions.models import Region

#: The bank file's columns (the file sent to the bank).
BANK_FILE_HEADER = ["明细编号", "账号", "户名", "开户银行", "账户类型", "金额", "申领编号", "政策编号", "批次号"]

#: The default layout of the bank's return file.
DEFAULT_LAYOUT = {
    "delimiter": ",",
    "encoding": ["utf-8-sig", "gbk"],
    "skip_rows": 0,
    "header": True,
    "columns": {"item": "明细编号", "account": "账号", "name": "户名", "amount": "金额", "result": "结果",
                "reference": "银行流水号", "message": "说明"},
    "paid_values": ["成功"],
    "pending_values": [],
}
REQUIRED_COLUMNS = ("item", "account", "amount", "result")


def _ensure_role(actor) -> None:
    if not roles.can_approve_claims(actor):
        raise PermissionDenied(_("您的角色无权办理补贴发放（政策审核员、区县人社局工作人员办理）"))


def _ensure_batch(actor, batch: PaymentBatch) -> PaymentBatch:
    _ensure_role(actor)
    row = PaymentBatch.objects.select_for_update().filter(pk=batch.pk).filter(region_q(actor)).first()
    if row is None:
        raise PermissionDenied(_("发放批次不存在或不在您的管辖范围内"))
    return row


def beneficiary_name(claim: Claim) -> str:
    if claim.beneficiary == "employer" and claim.employer_id:
        return claim.employer.name
    return claim.person.name if claim.person_id else ""


# ---------------------------------------------------------------------------------------------
# Create


@dataclass
class BatchResult:
    batch: PaymentBatch | None
    items: int = 0
    total: Decimal = Decimal(0)
    skipped: list[str] = field(default_factory=list)  # "姓名（申领编号）：无社保卡/银行账户"


def create_batch(actor, *, region: str | None = None, claim_ids=None, on=None) -> BatchResult:
    """A new batch of the approved claims of the actor's scope (or of ``region`` within it, or only
    ``claim_ids``) not yet in a live item; None as batch when no claim can be paid."""
    _ensure_role(actor)
    on = on or timezone.localdate()
    if region:
        try:
            code = pad(str(region).strip())
        except ValueError:
            code = None
        if code is None or not Region.objects.filter(code=code).exists() or not in_scope(actor, code):
            raise ValidationError({"region": [_("区划“%(v)s”不存在或不在您的管辖范围内") % {"v": region}]})
        region = code
    with transaction.atomic():
        # Lock the candidates, then read them again: a batch made meanwhile by someone else has taken
        # some (the second statement sees its items once its transaction committed).
        ids = list(payable_claims(actor, region=region, claim_ids=claim_ids).order_by("pk").values_list("pk", flat=True))
        list(Claim.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
        claims = list(payable_claims(actor, region=region, claim_ids=ids).select_related("person", "employer")
                      .order_by("region_id", "pk"))
        commitments = {e.claim_id: e for e in LedgerEntry.objects.filter(claim_id__in=[c.pk for c in claims],
                                                                          kind=EntryKind.COMMITMENT)}
        accounts = payment_accounts_on(person_ids={c.person_id for c in claims if c.person_id},
                                       employer_ids={c.employer_id for c in claims if c.employer_id}, on=on)
        rows, skipped = [], []
        for claim in claims:
            commitment = commitments.get(claim.pk)
            if commitment is None:
                skipped.append(_("%(n)s（%(c)s）：无核准记录") % {"n": beneficiary_name(claim), "c": claim.number})
                continue
            if claim.beneficiary == "employer":
                account = accounts.get(("E", claim.employer_id))
                ok = account is not None and account.kind == AccountKind.BANK
            else:
                account = accounts.get(("P", claim.person_id))
                ok = account is not None and account.kind == AccountKind.SOCIAL_SECURITY_CARD
            if not ok:
                skipped.append(_("%(n)s（%(c)s）：无社保卡/银行账户") % {"n": beneficiary_name(claim), "c": claim.number})
                continue
            rows.append((claim, commitment, account))
        if not rows:
            return BatchResult(batch=None, skipped=skipped)
        # where the batch belongs: the region asked for, the officer's, or the lowest node above all its claims
        place = region or actor.region_id or common_ancestor([c.region_id for c, _e, _a in rows])
        batch = PaymentBatch.objects.create(number=f"tmp-{uuid.uuid4().hex[:24]}", region_id=place,
                                            created_by=actor)
        batch.number = f"FF{on:%Y%m%d}{batch.pk:06d}"
        items = PaymentItem.objects.bulk_create([
            PaymentItem(batch=batch, claim=claim, commitment=commitment, amount=commitment.amount,
                        account_kind=account.kind, bank=account.bank, account_number=account.account_number,
                        account_name=account.account_name) for claim, commitment, account in rows])
        batch.total = sum((i.amount for i in items), Decimal(0))
        batch.item_count = len(items)
        batch.save(update_fields=["number", "total", "item_count"])
        ClaimEvent.objects.bulk_create([ClaimEvent(claim=claim, action="batched", actor=actor,
                                                   note=_("列入发放批次%(b)s") % {"b": batch.number})
                                        for claim, _c, _a in rows])
        audit.record(actor, AuditEntry.Action.CREATE, object_type="payment_batch", object_id=batch.pk,
                     object_label=batch.number, region_code=place,
                     changes={"items": len(items), "total": str(batch.total), "claims": [c.pk for c, _x, _y in rows],
                              "skipped": len(skipped)},
                     summary=_("新建发放批次%(b)s：%(n)s笔，%(t)s元；%(s)s笔无收款账户未列入") % {
                         "b": batch.number, "n": len(items), "t": batch.total, "s": len(skipped)})
    return BatchResult(batch=batch, items=len(items), total=batch.total, skipped=skipped)


# ---------------------------------------------------------------------------------------------
# Send


def bank_file(batch: PaymentBatch) -> bytes:
    """The file for the bank (CSV, UTF-8 with BOM so that Excel opens it): one line per item, in item
    order. The same batch always gives the same bytes."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(BANK_FILE_HEADER)
    kinds = dict(AccountKind.choices)
    for item in batch.items.select_related("claim").order_by("pk"):
        writer.writerow([item.pk, item.account_number, item.account_name, item.bank, str(kinds.get(item.account_kind, "")),
                         f"{item.amount:.2f}", item.claim.number, item.claim.policy_code, batch.number])
    return out.getvalue().encode("utf-8-sig")


def bank_file_name(batch: PaymentBatch) -> str:
    return f"{batch.number}.csv"


def send_batch(actor, batch: PaymentBatch) -> tuple[bytes, str]:
    """Mark the batch sent (first time only) and return the bank file and its name. Idempotent."""
    with transaction.atomic():
        row = _ensure_batch(actor, batch)
        first = row.status == BatchStatus.DRAFT
        if first:
            row.status, row.sent_at, row.sent_by = BatchStatus.SENT, timezone.now(), actor
            row.save(update_fields=["status", "sent_at", "sent_by"])
        data = bank_file(row)
        audit.record(actor, AuditEntry.Action.UPDATE if first else AuditEntry.Action.EXPORT, object_type="payment_batch",
                     object_id=row.pk, object_label=row.number, region_code=row.region_id,
                     changes={"status": ["draft", "sent"]} if first else {"resent": True},
                     summary=(_("发送发放批次%(b)s至银行（%(n)s笔，%(t)s元）") if first
                              else _("重新下载发放批次%(b)s的银行文件（未作任何变更）")) % {
                         "b": row.number, "n": row.item_count, "t": row.total})
    batch.refresh_from_db()
    return data, bank_file_name(row)


# ---------------------------------------------------------------------------------------------
# The return file's layout


class LayoutError(ValueError):
    pass


def load_layout(path: str | None = None) -> dict:
    """The return file's layout: the file named by ``JIUYE_BANK_RETURN_LAYOUT`` (JSON or YAML), over the
    default. A wrong file raises LayoutError naming the key."""
    path = path if path is not None else (getattr(settings, "JIUYE_BANK_RETURN_LAYOUT", "")
                                          or os.environ.get("JIUYE_BANK_RETURN_LAYOUT", ""))
    layout = json.loads(json.dumps(DEFAULT_LAYOUT))
    if not path:
        return layout
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except OSError as exc:
        raise LayoutError(f"银行回盘格式文件 {path} 无法读取：{exc.strerror}") from None
    if path.endswith(".json"):
        given = json.loads(text)
    else:
        import yaml

        given = yaml.safe_load(text)
    if not isinstance(given, dict):
        raise LayoutError(f"银行回盘格式文件 {path} 应为键值对象")
    unknown = set(given) - set(DEFAULT_LAYOUT)
    if unknown:
        raise LayoutError(f"银行回盘格式文件 {path}：未知的键 {', '.join(sorted(unknown))}")
    columns = given.pop("columns", None)
    layout.update(given)
    if columns is not None:
        if not isinstance(columns, dict) or set(columns) - set(DEFAULT_LAYOUT["columns"]):
            raise LayoutError(f"银行回盘格式文件 {path}：columns 应为 {', '.join(DEFAULT_LAYOUT['columns'])} 中的键")
        layout["columns"] = {k: v for k, v in columns.items() if v not in (None, "")}
    missing = [k for k in REQUIRED_COLUMNS if k not in layout["columns"]]
    if missing:
        raise LayoutError(f"银行回盘格式文件 {path}：columns 缺少 {', '.join(missing)}")
    if not layout["header"] and not all(isinstance(v, int) for v in layout["columns"].values()):
        raise LayoutError(f"银行回盘格式文件 {path}：无表头（header: false）时 columns 应为列序号（从1起）")
    if isinstance(layout["encoding"], str):
        layout["encoding"] = [layout["encoding"]]
    if not isinstance(layout["delimiter"], str) or len(layout["delimiter"]) != 1:
        raise LayoutError(f"银行回盘格式文件 {path}：delimiter 应为一个字符")
    return layout


# ---------------------------------------------------------------------------------------------
# Reconcile


@dataclass
class ReturnLine:
    line: int
    item_id: str
    account: str
    amount: str
    result: str
    reference: str
    message: str
    outcome: str = ""  # paid | failed | pending | already | error
    note: str = ""
    item: PaymentItem | None = None


@dataclass
class ReconcileResult:
    batch: PaymentBatch
    lines: list[ReturnLine]
    applied: bool
    errors: list[str]

    def count(self, outcome: str) -> int:
        return sum(1 for x in self.lines if x.outcome == outcome)


OUTCOME_LABELS = {"paid": "到账", "failed": "发放失败", "pending": "银行处理中", "already": "已处理（未重复记账）",
                  "error": "错误"}


def _decode(data: bytes, encodings: list[str]) -> str:
    for enc in encodings:
        try:
            return data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    raise ValidationError(_("回盘文件无法按 %(e)s 编码读取") % {"e": "、".join(encodings)})


def parse_return_file(data: bytes, layout: dict) -> list[ReturnLine]:
    text = _decode(data, layout["encoding"])
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=layout["delimiter"]))
    except csv.Error as exc:
        raise ValidationError(_("回盘文件不是有效的CSV文件：%(e)s") % {"e": exc}) from None
    skip = int(layout.get("skip_rows") or 0)
    first_line = skip + 1
    rows = rows[skip:]
    cols = layout["columns"]
    if layout["header"]:
        if not rows:
            raise ValidationError(_("回盘文件为空"))
        header = [h.strip() for h in rows[0]]
        index = {}
        for key, name in cols.items():
            if isinstance(name, int):
                index[key] = name - 1
            elif name in header:
                index[key] = header.index(name)
            elif key in REQUIRED_COLUMNS:
                raise ValidationError(_("回盘文件缺少“%(c)s”列（第%(l)s行为表头：%(h)s）") % {
                    "c": name, "l": first_line, "h": ",".join(header)})
        rows = rows[1:]
        first_line += 1
    else:
        index = {key: int(n) - 1 for key, n in cols.items()}
    out = []
    for n, row in enumerate(rows, start=first_line):
        if not any(cell.strip() for cell in row):
            continue

        def cell(key):
            i = index.get(key)
            return row[i].strip() if i is not None and i < len(row) else ""

        out.append(ReturnLine(line=n, item_id=cell("item"), account=cell("account"), amount=cell("amount"),
                              result=cell("result"), reference=cell("reference"), message=cell("message")))
    return out


def _check(batch: PaymentBatch, lines: list[ReturnLine], layout: dict) -> list[str]:
    items = {str(i.pk): i for i in PaymentItem.objects.select_for_update().filter(batch=batch).select_related("claim")}
    errors, seen = [], {}
    paid_values = set(layout["paid_values"])
    pending_values = set(layout.get("pending_values") or [])
    for x in lines:
        item = items.get(x.item_id)

        def err(text):
            x.outcome, x.note = "error", text
            errors.append(_("第%(l)s行：%(t)s") % {"l": x.line, "t": text})

        if item is None:
            err(_("明细编号“%(v)s”不是本批次（%(b)s）的明细") % {"v": x.item_id, "b": batch.number})
            continue
        x.item = item
        if x.item_id in seen:
            err(_("明细编号“%(v)s”与第%(o)s行重复") % {"v": x.item_id, "o": seen[x.item_id]})
            continue
        seen[x.item_id] = x.line
        if x.account.replace(" ", "") != item.account_number:
            err(_("账号“%(v)s”与明细的收款账号不一致") % {"v": x.account})
            continue
        try:
            amount = Decimal(x.amount.replace(",", ""))
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite():
            err(_("金额“%(v)s”不是有效金额") % {"v": x.amount})
            continue
        if amount != item.amount:
            err(_("金额“%(v)s”与明细金额%(a)s元不一致") % {"v": x.amount, "a": item.amount})
            continue
        if not x.result:
            err(_("结果为空"))
            continue
        wanted = "paid" if x.result in paid_values else "pending" if x.result in pending_values else "failed"
        if item.status == ItemStatus.PAID:
            if wanted == "paid":
                x.outcome, x.note = "already", _("此前已记为到账（银行流水号%(r)s），本次未重复记账") % {"r": item.bank_reference or "—"}
            else:
                err(_("明细已记为到账，回盘结果“%(v)s”与之不一致") % {"v": x.result})
            continue
        if item.status == ItemStatus.FAILED:
            if wanted == "failed":
                x.outcome, x.note = "already", _("此前已记为发放失败")
            else:
                err(_("明细已记为发放失败（可列入新批次重新发放），回盘结果“%(v)s”与之不一致") % {"v": x.result})
            continue
        x.outcome = wanted
    return errors


def reconcile(actor, batch: PaymentBatch, return_file: bytes, *, layout: dict | None = None) -> ReconcileResult:
    """Apply the bank's return file to ``batch`` (see the module docstring). A file with any wrong line is
    refused whole: ``applied`` False and ``errors`` name each line; nothing is written but the audit entry."""
    layout = layout or load_layout()
    with transaction.atomic():
        row = _ensure_batch(actor, batch)
        if row.status == BatchStatus.DRAFT:
            raise ValidationError(_("发放批次%(b)s尚未发送银行，不能对账") % {"b": row.number})
        lines = parse_return_file(return_file, layout)
        if not lines:
            raise ValidationError(_("回盘文件没有明细行"))
        errors = _check(row, lines, layout)
        if not errors:
            _apply(actor, row, lines)
    if errors:
        audit.record(actor, AuditEntry.Action.UPDATE, object_type="payment_batch", object_id=row.pk,
                     object_label=row.number, region_code=row.region_id,
                     changes={"refused": len(errors), "lines": len(lines)},
                     summary=_("发放批次%(b)s回盘文件有%(n)s行错误，未作任何处理") % {"b": row.number, "n": len(errors)})
    batch.refresh_from_db()
    return ReconcileResult(batch=batch, lines=lines, applied=not errors, errors=errors)


def _apply(actor, batch: PaymentBatch, lines: list[ReturnLine]) -> None:
    now = timezone.now()
    paid = [x for x in lines if x.outcome == "paid"]
    failed = [x for x in lines if x.outcome == "failed"]
    commitments = {e.pk: e for e in LedgerEntry.objects.filter(pk__in=[x.item.commitment_id for x in paid])}
    for x in paid:
        item = x.item
        item.status, item.bank_reference, item.returned_at = ItemStatus.PAID, x.reference[:64], now
        item.save(update_fields=["status", "bank_reference", "returned_at"])
        c = commitments[item.commitment_id]
        # ledger_one_payment: a second payment of the claim is refused by the database.
        LedgerEntry.objects.create(
            claim_id=item.claim_id, kind=EntryKind.PAYMENT, policy_id=c.policy_id, policy_code=c.policy_code,
            region_id=c.region_id, year=c.year, amount=item.amount, budget_id=c.budget_id, reviewer_id=c.reviewer_id,
            actor=actor, batch_item=item,
            facts={"batch": batch.number, "item": item.pk, "bank_reference": x.reference, "account_kind": item.account_kind,
                   "bank": item.bank, "line": x.line})
        x.note = _("已到账，已记入台账")
    if paid:
        claims = [x.item.claim_id for x in paid]
        Claim.objects.filter(pk__in=claims, status=ClaimStatus.APPROVED).update(status=ClaimStatus.PAID, updated_at=now)
        ClaimEvent.objects.bulk_create([
            ClaimEvent(claim_id=x.item.claim_id, action="paid", actor=actor, at=now,
                       note=(_("银行回盘到账（批次%(b)s，流水号%(r)s）") % {"b": batch.number, "r": x.reference or "—"})[:255])
            for x in paid])
    for x in failed:
        item = x.item
        reason = (x.message or x.result)[:255]
        item.status, item.failure_reason, item.returned_at, item.bank_reference = ItemStatus.FAILED, reason, now, x.reference[:64]
        item.save(update_fields=["status", "failure_reason", "returned_at", "bank_reference"])
        x.note = _("发放失败：%(r)s；申领仍为已核准，可列入新批次") % {"r": reason}
    if failed:
        ClaimEvent.objects.bulk_create([ClaimEvent(claim_id=x.item.claim_id, action="payment_failed", actor=actor, at=now,
                                                   note=(_("银行回盘发放失败：%(r)s") % {"r": x.message or x.result})[:255])
                                        for x in failed])
    for x in lines:
        if x.outcome == "pending":
            x.note = _("银行处理中，待下次回盘")
    pending = PaymentItem.objects.filter(batch=batch, status=ItemStatus.PENDING).exists()
    if not pending and batch.status != BatchStatus.RECONCILED:
        batch.status, batch.reconciled_at = BatchStatus.RECONCILED, now
        batch.save(update_fields=["status", "reconciled_at"])
    audit.record(actor, AuditEntry.Action.UPDATE, object_type="payment_batch", object_id=batch.pk,
                 object_label=batch.number, region_code=batch.region_id,
                 changes={"paid": [x.item.pk for x in paid], "failed": [x.item.pk for x in failed],
                          "already": sum(1 for x in lines if x.outcome == "already"),
                          "status": batch.status},
                 summary=_("发放批次%(b)s对账：到账%(p)s笔，失败%(f)s笔，已处理%(a)s笔") % {
                     "b": batch.number, "p": len(paid), "f": len(failed), "a": sum(1 for x in lines if x.outcome == "already")})
