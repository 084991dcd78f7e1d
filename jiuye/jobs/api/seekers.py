"""API of job seekers, mounted at /api/v1/jobs: the seeker list (the web list's query), one seeker's
registrations and profile, start/stop seeking, the profile, the supply figures. Thin handlers over
``jobs.queries.seekers`` and ``jobs.services.seekers``; list inputs are comma-separated strings; outside
the scope answers 404."""
from __future__ import annotations

import datetime
from typing import Annotated, Literal

from ninja import Field, Query, Router, Schema

from jiuye.apitypes import ApiDate, Limit, Offset, RecordId, RegionCodeFilter, SearchText, SmallInt, text as text_type
from jiuye.jobs.models import SeekingEnd
from jiuye.jobs import flags
from jiuye.jobs.queries import seekers as queries
from jiuye.jobs.services import seekers as services
from jiuye.registry.identity import mask_id_number

router = Router(tags=["jobs"])
Text1000 = text_type(1000)
Text16 = text_type(16)
Text200 = text_type(200)
Text32 = text_type(32)
Text400 = text_type(400)
Text5000M = text_type(5000, multiline=True)
Text64 = text_type(64)

SortKey = Text32
Wage = Annotated[int, Field(ge=0, le=1_000_000)]


class SeekerItem(Schema):
    registration_id: int
    person_id: int
    name: str
    id_number_masked: str
    region_code: str
    started_on: datetime.date
    ended_on: datetime.date | None
    end_reason: str
    registered_in: str
    flags: list[str]


class SeekerList(Schema):
    count: int
    items: list[SeekerItem]
    has_more: bool


class SeekerFilters(Schema):
    status: Literal["open", "closed", ""] = Field("open", description="open 求职中、closed 已结束、空为全部")
    region_code: RegionCodeFilter = ""
    occupation: Text16 = Field("", description="意向职业代码或其前缀")
    date_from: ApiDate | None = None
    date_to: ApiDate | None = None
    priority: bool = False
    text: SearchText = ""
    sort: SortKey = Field("", description="name、region、started_on、ended_on，前加 - 为降序")
    limit: Limit = 50
    offset: Offset = 0


def _item(r, marks) -> dict:
    return dict(registration_id=r.pk, person_id=r.person_id, name=r.person.name,
                id_number_masked=mask_id_number(r.person.id_number), region_code=r.person.region_id,
                started_on=r.started_on, ended_on=r.ended_on, end_reason=r.end_reason, registered_in=r.registered_in_id,
                flags=marks.get(r.person_id, []))


@router.get("/seekers", response=SeekerList, summary="求职登记列表（与网页列表同一查询）")
def list_seekers(request, filters: Query[SeekerFilters]):
    s = queries.SeekerSearch(status=filters.status, region_code=filters.region_code, occupation=filters.occupation,
                             date_from=filters.date_from, date_to=filters.date_to, priority=filters.priority,
                             text=filters.text, sort=filters.sort, limit=filters.limit, offset=filters.offset)
    rows, more = queries.search_seekers(request.auth, s)
    marks = flags.priority_flags([r.person_id for r in rows])
    return SeekerList(count=queries.count_seekers(request.auth, s), items=[_item(r, marks) for r in rows], has_more=more)


class RegistrationOut(Schema):
    id: int
    started_on: datetime.date
    ended_on: datetime.date | None
    end_reason: str
    registered_in: str


class ProfileOut(Schema):
    occupations: list[str]
    regions: list[str]
    wage_min: int | None
    wage_max: int | None
    work_types: list[str]
    hours: str
    max_commute_km: int | None
    skills: list[str]
    certificates: list[str]
    experience_years: int
    resume: str
    updated_at: datetime.datetime


class SeekerDetail(Schema):
    person_id: int
    name: str
    id_number_masked: str
    registrations: list[RegistrationOut]
    profile: ProfileOut | None
    flags: list[str]


