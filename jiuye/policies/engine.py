"""Evaluation of policies, two ways that must agree (tests/test_policies_agreement.py):

- ``explain_event(policy, event, as_of)``: one event, in Python over the records, with a full trace
  (each condition with the fact and its source record, each parameter with its value and legal basis,
  the limits, the claim window), stored with every decision so that it can be replayed;
- ``screen_policy(policy, as_of)``: every candidate event at once, the conditions as one SQL filter per
  policy (the same pack runs unchanged on SQLite and PostgreSQL); amounts, months and limits are then
  computed by the same Python functions as for one event, over the rows the query returned.

The parameters a policy reads are the installed ones (shipped and deployment files) plus the dated values
of the pack versions in use; a deployment file replaces a pack's value of the same key and jurisdiction.
"""
from __future__ import annotations

import contextlib
import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable

from dateutil.relativedelta import relativedelta
from django.db import DatabaseError, connection
from django.db.models import Case, IntegerField, Q, Value, When

from jiuye.parameters import SCHEMA
from jiuye.parameters.resolve import NotInForceAnswer, NotSetAnswer, Table
from jiuye.parameters.store import load_values
from jiuye.policies.models import LedgerSlot, PackVersion, Policy
from jiuye.policies.pack import value_from_json
from jiuye.policies.vocabulary import CONDITIONS, EVENTS, FACTS, Ctx, Event, fmt, nullable_path
from jiuye.regions.queries import within_q

CENT = Decimal("0.01")


# ---------------------------------------------------------------------------------------------
# Parameters: installed values + the values of pack versions

_tables: dict[tuple, Table] = {}


def table_for(versions: Iterable[PackVersion]) -> Table:
    """The parameter table with these pack versions' values (cached per set of versions)."""
    versions = sorted({v.pk: v for v in versions}.values(), key=lambda v: v.pk)
    from jiuye.parameters.store import deployment_dir

    key = (tuple(v.pk for v in versions), SCHEMA.version, deployment_dir())
    found = _tables.get(key)
    if found is not None:
        return found
    installed = load_values()  # shipped files, with the deployment's replacing them key by key
    deployed_dir = deployment_dir()
    deployed = {(v.jurisdiction, v.key) for v in installed if deployed_dir and v.path.startswith(deployed_dir)}
    # a pack's value replaces a shipped one of the same key and jurisdiction; a deployment's replaces the pack's
    pack_values = [v for version in versions for v in map(value_from_json, version.values)
                   if (v.jurisdiction, v.key) not in deployed]
    from_packs = {(v.jurisdiction, v.key) for v in pack_values}
    values = [v for v in installed if (v.jurisdiction, v.key) not in from_packs] + pack_values
    table = Table(values, SCHEMA)
    if len(_tables) > 64:
        _tables.clear()
    _tables[key] = table
    return table


def clear_tables() -> None:
    _tables.clear()


def current_versions() -> list[PackVersion]:
    """The latest version of every pack."""
    latest: dict[int, PackVersion] = {}
    for v in PackVersion.objects.select_related("pack").order_by("pack_id", "number"):
        latest[v.pack_id] = v
    return list(latest.values())


def policies_in_force(as_of: datetime.date, codes: Iterable[str] | None = None) -> list[Policy]:
    """The policies of the current pack versions that have started by ``as_of`` (optionally only ``codes``)."""
    qs = Policy.objects.filter(version__in=current_versions()).filter(Q(period_from__isnull=True) | Q(period_from__lte=as_of))
    if codes:
        qs = qs.filter(code__in=list(codes))
    return list(qs.select_related("version__pack").order_by("code"))


# ---------------------------------------------------------------------------------------------
# Results


@dataclass
class Entitlement:
    policy: Policy
    event_type: str
    event_id: int
    event_date: datetime.date
    beneficiary: str  # "person" | "employer"
    person_id: int | None
    employer_id: int | None
    region_id: str  # where it is handled: the person's community, else the employer's region
    eligible: bool
    amount: Decimal | None = None
    unit: str = "once"
    months: int | None = None
    first_month: datetime.date | None = None
    trace: dict = field(default_factory=dict)
    blocked: str = ""  # why it cannot be paid although eligible (an amount not set)

    @property
    def beneficiary_key(self) -> str:
        return f"P{self.person_id}" if self.beneficiary == "person" else f"E{self.employer_id}"

    @property
    def subject_key(self) -> str:
        if self.person_id is not None:
            return f"P{self.person_id}"
        return f"{self.event_type}:{self.event_id}"

    @property
    def total(self) -> Decimal | None:
        if self.amount is None:
            return None
        return (self.amount * (self.months or 1)) if self.unit == "month" else self.amount

    def key(self) -> tuple:
        """What the two faces compare."""
        return (self.policy.code, self.event_type, self.event_id, self.beneficiary_key, self.person_id, self.amount,
                self.unit, self.months)


