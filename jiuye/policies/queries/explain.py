"""One explanation (face (a) of the engine) for a reader: a policy, a person (identity number) and/or an
employer (credit code), a date → every candidate event explained, with the trace. Scoped like the registry's
reads (a person or employer outside the reader's scope is "not found") and audited as a read of the person
(and of the employer). The CLI, the web page and the API call ``explain_for``; ``trace_lines`` renders a
trace in Chinese for the terminal and ``trace_rows`` as table rows for the web page.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from jiuye.accounts import audit
from jiuye.accounts.models import AuditEntry
from jiuye.policies import engine
from jiuye.policies.models import Policy
from jiuye.registry import identity
from jiuye.registry.models import Employer, Person
from jiuye.registry.queries import NotFound, employers_visible_to, persons_visible_to, record_person_read


@dataclass
class Explanation:
    policy: Policy
    as_of: datetime.date
    person: Person | None
    employer: Employer | None
    entitlements: list[engine.Entitlement]


def _person(user, id_number: str) -> Person:
    try:
        number = identity.parse_resident_id(identity.normalise(id_number)).number
    except (identity.IdentityError, ValueError, ValidationError) as exc:
        raise ValidationError({"person": [f"公民身份号码：“{id_number}”无效（{_msg(exc)}）"]}) from None
    qs = Person.objects.all() if user is None else persons_visible_to(user)
    person = qs.select_related("region").filter(id_number=number).first()
    if person is None:
        raise NotFound("人员不存在或不在您的管辖范围内")
    return person


def _employer(user, credit_code: str) -> Employer:
    try:
        code = identity.parse_credit_code(credit_code.strip().upper())
    except (identity.IdentityError, ValueError, ValidationError) as exc:
        raise ValidationError({"employer": [f"统一社会信用代码：“{credit_code}”无效（{_msg(exc)}）"]}) from None
    qs = Employer.objects.all() if user is None else employers_visible_to(user)
    employer = qs.select_related("region").filter(credit_code=code).first()
    if employer is None:
        raise NotFound("单位不存在或不在您的管辖范围内")
    return employer


def _msg(exc) -> str:
    return "；".join(getattr(exc, "messages", None) or [str(exc)])


def explain_for(user, code: str, as_of: datetime.date, *, id_number: str = "", credit_code: str = "",
                audit_read: bool = True) -> Explanation:
    """The explanation of policy ``code`` for a person and/or an employer on ``as_of`` (``user`` None: an
    operator at the command line, unscoped; still audited)."""
    if not id_number and not credit_code:
        raise ValidationError({"person": ["请填写公民身份号码或统一社会信用代码（单位招用某人的补贴两者都填）"]})
    policy = engine.current_policy(code)
    if policy is None:
        raise ValidationError({"policy": [f"政策：“{code}”不存在（未加载含该政策的政策包）"]})
    person = _person(user, id_number) if id_number else None
    employer = _employer(user, credit_code) if credit_code else None
    ents = engine.explain(policy, as_of, person=person, employer=employer)
    if audit_read:
        summary = f"查看政策说明：{policy.code}（{as_of.isoformat()}）"
        if person is not None:
            record_person_read(user, person, summary=summary)
        if employer is not None:
            audit.record(user, AuditEntry.Action.VIEW, object_type="employer", object_id=employer.pk,
                         object_label=employer.name, region_code=employer.region_id, summary=summary)
    return Explanation(policy, as_of, person, employer, ents)


# ---------------------------------------------------------------------------------------------
# Rendering a trace


def _check_rows(checks: list, depth: int = 0) -> list[dict]:
    rows = []
    for c in checks:
        rows.append({"depth": depth, "indent": "\u3000" * depth, "label": c.get("label", ""), "held": c.get("held"), "fact": c.get("fact", ""),
                     "source": c.get("source", "")})
        rows.extend(_check_rows(c.get("items") or [], depth + 1))
    return rows


def trace_rows(ent: engine.Entitlement) -> dict:
    """What the web page and the API show of one entitlement's trace."""
    t = ent.trace or {}
    benefit = t.get("benefit") or {}
    params = []
    for p in benefit.get("parameters") or []:
        if "fact" in p:
            params.append({"label": p.get("label", ""), "value": p.get("value"), "unit": "", "cite": "事实"})
        else:
            params.append({"label": p.get("label", ""), "value": p.get("value"), "unit": p.get("unit", ""),
                           "cite": p.get("cite", "")})
    return {"event": t.get("event", {}), "eligible": ent.eligible, "checks": _check_rows(t.get("checks") or []),
            "parameters": params, "amount": None if ent.amount is None else str(ent.amount), "unit": ent.unit,
            "months": ent.months, "total": None if ent.total is None else str(ent.total), "blocked": ent.blocked,
            "case": benefit.get("case", ""), "beneficiary": ent.beneficiary, "event_type": ent.event_type,
            "event_id": ent.event_id, "event_date": ent.event_date}


