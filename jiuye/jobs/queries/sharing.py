"""Reads of labour sharing (用工余缺调剂): the board of offers and requests, the pairs that could be matched
("可对接": an open offer and an open request of different firms, the same occupation major group and
overlapping periods), the placements.

Staff see the offers of employers in their region and every open one (a firm in the next district may
lend workers); an employer user its own and every open one. Placements: staff those with either firm in
their region; an employer user those its employer is a side of.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, Substr
from django.http import Http404
from django.utils.translation import gettext as _

from jiuye.accounts import roles
from jiuye.accounts.scoping import region_q
from jiuye.jobs.models import SharingKind, SharingOffer, SharingPlacement, SharingStatus
from jiuye.paging import page, sort_key, sorted_by
from jiuye.regions.queries import under_code_q
from jiuye.registry import queries as registry_queries

NOT_FOUND = "用工调剂信息不存在或不在您的管辖范围内"
OFFER_SORTS = {"created_at": ("created_at",), "starts_on": ("starts_on",), "ends_on": ("ends_on",),
               "headcount": ("headcount",), "kind": ("kind", "starts_on"), "status": ("status", "starts_on"),
               "employer": ("employer__name",), "wage": ("wage",)}
DEFAULT_SORT = "-created_at"
PLACEMENT_SORTS = {"recorded_at": ("recorded_at",), "starts_on": ("starts_on",), "headcount": ("headcount",)}


@dataclass
class SharingSearch:
    text: str = ""
    kind: str = ""
    status: str = ""
    occupation_code: str = ""  # an occupation or a group code prefix ("6", "6-18")
    region_code: str = ""
    date_from: datetime.date | None = None  # the period overlaps [date_from, date_to]
    date_to: datetime.date | None = None
    matchable: bool = False  # only those with a counterpart (可对接)
    sort: str = ""
    limit: int = 50
    offset: int = 0


def offers_visible_to(user) -> QuerySet[SharingOffer]:
    if roles.is_employer_user(user):
        employer_id = registry_queries.linked_employer_id(user)
        if not employer_id:
            return SharingOffer.objects.none()
        return SharingOffer.objects.filter(Q(employer_id=employer_id) | Q(status=SharingStatus.OPEN))
    if not roles.can_read_jobs(user):
        return SharingOffer.objects.none()
    return SharingOffer.objects.filter(region_q(user) | Q(status=SharingStatus.OPEN))


def _counterpart_q() -> Exists:
    """An open counterpart of the other kind: another firm, same major group, overlapping period."""
    other = (SharingOffer.objects.filter(status=SharingStatus.OPEN)
             .exclude(kind=OuterRef("kind")).exclude(employer_id=OuterRef("employer_id"))
             .filter(starts_on__lte=OuterRef("ends_on"), ends_on__gte=OuterRef("starts_on"))
             .annotate(major=Substr("occupation__code", 1, 1)).filter(major=OuterRef("major")))
    return Exists(other)


def _offers(user, s: SharingSearch) -> QuerySet[SharingOffer]:
    qs = offers_visible_to(user).annotate(major=Substr("occupation__code", 1, 1))
    if s.text:
        qs = qs.filter(Q(title__contains=s.text.strip()) | Q(employer__name__contains=s.text.strip()))
    if s.kind:
        qs = qs.filter(kind=s.kind)
    if s.status:
        qs = qs.filter(status=s.status)
    if s.occupation_code:
        qs = qs.filter(occupation__code__startswith=s.occupation_code.strip())
    if s.region_code:
        try:
            qs = qs.filter(under_code_q(s.region_code.strip()))
        except ValueError:
            raise ValueError(_("区划代码“%(c)s”无效") % {"c": s.region_code}) from None
    if s.date_from:
        qs = qs.filter(ends_on__gte=s.date_from)
    if s.date_to:
        qs = qs.filter(starts_on__lte=s.date_to)
    if s.matchable:
        qs = qs.filter(status=SharingStatus.OPEN, occupation__isnull=False).filter(_counterpart_q())
    return qs


def offer_sort(s: SharingSearch) -> str:
    return sort_key(OFFER_SORTS, s.sort, DEFAULT_SORT)


def offers_of_search(user, s: SharingSearch) -> QuerySet[SharingOffer]:
    qs = _offers(user, s).select_related("employer", "occupation", "region").annotate(
        matchable=_counterpart_q(),
        placed=Coalesce(Sum("placements_offered__headcount"), 0) + Coalesce(Sum("placements_requested__headcount"), 0))
    return sorted_by(qs, OFFER_SORTS, s.sort, DEFAULT_SORT)


def search_offers(user, s: SharingSearch) -> tuple[list[SharingOffer], bool]:
    return page(offers_of_search(user, s), s.limit, s.offset)


def count_offers(user, s: SharingSearch) -> int:
    return _offers(user, s).count()


def get_offer(user, pk: int) -> SharingOffer:
    offer = offers_visible_to(user).select_related("employer", "occupation", "region").filter(pk=pk).first()
    if offer is None:
        raise Http404(_(NOT_FOUND))
    return offer


def counterparts(user, offer: SharingOffer, *, limit: int = 20) -> list[SharingOffer]:
    """The open offers of the other kind that could be matched with ``offer`` (可对接)."""
    if offer.occupation_id is None:
        return []
    other = SharingKind.REQUEST if offer.kind == SharingKind.OFFER else SharingKind.OFFER
    qs = (offers_visible_to(user).filter(kind=other, status=SharingStatus.OPEN)
          .exclude(employer_id=offer.employer_id)
          .filter(starts_on__lte=offer.ends_on, ends_on__gte=offer.starts_on,
                  occupation__code__startswith=offer.occupation.code[:1])
          .select_related("employer", "occupation"))
    return list(qs.order_by("starts_on", "pk")[:limit])


def placements_visible_to(user) -> QuerySet[SharingPlacement]:
    if roles.is_employer_user(user):
        employer_id = registry_queries.linked_employer_id(user) or 0
        return SharingPlacement.objects.filter(Q(from_employer_id=employer_id) | Q(to_employer_id=employer_id))
    if not roles.can_read_jobs(user):
        return SharingPlacement.objects.none()
    return SharingPlacement.objects.filter(region_q(user, "from_employer__region") | region_q(user, "to_employer__region"))


def placements_of(user, offer: SharingOffer | None = None, *, limit: int = 100) -> list[SharingPlacement]:
    qs = placements_visible_to(user).select_related("from_employer", "to_employer", "offer", "request")
    if offer is not None:
        qs = qs.filter(Q(offer=offer) | Q(request=offer))
    return list(qs.order_by("-recorded_at", "-pk")[:limit])


def get_placement(user, pk: int) -> SharingPlacement:
    row = placements_visible_to(user).select_related("from_employer", "to_employer").filter(pk=pk).first()
    if row is None:
        raise Http404(_("用工调剂记录不存在或不在您的管辖范围内"))
    return row
