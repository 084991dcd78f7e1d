"""Recognised hard-to-employ (就业困难人员, recognised by an act) as a fact readable as of any date, and
the scoped reads of the recognition acts (the list, one act).

Two faces of the fact that must agree (tests/test_assistance_recognitions_fact.py holds them together
with hypothesis):
- ``recognised_on(person_id, on, known_on=None)``: the act under which the person is recognised on
  ``on``, or None;
- ``recognised_q(on, known_on=None)``: a filter over Person rows: those recognised on ``on`` (set-based).
A person is recognised on D when an act was decided "recognised", ``valid_from <= D``, D is not after
``valid_until`` and D is before ``exited_on``. An act later exited still counts for the dates before
its exit (the fact has its own history).

``known_on`` (a date: known by the end of that day, local time; or a datetime, as in registry.status)
reproduces what was known then: an act decided after it does not count, an exit recorded after it is
ignored (the act counts on as if it had not been exited).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from jiuye.accounts import audit, roles
from jiuye.accounts.models import AuditEntry
from jiuye.accounts.scoping import in_scope, region_q
from jiuye.assistance.models import Attachment, CapacityMark, CaseService, Recognition, RecognitionStatus
from jiuye.paging import page, sort_key, sorted_by
from jiuye.regions.queries import region_filter_q
from jiuye.registry.queries import NotFound
from jiuye.registry.status import known_bound

COUNTING = (RecognitionStatus.RECOGNISED, RecognitionStatus.EXITED)
OPEN = (RecognitionStatus.PROPOSED, RecognitionStatus.RECOGNISED)


def in_force_q(on: datetime.date, known_on=None) -> Q:
    """A filter over Recognition rows: the acts under which someone is recognised on ``on`` (as known on
    ``known_on``). Used by ``acts_in_force`` and by the list's 认定有效日期 filter."""
    bound = known_bound(known_on)
    q = Q(status__in=COUNTING)
    not_exited = Q(exited_on__isnull=True) | Q(exited_on__gt=on)
    if bound is not None:
        q &= Q(decided_at__lt=bound)
        not_exited |= Q(exited_at__gte=bound)  # an exit recorded after the cutoff is not known yet
    return q & Q(valid_from__lte=on) & (Q(valid_until__isnull=True) | Q(valid_until__gte=on)) & not_exited


def acts_in_force(on: datetime.date, known_on=None) -> QuerySet[Recognition]:
    """The acts under which someone is recognised on ``on`` (as known on ``known_on``)."""
    return Recognition.objects.filter(in_force_q(on, known_on))


def _in_force(act: Recognition, on: datetime.date, bound) -> bool:
    if act.status not in COUNTING or act.valid_from is None:
        return False
    if bound is not None and (act.decided_at is None or act.decided_at >= bound):
        return False
    exit_known = act.exited_on is not None and (bound is None or act.exited_at is None or act.exited_at < bound)
    return (act.valid_from <= on and (act.valid_until is None or on <= act.valid_until)
            and not (exit_known and act.exited_on <= on))


def recognised_on(person_id: int, on: datetime.date, known_on=None) -> Recognition | None:
    """Python face: the act under which the person is recognised on ``on`` (None if not)."""
    bound = known_bound(known_on)
    for act in Recognition.objects.filter(person_id=person_id, status__in=COUNTING).order_by("-valid_from", "-pk"):
        if _in_force(act, on, bound):
            return act
    return None


def recognised_q(on: datetime.date, known_on=None) -> Q:
    """SQL face: Person rows recognised on ``on`` (``Person.objects.filter(recognised_q(on))``)."""
    return Q(pk__in=acts_in_force(on, known_on).values("person_id"))


# ---------------------------------------------------------------------------------------------
# The list of recognition acts (就业困难人员认定): web list, its export and the API list


@dataclass
class RecognitionSearch:
    status: str = ""  # a RecognitionStatus value; "" = every status
    category: str = ""  # a hard-to-employ category code
    origin: str = ""  # a RecognitionOrigin value
    region_code: str = ""  # a street or community below the user's node
    date_from: datetime.date | None = None  # 申请日期 range
    date_to: datetime.date | None = None
    recognised_on: datetime.date | None = None  # 认定有效日期: only acts in force on that date
    person_id: int | None = None
    sort: str = ""
    limit: int = 50
    offset: int = 0


RECOGNITION_SORTS = {
    "name": ("person__name",),
    "region": ("region_id",),
    "applied_on": ("applied_on",),
    "status": ("status", "applied_on"),
    "decided_at": ("decided_at",),
    "valid_until": ("valid_until",),
}
RECOGNITION_DEFAULT_SORT = "-applied_on"


