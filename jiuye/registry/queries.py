"""Reads of the registry, always scoped to the user's role and region (jiuye.accounts.scoping)."""
from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from jiuye.accounts import audit, roles
from jiuye.accounts.models import AuditEntry, Role
from jiuye.accounts.scoping import OutOfScope, region_q
from jiuye.regions.codes import code_range, significant_prefix
from jiuye.registry import groups as group_rules
from jiuye.imports.models import ImportBatch
from jiuye.registry.models import Employer, Household, HouseholdMembership, Person, Registration


class NotFound(Http404):
    """The record does not exist or lies outside the user's scope (the two are not told apart)."""


def persons_visible_to(user) -> QuerySet[Person]:
    if not getattr(user, "is_authenticated", False):
        return Person.objects.none()
    if user.role == Role.RESIDENT and not user.is_superuser:
        return Person.objects.filter(pk=user.person_id) if user.person_id else Person.objects.none()
    if not roles.can_read_registry(user):
        return Person.objects.none()
    return Person.objects.filter(region_q(user))


def households_visible_to(user) -> QuerySet[Household]:
    if not roles.can_read_registry(user):
        if getattr(user, "is_authenticated", False) and user.role == Role.RESIDENT and user.person_id:
            return Household.objects.filter(memberships__person_id=user.person_id, memberships__left_on__isnull=True)
        return Household.objects.none()
    return Household.objects.filter(region_q(user))


def employers_visible_to(user) -> QuerySet[Employer]:
    if getattr(user, "is_authenticated", False) and user.role == Role.EMPLOYER_USER and not user.is_superuser:
        return Employer.objects.filter(pk=user.employer_id) if user.employer_id else Employer.objects.none()
    if not roles.can_read_registry(user):
        return Employer.objects.none()
    return Employer.objects.filter(region_q(user))


def audit_entries_visible_to(user) -> QuerySet[AuditEntry]:
    if not roles.can_read_audit(user):
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(region_q(user, "region_code")).select_related("actor")


@dataclass
class PersonSearch:
    text: str = ""
    region_code: str = ""
    status: str = ""
    group: str = ""
    hukou_type: str = ""
    limit: int = 50
    offset: int = 0


ID_LIKE = re.compile(r"^[0-9]{6,17}[0-9X]?$")


def _normalise_query(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split()).upper()


# A phone number or partial identity number is resolved to person ids first (an index lookup on phone
# OR a range scan on id_number, without the other filters), and the page query then filters on those
# ids. Written as one OR next to the scope's region range, SQLite's planner picks the region index and
# scans the whole district (about 1 s on 1,000,000 persons; see bench/bench_search.py --explain).
# A prefix matching more than this many persons keeps the plain range condition.
IDENTIFIER_PRESELECT_LIMIT = 1000


def _identifier_q(q: Q) -> Q:
    pks = list(Person.objects.filter(q).values_list("pk", flat=True)[: IDENTIFIER_PRESELECT_LIMIT + 1])
    return Q(pk__in=pks) if len(pks) <= IDENTIFIER_PRESELECT_LIMIT else q


def text_q(text: str) -> Q:
    """Name prefix, exact/prefix identity number, or phone, each an index range scan."""
    text = _normalise_query(text)
    if not text:
        return Q()
    if ID_LIKE.match(text):
        if len(text) == 18:
            return Q(id_number=text)
        if len(text) == 11 and text.startswith("1"):
            return _identifier_q(Q(phone=text) | Q(id_number__gte=text, id_number__lt=text + "Z"))
        return _identifier_q(Q(id_number__gte=text, id_number__lt=text + "Z") | Q(phone=text))
    return Q(name__gte=text, name__lt=text + "\U0010ffff")


def search_persons(user, search: PersonSearch, *, on: datetime.date | None = None) -> tuple[list[Person], bool]:
    """One page of matching persons (ordered by name) and whether there are more."""
    qs = persons_visible_to(user).filter(text_q(search.text))
    if search.region_code:
        prefix = significant_prefix(search.region_code)
        lo, hi = code_range(prefix)
        qs = qs.filter(region_id__gte=lo, region_id__lte=hi)
    if search.status:
        qs = qs.filter(employment_status=search.status)
    if search.hukou_type:
        qs = qs.filter(hukou_type=search.hukou_type)
    if search.group:
        if search.group not in group_rules.GROUPS_BY_CODE:
            raise ValueError(_("未知的人员类别：%(g)s") % {"g": search.group})
        qs = group_rules.filter_group(qs, search.group, on)
    limit = max(1, min(int(search.limit), 200))
    offset = max(0, int(search.offset))
    # Text searches list by name; filter-only listings by record number, which lets the database stop
    # after one page instead of sorting every match (a district holds hundreds of thousands).
    ordering = ("name", "id") if search.text.strip() else ("id",)
    rows = list(qs.select_related("region").order_by(*ordering)[offset : offset + limit + 1])
    return rows[:limit], len(rows) > limit


