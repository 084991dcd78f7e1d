"""Reads of recruitment events (招聘活动).

Staff (jobs readers) see events held in their region and those held above it (a city's 春风行动 concerns
every community); residents and employer users see every event that is not cancelled (the public
calendar). The lists of an event's employers, vacancies and registrations are shown to its organisers
and staff; an employer user sees its own rows, a resident their own registration. Outcomes (interviews,
offers, hires) are the applications naming the event, counted by status in one aggregate query.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import roles
from jiuye.accounts.scoping import in_scope, region_q, scope_prefix
from jiuye.jobs.models import (
    Application,
    ApplicationStatus,
    EventEmployer,
    EventRegistration,
    EventStatus,
    EventVacancy,
    RecruitmentEvent,
)
from jiuye.jobs.flags import labels, priority_flags
from jiuye.paging import page, sort_key, sorted_by
from jiuye.regions.codes import significant_prefix
from jiuye.regions.queries import under_code_q
from jiuye.registry import queries as registry_queries

NOT_FOUND = "招聘活动不存在或不在您的管辖范围内"

EVENT_SORTS = {"starts_at": ("starts_at",), "kind": ("kind", "starts_at"), "title": ("title",),
               "status": ("status", "starts_at"), "region": ("region_id", "starts_at")}
DEFAULT_SORT = "-starts_at"
REGISTRATION_SORTS = {"name": ("person__name",), "registered_at": ("registered_at",), "attended_at": ("attended_at",)}

#: Statuses an application passes through after an interview (it was interviewed).
INTERVIEWED = (ApplicationStatus.INTERVIEW, ApplicationStatus.OFFER, ApplicationStatus.HIRED)


@dataclass
class EventSearch:
    text: str = ""
    kind: str = ""
    status: str = ""
    region_code: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    upcoming: bool = False  # not ended yet
    sort: str = ""
    limit: int = 50
    offset: int = 0


def _ancestor_codes(code: str | None) -> list[str]:
    """The region codes above ``code`` (county, city, province: 12 digits each)."""
    if not code:
        return []
    prefix = significant_prefix(code)
    out = []
    for n in (2, 4, 6, 9):
        if len(prefix) > n:
            out.append((prefix[:n] + "0" * 12)[:12])
    return out


def events_visible_to(user) -> QuerySet[RecruitmentEvent]:
    if not getattr(user, "is_authenticated", False):
        return RecruitmentEvent.objects.none()
    if roles.is_resident(user) or roles.is_employer_user(user):
        return RecruitmentEvent.objects.exclude(status=EventStatus.CANCELLED)
    if not roles.can_read_jobs(user):
        return RecruitmentEvent.objects.none()
    prefix = scope_prefix(user)
    if prefix == "":
        return RecruitmentEvent.objects.all()
    return RecruitmentEvent.objects.filter(region_q(user) | Q(region_id__in=_ancestor_codes(user.region_id)))


def _events(user, s: EventSearch) -> QuerySet[RecruitmentEvent]:
    qs = events_visible_to(user)
    if s.text:
        qs = qs.filter(Q(title__contains=s.text.strip()) | Q(organiser__contains=s.text.strip()))
    if s.kind:
        qs = qs.filter(kind=s.kind)
    if s.status:
        qs = qs.filter(status=s.status)
    if s.region_code:
        try:
            qs = qs.filter(under_code_q(s.region_code.strip()))
        except ValueError:
            raise ValueError(_("区划代码“%(c)s”无效") % {"c": s.region_code}) from None
    if s.date_from:
        qs = qs.filter(ends_at__date__gte=s.date_from)
    if s.date_to:
        qs = qs.filter(starts_at__date__lte=s.date_to)
    if s.upcoming:
        qs = qs.filter(ends_at__gte=timezone.now()).exclude(status__in=(EventStatus.ENDED, EventStatus.CANCELLED))
    return qs


def event_sort(s: EventSearch) -> str:
    return sort_key(EVENT_SORTS, s.sort, DEFAULT_SORT)


def events_of_search(user, s: EventSearch) -> QuerySet[RecruitmentEvent]:
    qs = _events(user, s).select_related("region").annotate(
        employer_count=Count("employers", distinct=True), registration_count=Count("registrations", distinct=True))
    return sorted_by(qs, EVENT_SORTS, s.sort, DEFAULT_SORT)


def search_events(user, s: EventSearch) -> tuple[list[RecruitmentEvent], bool]:
    return page(events_of_search(user, s), s.limit, s.offset)


def count_events(user, s: EventSearch) -> int:
    return _events(user, s).count()


def get_event(user, pk: int) -> RecruitmentEvent:
    event = events_visible_to(user).select_related("region").filter(pk=pk).first()
    if event is None:
        raise Http404(_(NOT_FOUND))
    return event


def may_see_lists(user, event: RecruitmentEvent) -> bool:
    """Registrations (persons) and outcomes: staff whose region holds the event, or above/below it."""
    return roles.can_read_jobs(user)


def employers_of_event(user, event: RecruitmentEvent) -> list[EventEmployer]:
    qs = EventEmployer.objects.filter(event=event).select_related("employer")
    return list(qs.order_by("employer__name", "pk"))


def vacancies_of_event(user, event: RecruitmentEvent) -> list[EventVacancy]:
    qs = EventVacancy.objects.filter(event=event).select_related("vacancy", "vacancy__employer", "vacancy__occupation")
    return list(qs.order_by("vacancy__employer__name", "vacancy__title", "pk"))


def registrations_of_event(user, event: RecruitmentEvent, *, sort: str = "") -> QuerySet[EventRegistration]:
    """Registrations the user may see: staff those of persons in their region; a resident their own."""
    qs = EventRegistration.objects.filter(event=event).select_related("person", "person__region")
    if roles.is_resident(user):
        return qs.filter(person_id=registry_queries.linked_person_id(user) or 0)
    if not roles.can_read_jobs(user):
        return qs.none()
    return sorted_by(qs.filter(region_q(user, "person__region")), REGISTRATION_SORTS, sort, "registered_at")


def with_flags(registrations) -> list[EventRegistration]:
    rows = list(registrations)
    flags = priority_flags(r.person_id for r in rows)
    for r in rows:
        r.flags = labels(flags.get(r.person_id, []))
    return rows


def get_registration(user, event: RecruitmentEvent, pk: int) -> EventRegistration:
    row = registrations_of_event(user, event).filter(pk=pk).first()
    if row is None:
        raise Http404(_("报名记录不存在或不在您的管辖范围内"))
    return row


def own_registration(user, event: RecruitmentEvent) -> EventRegistration | None:
    person_id = registry_queries.linked_person_id(user) if roles.is_resident(user) else None
    return EventRegistration.objects.filter(event=event, person_id=person_id).first() if person_id else None


def _application_counts(qs) -> dict:
    return qs.aggregate(
        applications=Count("pk"),
        interviews=Count("pk", filter=Q(status__in=INTERVIEWED) | Q(interview_at__isnull=False)),
        offers=Count("pk", filter=Q(status__in=(ApplicationStatus.OFFER, ApplicationStatus.HIRED))),
        hires=Count("pk", filter=Q(status=ApplicationStatus.HIRED)))


def outcomes(user, event: RecruitmentEvent) -> dict:
    """The event's figures: registrations and attendance, applications by stage (interviews, offers, hires:
    applications naming the event; an offer counts a hire too, an interview an offer), and per employer.
    Staff see the persons' figures of their region; an employer user its own employer's row."""
    regs = registrations_of_event(user, event) if roles.can_read_jobs(user) else EventRegistration.objects.none()
    reg_counts = regs.order_by().aggregate(registered=Count("pk"), attended=Count("pk", filter=Q(attended_at__isnull=False)))
    apps = Application.objects.filter(event=event)
    if roles.is_employer_user(user):
        apps = apps.filter(vacancy__employer_id=registry_queries.linked_employer_id(user) or 0)
    elif roles.can_read_jobs(user):
        apps = apps.filter(region_q(user, "person__region"))
    else:
        apps = apps.none()
    totals = _application_counts(apps)
    per_employer = list(
        apps.values("vacancy__employer_id", "vacancy__employer__name").order_by("vacancy__employer__name")
        .annotate(applications=Count("pk"),
                  interviews=Count("pk", filter=Q(status__in=INTERVIEWED) | Q(interview_at__isnull=False)),
                  offers=Count("pk", filter=Q(status__in=(ApplicationStatus.OFFER, ApplicationStatus.HIRED))),
                  hires=Count("pk", filter=Q(status=ApplicationStatus.HIRED))))
    by_status = dict(apps.values_list("status").order_by().annotate(n=Count("pk")).values_list("status", "n"))
    return {**reg_counts, **totals, "per_employer": per_employer, "by_status": by_status,
            "employers": EventEmployer.objects.filter(event=event).count(),
            "vacancies": EventVacancy.objects.filter(event=event).count()}


def may_manage(user, event: RecruitmentEvent) -> bool:
    return roles.can_organise_events(user) and in_scope(user, event.region_id)
