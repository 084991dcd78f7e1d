"""Scoped reads of zero-employment households (零就业家庭) and capacity marks: the current list, the
history of spells (the proof of dynamic zero), the per-street overview and the marks. The web pages
and the API call the same functions (search / count / rows-of-search per list, as in
docs/architecture.md "Lists and exports"); every read is scoped by the user's region
(``accounts.scoping.region_q``) and needs a role that reads the registry."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, DateField, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Substr
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import roles
from jiuye.accounts.scoping import region_q, scope_prefix
from jiuye.assistance.models import (
    CapacityMark,
    Case,
    CaseKind,
    CaseService,
    CaseStatus,
    SpellEnd,
    ZeroEmploymentSpell,
)
from jiuye.paging import page, sort_key, sorted_by
from jiuye.regions.codes import LEVEL_PREFIX_LENGTH
from jiuye.regions.models import Region
from jiuye.regions.queries import under_code_q
from jiuye.registry.models import Household

NOT_FOUND = "记录不存在或不在您的管辖范围内"
ACTIVE = (CaseStatus.OPEN, CaseStatus.FOLLOW_UP)


def _visible(user, qs: QuerySet, field: str = "region") -> QuerySet:
    if not roles.can_read_registry(user):
        return qs.none()
    return qs.filter(region_q(user, field))


def _under(qs: QuerySet, code: str, field: str = "region") -> QuerySet:
    if not code:
        return qs
    try:
        return qs.filter(under_code_q(code.strip(), field))
    except ValueError:
        raise ValueError(_("区划代码“%(c)s”无效") % {"c": code}) from None


# ---------------------------------------------------------------------------------------------
# Current zero-employment households (零就业家庭名单)

HOUSEHOLD_STATES = [("overdue", "已逾期"), ("open", "援助中（未逾期）"), ("no_case", "无援助个案")]


@dataclass
class ZeroHouseholdSearch:
    region_code: str = ""  # a street or community under the user's node
    state: str = ""  # "" | "overdue" | "open" | "no_case"
    sort: str = ""  # a key of ZERO_HOUSEHOLD_SORTS ("-" descending); "" = overdue first (earliest deadline)
    limit: int = 50
    offset: int = 0


ZERO_HOUSEHOLD_SORTS = {"due": ("zero_due", "number"), "since": ("zero_since", "number"), "number": ("number",),
                        "region": ("region_id", "number")}
ZERO_HOUSEHOLD_DEFAULT_SORT = "due"


def zero_household_sort(search: ZeroHouseholdSearch) -> str:
    return sort_key(ZERO_HOUSEHOLD_SORTS, search.sort, ZERO_HOUSEHOLD_DEFAULT_SORT)


def _zero_households(user, search: ZeroHouseholdSearch) -> QuerySet[Household]:
    today = timezone.localdate()
    case = Case.objects.filter(kind=CaseKind.ZERO_EMPLOYMENT, household_id=OuterRef("pk"), status__in=ACTIVE)
    spell = ZeroEmploymentSpell.objects.filter(household_id=OuterRef("pk"), ended_on__isnull=True)
    qs = _visible(user, Household.objects.filter(is_zero_employment=True)).annotate(
        zero_case=Subquery(case.values("pk")[:1]),
        zero_case_status=Subquery(case.values("status")[:1]),
        zero_due=Subquery(case.values("next_due_on")[:1]),
        zero_escalation=Subquery(case.values("escalation")[:1]),
        zero_opened=Subquery(case.values("opened_on")[:1]),
        zero_since=Subquery(spell.values("started_on")[:1]),
    ).select_related("region", "region__parent")
    qs = _under(qs, search.region_code)
    if search.state == "overdue":
        qs = qs.filter(zero_case_status=CaseStatus.OPEN, zero_due__lt=today)
    elif search.state == "open":
        qs = qs.filter(zero_case_status=CaseStatus.OPEN).filter(Q(zero_due__gte=today) | Q(zero_due__isnull=True))
    elif search.state == "no_case":
        qs = qs.filter(Q(zero_case_status__isnull=True) | ~Q(zero_case_status=CaseStatus.OPEN))
    return qs


def zero_households_of_search(user, search: ZeroHouseholdSearch) -> QuerySet[Household]:
    return sorted_by(_zero_households(user, search), ZERO_HOUSEHOLD_SORTS, zero_household_sort(search),
                     ZERO_HOUSEHOLD_DEFAULT_SORT)


def search_zero_households(user, search: ZeroHouseholdSearch) -> tuple[list[Household], bool]:
    return page(zero_households_of_search(user, search), search.limit, search.offset)


def count_zero_households(user, search: ZeroHouseholdSearch) -> int:
    return _zero_households(user, search).count()


def days_since(household: Household, today: datetime.date | None = None) -> int | None:
    since = getattr(household, "zero_since", None)
    return ((today or timezone.localdate()) - since).days if since else None


# ---------------------------------------------------------------------------------------------
# History: every spell (零就业家庭记录), the proof of dynamic zero


@dataclass
class SpellSearch:
    region_code: str = ""
    date_from: datetime.date | None = None  # spells overlapping the period [date_from, date_to]
    date_to: datetime.date | None = None
    end: str = ""  # "" | "open" | "resolved" | "no_longer_qualifies"
    cause: str = ""  # a SpellCause value
    sort: str = ""  # a key of SPELL_SORTS; "" = newest first
    limit: int = 50
    offset: int = 0


SPELL_SORTS = {"started_on": ("started_on",), "ended_on": ("ended_on", "started_on"),
               "region": ("region_id", "started_on"), "number": ("household__number", "started_on")}
SPELL_DEFAULT_SORT = "-started_on"


def spell_sort(search: SpellSearch) -> str:
    return sort_key(SPELL_SORTS, search.sort, SPELL_DEFAULT_SORT)


def _spells(user, search: SpellSearch) -> QuerySet[ZeroEmploymentSpell]:
    today = timezone.localdate()
    services = (CaseService.objects.filter(case_id=OuterRef("case_id"), served_on__gte=OuterRef("started_on"),
                                           served_on__lte=Coalesce(OuterRef("ended_on"), Value(today, output_field=DateField())))
                .order_by().values("case_id").annotate(n=Count("pk")).values("n"))
    qs = _visible(user, ZeroEmploymentSpell.objects.all()).select_related(
        "household", "region", "region__parent", "case").annotate(
        services_count=Coalesce(Subquery(services, output_field=IntegerField()), 0))
    qs = _under(qs, search.region_code)
    if search.date_to:
        qs = qs.filter(started_on__lte=search.date_to)
    if search.date_from:
        qs = qs.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=search.date_from))
    if search.end == "open":
        qs = qs.filter(ended_on__isnull=True)
    elif search.end in SpellEnd.values:
        qs = qs.filter(end_kind=search.end)
    if search.cause:
        qs = qs.filter(end_cause=search.cause)
    return qs


def spells_of_search(user, search: SpellSearch) -> QuerySet[ZeroEmploymentSpell]:
    return sorted_by(_spells(user, search), SPELL_SORTS, spell_sort(search), SPELL_DEFAULT_SORT)


def search_spells(user, search: SpellSearch) -> tuple[list[ZeroEmploymentSpell], bool]:
    return page(spells_of_search(user, search), search.limit, search.offset)


def count_spells(user, search: SpellSearch) -> int:
    return _spells(user, search).count()


def spell_days(spell: ZeroEmploymentSpell, today: datetime.date | None = None) -> int:
    return ((spell.ended_on or today or timezone.localdate()) - spell.started_on).days


def household_spells(user, household: Household) -> list[ZeroEmploymentSpell]:
    """The household page's 零就业家庭记录 panel (the page already checked the household's scope)."""
    if not roles.can_read_registry(user):
        return []
    return list(_spells(user, SpellSearch()).filter(household=household).order_by("-started_on", "-pk"))


# ---------------------------------------------------------------------------------------------
# Capacity marks (无劳动能力 / 无就业意愿标记)


@dataclass
class MarkSearch:
    region_code: str = ""
    kind: str = ""  # a CapacityKind value
    state: str = ""  # "" | "active" | "lifted"
    cleared: bool = False  # only marks that took a zero-employment household off the list
    date_from: datetime.date | None = None  # marked_on
    date_to: datetime.date | None = None
    person_id: int | None = None
    sort: str = ""
    limit: int = 50
    offset: int = 0


MARK_SORTS = {"marked_on": ("marked_on",), "name": ("person__name", "marked_on"), "region": ("region_id", "marked_on"),
              "kind": ("kind", "marked_on")}
MARK_DEFAULT_SORT = "-marked_on"


def mark_sort(search: MarkSearch) -> str:
    return sort_key(MARK_SORTS, search.sort, MARK_DEFAULT_SORT)


def _marks(user, search: MarkSearch) -> QuerySet[CapacityMark]:
    qs = _visible(user, CapacityMark.objects.all()).select_related("person", "household", "region", "region__parent",
                                                                   "marked_by", "lifted_by")
    qs = _under(qs, search.region_code)
    if search.kind:
        qs = qs.filter(kind=search.kind)
    if search.state == "active":
        qs = qs.filter(lifted_on__isnull=True)
    elif search.state == "lifted":
        qs = qs.filter(lifted_on__isnull=False)
    if search.cleared:
        qs = qs.filter(cleared_zero_household=True)
    if search.date_from:
        qs = qs.filter(marked_on__gte=search.date_from)
    if search.date_to:
        qs = qs.filter(marked_on__lte=search.date_to)
    if search.person_id:
        qs = qs.filter(person_id=search.person_id)
    return qs


def marks_of_search(user, search: MarkSearch) -> QuerySet[CapacityMark]:
    return sorted_by(_marks(user, search), MARK_SORTS, mark_sort(search), MARK_DEFAULT_SORT)


def search_marks(user, search: MarkSearch) -> tuple[list[CapacityMark], bool]:
    return page(marks_of_search(user, search), search.limit, search.offset)


def count_marks(user, search: MarkSearch) -> int:
    return _marks(user, search).count()


def get_mark(user, pk: int) -> CapacityMark:
    """One mark in the user's scope; otherwise "not found" (the same answer as a missing record)."""
    mark = _marks(user, MarkSearch()).filter(pk=pk).first()
    if mark is None:
        raise Http404(NOT_FOUND)
    return mark


