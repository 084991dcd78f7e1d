"""Budgets (就业补助资金预算): one amount per year, region and policy (or every policy of the region).

District and city officers (``roles.can_manage_budgets``) create and change the budgets of their scope.
A budget may never be set below what the approvals of its year in its region already committed (the
ledger's ``committed``): lowering it under that would make the ledger overdrawn on paper. Scope ->
validate (every mistake at once) -> one transaction (the budget row locked) -> audit (object type
``policy_budget``).
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jiuye.accounts import audit, roles
from jiuye.accounts.models import AuditEntry
from jiuye.accounts.scoping import in_scope
from jiuye.policies.models import Budget, Policy
from jiuye.policies.services.ledger import committed
from jiuye.regions.codes import pad
from jiuye.regions.models import Region

MAX_AMOUNT = Decimal("99999999999999.99")


def _ensure_role(actor) -> None:
    if not roles.can_manage_budgets(actor):
        raise PermissionDenied(_("您的角色无权管理补贴预算（区县、市人社局工作人员办理）"))


def _amount(value, errors: dict) -> Decimal | None:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        errors["amount"] = [_("预算金额“%(v)s”无效：应为不小于0的金额（元）") % {"v": value}]
        return None
    if amount < 0 or amount > MAX_AMOUNT:
        errors["amount"] = [_("预算金额“%(v)s”无效：应为0至%(m)s元") % {"v": value, "m": MAX_AMOUNT}]
        return None
    return amount


def _label(budget: Budget) -> str:
    return f"{budget.year}年 {budget.region_id} {budget.policy_code or _('全部政策')}"


@transaction.atomic
def create_budget(*, actor, year: int, region, amount, policy_code: str = "", note: str = "") -> Budget:
    """A new budget of ``year`` for ``region`` (a code in the actor's scope) and ``policy_code`` ("" = every policy)."""
    _ensure_role(actor)
    errors: dict[str, list[str]] = {}
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        errors["year"] = [_("年度“%(v)s”无效：应为2000至2100年") % {"v": year}]
    code = getattr(region, "code", region)
    try:
        code = pad(str(code or "").strip())
    except ValueError:
        code = None
    place = Region.objects.filter(code=code).first() if code else None
    if place is None or not in_scope(actor, place.code):
        errors["region"] = [_("区划“%(v)s”不存在或不在您的管辖范围内") % {"v": getattr(region, "code", region)}]
    policy_code = (policy_code or "").strip()
    if policy_code and not Policy.objects.filter(code=policy_code).exists():
        errors["policy_code"] = [_("政策编号“%(v)s”不存在") % {"v": policy_code}]
    value = _amount(amount, errors)
    note = (note or "").strip()
    if len(note) > 255:
        errors["note"] = [_("说明不能超过255个字符")]
    if not errors and Budget.objects.filter(year=year, region_id=place.code, policy_code=policy_code).exists():
        errors["year"] = [_("%(y)s年度该区划、该政策的预算已存在，请修改原预算") % {"y": year}]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            budget = Budget.objects.create(year=year, region=place, policy_code=policy_code, amount=value, note=note,
                                           created_by=actor)
    except IntegrityError:
        raise ValidationError({"year": [_("%(y)s年度该区划、该政策的预算已存在，请修改原预算") % {"y": year}]}) from None
    # An approval already made this year counts against the new budget too.
    used = committed(budget)
    if used > value:
        raise ValidationError({"amount": [_("预算金额%(a)s元低于本年度该区划已核准的%(c)s元") % {"a": value, "c": used}]})
    audit.record(actor, AuditEntry.Action.CREATE, object_type="policy_budget", object_id=budget.pk,
                 object_label=_label(budget), region_code=place.code,
                 changes={"year": [None, year], "region": [None, place.code], "policy_code": [None, policy_code],
                          "amount": [None, str(value)], "note": [None, note]},
                 summary=_("新建补贴预算：%(l)s，%(a)s元") % {"l": _label(budget), "a": value})
    return budget


@transaction.atomic
def update_budget(*, actor, budget: Budget, amount=None, note: str | None = None) -> Budget:
    """Change a budget's amount (never below what is already committed) and note."""
    _ensure_role(actor)
    row = Budget.objects.select_for_update().filter(pk=budget.pk).first()
    if row is None or not in_scope(actor, row.region_id):
        raise PermissionDenied(_("补贴预算不存在或不在您的管辖范围内"))
    errors: dict[str, list[str]] = {}
    value = row.amount if amount is None else _amount(amount, errors)
    note = row.note if note is None else (note or "").strip()
    if len(note) > 255:
        errors["note"] = [_("说明不能超过255个字符")]
    if value is not None and "amount" not in errors:
        used = committed(row)
        if value < used:
            errors["amount"] = [_("预算金额%(a)s元低于本年度已核准的%(c)s元，不能调减到已核准金额以下") % {"a": value, "c": used}]
    if errors:
        raise ValidationError(errors)
    before = {"amount": str(row.amount), "note": row.note}
    after = {"amount": str(value), "note": note}
    diff = audit.diff(before, after)
    if diff:
        row.amount, row.note = value, note
        row.save(update_fields=["amount", "note"])
        audit.record(actor, AuditEntry.Action.UPDATE, object_type="policy_budget", object_id=row.pk,
                     object_label=_label(row), region_code=row.region_id, changes=diff,
                     summary=_("修改补贴预算：%(l)s，%(b)s元 → %(a)s元") % {"l": _label(row), "b": before["amount"], "a": value})
    return row
