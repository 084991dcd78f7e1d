"""Scoped reads of the case workbench (援助个案): the case list (web, API and export share it), the case
page, the street/district overview and a worker's own summary.

"Overdue" is computed from ``next_due_on < today`` (and the escalation level from ``district_due_on``),
not from the stored ``Case.escalation`` the daily run writes, so the lists are right before that run too.
Everything is scoped by the case's community (``accounts.scoping.region_q``); a case outside the scope
is "not found", with the same text as a case that does not exist.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import audit, roles
from jiuye.accounts.models import AuditEntry
from jiuye.accounts.scoping import region_q, scope_prefix
from jiuye.assistance.calendar import PACKAGE_YEARS
from jiuye.assistance.models import (
    CalendarYear,
    Case,
    CaseDeadline,
    CaseKind,
    CaseStatus,
    CloseKind,
    EscalationLevel,
)
from jiuye.assistance.services import cases as case_services
from jiuye.paging import page, sort_key
from jiuye.regions.codes import pad
from jiuye.regions.models import Region
from jiuye.regions.queries import under_code_q
from jiuye.registry.identity import mask_id_number
from jiuye.registry.models import HouseholdMembership
from jiuye.registry.status import status_label

NOT_FOUND = "援助个案不存在或不在您的管辖范围内"
ACTIVE = "active"  # the status filter's default: open and in follow-up
ALL = "all"
STATUS_FILTERS = (ACTIVE, ALL, *CaseStatus.values)
ESCALATIONS = {"street": EscalationLevel.STREET, "district": EscalationLevel.DISTRICT}


@dataclass
class CaseSearch:
    kind: str = ""  # a CaseKind value
    status: str = ACTIVE  # "active" (open + follow-up), "all", or a CaseStatus value
    overdue: bool = False  # active and past its next deadline (as of today)
    escalation: str = ""  # "street" / "district": overdue and at that level (computed from the dates)
    region_code: str = ""  # a street or community under the user's scope
    mine: bool = False  # assigned to the user
    text: str = ""  # name of the person, or household number
    opened_from: datetime.date | None = None
    opened_to: datetime.date | None = None
    close_kind: str = ""  # a CloseKind value (closed cases; the overview's drill-down)
    closed_from: datetime.date | None = None
    closed_to: datetime.date | None = None
    sort: str = ""  # a key of CASE_SORTS, "-" for descending; "" = urgency
    limit: int = 50
    offset: int = 0


#: Sort whitelist. ``urgency`` (the default): overdue first, oldest due first, then by next due date;
#: cases without a deadline (closed) last. Sex, ethnicity and household registration are never offered.
CASE_SORTS = {
    "urgency": ("next_due_on",),
    "opened_on": ("opened_on",),
    "region": ("region_id",),
    "kind": ("kind",),
    "status": ("status",),
    "escalation": ("escalation",),
}
CASE_DEFAULT_SORT = "urgency"


def case_sort(search: CaseSearch) -> str:
    return sort_key(CASE_SORTS, search.sort, CASE_DEFAULT_SORT)


def cases_visible_to(user) -> QuerySet[Case]:
    if not roles.can_read_registry(user):
        return Case.objects.none()
    return Case.objects.filter(region_q(user))


def overdue_q(today: datetime.date) -> Q:
    return Q(status__in=case_services.ACTIVE, next_due_on__lt=today)


def district_level_q(today: datetime.date) -> Q:
    return Q(status__in=case_services.ACTIVE, district_due_on__lt=today)


def street_level_q(today: datetime.date) -> Q:
    return overdue_q(today) & ~Q(district_due_on__lt=today)


def _cases(user, search: CaseSearch, today: datetime.date | None = None) -> QuerySet[Case]:
    today = today or timezone.localdate()
    qs = cases_visible_to(user)
    if search.kind:
        qs = qs.filter(kind=search.kind)
    status = search.status or ACTIVE
    if status == ACTIVE:
        qs = qs.filter(status__in=case_services.ACTIVE)
    elif status != ALL:
        qs = qs.filter(status=status)
    if search.overdue:
        qs = qs.filter(overdue_q(today))
    if search.escalation == "street":
        qs = qs.filter(street_level_q(today))
    elif search.escalation == "district":
        qs = qs.filter(district_level_q(today))
    if search.region_code:
        try:
            qs = qs.filter(under_code_q(search.region_code.strip(), "region"))
        except ValueError:
            raise ValueError(_("区划代码“%(c)s”无效") % {"c": search.region_code}) from None
    if search.mine:
        qs = qs.filter(assigned_to=user)
    text = (search.text or "").strip()
    if text:
        qs = qs.filter(Q(person__name__contains=text) | Q(household__number__startswith=text))
    if search.opened_from:
        qs = qs.filter(opened_on__gte=search.opened_from)
    if search.opened_to:
        qs = qs.filter(opened_on__lte=search.opened_to)
    if search.close_kind:
        qs = qs.filter(close_kind=search.close_kind)
    if search.closed_from:
        qs = qs.filter(closed_on__gte=search.closed_from)
    if search.closed_to:
        qs = qs.filter(closed_on__lte=search.closed_to)
    return qs


def _ordered(qs: QuerySet[Case], key: str) -> QuerySet[Case]:
    descending = key.startswith("-")
    fields = CASE_SORTS[key.lstrip("-")]
    order = []
    for f in fields:
        expr = F(f)
        order.append(expr.desc(nulls_last=True) if descending else expr.asc(nulls_last=True))
    order.append("-pk" if descending else "pk")
    return qs.order_by(*order)


RELATED = ("region", "region__parent", "person", "household", "assigned_to")


def cases_of_search(user, search: CaseSearch, *, today: datetime.date | None = None) -> QuerySet[Case]:
    """Every case of the list in its order (the export)."""
    return _ordered(_cases(user, search, today), case_sort(search)).select_related(*RELATED)


def search_cases(user, search: CaseSearch, *, today: datetime.date | None = None) -> tuple[list[Case], bool]:
    """One page of the list. The page's ids come first from the index alone (scope, status and due date
    are all in ``case_region_due_idx``), then the rows with their joins: sorting a district's cases
    after joining them to households, persons and users would cost seconds."""
    ids, has_more = page(_ordered(_cases(user, search, today), case_sort(search)).values_list("pk", flat=True),
                         search.limit, search.offset)
    rows = {c.pk: c for c in Case.objects.filter(pk__in=ids).select_related(*RELATED)}
    return [rows[pk] for pk in ids], has_more


def count_cases(user, search: CaseSearch, *, today: datetime.date | None = None) -> int:
    return _cases(user, search, today).count()


def is_overdue(case: Case, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return case.status in case_services.ACTIVE and case.next_due_on is not None and case.next_due_on < today


def level_of(case: Case, today: datetime.date | None = None) -> int:
    """The escalation level the case is at today, from its dates (the daily run stores the same)."""
    today = today or timezone.localdate()
    if not is_overdue(case, today):
        return EscalationLevel.COMMUNITY
    if case.district_due_on is not None and case.district_due_on < today:
        return EscalationLevel.DISTRICT
    return EscalationLevel.STREET


def subject_label(case: Case) -> str:
    if case.kind == CaseKind.HARD_TO_EMPLOY:
        return case.person.name if case.person_id else ""
    return _("家庭户 %(n)s") % {"n": case.household.number} if case.household_id else ""


def get_case(user, pk: int) -> Case:
    """A case in the user's scope; otherwise "not found" (the same answer as a case that does not exist)."""
    case = (cases_visible_to(user).filter(pk=pk)
            .select_related("region", "region__parent", "person", "household", "assigned_to", "recognition").first())
    if case is None:
        raise Http404(NOT_FOUND)
    return case


