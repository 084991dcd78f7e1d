"""Writes of the facts the policy rules need and the registry lacks (issue 9, scope 2): create and
correct each kind, with the rules of each kind as Chinese messages per field.

One rule, every channel: ``fact_errors(kind, values)`` is what the web forms, the API and the import
kinds (``policies/importers/facts.py``) check; ``create_fact`` / ``correct_fact`` add the scope (the
person's or employer's region must be writable by the actor, ``accounts.scoping.ensure_can_write``),
one transaction and the audit entry (object types ``benefit_period``, ``insurance_year``,
``guarantee_loan``, ``loan_repayment``, ``loan_interest``, ``online_shop``, ``internship``,
``training``, ``payment_account``).

Facts are history: a correction edits the record and the audit entry keeps the old values (a diff with
the reason); nothing is deleted. A new payment account closes the owner's open account the day before
it starts (``valid_until``), so that ``queries.facts.payment_account_for`` answers for any date.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import audit
from jiuye.accounts.models import AuditEntry
from jiuye.accounts.scoping import ensure_can_write
from jiuye.policies.models import (
    AccountKind,
    BenefitPeriod,
    EmployerInsuranceYear,
    FactSource,
    GuaranteeLoan,
    Internship,
    LoanInterestPeriod,
    LoanRepayment,
    LoanStatus,
    OnlineShop,
    PaymentAccount,
    TrainingEnrolment,
)

MAX_BENEFIT_MONTHS = 24
MAX_AMOUNT = Decimal("1000000000")


@dataclass(frozen=True)
class Kind:
    """One kind of fact: its model, audit object type, Chinese label, owner fields (not corrected) and
    the fields a correction may change."""

    name: str
    model: type
    object_type: str
    label: str
    owners: tuple[str, ...]
    fields: tuple[str, ...]
    date_field: str


KINDS: dict[str, Kind] = {k.name: k for k in [
    Kind("benefit_periods", BenefitPeriod, "benefit_period", "失业保险金领取期", ("person",),
         ("starts_on", "months_entitled", "ends_on", "monthly_amount", "note"), "starts_on"),
    Kind("insurance_years", EmployerInsuranceYear, "insurance_year", "单位参保年度数据", ("employer",),
         ("year", "insured_staff_year_end", "premiums_employer", "premiums_staff", "layoffs", "note"), "settles_on"),
    Kind("loans", GuaranteeLoan, "guarantee_loan", "创业担保贷款", ("borrower_person", "borrower_employer"),
         ("contract_number", "lender", "amount", "starts_on", "ends_on", "jobs_created", "counter_guarantee_waived",
          "status", "note"), "starts_on"),
    Kind("loan_repayments", LoanRepayment, "loan_repayment", "贷款还款记录", ("loan",),
         ("due_on", "amount", "paid_on", "note"), "due_on"),
    Kind("loan_interest", LoanInterestPeriod, "loan_interest", "贷款计息期", ("loan",),
         ("starts_on", "ends_on", "interest", "note"), "starts_on"),
    Kind("online_shops", OnlineShop, "online_shop", "网店开办", ("person",),
         ("platform", "shop_name", "opened_on", "attested_on", "attestation", "note"), "opened_on"),
    Kind("internships", Internship, "internship", "就业见习", ("person",),
         ("unit", "starts_on", "ends_on", "hired_on", "contract_months", "note"), "starts_on"),
    Kind("trainings", TrainingEnrolment, "training", "技能培训", ("person",),
         ("course", "provider", "starts_on", "ends_on", "completed", "certificate", "note"), "starts_on"),
    Kind("payment_accounts", PaymentAccount, "payment_account", "收款账户", ("person", "employer"),
         ("kind", "bank", "account_number", "account_name", "valid_from", "valid_until", "note"), "valid_from"),
]}

OBJECT_TYPES = {k.object_type: k for k in KINDS.values()}
#: The URL slug of each kind (web pages /policies/facts/<slug>/ and the API /api/v1/policy-facts/<slug>).
SLUGS = {name: name.replace("_", "-") for name in KINDS}
#: The import kind of each kind (``jiuye import KIND FILE``; the engine's kinds have at most 16 characters).
IMPORT_KINDS = {**{name: name for name in KINDS}, "loans": "guarantee_loans"}


def kind_of(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValidationError(_("没有这类补贴依据数据：%(k)s") % {"k": name}) from None


# ---------------------------------------------------------------------------------------------
# Owners and regions


def owner_of(kind: Kind, values: dict[str, Any]):
    """The person or employer a fact is about (for loans: the borrower; for repayments and interest
    periods: the loan's borrower)."""
    if kind.name in ("loan_repayments", "loan_interest"):
        loan = values.get("loan")
        return None if loan is None else (loan.borrower_person or loan.borrower_employer)
    for name in kind.owners:
        if values.get(name) is not None:
            return values[name]
    return None


def region_of(kind: Kind, values: dict[str, Any]) -> str | None:
    owner = owner_of(kind, values)
    return owner.region_id if owner is not None else None


def _values_of(kind: Kind, fact) -> dict[str, Any]:
    return {name: getattr(fact, name) for name in (*kind.owners, *kind.fields)}


def mask_account_number(number: str) -> str:
    """6222 **** 1234: the first and last four characters of an account or card number."""
    number = number or ""
    if len(number) <= 8:
        return "*" * max(0, len(number) - 4) + number[-4:]
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


# ---------------------------------------------------------------------------------------------
# The rules of each kind (Chinese messages per field)


def benefit_end(starts_on: datetime.date, months: int) -> datetime.date:
    """The last day of a benefit of ``months`` months from ``starts_on`` (0 months: the day itself)."""
    if not months:
        return starts_on
    return starts_on + relativedelta(months=months) - datetime.timedelta(days=1)


def _d(value: datetime.date) -> str:
    return value.isoformat()


class _Errors(dict):
    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)