# ---------------------------------------------------------------------------------------------
# Shared pieces (both faces call these)


def window_months(policy: Policy, table: Table, as_of: datetime.date) -> int | None:
    """The claim window in months for the pack's jurisdiction on ``as_of`` (None: not set → no window)."""
    key = policy.spec.get("claim_window") or "policies.claim_window_months"
    answer = table.answers(policy.version.pack.jurisdiction or None, as_of).get(key)
    return int(answer.value) if answer is not None and not isinstance(answer, (NotSetAnswer, NotInForceAnswer)) else None


def date_bounds(policy: Policy, table: Table, as_of: datetime.date) -> tuple[datetime.date | None, datetime.date]:
    """Events dated in [lo, hi] are covered on ``as_of``: within the policy's period, not after ``as_of``,
    and not so old that the claim window has closed."""
    hi = as_of if policy.period_to is None else min(as_of, policy.period_to)
    lo = policy.period_from
    w = window_months(policy, table, as_of)
    if w is not None:
        opened = as_of - relativedelta(months=w) + datetime.timedelta(days=1)
        lo = opened if lo is None else max(lo, opened)
    return lo, hi


def month_start(d: datetime.date) -> datetime.date:
    return datetime.date(d.year, d.month, 1)


def _month_index(d: datetime.date) -> int:
    return d.year * 12 + d.month - 1


def resolve(table: Table, region_code: str, on: datetime.date, key: str):
    return table.answers(region_code, on).get(key)


def evaluate_amount(expr: dict, table: Table, region_code: str, on: datetime.date, facts: dict[str, Decimal],
                    trace: list) -> Decimal | None:
    """An amount expression; parameters read at ``region_code`` on ``on``; None when one is not set."""
    if "param" in expr:
        key = expr["param"]
        answer = resolve(table, region_code, on, key)
        parameter = SCHEMA.get(key)
        entry = {"key": key, "label": str(parameter.label) if parameter else key, "unit": getattr(parameter, "unit", "")}
        if answer is None or isinstance(answer, (NotSetAnswer, NotInForceAnswer)):
            entry.update(value=None, cite="未设置（须由部署方按本地文件录入）" if not isinstance(answer, NotInForceAnswer)
                         else "不在有效期内")
            trace.append(entry)
            return None
        entry.update(value=str(answer.value), cite=answer.cite())
        trace.append(entry)
        return Decimal(str(answer.value))
    if "fact" in expr:
        name = expr["fact"]
        value = facts.get(name)
        trace.append({"fact": name, "label": FACTS[name][0], "value": None if value is None else str(value)})
        return value
    parts = [evaluate_amount(e, table, region_code, on, facts, trace) for e in next(iter(expr.values()))]
    if any(p is None for p in parts):
        return None
    if "times" in expr:
        out = Decimal(1)
        for p in parts:
            out *= p
        return out
    return sum(parts, Decimal(0))


def facts_used(expr: dict) -> set[str]:
    if "fact" in expr:
        return {expr["fact"]}
    if "param" in expr:
        return set()
    return set().union(*(facts_used(e) for e in next(iter(expr.values()))))


def param_value(table: Table, region_code: str, on: datetime.date, key: str, trace: list) -> int | None:
    out = evaluate_amount({"param": key}, table, region_code, on, {}, trace)
    return None if out is None else int(out)


def first_month(event_type: str, on: datetime.date) -> datetime.date:
    """The first month a monthly benefit pays: the event's month, or the next one for events that end
    something paid for their own month (the unemployment insurance benefit's last month is the benefit's)."""
    first = month_start(on)
    if EVENTS[event_type].pays_from_next_month:
        first = (first + datetime.timedelta(days=32)).replace(day=1)
    return first


