"""API of the talent reserve pool (人力资源储备池) and the demand surveys (企业用工需求), mounted at /api/v1/jobs: the same
queries as the web lists;
identity numbers masked, priority flags (就业困难人员, 零就业家庭成员) on each row."""
from __future__ import annotations

import datetime
from typing import Literal

from ninja import Field, Query, Router, Schema

from jiuye.apitypes import ApiDate, Limit, Offset, RegionCodeFilter, text
from jiuye.jobs.models import PoolReason, PoolStatus
from jiuye.jobs import flags as flag_queries
from jiuye.jobs.queries import pool as queries
from jiuye.registry.identity import mask_id_number

router = Router(tags=["jobs"])
ReasonFilter = Literal[tuple(PoolReason.values) + ("",)]  # type: ignore[valid-type]
StatusFilter = Literal[tuple(PoolStatus.values) + ("",)]  # type: ignore[valid-type]


class PoolItem(Schema):
    id: int
    person_id: int
    name: str
    id_number_masked: str
    reason: str
    employer_id: int | None
    employer_name: str
    occupation_code: str
    occurred_on: datetime.date
    region_code: str
    status: str
    flags: list[str]


class PoolList(Schema):
    count: int
    items: list[PoolItem]
    has_more: bool


class PoolFilters(Schema):
    reason: ReasonFilter = ""
    status: StatusFilter = Field("active", description="状态；空 = 全部")
    region_code: RegionCodeFilter = ""
    occupation: text(10) = ""
    date_from: ApiDate | None = None
    date_to: ApiDate | None = None
    priority: bool = Field(False, description="只列优先人员（就业困难人员、零就业家庭成员）")
    sort: text(32) = ""
    limit: Limit = 50
    offset: Offset = 0


@router.get("/pool", response=PoolList, summary="人力资源储备池（与网页列表同一查询）")
def list_pool(request, filters: Query[PoolFilters]):
    s = queries.PoolSearch(reason=filters.reason, status=filters.status, region_code=filters.region_code,
                           occupation=filters.occupation, date_from=filters.date_from, date_to=filters.date_to,
                           priority=filters.priority, sort=filters.sort, limit=filters.limit, offset=filters.offset)
    rows, more = queries.search_pool(request.auth, s)
    flags = flag_queries.priority_flags([e.person_id for e in rows])
    items = [PoolItem(id=e.pk, person_id=e.person_id, name=e.person.name, id_number_masked=mask_id_number(e.person.id_number),
                      reason=e.reason, employer_id=e.employer_id, employer_name=e.employer.name if e.employer_id else "",
                      occupation_code=e.occupation.code if e.occupation_id else "", occurred_on=e.occurred_on,
                      region_code=e.region_id, status=e.status, flags=flags.get(e.person_id, [])) for e in rows]
    return PoolList(count=queries.count_pool(request.auth, s), items=items, has_more=more)


# Demand surveys (企业用工需求调查)
from jiuye.jobs.queries import surveys as survey_queries  # noqa: E402


class DemandRow(Schema):
    occupation_code: str
    occupation_name: str
    region_code: str
    region_name: str
    period: str
    headcount: int
    lines: int
    urgent: int


class DemandLineOut(Schema):
    id: int
    period: str
    employer_id: int
    employer_name: str
    title: str
    occupation_code: str
    headcount: int
    wage_min: int | None
    wage_max: int | None
    work_type: str
    needed_by: datetime.date | None
    urgent: bool
    vacancy_id: int | None


class DemandOut(Schema):
    summary: list[DemandRow]
    count: int
    lines: list[DemandLineOut]
    has_more: bool


class DemandFilters(Schema):
    period: text(16) = ""
    region_code: RegionCodeFilter = ""
    occupation: text(10) = ""
    urgent: bool = False
    pending: bool = Field(False, description="只列未生成岗位的需求")
    limit: Limit = 50
    offset: Offset = 0


@router.get("/demand", response=DemandOut, summary="企业用工需求：按职业、区划、调查期汇总及需求明细")
def demand(request, filters: Query[DemandFilters]):
    s = survey_queries.DemandSearch(period=filters.period, region_code=filters.region_code, occupation=filters.occupation,
                                    urgent=filters.urgent, pending=filters.pending, limit=filters.limit, offset=filters.offset)
    rows, more = survey_queries.search_lines(request.auth, s)
    summary = [DemandRow(occupation_code=r["occupation__code"] or "", occupation_name=r["occupation__name"] or "",
                         region_code=r["survey__region_id"], region_name=r["survey__region__name"], period=r["survey__period"],
                         headcount=r["headcount"], lines=r["lines"], urgent=r["urgent"])
               for r in survey_queries.demand_summary(request.auth, s)]
    lines = [DemandLineOut(id=x.pk, period=x.survey.period, employer_id=x.survey.employer_id, employer_name=x.survey.employer.name,
                           title=x.title, occupation_code=x.occupation.code if x.occupation_id else "", headcount=x.headcount,
                           wage_min=x.wage_min, wage_max=x.wage_max, work_type=x.work_type, needed_by=x.needed_by,
                           urgent=x.urgent, vacancy_id=x.vacancy_id) for x in rows]
    return DemandOut(summary=summary, count=survey_queries.count_lines(request.auth, s), lines=lines, has_more=more)