def _amount(errors: _Errors, values: dict, name: str, label: str, *, required: bool = True, model=None) -> None:
    value = values.get(name)
    if value is None or value == "":
        if required:
            errors.add(name, _("%(l)s不能为空") % {"l": label})
        return
    try:
        value = Decimal(str(value))
    except ArithmeticError:
        errors.add(name, _("%(l)s“%(v)s”不是金额") % {"l": label, "v": value})
        return
    limit = MAX_AMOUNT
    if model is not None:
        field = model._meta.get_field(name)
        limit = min(limit, Decimal(10) ** (field.max_digits - field.decimal_places))
    if value < 0:
        errors.add(name, _("%(l)s“%(v)s”不能为负数") % {"l": label, "v": value})
    elif value >= limit:
        errors.add(name, _("%(l)s“%(v)s”过大") % {"l": label, "v": value})
    else:
        values[name] = value.quantize(Decimal("0.01"))


def _count(errors: _Errors, values: dict, name: str, label: str, low: int, high: int, *, required: bool = True) -> None:
    value = values.get(name)
    if value is None or value == "":
        if required:
            errors.add(name, _("%(l)s不能为空") % {"l": label})
        else:
            values[name] = None
        return
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        errors.add(name, _("%(l)s“%(v)s”应为%(lo)d到%(hi)d之间的整数") % {"l": label, "v": value, "lo": low, "hi": high})


def _required(errors: _Errors, values: dict, name: str, label: str) -> bool:
    value = values.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        errors.add(name, _("%(l)s不能为空") % {"l": label})
        return False
    if isinstance(value, str):
        values[name] = value.strip()
    return True


def _order(errors: _Errors, values: dict, first: str, second: str, first_label: str, second_label: str) -> None:
    a, b = values.get(first), values.get(second)
    if a is not None and b is not None and b < a:
        errors.add(second, _("%(b)s%(bv)s早于%(a)s%(av)s") % {"b": second_label, "bv": _d(b), "a": first_label, "av": _d(a)})


def _not_future(errors: _Errors, values: dict, name: str, label: str, today: datetime.date) -> None:
    value = values.get(name)
    if value is not None and value > today:
        errors.add(name, _("%(l)s%(v)s晚于今天") % {"l": label, "v": _d(value)})


