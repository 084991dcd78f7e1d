"""API of the targets part, mounted at /api/v1/targets: the KPI catalogue, KPI values against targets (overview,
children ranked, trend), targets (list, detail with history, create, replace, break down) and input values.
Thin: every handler calls ``targets.queries`` or ``targets.services``; periods are written ``YYYY``,
``YYYY-Qn`` or ``YYYY-MM``."""
from __future__ import annotations

import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status

from jiuye.accounts.scoping import OutOfScope
from jiuye.apitypes import Limit, Offset, RecordId, RegionCode, RegionCodeFilter, text
from jiuye.monitoring.periods import Period, PeriodError, parse_period
from jiuye.targets import queries, services
from jiuye.targets.kpis.catalogue import KPIS, Kpi
from jiuye.targets.models import Comparator, InputValue, Target, TargetNature, TargetScope

router = Router(tags=["targets"])
KpiCode = Literal[tuple(KPIS)]  # type: ignore[valid-type]
KpiFilter = Literal[tuple(KPIS) + ("",)]  # type: ignore[valid-type]
ScopeChoice = Literal[tuple(TargetScope.values)]  # type: ignore[valid-type]
NatureChoice = Literal[tuple(TargetNature.values)]  # type: ignore[valid-type]
ComparatorChoice = Literal[tuple(v for v in Comparator.values if v != "about") + ("",)]  # type: ignore[valid-type]
PeriodText = text(16)
Year = Field(None, ge=2000, le=2100)


def _period(value: str, field: str = "period") -> Period:
    try:
        return parse_period(value)
    except PeriodError as exc:
        raise ValidationError({field: str(exc)}) from None


def _num(v) -> float | None:
    return float(v) if v is not None else None


class KpiOut(Schema):
    code: str
    name: str
    unit: str
    kind: str = Field(description="computed（由登记数据计算）或 input（输入指标）")
    measure: str = Field(description="flow 期内流量 / stock 期末存量 / rate 比率")
    definition: str
    decimals: int
    additive: bool
    lower_is_better: bool
    series: str
    estimate_of: str


def _kpi(k: Kpi) -> KpiOut:
    return KpiOut(code=k.code, name=k.name, unit=k.unit, kind=k.kind, measure=k.measure, definition=k.definition,
                  decimals=k.decimals, additive=k.additive, lower_is_better=k.lower_is_better, series=k.series,
                  estimate_of=k.estimate_of)


@router.get("/kpis", response=list[KpiOut], summary="指标目录（含定义、单位、计算或输入）")
def kpi_list(request):
    from jiuye.accounts import roles

    if not roles.can_read_targets(request.auth):
        raise OutOfScope("您的角色无权查看指标与目标")
    return [_kpi(k) for k in KPIS.values()]


@router.get("/kpis/{code}", response=KpiOut, summary="一个指标的定义")
def kpi_detail(request, code: text(48)):
    from jiuye.accounts import roles

    if not roles.can_read_targets(request.auth):
        raise OutOfScope("您的角色无权查看指标与目标")
    if code not in KPIS:
        raise Http404
    return _kpi(KPIS[code])


class TargetOut(Schema):
    id: int
    kpi: str
    kpi_name: str
    region_code: str
    region_name: str
    plan: str
    basis: str
    start_year: int
    end_year: int
    scope: str
    nature: str
    comparator: str
    value: float
    value_text: str
    baseline_year: int | None
    baseline_text: str
    baseline_comparator: str
    baseline_value: float | None
    parent_id: int | None
    replaces_id: int | None
    is_current: bool
    source: str
    note: str
    created_at: datetime.datetime


def _target(t: Target) -> TargetOut:
    k = KPIS.get(t.kpi)
    return TargetOut(id=t.pk, kpi=t.kpi, kpi_name=k.name if k else t.kpi, region_code=t.region_id,
                     region_name=t.region.name, plan=t.plan, basis=t.basis, start_year=t.start_year,
                     end_year=t.end_year, scope=t.scope, nature=t.nature, comparator=t.comparator, value=float(t.value),
                     value_text=t.value_text, baseline_year=t.baseline_year, baseline_text=t.baseline_text,
                     baseline_comparator=t.baseline_comparator, baseline_value=_num(t.baseline_value),
                     parent_id=t.parent_id, replaces_id=t.replaces_id, is_current=t.is_current, source=t.source,
                     note=t.note, created_at=t.created_at)


class StatusOut(Schema):
    kpi: str
    kpi_name: str
    unit: str
    region_code: str
    region_name: str
    period: str
    value: float | None
    source: str
    target_id: int | None
    target_value: float | None
    actual: float | None = Field(description="与目标比较的数值（年初至今、规划期累计或期末值）")
    compared_label: str
    elapsed_share: float | None = Field(description="序时进度 0..1")
    progress: float | None = Field(description="完成进度 = actual ÷ target_value")
    status: str = Field(description="green / amber / red / none")
    status_label: str
    status_text: str
    rank: int | None
    siblings: int | None


