"""Data of the 补贴依据数据 panels on the person and employer pages
(``web/policies/facts/_person.html``, ``_employer.html``), read through ``policies.queries.facts``."""
from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from jiuye.accounts import roles
from jiuye.policies.queries import facts as queries
from jiuye.policies.services import facts as services

register = template.Library()

SLUGS = services.SLUGS


def _text(kind: str, f, full_accounts: bool) -> str:
    if kind == "benefit_periods":
        return _("应领%(m)d个月，至%(e)s") % {"m": f.months_entitled, "e": f.ends_on.isoformat()}
    if kind == "insurance_years":
        return _("%(y)d年度：年末参保%(n)d人，单位缴费%(p)s元，裁员%(l)d人") % {
            "y": f.year, "n": f.insured_staff_year_end, "p": f.premiums_employer, "l": f.layoffs}
    if kind == "loans":
        return _("%(b)s %(c)s，%(a)s元，%(s)s") % {"b": f.lender, "c": f.contract_number, "a": f.amount,
                                                 "s": f.get_status_display()}
    if kind == "online_shops":
        return _("%(n)s（%(p)s证明）") % {"n": f.shop_name, "p": f.platform.name}
    if kind == "internships":
        text = _("%(u)s，至%(e)s") % {"u": f.unit.name, "e": f.ends_on.isoformat()}
        return text + (_("，%(d)s留用") % {"d": f.hired_on.isoformat()} if f.hired_on else "")
    if kind == "trainings":
        return f"{f.course}（{f.provider}）" + (_("，已结业") if f.completed else "")
    number = f.account_number if full_accounts else services.mask_account_number(f.account_number)
    until = _("，%(d)s停用") % {"d": f.valid_until.isoformat()} if f.valid_until else ""
    return f"{f.get_kind_display()} {f.bank} {number}{until}"


def _panel(context, facts: dict) -> dict:
    user = context["request"].user
    if not facts:  # outside the scope, or a role that does not read the registry
        return {"visible": False}
    full = roles.can_see_full_id_number(user)
    rows = []
    for kind, items in facts.items():
        date_field = services.KINDS[kind].date_field
        for f in items:
            rows.append({"slug": SLUGS[kind], "label": services.KINDS[kind].label, "date": getattr(f, date_field),
                         "text": _text(kind, f, full)})
    rows.sort(key=lambda r: r["date"], reverse=True)
    return {"visible": True, "rows": rows}


@register.simple_tag(takes_context=True)
def person_policy_facts(context, person):
    return _panel(context, queries.facts_of_person(context["request"].user, person))


@register.simple_tag(takes_context=True)
def employer_policy_facts(context, employer):
    return _panel(context, queries.facts_of_employer(context["request"].user, employer))