def get_case_for_change(user, pk: int) -> Case:
    """A case the user may work on (services, reassignment): one "not found" outside the scope."""
    case = get_case(user, pk)
    if not roles.can_work_cases(user):
        raise Http404(NOT_FOUND)
    return case


# ---------------------------------------------------------------------------------------------
# The case page


@dataclass
class SubjectRow:
    person_id: int
    name: str
    id_masked: str
    relation: str
    status: str


@dataclass
class TimelineItem:
    on: datetime.date
    at: datetime.datetime
    kind: str  # "event" or "service"
    label: str
    text: str
    actor: str


@dataclass
class CasePage:
    case: Case
    subject: str
    members: list[SubjectRow]
    deadlines: list[CaseDeadline]
    uncovered_years: list[int]
    timeline: list[TimelineItem]
    next_steps: list[case_services.NextStep]
    overdue: bool
    level: int
    may_serve: bool
    may_reassign: bool
    workers: list = field(default_factory=list)


def _status_text(person) -> str:
    return str(status_label(person.employment_status, person.status_since))


def case_page(user, pk: int, *, today: datetime.date | None = None, audit_read: bool = True) -> CasePage:
    """The case, its subject (members with masked identity numbers), deadlines, one timeline of events
    and services, and the next steps. Reading it is a ``view`` entry on the person or household, like
    the person page."""
    today = today or timezone.localdate()
    case = get_case(user, pk)
    members: list[SubjectRow] = []
    if case.kind == CaseKind.HARD_TO_EMPLOY:
        p = case.person
        members.append(SubjectRow(p.pk, p.name, mask_id_number(p.id_number), "", _status_text(p)))
        if audit_read:
            audit.record(user, AuditEntry.Action.VIEW, object_type="person", object_id=p.pk, object_label=p.name,
                         region_code=p.region_id, summary=_("查看援助个案 #%(c)s") % {"c": case.pk})
    else:
        for m in (HouseholdMembership.objects.filter(household_id=case.household_id, left_on__isnull=True)
                  .select_related("person").order_by("pk")):
            members.append(SubjectRow(m.person_id, m.person.name, mask_id_number(m.person.id_number),
                                      str(m.get_relation_display()),
                                      _status_text(m.person)))
        if audit_read:
            audit.record(user, AuditEntry.Action.VIEW, object_type="household", object_id=case.household_id,
                         object_label=case.household.number, region_code=case.household.region_id,
                         summary=_("查看援助个案 #%(c)s") % {"c": case.pk})
    deadlines = list(case.deadlines.order_by("due_on", "pk"))
    uncovered = sorted({y for d in deadlines if d.uncovered for y in range(d.start_on.year, d.due_on.year + 1)
                        if y not in _covered_years(d.start_on.year, d.due_on.year)})
    timeline = [TimelineItem(e.on, e.at, "event", str(e.get_kind_display()), e.text, str(e.actor or _("系统")))
                for e in case.events.select_related("actor")]
    timeline += [TimelineItem(s.served_on, s.recorded_at, "service", str(s.get_kind_display()),
                              s.outcome + (f"（{s.note}）" if s.note else ""), str(s.worker or ""))
                 for s in case.services.select_related("worker")]
    timeline.sort(key=lambda t: (t.on, t.at), reverse=True)
    may_serve = roles.can_work_cases(user) and case.status != CaseStatus.CLOSED and _writes(user, case)
    may_reassign = case_services.may_reassign(user, case)
    return CasePage(
        case=case, subject=subject_label(case), members=members, deadlines=deadlines, uncovered_years=uncovered,
        timeline=timeline, next_steps=case_services.next_steps(case, user, today),
        overdue=is_overdue(case, today), level=level_of(case, today), may_serve=may_serve, may_reassign=may_reassign,
        workers=list(case_services.reassignable_workers(case).exclude(pk=case.assigned_to_id)) if may_reassign else [],
    )


