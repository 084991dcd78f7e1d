"""API of supply and demand (人力资源市场供求) and the shortage-occupation catalogue (紧缺职业目录), mounted at
/api/v1/monitoring. Thin handlers over ``monitoring.queries.supply`` and ``monitoring.services.catalogue``: the same
figures as the web page (period, region, dimension), the drill-down lists, the catalogues (list, one, compute a
draft, publish). A period that cannot be read is 422 naming it; a record outside the scope is 404; a role that may
not read the figures is 403."""
from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from jiuye.accounts import roles
from jiuye.apitypes import Limit, Offset, RecordId, RegionCodeFilter, text
from jiuye.monitoring.periods import PeriodError, month_of, parse_period
from jiuye.monitoring.queries import supply as queries
from jiuye.monitoring.services import catalogue as services
from jiuye.registry.identity import mask_id_number

router = Router(tags=["monitoring"])

PeriodText = text(16)
DimensionIn = Literal[tuple(queries.DIMENSIONS)]  # type: ignore[valid-type]
DimensionFilter = Literal[tuple(queries.DIMENSIONS) + ("",)]  # type: ignore[valid-type]
KeyText = text(32)
SortKey = text(32)
Months = Annotated[int, Field(ge=3, le=120)]
Year = Annotated[int, Field(ge=2000, le=2200)]


def _reader(user):
    if not roles.can_read_monitoring(user):
        raise PermissionDenied("您的角色无权查看就业监测数据")


def _period(value: str, field: str = "period"):
    try:
        return parse_period(value) if value else month_of(timezone.localdate()).previous()
    except PeriodError as exc:
        raise ValidationError({field: [str(exc)]}) from None


class Change(Schema):
    abs: Decimal | int | None
    pct: Decimal | None


class FigureOut(Schema):
    key: str
    label: str
    openings: int
    seekers: int
    ratio: Decimal | None
    prev_openings: int
    prev_seekers: int
    prev_ratio: Decimal | None
    yb_openings: int
    yb_seekers: int
    yb_ratio: Decimal | None
    changes: dict[str, Change]


class FiguresOut(Schema):
    period: str
    period_label: str
    previous_period: str
    year_before_period: str
    dimension: str
    region_code: str
    region_name: str
    rows: list[FigureOut]
    total: FigureOut


def _figure(r) -> FigureOut:
    return FigureOut(key=r.key, label=r.label, openings=r.openings, seekers=r.seekers, ratio=r.ratio,
                     prev_openings=r.prev_openings, prev_seekers=r.prev_seekers, prev_ratio=r.prev_ratio,
                     yb_openings=r.yb_openings, yb_seekers=r.yb_seekers, yb_ratio=r.yb_ratio,
                     changes={k: Change(**v) for k, v in r.changes().items()})


@router.get("/supply", response=FiguresOut, summary="人力资源市场供求：需求人数、求职人数、求人倍率（分组、环比、同比）")
def supply(request, period: PeriodText = "", dimension: DimensionIn = "region", region: RegionCodeFilter = ""):
    _reader(request.auth)
    p = _period(period)
    f = queries.supply_figures(request.auth, p, dimension=dimension, region_code=region)
    return FiguresOut(period=p.code, period_label=p.label, previous_period=p.previous().code,
                      year_before_period=p.year_before().code, dimension=dimension, region_code=f.region_code,
                      region_name=f.region_name, rows=[_figure(r) for r in f.rows], total=_figure(f.total))


class SeriesRegion(Schema):
    code: str
    name: str
    openings: list[int]
    seekers: list[int]


class SeriesOut(Schema):
    months: list[str]
    openings: list[int]
    seekers: list[int]
    ratio: list[Decimal | None]
    regions: list[SeriesRegion]


@router.get("/supply/series", response=SeriesOut, summary="人力资源市场供求月度序列（合计及下级地区）")
def supply_series(request, month: PeriodText = "", months: Months = 24, region: RegionCodeFilter = ""):
    _reader(request.auth)
    p = _period(month, "month")
    s = queries.monthly_series(request.auth, p.end.replace(day=1), months, region_code=region)
    return SeriesOut(months=[f"{m.year}-{m.month:02d}" for m in s["months"]], openings=s["total"]["openings"],
                     seekers=s["total"]["seekers"], ratio=s["total"]["ratio"],
                     regions=[SeriesRegion(code=k.ljust(12, "0"), name=n, openings=s["openings"][k], seekers=s["seekers"][k])
                              for k, n in s["regions"]])


class RecordFilters(Schema):
    period: PeriodText = ""
    dimension: DimensionFilter = ""
    key: KeyText = ""
    region: RegionCodeFilter = ""
    sort: SortKey = ""
    limit: Limit = 50
    offset: Offset = 0


def _records_search(f: RecordFilters) -> queries.SupplyRecords:
    return queries.SupplyRecords(period=_period(f.period).code, dimension=f.dimension, key=f.key, region=f.region,
                                 sort=f.sort, limit=f.limit, offset=f.offset)


class VacancyRecord(Schema):
    id: int
    title: str
    employer_name: str
    occupation_code: str
    openings: int
    region_code: str
    region_name: str
    published_at: datetime.datetime | None
    status: str


class VacancyRecords(Schema):
    count: int
    openings: int
    items: list[VacancyRecord]
    has_more: bool


