"""API of the unemployment part, mounted at /api/v1/monitoring: the same queries and services as the web
pages (the rate table, a region's history and forecasts, the drill-down list, the statistics bureau's series
and their entry). Identity numbers are masked."""
from __future__ import annotations

import datetime
from typing import Literal

from ninja import Field, Query, Router, Schema, Status

from jiuye.apitypes import ApiDate, Limit, Offset, RegionCode, RegionCodeFilter, text
from jiuye.monitoring.models import SeriesIndicator, StatSeriesValue
from jiuye.monitoring.periods import month_start
from jiuye.monitoring.queries import unemployment as queries
from jiuye.monitoring.services import series as services
from jiuye.registry.identity import mask_id_number

router = Router(tags=["monitoring"])
IndicatorFilter = Literal[tuple(SeriesIndicator.values) + ("",)]  # type: ignore[valid-type]
Indicator = Literal[tuple(SeriesIndicator.values)]  # type: ignore[valid-type]
MonthText = text(7)


class RateRow(Schema):
    region_code: str
    region_name: str
    month: str
    unemployed: int
    urban_employed: float | None
    employed_source: str
    registered_rate: float | None = Field(description="百分数；未录入分母时为 null")
    registered_rate_text: str
    surveyed_rate: float | None
    surveyed_source: str
    registered_limit: float | None
    surveyed_limit: float | None
    level: str
    surveyed_level: str
    is_total: bool


class RateQuery(Schema):
    month: ApiDate | None = Field(None, description="该月任一天（取月末）；默认最近有数据的已结束月份")
    region_code: RegionCodeFilter = ""


def _default_month(user) -> datetime.date:
    from django.utils import timezone

    latest = queries.latest_series_month(user)
    closed = services.last_closed_month(timezone.localdate())
    return min(latest, closed) if latest else closed


@router.get("/unemployment", response=list[RateRow], summary="各区划城镇登记失业率（与网页失业率表同一查询）")
def rate_table(request, filters: Query[RateQuery]):
    month = month_start(filters.month) if filters.month else _default_month(request.auth)
    return [r.as_dict() for r in queries.region_table(request.auth, month, filters.region_code or None)]


class HistoryQuery(Schema):
    first: ApiDate | None = None
    last: ApiDate | None = None


@router.get("/unemployment/{code}/history", response=list[RateRow], summary="某区划逐月失业率（默认最近十年）")
def history(request, code: RegionCode, filters: Query[HistoryQuery]):
    last = month_start(filters.last) if filters.last else _default_month(request.auth)
    first = month_start(filters.first) if filters.first else queries.add_months(last, -119)
    if queries.add_months(first, 240) < last:
        first = queries.add_months(last, -240)
    return [r.as_dict() for r in queries.region_history(request.auth, code, first, last)]


class ForecastOut(Schema):
    indicator: str
    made_on: datetime.date
    last_month: datetime.date | None
    observations: int
    model_name: str
    points: list[dict]
    backtest: dict
    limit: float | None
    crossing: dict | None
    message: str


@router.get("/unemployment/{code}/forecasts", response=list[ForecastOut], summary="某区划失业率预测（含预测区间和回测误差）")
def forecasts(request, code: RegionCode):
    out = []
    for indicator, run in queries.forecasts_of(request.auth, code).items():
        if run is None:
            continue
        out.append(ForecastOut(indicator=indicator, made_on=run.made_on, last_month=run.last_month,
                               observations=run.observations, model_name=run.model_name, points=run.points,
                               backtest=run.backtest, limit=float(run.limit) if run.limit is not None else None,
                               crossing=run.crossing, message=run.message))
    return out


class UnemployedItem(Schema):
    registration_id: int
    person_id: int
    name: str
    id_number_masked: str
    registered_in: str
    since: datetime.date
    unemployment_reason: str


class UnemployedList(Schema):
    count: int
    items: list[UnemployedItem]
    has_more: bool


class UnemployedQuery(Schema):
    month: ApiDate | None = None
    sort: text(32) = ""
    limit: Limit = 50
    offset: Offset = 0


@router.get("/unemployment/{code}/unemployed", response=UnemployedList, summary="某区划某月末的城镇登记失业人员（失业人数的明细）")
def unemployed(request, code: RegionCode, filters: Query[UnemployedQuery]):
    s = queries.UnemployedSearch(region_code=code, month=month_start(filters.month) if filters.month else _default_month(request.auth),
                                 sort=filters.sort or "region", limit=filters.limit, offset=filters.offset)
    rows, more = queries.search_unemployed(request.auth, s)
    items = [UnemployedItem(registration_id=r.pk, person_id=r.person_id, name=r.person.name,
                            id_number_masked=mask_id_number(r.person.id_number), registered_in=r.registered_in_id,
                            since=r.effective_date, unemployment_reason=r.unemployment_reason) for r in rows]
    return UnemployedList(count=queries.count_unemployed(request.auth, s), items=items, has_more=more)


class SeriesItem(Schema):
    id: int
    region_code: str
    region_name: str
    indicator: str
    month: str
    value: float
    source: str
    version: int
    is_current: bool
    reason: str
    via: str
    entered_at: datetime.datetime


def _item(v: StatSeriesValue) -> SeriesItem:
    return SeriesItem(id=v.pk, region_code=v.region_id, region_name=v.region.name, indicator=v.indicator,
                      month=v.month.strftime("%Y-%m"), value=float(v.value), source=v.source, version=v.version,
                      is_current=v.is_current, reason=v.reason, via=v.via, entered_at=v.entered_at)


class SeriesList(Schema):
    count: int
    items: list[SeriesItem]
    has_more: bool


class SeriesQuery(Schema):
    region_code: RegionCodeFilter = ""
    indicator: IndicatorFilter = ""
    month_from: ApiDate | None = None
    month_to: ApiDate | None = None
    history: bool = Field(False, description="含已更正的旧版本")
    sort: text(32) = ""
    limit: Limit = 50
    offset: Offset = 0


@router.get("/series", response=SeriesList, summary="统计部门数据（城镇从业人员数、城镇调查失业率；与网页列表同一查询）")
def series_list(request, filters: Query[SeriesQuery]):
    s = queries.SeriesSearch(region_code=filters.region_code, indicator=filters.indicator, month_from=filters.month_from,
                             month_to=filters.month_to, history=filters.history, sort=filters.sort or "-month",
                             limit=filters.limit, offset=filters.offset)
    rows, more = queries.search_series(request.auth, s)
    return SeriesList(count=queries.count_series(request.auth, s), items=[_item(v) for v in rows], has_more=more)


class SeriesIn(Schema):
    region_code: RegionCode
    indicator: Indicator
    month: ApiDate = Field(description="该月任一天")
    value: text(24)
    source: text(128)
    reason: text(255) = ""


class SeriesSaved(Schema):
    result: str = Field(description="created / corrected / unchanged")
    item: SeriesItem


@router.post("/series", response={201: SeriesSaved, 200: SeriesSaved}, summary="录入或更正统计部门数据（更正保存为新版本）")
def series_enter(request, payload: SeriesIn):
    row, what = services.enter_value(request.auth, region_code=payload.region_code, indicator=payload.indicator,
                                     month=payload.month, value=payload.value, source=payload.source,
                                     reason=payload.reason, via=StatSeriesValue.Via.API)
    body = SeriesSaved(result=what, item=_item(row))
    return Status(201, body) if what == "created" else body
