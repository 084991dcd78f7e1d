"""Scoped reads of job seekers: the seeker list (web, export, API), one seeker's page, the supply figures.

Staff who read jobs see the seeker registrations of persons of their region (the person's community
now); a resident sees their own. Anything else answers like a record that does not exist.

Supply figures (the definition the monitoring issue counts): a person is an **open seeker on a date D**
when they have a seeker registration with ``started_on <= D`` and (``ended_on`` empty or ``ended_on > D``):
the day a registration ends (hired on the start date of the job, …) no longer counts. The region is
the registration's 登记地 (``registered_in``, the community where it was made), so counts for past dates
do not move when a person moves later. ``open_seekers_on(D, code)`` is the queryset,
``open_seeker_counts(D, code, level)`` the counts by community, street or county.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, TextField
from django.db.models.functions import Cast, Substr

from jiuye.accounts import roles
from jiuye.accounts.models import Role
from jiuye.accounts.scoping import region_q
from jiuye.jobs.models import Application, SeekerProfile, SeekerRegistration
from jiuye.jobs.flags import priority_person_ids_q
from jiuye.paging import page, sort_key, sorted_by
from jiuye.regions.queries import region_filter_q
from jiuye.registry import queries as registry_queries
from jiuye.registry.models import Person
from jiuye.registry.queries import linked_person_id

LEVEL_DIGITS = {"county": 6, "street": 9, "community": 12}


# ---------------------------------------------------------------------------------------------
# Supply figures


def open_seekers_on(on: datetime.date, region_code: str = "") -> QuerySet[SeekerRegistration]:
    """The registrations open on ``on`` (see the module doc), registered under ``region_code`` ("" = all)."""
    qs = SeekerRegistration.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on), started_on__lte=on)
    if region_code:
        qs = qs.filter(region_filter_q(region_code, "registered_in"))
    return qs


def open_seeker_counts(on: datetime.date, region_code: str = "", level: str = "community") -> dict[str, int]:
    """Open seekers on ``on`` by region of ``level`` (county, street, community: the code's first 6, 9 or 12
    digits, padded to 12 with zeros), under ``region_code``. One GROUP BY."""
    digits = LEVEL_DIGITS[level]
    rows = (open_seekers_on(on, region_code).annotate(node=Substr("registered_in_id", 1, digits))
            .values("node").annotate(n=Count("pk")).values_list("node", "n"))
    return {node.ljust(12, "0"): n for node, n in rows}


# ---------------------------------------------------------------------------------------------
# The seeker list


@dataclass
class SeekerSearch:
    status: str = "open"  # open | closed | "" (every registration)
    region_code: str = ""
    occupation: str = ""  # an occupation code or a group's code prefix (profile's preferred occupations)
    date_from: datetime.date | None = None  # started_on range
    date_to: datetime.date | None = None
    priority: bool = False  # only persons with a priority flag
    text: str = ""  # name or identity number
    sort: str = ""
    limit: int = 50
    offset: int = 0


SEEKER_SORTS = {
    "name": ("person__name",),
    "region": ("person__region_id",),
    "started_on": ("started_on",),
    "ended_on": ("ended_on",),
}
SEEKER_DEFAULT_SORT = "-started_on"


def seeker_sort(s: SeekerSearch) -> str:
    return sort_key(SEEKER_SORTS, s.sort, SEEKER_DEFAULT_SORT)


def seekers_visible_to(user) -> QuerySet[SeekerRegistration]:
    if not getattr(user, "is_authenticated", False):
        return SeekerRegistration.objects.none()
    if getattr(user, "role", None) == Role.RESIDENT and not user.is_superuser:
        pid = linked_person_id(user)
        return SeekerRegistration.objects.filter(person_id=pid) if pid else SeekerRegistration.objects.none()
    if not roles.can_read_jobs(user):
        return SeekerRegistration.objects.none()
    return SeekerRegistration.objects.filter(region_q(user, "person__region"))


def with_occupation(qs: QuerySet, code: str, field: str = "person__seeker_profile__occupations") -> QuerySet:
    """Rows whose profile's preferred occupations hold ``code`` or a code under it (the JSON list searched as
    text: the same on SQLite and PostgreSQL)."""
    return qs.annotate(occupations_text=Cast(field, TextField())).filter(occupations_text__contains=f'"{code.strip()}')


def _seekers(user, s: SeekerSearch) -> QuerySet[SeekerRegistration]:
    qs = seekers_visible_to(user)
    if s.status == "open":
        qs = qs.filter(ended_on__isnull=True)
    elif s.status == "closed":
        qs = qs.filter(ended_on__isnull=False)
    if s.region_code:
        qs = qs.filter(region_filter_q(s.region_code, "person__region"))
    if s.occupation and s.occupation.strip():
        qs = with_occupation(qs, s.occupation)
    if s.date_from:
        qs = qs.filter(started_on__gte=s.date_from)
    if s.date_to:
        qs = qs.filter(started_on__lte=s.date_to)
    if s.priority:
        qs = qs.filter(person__in=Person.objects.filter(priority_person_ids_q()))
    if s.text and s.text.strip():
        text = s.text.strip()
        qs = qs.filter(Q(person__name__startswith=text) | Q(person__id_number=text.upper()))
    return qs


def seekers_of_search(user, s: SeekerSearch) -> QuerySet[SeekerRegistration]:
    has_profile = SeekerProfile.objects.filter(person_id=OuterRef("person_id"))
    return (sorted_by(_seekers(user, s), SEEKER_SORTS, s.sort, SEEKER_DEFAULT_SORT)
            .select_related("person", "person__region__parent", "registered_in")
            .annotate(has_profile=Exists(has_profile)))


def search_seekers(user, s: SeekerSearch):
    return page(seekers_of_search(user, s), s.limit, s.offset)


def count_seekers(user, s: SeekerSearch) -> int:
    return _seekers(user, s).count()


# ---------------------------------------------------------------------------------------------
# One seeker


def get_seeker_person(user, person_id: int, *, audit_read: bool = True) -> Person:
    """The person behind a seeker page (staff of their region, or themselves); reading is audited as a
    person's record. NotFound otherwise."""
    if not (roles.can_read_jobs(user) or roles.is_resident(user)):
        raise registry_queries.NotFound("人员不存在或不在您的管辖范围内")
    return registry_queries.get_person(user, person_id, audit_read=audit_read)


def registrations_of(person: Person) -> list[SeekerRegistration]:
    return list(person.seeker_registrations.select_related("registered_in", "operator").order_by("-started_on", "-pk"))


def profile_of(person: Person) -> SeekerProfile | None:
    return SeekerProfile.objects.filter(person=person).select_related("updated_by").first()


def applications_of(person: Person) -> list[Application]:
    return list(Application.objects.filter(person=person).select_related("vacancy__employer", "event")
                .order_by("-created_at", "-pk"))
