"""补贴依据数据 (the facts the policy rules need): the overview with counts per kind, a list per kind
(count, sort, filters, Excel export), the create and correction forms. Reads through
``policies.queries.facts``, writes through ``policies.services.facts``; identity numbers are masked in
lists, account numbers too for roles that may not see full numbers."""
from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jiuye.accounts import roles
from jiuye.policies.queries import facts as queries
from jiuye.policies.services import facts as services
from jiuye.registry.identity import mask_id_number
from jiuye.web.exports import EXPORT_MAX, Column, export_xlsx, filters_of, is_export, wants_full_numbers
from jiuye.web.forms import policies_facts as forms
from jiuye.web.views.common import list_page, post_data, service_form, staff_required, writer_required

SLUGS = services.SLUGS
KIND_OF_SLUG = {slug: kind for kind, slug in SLUGS.items()}
IMPORT_KINDS = services.IMPORT_KINDS
HELP = {
    "benefit_periods": _l("失业保险金领取起始日期、核定应领月数（0 表示不符合领取条件的参保失业人员）和截止日期；失业补助金、保险金发放至退休等政策依此判断。"),
    "insurance_years": _l("用人单位每年的年末参保职工人数、单位和职工缴纳的失业保险费、年内裁员人数；稳岗返还依此计算。"),
    "loans": _l("创业担保贷款：借款人（个人或小微企业，二者选一）、借款合同、经办银行、金额、放款和到期日期、带动就业人数。"),
    "loan_repayments": _l("创业担保贷款的每期应还和实还记录；逾期还款影响贴息。"),
    "loan_interest": _l("创业担保贷款的计息期和应付利息，贴息按期申领。"),
    "online_shops": _l("电商平台或创业服务机构出具证明的网店开办记录；网店创业者可享受一次性创业补贴等政策。"),
    "internships": _l("就业见习：见习单位、起止日期，以及见习期内签订劳动合同（留用）的日期和期限。"),
    "trainings": _l("技能培训：培训项目、机构、开班和结业日期、是否结业及取得的证书。"),
    "payment_accounts": _l("补贴发放账户：个人为社会保障卡金融账户（社保卡），单位为银行账户。启用新账户时原账户自动停用（前一日），历史保留。"),
}


def _kind(slug: str) -> str:
    kind = KIND_OF_SLUG.get(slug)
    if kind is None:
        raise Http404(_("没有这类补贴依据数据"))
    return kind


def _region(region) -> str:
    if region is None:
        return ""
    return f"{region.parent.name} {region.name}" if region.parent_id else region.name


def _owner(fact, kind):
    k = services.KINDS[kind]
    return services.owner_of(k, {n: getattr(fact, n) for n in k.owners})


def _owner_name(kind):
    return lambda f: (_owner(f, kind).name if _owner(f, kind) else "")


def _owner_attr(kind, name):
    return lambda f: getattr(_owner(f, kind), name, "") or ""


def _owner_region(kind):
    return lambda f: _region(_owner(f, kind).region if _owner(f, kind) else None)


def _money(value):
    return float(value) if value is not None else None