def months_payable(case: dict, policy: Policy, table: Table, region_code: str, on: datetime.date,
                   retirement_date: datetime.date | None, trace: list, first: datetime.date | None = None
                   ) -> tuple[int | None, str]:
    """How many months a monthly benefit pays from its first month (``first``, default the event's month),
    within its maximum, the policy's end date and (for ``until_retirement``) the month before retirement.
    Parameters are read on the event's date ``on``. (None, reason) when unknown."""
    start = _month_index(first or on)
    limits = []
    if case.get("months") == "until_retirement":
        if retirement_date is None:
            return None, "无法定退休日期"
        limits.append(_month_index(retirement_date) - start)
    if case.get("max_months"):
        n = param_value(table, region_code, on, case["max_months"], trace)
        if n is None:
            return None, "最长月数未设置"
        limits.append(n)
    if policy.period_to is not None:
        limits.append(_month_index(policy.period_to) - start + 1)
    return max(0, min(limits)), ""


def month_keys(first: datetime.date, months: int) -> list[str]:
    start = _month_index(first)
    return [f"{(start + i) // 12:04d}-{(start + i) % 12 + 1:02d}" for i in range(months)]


def limits_held(policy: Policy, ent: Entitlement, slots: "SlotIndex") -> tuple[bool, str]:
    limits = policy.spec.get("limits") or {}
    kind = policy.kind
    if ent.unit == "month" and ent.first_month is not None and ent.months:
        taken = [m for m in month_keys(ent.first_month, ent.months) if slots.month(kind, ent.subject_key, m)]
        if taken:
            return False, f"同一人员同一月份已享受同类补贴（{'、'.join(taken[:6])}{'等' if len(taken) > 6 else ''}）"
    if limits.get("once"):
        if slots.once(kind, ent.beneficiary_key, ent.subject_key):
            return False, "已享受过同类一次性补贴（同一受益人、同一人员）"
        return True, "未享受过同类一次性补贴"
    if limits.get("times"):
        trace: list = []
        n = param_value(slots.table, ent.region_id, ent.event_date, limits["times"], trace)
        used = slots.times(kind, ent.beneficiary_key)
        if n is not None and used >= n:
            return False, f"已享受{used}次，累计不超过{n}次"
        return True, f"已享受{used}次" + (f"，累计不超过{n}次" if n is not None else "")
    return True, ""


class SlotIndex:
    """The ledger slots of the kinds being evaluated, read once (both faces use it)."""

    def __init__(self, kinds: Iterable[str], table: Table, exclude_claim_id: int | None = None,
                 keys: tuple[str, str] | None = None):
        self.table = table
        self._once: set[tuple[str, str, str]] = set()
        self._times: dict[tuple[str, str], int] = {}
        self._months: set[tuple[str, str, str]] = set()
        qs = LedgerSlot.objects.filter(kind__in=set(kinds))
        if keys is not None:  # one entitlement: only its beneficiary's and its subject's slots can matter
            qs = qs.filter(Q(beneficiary_key=keys[0]) | Q(subject_key=keys[1]))
        if exclude_claim_id is not None:
            qs = qs.exclude(claim_id=exclude_claim_id)
        for kind, b, s, period in qs.values_list("kind", "beneficiary_key", "subject_key", "period_key"):
            if period == "once":
                self._once.add((kind, b, s))
            elif period.startswith("n"):
                self._times[(kind, b)] = self._times.get((kind, b), 0) + 1
            else:  # a month ("2020-05"): monthly slots are per person whoever is paid
                self._months.add((kind, s, period))

    def once(self, kind, b, s) -> bool:
        return (kind, b, s) in self._once

    def times(self, kind, b) -> int:
        return self._times.get((kind, b), 0)

    def month(self, kind, s, period) -> bool:
        return (kind, s, period) in self._months