def amount_words(ent: engine.Entitlement) -> str:
    if ent.amount is None:
        return "标准未设置（不能发放）"
    amount = _n(ent.amount)
    if ent.unit == "month":
        months = f"，{ent.months}个月，合计{_n(ent.total)}元" if ent.months is not None else "，月数未定"
        return f"每月{amount}元{months}"
    return f"一次性{amount}元"


def _n(d) -> str:
    text = f"{d:.2f}"
    return text[:-3] if text.endswith(".00") else text


def trace_lines(ent: engine.Entitlement) -> list[str]:
    """The trace in Chinese, one line per condition and parameter (the CLI)."""
    t = ent.trace or {}
    ev = t.get("event", {})
    pol = t.get("policy", {})
    basis = pol.get("basis") or {}
    out = [f"依据事件：{ev.get('label', '')}（{ev.get('source', '')}）",
           f"政策：{pol.get('code', '')} {pol.get('name', '')}（政策包 {pol.get('pack', '')} 第{pol.get('version', '')}版；"
           f"依据{basis.get('document', '')}{basis.get('article', '')}）",
           "条件："]
    for row in _check_rows(t.get("checks") or []):
        mark = "✓" if row["held"] else "✗"
        source = f"［{row['source']}］" if row["source"] else ""
        fact = f"：{row['fact']}" if row["fact"] else ""
        out.append(f"{'  ' * (row['depth'] + 1)}{mark} {row['label']}{fact}{source}")
    benefit = t.get("benefit") or {}
    if benefit.get("parameters"):
        out.append("参数：")
        for p in benefit["parameters"]:
            if "fact" in p:
                out.append(f"  {p.get('label', '')} = {p.get('value') if p.get('value') is not None else '无'}（事实）")
            elif p.get("value") is None:
                out.append(f"  {p.get('label', '')}：未设置（{p.get('cite', '')}）")
            else:
                out.append(f"  {p.get('label', '')} = {p.get('value')}{p.get('unit', '')}（{p.get('cite', '')}）")
    out.append(f"结论：{'符合' if ent.eligible else '不符合'}" + (f"；{amount_words(ent)}" if ent.eligible else "")
               + (f"；{ent.blocked}" if ent.eligible and ent.blocked else ""))
    return out


def as_json(x: Explanation, *, mask=None) -> dict:
    """The explanation as JSON (the CLI's --json and the API)."""
    def person_number(p):
        return mask(p.id_number) if (p is not None and mask) else (p.id_number if p is not None else None)

    return {
        "policy": x.policy.code, "name": x.policy.name, "as_of": x.as_of.isoformat(),
        "person": person_number(x.person), "employer": x.employer.credit_code if x.employer is not None else None,
        "entitlements": [{
            "event_type": e.event_type, "event_id": e.event_id, "event_date": e.event_date.isoformat() if e.event_date else None,
            "beneficiary": e.beneficiary, "eligible": e.eligible, "amount": None if e.amount is None else str(e.amount),
            "unit": e.unit, "months": e.months, "total": None if e.total is None else str(e.total), "blocked": e.blocked,
            "trace": e.trace} for e in x.entitlements],
    }