@router.get("/supply/records/vacancies", response=VacancyRecords, summary="需求明细：一个数字背后的招聘岗位")
def vacancy_records(request, filters: Query[RecordFilters]):
    _reader(request.auth)
    s = _records_search(filters)
    rows, more = queries.search_vacancy_records(request.auth, s)
    return VacancyRecords(count=queries.count_vacancy_records(request.auth, s),
                          openings=queries.sum_vacancy_openings(request.auth, s), has_more=more, items=[
        VacancyRecord(id=v.pk, title=v.title, employer_name=v.employer.name,
                      occupation_code=v.occupation.code if v.occupation_id else "", openings=v.openings,
                      region_code=v.region_id, region_name=v.region.name, published_at=v.published_at, status=v.status)
        for v in rows])


class SeekerRecord(Schema):
    id: int
    person_id: int | None
    name: str
    id_number: str
    started_on: datetime.date
    ended_on: datetime.date | None
    end_reason: str
    registered_in: str
    registered_in_name: str


class SeekerRecords(Schema):
    count: int
    items: list[SeekerRecord]
    has_more: bool


@router.get("/supply/records/seekers", response=SeekerRecords,
            summary="求职明细：一个数字背后的求职登记（姓名仅对可查看登记信息的角色显示，身份证号遮蔽）")
def seeker_records(request, filters: Query[RecordFilters]):
    _reader(request.auth)
    s = _records_search(filters)
    rows, more = queries.search_seeker_records(request.auth, s)
    names = queries.shows_names(request.auth)
    return SeekerRecords(count=queries.count_seeker_records(request.auth, s), has_more=more, items=[
        SeekerRecord(id=r.pk, person_id=r.person_id if names else None, name=r.person.name if names else "",
                     id_number=mask_id_number(r.person.id_number) if names else "", started_on=r.started_on,
                     ended_on=r.ended_on, end_reason=r.end_reason, registered_in=r.registered_in_id,
                     registered_in_name=r.registered_in.name)
        for r in rows])


class EntryOut(Schema):
    rank: int
    occupation_code: str
    occupation_name: str
    group_name: str
    openings: int
    seekers: int
    ratio: Decimal | None
    months_short: int
    months_with_demand: int


class CatalogueOut(Schema):
    id: int
    year: int
    title: str
    region_code: str
    region_name: str
    status: str
    status_label: str
    computed_at: datetime.datetime
    published_at: datetime.datetime | None
    replaced_by: int | None
    totals: dict
    parameters: dict


class CatalogueDetail(CatalogueOut):
    entries: list[EntryOut]


class CatalogueList(Schema):
    count: int
    items: list[CatalogueOut]
    has_more: bool


def _cat(c, entries=False):
    data = dict(id=c.pk, year=c.year, title=c.title, region_code=c.region_id, region_name=c.region.name, status=c.status,
                status_label=c.get_status_display(), computed_at=c.computed_at, published_at=c.published_at,
                replaced_by=c.replaced_by_id, totals=c.totals or {}, parameters=c.parameters or {})
    if not entries:
        return CatalogueOut(**data)
    return CatalogueDetail(**data, entries=[
        EntryOut(rank=e.rank, occupation_code=e.occupation_code, occupation_name=e.occupation_name,
                 group_name=e.group_name, openings=e.openings, seekers=e.seekers, ratio=e.ratio,
                 months_short=e.months_short, months_with_demand=e.months_with_demand) for e in c.entries.all()])


@router.get("/shortage-catalogues", response=CatalogueList, summary="紧缺职业目录列表（本辖区及上级发布的目录）")
def catalogues(request, year: Year | None = None, sort: SortKey = "", limit: Limit = 50, offset: Offset = 0):
    s = queries.CatalogueSearch(year=year, sort=sort, limit=limit, offset=offset)
    rows, more = queries.search_catalogues(request.auth, s)
    return CatalogueList(count=queries.count_catalogues(request.auth, s), items=[_cat(c) for c in rows], has_more=more)


@router.get("/shortage-catalogues/{catalogue_id}", response=CatalogueDetail, summary="一个紧缺职业目录及其职业")
def catalogue(request, catalogue_id: RecordId):
    return _cat(queries.get_catalogue(request.auth, catalogue_id), entries=True)


class ComputeIn(Schema):
    year: Year
    region: RegionCodeFilter = Field("", description="发布区划（默认本人所在区划）")
    note: text(2000, multiline=True) = ""


@router.post("/shortage-catalogues", response={201: CatalogueDetail}, summary="计算紧缺职业目录草稿（替换同年度同区划的草稿）")
def compute(request, payload: ComputeIn):
    cat = services.compute_draft(request.auth, year=payload.year, region_code=payload.region, note=payload.note)
    return Status(201, _cat(queries.get_catalogue(request.auth, cat.pk), entries=True))


@router.post("/shortage-catalogues/{catalogue_id}/publish", response=CatalogueDetail,
             summary="发布紧缺职业目录（发布后不再改动；同年度同区划此前发布的目录标为已被替代）")
def publish(request, catalogue_id: RecordId):
    cat = services.publish(request.auth, catalogue_id)
    return _cat(queries.get_catalogue(request.auth, cat.pk), entries=True)
