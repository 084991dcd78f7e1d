"""API of the matching part (issue 10, item 5), mounted at /api/v1:

- ``GET /jobs/persons/{id}/jobs?top=``: the best open vacancies for a seeker, score parts and reasons
  (staff in scope, audited; a resident only their own);
- ``GET /jobs/vacancies/{id}/seekers?top=``: the best registered seekers for a vacancy (staff: in their
  region; the employer: its own vacancies, seekers masked until they applied or were recommended);
- ``GET /jobs/my-jobs``: a resident's recommended jobs (the latest run's list, else live);
- ``GET /jobs/recommendation-runs``, ``POST /jobs/recommendation-runs`` (queued for the worker),
  ``GET /jobs/recommendation-runs/{id}`` (progress, statistics).

Thin handlers over ``jobs.queries.matching`` and ``jobs.services.matching``; anything outside the
asker's scope answers 404 like something that does not exist.
"""
from __future__ import annotations

import datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied
from ninja import Field, Query, Router, Schema, Status

from jiuye.accounts import roles
from jiuye.apitypes import Limit, Offset, RecordId
from jiuye.jobs.queries import matching as q
from jiuye.jobs.services import matching as services

router = Router(tags=["jobs: matching"])


class TopIn(Schema):
    top: Annotated[int, Field(ge=1, le=q.MAX_TOP)] = Field(20, description="列出前 N 名（最多100）")


class ReasonOut(Schema):
    part: str
    label: str
    points: float
    max_points: float
    fit: str
    fit_label: str
    text: str


class JobOut(Schema):
    rank: int
    vacancy_id: int
    title: str
    employer: str
    region: str
    wage_min: int | None
    wage_max: int | None
    work_type: str
    work_type_label: str
    open_positions: int
    valid_until: datetime.date
    score: float
    parts: dict[str, float]
    reasons: list[ReasonOut]


class JobList(Schema):
    person_id: int
    name: str
    registered: bool
    flags: list[str]
    on: datetime.date
    source: str = Field(description="live：实时计算；run：最近一次推荐批次")
    count: int
    items: list[JobOut]


class SeekerOut(Schema):
    rank: int
    person_id: int | None = Field(description="本人投递或被推荐到本岗位前，单位用户看不到人员编号")
    name: str
    age_band: str
    education: str
    skills: list[str]
    region: str
    disclosed: bool
    score: float
    parts: dict[str, float]
    reasons: list[ReasonOut]
    flags: list[str]


class SeekerList(Schema):
    vacancy_id: int
    title: str
    employer: str
    open: bool
    on: datetime.date
    count: int
    items: list[SeekerOut]


def _jobs(result: q.MatchList) -> JobList:
    return JobList(**{k: result.subject[k] for k in ("person_id", "name", "registered", "flags")}, on=result.on,
                   source=result.source, count=len(result.rows), items=result.rows)


@router.get("/jobs/persons/{person_id}/jobs", response=JobList, summary="为求职人员匹配岗位（含得分和理由）")
def person_jobs(request, person_id: RecordId, filters: Query[TopIn]):
    return _jobs(q.jobs_for_person(request.auth, person_id, top=filters.top))


@router.get("/jobs/vacancies/{vacancy_id}/seekers", response=SeekerList, summary="为岗位匹配求职人员（含得分和理由）")
def vacancy_seekers(request, vacancy_id: RecordId, filters: Query[TopIn]):
    result = q.seekers_for_vacancy(request.auth, vacancy_id, top=filters.top)
    return SeekerList(**result.subject, on=result.on, count=len(result.rows), items=result.rows)


@router.get("/jobs/my-jobs", response=JobList, summary="我的推荐岗位（居民本人）")
def my_jobs(request, filters: Query[TopIn]):
    from jiuye.registry.queries import linked_person_id

    pid = linked_person_id(request.auth) if roles.is_resident(request.auth) else None
    if pid is None:
        raise PermissionDenied("只有已关联本人档案的居民账号可以查看本人的推荐岗位")
    result = q.recommended_for(request.auth, pid) or q.jobs_for_person(request.auth, pid, top=filters.top)
    return _jobs(result)


class RunOut(Schema):
    id: int
    started_at: datetime.datetime
    finished_at: datetime.datetime | None
    status: str
    status_label: str
    congestion: bool
    seekers: int
    vacancies: int
    progress: int
    stats: dict
    parameters: dict
    error: str


def _run(run) -> RunOut:
    return RunOut(id=run.pk, started_at=run.started_at, finished_at=run.finished_at, status=run.status,
                  status_label=run.get_status_display(), congestion=run.congestion, seekers=run.seekers,
                  vacancies=run.vacancies, progress=run.progress, stats=run.stats, parameters=run.parameters,
                  error=run.error)


class RunList(Schema):
    count: int
    items: list[RunOut]
    has_more: bool


class RunFilters(Schema):
    limit: Limit = 50
    offset: Offset = 0


def _reader(request):
    if not roles.can_read_jobs(request.auth):
        raise PermissionDenied("您的角色无权查看岗位推荐批次")
    return request.auth


@router.get("/jobs/recommendation-runs", response=RunList, summary="岗位推荐批次列表")
def list_runs(request, filters: Query[RunFilters]):
    user = _reader(request)
    rows, more = q.search_runs(user, q.RunSearch(offset=filters.offset, limit=filters.limit))
    return RunList(count=q.count_runs(user), items=[_run(r) for r in rows], has_more=more)


class RunIn(Schema):
    congestion: bool = Field(True, description="拥挤控制：按岗位空缺数分配曝光")


@router.post("/jobs/recommendation-runs", response={201: RunOut}, summary="发起岗位推荐批次（后台任务进程执行）")
def start_run(request, payload: RunIn):
    user = _reader(request)
    return Status(201, _run(services.start_run(user, congestion=payload.congestion)))


@router.get("/jobs/recommendation-runs/{run_id}", response=RunOut, summary="一个岗位推荐批次（进度、统计）")
def get_run(request, run_id: RecordId):
    return _run(q.get_run(_reader(request), run_id))