def finish(policy: Policy, ent: Entitlement, case: dict | None, table: Table, facts: dict, retirement_date,
           slots: SlotIndex, trace: dict) -> Entitlement:
    """Amount, months and limits of an entitlement whose conditions held (both faces)."""
    if case is None:
        ent.eligible = False
        trace["checks"].append({"label": "补贴情形", "held": False, "fact": "不符合任何一种补贴情形", "source": ""})
        return ent
    unit = policy.spec["benefit"]["unit"]
    ent.unit = unit
    ptrace: list = []
    amount = evaluate_amount(case["amount"], table, ent.region_id, ent.event_date, facts, ptrace)
    ent.amount = None if amount is None else amount.quantize(CENT, rounding=ROUND_HALF_UP)
    if unit == "month":
        ent.first_month = first_month(ent.event_type, ent.event_date)
        months, why = months_payable(case, policy, table, ent.region_id, ent.event_date, retirement_date, ptrace,
                                     first=ent.first_month)
        ent.months = months
        if months is not None and months <= 0:
            ent.eligible = False
            trace["checks"].append({"label": "可发放月数", "held": False, "fact": "事件月份已超出可发放期限", "source": ""})
        elif months is None:
            ent.blocked = why
    if ent.amount is None:
        ent.blocked = "补贴标准未设置，可筛查和说明，不能发放（须由部署方按本地文件设定）"
    ok, text = limits_held(policy, ent, slots)
    if text:
        trace["checks"].append({"label": "享受次数限制", "held": ok, "fact": text, "source": "补贴台账"})
    ent.eligible = ent.eligible and ok
    trace["benefit"] = {"case": case.get("label", ""), "unit": unit, "parameters": ptrace,
                        "amount": None if ent.amount is None else str(ent.amount), "months": ent.months,
                        "first_month": ent.first_month.isoformat() if ent.first_month else None,
                        "total": None if ent.total is None else str(ent.total), "blocked": ent.blocked}
    trace["eligible"] = ent.eligible
    return ent


# ---------------------------------------------------------------------------------------------
# Face (a): one event, with the trace


def _resolve_path(obj, path: str | None):
    if path is None:
        return None
    if path == "":
        return obj
    for part in path.split("__"):
        obj = getattr(obj, part)
        if obj is None:
            return None
    return obj


def _conditions_py(conds: list, ctx: Ctx, out: list) -> bool:
    held_all = True
    for c in conds:
        held_all &= _condition_py(c, ctx, out)
    return held_all


def _condition_py(c: dict, ctx: Ctx, out: list) -> bool:
    if "any" in c or "all" in c:
        group = "any" if "any" in c else "all"
        inner: list = []
        results = [_condition_py(x, ctx, inner) for x in c[group]]
        held = any(results) if group == "any" else all(results)
        out.append({"label": "满足下列任一条件" if group == "any" else "同时满足下列条件", "held": held, "fact": "",
                    "source": "", "items": inner})
        return held
    cond = CONDITIONS[c["name"]]
    if (cond.needs == "person" and ctx.person is None) or (cond.needs == "employer" and ctx.employer is None):
        # a loan borrowed by a business has no person; an employment without employer has no employer
        held, fact, source = False, ("无人员" if cond.needs == "person" else "无单位"), ""
    else:
        held, fact, source = cond.explain(ctx, c["arg"])
    out.append({"label": _cond_label(cond, c["arg"]), "held": bool(held), "fact": fact, "source": source})
    return bool(held)


def _cond_label(cond, arg) -> str:
    if isinstance(arg, bool):
        return cond.label if arg else f"非：{cond.label}"
    if isinstance(arg, list):
        return f"{cond.label}：{'、'.join(arg)}"
    return cond.label.replace("N", str(arg))


def beneficiary_of(policy: Policy, person, employer) -> str:
    b = policy.spec["beneficiary"]
    if b == "borrower":
        return "person" if person is not None else "employer"
    return b


