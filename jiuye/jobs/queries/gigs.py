"""Reads of the gig market (零工市场).

Who sees which tasks: jobs staff every task whose place lies in their region; an employer user its own
employer's tasks and the open board; a resident the open board (today's and upcoming open tasks) and
the tasks they took. A task outside that is "not found". The board lists today's and upcoming open tasks
first (the default sort). ``gigs_of_person`` is a person's gig history (their seeker page links it).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import roles
from jiuye.accounts.scoping import in_scope, region_q
from jiuye.jobs.models import GigStatus, GigTake, GigTakeStatus, GigTask
from jiuye.jobs.flags import labels, priority_flags
from jiuye.paging import page, sort_key, sorted_by
from jiuye.regions.queries import under_code_q
from jiuye.registry import queries as registry_queries

NOT_FOUND = "零工任务不存在或不在您的管辖范围内"

#: Sort whitelist; "board" = open upcoming first, then by date and start time.
GIG_SORTS = {"board": ("board_rank", "work_date", "start_time"), "work_date": ("work_date", "start_time"),
             "daily_pay": ("daily_pay", "work_date"), "headcount": ("headcount", "work_date"),
             "status": ("status", "work_date"), "region": ("region_id", "work_date"), "title": ("title",),
             "created_at": ("created_at",)}
DEFAULT_SORT = "board"

TAKE_SORTS = {"taken_at": ("taken_at",), "status": ("status", "taken_at"), "paid": ("paid", "taken_at"),
              "name": ("person__name", "taken_at")}


@dataclass
class GigSearch:
    text: str = ""
    status: str = ""
    region_code: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    mine: bool = False  # an employer's own tasks / a resident's taken tasks only
    sort: str = ""
    limit: int = 50
    offset: int = 0


def _open_board_q(today: datetime.date) -> Q:
    return Q(status=GigStatus.OPEN, work_date__gte=today)


def gigs_visible_to(user, *, today: datetime.date | None = None) -> QuerySet[GigTask]:
    today = today or timezone.localdate()
    if not getattr(user, "is_authenticated", False):
        return GigTask.objects.none()
    if roles.is_employer_user(user):
        employer_id = registry_queries.linked_employer_id(user)
        return GigTask.objects.filter(Q(employer_id=employer_id) | _open_board_q(today)) if employer_id else GigTask.objects.none()
    if roles.is_resident(user):
        person_id = registry_queries.linked_person_id(user)
        if not person_id:
            return GigTask.objects.none()
        return GigTask.objects.filter(Q(pk__in=GigTake.objects.filter(person_id=person_id).values("task_id"))
                                      | _open_board_q(today))
    if not roles.can_read_jobs(user):
        return GigTask.objects.none()
    return GigTask.objects.filter(region_q(user))


def _gigs(user, s: GigSearch, today: datetime.date | None = None) -> QuerySet[GigTask]:
    today = today or timezone.localdate()
    qs = gigs_visible_to(user, today=today)
    if s.mine:
        if roles.is_employer_user(user):
            qs = qs.filter(employer_id=registry_queries.linked_employer_id(user))
        elif roles.is_resident(user):
            qs = qs.filter(takes__person_id=registry_queries.linked_person_id(user)).distinct()
    if s.text:
        text = s.text.strip()
        qs = qs.filter(Q(title__contains=text) | Q(employer__name__contains=text) | Q(poster_name__contains=text)
                       | Q(address__contains=text))
    if s.status:
        qs = qs.filter(status=s.status)
    if s.region_code:
        try:
            qs = qs.filter(under_code_q(s.region_code.strip()))
        except ValueError:
            raise ValueError(_("区划代码“%(c)s”无效") % {"c": s.region_code}) from None
    if s.date_from:
        qs = qs.filter(work_date__gte=s.date_from)
    if s.date_to:
        qs = qs.filter(work_date__lte=s.date_to)
    return qs


def _annotated(qs: QuerySet, today: datetime.date) -> QuerySet:
    return qs.annotate(
        board_rank=Case(When(status=GigStatus.OPEN, work_date__gte=today, then=Value(0)),
                        When(status=GigStatus.TAKEN, work_date__gte=today, then=Value(1)),
                        default=Value(2), output_field=IntegerField()),
        taken_count=Coalesce(Subquery(
            GigTake.objects.filter(task=OuterRef("pk")).exclude(status=GigTakeStatus.CANCELLED).order_by()
            .values("task").annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), Value(0)))


def gig_sort(s: GigSearch) -> str:
    return sort_key(GIG_SORTS, s.sort, DEFAULT_SORT)


def gigs_of_search(user, s: GigSearch, today: datetime.date | None = None) -> QuerySet[GigTask]:
    today = today or timezone.localdate()
    qs = _annotated(_gigs(user, s, today), today).select_related("employer", "region", "region__parent", "occupation")
    return sorted_by(qs, GIG_SORTS, s.sort, DEFAULT_SORT)


def search_gigs(user, s: GigSearch, today: datetime.date | None = None) -> tuple[list[GigTask], bool]:
    return page(gigs_of_search(user, s, today), s.limit, s.offset)


def count_gigs(user, s: GigSearch, today: datetime.date | None = None) -> int:
    return _gigs(user, s, today).count()


def get_gig(user, pk: int) -> GigTask:
    task = (_annotated(gigs_visible_to(user), timezone.localdate())
            .select_related("employer", "region", "region__parent", "occupation").filter(pk=pk).first())
    if task is None:
        raise Http404(_(NOT_FOUND))
    return task


def may_see_takers(user, task: GigTask) -> bool:
    """The takers (names, identity numbers) of a task: its poster or staff of its region; a resident
    sees only their own take."""
    if roles.is_employer_user(user):
        return task.employer_id == registry_queries.linked_employer_id(user)
    return roles.can_read_jobs(user) and in_scope(user, task.region_id)


def takes_of_gig(user, task: GigTask) -> list[GigTake]:
    """The task's takes the user may see, with priority flags (``take.flags``: labels)."""
    qs = GigTake.objects.filter(task=task).select_related("person", "recorded_by")
    if not may_see_takers(user, task):
        person_id = registry_queries.linked_person_id(user) if roles.is_resident(user) else None
        qs = qs.filter(person_id=person_id) if person_id else qs.none()
    takes = list(qs.order_by("taken_at", "pk"))
    _flag(takes)
    return takes


