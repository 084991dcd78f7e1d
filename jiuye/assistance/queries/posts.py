"""Scoped reads of public-welfare posts (公益性岗位): the catalogue, placements, tenure warnings,
candidates for a post, eligibility and the monthly payroll rows.

Every list is scoped by the post's place (``region_q(user, "region")``); a post or placement outside
the scope is "not found" (Http404), like one that does not exist. Candidates are ranked by the urgency
of their assistance case only (overdue first, then the next due date, then persons without a case,
then the record number): never by sex, ethnicity or household registration.
"""
from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Count, DateField, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models import Case as When_Case
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import roles
from jiuye.accounts.scoping import region_q
from jiuye.assistance import parameters as _assistance_parameters  # noqa: F401  (declares the keys read here)
from jiuye.assistance.models import (
    Attendance,
    Case,
    CaseKind,
    CaseStatus,
    Placement,
    PlacementStatus,
    PostStatus,
    WelfarePost,
)
from jiuye.assistance.queries.recognitions import recognised_q
from jiuye.paging import page, sort_key, sorted_by
from jiuye.parameters import params
from jiuye.regions.queries import under_code_q, within_q
from jiuye.registry.groups import GROUPS_BY_CODE, filter_group
from jiuye.registry.models import EmploymentStatus, HouseholdMembership, Person

NOT_FOUND = _("公益性岗位不存在或不在您的管辖范围内")
PLACEMENT_NOT_FOUND = _("安置记录不存在或不在您的管辖范围内")
RECOGNISED = "recognised_hard_to_employ"


def _region_filter(code: str, field: str = "region") -> Q:
    try:
        return under_code_q(code.strip(), field)
    except ValueError:
        raise ValueError(_("区划代码“%(c)s”无效") % {"c": code}) from None


# ---------------------------------------------------------------------------------------------
# Eligibility (安置对象): one set-based face used for one person and for everyone


def group_label(code: str) -> str:
    if code == RECOGNISED:
        return _("经认定的就业困难人员")
    rule = GROUPS_BY_CODE.get(code)
    return str(rule.label) if rule else code


def eligible_groups(category: str, region_id: str, on: datetime.date) -> tuple[str, ...]:
    return params(region_id, on)[f"assistance.posts.eligible_groups.{category}"]


def group_q(code: str, on: datetime.date) -> Q:
    """Person rows in eligibility group ``code`` on ``on``."""
    if code == RECOGNISED:
        return recognised_q(on)
    return Q(pk__in=filter_group(Person.objects.all(), code, on).values("pk"))


def eligible_q(category: str, region_id: str, on: datetime.date) -> Q:
    """Persons eligible for a post of ``category`` placed in ``region_id`` on ``on`` (any of the groups
    the parameters of the post's jurisdiction name)."""
    q = Q(pk__in=[])
    for code in eligible_groups(category, region_id, on):
        q |= group_q(code, on)
    return q


def eligibility_reasons(person: Person, category: str, region_id: str, on: datetime.date) -> list[str]:
    """The groups that make ``person`` eligible (labels), [] when none does."""
    return [group_label(code) for code in eligible_groups(category, region_id, on)
            if Person.objects.filter(pk=person.pk).filter(group_q(code, on)).exists()]


# ---------------------------------------------------------------------------------------------
# Case urgency (the only ranking of candidates)


def with_urgency(qs: QuerySet[Person], today: datetime.date) -> QuerySet[Person]:
    """Annotate ``_due`` (the earliest due date of the person's open case: their hard-to-employ case or
    their household's zero-employment case), ``_has_case`` and ``_urgency`` (0 overdue, 1 due later,
    2 open case with no pending deadline, 3 no open case)."""
    household = Subquery(HouseholdMembership.objects.filter(person=OuterRef(OuterRef("pk")), left_on__isnull=True)
                         .values("household_id")[:1])
    open_cases = Case.objects.filter(status=CaseStatus.OPEN).filter(
        Q(kind=CaseKind.HARD_TO_EMPLOY, person=OuterRef("pk")) | Q(kind=CaseKind.ZERO_EMPLOYMENT, household_id=household))
    due = Subquery(open_cases.filter(next_due_on__isnull=False).order_by("next_due_on").values("next_due_on")[:1],
                   output_field=DateField())
    has_case = Subquery(open_cases.values("pk")[:1])
    qs = qs.annotate(_due=due, _case_id=has_case)
    return qs.annotate(_urgency=When_Case(
        When(_due__lt=today, then=Value(0)), When(_due__isnull=False, then=Value(1)),
        When(_case_id__isnull=False, then=Value(2)), default=Value(3), output_field=IntegerField()))


# ---------------------------------------------------------------------------------------------
# The catalogue


def posts_visible_to(user) -> QuerySet[WelfarePost]:
    if not roles.can_read_registry(user):
        return WelfarePost.objects.none()
    return WelfarePost.objects.filter(region_q(user))


def with_filled(qs: QuerySet[WelfarePost]) -> QuerySet[WelfarePost]:
    return qs.annotate(_filled=Count("placements", filter=Q(placements__status=PlacementStatus.ACTIVE)))