# ---------------------------------------------------------------------------------------------
# Overview per street (零就业家庭动态清零情况)

OVERVIEW_MEASURES = ["current", "overdue", "opened", "resolved", "no_longer_qualifies", "marks", "marks_cleared"]
OVERVIEW_LABELS = {
    "current": "当前零就业家庭", "overdue": "其中援助逾期", "opened": "期间新认定", "resolved": "期间就业消除",
    "no_longer_qualifies": "期间不再符合条件", "marks": "期间劳动能力/就业意愿标记", "marks_cleared": "其中致家庭消除",
}


@dataclass
class OverviewRow:
    code: str
    name: str
    counts: dict[str, int]


@dataclass
class ZeroOverview:
    date_from: datetime.date
    date_to: datetime.date
    rows: list[OverviewRow]
    total: OverviewRow


def _grouped(qs: QuerySet, width: int) -> dict[str, int]:
    return {key: n for key, n in qs.order_by().annotate(_rk=Substr("region_id", 1, width)).values("_rk")
            .annotate(_n=Count("pk")).values_list("_rk", "_n")}


def zero_overview(user, date_from: datetime.date | None = None, date_to: datetime.date | None = None) -> ZeroOverview | None:
    """Per child region of the user's node (streets of a district, communities of a street ...): the
    zero-employment households now, their overdue cases, and in the period the spells opened, ended by
    employment (resolved) and otherwise (no longer qualifies), the capacity marks and those that took
    a household off the list. One GROUP BY query per measure. Default period: this year to today."""
    prefix = scope_prefix(user)
    if prefix is None or not roles.can_read_registry(user):
        return None
    today = timezone.localdate()
    date_to = date_to or today
    date_from = date_from or datetime.date(date_to.year, 1, 1)
    deeper = [w for w in sorted(LEVEL_PREFIX_LENGTH.values()) if w > len(prefix)]
    width = deeper[0] if deeper else len(prefix)
    if not deeper:
        regions = list(Region.objects.filter(code=user.region_id))
    elif user.region_id:
        regions = list(Region.objects.filter(parent_id=user.region_id).order_by("code"))
    else:
        regions = list(Region.objects.filter(parent__isnull=True).order_by("code"))
    spells = _visible(user, ZeroEmploymentSpell.objects.all())
    marks = _visible(user, CapacityMark.objects.all()).filter(marked_on__gte=date_from, marked_on__lte=date_to)
    ended = spells.filter(ended_on__gte=date_from, ended_on__lte=date_to)
    measures = {
        "current": _grouped(_visible(user, Household.objects.filter(is_zero_employment=True)), width),
        "overdue": _grouped(_visible(user, Case.objects.filter(kind=CaseKind.ZERO_EMPLOYMENT, status=CaseStatus.OPEN,
                                                                next_due_on__lt=today)), width),
        "opened": _grouped(spells.filter(started_on__gte=date_from, started_on__lte=date_to), width),
        "resolved": _grouped(ended.filter(end_kind=SpellEnd.RESOLVED), width),
        "no_longer_qualifies": _grouped(ended.filter(end_kind=SpellEnd.NO_LONGER_QUALIFIES), width),
        "marks": _grouped(marks, width),
        "marks_cleared": _grouped(marks.filter(cleared_zero_household=True), width),
    }
    rows = [OverviewRow(code=r.code, name=r.name, counts={m: measures[m].get(r.code[:width], 0) for m in OVERVIEW_MEASURES})
            for r in regions]
    total = OverviewRow(code="", name=_("合计"), counts={m: sum(measures[m].values()) for m in OVERVIEW_MEASURES})
    return ZeroOverview(date_from=date_from, date_to=date_to, rows=rows, total=total)


def overview_labels() -> list[tuple[str, str]]:
    return [(m, _(OVERVIEW_LABELS[m])) for m in OVERVIEW_MEASURES]
