"""Scoped reads of claims (补贴申领) and publicity lists (公示): the lists (web, export, API), the review
queue, a resident's or an employer's own claims, one claim.

Staff who may read policies see the claims of their region (the claim's region: the person's community
or the employer's region); a resident sees the claims paid to them, an employer user those paid to their
employer. A claim outside that answers like one that does not exist (``NotFound``).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from jiuye.accounts import audit, roles
from jiuye.accounts.models import AuditEntry, Role
from jiuye.accounts.scoping import region_q
from jiuye.assistance.models import Attachment
from jiuye.paging import page, sort_key, sorted_by
from jiuye.policies.models import Claim, ClaimStatus, Objection, PublicityList
from jiuye.regions.queries import region_filter_q
from jiuye.registry.queries import NotFound, linked_employer_id, linked_person_id
from jiuye.policies.services.claims import OWNER_TYPE, not_found_text


@dataclass
class ClaimSearch:
    status: str = ""  # a ClaimStatus value, or "ready" (审核通过待公示), "" = every status
    policy: str = ""  # a policy code
    region_code: str = ""  # a street or community below the user's node
    date_from: datetime.date | None = None  # submission date range
    date_to: datetime.date | None = None
    channel: str = ""  # a ClaimChannel value
    text: str = ""  # claim number, name, identity number or credit code
    queue: bool = False  # 待我审核: submitted, not reviewed, not submitted by the user
    publicity_id: int | None = None
    sort: str = ""
    limit: int = 50
    offset: int = 0


CLAIM_SORTS = {
    "number": ("number",),
    "policy": ("policy_code", "number"),
    "region": ("region_id",),
    "submitted_at": ("submitted_at",),
    "status": ("status", "submitted_at"),
    "total": ("total",),
    "event_date": ("event_date",),
}
CLAIM_DEFAULT_SORT = "-submitted_at"


def claim_sort(s: ClaimSearch) -> str:
    return sort_key(CLAIM_SORTS, s.sort, CLAIM_DEFAULT_SORT)


def claims_visible_to(user) -> QuerySet[Claim]:
    """Staff: the claims of their region; a resident / an employer user: their own."""
    if not getattr(user, "is_authenticated", False):
        return Claim.objects.none()
    if roles.can_read_policies(user):
        return Claim.objects.filter(region_q(user))
    return own_claims(user)


def own_claims(user) -> QuerySet[Claim]:
    """A resident's claims (paid to them) or an employer user's (paid to their employer)."""
    role = getattr(user, "role", None)
    if role == Role.RESIDENT and (pid := linked_person_id(user)):
        return Claim.objects.filter(beneficiary_key=f"P{pid}")
    if role == Role.EMPLOYER_USER and (eid := linked_employer_id(user)):
        return Claim.objects.filter(beneficiary_key=f"E{eid}")
    return Claim.objects.none()


def review_queue_q(user) -> Q:
    return Q(status=ClaimStatus.SUBMITTED, reviewed_at__isnull=True) & ~Q(submitted_by=user)


def review_queue(user) -> QuerySet[Claim]:
    """待我审核: submitted claims in scope, not reviewed yet, not submitted by the user."""
    if not roles.can_review_claims(user):
        return Claim.objects.none()
    return claims_visible_to(user).filter(review_queue_q(user)).select_related("person", "employer", "region")


def _text_q(text: str) -> Q:
    text = text.strip()
    upper = text.upper()
    return (Q(number=upper) | Q(person__name__startswith=text) | Q(employer__name__contains=text)
            | Q(person__id_number=upper) | Q(employer__credit_code=upper))


def _claims(user, s: ClaimSearch) -> QuerySet[Claim]:
    qs = claims_visible_to(user)
    if s.status == "ready":
        qs = qs.filter(status=ClaimStatus.SUBMITTED, reviewed_at__isnull=False)
    elif s.status:
        qs = qs.filter(status=s.status)
    if s.policy:
        qs = qs.filter(policy_code=s.policy)
    if s.region_code:
        qs = qs.filter(region_filter_q(s.region_code))
    if s.date_from:
        qs = qs.filter(submitted_at__date__gte=s.date_from)
    if s.date_to:
        qs = qs.filter(submitted_at__date__lte=s.date_to)
    if s.channel:
        qs = qs.filter(channel=s.channel)
    if s.text and s.text.strip():
        qs = qs.filter(_text_q(s.text))
    if s.queue:
        qs = qs.filter(review_queue_q(user)) if roles.can_review_claims(user) else qs.none()
    if s.publicity_id:
        qs = qs.filter(publicity_id=s.publicity_id)
    return qs


def claims_of_search(user, s: ClaimSearch) -> QuerySet[Claim]:
    return sorted_by(_claims(user, s), CLAIM_SORTS, s.sort, CLAIM_DEFAULT_SORT).select_related(
        "person", "employer", "region__parent", "policy")


def search_claims(user, s: ClaimSearch):
    return page(claims_of_search(user, s), s.limit, s.offset)


def count_claims(user, s: ClaimSearch) -> int:
    return _claims(user, s).count()


def claim_timeline(claim: Claim):
    """The claim's steps in order, with their actors (the claim already read through ``get_claim``)."""
    return claim.events.select_related("actor").order_by("at", "pk")


