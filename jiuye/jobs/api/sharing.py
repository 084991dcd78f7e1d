"""API of labour sharing (用工余缺调剂) under /api/v1/jobs/sharing: offers and requests (list with the board's
filters and the "可对接" flag, create, one), placements (list, record). Thin handlers over
``jobs.queries.sharing`` and ``jobs.services.sharing``; employers by credit code, workers by identity number."""
from __future__ import annotations

import datetime
from typing import Annotated

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema, Status

from jiuye.apitypes import ApiDate, Limit, Offset, RecordId, RegionCodeFilter, SearchText, text
from jiuye.jobs.models import Occupation
from jiuye.jobs.queries import sharing as queries
from jiuye.jobs.services import sharing as services
from jiuye.registry import queries as registry_queries
from jiuye.registry.models import Employer

router = Router(tags=["jobs-sharing"])
CreditCode = text(18, min_length=18)
Headcount = Annotated[int, Field(ge=1, le=services.MAX_HEADCOUNT)]
Wage = Annotated[int, Field(ge=0, le=1_000_000)]


class ErrorOut(Schema):
    detail: str


class OfferOut(Schema):
    id: int
    kind: str
    employer_id: int
    employer_name: str
    title: str
    occupation_code: str
    headcount: int
    placed: int
    starts_on: datetime.date
    ends_on: datetime.date
    wage: int | None
    terms: str
    region_code: str
    status: str
    matchable: bool


class OfferPage(Schema):
    items: list[OfferOut]
    count: int
    has_more: bool
    limit: int
    offset: int


class OfferIn(Schema):
    kind: text(8) = Field(..., description="offer（富余员工可共享）或 request（缺工求调剂）")
    credit_code: CreditCode | None = Field(None, description="经办人员代发布：单位信用代码；单位账号不填")
    title: text(64, min_length=1)
    occupation_code: text(10) = ""
    headcount: Headcount
    starts_on: ApiDate
    ends_on: ApiDate
    wage: Wage | None = None
    terms: text(2000, multiline=True) = ""


class PlacementIn(Schema):
    offer_id: RecordId | None = None
    request_id: RecordId | None = None
    from_credit_code: CreditCode | None = None
    to_credit_code: CreditCode | None = None
    headcount: Headcount
    starts_on: ApiDate
    ends_on: ApiDate
    terms: text(2000, multiline=True) = ""
    workers: text(19 * 500) = Field("", description="调剂人员身份证号，逗号分隔")


class PlacementOut(Schema):
    id: int
    offer_id: int | None
    request_id: int | None
    from_employer_id: int
    from_employer_name: str
    to_employer_id: int
    to_employer_name: str
    headcount: int
    starts_on: datetime.date
    ends_on: datetime.date
    terms: str


def offer_out(o) -> OfferOut:
    return OfferOut(id=o.pk, kind=o.kind, employer_id=o.employer_id, employer_name=o.employer.name, title=o.title,
                    occupation_code=o.occupation.code if o.occupation_id else "", headcount=o.headcount,
                    placed=getattr(o, "placed", None) or services.placed(o, side=o.kind), starts_on=o.starts_on,
                    ends_on=o.ends_on, wage=o.wage, terms=o.terms, region_code=o.region_id, status=o.status,
                    matchable=bool(getattr(o, "matchable", False)))


def placement_out(p) -> PlacementOut:
    return PlacementOut(id=p.pk, offer_id=p.offer_id, request_id=p.request_id, from_employer_id=p.from_employer_id,
                        from_employer_name=p.from_employer.name, to_employer_id=p.to_employer_id,
                        to_employer_name=p.to_employer.name, headcount=p.headcount, starts_on=p.starts_on,
                        ends_on=p.ends_on, terms=p.terms)


@router.get("/jobs/sharing/offers", response={200: OfferPage, 400: ErrorOut}, summary="用工余缺信息列表")
def list_offers(request, q: SearchText = "", kind: text(8) = "", status: text(8) = "", occupation: text(10) = "",
                region: RegionCodeFilter = "", date_from: ApiDate | None = None, date_to: ApiDate | None = None,
                matchable: bool = False, sort: text(32) = Query("", description="排序：" + "、".join(queries.OFFER_SORTS)),
                limit: Limit = Query(50, le=200), offset: Offset = 0):
    s = queries.SharingSearch(text=q, kind=kind, status=status, occupation_code=occupation, region_code=region,
                              date_from=date_from, date_to=date_to, matchable=matchable, sort=sort, limit=limit,
                              offset=offset)
    try:
        rows, has_more = queries.search_offers(request.auth, s)
        count = queries.count_offers(request.auth, s)
    except ValueError as exc:
        return Status(400, {"detail": str(exc)})
    return OfferPage(items=[offer_out(o) for o in rows], count=count, has_more=has_more, limit=limit, offset=offset)


@router.post("/jobs/sharing/offers", response={201: OfferOut}, summary="发布用工余缺信息")
def create_offer(request, payload: OfferIn):
    d = payload.dict()
    employer = None
    if d["credit_code"]:
        employer = registry_queries.visible_employer_by_credit_code(request.auth, d["credit_code"])
        if employer is None:
            raise ValidationError({"credit_code": ["用人单位不存在或不在您的管辖范围内"]})
    occupation = Occupation.objects.filter(code=d["occupation_code"]).first() if d["occupation_code"] else None
    if d["occupation_code"] and occupation is None:
        raise ValidationError({"occupation_code": [f"职业代码“{d['occupation_code']}”不存在"]})
    offer = services.create_offer(actor=request.auth, kind=d["kind"], employer=employer, title=d["title"],
                                  headcount=d["headcount"], starts_on=d["starts_on"], ends_on=d["ends_on"],
                                  occupation=occupation, wage=d["wage"], terms=d["terms"])
    return Status(201, offer_out(queries.get_offer(request.auth, offer.pk)))


@router.get("/jobs/sharing/offers/{offer_id}", response=OfferOut, summary="一条用工余缺信息")
def get_offer(request, offer_id: RecordId):
    return offer_out(queries.get_offer(request.auth, offer_id))


@router.get("/jobs/sharing/placements", response=list[PlacementOut], summary="用工调剂记录")
def list_placements(request, limit: Limit = Query(100, le=500)):
    return [placement_out(p) for p in queries.placements_of(request.auth, limit=limit)]


@router.post("/jobs/sharing/placements", response={201: PlacementOut}, summary="登记用工调剂")
def create_placement(request, payload: PlacementIn):
    d = payload.dict()
    sides = {}
    for name in ("offer_id", "request_id"):
        sides[name] = None
        if d[name]:
            sides[name] = queries.offers_visible_to(request.auth).select_related("employer").filter(pk=d[name]).first()
            if sides[name] is None:
                raise ValidationError({name: ["调剂信息不存在或不在您的管辖范围内"]})
    firms = {}
    for name in ("from_credit_code", "to_credit_code"):
        firms[name] = Employer.objects.filter(credit_code=d[name].upper()).first() if d[name] else None
        if d[name] and firms[name] is None:
            raise ValidationError({name: [f"统一社会信用代码“{d[name]}”未登记"]})
    placement = services.record_placement(
        actor=request.auth, offer=sides["offer_id"], request=sides["request_id"], from_employer=firms["from_credit_code"],
        to_employer=firms["to_credit_code"], headcount=d["headcount"], starts_on=d["starts_on"], ends_on=d["ends_on"],
        terms=d["terms"], worker_id_numbers=[n for n in d["workers"].replace("，", ",").split(",") if n.strip()])
    return Status(201, placement_out(queries.get_placement(request.auth, placement.pk)))
