"""Policies I may qualify for (可享受的政策): a resident's (their own person, ``registry.queries.linked_person_id``)
or an employer user's (``linked_employer_id``) entitlements today under the current pack versions, explained
one event at a time (engine face (a)), with whether a live claim already holds each. Only what the user is
the beneficiary of: a resident sees the subsidies paid to them, an employer user the ones paid to the
employer.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from jiuye.accounts.models import Role
from jiuye.policies import engine
from jiuye.policies.models import LIVE_STATUSES, Claim
from jiuye.policies.queries.explain import amount_words
from jiuye.policies.vocabulary import EVENTS
from jiuye.registry.models import Employer, Person
from jiuye.registry.queries import linked_employer_id, linked_person_id

MAX_EVENTS = 200  # per policy: the newest candidate events within the claim window


@dataclass
class MyEntitlement:
    policy: object
    ent: engine.Entitlement
    claimed: bool
    amount_text: str
    reasons: list[dict] = field(default_factory=list)  # the conditions that held, in words


@dataclass
class Mine:
    person: Person | None
    employer: Employer | None
    on: datetime.date
    rows: list[MyEntitlement]


def whose(user) -> tuple[Person | None, Employer | None]:
    if not getattr(user, "is_authenticated", False):
        return None, None
    if user.role == Role.RESIDENT:
        pid = linked_person_id(user)
        return (Person.objects.select_related("region").filter(pk=pid).first() if pid else None), None
    if user.role == Role.EMPLOYER_USER:
        eid = linked_employer_id(user)
        return None, (Employer.objects.select_related("region").filter(pk=eid).first() if eid else None)
    return None, None


def _reasons(trace: dict) -> list[dict]:
    out = []
    for c in trace.get("checks") or []:
        if c.get("held"):
            out.append({"label": c.get("label", ""), "fact": c.get("fact", "")})
    return out


def my_policies(user, on: datetime.date | None = None) -> Mine:
    on = on or timezone.localdate()
    person, employer = whose(user)
    rows: list[MyEntitlement] = []
    if person is None and employer is None:
        return Mine(None, None, on, rows)
    policies = engine.policies_in_force(on)
    table = engine.table_for({p.version_id: p.version for p in policies}.values()) if policies else None
    slots = engine.SlotIndex({p.kind for p in policies}, table) if policies else None
    for policy in policies:
        ev = EVENTS[policy.event]
        if person is not None and (ev.person is None or policy.beneficiary == "employer"):
            continue
        if employer is not None and (ev.employer is None or policy.beneficiary == "person"):
            continue
        lo, hi = engine.date_bounds(policy, table, on)
        qs = engine.candidate_events(policy, person=person, employer=employer).filter(**{f"{ev.date}__lte": hi})
        if lo is not None:
            qs = qs.filter(**{f"{ev.date}__gte": lo})
        events = list(qs.order_by(f"-{ev.date}", "-pk")[:MAX_EVENTS])
        for obj in events:
            ent = engine.explain_event(policy, obj, on, table=table, slots=slots)
            if not ent.eligible:
                continue
            if (person is not None and ent.beneficiary != "person") or (employer is not None and ent.beneficiary != "employer"):
                continue
            rows.append(MyEntitlement(policy=policy, ent=ent, claimed=False, amount_text=amount_words(ent),
                                      reasons=_reasons(ent.trace)))
    if rows:
        live = set(Claim.objects.filter(status__in=LIVE_STATUSES, beneficiary_key__in={r.ent.beneficiary_key for r in rows})
                   .values_list("kind", "beneficiary_key", "event_type", "event_id"))
        for r in rows:
            r.claimed = (r.policy.kind, r.ent.beneficiary_key, r.ent.event_type, r.ent.event_id) in live
    rows.sort(key=lambda r: (r.claimed, r.policy.code, r.ent.event_date))
    return Mine(person, employer, on, rows)