@dataclass
class PostSearch:
    text: str = ""
    category: str = ""
    status: str = ""
    region_code: str = ""
    employer_id: int | None = None
    vacant: bool = False  # only posts with an opening
    sort: str = ""
    limit: int = 50
    offset: int = 0


POST_SORTS = {"title": ("title",), "employer": ("employer__name",), "category": ("category", "title"),
              "region": ("region_id", "title"), "openings": ("openings",), "filled": ("_filled",),
              "starts_on": ("starts_on",), "ends_on": ("ends_on",), "status": ("status", "title")}
POST_DEFAULT_SORT = "-starts_on"


def post_sort(search: PostSearch) -> str:
    return sort_key(POST_SORTS, search.sort, POST_DEFAULT_SORT)


def _posts(user, s: PostSearch) -> QuerySet[WelfarePost]:
    qs = posts_visible_to(user)
    if s.text.strip():
        qs = qs.filter(Q(title__icontains=s.text.strip()) | Q(employer__name__icontains=s.text.strip()))
    if s.category:
        qs = qs.filter(category=s.category)
    if s.status:
        qs = qs.filter(status=s.status)
    if s.region_code:
        qs = qs.filter(_region_filter(s.region_code))
    if s.employer_id:
        qs = qs.filter(employer_id=s.employer_id)
    qs = with_filled(qs)
    if s.vacant:
        qs = qs.filter(status=PostStatus.OPEN, openings__gt=F("_filled"))
    return qs


def posts_of_search(user, s: PostSearch) -> QuerySet[WelfarePost]:
    return sorted_by(_posts(user, s).select_related("employer", "region"), POST_SORTS, post_sort(s), POST_DEFAULT_SORT)


def search_posts(user, s: PostSearch) -> tuple[list[WelfarePost], bool]:
    return page(posts_of_search(user, s), s.limit, s.offset)


def count_posts(user, s: PostSearch) -> int:
    return _posts(user, s).count()


def get_post(user, pk: int) -> WelfarePost:
    post = with_filled(posts_visible_to(user)).select_related("employer", "region").filter(pk=pk).first()
    if post is None:
        raise Http404(NOT_FOUND)
    return post


def vacant_posts(on: datetime.date, *, user=None) -> QuerySet[WelfarePost]:
    """Posts open on ``on`` with an opening (annotated ``_filled``), in ``user``'s scope when given: what
    the jobs app shows as public-welfare vacancies (it keeps no second catalogue)."""
    qs = posts_visible_to(user) if user is not None else WelfarePost.objects.all()
    qs = with_filled(qs.filter(status=PostStatus.OPEN, starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on)))
    return qs.filter(openings__gt=F("_filled"))


def open_posts_near(region_code: str, on: datetime.date, *, width: int = 9) -> int:
    """Open posts with an opening in the street (``width`` 9) or community (12) of ``region_code``."""
    return vacant_posts(on).filter(within_q(region_code[:width])).count()


# ---------------------------------------------------------------------------------------------
# Placements and tenure warnings


def placements_visible_to(user) -> QuerySet[Placement]:
    if not roles.can_read_registry(user):
        return Placement.objects.none()
    return Placement.objects.filter(region_q(user))


@dataclass
class PlacementSearch:
    post_id: int | None = None
    status: str = PlacementStatus.ACTIVE  # "" = every status
    category: str = ""
    region_code: str = ""
    employer_id: int | None = None
    ending_within: int | None = None  # active placements whose planned end is within this many days
    sort: str = ""
    limit: int = 50
    offset: int = 0
    today: datetime.date | None = None


PLACEMENT_SORTS = {"name": ("person__name",), "post": ("post__title",), "region": ("region_id",),
                   "started_on": ("started_on",), "planned_end_on": ("planned_end_on",), "ended_on": ("ended_on",),
                   "status": ("status", "planned_end_on")}
PLACEMENT_DEFAULT_SORT = "planned_end_on"


def placement_sort(s: PlacementSearch) -> str:
    return sort_key(PLACEMENT_SORTS, s.sort, PLACEMENT_DEFAULT_SORT)


def warning_days(user, today: datetime.date) -> int:
    return params(getattr(user, "region_id", None) or None, today)["assistance.posts.warning_days"]


def _placements(user, s: PlacementSearch) -> QuerySet[Placement]:
    qs = placements_visible_to(user)
    if s.post_id:
        qs = qs.filter(post_id=s.post_id)
    if s.status:
        qs = qs.filter(status=s.status)
    if s.category:
        qs = qs.filter(category=s.category)
    if s.region_code:
        qs = qs.filter(_region_filter(s.region_code))
    if s.employer_id:
        qs = qs.filter(post__employer_id=s.employer_id)
    if s.ending_within is not None:
        today = s.today or timezone.localdate()
        qs = qs.filter(status=PlacementStatus.ACTIVE, planned_end_on__lte=today + datetime.timedelta(days=s.ending_within))
    return qs