def _status(s) -> StatusOut:
    return StatusOut(kpi=s.kpi.code, kpi_name=s.kpi.name, unit=s.kpi.unit, region_code=s.region_code,
                     region_name=s.region_name, period=s.period.code, value=_num(s.value), source=s.source,
                     target_id=s.target.pk if s.target is not None else None, target_value=_num(s.target_value),
                     actual=_num(s.actual), compared_label=s.compared_label, elapsed_share=_num(s.elapsed_share),
                     progress=_num(s.progress), status=s.status, status_label=s.status_label,
                     status_text=s.status_text, rank=s.rank, siblings=s.siblings)


class OverviewQuery(Schema):
    region: RegionCodeFilter = ""
    period: PeriodText = Field(..., description="2026、2026-Q4 或 2026-11")
    kpi: KpiFilter = ""


@router.get("/overview", response=list[StatusOut], summary="一个区划各指标的数值、目标、序时进度和状态")
def overview(request, filters: Query[OverviewQuery]):
    period = _period(filters.period)
    codes = [filters.kpi] if filters.kpi else None
    return [_status(s) for s in queries.overview(request.auth, filters.region or None, period, codes=codes)]


class ChildrenQuery(Schema):
    region: RegionCode
    period: PeriodText
    kpi: KpiCode


@router.get("/children", response=list[StatusOut], summary="一个指标在各下级区划的数值与排名")
def children(request, filters: Query[ChildrenQuery]):
    return [_status(s) for s in queries.children(request.auth, filters.region, _period(filters.period), filters.kpi)]


class TrendQuery(Schema):
    region: RegionCode
    kpi: KpiCode
    period_from: PeriodText = Field(..., alias="from", description="首期，如 2026-01")
    period_to: PeriodText = Field(..., alias="to", description="末期，与首期同类")


@router.get("/trend", response=list[StatusOut], summary="一个指标逐期的数值与进度（最多60期）")
def trend(request, filters: Query[TrendQuery]):
    first, last = _period(filters.period_from, "from"), _period(filters.period_to, "to")
    if first.kind != last.kind:
        raise ValidationError({"to": "首期与末期应为同类统计期（都为月、季度或年）"})
    if last < first:
        raise ValidationError({"to": "末期早于首期"})
    periods, p = [], first
    while p <= last and len(periods) < 60:
        periods.append(p)
        p = p.next()
    return [_status(s) for s in queries.trend(request.auth, filters.region, filters.kpi, periods)]


class TargetList(Schema):
    count: int
    items: list[TargetOut]


class TargetQuery(Schema):
    region: RegionCodeFilter = ""
    kpi: KpiFilter = ""
    year: int | None = Year
    history: bool = Field(False, description="含已修订的旧版本")
    limit: Limit = 50
    offset: Offset = 0


@router.get("/targets", response=TargetList, summary="目标任务列表（管辖范围内，含下级区划）")
def target_list(request, filters: Query[TargetQuery]):
    qs = queries.target_list(request.auth, region_code=filters.region or None, kpi=filters.kpi, year=filters.year,
                             include_replaced=filters.history).order_by("region_id", "kpi", "start_year", "id")
    return TargetList(count=qs.count(), items=[_target(t) for t in qs[filters.offset:filters.offset + filters.limit]])


def _get(request, target_id: int) -> Target:
    try:
        return queries.target_detail(request.auth, target_id)
    except OutOfScope:
        raise Http404 from None


class TargetDetail(Schema):
    target: TargetOut
    history: list[TargetOut]
    children: list[TargetOut]


@router.get("/targets/{target_id}", response=TargetDetail, summary="一个目标：修订历史与分解到下级的目标")
def target_detail(request, target_id: RecordId):
    t = _get(request, target_id)
    kids = Target.objects.filter(parent=t, is_current=True).select_related("region").order_by("region_id")
    return TargetDetail(target=_target(t), history=[_target(x) for x in queries.history(t)],
                        children=[_target(x) for x in kids])


class TargetIn(Schema):
    kpi: KpiCode
    region: RegionCode
    plan: text(128)
    basis: text(255) = ""
    start_year: int = Field(..., ge=2000, le=2100)
    end_year: int = Field(..., ge=2000, le=2100)
    scope: ScopeChoice = "annual"
    nature: NatureChoice = "expected"
    comparator: ComparatorChoice = ""
    value: text(24) = Field("", description="目标值（数字）；空时按 value_text 解析")
    value_text: text(32) = Field("", description="目标值原文：60、[60]、≥90、＜5.5")
    baseline_year: int | None = Field(None, ge=1980, le=2100)
    baseline_text: text(32) = Field("", description="基期值原文：3.64、—、≈6、≥90")
    note: text(255) = ""


