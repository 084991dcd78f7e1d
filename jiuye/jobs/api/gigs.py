"""API of the gig market (零工市场) under /api/v1/jobs/gigs: list (the board's query: count, sort, filters),
create, one task, its takes, take (a resident for themself, a worker for a person by identity number),
record the outcome of a take (done with pay / no-show), cancel; a person's gig history. Thin handlers
over ``jobs.queries.gigs`` and ``jobs.services.gigs``; identity numbers masked."""
from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status

from jiuye.apitypes import ApiDate, Limit, Offset, RecordId, RegionCode, RegionCodeFilter, SearchText, text
from jiuye.jobs.models import GigStatus, GigTakeStatus, Occupation
from jiuye.jobs.queries import gigs as queries
from jiuye.jobs.services import gigs as services
from jiuye.registry import queries as registry_queries
from jiuye.registry.identity import mask_id_number

router = Router(tags=["jobs-gigs"])

Money = Annotated[Decimal, Field(ge=0, le=99_999, max_digits=8, decimal_places=2)]
Headcount = Annotated[int, Field(ge=1, le=services.MAX_HEADCOUNT)]
IdNumber = text(18, min_length=15)
CreditCode = text(18, min_length=18)


class ErrorOut(Schema):
    detail: str


class GigOut(Schema):
    id: int
    title: str
    description: str
    employer_id: int | None
    employer_name: str
    poster_name: str
    region_code: str
    address: str
    work_date: datetime.date
    start_time: str
    end_time: str
    daily_pay: str
    headcount: int
    taken: int
    status: str
    occupation_code: str


class GigPage(Schema):
    items: list[GigOut]
    count: int
    has_more: bool
    limit: int
    offset: int


class TakeOut(Schema):
    id: int
    task_id: int
    person_id: int
    person_name: str
    id_number_masked: str
    status: str
    taken_at: datetime.datetime
    paid: str | None
    flags: list[str]


class GigIn(Schema):
    title: text(64, min_length=1)
    description: text(2000, multiline=True) = ""
    work_date: ApiDate
    start_time: datetime.time
    end_time: datetime.time
    daily_pay: Money
    headcount: Headcount = 1
    region: RegionCode
    address: text(255) = ""
    occupation_code: text(10) = ""
    credit_code: CreditCode | None = Field(None, description="员工代发布：用人单位统一社会信用代码")
    poster_name: text(64) = Field("", description="个人发布：发布人姓名")
    contact_phone: text(20) = ""


class TakeIn(Schema):
    id_number: IdNumber | None = Field(None, description="经办人员代接单：求职人员身份证号；居民本人接单不填")


class OutcomeIn(Schema):
    outcome: text(8) = Field(..., description="done（已完成）或 no_show（未到岗）")
    paid: Money | None = None
    note: text(255) = ""


class CancelIn(Schema):
    reason: text(200) = ""


def gig_out(t) -> GigOut:
    return GigOut(id=t.pk, title=t.title, description=t.description, employer_id=t.employer_id,
                  employer_name=t.employer.name if t.employer_id else "", poster_name=t.poster_name,
                  region_code=t.region_id, address=t.address, work_date=t.work_date,
                  start_time=t.start_time.strftime("%H:%M"), end_time=t.end_time.strftime("%H:%M"),
                  daily_pay=str(t.daily_pay), headcount=t.headcount, taken=getattr(t, "taken_count", 0),
                  status=t.status, occupation_code=t.occupation.code if t.occupation_id else "")


def take_out(take) -> TakeOut:
    return TakeOut(id=take.pk, task_id=take.task_id, person_id=take.person_id, person_name=take.person.name,
                   id_number_masked=mask_id_number(take.person.id_number), status=take.status, taken_at=take.taken_at,
                   paid=None if take.paid is None else str(take.paid), flags=getattr(take, "flags", []))


@router.get("/jobs/gigs", response={200: GigPage, 400: ErrorOut}, summary="零工任务列表")
def list_gigs(request, q: SearchText = "", status: text(10) = Query("", description="open/taken/done/cancelled"),
              region: RegionCodeFilter = "", date_from: ApiDate | None = None, date_to: ApiDate | None = None,
              mine: bool = False, sort: text(32) = Query("", description="排序：" + "、".join(queries.GIG_SORTS)),
              limit: Limit = Query(50, le=200), offset: Offset = 0):
    if status and status not in GigStatus.values:
        return Status(400, {"detail": f"状态“{status}”无效"})
    s = queries.GigSearch(text=q, status=status, region_code=region, date_from=date_from, date_to=date_to, mine=mine,
                          sort=sort, limit=limit, offset=offset)
    try:
        rows, has_more = queries.search_gigs(request.auth, s)
        count = queries.count_gigs(request.auth, s)
    except ValueError as exc:
        return Status(400, {"detail": str(exc)})
    return GigPage(items=[gig_out(t) for t in rows], count=count, has_more=has_more, limit=limit, offset=offset)