def _benefit_periods(e: _Errors, v: dict, today) -> None:
    _required(e, v, "person", _("人员"))
    _required(e, v, "starts_on", _("领取起始日期"))
    _count(e, v, "months_entitled", _("应领月数"), 0, MAX_BENEFIT_MONTHS)
    if v.get("ends_on") is None and v.get("starts_on") is not None and "months_entitled" not in e \
            and v.get("months_entitled") is not None:
        v["ends_on"] = benefit_end(v["starts_on"], v["months_entitled"])
    _order(e, v, "starts_on", "ends_on", _("领取起始日期"), _("领取截止日期"))
    _amount(e, v, "monthly_amount", _("月领取标准"), required=False, model=BenefitPeriod)


def _insurance_years(e: _Errors, v: dict, today) -> None:
    _required(e, v, "employer", _("用人单位"))
    _count(e, v, "year", _("年度"), 1990, today.year)
    _count(e, v, "insured_staff_year_end", _("年末参保职工人数"), 0, 10_000_000)
    _amount(e, v, "premiums_employer", _("单位缴纳失业保险费"))
    _amount(e, v, "premiums_staff", _("职工缴纳失业保险费"))
    if v.get("layoffs") in (None, ""):
        v["layoffs"] = 0
    _count(e, v, "layoffs", _("年内裁员人数"), 0, 10_000_000)


def _loans(e: _Errors, v: dict, today) -> None:
    person, employer = v.get("borrower_person"), v.get("borrower_employer")
    if (person is None) == (employer is None):
        e.add("borrower_person", _("一笔贷款须有且只有一个借款人（个人或单位）"))
    _required(e, v, "contract_number", _("借款合同编号"))
    _required(e, v, "lender", _("经办银行"))
    _amount(e, v, "amount", _("贷款金额"))
    _required(e, v, "starts_on", _("放款日期"))
    _required(e, v, "ends_on", _("到期日期"))
    _order(e, v, "starts_on", "ends_on", _("放款日期"), _("到期日期"))
    _not_future(e, v, "starts_on", _("放款日期"), today)
    if v.get("jobs_created") in (None, ""):
        v["jobs_created"] = 0
    _count(e, v, "jobs_created", _("带动就业人数"), 0, 100_000)
    v["counter_guarantee_waived"] = bool(v.get("counter_guarantee_waived"))
    v["status"] = v.get("status") or LoanStatus.ACTIVE
    if v["status"] not in LoanStatus.values:
        e.add("status", _("状态“%(v)s”无效（可填：%(c)s）") % {"v": v["status"], "c": "、".join(str(x) for x in LoanStatus.labels)})


def _loan_dates(e: _Errors, v: dict, name: str, label: str) -> None:
    loan, value = v.get("loan"), v.get(name)
    if loan is not None and value is not None and value < loan.starts_on:
        e.add(name, _("%(l)s%(v)s早于该贷款的放款日期%(s)s") % {"l": label, "v": _d(value), "s": _d(loan.starts_on)})


def _loan_repayments(e: _Errors, v: dict, today) -> None:
    _required(e, v, "loan", _("贷款"))
    _required(e, v, "due_on", _("应还日期"))
    _amount(e, v, "amount", _("应还金额"))
    _loan_dates(e, v, "due_on", _("应还日期"))
    _loan_dates(e, v, "paid_on", _("实还日期"))
    _not_future(e, v, "paid_on", _("实还日期"), today)


def _loan_interest(e: _Errors, v: dict, today) -> None:
    _required(e, v, "loan", _("贷款"))
    _required(e, v, "starts_on", _("计息起始日期"))
    _required(e, v, "ends_on", _("计息截止日期"))
    _order(e, v, "starts_on", "ends_on", _("计息起始日期"), _("计息截止日期"))
    _loan_dates(e, v, "starts_on", _("计息起始日期"))
    _amount(e, v, "interest", _("利息"))