@router.post("/targets", response={201: TargetOut}, summary="新建目标任务")
def target_create(request, payload: TargetIn):
    t = services.create_target(request.auth, payload.dict(), source="api")
    return Status(201, _target(t))


class ReplaceIn(Schema):
    reason: text(255)
    plan: text(128) | None = None
    basis: text(255) | None = None
    start_year: int | None = Field(None, ge=2000, le=2100)
    end_year: int | None = Field(None, ge=2000, le=2100)
    scope: ScopeChoice | None = None
    nature: NatureChoice | None = None
    comparator: ComparatorChoice | None = None
    value: text(24) | None = None
    value_text: text(32) | None = None
    baseline_year: int | None = Field(None, ge=1980, le=2100)
    baseline_text: text(32) | None = None
    note: text(255) | None = None


@router.post("/targets/{target_id}/replace", response={201: TargetOut}, summary="修订目标（保存为新版本，旧版本保留）")
def target_replace(request, target_id: RecordId, payload: ReplaceIn):
    t = _get(request, target_id)
    data = {k: v for k, v in payload.dict().items() if v is not None and k != "reason"}
    new = services.replace_target(request.auth, t, data, reason=payload.reason, source="api")
    return Status(201, _target(new))


class BreakdownIn(Schema):
    values: text(8000, multiline=True) = Field(..., description="每个下级区划一项“区划代码=数值”，以逗号、分号或换行分隔，"
                                                               "如 610102001000=600;610102002000=400")
    note: text(255) = ""


def _pairs(text_value: str) -> dict[str, str]:
    import re

    out: dict[str, str] = {}
    for item in [x.strip() for x in re.split(r"[,;，；\n]+", text_value) if x.strip()]:
        code, sep, value = item.replace("：", "=").replace(":", "=").partition("=")
        if not sep or not code.strip():
            raise ValidationError({"values": f"“{item[:40]}”应写作“区划代码=数值”"})
        out[code.strip()] = value.strip()
    if not out:
        raise ValidationError({"values": "请填写下级区划的目标值"})
    return out


@router.post("/targets/{target_id}/breakdown", response={201: list[TargetOut]},
             summary="分解目标到下级区划（计数类须合计等于上级目标）")
def target_breakdown(request, target_id: RecordId, payload: BreakdownIn):
    t = _get(request, target_id)
    made = services.breakdown(request.auth, t, _pairs(payload.values), note=payload.note)
    return Status(201, [_target(x) for x in made])


class InputOut(Schema):
    id: int
    kpi: str
    kpi_name: str
    region_code: str
    region_name: str
    period: str
    value: float
    source: str
    note: str
    is_current: bool
    replaces_id: int | None
    entered_at: datetime.datetime


def _input(v: InputValue) -> InputOut:
    return InputOut(id=v.pk, kpi=v.kpi, kpi_name=KPIS[v.kpi].name if v.kpi in KPIS else v.kpi,
                    region_code=v.region_id, region_name=v.region.name, period=v.period, value=float(v.value),
                    source=v.source, note=v.note, is_current=v.is_current, replaces_id=v.replaces_id,
                    entered_at=v.entered_at)


class InputList(Schema):
    count: int
    items: list[InputOut]


class InputQuery(Schema):
    region: RegionCodeFilter = ""
    kpi: KpiFilter = ""
    period: text(16) = ""
    history: bool = Field(False, description="含已更正的旧版本")
    limit: Limit = 50
    offset: Offset = 0


@router.get("/inputs", response=InputList, summary="输入指标值列表")
def input_list(request, filters: Query[InputQuery]):
    period = _period(filters.period).code if filters.period else ""
    qs = queries.input_values(request.auth, region_code=filters.region or None, kpi=filters.kpi, period=period,
                              include_replaced=filters.history).order_by("kpi", "region_id", "period", "-entered_at", "-id")
    return InputList(count=qs.count(), items=[_input(v) for v in qs[filters.offset:filters.offset + filters.limit]])


class InputIn(Schema):
    kpi: KpiCode
    region: RegionCode
    period: PeriodText
    value: text(24)
    source: text(128)
    note: text(255) = ""


class InputSaved(Schema):
    result: str = Field(description="created / corrected / unchanged")
    item: InputOut


@router.post("/inputs", response={201: InputSaved, 200: InputSaved}, summary="录入或更正输入指标值（更正保存为新版本）")
def input_enter(request, payload: InputIn):
    row, what = services.enter_input_value(request.auth, kpi=payload.kpi, region_code=payload.region,
                                           period=payload.period, value=payload.value, source=payload.source,
                                           note=payload.note)
    body = InputSaved(result=what, item=_input(row))
    return Status(201, body) if what == "created" else body
