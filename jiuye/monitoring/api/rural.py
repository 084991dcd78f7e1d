"""API of rural labour transfer (农村劳动力转移就业) under /api/v1/monitoring/rural-transfer: the figures of a
period per region (both measures, by local / within the province / across provinces / unknown, and the
cross-province origins) and the persons behind a figure (identity numbers masked). Thin handlers over
``monitoring.queries.rural``."""
from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from ninja import Query, Router, Schema, Status

from jiuye.accounts import roles
from jiuye.apitypes import Limit, Offset, RegionCodeFilter, text
from jiuye.monitoring.queries import rural as queries
from jiuye.registry.identity import mask_id_number

router = Router(tags=["monitoring-rural"])


class ErrorOut(Schema):
    detail: str


class RowOut(Schema):
    region_code: str
    region_name: str
    local: int
    province: int
    cross: int
    unknown: int
    total: int


class OriginOut(Schema):
    county_code: str
    name: str
    province: str
    count: int


class MeasureOut(Schema):
    rows: list[RowOut]
    total: RowOut
    origins: list[OriginOut]


class RuralOut(Schema):
    period: str
    period_label: str
    start: datetime.date
    end: datetime.date
    region_code: str
    new: MeasureOut
    stock: MeasureOut


class PersonOut(Schema):
    person_id: int
    name: str
    id_number_masked: str
    hukou_place: str
    origin_county: str
    origin_name: str
    origin_from: str
    work_region: str
    registered_in: str
    effective_date: datetime.date
    registration_id: int
    scope: str


class PersonPage(Schema):
    items: list[PersonOut]
    count: int
    has_more: bool
    limit: int
    offset: int


def _row(r) -> RowOut:
    return RowOut(region_code=r.code, region_name=r.name, total=r.total, **r.counts)


def rural_out(data) -> RuralOut:
    p = data["period"]
    measures = {m: MeasureOut(rows=[_row(r) for r in v["rows"]], total=_row(v["total"]),
                              origins=[OriginOut(county_code=o["code"], name=o["name"], province=o["province"], count=o["n"])
                                       for o in v["origins"]])
                for m, v in data["measures"].items()}
    return RuralOut(period=p.code, period_label=p.label, start=p.start, end=p.end, region_code=data["node"],
                    new=measures[queries.NEW], stock=measures[queries.STOCK])


def _reader(request):
    if not roles.can_read_monitoring(request.auth):
        raise PermissionDenied("您的角色无权查看就业监测预警")


@router.get("/rural-transfer", response={200: RuralOut, 400: ErrorOut, 403: ErrorOut}, summary="农村劳动力转移就业")
def rural_transfer(request, period: text(16) = Query("", description="2026-11、2026-Q4 或 2026；默认上一个完整月份"),
                   region: RegionCodeFilter = ""):
    _reader(request)
    try:
        return rural_out(queries.rural_transfer(request.auth, queries.RuralSearch(period=period, region_code=region)))
    except ValueError as exc:
        return Status(400, {"detail": str(exc)})


@router.get("/rural-transfer/persons", response={200: PersonPage, 400: ErrorOut, 403: ErrorOut},
            summary="农村劳动力转移就业：数字背后的人员")
def rural_persons(request, period: text(16) = "", measure: text(8) = Query("new", description="new（新增）或 stock（期末）"),
                  region: RegionCodeFilter = "", scope: text(10) = Query("", description="local、province、cross、unknown"),
                  origin: text(6) = Query("", description="户籍地县级代码（跨省来源）"), limit: Limit = 50, offset: Offset = 0):
    _reader(request)
    s = queries.RuralPersonSearch(period=period, measure=measure, region_code=region, scope=scope, origin=origin,
                                  limit=limit, offset=offset)
    try:
        rows, has_more = queries.search_persons(request.auth, s)
        count = queries.count_persons(request.auth, s)
    except ValueError as exc:
        return Status(400, {"detail": str(exc)})
    items = [PersonOut(person_id=r["p"].pk, name=r["p"].name, id_number_masked=mask_id_number(r["p"].id_number),
                       hukou_place=r["p"].hukou_place, origin_county=r["origin"],
                       origin_name=r["origin_name"] if r["origin"] else "", origin_from=r["how"],
                       work_region=r["p"].work_code, registered_in=r["p"].reg_code, effective_date=r["p"].entry_date,
                       registration_id=r["p"].entry_id, scope=r["scope"]) for r in queries.person_rows(rows)]
    return {"items": items, "count": count, "has_more": has_more, "limit": limit, "offset": offset}