def _online_shops(e: _Errors, v: dict, today) -> None:
    _required(e, v, "person", _("创业者"))
    _required(e, v, "platform", _("电商平台/创业服务机构"))
    _required(e, v, "shop_name", _("网店名称"))
    _required(e, v, "opened_on", _("开办日期"))
    _required(e, v, "attested_on", _("平台证明日期"))
    _order(e, v, "opened_on", "attested_on", _("开办日期"), _("平台证明日期"))
    _not_future(e, v, "opened_on", _("开办日期"), today)
    _not_future(e, v, "attested_on", _("平台证明日期"), today)
    v["attestation"] = (v.get("attestation") or "").strip()


def _internships(e: _Errors, v: dict, today) -> None:
    _required(e, v, "person", _("见习人员"))
    _required(e, v, "unit", _("见习单位"))
    _required(e, v, "starts_on", _("见习起始日期"))
    _required(e, v, "ends_on", _("见习期满日期"))
    _order(e, v, "starts_on", "ends_on", _("见习起始日期"), _("见习期满日期"))
    _order(e, v, "starts_on", "hired_on", _("见习起始日期"), _("签订劳动合同日期"))
    _not_future(e, v, "hired_on", _("签订劳动合同日期"), today)
    _count(e, v, "contract_months", _("合同期限（月）"), 1, 240, required=False)


def _trainings(e: _Errors, v: dict, today) -> None:
    _required(e, v, "person", _("学员"))
    _required(e, v, "course", _("培训项目/工种"))
    _required(e, v, "provider", _("培训机构"))
    _required(e, v, "starts_on", _("开班日期"))
    _required(e, v, "ends_on", _("结业日期"))
    _order(e, v, "starts_on", "ends_on", _("开班日期"), _("结业日期"))
    v["completed"] = bool(v.get("completed"))
    v["certificate"] = (v.get("certificate") or "").strip()


def _payment_accounts(e: _Errors, v: dict, today) -> None:
    person, employer = v.get("person"), v.get("employer")
    if (person is None) == (employer is None):
        e.add("person", _("收款账户须属于一个人员或一个单位"))
    expected = AccountKind.SOCIAL_SECURITY_CARD if person is not None else AccountKind.BANK
    kind = v.get("kind") or expected
    if kind not in AccountKind.values:
        e.add("kind", _("账户类型“%(v)s”无效（可填：%(c)s）") % {"v": kind, "c": "、".join(str(x) for x in AccountKind.labels)})
    elif (person is not None or employer is not None) and kind != expected:
        e.add("kind", _("个人的收款账户须为社会保障卡金融账户（社保卡）") if person is not None
              else _("单位的收款账户须为单位银行账户"))
    v["kind"] = kind
    _required(e, v, "bank", _("开户银行"))
    if _required(e, v, "account_number", _("账号")):
        number = "".join(str(v["account_number"]).split()).replace("-", "")
        if not number.isdigit() or not 8 <= len(number) <= 32:
            e.add("account_number", _("账号“%(v)s”应为8到32位数字") % {"v": mask_account_number(number)})
        v["account_number"] = number
    _required(e, v, "account_name", _("户名"))
    owner = person or employer
    if owner is not None and v.get("account_name") and v["account_name"] != owner.name:
        e.add("account_name", _("户名“%(v)s”与%(o)s名称“%(n)s”不符") % {
            "v": v["account_name"], "o": _("人员") if person is not None else _("单位"), "n": owner.name})
    _required(e, v, "valid_from", _("启用日期"))
    _order(e, v, "valid_from", "valid_until", _("启用日期"), _("停用日期"))


_RULES: dict[str, Callable[[_Errors, dict, datetime.date], None]] = {
    "benefit_periods": _benefit_periods, "insurance_years": _insurance_years, "loans": _loans,
    "loan_repayments": _loan_repayments, "loan_interest": _loan_interest, "online_shops": _online_shops,
    "internships": _internships, "trainings": _trainings, "payment_accounts": _payment_accounts,
}