def _columns(kind: str) -> list[tuple[str, Column]]:
    """(sort key or "", Column) per visible column; the page and the export show the same."""
    owners = {who for who, _path in queries._OWNER_PATHS[kind]}
    who = [("name", Column(_l("姓名") if owners == {"person"} else _l("单位名称") if owners == {"employer"}
                           else _l("姓名/单位"), _owner_name(kind)))]
    if "person" in owners:
        who.append(("", Column(_l("公民身份号码"), _owner_attr(kind, "id_number"), mask=mask_id_number)))
    if "employer" in owners:
        who.append(("", Column(_l("统一社会信用代码"), _owner_attr(kind, "credit_code"))))
    if "region" in queries.SORTS[kind]:
        who.append(("region", Column(_l("所在社区"), _owner_region(kind))))
    rest = {
        "benefit_periods": [("starts_on", Column(_l("领取起始日期"), lambda f: f.starts_on)),
                            ("months_entitled", Column(_l("应领月数"), lambda f: f.months_entitled)),
                            ("ends_on", Column(_l("领取截止日期"), lambda f: f.ends_on)),
                            ("monthly_amount", Column(_l("月领取标准（元）"), lambda f: _money(f.monthly_amount)))],
        "insurance_years": [("year", Column(_l("年度"), lambda f: f.year)),
                            ("insured_staff_year_end", Column(_l("年末参保人数"), lambda f: f.insured_staff_year_end)),
                            ("premiums_employer", Column(_l("单位缴费（元）"), lambda f: _money(f.premiums_employer))),
                            ("", Column(_l("个人缴费（元）"), lambda f: _money(f.premiums_staff))),
                            ("layoffs", Column(_l("裁员人数"), lambda f: f.layoffs))],
        "loans": [("contract_number", Column(_l("借款合同编号"), lambda f: f.contract_number)),
                  ("lender", Column(_l("经办银行"), lambda f: f.lender)),
                  ("amount", Column(_l("贷款金额（元）"), lambda f: _money(f.amount))),
                  ("starts_on", Column(_l("放款日期"), lambda f: f.starts_on)),
                  ("ends_on", Column(_l("到期日期"), lambda f: f.ends_on)),
                  ("jobs_created", Column(_l("带动就业人数"), lambda f: f.jobs_created)),
                  ("status", Column(_l("状态"), lambda f: f.get_status_display()))],
        "loan_repayments": [("contract_number", Column(_l("借款合同编号"), lambda f: f.loan.contract_number)),
                            ("", Column(_l("经办银行"), lambda f: f.loan.lender)),
                            ("due_on", Column(_l("应还日期"), lambda f: f.due_on)),
                            ("amount", Column(_l("应还金额（元）"), lambda f: _money(f.amount))),
                            ("paid_on", Column(_l("实还日期"), lambda f: f.paid_on))],
        "loan_interest": [("contract_number", Column(_l("借款合同编号"), lambda f: f.loan.contract_number)),
                          ("", Column(_l("经办银行"), lambda f: f.loan.lender)),
                          ("starts_on", Column(_l("计息起始日期"), lambda f: f.starts_on)),
                          ("ends_on", Column(_l("计息截止日期"), lambda f: f.ends_on)),
                          ("interest", Column(_l("利息（元）"), lambda f: _money(f.interest)))],
        "online_shops": [("shop_name", Column(_l("网店名称"), lambda f: f.shop_name)),
                         ("platform", Column(_l("电商平台/创业服务机构"), lambda f: f.platform.name)),
                         ("opened_on", Column(_l("开办日期"), lambda f: f.opened_on)),
                         ("attested_on", Column(_l("平台证明日期"), lambda f: f.attested_on))],
        "internships": [("unit", Column(_l("见习单位"), lambda f: f.unit.name)),
                        ("starts_on", Column(_l("见习起始日期"), lambda f: f.starts_on)),
                        ("ends_on", Column(_l("见习期满日期"), lambda f: f.ends_on)),
                        ("hired_on", Column(_l("签订劳动合同日期"), lambda f: f.hired_on)),
                        ("", Column(_l("合同期限（月）"), lambda f: f.contract_months))],
        "trainings": [("course", Column(_l("培训项目/工种"), lambda f: f.course)),
                      ("provider", Column(_l("培训机构"), lambda f: f.provider)),
                      ("starts_on", Column(_l("开班日期"), lambda f: f.starts_on)),
                      ("ends_on", Column(_l("结业日期"), lambda f: f.ends_on)),
                      ("completed", Column(_l("已结业"), lambda f: f.completed)),
                      ("", Column(_l("取得证书"), lambda f: f.certificate))],
        "payment_accounts": [("kind", Column(_l("账户类型"), lambda f: f.get_kind_display())),
                             ("bank", Column(_l("开户银行"), lambda f: f.bank)),
                             ("", Column(_l("账号"), lambda f: f.account_number, mask=services.mask_account_number)),
                             ("", Column(_l("户名"), lambda f: f.account_name)),
                             ("valid_from", Column(_l("启用日期"), lambda f: f.valid_from)),
                             ("valid_until", Column(_l("停用日期"), lambda f: f.valid_until))],
    }[kind]
    return who + rest + [("", Column(_l("来源"), lambda f: f.get_source_display()))]