def _writes(user, case: Case) -> bool:
    prefix = scope_prefix(user)
    return prefix is not None and roles.can_write_registry(user) and case.region_id.startswith(prefix)


def _covered_years(first: int, last: int) -> set[int]:
    years = set(range(first, last + 1))
    return {y for y in years if y in PACKAGE_YEARS} | set(
        CalendarYear.objects.filter(year__in=years).values_list("year", flat=True))


# ---------------------------------------------------------------------------------------------
# Overviews


@dataclass
class OverviewRow:
    code: str  # the street's or community's 12-digit code (the drill-down filter)
    name: str
    open: int = 0
    overdue: int = 0
    street: int = 0  # overdue, at the street's level
    district: int = 0  # overdue, gone up to the district
    follow_up: int = 0
    resolved: int = 0  # closed as resolved within the period
    no_longer_qualifies: int = 0  # closed as no longer qualifying within the period


@dataclass
class CaseOverview:
    on: datetime.date
    period_from: datetime.date
    level: str  # "street" or "community": what a row is
    rows: list[OverviewRow]
    total: OverviewRow


MEASURES = ("open", "overdue", "street", "district", "follow_up", "resolved", "no_longer_qualifies")


def case_overview(user, on: datetime.date | None = None, *, period_from: datetime.date | None = None) -> CaseOverview:
    """Per street (district and city users) or per community (street and community users): open, overdue,
    at the street's and at the district's level, in follow-up (statuses as they stand), and closed as
    resolved / no longer qualifying between ``period_from`` (default: 1 January of ``on``'s year) and
    ``on`` (default today). Two grouped aggregates over the cases in scope (active; closed in the period)."""
    on = on or timezone.localdate()
    period_from = period_from or on.replace(month=1, day=1)
    prefix = scope_prefix(user)
    if prefix is None or not roles.can_read_registry(user):
        return CaseOverview(on, period_from, "community", [], OverviewRow("", _("合计")))
    width = 12 if len(prefix) >= 9 else 9
    level = "community" if width == 12 else "street"
    in_period = Q(closed_on__gte=period_from, closed_on__lte=on)
    scoped = cases_visible_to(user).order_by()
    # Two grouped aggregates, each on its own slice of the (region, status, next_due_on) index: the
    # active cases, and the cases closed within the period (an OR of the two would scan the table).
    active = (scoped.filter(status__in=case_services.ACTIVE).annotate(_rk=Substr("region_id", 1, width))
              .values("_rk").annotate(
                  open=Count("pk", filter=Q(status=CaseStatus.OPEN)),
                  overdue=Count("pk", filter=Q(next_due_on__lt=on)),
                  district=Count("pk", filter=Q(district_due_on__lt=on)),
                  follow_up=Count("pk", filter=Q(status=CaseStatus.FOLLOW_UP))))
    closed = (scoped.filter(in_period, status=CaseStatus.CLOSED).annotate(_rk=Substr("region_id", 1, width))
              .values("_rk").annotate(
                  resolved=Count("pk", filter=Q(close_kind=CloseKind.RESOLVED)),
                  no_longer_qualifies=Count("pk", filter=Q(close_kind=CloseKind.NO_LONGER_QUALIFIES))))
    found: dict[str, dict] = {}
    for g in active:
        # district_due_on is after next_due_on: past it means overdue and gone up to the district.
        found[g["_rk"]] = {**g, "street": g["overdue"] - g["district"]}
    for g in closed:
        found.setdefault(g["_rk"], {}).update(g)
    if width == 12:
        nodes = Region.objects.filter(region_q(user, "code"), level=Region.Level.COMMUNITY)
    else:
        nodes = Region.objects.filter(region_q(user, "code"), level=Region.Level.STREET)
    rows = []
    seen = set()
    for node in nodes.order_by("code"):
        key = node.code[:width]
        seen.add(key)
        g = found.get(key, {})
        rows.append(OverviewRow(node.code, node.name, **{m: g.get(m, 0) for m in MEASURES}))
    for key, g in sorted(found.items()):
        if key not in seen:  # a case under a node the tree does not list (should not happen): still counted
            rows.append(OverviewRow(pad(key), key, **{m: g.get(m, 0) for m in MEASURES}))
    total = OverviewRow("", _("合计"), **{m: sum(getattr(r, m) for r in rows) for m in MEASURES})
    return CaseOverview(on, period_from, level, rows, total)


@dataclass
class MySummary:
    active: int
    overdue: int


def my_summary(user, today: datetime.date | None = None) -> MySummary:
    """The worker's own cases: active and overdue (the home panel: "我的援助个案：N，逾期 M")."""
    today = today or timezone.localdate()
    qs = cases_visible_to(user).filter(assigned_to=user, status__in=case_services.ACTIVE)
    counts = qs.aggregate(active=Count("pk"), overdue=Count("pk", filter=Q(next_due_on__lt=today)))
    return MySummary(counts["active"] or 0, counts["overdue"] or 0)
