"""Payments wing of the policies app (issue 9): payment batches (list, create from the approved claims of
the scope, detail with items, send = the bank file, the bank's return file → every line's outcome), the
ledger (补贴台账: every entry tied to claim, policy version and reviewer, with its facts) and the budgets
(per year, region and policy: budget, committed, paid, remaining, overrides; create and edit).

Reads go through ``policies.queries.ledger`` and writes through ``policies.services.payments`` /
``budgets`` (scope and roles are checked there; the views only shape the answer)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jiuye.accounts import roles
from jiuye.policies.services.facts import mask_account_number
from jiuye.policies.models import LedgerEntry, PaymentBatch, PaymentItem
from jiuye.policies.queries import ledger as queries
from jiuye.policies.services import budgets as budget_services
from jiuye.policies.services import payments as services
from jiuye.registry.identity import mask_id_number
from jiuye.web.exports import EXPORT_MAX, Column, choice_label, export_xlsx, filters_of, is_export
from jiuye.web.forms import policies_payments as forms
from jiuye.web.views.common import list_page, post_data, require, service_form

reader_required = require(roles.can_read_policies, _l("您的角色无权查看补贴台账"))


def _region_label(region) -> str:
    return f"{region.parent.name} {region.name}" if region.parent_id else region.name


def _beneficiary(claim) -> str:
    if claim.beneficiary == "employer" and claim.employer_id:
        return claim.employer.name
    return claim.person.name if claim.person_id else ""


def _person_id(claim) -> str:
    return claim.person.id_number if claim.person_id else ""


def claim_url(claim) -> str:
    """The claim's page (the claims wing), else the ledger filtered to the claim."""
    try:
        return reverse("web:claim", args=[claim.pk])
    except NoReverseMatch:
        return reverse("web:ledger") + f"?claim={claim.pk}"


# ---------------------------------------------------------------------------------------------
# The ledger


ENTRY_COLUMNS = [
    Column(_l("记账时间"), lambda e: e.created_at),
    Column(_l("类型"), choice_label(LedgerEntry, "kind")),
    Column(_l("申领编号"), lambda e: e.claim.number),
    Column(_l("政策编号"), lambda e: e.policy_code),
    Column(_l("政策版本"), lambda e: f"{e.policy.version.pack.code} v{e.policy.version.number}"),
    Column(_l("受益对象"), lambda e: _beneficiary(e.claim)),
    Column(_l("人员公民身份号码"), lambda e: _person_id(e.claim), mask=mask_id_number),
    Column(_l("受理地"), lambda e: _region_label(e.region)),
    Column(_l("预算年度"), lambda e: e.year),
    Column(_l("金额（元）"), lambda e: float(e.amount)),
    Column(_l("审核人"), lambda e: str(e.reviewer) if e.reviewer_id else ""),
    Column(_l("经办人"), lambda e: str(e.actor) if e.actor_id else ""),
    Column(_l("发放批次"), lambda e: e.batch_item.batch.number if e.batch_item_id else ""),
]


@reader_required
def ledger(request):
    form = forms.EntrySearchForm(request.GET, user=request.user)
    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=queries.entries_of_search(request.user, s).iterator(chunk_size=2000),
                           total=queries.count_entries(request.user, s), columns=ENTRY_COLUMNS, sheet=_("补贴台账"),
                           filename="subsidy-ledger", object_type="ledger_entry", filters=filters_of(form),
                           sort=queries.entry_sort(s), summary=_("导出补贴台账"))
    context = list_page(request, form, search=queries.search_entries, count=queries.count_entries, sort=queries.entry_sort)
    totals = queries.entry_totals(request.user, form.search(limit=1)) if form.is_valid() else {}
    context.update(full_ids=True, totals=totals, rows=[
        {"e": e, "id_masked": mask_id_number(_person_id(e.claim)), "beneficiary": _beneficiary(e.claim),
         "claim_url": claim_url(e.claim)} for e in context["page"]["rows"]])
    return render(request, "web/policies/payments/ledger.html", context)