def explain_event(policy: Policy, event_obj, as_of: datetime.date, *, table: Table | None = None,
                  slots: SlotIndex | None = None, exclude_claim_id: int | None = None) -> Entitlement:
    """Face (a): is this event entitled under ``policy`` as of ``as_of``, how much, and why. Without ``slots``, the
    ledger slots of this entitlement's beneficiary and subject are read (less ``exclude_claim_id``'s)."""
    table = table or table_for([policy.version])
    ev = EVENTS[policy.event]
    on = getattr(event_obj, ev.date)
    person = _resolve_path(event_obj, ev.person)
    employer = _resolve_path(event_obj, ev.employer)
    beneficiary = beneficiary_of(policy, person, employer)
    bregion = person.region_id if beneficiary == "person" else (employer.region_id if employer is not None else "")
    ent = Entitlement(policy=policy, event_type=ev.name, event_id=event_obj.pk, event_date=on, beneficiary=beneficiary,
                      person_id=person.pk if person is not None else None,
                      employer_id=employer.pk if (employer is not None and beneficiary == "employer") else None,
                      region_id=bregion, eligible=True, unit=policy.spec["benefit"]["unit"])
    slots = slots or SlotIndex([policy.kind], table, exclude_claim_id=exclude_claim_id,
                               keys=(ent.beneficiary_key, ent.subject_key))
    checks: list = []
    trace = {"as_of": as_of.isoformat(), "policy": _policy_trace(policy), "event": {
        "type": ev.name, "label": ev.label_of(event_obj), "date": on.isoformat() if on else None,
        "source": f"{ev.model}#{event_obj.pk}"}, "checks": checks}
    lo, hi = date_bounds(policy, table, as_of)
    in_period = on is not None and (lo is None or on >= lo) and on <= hi
    period_text = _period_text(policy, table, as_of, lo, hi)
    checks.append({"label": "事件日期在政策实施期限和申领期限内", "held": in_period, "fact": f"事件日期{fmt(on)}；{period_text}",
                   "source": f"{ev.model}#{event_obj.pk}"})
    if ev.name == "employment":  # a voided or corrected registration is no event any more
        counts = ev.queryset(few=True).filter(pk=event_obj.pk).exists()
        if not counts:
            checks.append({"label": "依据的登记记录有效", "held": False, "fact": "该登记已作废或已被更正",
                           "source": f"{ev.model}#{event_obj.pk}"})
        in_period = in_period and counts
    prefix = policy.version.pack.jurisdiction
    in_area = bool(bregion) and (not prefix or bregion.startswith(prefix))
    checks.append({"label": f"受益对象在{policy.version.pack.jurisdiction_name or '本辖区'}", "held": in_area,
                   "fact": f"所在区划代码{bregion or '无'}", "source": ""})
    ctx = Ctx(event=event_obj, person=person, employer=employer, on=on)
    if person is None and ev.person is not None and policy.spec["beneficiary"] != "borrower":
        held = False
    else:
        held = _conditions_py(policy.spec["conditions"], ctx, checks)
    ent.eligible = bool(in_period and in_area and held)
    case = None
    for c in policy.spec["benefit"]["cases"]:
        case_trace: list = []
        if _conditions_py(c["when"], ctx, case_trace) if c["when"] else True:
            case = c
            break
    facts = {name: FACTS[name][2](event_obj) for name in _case_facts(policy)}
    retirement = person.retirement_date if person is not None else None
    finish(policy, ent, case, table, facts, retirement, slots, trace)
    ent.eligible = ent.eligible and in_period and in_area and held
    trace["eligible"] = ent.eligible
    ent.trace = trace
    return ent


def _case_facts(policy: Policy) -> set[str]:
    return set().union(*(facts_used(c["amount"]) for c in policy.spec["benefit"]["cases"]))


def _period_text(policy, table, as_of, lo, hi) -> str:
    parts = []
    if policy.period_from or policy.period_to:
        parts.append(f"政策实施期限{fmt(policy.period_from) if policy.period_from else '不限'}至{fmt(policy.period_to) if policy.period_to else '不限'}")
    w = window_months(policy, table, as_of)
    if w is not None:
        parts.append(f"申领期限为事件之日起{w}个月")
    parts.append(f"截至{fmt(as_of)}可受理{fmt(lo) if lo else '不限'}至{fmt(hi)}的事件")
    return "；".join(parts)


def _policy_trace(policy: Policy) -> dict:
    return {"code": policy.code, "name": policy.name, "version_id": policy.version_id,
            "pack": policy.version.pack.code, "version": policy.version.number,
            "basis": policy.spec.get("basis", {}), "jurisdiction": policy.version.pack.jurisdiction}


def candidate_events(policy: Policy, *, person=None, employer=None):
    """The event rows of ``policy``'s event about ``person`` and/or paying ``employer`` (no condition applied)."""
    ev = EVENTS[policy.event]
    qs = ev.queryset(few=person is not None or employer is not None)
    if person is not None:
        if ev.person is None:
            return qs.none()
        qs = qs.filter(**({"pk": person.pk} if ev.person == "" else {ev.person: person}))
    if employer is not None:
        if ev.employer is None:
            return qs.none()
        qs = qs.filter(**{ev.employer: employer})
    related = [path for path in (ev.person, ev.employer) if path]  # the explanation reads both
    return qs.select_related(*related).order_by(ev.date, "pk")


def explain(policy: Policy, as_of: datetime.date, *, person=None, employer=None) -> list[Entitlement]:
    """Face (a) for a person and/or an employer: every candidate event explained."""
    table = table_for([policy.version])
    slots = SlotIndex([policy.kind], table)
    return [explain_event(policy, e, as_of, table=table, slots=slots) for e in candidate_events(policy, person=person, employer=employer)]