def fact_errors(kind: str, values: dict[str, Any], *, today: datetime.date | None = None) -> dict[str, list[str]]:
    """Every broken rule of one fact ({field: [messages]}); normalises ``values`` in place (derived
    end of a benefit, account kind from its owner, amounts to cents, defaults)."""
    errors = _Errors()
    _RULES[kind](errors, values, today or timezone.localdate())
    values["note"] = (values.get("note") or "").strip()[:255]
    return dict(errors)


# ---------------------------------------------------------------------------------------------
# Uniqueness (what the database also holds)


def _duplicate_error(kind: Kind, values: dict, exclude_pk=None) -> dict[str, list[str]]:
    model = kind.model
    qs = model.objects.all() if exclude_pk is None else model.objects.exclude(pk=exclude_pk)
    if kind.name == "insurance_years":
        if qs.filter(employer=values["employer"], year=values["year"]).exists():
            return {"year": [_("该单位%(y)s年度的数据已录入；如有错误请更正原记录") % {"y": values["year"]}]}
    elif kind.name == "loans":
        if qs.filter(lender=values["lender"], contract_number=values["contract_number"]).exists():
            return {"contract_number": [_("%(b)s的借款合同%(c)s已录入") % {"b": values["lender"], "c": values["contract_number"]}]}
    elif kind.name == "loan_interest":
        if qs.filter(loan=values["loan"], starts_on=values["starts_on"]).exists():
            return {"starts_on": [_("该贷款起始于%(d)s的计息期已录入") % {"d": _d(values["starts_on"])}]}
    elif kind.name == "online_shops":
        if qs.filter(platform=values["platform"], person=values["person"], shop_name=values["shop_name"]).exists():
            return {"shop_name": [_("该平台证明的网店“%(n)s”已录入") % {"n": values["shop_name"]}]}
    return {}


def _previous_account(values: dict):
    owner = {"person": values["person"]} if values.get("person") is not None else {"employer": values["employer"]}
    return PaymentAccount.objects.select_for_update().filter(**owner, valid_until__isnull=True).order_by("-valid_from", "-pk").first()


def _account_history_error(values: dict, previous) -> dict[str, list[str]]:
    if previous is not None and previous.valid_from >= values["valid_from"]:
        return {"valid_from": [_("启用日期%(d)s须晚于当前账户的启用日期%(p)s") % {"d": _d(values["valid_from"]),
                                                                       "p": _d(previous.valid_from)}]}
    return {}


# ---------------------------------------------------------------------------------------------
# Audit


def audit_values(kind: Kind, values: dict) -> dict:
    """What an audit entry keeps of a fact: owners as ids, account numbers masked."""
    out = {}
    for name, value in values.items():
        if name == "account_number":
            value = mask_account_number(value)
        out[name] = value
    return out


def _label(kind: Kind, values: dict) -> str:
    owner = owner_of(kind, values)
    return f"{kind.label}：{owner.name}" if owner is not None else kind.label


# ---------------------------------------------------------------------------------------------
# The services


def create_fact(fact_kind: str, /, *, actor, source: str = FactSource.MANUAL, today: datetime.date | None = None,
                **values):
    """Record a new fact of ``kind`` for its person or employer (scope, rules, one transaction, audit).
    Raises ValidationError (Chinese, per field) or OutOfScope."""
    kind = fact_kind
    k = kind_of(kind)
    values = {name: values.get(name) for name in (*k.owners, *k.fields) if name in values or name in k.owners}
    errors = fact_errors(kind, values, today=today)
    if errors:
        raise ValidationError(errors)
    region = region_of(k, values)
    ensure_can_write(actor, region)
    operator = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        errors = _duplicate_error(k, values)
        closed = None
        if kind == "payment_accounts":
            previous = _previous_account(values)
            errors = errors or _account_history_error(values, previous)
            if not errors and previous is not None:
                closed = previous
                previous.valid_until = values["valid_from"] - datetime.timedelta(days=1)
                previous.save(update_fields=["valid_until"])
        if errors:
            raise ValidationError(errors)
        fact = k.model(**values, source=source, recorded_by=operator)
        try:
            with transaction.atomic():
                fact.save()
        except IntegrityError:
            raise ValidationError({k.owners[0]: [_("与已录入的记录重复，未保存")]}) from None
        changes = audit_values(k, values)
        if closed is not None:
            changes["closed_account"] = {"id": closed.pk, "valid_until": closed.valid_until}
        audit.record(actor, AuditEntry.Action.CREATE, object_type=k.object_type, object_id=fact.pk,
                     object_label=_label(k, values), region_code=region, changes=changes,
                     summary=_("新增%(k)s") % {"k": k.label})
        if closed is not None:
            audit.record(actor, AuditEntry.Action.UPDATE, object_type=k.object_type, object_id=closed.pk,
                         object_label=_label(k, values), region_code=region,
                         changes={"valid_until": [None, closed.valid_until], "replaced_by": fact.pk},
                         summary=_("启用新收款账户，原账户停用"))
    return fact


