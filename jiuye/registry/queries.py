"""Reads of the registry, always scoped to the user's role and region (jiuye.accounts.scoping)."""
from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from itertools import islice
from typing import Iterable, Iterator

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import audit, roles
from jiuye.accounts.audit import entries_about_q
from jiuye.accounts.models import AuditEntry, Role
from jiuye.accounts.queries import audit_entries_visible_to, days_q
from jiuye.accounts.scoping import OutOfScope, region_q, scope_prefix
from jiuye.paging import page, sort_key, sorted_by
from jiuye.regions.codes import LEVEL_PREFIX_LENGTH, significant_prefix
from jiuye.regions.models import Region
from jiuye.regions.queries import under_code_q
from jiuye.registry import groups as group_rules
from jiuye.registry.identity import credit_code_in, normalise
from jiuye.registry.models import (
    AccountLink,
    Employer,
    EmploymentStatus,
    Household,
    HouseholdMembership,
    Person,
    Registration,
)
from jiuye.registry.retirement import age_on, is_working_age
from jiuye.registry.status import StatusOnDate, status_label, status_on, timeline


class NotFound(Http404):
    """The record does not exist or lies outside the user's scope (the two are not told apart)."""


# ---------------------------------------------------------------------------------------------
# Links between user accounts and registry records (registry.AccountLink)