@router.post("/jobs/gigs", response={201: GigOut}, summary="发布零工")
def create_gig(request, payload: GigIn):
    d = payload.dict()
    employer = None
    if d["credit_code"]:
        employer = registry_queries.visible_employer_by_credit_code(request.auth, d["credit_code"])
        if employer is None:
            raise ValidationError({"credit_code": ["用人单位不存在或不在您的管辖范围内"]})
    occupation = None
    if d["occupation_code"]:
        occupation = Occupation.objects.filter(code=d["occupation_code"]).first()
        if occupation is None:
            raise ValidationError({"occupation_code": [f"职业代码“{d['occupation_code']}”不存在"]})
    task = services.post_gig(actor=request.auth, title=d["title"], description=d["description"], work_date=d["work_date"],
                             start_time=d["start_time"].replace(tzinfo=None), end_time=d["end_time"].replace(tzinfo=None), daily_pay=d["daily_pay"],
                             headcount=d["headcount"], region=d["region"], address=d["address"], occupation=occupation,
                             employer=employer, poster_name=d["poster_name"], contact_phone=d["contact_phone"])
    return Status(201, gig_out(queries.get_gig(request.auth, task.pk)))


@router.get("/jobs/gigs/{gig_id}", response=GigOut, summary="一项零工任务")
def get_gig(request, gig_id: RecordId):
    return gig_out(queries.get_gig(request.auth, gig_id))


@router.get("/jobs/gigs/{gig_id}/takes", response=list[TakeOut], summary="零工任务的接单记录（含优先标识）")
def list_takes(request, gig_id: RecordId):
    task = queries.get_gig(request.auth, gig_id)
    return [take_out(t) for t in queries.takes_of_gig(request.auth, task)]


@router.post("/jobs/gigs/{gig_id}/takes", response={201: TakeOut}, summary="接单")
def take(request, gig_id: RecordId, payload: TakeIn):
    task = queries.get_gig(request.auth, gig_id)
    person = None
    if payload.id_number:
        person = registry_queries.persons_visible_to(request.auth).filter(id_number=payload.id_number.upper()).first()
        if person is None:
            raise ValidationError({"id_number": ["人员不存在或不在您的管辖范围内"]})
    row = services.take_gig(actor=request.auth, task=task, person=person)
    return Status(201, take_out(row))


def _take(request, task, take_id):
    row = next((t for t in queries.takes_of_gig(request.auth, task) if t.pk == take_id), None)
    if row is None:
        raise Http404
    return row


@router.post("/jobs/gigs/{gig_id}/takes/{take_id}/outcome", response=TakeOut, summary="登记完成情况（完成并付酬/未到岗）")
def complete(request, gig_id: RecordId, take_id: RecordId, payload: OutcomeIn):
    task = queries.get_gig(request.auth, gig_id)
    if payload.outcome not in (GigTakeStatus.DONE, GigTakeStatus.NO_SHOW):
        raise ValidationError({"outcome": [f"完成情况“{payload.outcome}”无效，应为 done 或 no_show"]})
    row = services.record_outcome(actor=request.auth, take=_take(request, task, take_id), outcome=payload.outcome,
                                  paid=payload.paid, note=payload.note)
    return take_out(row)


@router.post("/jobs/gigs/{gig_id}/takes/{take_id}/cancel", response=TakeOut, summary="取消接单")
def cancel_take(request, gig_id: RecordId, take_id: RecordId):
    task = queries.get_gig(request.auth, gig_id)
    return take_out(services.cancel_take(actor=request.auth, take=_take(request, task, take_id)))


@router.post("/jobs/gigs/{gig_id}/cancel", response=GigOut, summary="取消零工任务")
def cancel_gig(request, gig_id: RecordId, payload: CancelIn):
    task = queries.get_gig(request.auth, gig_id)
    services.cancel_gig(actor=request.auth, task=task, reason=payload.reason)
    return gig_out(queries.get_gig(request.auth, gig_id))


class HistoryOut(Schema):
    total: int
    done: int
    no_show: int
    paid: str
    takes: list[TakeOut]


@router.get("/jobs/persons/{person_id}/gigs", response=HistoryOut, summary="人员的零工记录")
def person_gigs(request, person_id: RecordId):
    if not registry_queries.persons_visible_to(request.auth).filter(pk=person_id).exists():
        raise Http404
    h = queries.gigs_of_person(request.auth, person_id)
    return HistoryOut(total=h["total"], done=h["done"], no_show=h["no_show"], paid=f"{Decimal(h['paid']):.2f}",
                      takes=[take_out(t) for t in h["takes"]])
