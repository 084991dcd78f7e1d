"""The policy catalogue (政策目录): the policies of the current pack versions in plain words — who benefits,
the amount with the parameter value in force and its legal basis (or "未设置（不能发放）"), the period,
the evidence and the legal basis — and one policy's rule in words (each condition's label). Policies are
public documents: the catalogue is the same for every reader (no personal data, no scope).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from jiuye.parameters import SCHEMA
from jiuye.parameters.resolve import NotInForceAnswer, NotSetAnswer
from jiuye.policies import engine
from jiuye.policies.models import Beneficiary, PackVersion, Policy, Unit
from jiuye.policies.vocabulary import CONDITIONS, EVENTS, FACTS, fmt
from jiuye.regions.codes import pad
from jiuye.registry.queries import NotFound

NOT_SET = "未设置（不能发放）"


@dataclass
class CatalogueSearch:
    pack: str = ""
    kind: str = ""
    beneficiary: str = ""
    text: str = ""
    in_force_on: datetime.date | None = None


def reference_date(policy: Policy, today: datetime.date | None = None) -> datetime.date:
    """The date whose parameter values the catalogue shows: today, within the policy's period."""
    on = today or timezone.localdate()
    if policy.period_to is not None and on > policy.period_to:
        on = policy.period_to
    if policy.period_from is not None and on < policy.period_from:
        on = policy.period_from
    return on


def _param(table, region: str, on: datetime.date, key: str) -> dict:
    answer = table.answers(region, on).get(key)
    parameter = SCHEMA.get(key)
    out = {"key": key, "label": str(parameter.label) if parameter else key, "unit": getattr(parameter, "unit", "") or ""}
    if answer is None or isinstance(answer, NotSetAnswer):
        out.update(value=None, text=NOT_SET, cite="须由部署方按本地文件设定")
    elif isinstance(answer, NotInForceAnswer):
        out.update(value=None, text=NOT_SET, cite="该日不在有效期内")
    else:
        value = answer.value
        out.update(value=str(value), text=f"{_num(value)}{out['unit']}", cite=answer.cite())
    return out


def _num(value) -> str:
    text = str(value)
    return text[:-3] if text.endswith(".00") else text


def _expr_words(expr: dict, params: list[dict], table, region, on) -> str:
    if "param" in expr:
        p = _param(table, region, on, expr["param"])
        params.append(p)
        return p["label"] if p["value"] is None else p["text"]
    if "fact" in expr:
        return FACTS[expr["fact"]][0]
    parts = [_expr_words(e, params, table, region, on) for e in next(iter(expr.values()))]
    return ("×" if "times" in expr else "＋").join(parts)


def benefit_of(policy: Policy, table=None, on: datetime.date | None = None) -> list[dict]:
    """Each benefit case: its label, the amount in words, its value when every part is set (else None), months."""
    table = table or engine.table_for([policy.version])
    on = on or reference_date(policy)
    region = pad(policy.version.pack.jurisdiction or "")
    unit = policy.spec["benefit"]["unit"]
    out = []
    for case in policy.spec["benefit"]["cases"]:
        params: list[dict] = []
        words = _expr_words(case["amount"], params, table, region, on)
        trace: list = []
        amount = engine.evaluate_amount(case["amount"], table, region, on, {}, trace) if not engine.facts_used(case["amount"]) else None
        amount = None if amount is None else amount.quantize(engine.CENT)
        months = ""
        if case.get("months") == "until_retirement":
            months = "至法定退休年龄"
        if case.get("max_months"):
            mp = _param(table, region, on, case["max_months"])
            params.append(mp)
            months = (f"最长{mp['text']}" if mp["value"] is not None else f"最长月数{NOT_SET}")
        is_set = all(p["value"] is not None for p in params)
        amount_text = (f"{_num(amount)}元" + ("/月" if unit == Unit.MONTH else "")) if amount is not None else (
            words if is_set else NOT_SET)
        out.append({"label": case.get("label", ""), "words": words, "amount": amount, "amount_text": amount_text,
                    "params": params, "months": months, "is_set": is_set,
                    "when": [condition_words(c) for c in case.get("when") or []]})
    return out


def condition_words(c: dict) -> dict:
    """A condition (or an any/all group) in words: {label, items}."""
    if "any" in c or "all" in c:
        group = "any" if "any" in c else "all"
        return {"label": "满足下列任一条件" if group == "any" else "同时满足下列条件",
                "items": [condition_words(x) for x in c[group]]}
    cond = CONDITIONS[c["name"]]
    arg = c["arg"]
    if isinstance(arg, list):
        labels = dict(_choice_labels(cond.arg))
        arg = [str(labels.get(a, a)) for a in arg]
    return {"label": engine._cond_label(cond, arg), "items": []}


def _choice_labels(arg_type: str) -> list[tuple[str, str]]:
    from jiuye.registry.models import Education, EmploymentForm, EmploymentStatus, PovertyStatus, SchoolType, SizeClass

    kind = arg_type.split(":", 1)[1] if ":" in arg_type else ""
    models_ = {"education": Education, "school_type": SchoolType, "size": SizeClass, "form": EmploymentForm,
               "status": EmploymentStatus, "poverty": PovertyStatus}
    if kind in models_:
        return [(c, str(label)) for c, label in models_[kind].choices]
    if kind == "post":
        from jiuye.assistance.models import PostCategory

        return [(c, str(label)) for c, label in PostCategory.choices]
    return []