def correct_fact(fact_kind: str, /, *, actor, fact, reason: str = "", today: datetime.date | None = None, **changes):
    """Correct fields of a recorded fact (owners cannot change: a fact about someone else is a new
    fact). The audit entry keeps the old and new values and the reason."""
    kind = fact_kind
    k = kind_of(kind)
    unknown = set(changes) - set(k.fields)
    if unknown:
        raise ValidationError({"__all__": [_("这些字段不能更正：%(f)s") % {"f": "、".join(sorted(unknown))}]})
    if kind == "payment_accounts" and "valid_from" in changes and changes["valid_from"] != fact.valid_from:
        raise ValidationError({"valid_from": [_("收款账户的启用日期不能更正；请新增账户（原账户自动停用）")]})
    if kind == "payment_accounts" and "kind" in changes and changes["kind"] != fact.kind:
        raise ValidationError({"kind": [_("账户类型由账户所属人员或单位决定，不能更正")]})
    before = _values_of(k, fact)
    values = {**before, **changes}
    if kind == "benefit_periods" and "ends_on" not in changes and (
            "starts_on" in changes or "months_entitled" in changes):
        values["ends_on"] = None  # derived again from the corrected start and months
    errors = fact_errors(kind, values, today=today)
    if not reason.strip():
        errors.setdefault("reason", []).append(_("请填写更正原因"))
    if errors:
        raise ValidationError(errors)
    region = region_of(k, values)
    ensure_can_write(actor, region)
    diff = audit.diff(audit_values(k, before), audit_values(k, values))
    if not diff:
        return fact
    with transaction.atomic():
        errors = _duplicate_error(k, values, exclude_pk=fact.pk)
        if errors:
            raise ValidationError(errors)
        for name in k.fields:
            setattr(fact, name, values[name])
        try:
            with transaction.atomic():
                fact.save()
        except IntegrityError:
            raise ValidationError({k.fields[0]: [_("与已录入的记录重复，未保存")]}) from None
        audit.record(actor, AuditEntry.Action.CORRECT, object_type=k.object_type, object_id=fact.pk,
                     object_label=_label(k, values), region_code=region, changes={**diff, "correction_reason": reason.strip()},
                     summary=_("更正%(k)s：%(r)s") % {"k": k.label, "r": reason.strip()})
    return fact


# Named doors, one per kind (the API, the forms and the demo call the generic two).

def create_benefit_period(*, actor, **values):
    return create_fact("benefit_periods", actor=actor, **values)


def create_insurance_year(*, actor, **values):
    return create_fact("insurance_years", actor=actor, **values)


def create_loan(*, actor, **values):
    return create_fact("loans", actor=actor, **values)


def create_loan_repayment(*, actor, **values):
    return create_fact("loan_repayments", actor=actor, **values)


def create_loan_interest(*, actor, **values):
    return create_fact("loan_interest", actor=actor, **values)


def create_online_shop(*, actor, **values):
    return create_fact("online_shops", actor=actor, **values)


def create_internship(*, actor, **values):
    return create_fact("internships", actor=actor, **values)


def create_training(*, actor, **values):
    return create_fact("trainings", actor=actor, **values)


def create_payment_account(*, actor, **values):
    return create_fact("payment_accounts", actor=actor, **values)