# ---------------------------------------------------------------------------------------------
# Face (b): everyone, set-based


def _conditions_q(conds: list, ev: Event) -> Q:
    q = Q()
    for c in conds:
        q &= _condition_q(c, ev)
    return q


def _condition_q(c: dict, ev: Event) -> Q:
    if "any" in c:
        out = Q(pk__in=[])
        for x in c["any"]:
            out |= _condition_q(x, ev)
        return out
    if "all" in c:
        return _conditions_q(c["all"], ev)
    cond = CONDITIONS[c["name"]]
    q = cond.q(ev, c["arg"])
    # as in the Python face: a condition about a person (an employer) never holds on a row without one
    if cond.needs == "person" and nullable_path(ev, ev.person):
        q = Q(**{f"{ev.person}__isnull": False}) & q
    elif cond.needs == "employer" and nullable_path(ev, ev.employer):
        q = Q(**{f"{ev.employer}__isnull": False}) & q
    return q


def screen_policy(policy: Policy, as_of: datetime.date, *, table: Table | None = None, slots: SlotIndex | None = None,
                  region_prefix: str | None = None, eligible_only: bool = True) -> list[Entitlement]:
    """Face (b): every entitled event of ``policy`` as of ``as_of`` (optionally within ``region_prefix``)."""
    table = table or table_for([policy.version])
    slots = slots or SlotIndex([policy.kind], table)
    ev = EVENTS[policy.event]
    lo, hi = date_bounds(policy, table, as_of)
    qs = ev.queryset().filter(**{f"{ev.date}__lte": hi})
    if lo is not None:
        qs = qs.filter(**{f"{ev.date}__gte": lo})
    prefix = policy.version.pack.jurisdiction
    b = policy.spec["beneficiary"]
    p_region = None if ev.person is None else ("region_id" if ev.person == "" else f"{ev.person}__region_id")
    e_region = None if ev.employer is None else f"{ev.employer}__region_id"
    if b == "person":
        qs = qs.filter(within_q(prefix, p_region))
    elif b == "employer":
        # the region range joins the employer (an inner join: never NULL); only a national pack needs the
        # explicit test, which on PostgreSQL otherwise tempts the planner into a whole-table scan of the FK index
        qs = qs.filter(within_q(prefix, e_region)) if prefix else qs.filter(**{f"{ev.employer}__isnull": False})
    else:  # borrower: whoever borrowed
        qs = qs.filter((Q(**{f"{ev.person}__isnull": False}) & within_q(prefix, p_region))
                       | (Q(**{f"{ev.person}__isnull": True}) & within_q(prefix, e_region)))
    if region_prefix:  # where the entitlement is handled: the beneficiary's region (Entitlement.region_id)
        if b == "person":
            qs = qs.filter(within_q(region_prefix, p_region))
        elif b == "employer":
            qs = qs.filter(within_q(region_prefix, e_region))
        else:
            qs = qs.filter((Q(**{f"{ev.person}__isnull": False}) & within_q(region_prefix, p_region))
                           | (Q(**{f"{ev.person}__isnull": True}) & within_q(region_prefix, e_region)))
    if ev.person is not None and b != "borrower" and nullable_path(ev, ev.person):
        qs = qs.filter(**{f"{ev.person}__isnull": False})
    qs = qs.filter(_conditions_q(policy.spec["conditions"], ev))
    cases = policy.spec["benefit"]["cases"]
    whens, default = [], -1
    for i, c in enumerate(cases):
        if not c["when"]:
            default = i  # a case without conditions: everyone the earlier cases did not take
            break
        whens.append(When(_conditions_q(c["when"], ev), then=Value(i)))
    qs = qs.annotate(_case=Case(*whens, default=Value(default), output_field=IntegerField()) if whens else Value(default))
    names = sorted(_case_facts(policy))
    qs = qs.annotate(**{f"_f_{n}": FACTS[n][3]() for n in names})
    wanted = {"id": "pk", "date": ev.date, "case": "_case"}
    if ev.person is not None:
        wanted.update(person=("pk" if ev.person == "" else f"{ev.person}_id"), p_region=p_region,
                      retirement=("retirement_date" if ev.person == "" else f"{ev.person}__retirement_date"))
    if ev.employer is not None:
        wanted.update(employer=f"{ev.employer}_id", e_region=e_region)
    for n in names:
        wanted[f"fact_{n}"] = f"_f_{n}"
    labels = list(wanted)
    out = []
    for row in qs.order_by().values_list(*wanted.values()):
        r = dict(zip(labels, row))
        pid = r.get("person")
        beneficiary = ("person" if pid is not None else "employer") if b == "borrower" else b
        region = r.get("p_region") if beneficiary == "person" else r.get("e_region")
        ent = Entitlement(policy=policy, event_type=ev.name, event_id=r["id"], event_date=r["date"], beneficiary=beneficiary,
                          person_id=pid, employer_id=r.get("employer") if beneficiary == "employer" else None,
                          region_id=region or "", eligible=True)
        trace = {"checks": []}
        case = cases[r["case"]] if r["case"] >= 0 else None
        # the facts are money or counts with at most two decimals: SQLite sums them as floats
        facts = {n: (None if r[f"fact_{n}"] is None else Decimal(str(r[f"fact_{n}"])).quantize(CENT)) for n in names}
        finish(policy, ent, case, table, facts, r.get("retirement"), slots, trace)
        if ent.eligible or not eligible_only:
            out.append(ent)
    return out


