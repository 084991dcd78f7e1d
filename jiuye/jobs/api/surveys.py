"""API of the talent reserve pool (人力资源储备池), mounted at /api/v1/jobs: the same query as the web list;
identity numbers masked, priority flags (就业困难人员, 零就业家庭成员) on each row."""
from __future__ import annotations

import datetime
from typing import Literal

from ninja import Field, Query, Router, Schema

from jiuye.apitypes import ApiDate, Limit, Offset, RegionCodeFilter, text
from jiuye.jobs.models import PoolReason, PoolStatus
from jiuye.jobs.queries import flags as flag_queries
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
