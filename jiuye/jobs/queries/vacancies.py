"""Scoped reads of vacancies (招聘岗位): the list and search (web, export, API), the review queue, an
employer's own vacancies, one vacancy, the jobs hub's counts.

Who sees what: staff who read jobs see the vacancies placed in their region or offered by an employer of
their region (every status); an employer user sees its own employer's vacancies (every status) and the
published ones of everyone; a resident sees published vacancies. Anything else is "not found".
Filters: text (full-text, ``queries.search``), occupation (a code at any level matches its subtree),
place (a region subtree), wage range (overlap), work type, education (vacancies asking at most that
level), status, employer; sorts from ``VACANCY_SORTS``. Sex, ethnicity and household registration are
never a filter or a sort.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import roles
from jiuye.accounts.models import Role
from jiuye.accounts.scoping import region_q
from jiuye.jobs.models import Vacancy, VacancyStatus
from jiuye.jobs.queries.search import text_filter
from jiuye.paging import page, sort_key, sorted_by
from jiuye.regions.queries import under_code_q
from jiuye.registry.models import Education
from jiuye.registry.queries import NotFound, linked_employer_id

EDUCATION_ORDER = [e.value for e in Education]


@dataclass
class VacancySearch:
    text: str = ""
    occupation: str = ""  # an occupation code at any level (4-01-00-00 = the whole medium group)
    region_code: str = ""  # a region node: its subtree
    wage_min: int | None = None  # the wanted range; a vacancy's range must overlap it
    wage_max: int | None = None
    work_type: str = ""
    education: str = ""  # the seeker's education: vacancies asking at most this level (or nothing)
    status: str = ""  # a VacancyStatus value; "" = what the role sees by default; "open" = published and valid
    employer_id: int | None = None
    mine: bool = False  # an employer user's own vacancies only
    public: bool = False  # published and valid only (the public search), whatever the role
    sort: str = ""
    limit: int = 50
    offset: int = 0


VACANCY_SORTS = {
    "published_at": ("published_at",),
    "created_at": ("created_at",),
    "wage": ("wage_max", "wage_min"),
    "title": ("title",),
    "openings": ("openings",),
    "valid_until": ("valid_until",),
    "status": ("status", "created_at"),
}
VACANCY_DEFAULT_SORT = "-created_at"


def vacancy_sort(s: VacancySearch) -> str:
    return sort_key(VACANCY_SORTS, s.sort, VACANCY_DEFAULT_SORT)


def today() -> datetime.date:
    return timezone.localdate()


def open_q(on: datetime.date | None = None) -> Q:
    """Published and within its validity on ``on``."""
    on = on or today()
    return Q(status=VacancyStatus.PUBLISHED, valid_until__gte=on, valid_from__lte=on)


def is_staff_reader(user) -> bool:
    return roles.can_read_jobs(user)


def vacancies_visible_to(user) -> QuerySet[Vacancy]:
    if not getattr(user, "is_authenticated", False):
        return Vacancy.objects.none()
    if is_staff_reader(user):
        return Vacancy.objects.filter(region_q(user) | region_q(user, "employer__region"))
    role = getattr(user, "role", None)
    if role == Role.EMPLOYER_USER:
        eid = linked_employer_id(user)
        return Vacancy.objects.filter(open_q() | Q(employer_id=eid)) if eid else Vacancy.objects.filter(open_q())
    if role == Role.RESIDENT:
        return Vacancy.objects.filter(open_q())
    return Vacancy.objects.none()


def occupation_prefix(code: str) -> str:
    """The code prefix of an occupation code's subtree: 4-01-00-00 → "4-01-", 4-01-02-03 → "4-01-02-03"."""
    parts = [p for p in (code or "").strip().split("-") if p]
    while len(parts) > 1 and parts[-1] == "00":
        parts.pop()
    if len(parts) >= 4:
        return "-".join(parts[:4])
    return "-".join(parts) + "-"


def education_at_most(level: str) -> list[str]:
    if level not in EDUCATION_ORDER:
        return EDUCATION_ORDER
    return ["", *EDUCATION_ORDER[: EDUCATION_ORDER.index(level) + 1]]


def _vacancies(user, s: VacancySearch) -> QuerySet[Vacancy]:
    qs = vacancies_visible_to(user)
    if s.mine:
        eid = linked_employer_id(user) if getattr(user, "role", None) == Role.EMPLOYER_USER else None
        qs = qs.filter(employer_id=eid) if eid else qs.none()
    if s.public:
        qs = qs.filter(open_q())
    if s.status == "open":
        qs = qs.filter(open_q())
    elif s.status == "review":
        qs = qs.filter(status=VacancyStatus.PENDING_REVIEW)
    elif s.status:
        qs = qs.filter(status=s.status)
    if s.occupation:
        prefix = occupation_prefix(s.occupation)
        qs = qs.filter(occupation__code=prefix) if not prefix.endswith("-") else qs.filter(occupation__code__startswith=prefix)
    if s.region_code:
        qs = qs.filter(under_code_q(s.region_code))
    if s.wage_min is not None:
        qs = qs.filter(Q(wage_max__gte=s.wage_min) | Q(wage_max__isnull=True, wage_min__gte=s.wage_min))
    if s.wage_max is not None:
        qs = qs.filter(wage_min__lte=s.wage_max)
    if s.work_type:
        qs = qs.filter(work_type=s.work_type)
    if s.education:
        qs = qs.filter(education_min__in=education_at_most(s.education))
    if s.employer_id:
        qs = qs.filter(employer_id=s.employer_id)
    if s.text and s.text.strip():
        qs = text_filter(qs, s.text)
    return qs


def vacancies_of_search(user, s: VacancySearch) -> QuerySet[Vacancy]:
    return sorted_by(_vacancies(user, s), VACANCY_SORTS, s.sort, VACANCY_DEFAULT_SORT).select_related(
        "employer", "occupation", "region__parent")


def search_vacancies(user, s: VacancySearch) -> tuple[list[Vacancy], bool]:
    return page(vacancies_of_search(user, s), s.limit, s.offset)


def count_vacancies(user, s: VacancySearch) -> int:
    return _vacancies(user, s).count()


def get_vacancy(user, pk: int) -> Vacancy:
    found = vacancies_visible_to(user).select_related(
        "employer", "occupation__parent", "region__parent", "occupation_confirmed_by", "reviewed_by", "created_by",
        "welfare_post").filter(pk=pk).first()
    if found is None:
        raise NotFound(_("岗位不存在或不在您的管辖范围内"))
    return found


def review_queue(user) -> QuerySet[Vacancy]:
    """待审核: flagged vacancies placed in the reviewer's region."""
    if not roles.can_review_vacancies(user):
        return Vacancy.objects.none()
    return Vacancy.objects.filter(region_q(user), status=VacancyStatus.PENDING_REVIEW).select_related(
        "employer", "occupation", "region__parent").order_by("updated_at", "pk")


def hub_counts(user) -> dict[str, int]:
    """The jobs hub's figures: vacancies by status and open positions, in the user's view."""
    qs = vacancies_visible_to(user)
    by_status = dict(qs.values_list("status").annotate(n=Count("pk")).order_by())
    opened = qs.filter(open_q())
    return {"total": sum(by_status.values()), "by_status": by_status,
            "open": opened.count(), "review": by_status.get(VacancyStatus.PENDING_REVIEW, 0),
            "refused": by_status.get(VacancyStatus.REFUSED, 0)}