def _detail(person) -> SeekerDetail:
    p = queries.profile_of(person)
    profile = None
    if p is not None:
        profile = ProfileOut(occupations=p.occupations, regions=p.regions, wage_min=p.wage_min, wage_max=p.wage_max,
                             work_types=p.work_types, hours=p.hours, max_commute_km=p.max_commute_km, skills=p.skills,
                             certificates=p.certificates, experience_years=p.experience_years, resume=p.resume,
                             updated_at=p.updated_at)
    return SeekerDetail(
        person_id=person.pk, name=person.name, id_number_masked=mask_id_number(person.id_number),
        registrations=[RegistrationOut(id=r.pk, started_on=r.started_on, ended_on=r.ended_on, end_reason=r.end_reason,
                                       registered_in=r.registered_in_id) for r in queries.registrations_of(person)],
        profile=profile, flags=flags.priority_flags([person.pk]).get(person.pk, []))


@router.get("/seekers/{person_id}", response=SeekerDetail, summary="一名求职人员：求职登记记录与求职意向（查看留痕）")
def get_seeker(request, person_id: RecordId):
    return _detail(queries.get_seeker_person(request.auth, person_id))


class StartIn(Schema):
    started_on: ApiDate | None = None


@router.post("/seekers/{person_id}/start", response=SeekerDetail, summary="办理求职登记")
def start(request, person_id: RecordId, payload: StartIn):
    person = queries.get_seeker_person(request.auth, person_id, audit_read=False)
    services.start_seeking(actor=request.auth, person=person, started_on=payload.started_on)
    return _detail(person)


class StopIn(Schema):
    ended_on: ApiDate | None = None
    reason: Literal[tuple(SeekingEnd.values)] = SeekingEnd.WITHDREW  # type: ignore[valid-type]


@router.post("/seekers/{person_id}/stop", response=SeekerDetail, summary="结束求职登记（原因：hired、withdrew、moved、lapsed、other）")
def stop(request, person_id: RecordId, payload: StopIn):
    person = queries.get_seeker_person(request.auth, person_id, audit_read=False)
    services.stop_seeking(actor=request.auth, person=person, ended_on=payload.ended_on, reason=payload.reason)
    return _detail(person)


class ProfileIn(Schema):
    occupations: Text400 | None = Field(None, description="职业代码，逗号分隔")
    regions: Text400 | None = Field(None, description="区划代码，逗号分隔")
    wage_min: Wage | None = None
    wage_max: Wage | None = None
    work_types: Text200 | None = Field(None, description="full_time、part_time、gig、internship、welfare_post，逗号分隔")
    hours: Text64 | None = None
    max_commute_km: SmallInt | None = None
    skills: Text1000 | None = None
    certificates: Text1000 | None = None
    experience_years: SmallInt | None = None
    resume: Text5000M | None = None


@router.put("/seekers/{person_id}/profile", response=SeekerDetail, summary="保存求职意向与简历（只改提交的字段）")
def save_profile(request, person_id: RecordId, payload: ProfileIn):
    person = queries.get_seeker_person(request.auth, person_id, audit_read=False)
    values = {k: v for k, v in payload.dict().items() if v is not None}
    services.save_profile(actor=request.auth, person=person, **values)
    return _detail(person)


class SupplyOut(Schema):
    on: datetime.date
    region_code: str
    level: str
    total: int
    by_region: dict[str, int]


@router.get("/seekers-supply", response=SupplyOut, summary="某日在册求职人数（按登记地汇总；定义见开发文档）")
def supply(request, on: ApiDate, region_code: RegionCodeFilter = "",
           level: Literal["county", "street", "community"] = "community"):
    from jiuye.accounts import roles
    from jiuye.accounts.scoping import scope_prefix
    from jiuye.registry.queries import NotFound

    prefix = scope_prefix(request.auth)
    if not roles.can_read_jobs(request.auth) or prefix is None:
        raise NotFound("无权查看")
    code = region_code or (request.auth.region_id or "")
    if prefix and not code.startswith(prefix):
        code = request.auth.region_id
    counts = queries.open_seeker_counts(on, code, level)
    return SupplyOut(on=on, region_code=code, level=level, total=sum(counts.values()), by_region=counts)
