"""The policies app's part of a bulk-filled registry (``registry.events.registry_loaded``).

Every load (``jiuye seed``, ``jiuye demo``) loads the packs shipped with Jiuye, so a seeded database can be
screened at once. The demo city also gets what a bureau running the policies would have: the facts the rules
read (``demo.seed_facts``), budgets, a screening run, and claims in every state — submitted, reviewed, in
publicity, objected, approved, paid (a reconciled payment batch), rejected and withdrawn — all made through the
services as the demo accounts (scope, rules, audit), so the pages show a history with its timelines.
"""
from __future__ import annotations

import datetime
import logging
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.dispatch import receiver
from django.utils.translation import gettext as _

from jiuye.registry import events

log = logging.getLogger(__name__)

#: How many demo claims end in each state (the rest of the eligible stay for the outreach lists).
PLAN = {"submitted": 8, "reviewed": 4, "publicity": 6, "objected": 2, "approved": 5, "paid": 6, "rejected": 3,
        "withdrawn": 2}


def _users() -> dict:
    from jiuye.accounts.models import User

    names = ["demo_community", "demo_street", "demo_district", "demo_reviewer", "demo_city"]
    return {u.username: u for u in User.objects.filter(username__in=names)}


def _budgets(users, today: datetime.date) -> int:
    from jiuye.policies.models import Budget
    from jiuye.policies.services import budgets

    officer = users.get("demo_district")
    if officer is None or Budget.objects.exists():
        return 0
    made = 0
    for year, amount in ((today.year - 1, Decimal("3000000")), (today.year, Decimal("5000000"))):
        budgets.create_budget(actor=officer, year=year, region=officer.region_id, policy_code="", amount=amount,
                            note=_("就业补助资金年度预算（演示）"))
        made += 1
    budgets.create_budget(actor=officer, year=today.year, region=officer.region_id, policy_code="xc2020-startup-once",
                        amount=Decimal("400000"), note=_("一次性创业补贴专项（演示）"))
    return made + 1


def _candidates(today: datetime.date) -> list:
    """Eligible entitlements with an amount set, taken in turn from each policy (most recent events first),
    at most one per person or employer."""
    from itertools import zip_longest

    from jiuye.policies import engine

    by_policy: dict[str, list] = {}
    for e in engine.screen(today, region_prefix="610102"):
        if e.eligible and not e.blocked and e.total:
            by_policy.setdefault(e.policy.code, []).append(e)
    for ents in by_policy.values():
        ents.sort(key=lambda e: (e.event_date, e.event_id), reverse=True)
    seen, out = set(), []
    for row in zip_longest(*[by_policy[k] for k in sorted(by_policy)]):
        for e in row:
            if e is None:
                continue
            key = (e.beneficiary_key, e.person_id)
            if key in seen:
                continue
            seen.add(key)
            out.append(e)
    return out


def _submitter(users, ent):
    community = users.get("demo_community")
    if community is not None and ent.region_id == community.region_id:
        return community
    return users["demo_district"]


