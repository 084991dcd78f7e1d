"""Read helpers for the workbench that queries.py does not (yet) offer.

Everything here starts from a scoped queryset of ``jiuye.registry.queries`` or from
``jiuye.accounts.scoping.region_q``, so region scoping applies. Candidates to move into
``jiuye.registry.queries`` (see the report of the web workbench).
"""
from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from jiuye.accounts.models import AuditEntry
from jiuye.accounts.scoping import region_q, scope_prefix
from jiuye.regions.models import Region
from jiuye.registry import groups as group_rules
from jiuye.registry import queries
from jiuye.registry.identity import normalise
from jiuye.registry.models import Employer, EmploymentStatus, Household, Person


def registry_counts(user) -> dict[str, int]:
    """Counts for the workbench home: three queries whatever the size of the registry."""
    persons = queries.persons_visible_to(user)
    counts = persons.aggregate(
        persons=Count("pk"),
        employed=Count("pk", filter=Q(employment_status=EmploymentStatus.EMPLOYED)),
        unemployed=Count("pk", filter=Q(employment_status=EmploymentStatus.UNEMPLOYED)),
    )
    counts["hard_to_employ"] = group_rules.filter_group(persons, "hard_to_employ").count()
    counts["zero_employment_households"] = (
        queries.households_visible_to(user).filter(pk__in=group_rules.zero_employment_households().values("pk")).count()
    )
    return counts


def regions_for_filter(user) -> list[Region]:
    """Counties, streets and communities strictly below the user's region node (for the search filter)."""
    prefix = scope_prefix(user)
    if prefix is None:
        return []
    qs = Region.objects.filter(region_q(user, "code"), level__gte=Region.Level.COUNTY)
    if user.region_id:
        qs = qs.exclude(code=user.region_id)
    return list(qs.order_by("code").only("code", "name", "level"))


def communities_in_scope(user) -> QuerySet[Region]:
    """Communities/villages the user may place a person in."""
    if scope_prefix(user) is None:
        return Region.objects.none()
    return Region.objects.filter(region_q(user, "code"), level=Region.Level.COMMUNITY).select_related("parent").order_by("code")


def employers_for_pick(user, limit: int = 300) -> list[Employer]:
    return list(queries.employers_visible_to(user).order_by("name", "pk").only("pk", "name", "credit_code")[:limit])


def visible_employer(user, pk: int) -> Employer | None:
    return queries.employers_visible_to(user).filter(pk=pk).first()


def visible_person_by_id_number(user, id_number: str) -> Person | None:
    number = normalise(id_number)
    if not number:
        return None
    return queries.persons_visible_to(user).filter(id_number=number).first()


def visible_employees(user, employer: Employer) -> QuerySet[Person]:
    """Current employees of ``employer`` that ``user`` may see."""
    return (queries.employer_current_employees(employer) & queries.persons_visible_to(user)).select_related("region")


def search_households(user, *, number_prefix: str = "", zero_employment: bool = False) -> QuerySet[Household]:
    qs = queries.households_visible_to(user).select_related("region")
    if number_prefix.strip():
        qs = qs.filter(number__startswith=number_prefix.strip())
    if zero_employment:
        qs = qs.filter(pk__in=group_rules.zero_employment_households().values("pk"))
    return qs.annotate(member_count=Count("memberships", filter=Q(memberships__left_on__isnull=True))).order_by("number", "pk")


def search_employers(user, text: str = "") -> QuerySet[Employer]:
    """By exact credit code (18 characters) or by a part of the name."""
    qs = queries.employers_visible_to(user).select_related("region")
    code = normalise(text)
    if len(code) == 18 and code.isalnum():
        qs = qs.filter(credit_code=code)
    elif text.strip():
        qs = qs.filter(name__contains=text.strip())
    return qs.order_by("name", "pk")


def search_audit(user, *, operator: str = "", object_type: str = "", object_id: str = "", action: str = "",
                 date_from: datetime.date | None = None, date_to: datetime.date | None = None) -> QuerySet[AuditEntry]:
    qs = queries.audit_entries_visible_to(user)
    if operator:
        qs = qs.filter(actor_name=operator.strip())
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id.strip())
    if action:
        qs = qs.filter(action=action)
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(at__gte=datetime.datetime.combine(date_from, datetime.time.min, tzinfo=tz))
    if date_to:
        qs = qs.filter(at__lt=datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz))
    return qs.order_by("-at", "-id")
