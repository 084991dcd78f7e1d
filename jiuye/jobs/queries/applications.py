"""Scoped reads of applications: the pipeline list (web, export, API), one application with its timeline,
a resident's own.

Staff who read jobs see the applications of persons of their region (the person's community), an
employer user those to its own vacancies, a resident their own. Anything else answers "not found".
An employer user sees a seeker's identity number masked always, and the name masked (surname only)
while the application is a system recommendation the seeker has not taken up (``seeker_label``).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from jiuye.accounts import audit, roles
from jiuye.accounts.models import AuditEntry, Role
from jiuye.accounts.scoping import region_q
from jiuye.jobs.models import Application, ApplicationOrigin, ApplicationStatus
from jiuye.jobs.flags import priority_person_ids_q
from jiuye.paging import page, sort_key, sorted_by
from jiuye.regions.queries import region_filter_q
from jiuye.registry.models import Person
from jiuye.registry.queries import NotFound, linked_employer_id, linked_person_id


@dataclass
class ApplicationSearch:
    status: str = ""  # an ApplicationStatus value, "live" (in progress), "" = all
    vacancy_id: int | None = None
    origin: str = ""
    event_id: int | None = None
    region_code: str = ""  # the person's street or community
    date_from: datetime.date | None = None  # created_at range
    date_to: datetime.date | None = None
    priority: bool = False
    text: str = ""  # person's name or vacancy title
    sort: str = ""
    limit: int = 50
    offset: int = 0


APPLICATION_SORTS = {
    "created_at": ("created_at",),
    "updated_at": ("updated_at",),
    "status": ("status", "updated_at"),
    "vacancy": ("vacancy__title",),
    "name": ("person__name",),
    "start_date": ("start_date",),
}
APPLICATION_DEFAULT_SORT = "-updated_at"


def application_sort(s: ApplicationSearch) -> str:
    return sort_key(APPLICATION_SORTS, s.sort, APPLICATION_DEFAULT_SORT)


def applications_visible_to(user) -> QuerySet[Application]:
    if not getattr(user, "is_authenticated", False):
        return Application.objects.none()
    role = getattr(user, "role", None)
    if role == Role.RESIDENT and not user.is_superuser:
        pid = linked_person_id(user)
        return Application.objects.filter(person_id=pid) if pid else Application.objects.none()
    if role == Role.EMPLOYER_USER and not user.is_superuser:
        eid = linked_employer_id(user)
        return Application.objects.filter(vacancy__employer_id=eid) if eid else Application.objects.none()
    if not roles.can_read_jobs(user):
        return Application.objects.none()
    return Application.objects.filter(region_q(user, "person__region"))


def _applications(user, s: ApplicationSearch) -> QuerySet[Application]:
    qs = applications_visible_to(user)
    if s.status == "live":
        qs = qs.filter(status__in=["recommended", "applied", "interview", "offer"])
    elif s.status:
        qs = qs.filter(status=s.status)
    if s.vacancy_id:
        qs = qs.filter(vacancy_id=s.vacancy_id)
    if s.origin:
        qs = qs.filter(origin=s.origin)
    if s.event_id:
        qs = qs.filter(event_id=s.event_id)
    if s.region_code:
        qs = qs.filter(region_filter_q(s.region_code, "person__region"))
    if s.date_from:
        qs = qs.filter(created_at__date__gte=s.date_from)
    if s.date_to:
        qs = qs.filter(created_at__date__lte=s.date_to)
    if s.priority:
        qs = qs.filter(person__in=Person.objects.filter(priority_person_ids_q()))
    if s.text and s.text.strip():
        text = s.text.strip()
        qs = qs.filter(Q(person__name__startswith=text) | Q(vacancy__title__contains=text))
    return qs


def applications_of_search(user, s: ApplicationSearch) -> QuerySet[Application]:
    return sorted_by(_applications(user, s), APPLICATION_SORTS, s.sort, APPLICATION_DEFAULT_SORT).select_related(
        "person__region", "vacancy__employer", "event")


def search_applications(user, s: ApplicationSearch):
    return page(applications_of_search(user, s), s.limit, s.offset)


def count_applications(user, s: ApplicationSearch) -> int:
    return _applications(user, s).count()


def get_application(user, pk: int, *, audit_read: bool = True) -> Application:
    """One application the user may see (NotFound otherwise); reading it by staff or the employer is audited
    (a person's record)."""
    app = (applications_visible_to(user).select_related("person__region", "vacancy__employer", "vacancy__occupation",
                                                        "event", "registration", "created_by")
           .filter(pk=pk).first())
    if app is None:
        raise NotFound(_("求职申请不存在或不在您的管辖范围内"))
    if audit_read and linked_person_id(user) != app.person_id:
        audit.record(user, AuditEntry.Action.VIEW, object_type="job_application", object_id=app.pk,
                     object_label=app.person.name, region_code=app.person.region_id, summary=_("查看求职申请"))
    return app


def timeline(app: Application):
    return app.events.select_related("actor").order_by("at", "pk")


def seeker_name_hidden(user, app: Application) -> bool:
    """An employer user sees the seeker's name once the seeker applied, a worker recommended them, or the
    employer invited them; a system recommendation (origin matched) the seeker has not taken up shows the
    surname only."""
    return (getattr(user, "role", None) == Role.EMPLOYER_USER and app.status == ApplicationStatus.RECOMMENDED
            and app.origin == ApplicationOrigin.MATCHED)


def seeker_label(user, app: Application) -> str:
    name = app.person.name
    return (name[:1] + "*" * max(1, len(name) - 1)) if seeker_name_hidden(user, app) else name