def _trace_rows(checks, depth=0):
    out = []
    for c in checks or []:
        out.append({"depth": depth, "indent": "\u3000" * depth, "label": c.get("label", ""), "held": c.get("held"),
                    "fact": c.get("fact", ""), "source": c.get("source", "")})
        out.extend(_trace_rows(c.get("items"), depth + 1))
    return out


#: The other keys of an entry's facts (a payment's, a release's, the decision's date and result).
FACT_LABELS = {"as_of": _l("判定日期"), "eligible": _l("判定结果"), "batch": _l("发放批次"), "item": _l("发放明细编号"),
               "bank_reference": _l("银行流水号"), "account_kind": _l("账户类型"), "bank": _l("开户银行"),
               "line": _l("回盘文件行号"), "reason": _l("原因")}


def _fact_value(key, value):
    if key == "eligible" or isinstance(value, bool):
        return _("符合") if value else _("不符合")
    if key == "account_kind":
        from jiuye.policies.models import AccountKind

        return str(dict(AccountKind.choices).get(value, value))
    return value


@reader_required
def ledger_entry(request, pk: int):
    entry = queries.get_entry(request.user, pk)
    facts = entry.facts or {}
    benefit = facts.get("benefit") or {}
    return render(request, "web/policies/payments/entry.html", {
        "e": entry, "beneficiary": _beneficiary(entry.claim), "id_masked": mask_id_number(_person_id(entry.claim)),
        "claim_url": claim_url(entry.claim), "checks": _trace_rows(facts.get("checks")), "benefit": benefit,
        "parameters": [{"label": p.get("label") or p.get("fact", ""), "value": p.get("value"), "unit": p.get("unit", ""),
                        "cite": p.get("cite", "")} for p in benefit.get("parameters") or []], "event": facts.get("event") or {},
        "policy_trace": facts.get("policy") or {},
        "other_facts": {str(FACT_LABELS.get(k, k)): _fact_value(k, v) for k, v in facts.items()
                        if k not in ("checks", "benefit", "event", "policy")},
        "related": queries.entries_of_search(request.user, queries.EntrySearch(claim_id=entry.claim_id)),
    })


# ---------------------------------------------------------------------------------------------
# Budgets


BUDGET_COLUMNS = [
    Column(_l("年度"), lambda r: r.budget.year),
    Column(_l("区划"), lambda r: _region_label(r.budget.region)),
    Column(_l("区划代码"), lambda r: r.budget.region_id),
    Column(_l("政策"), lambda r: r.budget.policy_code or _("全部政策")),
    Column(_l("预算金额（元）"), lambda r: float(r.budget.amount)),
    Column(_l("已核准（元）"), lambda r: float(r.committed)),
    Column(_l("已发放（元）"), lambda r: float(r.paid)),
    Column(_l("剩余（元）"), lambda r: float(r.remaining)),
    Column(_l("超预算核准笔数"), lambda r: r.overrides),
    Column(_l("超预算金额（元）"), lambda r: float(r.overridden)),
    Column(_l("说明"), lambda r: r.budget.note),
]


@reader_required
def budget_list(request):
    form = forms.BudgetSearchForm(request.GET, user=request.user)
    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=queries.budget_rows_of_search(request.user, s),
                           total=queries.count_budgets(request.user, s), columns=BUDGET_COLUMNS, sheet=_("补贴预算"),
                           filename="subsidy-budgets", object_type="policy_budget", filters=filters_of(form),
                           sort=queries.budget_sort(s), summary=_("导出补贴预算执行情况"))
    context = list_page(request, form, search=queries.search_budgets, count=queries.count_budgets, sort=queries.budget_sort)
    context["may_manage"] = roles.can_manage_budgets(request.user)
    return render(request, "web/policies/payments/budgets.html", context)