def _cell(value) -> str:
    import datetime

    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def _rows(facts, columns, *, full_accounts: bool) -> list[dict]:
    rows = []
    for f in facts:
        cells = []
        for _key, c in columns:
            value = c.value(f)
            if c.mask is mask_id_number:
                value = c.mask(value or "")  # identity numbers are always masked in lists
            elif c.mask is not None and not full_accounts:
                value = c.mask(value or "")
            cells.append(_cell(value))
        rows.append({"fact": f, "cells": cells})
    return rows


@staff_required
def facts_home(request):
    counts = queries.fact_counts(request.user)
    kinds = [{"kind": k, "slug": SLUGS[k], "label": services.KINDS[k].label, "count": counts[k], "help": HELP[k],
              "import_kind": IMPORT_KINDS[k]} for k in SLUGS]
    return render(request, "web/policies/facts/home.html", {
        "kinds": kinds, "may_write": roles.can_write_registry(request.user), "may_import": roles.can_import(request.user)})


@staff_required
def fact_list(request, slug: str):
    kind = _kind(slug)
    label = services.KINDS[kind].label
    columns = _columns(kind)
    form = forms.FactSearchForm(request.GET, user=request.user, kind=kind)
    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=queries.facts_of_search(kind, request.user, s).iterator(chunk_size=2000),
                           total=queries.count_facts(kind, request.user, s), columns=[c for _k, c in columns],
                           sheet=label, filename=f"policy-facts-{slug}", object_type=services.KINDS[kind].object_type,
                           filters=filters_of(form), sort=queries.fact_sort(kind, s),
                           summary=_("导出%(k)s列表") % {"k": label})
    context = list_page(request, form, search=lambda u, s: queries.search_facts(kind, u, s),
                        count=lambda u, s: queries.count_facts(kind, u, s), sort=lambda s: queries.fact_sort(kind, s))
    full_accounts = roles.can_see_full_id_number(request.user)
    context.update(kind=kind, slug=slug, label=label, help=HELP[kind], import_kind=IMPORT_KINDS[kind],
                   headers=[{"sort": key, "label": str(c.header)} for key, c in columns],
                   rows=_rows(context["page"]["rows"], columns, full_accounts=full_accounts),
                   may_write=roles.can_write_registry(request.user), may_import=roles.can_import(request.user),
                   extra_filter=forms.EXTRA_FILTERS.get(kind, ("",))[0])
    return render(request, "web/policies/facts/list.html", context)


@writer_required
def fact_create(request, slug: str):
    kind = _kind(slug)
    label = services.KINDS[kind].label
    form = forms.FactForm(post_data(request), user=request.user, kind=kind)

    def call(f):
        services.create_fact(kind, actor=request.user, **f.values())
        return reverse("web:policy_fact_list", args=[slug])

    return service_form(request, form, call, success=_("已新增%(k)s") % {"k": label},
                        template="web/policies/facts/form.html",
                        context={"title": _("新增%(k)s") % {"k": label}, "help": HELP[kind],
                                 "back": reverse("web:policy_fact_list", args=[slug])})


@writer_required
def fact_correct(request, slug: str, pk: int):
    kind = _kind(slug)
    label = services.KINDS[kind].label
    fact = queries.get_fact(kind, request.user, pk)
    form = forms.FactForm(post_data(request), user=request.user, kind=kind, fact=fact)

    def call(f):
        services.correct_fact(kind, actor=request.user, fact=fact, reason=f.cleaned_data["reason"], **f.values())
        return reverse("web:policy_fact_list", args=[slug])

    owner = _owner(fact, kind)
    return service_form(request, form, call, success=_("已更正"), template="web/policies/facts/form.html",
                        context={"title": _("更正%(k)s：%(n)s") % {"k": label, "n": owner.name if owner else ""},
                                 "intro": _("更正保留原值：审计日志记录更正前后的内容和原因。"),
                                 "back": reverse("web:policy_fact_list", args=[slug])})


__all__ = ["facts_home", "fact_list", "fact_create", "fact_correct", "wants_full_numbers"]