def account_link(user) -> AccountLink | None:
    """The registry record ``user`` acts for (a resident's person, an employer user's employer), if any.
    Cached on the user object by Django after the first read."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "pk", None) is None:
        return None
    try:
        return user.registry_link
    except AccountLink.DoesNotExist:
        return None


def linked_person_id(user) -> int | None:
    """Id of the person record that is ``user``'s own (a resident's), or None."""
    return getattr(account_link(user), "person_id", None)


def linked_employer_id(user) -> int | None:
    """Id of the employer ``user`` acts for (an employer user's), or None."""
    return getattr(account_link(user), "employer_id", None)


def account_region_code(user) -> str:
    """The region an account's audit entries belong to: a staff user's node; an employer user's employer's
    region; a resident's own record's region; "" when none."""
    if getattr(user, "region_id", None):
        return user.region_id
    link = account_link(user)
    if link is None:
        return ""
    if link.person_id:
        return Person.objects.filter(pk=link.person_id).values_list("region_id", flat=True).first() or ""
    if link.employer_id:
        return Employer.objects.filter(pk=link.employer_id).values_list("region_id", flat=True).first() or ""
    return ""


# ---------------------------------------------------------------------------------------------
# What a user may see


def persons_visible_to(user) -> QuerySet[Person]:
    if not getattr(user, "is_authenticated", False):
        return Person.objects.none()
    if user.role == Role.RESIDENT and not user.is_superuser:
        person_id = linked_person_id(user)
        return Person.objects.filter(pk=person_id) if person_id else Person.objects.none()
    if not roles.can_read_registry(user):
        return Person.objects.none()
    return Person.objects.filter(region_q(user))


def households_visible_to(user) -> QuerySet[Household]:
    if not roles.can_read_registry(user):
        person_id = linked_person_id(user) if getattr(user, "role", None) == Role.RESIDENT else None
        if person_id:
            return Household.objects.filter(memberships__person_id=person_id, memberships__left_on__isnull=True)
        return Household.objects.none()
    return Household.objects.filter(region_q(user))


def employers_visible_to(user) -> QuerySet[Employer]:
    if getattr(user, "is_authenticated", False) and user.role == Role.EMPLOYER_USER and not user.is_superuser:
        employer_id = linked_employer_id(user)
        return Employer.objects.filter(pk=employer_id) if employer_id else Employer.objects.none()
    if not roles.can_read_registry(user):
        return Employer.objects.none()
    return Employer.objects.filter(region_q(user))


def visible_employer_by_credit_code(user, code: str) -> Employer | None:
    """The employer with this 统一社会信用代码 if ``user`` may see it, else None (the caller says "不存在或不在您的
    管辖范围内": nothing tells an employer outside the scope from one that does not exist). The code is
    compared in upper case without surrounding spaces."""
    code = (code or "").strip().upper()
    if not code:
        return None
    return employers_visible_to(user).select_related("region").filter(credit_code=code).first()


def _under_region_q(code: str, field: str = "region") -> Q:
    """A search's region filter: everything under the node ``code``; ValueError (in Chinese) if invalid."""
    try:
        return under_code_q(code.strip(), field)
    except ValueError:
        raise ValueError(_("区划代码“%(c)s”无效") % {"c": code}) from None


@dataclass
class PersonSearch:
    text: str = ""
    region_code: str = ""
    status: str = ""
    group: str = ""
    hukou_type: str = ""
    sort: str = ""  # a key of PERSON_SORTS, "-" for descending; "" = by name for a text search, else by number
    limit: int = 50
    offset: int = 0


#: The person list's sort keys (the visible columns a list may be ordered by). Deliberately not sex,
#: age or household registration (docs/architecture.md, "Fairness").
PERSON_SORTS = {"id": (), "name": ("name",), "region": ("region_id",), "status": ("employment_status", "name")}


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


def person_sort(search: PersonSearch) -> str:
    # Text searches list by name; filter-only listings by record number, which lets the database stop
    # after one page instead of sorting every match (a district holds hundreds of thousands).
    return sort_key(PERSON_SORTS, search.sort, "name" if search.text.strip() else "id")


# Ordering a wide scope (a district of 1,000,000) by name or number: SQLite's planner, without range
# statistics, drives such a query from the region index (a range it takes for selective) and sorts
# every row (name: 4.3 s, number: 0.4 s on the 1M city, bench/bench_lists.py). Written as a prefix
# match it cannot use that index, so it walks the name index (or the table in number order) and stops
# after the page (30 ms at page 100). Same rows: every code under a node starts with its prefix.
# PostgreSQL keeps the range (its planner has the statistics). Counts keep the range (an index count).
WIDE_PREFIX = 9  # a street or wider
ORDER_INDEXED = {"id", "name", "status"}  # status: the (status, name) index


def _order_friendly(user, search: PersonSearch) -> bool:
    return (connection.vendor == "sqlite" and not search.text.strip() and person_sort(search).lstrip("-") in ORDER_INDEXED
            and getattr(user, "is_authenticated", False) and roles.can_read_registry(user)
            and (user.role != Role.RESIDENT or user.is_superuser))


def _region_prefix_q(code: str, field: str = "region__code") -> Q:
    prefix = significant_prefix(code)
    return Q(**{f"{field}__startswith": prefix}) if prefix else Q()


def _persons(user, search: PersonSearch, on: datetime.date | None = None, *, ordered: bool = False) -> QuerySet[Person]:
    """The persons of a search, unordered: the one filter of the list, its count and its export.
    ``ordered``: the query will be ordered and paged (see ``_order_friendly``)."""
    prefix = scope_prefix(user)
    friendly = ordered and prefix is not None and _order_friendly(user, search)
    if friendly and len(prefix) <= WIDE_PREFIX:
        qs = Person.objects.filter(region__code__startswith=prefix) if prefix else Person.objects.all()
    else:
        qs = persons_visible_to(user)
    qs = qs.filter(text_q(search.text))
    if search.region_code:
        region = _under_region_q(search.region_code)  # validates the code (ValueError in Chinese)
        if friendly and len(significant_prefix(search.region_code.strip())) <= WIDE_PREFIX:
            region = _region_prefix_q(search.region_code.strip())
        qs = qs.filter(region)
    if search.status:
        qs = qs.filter(employment_status=search.status)
    if search.hukou_type:
        qs = qs.filter(hukou_type=search.hukou_type)
    if search.group:
        if search.group not in group_rules.GROUPS_BY_CODE:
            raise ValueError(_("未知的人员类别：%(g)s") % {"g": search.group})
        qs = group_rules.filter_group(qs, search.group, on)
    return qs


def persons_of_search(user, search: PersonSearch, *, on: datetime.date | None = None) -> QuerySet[Person]:
    """Every person of a search, in the list's order (the export reads this)."""
    return sorted_by(_persons(user, search, on, ordered=True).select_related("region", "region__parent"),
                     PERSON_SORTS, person_sort(search), "id")


def search_persons(user, search: PersonSearch, *, on: datetime.date | None = None) -> tuple[list[Person], bool]:
    """One page of matching persons (in the search's order) and whether there are more."""
    return page(persons_of_search(user, search, on=on), search.limit, search.offset)


def count_persons(user, search: PersonSearch, *, on: datetime.date | None = None) -> int:
    """How many persons the search selects (the list's total)."""
    return _persons(user, search, on).count()


@dataclass
class HouseholdSearch:
    number: str = ""  # household number prefix
    region_code: str = ""
    zero_employment: bool = False
    sort: str = ""  # a key of HOUSEHOLD_SORTS, "-" for descending; "" = by number
    limit: int = 50
    offset: int = 0


HOUSEHOLD_SORTS = {"number": ("number",), "region": ("region_id",), "members": ("member_count",),
                   "address": ("address",)}


def household_sort(search: HouseholdSearch) -> str:
    return sort_key(HOUSEHOLD_SORTS, search.sort, "number")


def _households(user, search: HouseholdSearch) -> QuerySet[Household]:
    qs = households_visible_to(user)
    number = search.number.strip()
    if number:
        qs = qs.filter(number__startswith=number)
    if search.region_code:
        qs = qs.filter(_under_region_q(search.region_code))
    if search.zero_employment:
        qs = qs.filter(pk__in=group_rules.zero_employment_households().values("pk"))
    return qs


def households_of_search(user, search: HouseholdSearch) -> QuerySet[Household]:
    """Every household of a search with its current member count, in the list's order."""
    qs = _households(user, search).select_related("region", "region__parent").annotate(
        member_count=Count("memberships", filter=Q(memberships__left_on__isnull=True)))
    return sorted_by(qs, HOUSEHOLD_SORTS, household_sort(search), "number")


def search_households(user, search: HouseholdSearch) -> tuple[list[Household], bool]:
    """One page of households (by number, or the search's sort) with their current member count, and
    whether there are more."""
    return page(households_of_search(user, search), search.limit, search.offset)


def count_households(user, search: HouseholdSearch) -> int:
    return _households(user, search).count()


@dataclass
class EmployerSearch:
    text: str = ""  # an exact credit code (18 characters) or a part of the name
    region_code: str = ""
    sort: str = ""  # a key of EMPLOYER_SORTS, "-" for descending; "" = by name
    limit: int = 50
    offset: int = 0


EMPLOYER_SORTS = {"name": ("name",), "credit_code": ("credit_code",), "region": ("region_id",),
                  "ownership": ("ownership",), "size": ("size_class",), "employees": ("employee_count",)}


def employer_sort(search: EmployerSearch) -> str:
    return sort_key(EMPLOYER_SORTS, search.sort, "name")


def _employers(user, search: EmployerSearch) -> QuerySet[Employer]:
    qs = employers_visible_to(user)
    code = credit_code_in(search.text)
    if code:
        qs = qs.filter(credit_code=code)
    elif search.text.strip():
        qs = qs.filter(name__contains=search.text.strip())
    if search.region_code:
        qs = qs.filter(_under_region_q(search.region_code))
    return qs


def employers_of_search(user, search: EmployerSearch) -> QuerySet[Employer]:
    return sorted_by(_employers(user, search).select_related("region", "region__parent"), EMPLOYER_SORTS,
                     employer_sort(search), "name")


def search_employers(user, search: EmployerSearch) -> tuple[list[Employer], bool]:
    """One page of employers (by name, or the search's sort) and whether there are more."""
    return page(employers_of_search(user, search), search.limit, search.offset)


def count_employers(user, search: EmployerSearch) -> int:
    return _employers(user, search).count()


def _get_visible(qs: QuerySet, pk: int, *, not_found: str, object_type: str, label: str, summary: str, user,
                 audit_read: bool):
    """One record of a scoped queryset, or NotFound; records the read in the audit log."""
    record = qs.filter(pk=pk).first()
    if record is None:
        raise NotFound(not_found)
    if audit_read:
        audit.record(user, AuditEntry.Action.VIEW, object_type=object_type, object_id=record.pk,
                     object_label=getattr(record, label), region_code=record.region_id, summary=summary)
    return record


def get_person(user, pk: int, *, audit_read: bool = True) -> Person:
    """One person's record for ``user``; records the read in the audit log."""
    return _get_visible(persons_visible_to(user).select_related("region", "current_employer"), pk, user=user,
                        audit_read=audit_read, not_found=_("人员不存在或不在您的管辖范围内"), object_type="person",
                        label="name", summary=_("查看人员档案"))


def get_person_for_change(user, pk: int, *, audit_read: bool = False) -> Person:
    """A person the user may change. Forms that show the person pass ``audit_read=True`` when they
    render (``record_person_read`` when the record was already fetched)."""
    if not roles.can_write_registry(user):
        raise OutOfScope(_("您的角色无权修改登记信息"))
    return get_person(user, pk, audit_read=audit_read)


def record_person_read(user, person: Person, *, summary: str | None = None) -> None:
    """Records that ``user`` was shown ``person`` (a form showing the person, an API answer with no change)."""
    audit.record(user, AuditEntry.Action.VIEW, object_type="person", object_id=person.pk, object_label=person.name,
                 region_code=person.region_id, summary=summary or _("查看人员档案"))


def may_see_full_id_number(user, person: Person) -> bool:
    """Roles in ``roles.FULL_ID_NUMBER_ROLES``, and a resident for their own record."""
    return roles.can_see_full_id_number(user) or linked_person_id(user) == person.pk


def reveal_id_number(user, pk: int) -> str:
    """The full identity number of a person in scope, for users who may see it; the request is audited
    ("显示完整号码" on the person page: the page itself carries only the masked number)."""
    person = get_person(user, pk, audit_read=False)
    if not may_see_full_id_number(user, person):
        raise OutOfScope(_("您的角色无权查看完整公民身份号码"))
    audit.record(user, AuditEntry.Action.VIEW, object_type="person", object_id=person.pk, object_label=person.name,
                 region_code=person.region_id, changes={"fields": ["id_number"]}, summary=_("查看完整公民身份号码"))
    return person.id_number


def get_household(user, pk: int, *, audit_read: bool = True) -> Household:
    return _get_visible(households_visible_to(user).select_related("region"), pk, user=user, audit_read=audit_read,
                        not_found=_("家庭户不存在或不在您的管辖范围内"), object_type="household", label="number",
                        summary=_("查看家庭户"))


def get_household_for_change(user, pk: int) -> Household:
    """A household the user may change (writers only; out of scope answers like a missing record)."""
    if not roles.can_write_registry(user):
        raise OutOfScope(_("您的角色无权修改登记信息"))
    return get_household(user, pk, audit_read=False)


def visible_person(user, pk: int) -> Person | None:
    """A person named by record number in a request body (a household member to add): None both when
    it does not exist and when it lies outside the scope, so ids cannot be probed."""
    return persons_visible_to(user).filter(pk=pk).first()


def get_employer(user, pk: int, *, audit_read: bool = True) -> Employer:
    return _get_visible(employers_visible_to(user).select_related("region"), pk, user=user, audit_read=audit_read,
                        not_found=_("单位不存在或不在您的管辖范围内"), object_type="employer", label="name",
                        summary=_("查看用人单位"))


def registrations_of(person: Person) -> list[Registration]:
    return list(person.registrations.select_related("employer", "former_employer", "registered_in", "operator", "corrects").order_by(
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


def visible_employees(user, employer: Employer) -> QuerySet[Person]:
    """Current employees of ``employer`` that ``user`` may see."""
    return (employer_current_employees(employer) & persons_visible_to(user)).select_related("region")


def visible_employer(user, pk: int) -> Employer | None:
    return employers_visible_to(user).filter(pk=pk).first()


def employers_for_pick(user, limit: int = 300) -> list[Employer]:
    """Employers of the user's region for a picker (by name)."""
    return list(employers_visible_to(user).order_by("name", "pk").only("pk", "name", "credit_code")[:limit])


def visible_person_by_id_number(user, id_number: str) -> Person | None:
    number = normalise(id_number)
    if not number:
        return None
    return persons_visible_to(user).filter(id_number=number).first()


def registry_counts(user) -> dict[str, int]:
    """Counts for the workbench home: three queries whatever the size of the registry."""
    persons = persons_visible_to(user)
    counts = persons.aggregate(
        persons=Count("pk"),
        employed=Count("pk", filter=Q(employment_status=EmploymentStatus.EMPLOYED)),
        unemployed=Count("pk", filter=Q(employment_status=EmploymentStatus.UNEMPLOYED)),
    )
    counts["hard_to_employ"] = group_rules.filter_group(persons, "hard_to_employ").count()
    counts["zero_employment_households"] = (
        households_visible_to(user).filter(pk__in=group_rules.zero_employment_households().values("pk")).count()
    )
    return counts


# ---------------------------------------------------------------------------------------------
# The person page (web and API): one composition


@dataclass
class TimelineRow:
    entry: Registration
    counts: bool  # the entry counts (is neither void nor replaced by a correction)
    superseded_by: Registration | None  # the correction or void entry that replaced it
    correctable: bool


def timeline_rows(entries: list[Registration]) -> list[TimelineRow]:
    superseded_by = {e.corrects_id: e for e in entries if e.corrects_id is not None}
    return [TimelineRow(entry=entry, counts=counts, superseded_by=superseded_by.get(entry.pk),
                        correctable=counts and entry.kind != Registration.Kind.VOID)
            for entry, counts in timeline(entries)]


@dataclass
class StatusThen:
    on: datetime.date
    status: StatusOnDate
    label: str
    employer: Employer | None


# Entries of the audit log shown on a person's page ("档案变更记录"): changes, not reads.
CHANGE_LOG_SIZE = 10


@dataclass
class ChangeRow:
    """One change to a person's record: who, when, what kind, and which fields (the values stay in the
    audit log, whose readers may see more than the page's masking allows; the web labels the fields as
    the audit log does)."""

    entry: AuditEntry
    fields: list[str]  # field names as recorded


def _change_rows(entries: list[AuditEntry]) -> list[ChangeRow]:
    return [ChangeRow(entry=e, fields=[str(k) for k in (e.changes if isinstance(e.changes, dict) else {})])
            for e in entries]


@dataclass
class PersonPage:
    person: Person
    today: datetime.date
    age: int
    working_age: bool
    show_full_id: bool  # the user sees the full identity number and phone
    membership: HouseholdMembership | None  # the current household
    groups_on: datetime.date
    groups: list  # group_rules.GroupMembership (code, label, reason)
    status_then: StatusThen | None  # the status on the date asked for
    timeline: list[TimelineRow]
    change_log: list[ChangeRow] | None = field(default=None)  # None: the role may not read the audit log
    status_label: str = ""  # today's status as people read it (status.status_label: 未登记 / 已终止（原因）)


def _status_label(st, entry) -> str:
    reason = entry.ending_reason if entry is not None and entry.kind == Registration.Kind.ENDING else ""
    return status_label(st.status, st.since, reason)


def person_page(user, pk: int, *, on: datetime.date | None = None, audit_read: bool = True) -> PersonPage:
    """A person's record as the web page and the API show it: status (today and on ``on``), groups with
    their reasons, age and retirement, the registration timeline, the household and, for roles that
    read the audit log, the latest changes to the record. Records the read in the audit log."""
    person = get_person(user, pk, audit_read=audit_read)
    entries = registrations_of(person)
    today = timezone.localdate()
    status_then = None
    if on is not None:
        st = status_on(entries, on)
        entry = next((e for e in entries if e.pk == st.registration_id), None)
        status_then = StatusThen(on=on, status=st, label=_status_label(st, entry),
                                 employer=entry.employer if entry is not None and st.employer_id else None)
    now = status_on(entries, today)
    now_label = _status_label(now, next((e for e in entries if e.pk == now.registration_id), None))
    change_log = None
    if roles.can_read_audit(user):
        change_log = _change_rows(list(audit_entries_visible_to(user).filter(entries_about_q("person", person.pk))
                                       .exclude(action=AuditEntry.Action.VIEW).order_by("-at", "-id")[:CHANGE_LOG_SIZE]))
    return PersonPage(
        person=person,
        today=today,
        age=age_on(person.birth_date, today),
        working_age=is_working_age(person.birth_date, person.retirement_date, today),
        show_full_id=may_see_full_id_number(user, person),
        membership=current_household(person),
        groups_on=on or today,
        groups=group_rules.groups_of(person, on),
        status_then=status_then,
        timeline=timeline_rows(entries),
        change_log=change_log,
        status_label=now_label,
    )


@dataclass
class MemberRow:
    membership: HouseholdMembership
    age: int
    working_age: bool


@dataclass
class HouseholdPage:
    household: Household
    members: list[MemberRow]
    zero_employment: bool


def household_page(user, pk: int, *, audit_read: bool = True) -> HouseholdPage:
    """A household with its current members (age, working age) and its zero-employment flag as of today."""
    household = get_household(user, pk, audit_read=audit_read)
    today = timezone.localdate()
    members = [MemberRow(membership=m, age=age_on(m.person.birth_date, today),
                         working_age=is_working_age(m.person.birth_date, m.person.retirement_date, today))
               for m in household_members(household)]
    return HouseholdPage(household=household, members=members,
                         zero_employment=group_rules.is_zero_employment_household(household))


def employer_for_registration(credit_code: str) -> Employer | None:
    """An employer looked up by its exact credit code when registering someone's employment.

    Deliberately not region-scoped: a resident of one street often works for an employer registered
    elsewhere. It reveals only what the (public) credit code already names."""
    code = normalise(credit_code)
    if not code:
        return None
    return Employer.objects.filter(credit_code=code).only("pk", "name", "credit_code", "region_id").first()


def visible_employer_for_registration(user, pk: int) -> Employer | None:
    """An employer named by record number when registering: only among the employers ``user`` may see
    (internal ids are not public; an employer elsewhere is named by its credit code). None both when
    it does not exist and when it lies outside the scope, so ids cannot be probed."""
    return employers_visible_to(user).filter(pk=pk).only("pk", "name", "credit_code", "region_id").first()


def get_registration_for_change(user, pk: int) -> Registration:
    """A registration to correct or void: one the user may change (its person in the user's scope and a
    role that writes the registry). The same NotFound whether it does not exist or lies outside."""
    if not roles.can_write_registry(user):
        raise OutOfScope(_("您的角色无权修改登记信息"))
    entry = Registration.objects.filter(pk=pk, person__in=persons_visible_to(user)).first()
    if entry is None:
        raise NotFound(_("登记不存在或不在您的管辖范围内"))
    return entry


# ---------------------------------------------------------------------------------------------
# Pending registrations (待生效: scheduled hires, online self-registrations)


def pending_visible_to(user) -> QuerySet:
    """Pending registrations of the persons in the user's scope (nothing for roles that do not read the
    registry)."""
    from jiuye.registry.models import PendingRegistration

    if not roles.can_read_registry(user):
        return PendingRegistration.objects.none()
    return PendingRegistration.objects.filter(region_q(user, "person__region"))


def self_registrations_waiting(user, *, limit: int | None = None) -> list:
    """Online self-registrations of the user's scope waiting for a worker's confirmation, oldest first;
    empty for roles that cannot confirm them."""
    from jiuye.registry.models import PendingRegistration

    if not roles.can_write_registry(user):
        return []
    qs = (pending_visible_to(user).filter(origin=PendingRegistration.Origin.SELF_SERVICE,
                                          status=PendingRegistration.Status.WAITING_CONFIRMATION)
          .select_related("person", "person__region", "requested_by").order_by("requested_at", "pk"))
    return list(qs[:limit] if limit else qs)


def count_self_registrations_waiting(user) -> int:
    from jiuye.registry.models import PendingRegistration

    if not roles.can_write_registry(user):
        return 0
    return pending_visible_to(user).filter(origin=PendingRegistration.Origin.SELF_SERVICE,
                                           status=PendingRegistration.Status.WAITING_CONFIRMATION).count()


@dataclass
class SelfRegistrationSearch:
    """The 网上自助登记 list: a writer's online self-registrations of the user's scope."""
    status: str = "waiting_confirmation"  # a PendingRegistration.Status value; "" = every status
    kind: str = ""  # "employment" / "unemployment"; "" = both
    region_code: str = ""  # a street or community (the person's)
    date_from: datetime.date | None = None  # 提交时间, inclusive local dates
    date_to: datetime.date | None = None
    sort: str = ""  # a key of SELF_REGISTRATION_SORTS, "-" for descending; "" = oldest first
    limit: int = 50
    offset: int = 0


SELF_REGISTRATION_SORTS = {"requested_at": ("requested_at",), "name": ("person__name",),
                           "region": ("person__region_id",), "kind": ("kind", "requested_at"),
                           "effective_date": ("effective_date",), "status": ("status", "requested_at")}
SELF_REGISTRATION_DEFAULT_SORT = "requested_at"


def self_registration_sort(search: SelfRegistrationSearch) -> str:
    return sort_key(SELF_REGISTRATION_SORTS, search.sort, SELF_REGISTRATION_DEFAULT_SORT)


def _self_registrations(user, search: SelfRegistrationSearch) -> QuerySet:
    from jiuye.registry.models import PendingRegistration

    if not roles.can_write_registry(user):
        return PendingRegistration.objects.none()
    qs = pending_visible_to(user).filter(origin=PendingRegistration.Origin.SELF_SERVICE)
    if search.status:
        qs = qs.filter(status=search.status)
    if search.kind:
        qs = qs.filter(kind=search.kind)
    if search.region_code:
        qs = qs.filter(_under_region_q(search.region_code, "person__region"))
    return qs.filter(days_q("requested_at", search.date_from, search.date_to))


def self_registrations_of_search(user, search: SelfRegistrationSearch) -> QuerySet:
    """Every row of the list in its order (the export)."""
    return sorted_by(_self_registrations(user, search).select_related("person", "person__region",
                                                                      "person__region__parent", "decided_by"),
                     SELF_REGISTRATION_SORTS, self_registration_sort(search), SELF_REGISTRATION_DEFAULT_SORT)


def search_self_registrations(user, search: SelfRegistrationSearch) -> tuple[list, bool]:
    return page(self_registrations_of_search(user, search), search.limit, search.offset)


def count_self_registrations(user, search: SelfRegistrationSearch) -> int:
    return _self_registrations(user, search).count()


def get_pending_for_change(user, pk: int):
    """A pending registration the user may confirm or reject: the same NotFound whether it does not
    exist or lies outside the user's scope."""
    if not roles.can_write_registry(user):
        raise OutOfScope(_("您的角色无权修改登记信息"))
    pending = pending_visible_to(user).filter(pk=pk).select_related("person", "person__region", "requested_by").first()
    if pending is None:
        raise NotFound(_("登记申请不存在或不在您的管辖范围内"))
    return pending


def own_pending_registrations(user) -> list:
    """A resident's own online registration requests, newest first (the resident's portal)."""
    from jiuye.registry.models import PendingRegistration

    person_id = linked_person_id(user) if getattr(user, "role", None) == Role.RESIDENT else None
    if person_id is None:
        return []
    return list(PendingRegistration.objects.filter(person_id=person_id, origin=PendingRegistration.Origin.SELF_SERVICE)
                .select_related("registration", "decided_by").order_by("-requested_at", "-pk"))


def get_own_pending(user, pk: int):
    """One of the resident's own requests, or NotFound."""
    row = next((p for p in own_pending_registrations(user) if p.pk == pk), None)
    if row is None:
        raise NotFound(_("登记申请不存在"))
    return row


def open_pending_of(person: Person) -> list:
    """The person's pending registrations that have not been decided (the person page's 待生效)."""
    from jiuye.registry.models import PendingRegistration

    return list(person.pending_registrations.filter(status__in=PendingRegistration.OPEN)
                .select_related("requested_by").order_by("effective_date", "pk"))


def pending_employers(pending_rows) -> dict[int, Employer]:
    """The employers named in these pending rows' values, by id (one query)."""
    ids = {v for p in pending_rows for k, v in (p.values or {}).items() if k in ("employer", "former_employer") and v}
    return {e.pk: e for e in Employer.objects.filter(pk__in=ids)}


def with_summaries(pending_rows: Iterable, *, chunk: int = 2000) -> Iterator:
    """The rows, each with ``summary`` set (``pending_summary``), reading the employers they name once
    per chunk rather than once per row: for lists, exports and the API."""
    rows = iter(pending_rows)
    while batch := list(islice(rows, chunk)):
        employers = pending_employers(batch)
        for p in batch:
            p.summary = pending_summary(p, employers=employers)
            yield p


def pending_summary(pending, *, employers: dict[int, Employer] | None = None) -> str:
    """What a pending entry will register, in words (the web pages and the API say the same).
    ``employers``: the named employers already read (``with_summaries`` reads them once per chunk)."""
    from jiuye.registry.models import ContractType, EmploymentForm, UnemploymentReason

    values = pending.values or {}
    if employers is None:
        employers = pending_employers([pending])
    parts = []
    if pending.kind == Registration.Kind.EMPLOYMENT:
        if values.get("employment_form") in EmploymentForm.values:
            parts.append(str(EmploymentForm(values["employment_form"]).label))
        if values.get("employer") in employers:
            parts.append(employers[values["employer"]].name)
        if values.get("contract_type") in ContractType.values:
            parts.append(str(ContractType(values["contract_type"]).label))
        if values.get("contract_start") or values.get("contract_end"):
            parts.append(_("合同 %(s)s 至 %(e)s") % {"s": values.get("contract_start") or "—",
                                                    "e": values.get("contract_end") or "—"})
        if values.get("contract_months") is not None:
            parts.append(_("%(m)s个月") % {"m": values["contract_months"]})
        if values.get("occupation"):
            parts.append(values["occupation"])
    else:
        if values.get("unemployment_reason") in UnemploymentReason.values:
            parts.append(_("失业原因：%(r)s") % {"r": UnemploymentReason(values["unemployment_reason"]).label})
        if values.get("former_employer") in employers:
            parts.append(_("失业前单位：%(n)s") % {"n": employers[values["former_employer"]].name})
    return "，".join(parts)

# The overview per child region (the district, street and city officers' home)

OVERVIEW_MEASURES = ("persons", "employed", "unemployed", "hard_to_employ", "zero_employment_households")


@dataclass
class OverviewRow:
    code: str  # the child region's 12-digit code ("" for the totals row)
    name: str
    counts: dict[str, int]


@dataclass
class Overview:
    level_label: str  # what the rows are: 街道/乡镇, 社区/村, 区县
    rows: list[OverviewRow]
    total: OverviewRow
    groups: list[tuple[str, str, int]]  # key groups: (code, label, count) over the whole scope
    own_node: bool  # True when the one row is the user's own node (a community worker)


def _grouped(qs: QuerySet, width: int) -> dict[str, int]:
    """Counts of ``qs`` per region-code prefix of ``width`` digits: one GROUP BY query."""
    return {key: n for key, n in qs.order_by().annotate(_rk=Substr("region_id", 1, width)).values("_rk")
            .annotate(_n=Count("pk")).values_list("_rk", "_n")}


def region_overview(user, *, with_groups: bool = True) -> Overview | None:
    """Registered persons, employed, registered unemployed, hard-to-employ persons and zero-employment
    households per child region of the user's node (districts of a city, streets of a district,
    communities of a street; a community worker's own community), with a totals row, and the key
    groups over the whole scope. Set-based whatever the number of regions: one grouped pass over the
    persons for every person measure and key group, one over the households (the same conditions as
    the lists the cells link to: status, ``groups.group_condition`` as in ``filter_group``,
    ``zero_employment_households``)."""
    prefix = scope_prefix(user)
    if prefix is None or not roles.can_read_registry(user):
        return None
    widths = sorted(LEVEL_PREFIX_LENGTH.values())
    deeper = [w for w in widths if w > len(prefix)]
    own_node = not deeper
    width = len(prefix) if own_node else deeper[0]
    persons = persons_visible_to(user)
    if own_node:
        regions = list(Region.objects.filter(code=user.region_id))
    elif user.region_id:
        regions = list(Region.objects.filter(parent_id=user.region_id).order_by("code"))
    else:
        regions = list(Region.objects.filter(parent__isnull=True).order_by("code"))
    # One pass over the persons in scope, grouped by child region: the status measures, hard-to-employ
    # and every key group as filtered counts over the aliases of ``with_history_annotations`` (today:
    # the projections and the zero-employment members), each with ``group_condition``, the condition
    # ``filter_group`` applies for the lists. One grouped query for the households.
    today = timezone.localdate()
    annotated = group_rules.with_history_annotations(persons, today, status=True, household=True)
    codes = ["hard_to_employ"] + ([g.code for g in group_rules.GROUPS] if with_groups else [])
    group_counts = {}
    for code in dict.fromkeys(codes):
        condition = group_rules.group_condition(annotated, code, today)
        group_counts[f"g_{code.replace('.', '_')}"] = Count("pk", filter=condition if condition is not None
                                                            else Q(pk__in=[]))
    rows_q = annotated.order_by().annotate(_rk=Substr("region_id", 1, width)).values("_rk").annotate(
        persons=Count("pk"),
        employed=Count("pk", filter=Q(employment_status=EmploymentStatus.EMPLOYED)),
        unemployed=Count("pk", filter=Q(employment_status=EmploymentStatus.UNEMPLOYED)),
        **group_counts,
    )
    measures: dict[str, dict[str, int]] = {m: {} for m in OVERVIEW_MEASURES}
    per_group: dict[str, int] = {}
    for row in rows_q:
        key = row["_rk"]
        for m in ("persons", "employed", "unemployed"):
            measures[m][key] = row[m]
        measures["hard_to_employ"][key] = row["g_hard_to_employ"]
        for name in group_counts:
            per_group[name] = per_group.get(name, 0) + (row[name] or 0)
    measures["zero_employment_households"] = _grouped(
        households_visible_to(user).filter(pk__in=group_rules.zero_employment_households().values("pk")), width)
    rows = []
    for region in regions:
        key = region.code[:width]
        rows.append(OverviewRow(code=region.code, name=region.name,
                                counts={m: measures[m].get(key, 0) for m in OVERVIEW_MEASURES}))
    # Totals over the whole scope (rows in regions the tree does not list still count).
    total = OverviewRow(code="", name=_("合计"), counts={m: sum(measures[m].values()) for m in OVERVIEW_MEASURES})
    groups = []
    if with_groups:
        groups = [(g.code, str(g.label), per_group.get(f"g_{g.code.replace('.', '_')}", 0)) for g in group_rules.GROUPS]
    labels = {2: _("省"), 4: _("市"), 6: _("区县"), 9: _("街道/乡镇"), 12: _("社区/村")}
    return Overview(level_label=labels.get(width, _("区划")), rows=rows, total=total, groups=groups,
                    own_node=own_node)