@reader_required
def budget_detail(request, pk: int):
    budget = queries.get_budget(request.user, pk)
    (row,) = queries.budget_figures([budget])
    return render(request, "web/policies/payments/budget.html", {
        "row": row, "b": budget, "overrides": queries.overrides_of(request.user, budget)[:200],
        "may_manage": roles.can_manage_budgets(request.user),
    })


def _ensure_budget_manager(request):
    if not roles.can_manage_budgets(request.user):
        raise PermissionDenied(_("您的角色无权管理补贴预算（区县、市人社局工作人员办理）"))


@reader_required
def budget_new(request):
    _ensure_budget_manager(request)
    form = forms.BudgetForm(post_data(request), user=request.user)

    def call(f):
        budget = budget_services.create_budget(actor=request.user, **f.service_kwargs())
        return reverse("web:budget", args=[budget.pk])

    return service_form(request, form, call, success=_("已新建补贴预算"), template="web/policies/payments/form.html",
                        context={"title": _("新建补贴预算"), "back": reverse("web:budgets")})


@reader_required
def budget_edit(request, pk: int):
    _ensure_budget_manager(request)
    budget = queries.get_budget(request.user, pk)
    form = forms.BudgetForm(post_data(request), user=request.user, budget=budget)

    def call(f):
        budget_services.update_budget(actor=request.user, budget=budget, **f.service_kwargs())
        return reverse("web:budget", args=[budget.pk])

    title = _("修改补贴预算：%(y)s年 %(r)s %(p)s") % {"y": budget.year, "r": _region_label(budget.region),
                                                    "p": budget.policy_code or _("全部政策")}
    return service_form(request, form, call, success=_("已保存"), template="web/policies/payments/form.html",
                        context={"title": title, "back": reverse("web:budget", args=[budget.pk]),
                                 "intro": _("预算金额不能低于本年度已核准的金额。")})


# ---------------------------------------------------------------------------------------------
# Payment batches


BATCH_COLUMNS = [
    Column(_l("批次号"), lambda b: b.number),
    Column(_l("发放单位"), lambda b: _region_label(b.region)),
    Column(_l("状态"), choice_label(PaymentBatch, "status")),
    Column(_l("笔数"), lambda b: b.item_count),
    Column(_l("金额合计（元）"), lambda b: float(b.total)),
    Column(_l("创建时间"), lambda b: b.created_at),
    Column(_l("创建人"), lambda b: str(b.created_by) if b.created_by_id else ""),
    Column(_l("发送时间"), lambda b: b.sent_at),
    Column(_l("对账时间"), lambda b: b.reconciled_at),
]


@reader_required
def batch_list(request):
    form = forms.BatchSearchForm(request.GET, user=request.user)
    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=queries.batches_of_search(request.user, s).iterator(chunk_size=2000),
                           total=queries.count_batches(request.user, s), columns=BATCH_COLUMNS, sheet=_("发放批次"),
                           filename="payment-batches", object_type="payment_batch", filters=filters_of(form),
                           sort=queries.batch_sort(s), summary=_("导出发放批次"))
    context = list_page(request, form, search=queries.search_batches, count=queries.count_batches, sort=queries.batch_sort)
    may_pay = roles.can_approve_claims(request.user)
    context.update(may_pay=may_pay, payable=queries.payable_summary(request.user) if may_pay else None)
    return render(request, "web/policies/payments/batches.html", context)


def _ensure_payer(request):
    if not roles.can_approve_claims(request.user):
        raise PermissionDenied(_("您的角色无权办理补贴发放（政策审核员、区县人社局工作人员办理）"))