def claim_objections(claim: Claim):
    return claim.objections.select_related("recorded_by", "resolved_by").order_by("raised_on", "pk")


def get_objection(claim: Claim, pk: int) -> Objection:
    """One objection of the claim; NotFound for any other."""
    found = claim.objections.filter(pk=pk).first()
    if found is None:
        raise NotFound(_("异议不存在"))
    return found


def get_claim(user, pk: int, *, audit_read: bool = True) -> Claim:
    """One claim the user may see, or NotFound (the same answer for a claim that does not exist)."""
    claim = (claims_visible_to(user).filter(pk=pk)
             .select_related("person", "employer", "region__parent", "policy__version__pack", "decision_policy__version__pack",
                             "submitted_by", "reviewer", "approved_by", "publicity").first())
    if claim is None:
        raise NotFound(not_found_text())
    if audit_read:
        audit.record(user, AuditEntry.Action.VIEW, object_type="claim", object_id=claim.pk, object_label=claim.number,
                     region_code=claim.region_id, summary="查看补贴申领")
    return claim


def claim_attachment(user, claim_pk: int, aid: int) -> Attachment:
    """An evidence file of a claim the user may see (download audited), or NotFound."""
    claim = get_claim(user, claim_pk, audit_read=False)
    att = Attachment.objects.filter(pk=aid, owner_type=OWNER_TYPE, owner_id=claim.pk).first()
    if att is None:
        raise NotFound("材料不存在或不在您的管辖范围内")
    audit.record(user, AuditEntry.Action.VIEW, object_type="claim", object_id=claim.pk, object_label=claim.number,
                 region_code=claim.region_id, changes={"attachment": att.pk}, summary=f"下载申领材料：{att.original_name}")
    return att


# ---------------------------------------------------------------------------------------------
# Publicity lists (公示)


@dataclass
class PublicitySearch:
    state: str = ""  # "open" (in publicity or objections pending), "closed"; "" = all
    date_from: datetime.date | None = None  # start date range
    date_to: datetime.date | None = None
    text: str = ""  # number or title
    sort: str = ""
    limit: int = 50
    offset: int = 0


PUBLICITY_SORTS = {"number": ("number",), "starts_on": ("starts_on",), "ends_on": ("ends_on",), "title": ("title",),
                   "region": ("region_id",)}
PUBLICITY_DEFAULT_SORT = "-starts_on"


def publicity_sort(s: PublicitySearch) -> str:
    return sort_key(PUBLICITY_SORTS, s.sort, PUBLICITY_DEFAULT_SORT)


def publicity_visible_to(user) -> QuerySet[PublicityList]:
    """Staff who read policies: the lists of their region and above it (a district list is seen by its
    streets' officers for their own claims) — lists whose region is inside the user's scope, or which hold
    a claim inside it."""
    if not roles.can_read_policies(user):
        return PublicityList.objects.none()
    return PublicityList.objects.filter(region_q(user) | Q(pk__in=Claim.objects.filter(region_q(user))
                                                         .exclude(publicity__isnull=True).values("publicity_id")))