def placements_of_search(user, s: PlacementSearch) -> QuerySet[Placement]:
    return sorted_by(_placements(user, s).select_related("person", "post", "post__employer", "region"),
                     PLACEMENT_SORTS, placement_sort(s), PLACEMENT_DEFAULT_SORT)


def search_placements(user, s: PlacementSearch) -> tuple[list[Placement], bool]:
    return page(placements_of_search(user, s), s.limit, s.offset)


def count_placements(user, s: PlacementSearch) -> int:
    return _placements(user, s).count()


def get_placement(user, pk: int) -> Placement:
    placement = (placements_visible_to(user).select_related("person", "post", "post__employer", "region")
                 .filter(pk=pk).first())
    if placement is None:
        raise Http404(PLACEMENT_NOT_FOUND)
    return placement


# ---------------------------------------------------------------------------------------------
# Candidates for a post


@dataclass
class CandidateSearch:
    region_code: str = ""
    sort: str = ""  # "urgency" (default) or "name"
    limit: int = 50
    offset: int = 0
    today: datetime.date | None = None


CANDIDATE_SORTS = {"urgency": ("_urgency", "_due"), "name": ("name",)}
CANDIDATE_DEFAULT_SORT = "urgency"


def candidate_sort(s: CandidateSearch) -> str:
    return sort_key(CANDIDATE_SORTS, s.sort, CANDIDATE_DEFAULT_SORT)


def _candidates(user, post: WelfarePost, s: CandidateSearch) -> QuerySet[Person]:
    """Eligible persons in the user's scope who could start on the post today: of working age, able and
    willing to work, not employed, not on another post."""
    if not roles.can_write_registry(user):
        return Person.objects.none()
    today = s.today or timezone.localdate()
    qs = Person.objects.filter(region_q(user)).filter(
        eligible_q(post.category, post.region_id, today),
        able_to_work=True, willing_to_work=True,
        employment_status__in=[EmploymentStatus.UNEMPLOYED, EmploymentStatus.NONE],
        retirement_date__gt=today, birth_date__lte=today - relativedelta(years=16),
    ).exclude(welfare_placements__status=PlacementStatus.ACTIVE)
    if s.region_code:
        qs = qs.filter(_region_filter(s.region_code))
    return with_urgency(qs, today)


def candidates_of_search(user, post: WelfarePost, s: CandidateSearch) -> QuerySet[Person]:
    return sorted_by(_candidates(user, post, s).select_related("region"), CANDIDATE_SORTS, candidate_sort(s),
                     CANDIDATE_DEFAULT_SORT)


def search_candidates(user, post: WelfarePost, s: CandidateSearch) -> tuple[list[Person], bool]:
    return page(candidates_of_search(user, post, s), s.limit, s.offset)


def count_candidates(user, post: WelfarePost, s: CandidateSearch) -> int:
    return _candidates(user, post, s).count()


# ---------------------------------------------------------------------------------------------
# Attendance and the monthly payroll (补贴发放表)


def month_start(d: datetime.date) -> datetime.date:
    return d.replace(day=1)


def month_end(d: datetime.date) -> datetime.date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def attendance_of(placement: Placement) -> list[Attendance]:
    return list(placement.attendance.order_by("-month"))


def subsidy_due(monthly: Decimal, attendance: Attendance | None, *, prorate: bool) -> Decimal:
    """The month's subsidy due: nothing without an attendance record or with no day worked; with
    ``prorate`` (``assistance.posts.payroll_prorate``) the monthly subsidy × days worked ÷ (days worked +
    absent days), to the fen (half up); otherwise the full monthly subsidy."""
    if attendance is None or attendance.days_worked == 0:
        return Decimal("0.00")
    if not prorate or attendance.absent_days == 0:
        return Decimal(monthly).quantize(Decimal("0.01"))
    share = Decimal(attendance.days_worked) / Decimal(attendance.days_worked + attendance.absent_days)
    return (Decimal(monthly) * share).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class PayrollRow:
    placement: Placement
    attendance: Attendance | None
    due: Decimal
    note: str


def payroll_rows(user, employer_id: int, month: datetime.date) -> list[PayrollRow]:
    """The placements on the employer's posts in the user's scope that were on post during ``month``
    (any day of it), by post and name, with their attendance and the subsidy due."""
    first, last = month_start(month), month_end(month)
    placements = (placements_visible_to(user).filter(post__employer_id=employer_id, started_on__lte=last)
                  .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
                  .select_related("person", "post", "region").order_by("post__title", "person__name", "pk"))
    placements = list(placements)
    records = {a.placement_id: a for a in Attendance.objects.filter(placement__in=[p.pk for p in placements], month=first)}
    rows = []
    for p in placements:
        a = records.get(p.pk)
        prorate = params(p.region_id, first)["assistance.posts.payroll_prorate"]
        note = _("未录入考勤") if a is None else a.note
        rows.append(PayrollRow(p, a, subsidy_due(p.monthly_subsidy, a, prorate=prorate), note))
    return rows