#: Planner settings for a screening on PostgreSQL, restored after: the JIT compiles each query for longer
#: than it runs (~150 ms of ~300 ms on 150,000 persons), and with the default random_page_cost (4, a spinning
#: disk) the planner hashes the whole person table instead of looking up the few thousand hires it needs
#: (2.3 s → 1.2 s for one policy on 1,000,000 persons). 1.1 is the usual value for SSDs.
SCREENING_SETTINGS = {"jit": "off", "random_page_cost": "1.1"}


@contextlib.contextmanager
def _screening_settings():
    if connection.vendor != "postgresql":
        yield
        return
    before = {}
    with connection.cursor() as cursor:
        for name, value in SCREENING_SETTINGS.items():
            cursor.execute("SELECT current_setting(%s)", [name])
            before[name] = cursor.fetchone()[0]
            cursor.execute("SELECT set_config(%s, %s, false)", [name, value])
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                for name, value in before.items():
                    cursor.execute("SELECT set_config(%s, %s, false)", [name, value])
        except DatabaseError:  # the transaction failed: PostgreSQL reverts the settings with it
            pass


def screen(as_of: datetime.date, *, codes: Iterable[str] | None = None, region_prefix: str | None = None) -> list[Entitlement]:
    """Every policy in force on ``as_of`` (or ``codes``) against everyone: the entitled events."""
    with _screening_settings():
        return _screen(as_of, codes=codes, region_prefix=region_prefix)


def _screen(as_of: datetime.date, *, codes: Iterable[str] | None = None, region_prefix: str | None = None) -> list[Entitlement]:
    policies = policies_in_force(as_of, codes)
    out: list[Entitlement] = []
    # each policy reads the installed parameters and its own pack version's values (as explain does): one
    # pack's values never leak into another's policies
    by_version: dict[int, list[Policy]] = {}
    for p in policies:
        by_version.setdefault(p.version_id, []).append(p)
    for group in by_version.values():
        table = table_for([group[0].version])
        slots = SlotIndex({p.kind for p in group}, table)
        for policy in group:
            out.extend(screen_policy(policy, as_of, table=table, slots=slots, region_prefix=region_prefix))
    return out


# ---------------------------------------------------------------------------------------------
# Lookups the services use


def event_object(event_type: str, event_id: int):
    """The event row a claim or a result points at (raises the model's DoesNotExist)."""
    ev = EVENTS[event_type]
    return ev.model_class().objects.get(pk=event_id)


def current_policy(code: str) -> Policy | None:
    """The policy ``code`` in the latest version of its pack (None when no loaded pack has it)."""
    return (Policy.objects.filter(code=code, version__in=current_versions()).select_related("version__pack").first())


def reevaluate(code: str, event_type: str, event_id: int, as_of: datetime.date, *, exclude_claim_id: int | None = None
               ) -> Entitlement:
    """The entitlement as the current version of policy ``code`` sees it on ``as_of`` (a review, an approval):
    limits ignore the slots of ``exclude_claim_id`` (the claim under decision)."""
    policy = current_policy(code)
    if policy is None:
        raise LookupError(code)
    return explain_event(policy, event_object(event_type, event_id), as_of, exclude_claim_id=exclude_claim_id)
