"""API of the full-employment community assessments (充分就业社区), mounted at /api/v1/targets. Thin handlers
over ``targets.queries_communities`` and ``targets.services_communities``: the current assessments of a year with
each criterion's evidence, one community's history, running the assessment of a year, recording an awarded
title, and the counts of titles. A community outside the scope is 404; a role that may not assess is 403."""
from __future__ import annotations

import datetime
from typing import Annotated, Literal

from django.http import Http404
from ninja import Field, Router, Schema, Status

from jiuye.accounts.scoping import OutOfScope
from jiuye.apitypes import Limit, Offset, RegionCode, RegionCodeFilter, text
from jiuye.targets import communities, queries_communities as queries, services_communities as services
from jiuye.targets.models import Designation

router = Router(tags=["targets"])

Year = Annotated[int, Field(ge=2000, le=2200)]
PassedFilter = Literal["", "yes", "no"]
CriterionFilter = Literal[tuple([c for c, *_r in communities.CRITERIA] + [""])]  # type: ignore[valid-type]
DesignationFilter = Literal[tuple(Designation.values + ["any", ""])]  # type: ignore[valid-type]
DesignationIn = Literal[tuple(Designation.values + [""])]  # type: ignore[valid-type]
SortKey = text(32)


class EvidenceOut(Schema):
    criterion: str
    label: str
    value: float | None
    threshold: float
    comparator: str
    passed: bool
    numerator: int
    denominator: int


class AssessmentOut(Schema):
    id: int
    community_code: str
    community_name: str
    street_name: str
    year: int
    passed: bool
    designation: str
    evidence: list[EvidenceOut]
    known_on: datetime.datetime
    assessed_at: datetime.datetime


class AssessmentList(Schema):
    year: int
    count: int
    items: list[AssessmentOut]
    has_more: bool


class AssessIn(Schema):
    year: Year
    region: RegionCodeFilter = Field("", description="评估区划（默认本人所在区划）")


class AssessOut(Schema):
    year: int
    communities: int
    passed: int


class DesignateIn(Schema):
    year: Year
    designation: DesignationIn = Field(description="认定称号；空为撤销")


def _out(a) -> AssessmentOut:
    parent = a.region.parent
    return AssessmentOut(id=a.pk, community_code=a.region_id, community_name=a.region.name,
                         street_name=parent.name if parent else "", year=a.year, passed=a.passed,
                         designation=a.designation, evidence=a.evidence, known_on=a.known_on, assessed_at=a.assessed_at)


@router.get("/fe-communities", response=AssessmentList, summary="充分就业社区评估结果（某年度，含各项标准的依据）")
def assessments(request, year: Year, region: RegionCodeFilter = "", passed: PassedFilter = "", failed: CriterionFilter = "",
                designation: DesignationFilter = "", sort: SortKey = "", limit: Limit = 50, offset: Offset = 0):
    s = queries.AssessmentSearch(year=year, region_code=region, passed=passed, failed=failed, designation=designation,
                                 sort=sort, limit=limit, offset=offset)
    rows, more = queries.search_assessments(request.auth, s)
    return AssessmentList(year=year, count=queries.count_assessments(request.auth, s), items=[_out(a) for a in rows],
                          has_more=more)


@router.get("/fe-communities/{code}", response=list[AssessmentOut], summary="一个社区历年的评估结果")
def history(request, code: RegionCode):
    try:
        return [_out(a) for a in queries.community_history(request.auth, code)]
    except OutOfScope:
        raise Http404 from None


@router.post("/fe-assessments", response={201: AssessOut}, summary="评估本辖区各社区某年度是否达到充分就业社区标准")
def assess(request, payload: AssessIn):
    out = services.assess(request.auth, payload.year, payload.region or request.auth.region_id or "")
    return Status(201, AssessOut(**out))


@router.post("/fe-communities/{code}/designation", response=AssessmentOut, summary="记录社区某年度获得的充分就业社区称号")
def designate(request, code: RegionCode, payload: DesignateIn):
    row = services.designate(request.auth, code, payload.year, payload.designation)
    return _out(next(a for a in queries.community_history(request.auth, code) if a.pk == row.pk))


@router.get("/fe-designations", response=dict[str, int], summary="各级充分就业社区称号的社区数（截至某年度）")
def designations(request, year: Year, region: RegionCodeFilter = ""):
    return queries.scoped_designation_counts(request.auth, region or request.auth.region_id or "", year)
