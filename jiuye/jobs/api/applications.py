"""API of applications, mounted at /api/v1/jobs: list (the web list's query), one application with its
timeline and next actions, recommend, apply, invite, the steps (interview, offer, decline, reject,
withdraw, apply on a recommendation) and the hire. Thin handlers over ``jobs.queries.applications`` and
``jobs.services.applications``; outside the scope answers 404."""
from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.utils import timezone

from ninja import Field, Query, Router, Schema, Status

from jiuye.apitypes import ApiDate, Limit, Offset, RecordId, RegionCodeFilter, SearchText, text as text_type
from jiuye.jobs.models import ApplicationOrigin, ApplicationStatus, RecruitmentEvent, Vacancy
from jiuye.jobs.queries import applications as queries
from jiuye.jobs.services import applications as services
from jiuye.registry import queries as registry_queries
from jiuye.registry.identity import mask_id_number
from jiuye.registry.models import ContractType, EmploymentForm

router = Router(tags=["jobs"])
Text255 = text_type(255)
Text16 = text_type(16)
Text1000 = text_type(1000)
Score = Annotated[Decimal, Field(ge=0, le=1000, max_digits=10, decimal_places=4)]
Text32 = text_type(32)

StatusFilter = Literal[tuple(ApplicationStatus.values) + ("live", "")]  # type: ignore[valid-type]
OriginFilter = Literal[tuple(ApplicationOrigin.values) + ("",)]  # type: ignore[valid-type]


class ApplicationItem(Schema):
    id: int
    vacancy_id: int
    vacancy_title: str
    employer_name: str
    person_id: int
    person_name: str
    id_number_masked: str
    origin: str
    status: str
    status_label: str
    event_id: int | None
    score: float | None
    interview_at: datetime.datetime | None
    start_date: datetime.date | None
    registration_id: int | None
    created_at: datetime.datetime
    updated_at: datetime.datetime


class ApplicationList(Schema):
    count: int
    items: list[ApplicationItem]
    has_more: bool


class EventOut(Schema):
    status: str
    at: datetime.datetime
    actor: str
    note: str


class ApplicationDetail(ApplicationItem):
    score_parts: dict
    timeline: list[EventOut]
    next_actions: list[str]


def _item(user, a) -> dict:
    return dict(id=a.pk, vacancy_id=a.vacancy_id, vacancy_title=a.vacancy.title, employer_name=a.vacancy.employer.name,
                person_id=a.person_id, person_name=queries.seeker_label(user, a),
                id_number_masked=mask_id_number(a.person.id_number), origin=a.origin, status=a.status,
                status_label=str(ApplicationStatus(a.status).label), event_id=a.event_id, score=a.score,
                interview_at=a.interview_at, start_date=a.start_date, registration_id=a.registration_id,
                created_at=a.created_at, updated_at=a.updated_at)


def _detail(user, pk: int) -> ApplicationDetail:
    a = queries.get_application(user, pk, audit_read=False)
    return ApplicationDetail(**_item(user, a), score_parts=a.score_parts or {},
                             timeline=[EventOut(status=e.status, at=e.at, actor=str(e.actor) if e.actor_id else "系统",
                                                note=e.note) for e in queries.timeline(a)],
                             next_actions=services.next_actions(user, a))


class ApplicationFilters(Schema):
    status: StatusFilter = ""
    origin: OriginFilter = ""
    vacancy_id: RecordId | None = None
    event_id: RecordId | None = None
    region_code: RegionCodeFilter = ""
    date_from: ApiDate | None = None
    date_to: ApiDate | None = None
    priority: bool = False
    text: SearchText = ""
    sort: Text32 = Field("", description="created_at、updated_at、status、vacancy、name、start_date，前加 - 为降序")
    limit: Limit = 50
    offset: Offset = 0


@router.get("/applications", response=ApplicationList, summary="求职申请列表（与网页列表同一查询）")
def list_applications(request, filters: Query[ApplicationFilters]):
    s = queries.ApplicationSearch(status=filters.status, origin=filters.origin, vacancy_id=filters.vacancy_id,
                                  event_id=filters.event_id, region_code=filters.region_code, date_from=filters.date_from,
                                  date_to=filters.date_to, priority=filters.priority, text=filters.text, sort=filters.sort,
                                  limit=filters.limit, offset=filters.offset)
    rows, more = queries.search_applications(request.auth, s)
    return ApplicationList(count=queries.count_applications(request.auth, s),
                           items=[_item(request.auth, a) for a in rows], has_more=more)


def _vacancy(pk: int) -> Vacancy:
    v = Vacancy.objects.filter(pk=pk).select_related("employer").first()
    if v is None:
        raise registry_queries.NotFound("岗位不存在")
    return v