def recognition_sort(search: RecognitionSearch) -> str:
    return sort_key(RECOGNITION_SORTS, search.sort, RECOGNITION_DEFAULT_SORT)


def recognitions_visible_to(user) -> QuerySet[Recognition]:
    if not roles.can_read_registry(user):
        return Recognition.objects.none()
    return Recognition.objects.filter(region_q(user))


def category_q(code: str) -> Q:
    """Acts naming category ``code`` (the JSON list as text: the same on SQLite and PostgreSQL)."""
    return Q(_categories_text__contains=f'"{code}"')


def _recognitions(user, s: RecognitionSearch) -> QuerySet[Recognition]:
    qs = recognitions_visible_to(user)
    if s.status:
        qs = qs.filter(status=s.status)
    if s.origin:
        qs = qs.filter(origin=s.origin)
    if s.region_code:
        qs = qs.filter(region_filter_q(s.region_code))
    if s.date_from:
        qs = qs.filter(applied_on__gte=s.date_from)
    if s.date_to:
        qs = qs.filter(applied_on__lte=s.date_to)
    if s.person_id:
        qs = qs.filter(person_id=s.person_id)
    if s.recognised_on:
        qs = qs.filter(in_force_q(s.recognised_on))
    if s.category:
        qs = qs.alias(_categories_text=Cast("categories", TextField())).filter(category_q(s.category))
    return qs


def recognitions_of_search(user, s: RecognitionSearch) -> QuerySet[Recognition]:
    """Every act of the list in its order (the export)."""
    return sorted_by(_recognitions(user, s).select_related("person", "region", "region__parent"), RECOGNITION_SORTS,
                     recognition_sort(s), RECOGNITION_DEFAULT_SORT)


def search_recognitions(user, s: RecognitionSearch) -> tuple[list[Recognition], bool]:
    return page(recognitions_of_search(user, s), s.limit, s.offset)


def count_recognitions(user, s: RecognitionSearch) -> int:
    return _recognitions(user, s).count()


def not_found_text() -> str:
    return _("认定记录不存在或不在您的管辖范围内")


def get_recognition(user, pk: int, *, audit_read: bool = True) -> Recognition:
    """One act within the user's scope (by the act's community), or NotFound (the same answer for an act
    that does not exist); the read is audited (it shows a person's record)."""
    act = recognitions_visible_to(user).select_related("person", "region", "decided_by", "proposed_by",
                                                       "exited_by").filter(pk=pk).first()
    if act is None:
        raise NotFound(not_found_text())
    if audit_read:
        audit.record(user, AuditEntry.Action.VIEW, object_type="recognition", object_id=act.pk,
                     object_label=act.person.name, region_code=act.region_id, summary=_("查看就业困难人员认定"))
    return act


def recognitions_of_person(user, person_id: int) -> list[Recognition]:
    """A person's acts within the user's scope, newest first (the person page's panel)."""
    return list(recognitions_visible_to(user).filter(person_id=person_id).order_by("-applied_on", "-pk"))


def open_recognition_of(person_id: int) -> Recognition | None:
    return Recognition.objects.filter(person_id=person_id, status__in=OPEN).first()


# ---------------------------------------------------------------------------------------------
# Evidence files (证明材料): the owner's community decides who may download


def _owner_region(owner_type: str, owner_id: int) -> str | None:
    if owner_type == "recognition":
        return Recognition.objects.filter(pk=owner_id).values_list("region_id", flat=True).first()
    if owner_type == "capacity_mark":
        return CapacityMark.objects.filter(pk=owner_id).values_list("region_id", flat=True).first()
    if owner_type == "case_service":
        return CaseService.objects.filter(pk=owner_id).values_list("case__region_id", flat=True).first()
    return None


def attachment_for_download(user, pk: int):
    """An evidence file the user may download (staff whose scope covers the owner's community), with the
    read audited; NotFound otherwise (the same answer as a file that does not exist)."""
    att = Attachment.objects.filter(pk=pk).first()
    region = _owner_region(att.owner_type, att.owner_id) if att is not None else None
    if att is None or region is None or not roles.can_read_registry(user) or not in_scope(user, region):
        raise NotFound(_("材料不存在或不在您的管辖范围内"))
    audit.record(user, AuditEntry.Action.VIEW, object_type=att.owner_type, object_id=att.owner_id,
                 object_label=att.original_name, region_code=region, changes={"attachment": att.pk},
                 summary=_("下载证明材料：%(n)s") % {"n": att.original_name})
    return att