@reader_required
def batch_new(request):
    _ensure_payer(request)
    form = forms.BatchCreateForm(post_data(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.create_batch(request.user, region=form.cleaned_data["region"] or None)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            for line in result.skipped:
                messages.warning(request, _("未列入：%(l)s") % {"l": line})
            if result.batch is None:
                messages.error(request, _("没有可列入批次的已核准申领"))
                return redirect("web:payment_batches")
            messages.success(request, _("已新建发放批次%(b)s：%(n)s笔，合计%(t)s元") % {
                "b": result.batch.number, "n": result.items, "t": result.total})
            return redirect("web:payment_batch", result.batch.pk)
    region = form.cleaned_data.get("region") if form.is_bound and form.is_valid() else None
    return render(request, "web/policies/payments/batch_new.html", {
        "form": form, "payable": queries.payable_summary(request.user, region)})


ITEM_COLUMNS = [
    Column(_l("明细编号"), lambda i: i.pk),
    Column(_l("申领编号"), lambda i: i.claim.number),
    Column(_l("政策编号"), lambda i: i.claim.policy_code),
    Column(_l("人员公民身份号码"), lambda i: _person_id(i.claim), mask=mask_id_number),
    Column(_l("户名"), lambda i: i.account_name),
    Column(_l("账户类型"), choice_label(PaymentItem, "account_kind")),
    Column(_l("开户银行"), lambda i: i.bank),
    Column(_l("账号"), lambda i: mask_account_number(i.account_number)),
    Column(_l("金额（元）"), lambda i: float(i.amount)),
    Column(_l("状态"), choice_label(PaymentItem, "status")),
    Column(_l("银行流水号"), lambda i: i.bank_reference),
    Column(_l("失败原因"), lambda i: i.failure_reason),
]


@reader_required
def batch_detail(request, pk: int):
    batch = queries.get_batch(request.user, pk)
    form = forms.ItemSearchForm(request.GET)
    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=queries.items_of_search(request.user, batch, s).iterator(chunk_size=2000),
                           total=queries.count_items(request.user, batch, s), columns=ITEM_COLUMNS,
                           sheet=_("发放明细"), filename=f"payment-items-{batch.number}", object_type="payment_batch",
                           filters={**filters_of(form), "batch": batch.pk}, sort=queries.item_sort(s),
                           summary=_("导出发放批次%(b)s的明细") % {"b": batch.number})
    context = list_page(request, form, search=lambda u, s: queries.search_items(u, batch, s),
                        count=lambda u, s: queries.count_items(u, batch, s), sort=queries.item_sort)
    context.update(batch=batch, full_ids=True, may_pay=roles.can_approve_claims(request.user), rows=[
        {"i": i, "id_masked": mask_id_number(_person_id(i.claim)), "account": mask_account_number(i.account_number),
         "claim_url": claim_url(i.claim)} for i in context["page"]["rows"]])
    return render(request, "web/policies/payments/batch.html", context)


@reader_required
def batch_send(request, pk: int):
    """POST: send the batch (first time) and download the bank file. GET on a sent batch: the same file
    again (nothing changes). GET on a draft: back to the batch."""
    _ensure_payer(request)
    batch = queries.get_batch(request.user, pk)
    if request.method != "POST" and batch.status == "draft":
        return redirect("web:payment_batch", batch.pk)
    data, name = services.send_batch(request.user, batch)
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename={name}"
    response["Cache-Control"] = "no-store"
    return response


@reader_required
def batch_reconcile(request, pk: int):
    _ensure_payer(request)
    batch = queries.get_batch(request.user, pk)
    form = forms.ReturnFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.reconcile(request.user, batch, form.cleaned_data["file"].read())
        except (ValidationError, services.LayoutError) as exc:
            form.add_error("file", exc.messages if isinstance(exc, ValidationError) else str(exc))
        else:
            labels = services.OUTCOME_LABELS
            return render(request, "web/policies/payments/result.html", {
                "batch": result.batch, "result": result,
                "lines": [{"x": x, "label": labels.get(x.outcome, x.outcome), "account": mask_account_number(x.account)}
                          for x in result.lines],
                "counts": {k: result.count(k) for k in labels},
            })
    return render(request, "web/policies/payments/reconcile.html", {"batch": batch, "form": form,
                                                                    "layout": services.DEFAULT_LAYOUT})


