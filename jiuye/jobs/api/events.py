"""API of recruitment events (招聘活动) under /api/v1/jobs/events: list, create, one event, its employers,
vacancies and registrations (add and list), check-in, outcomes. Thin handlers over ``jobs.queries.events``
and ``jobs.services.events``; times are given as a date and a local time; identity numbers masked."""
from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from jiuye.apitypes import ApiDate, Limit, Offset, RecordId, RegionCode, RegionCodeFilter, SearchText, text
from jiuye.jobs.models import EventKind, EventStatus, Vacancy
from jiuye.jobs.queries import events as queries
from jiuye.jobs.services import events as services
from jiuye.registry import queries as registry_queries
from jiuye.registry.identity import mask_id_number

router = Router(tags=["jobs-events"])
IdNumber = text(18, min_length=15)
CreditCode = text(18, min_length=18)


class ErrorOut(Schema):
    detail: str


class EventOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    organiser: str
    region_code: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    stream_url: str
    description: str
    status: str


class EventPage(Schema):
    items: list[EventOut]
    count: int
    has_more: bool
    limit: int
    offset: int


class EventIn(Schema):
    kind: text(20) = Field(..., description="、".join(EventKind.values))
    title: text(128, min_length=1)
    organiser: text(128, min_length=1)
    region: RegionCode
    start_date: ApiDate
    start_time: datetime.time
    end_date: ApiDate
    end_time: datetime.time
    place: text(255) = ""
    stream_url: text(255) = ""
    description: text(4000, multiline=True) = ""


class StatusIn(Schema):
    status: text(10) = Field(..., description="open、ended、cancelled")


class EmployerIn(Schema):
    credit_code: CreditCode | None = Field(None, description="组织者添加；用人单位账号报名本单位时不填")
    booth: text(32) = ""


class EmployerOut(Schema):
    employer_id: int
    employer_name: str
    credit_code: str
    booth: str


class VacancyIn(Schema):
    vacancy_id: RecordId


class VacancyOut(Schema):
    vacancy_id: int
    title: str
    employer_id: int
    employer_name: str
    openings: int


class RegistrationIn(Schema):
    id_number: IdNumber | None = Field(None, description="经办人员代报名：身份证号；居民本人报名不填")


class RegistrationOut(Schema):
    id: int
    person_id: int
    person_name: str
    id_number_masked: str
    registered_at: datetime.datetime
    attended_at: datetime.datetime | None
    flags: list[str] = []


class EmployerOutcome(Schema):
    employer_id: int
    employer_name: str
    applications: int
    interviews: int
    offers: int
    hires: int


class OutcomesOut(Schema):
    employers: int
    vacancies: int
    registered: int
    attended: int
    applications: int
    interviews: int
    offers: int
    hires: int
    by_status: dict[str, int]
    per_employer: list[EmployerOutcome]


def event_out(e) -> EventOut:
    return EventOut(id=e.pk, kind=e.kind, kind_label=str(e.get_kind_display()), title=e.title, organiser=e.organiser,
                    region_code=e.region_id, starts_at=e.starts_at, ends_at=e.ends_at, place=e.place,
                    stream_url=e.stream_url, description=e.description, status=e.status)


def registration_out(r) -> RegistrationOut:
    return RegistrationOut(id=r.pk, person_id=r.person_id, person_name=r.person.name,
                           id_number_masked=mask_id_number(r.person.id_number), registered_at=r.registered_at,
                           attended_at=r.attended_at, flags=getattr(r, "flags", []))