def _flag(takes: list[GigTake]) -> None:
    flags = priority_flags(t.person_id for t in takes)
    for t in takes:
        t.flags = labels(flags.get(t.person_id, []))


def own_take(user, task: GigTask) -> GigTake | None:
    """A resident's live take of ``task`` (to show "已接单" / "取消接单")."""
    person_id = registry_queries.linked_person_id(user) if roles.is_resident(user) else None
    if not person_id:
        return None
    return GigTake.objects.filter(task=task, person_id=person_id).exclude(status=GigTakeStatus.CANCELLED).first()


def gigs_of_person(user, person_id: int, *, limit: int = 50) -> dict:
    """A person's gig history (零工记录) for their seeker page: the takes (newest first, at most ``limit``) and
    totals (done, no-show, paid). Empty when the person lies outside the user's scope (a resident: only
    themself)."""
    empty = {"takes": [], "done": 0, "no_show": 0, "paid": 0, "total": 0}
    if not registry_queries.persons_visible_to(user).filter(pk=person_id).exists():
        return empty
    qs = GigTake.objects.filter(person_id=person_id)
    totals = qs.aggregate(total=Count("pk"), done=Count("pk", filter=Q(status=GigTakeStatus.DONE)),
                          no_show=Count("pk", filter=Q(status=GigTakeStatus.NO_SHOW)),
                          paid=Sum("paid", filter=Q(status=GigTakeStatus.DONE)))
    takes = list(qs.select_related("person", "task", "task__employer", "task__region").order_by("-task__work_date", "-pk")[:limit])
    return {"takes": takes, "done": totals["done"], "no_show": totals["no_show"], "paid": totals["paid"] or 0,
            "total": totals["total"]}


def gig_summary(task: GigTask) -> dict:
    """Counts of a task's takes by status (one aggregate)."""
    return GigTake.objects.filter(task=task).aggregate(
        taken=Count("pk", filter=Q(status=GigTakeStatus.TAKEN)), done=Count("pk", filter=Q(status=GigTakeStatus.DONE)),
        no_show=Count("pk", filter=Q(status=GigTakeStatus.NO_SHOW)), paid=Sum("paid", filter=Q(status=GigTakeStatus.DONE)))