def _publicity(user, s: PublicitySearch) -> QuerySet[PublicityList]:
    qs = publicity_visible_to(user)
    if s.state == "open":
        qs = qs.filter(closed_at__isnull=True)
    elif s.state == "closed":
        qs = qs.filter(closed_at__isnull=False)
    if s.date_from:
        qs = qs.filter(starts_on__gte=s.date_from)
    if s.date_to:
        qs = qs.filter(starts_on__lte=s.date_to)
    if s.text and s.text.strip():
        qs = qs.filter(Q(number=s.text.strip().upper()) | Q(title__contains=s.text.strip()))
    return qs


def publicity_of_search(user, s: PublicitySearch) -> QuerySet[PublicityList]:
    return sorted_by(_publicity(user, s), PUBLICITY_SORTS, s.sort, PUBLICITY_DEFAULT_SORT).select_related("region", "created_by")


def search_publicity(user, s: PublicitySearch):
    return page(publicity_of_search(user, s), s.limit, s.offset)


def count_publicity(user, s: PublicitySearch) -> int:
    return _publicity(user, s).count()


def get_publicity(user, pk: int) -> PublicityList:
    pub = publicity_visible_to(user).filter(pk=pk).select_related("region", "created_by").first()
    if pub is None:
        raise NotFound("公示不存在或不在您的管辖范围内")
    return pub


def publicity_claims(user, pub: PublicityList) -> QuerySet[Claim]:
    """The claims of a publicity list the user may see."""
    return (claims_visible_to(user).filter(publicity=pub).select_related("person", "employer", "region__parent", "policy")
            .order_by("policy_code", "number"))


def ready_for_publicity(user) -> QuerySet[Claim]:
    """Reviewed claims waiting for publicity, in scope."""
    if not roles.can_approve_claims(user):
        return Claim.objects.none()
    return (claims_visible_to(user).filter(status=ClaimStatus.SUBMITTED, reviewed_at__isnull=False)
            .select_related("person", "employer", "region__parent", "policy").order_by("policy_code", "number"))


# ---------------------------------------------------------------------------------------------
# What a user may claim: the entitlements of a person / an employer under one policy (engine.explain)


def claimable(user, policy_code: str, *, person=None, employer=None, on: datetime.date | None = None):
    """Every candidate event of ``person`` and/or ``employer`` under the current version of ``policy_code``,
    explained as of ``on``, limited to those the user may claim for (``services.may_submit_for``)."""
    from jiuye.policies import engine
    from jiuye.policies.services import claims as services

    policy = engine.current_policy(policy_code)
    if policy is None:
        return None, []
    on = on or services.current_date()
    out = [e for e in engine.explain(policy, on, person=person, employer=employer) if services.may_submit_for(user, e)]
    return policy, out


def claimable_event(user, policy_code: str, event_type: str, event_id: int, *, on: datetime.date | None = None):
    """One entitlement the user may claim (explained as of ``on``), or NotFound."""
    from jiuye.policies import engine
    from jiuye.policies.services import claims as services
    from jiuye.policies.vocabulary import EVENTS

    policy = engine.current_policy(policy_code)
    if policy is None or event_type != policy.event or event_type not in EVENTS:
        raise NotFound("政策或依据事件不存在")
    try:
        obj = engine.event_object(event_type, event_id)
    except Exception:
        raise NotFound("依据事件记录不存在或不在您的管辖范围内") from None
    ent = engine.explain_event(policy, obj, on or services.current_date())
    if not services.may_submit_for(user, ent):
        raise NotFound("依据事件记录不存在或不在您的管辖范围内")
    return policy, ent


def find_subject(user, *, id_number: str = "", credit_code: str = ""):
    """(person, employer) by identity number / credit code within the user's scope (None where absent)."""
    from jiuye.registry.queries import persons_visible_to, visible_employer_by_credit_code

    person = persons_visible_to(user).filter(id_number=id_number.strip().upper()).first() if id_number.strip() else None
    employer = visible_employer_by_credit_code(user, credit_code)
    return person, employer
