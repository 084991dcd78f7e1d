"""API of the occupation classification, mounted at /api/v1/jobs: search/browse (``q`` name, alias or code;
``parent`` a node's children) and suggestions for a vacancy title."""
from __future__ import annotations

from typing import Annotated

from ninja import Field, Query, Router, Schema

from jiuye.apitypes import Limit, Offset, SearchText, text
from jiuye.jobs.queries import occupations as queries
from jiuye.jobs.services.occupations import suggest_occupations

router = Router(tags=["jobs"])
Level = Annotated[int, Field(ge=1, le=4)]


class OccupationItem(Schema):
    code: str
    name: str
    level: int
    is_occupation: bool
    parent_code: str
    aliases: list[str]


class OccupationList(Schema):
    count: int
    items: list[OccupationItem]
    has_more: bool


class OccupationFilters(Schema):
    q: SearchText = Field("", description="名称、别名或代码（前缀）")
    parent: text(10) = Field("", description="列出此代码的下级")
    level: Level | None = None
    leaves: bool = Field(False, description="只列职业（细类）")
    limit: Limit = 100
    offset: Offset = 0


def _item(o) -> OccupationItem:
    return OccupationItem(code=o.code, name=o.name, level=o.level, is_occupation=o.is_occupation,
                          parent_code=o.parent.code if o.parent_id else "",
                          aliases=[a for a in (o.aliases or "").splitlines() if a.strip()])


@router.get("/occupations", response=OccupationList, summary="职业分类大典：检索与逐级浏览")
def list_occupations(request, filters: Query[OccupationFilters]):
    s = queries.OccupationSearch(q=filters.q, parent=filters.parent, level=filters.level, leaves=filters.leaves,
                                 limit=filters.limit, offset=filters.offset)
    rows, more = queries.search_occupations(s)
    return OccupationList(count=queries.count_occupations(s), items=[_item(o) for o in rows], has_more=more)


class Suggestion(Schema):
    code: str
    name: str
    score: float
    reasons: list[str]


class SuggestFilters(Schema):
    title: text(64, min_length=1)
    description: text(2000, multiline=True) = ""
    limit: Annotated[int, Field(ge=1, le=20)] = 5


@router.get("/occupations/suggest", response=list[Suggestion], summary="按岗位名称推荐职业代码（附理由）")
def suggest(request, filters: Query[SuggestFilters]):
    return suggest_occupations(filters.title, filters.description, filters.limit)