def _claims(users, today: datetime.date) -> dict[str, int]:
    from jiuye.policies.models import Claim
    from jiuye.policies.services import claims

    if Claim.objects.exists() or "demo_reviewer" not in users or "demo_district" not in users:
        return {}
    reviewer, district = users["demo_reviewer"], users["demo_district"]
    candidates = _candidates(today)
    counts: dict[str, int] = {}
    made: dict[str, list] = {state: [] for state in PLAN}
    states = [state for state, n in PLAN.items() for _i in range(n)]
    for ent, state in zip(candidates, states):
        policy = ent.policy
        submitted_on = today - datetime.timedelta(days=40 if state in ("approved", "paid", "publicity", "objected") else 6)
        if submitted_on < ent.event_date:
            submitted_on = ent.event_date
        try:
            with transaction.atomic():
                claim = claims.submit_claim(_submitter(users, ent), policy_code=policy.code, event_type=ent.event_type,
                                            event_id=ent.event_id, paper_checked=list(policy.spec.get("evidence") or []),
                                            note=_("演示：经办代办"), on=submitted_on)
        except (ValidationError, PermissionDenied, Http404) as exc:  # refused on that day: take the next
            log.info("demo claim skipped: %s", type(exc).__name__)
            continue
        made[state].append(claim)
    for claim in made["withdrawn"]:
        claims.withdraw_claim(claim.submitted_by, claim)
    for claim in made["rejected"]:
        claims.review_claim(reviewer, claim, approve=False, reason=_("材料与登记信息不一致（演示）"))
    for state in ("reviewed", "publicity", "objected", "approved", "paid"):
        for claim in made[state]:
            claims.review_claim(reviewer, claim, approve=True)
    old = made["approved"] + made["paid"]
    if old:
        pub = claims.publish(reviewer, old, title=_("就业补贴拟核准名单（演示，已期满）"),
                             starts_on=today - datetime.timedelta(days=30))
        claims.approve_publicity(reviewer, pub, today=today)
    current = made["publicity"] + made["objected"]
    if current:
        claims.publish(reviewer, current, title=_("就业补贴拟核准名单（演示，公示中）"), starts_on=today - datetime.timedelta(days=1))
        for claim in made["objected"]:
            claim.refresh_from_db()
            claims.record_objection(district, claim, raised_by=_("群众来电（演示）"), contact="",
                                    reason=_("反映申领人已离职，请核实（演示）"))
    paid = _pay(users, [c for c in made["paid"]], today)
    for state, items in made.items():
        counts[state] = len(items)
    counts["paid"] = paid
    return counts


def _pay(users, approved_claims, today: datetime.date) -> int:
    """Pay the claims meant to end paid: a batch sent to the bank and reconciled with its return file (every
    line 成功, except one failed line when there are several, as banks return them)."""
    import csv
    import io

    from jiuye.policies.models import ClaimStatus
    from jiuye.policies.services import payments

    officer = users.get("demo_reviewer")
    ids = [c.pk for c in approved_claims]
    if not ids or officer is None:
        return 0
    result = payments.create_batch(officer, claim_ids=ids, on=today)
    batch = result.batch
    if batch is None:
        return 0
    payments.send_batch(officer, batch)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["明细编号", "账号", "户名", "金额", "结果", "银行流水号", "说明"])
    items = list(batch.items.order_by("pk"))
    for i, item in enumerate(items):
        failed = len(items) > 2 and i == len(items) - 1
        writer.writerow([item.pk, item.account_number, item.account_name, f"{item.amount:.2f}", "失败" if failed else "成功",
                         "" if failed else f"DEMO{today:%Y%m%d}{item.pk:06d}", "账户已销户" if failed else ""])
    payments.reconcile(officer, batch, out.getvalue().encode("utf-8"))
    return sum(1 for c in approved_claims if type(c).objects.get(pk=c.pk).status == ClaimStatus.PAID)


def seed_demo(today: datetime.date) -> str:
    from jiuye.policies import demo as facts_demo
    from jiuye.policies.models import BenefitPeriod
    from jiuye.policies.services import screening

    users = _users()
    facts = {} if BenefitPeriod.objects.exists() else facts_demo.seed_facts(today)
    made_budgets = _budgets(users, today)
    counts = _claims(users, today)
    run = None
    if "demo_district" in users:
        run = screening.run_screening(users["demo_district"], today)
    return _("政策与补贴：依据数据%(f)d条，预算%(b)d项，演示申领%(c)d件（各状态），政策找人%(r)d条") % {
        "f": sum(facts.values()) if facts else 0, "b": made_budgets, "c": sum(counts.values()),
        "r": run.result_count if run is not None else 0}


def load_packs() -> str:
    from jiuye.policies.services import packs

    versions = packs.load_shipped()
    return _("政策包：%(p)s") % {"p": "、".join(f"{v.pack.code} 第{v.number}版" for v in versions)}


@receiver(events.registry_loaded, dispatch_uid="policies_registry_loaded")
def _on_registry_loaded(sender, today=None, demo=False, **kwargs):
    from django.utils import timezone

    today = today or timezone.localdate()
    line = load_packs()
    if demo:
        line += "；" + seed_demo(today)
    return line