def get_person(user, pk: int, *, audit_read: bool = True) -> Person:
    """One person's record for ``user``; records the read in the audit log."""
    person = persons_visible_to(user).select_related("region", "current_employer").filter(pk=pk).first()
    if person is None:
        raise NotFound(_("人员不存在或不在您的管辖范围内"))
    if audit_read:
        audit.record(user, AuditEntry.Action.VIEW, object_type="person", object_id=person.pk, object_label=person.name,
                     region_code=person.region_id, summary=_("查看人员档案"))
    return person


def get_person_for_change(user, pk: int) -> Person:
    if not roles.can_write_registry(user):
        raise OutOfScope(_("您的角色无权修改登记信息"))
    return get_person(user, pk, audit_read=False)


def get_household(user, pk: int, *, audit_read: bool = True) -> Household:
    household = households_visible_to(user).select_related("region").filter(pk=pk).first()
    if household is None:
        raise NotFound(_("家庭户不存在或不在您的管辖范围内"))
    if audit_read:
        audit.record(user, AuditEntry.Action.VIEW, object_type="household", object_id=household.pk,
                     object_label=household.number, region_code=household.region_id, summary=_("查看家庭户"))
    return household


def get_employer(user, pk: int, *, audit_read: bool = True) -> Employer:
    employer = employers_visible_to(user).select_related("region").filter(pk=pk).first()
    if employer is None:
        raise NotFound(_("单位不存在或不在您的管辖范围内"))
    if audit_read:
        audit.record(user, AuditEntry.Action.VIEW, object_type="employer", object_id=employer.pk,
                     object_label=employer.name, region_code=employer.region_id, summary=_("查看用人单位"))
    return employer


def registrations_of(person: Person) -> list[Registration]:
    return list(person.registrations.select_related("employer", "operator", "corrects").order_by(
        "effective_date", "recorded_at", "id"))


def household_members(household: Household, *, include_former: bool = False) -> QuerySet[HouseholdMembership]:
    qs = household.memberships.select_related("person", "person__current_employer")
    if not include_former:
        qs = qs.filter(left_on__isnull=True)
    return qs.order_by("left_on", "joined_on", "id")


def current_household(person: Person) -> HouseholdMembership | None:
    return person.household_memberships.filter(left_on__isnull=True).select_related("household").first()


def employer_current_employees(employer: Employer) -> QuerySet[Person]:
    return Person.objects.filter(current_employer=employer, employment_status="employed")


# ---------------------------------------------------------------------------------------------
# Import batches


def import_batches_visible_to(user) -> QuerySet[ImportBatch]:
    """The user's own batches, and for registry staff the batches of operators within their region."""
    if not getattr(user, "is_authenticated", False):
        return ImportBatch.objects.none()
    own = Q(actor=user)
    if roles.can_read_registry(user):
        own |= region_q(user, "region_code") & ~Q(region_code="")
    return ImportBatch.objects.filter(own).select_related("actor").order_by("-started_at", "-id")


def get_import_batch(user, pk: int) -> ImportBatch:
    batch = import_batches_visible_to(user).filter(pk=pk).first()
    if batch is None:
        raise NotFound(_("导入批次不存在或不在您的管辖范围内"))
    return batch


def open_import_report(user, batch: ImportBatch) -> Path:
    """Path of the batch's error report (checked to lie under MEDIA_ROOT); records the download."""
    if not batch.report_file:
        raise NotFound(_("该批次没有错误报告"))
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / batch.report_file).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise NotFound(_("错误报告文件不存在"))
    audit.record(user, AuditEntry.Action.EXPORT, object_type="import_batch", object_id=batch.pk,
                 object_label=batch.file_name, region_code=batch.region_code, summary=_("下载导入错误报告"))
    return path


def employer_for_registration(credit_code: str) -> Employer | None:
    """An employer looked up by its exact credit code when registering someone's employment.

    Deliberately not region-scoped: a resident of one street often works for an employer registered
    elsewhere. It reveals only what the (public) credit code already names."""
    from jiuye.registry.identity import normalise

    code = normalise(credit_code)
    if not code:
        return None
    return Employer.objects.filter(credit_code=code).only("pk", "name", "credit_code", "region_id").first()