def _person(user, pk: int | None):
    if pk is None and registry_queries.linked_person_id(user):
        pk = registry_queries.linked_person_id(user)
    person = registry_queries.visible_person(user, pk) if pk else None
    if person is None:
        raise registry_queries.NotFound("人员不存在或不在您的管辖范围内")
    return person


class CreateIn(Schema):
    vacancy_id: RecordId
    person_id: RecordId | None = Field(None, description="居民本人投递时可不填")
    score: Score | None = None
    score_parts: Text1000 = Field("", description="匹配理由，如 occupation:0.5,place:0.2（逗号分隔的 名称:分值）")
    event_id: RecordId | None = None
    note: Text255 = ""


def _parts(raw: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for piece in (raw or "").replace("，", ",").split(","):
        if not piece.strip():
            continue
        name, _sep, value = piece.partition(":")
        try:
            out[name.strip()[:32]] = round(float(value), 4)
        except ValueError:
            raise ValidationError({"score_parts": f"“{piece.strip()}”应为 名称:分值"}) from None
    return out


def _when(raw: str) -> datetime.datetime | None:
    if not raw:
        return None
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"):
        try:
            return timezone.make_aware(datetime.datetime.strptime(raw.strip(), fmt))
        except ValueError:
            continue
    raise ValidationError({"interview_at": f"“{raw}”应为 YYYY-MM-DD HH:MM"})


def _event(pk):
    return RecruitmentEvent.objects.filter(pk=pk).first() if pk else None


@router.post("/applications/recommend", response={201: ApplicationDetail}, summary="经办人员推荐求职者（可附匹配得分与理由）")
def recommend(request, payload: CreateIn):
    app = services.recommend(actor=request.auth, vacancy=_vacancy(payload.vacancy_id), person=_person(request.auth, payload.person_id),
                             score=float(payload.score) if payload.score is not None else None,
                             parts=_parts(payload.score_parts), matched=payload.score is not None,
                             event=_event(payload.event_id), note=payload.note)
    return Status(201, _detail(request.auth, app.pk))


@router.post("/applications/apply", response={201: ApplicationDetail}, summary="投递岗位（居民本人，或经办人员代为投递）")
def apply(request, payload: CreateIn):
    app = services.apply(actor=request.auth, vacancy=_vacancy(payload.vacancy_id), person=_person(request.auth, payload.person_id),
                         event=_event(payload.event_id), note=payload.note)
    return Status(201, _detail(request.auth, app.pk))


@router.post("/applications/invite", response={201: ApplicationDetail}, summary="单位邀约求职者")
def invite(request, payload: CreateIn):
    app = services.invite(actor=request.auth, vacancy=_vacancy(payload.vacancy_id),
                          person=_person(request.auth, payload.person_id), note=payload.note)
    return Status(201, _detail(request.auth, app.pk))


@router.get("/applications/{application_id}", response=ApplicationDetail, summary="一件求职申请：进度与可办理的操作")
def get_application(request, application_id: RecordId):
    queries.get_application(request.auth, application_id)  # audited read
    return _detail(request.auth, application_id)


class StepIn(Schema):
    action: Literal["apply", "interview", "offer", "decline", "reject", "withdraw"]
    interview_at: Text16 = Field("", description="面试时间 YYYY-MM-DD HH:MM（interview 时必填）")
    note: Text255 = ""


@router.post("/applications/{application_id}/steps", response=ApplicationDetail,
             summary="办理一步：apply（接受推荐）、interview（须 interview_at）、offer、decline、reject、withdraw")
def step(request, application_id: RecordId, payload: StepIn):
    app = queries.get_application(request.auth, application_id, audit_read=False)
    services.transition(actor=request.auth, application=app, action=payload.action, note=payload.note,
                        interview_at=_when(payload.interview_at))
    return _detail(request.auth, application_id)


class HireIn(Schema):
    start_date: ApiDate
    employment_form: Literal[tuple(EmploymentForm.values)] = EmploymentForm.UNIT  # type: ignore[valid-type]
    contract_type: Literal[tuple(ContractType.values) + ("",)] = ""  # type: ignore[valid-type]
    contract_months: int | None = Field(None, ge=1, le=600)
    contract_start: ApiDate | None = None
    contract_end: ApiDate | None = None
    social_insurance: bool | None = None
    note: Text255 = ""


@router.post("/applications/{application_id}/hire", response=ApplicationDetail,
             summary="确认录用入职（单位确认，或经办人员代录）：同时办理就业登记")
def hire(request, application_id: RecordId, payload: HireIn):
    app = queries.get_application(request.auth, application_id, audit_read=False)
    services.hire(actor=request.auth, application=app, **payload.dict())
    return _detail(request.auth, application_id)