def period_text(policy: Policy) -> str:
    if policy.period_from is None and policy.period_to is None:
        return "长期"
    return f"{fmt(policy.period_from) if policy.period_from else '不限'}至{fmt(policy.period_to) if policy.period_to else '长期'}"


def _summary(policy: Policy, table) -> dict:
    spec = policy.spec
    ev = EVENTS.get(policy.event)
    basis = spec.get("basis") or {}
    return {
        "policy": policy, "code": policy.code, "name": policy.name, "summary": policy.summary, "kind": policy.kind,
        "pack": policy.version.pack, "version": policy.version,
        "beneficiary": policy.get_beneficiary_display(), "beneficiary_code": policy.beneficiary,
        "event": ev.label if ev else policy.event, "unit": policy.get_unit_display(), "unit_code": policy.unit,
        "period": period_text(policy), "period_from": policy.period_from, "period_to": policy.period_to,
        "evidence": list(spec.get("evidence") or []),
        "basis": basis, "basis_text": "".join(x for x in [basis.get("document", ""), basis.get("article", "")] if x)
        + (f"（{basis['note']}）" if basis.get("note") else ""),
        "benefits": benefit_of(policy, table),
        "limits": limits_words(policy, table),
    }


def limits_words(policy: Policy, table) -> list[str]:
    limits = policy.spec.get("limits") or {}
    out = []
    if limits.get("once"):
        out.append("同一受益人、同一人员只能享受一次同类一次性补贴")
    if limits.get("times"):
        p = _param(table, pad(policy.version.pack.jurisdiction or ""), reference_date(policy), limits["times"])
        out.append(f"累计享受不超过{p['text']}" if p["value"] is not None else f"累计次数上限{NOT_SET}")
    if policy.unit == Unit.MONTH:
        out.append("同一人员同一月份不重复享受同类按月补贴（无论发给单位或个人）")
    return out


def _current_policies(s: CatalogueSearch | None = None):
    s = s or CatalogueSearch()
    qs = Policy.objects.filter(version__in=engine.current_versions()).select_related("version__pack", "version__loaded_by")
    if s.pack:
        qs = qs.filter(version__pack__code=s.pack)
    if s.kind:
        qs = qs.filter(kind=s.kind)
    if s.beneficiary:
        qs = qs.filter(beneficiary=s.beneficiary)
    if s.text:
        from django.db.models import Q

        qs = qs.filter(Q(name__icontains=s.text) | Q(code__icontains=s.text) | Q(summary__icontains=s.text))
    if s.in_force_on:
        from django.db.models import Q

        on = s.in_force_on
        qs = qs.filter(Q(period_from__isnull=True) | Q(period_from__lte=on)).filter(Q(period_to__isnull=True) | Q(period_to__gte=on))
    return qs.order_by("version__pack__code", "code")


def catalogue(s: CatalogueSearch | None = None) -> list[dict]:
    """The policies of the current pack versions, in plain words."""
    policies = list(_current_policies(s))
    table = engine.table_for({p.version_id: p.version for p in policies}.values()) if policies else None
    return [_summary(p, table) for p in policies]


def kinds() -> list[str]:
    return sorted(set(Policy.objects.filter(version__in=engine.current_versions()).values_list("kind", flat=True)))


def packs() -> list[dict]:
    """Every pack with its versions (who loaded them and when), newest first."""
    out: dict[int, dict] = {}
    for v in PackVersion.objects.select_related("pack", "loaded_by").order_by("pack__code", "-number"):
        entry = out.setdefault(v.pack_id, {"pack": v.pack, "versions": []})
        entry["versions"].append({"version": v, "number": v.number, "loaded_by": v.loaded_by.get_username() if v.loaded_by else "系统",
                                  "loaded_at": v.loaded_at, "source_name": v.source_name, "note": v.note,
                                  "policies": v.policies.count()})
    return list(out.values())


def get_policy(code: str) -> dict:
    """One policy of the current versions, in words, with its rule and the versions that carried it."""
    policy = engine.current_policy(code)
    if policy is None:
        raise NotFound("政策不存在（未加载含该政策的政策包）")
    table = engine.table_for([policy.version])
    out = _summary(policy, table)
    out["conditions"] = [condition_words(c) for c in policy.spec.get("conditions") or []]
    out["claim_window"] = engine.window_months(policy, table, reference_date(policy))
    out["versions"] = [{"pack": p.version.pack.code, "number": p.version.number, "loaded_at": p.version.loaded_at,
                        "loaded_by": p.version.loaded_by.get_username() if p.version.loaded_by else "系统",
                        "name": p.name, "current": p.pk == policy.pk}
                       for p in Policy.objects.filter(code=code).select_related("version__pack", "version__loaded_by")
                       .order_by("-version__number")]
    return out


BENEFICIARY_CHOICES = [(c, label) for c, label in Beneficiary.choices]