def _aware(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """The local wall-clock time of the event (a time sent with an offset is read as local time)."""
    return timezone.make_aware(datetime.datetime.combine(day, time.replace(tzinfo=None)))


@router.get("/jobs/events", response={200: EventPage, 400: ErrorOut}, summary="招聘活动列表")
def list_events(request, q: SearchText = "", kind: text(20) = "", status: text(10) = "", region: RegionCodeFilter = "",
                date_from: ApiDate | None = None, date_to: ApiDate | None = None, upcoming: bool = False,
                sort: text(32) = Query("", description="排序：" + "、".join(queries.EVENT_SORTS)),
                limit: Limit = Query(50, le=200), offset: Offset = 0):
    s = queries.EventSearch(text=q, kind=kind, status=status, region_code=region, date_from=date_from, date_to=date_to,
                            upcoming=upcoming, sort=sort, limit=limit, offset=offset)
    try:
        rows, has_more = queries.search_events(request.auth, s)
        count = queries.count_events(request.auth, s)
    except ValueError as exc:
        return Status(400, {"detail": str(exc)})
    return EventPage(items=[event_out(e) for e in rows], count=count, has_more=has_more, limit=limit, offset=offset)


@router.post("/jobs/events", response={201: EventOut}, summary="新建招聘活动")
def create_event(request, payload: EventIn):
    d = payload.dict()
    event = services.create_event(actor=request.auth, kind=d["kind"], title=d["title"], organiser=d["organiser"],
                                  region=d["region"], starts_at=_aware(d["start_date"], d["start_time"]),
                                  ends_at=_aware(d["end_date"], d["end_time"]), place=d["place"],
                                  stream_url=d["stream_url"], description=d["description"])
    return Status(201, event_out(event))


@router.get("/jobs/events/{event_id}", response=EventOut, summary="一项招聘活动")
def get_event(request, event_id: RecordId):
    return event_out(queries.get_event(request.auth, event_id))


@router.post("/jobs/events/{event_id}/status", response=EventOut, summary="改变活动状态")
def set_status(request, event_id: RecordId, payload: StatusIn):
    event = queries.get_event(request.auth, event_id)
    if payload.status not in EventStatus.values:
        raise ValidationError({"status": [f"状态“{payload.status}”无效"]})
    return event_out(services.set_status(actor=request.auth, event=event, status=payload.status))


@router.get("/jobs/events/{event_id}/employers", response=list[EmployerOut], summary="参会单位")
def list_employers(request, event_id: RecordId):
    event = queries.get_event(request.auth, event_id)
    return [EmployerOut(employer_id=r.employer_id, employer_name=r.employer.name, credit_code=r.employer.credit_code,
                        booth=r.booth) for r in queries.employers_of_event(request.auth, event)]


@router.post("/jobs/events/{event_id}/employers", response={201: EmployerOut}, summary="添加参会单位")
def add_employer(request, event_id: RecordId, payload: EmployerIn):
    event = queries.get_event(request.auth, event_id)
    if payload.credit_code:
        employer = registry_queries.visible_employer_by_credit_code(request.auth, payload.credit_code)
    else:
        employer = registry_queries.employers_visible_to(request.auth).filter(
            pk=registry_queries.linked_employer_id(request.auth) or 0).first()
    if employer is None:
        raise ValidationError({"credit_code": ["用人单位不存在或不在您的管辖范围内"]})
    row = services.add_employer(actor=request.auth, event=event, employer=employer, booth=payload.booth)
    return Status(201, EmployerOut(employer_id=employer.pk, employer_name=employer.name, credit_code=employer.credit_code,
                                   booth=row.booth))


def _vacancy_out(v) -> VacancyOut:
    return VacancyOut(vacancy_id=v.pk, title=v.title, employer_id=v.employer_id, employer_name=v.employer.name,
                      openings=v.openings)


@router.get("/jobs/events/{event_id}/vacancies", response=list[VacancyOut], summary="活动岗位")
def list_vacancies(request, event_id: RecordId):
    event = queries.get_event(request.auth, event_id)
    return [_vacancy_out(r.vacancy) for r in queries.vacancies_of_event(request.auth, event)]


@router.post("/jobs/events/{event_id}/vacancies", response={201: VacancyOut}, summary="添加活动岗位")
def add_vacancy(request, event_id: RecordId, payload: VacancyIn):
    event = queries.get_event(request.auth, event_id)
    vacancy = Vacancy.objects.select_related("employer").filter(pk=payload.vacancy_id).first()
    if vacancy is None:
        raise ValidationError({"vacancy_id": ["岗位不存在或不在您的管辖范围内"]})
    services.add_vacancy(actor=request.auth, event=event, vacancy=vacancy)
    return Status(201, _vacancy_out(vacancy))


@router.get("/jobs/events/{event_id}/registrations", response=list[RegistrationOut], summary="活动报名（含优先标识）")
def list_registrations(request, event_id: RecordId, limit: Limit = Query(200, le=500), offset: Offset = 0):
    event = queries.get_event(request.auth, event_id)
    rows = queries.with_flags(queries.registrations_of_event(request.auth, event)[offset:offset + limit])
    return [registration_out(r) for r in rows]


@router.post("/jobs/events/{event_id}/registrations", response={201: RegistrationOut}, summary="活动报名")
def register(request, event_id: RecordId, payload: RegistrationIn):
    event = queries.get_event(request.auth, event_id)
    person = None
    if payload.id_number:
        person = registry_queries.persons_visible_to(request.auth).filter(id_number=payload.id_number.upper()).first()
        if person is None:
            raise ValidationError({"id_number": ["人员不存在或不在您的管辖范围内"]})
    row = services.register(actor=request.auth, event=event, person=person)
    row = queries.registrations_of_event(request.auth, event).get(pk=row.pk)
    return Status(201, registration_out(row))


@router.post("/jobs/events/{event_id}/registrations/{registration_id}/check-in", response=RegistrationOut,
             summary="签到")
def check_in(request, event_id: RecordId, registration_id: RecordId):
    event = queries.get_event(request.auth, event_id)
    row = queries.get_registration(request.auth, event, registration_id)
    return registration_out(services.check_in(actor=request.auth, registration=row))


@router.get("/jobs/events/{event_id}/outcomes", response=OutcomesOut, summary="活动成效（面试、录用通知、录用）")
def outcomes(request, event_id: RecordId):
    event = queries.get_event(request.auth, event_id)
    o = queries.outcomes(request.auth, event)
    return OutcomesOut(employers=o["employers"], vacancies=o["vacancies"], registered=o["registered"],
                       attended=o["attended"], applications=o["applications"], interviews=o["interviews"],
                       offers=o["offers"], hires=o["hires"], by_status=o["by_status"],
                       per_employer=[EmployerOutcome(employer_id=r["vacancy__employer_id"],
                                                     employer_name=r["vacancy__employer__name"],
                                                     applications=r["applications"], interviews=r["interviews"],
                                                     offers=r["offers"], hires=r["hires"]) for r in o["per_employer"]])
