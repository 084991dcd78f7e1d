"""Template helpers for pending registrations (待生效) and online self-registrations (网上自助)."""
from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from jiuye.accounts import roles
from jiuye.registry import queries
from jiuye.registry.models import ContractType, EmploymentForm, UnemploymentReason

register = template.Library()


@register.simple_tag
def pending_summary(pending) -> str:
    """What a pending entry will register, in words (employer names by one lookup)."""
    values = pending.values or {}
    employers = queries.pending_employers([pending])
    parts = []
    if pending.kind == "employment":
        if values.get("employment_form"):
            parts.append(str(EmploymentForm(values["employment_form"]).label))
        if values.get("employer") in employers:
            parts.append(employers[values["employer"]].name)
        if values.get("contract_type"):
            parts.append(str(ContractType(values["contract_type"]).label))
        if values.get("contract_start") or values.get("contract_end"):
            parts.append(_("合同 %(s)s 至 %(e)s") % {"s": values.get("contract_start") or "—",
                                                    "e": values.get("contract_end") or "—"})
        if values.get("contract_months") is not None:
            parts.append(_("%(m)s个月") % {"m": values["contract_months"]})
        if values.get("occupation"):
            parts.append(values["occupation"])
    else:
        if values.get("unemployment_reason"):
            parts.append(_("失业原因：%(r)s") % {"r": UnemploymentReason(values["unemployment_reason"]).label})
        if values.get("former_employer") in employers:
            parts.append(_("失业前单位：%(n)s") % {"n": employers[values["former_employer"]].name})
    return "，".join(parts)


@register.simple_tag(takes_context=True)
def self_registrations_waiting(context, limit: int = 5) -> dict:
    """The home page panel's data: the user's waiting self-registrations (none for roles that cannot
    confirm them)."""
    user = context.get("user")
    if user is None or not roles.can_write_registry(user):
        return {"rows": [], "count": 0, "show": False}
    return {"rows": queries.self_registrations_waiting(user, limit=limit),
            "count": queries.count_self_registrations_waiting(user), "show": True}
