"""API of vacancies (招聘岗位), mounted at /api/v1/jobs: the list and full-text search (the same query as the
web list), one vacancy, create, change, publish, close, reopen, confirm the occupation, review. Thin
handlers over ``jobs.queries.vacancies`` and ``jobs.services.vacancies``. A refused publication answers
422 with every reason (field, value, reason, law) in ``refusals``; a vacancy outside the scope is 404."""
from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Query, Router, Schema, Status

from jiuye.apitypes import ApiDate, Limit, Offset, RecordId, RegionCode, RegionCodeFilter, SearchText, text
from jiuye.jobs.models import VacancyStatus, WorkType
from jiuye.jobs.queries import vacancies as queries
from jiuye.jobs.services import vacancies as services
from jiuye.registry.models import Education

router = Router(tags=["jobs"])

Money = Annotated[int, Field(ge=0, le=1_000_000)]
Count = Annotated[int, Field(ge=1, le=100_000)]
Age = Annotated[int, Field(ge=0, le=100)]
Years = Annotated[int, Field(ge=0, le=50)]
Latitude = Annotated[Decimal, Field(ge=-90, le=90, max_digits=10, decimal_places=7)]
Longitude = Annotated[Decimal, Field(ge=-180, le=180, max_digits=11, decimal_places=7)]
SortKey = text(32)
OccupationCode = text(10)
WorkTypeFilter = Literal[tuple(WorkType.values) + ("",)]  # type: ignore[valid-type]
WorkTypeIn = Literal[tuple(WorkType.values)]  # type: ignore[valid-type]
EducationFilter = Literal[tuple(Education.values) + ("",)]  # type: ignore[valid-type]
StatusFilter = Literal[tuple(VacancyStatus.values) + ("open", "review", "")]  # type: ignore[valid-type]
SexIn = Literal["", "M"]


class VacancyItem(Schema):
    id: int
    title: str
    employer_id: int
    employer_name: str
    occupation_code: str
    occupation_name: str
    occupation_confirmed: bool
    work_type: str
    work_type_label: str
    openings: int
    hired: int
    wage_min: int | None
    wage_max: int | None
    region_code: str
    region_name: str
    education_min: str
    valid_from: datetime.date
    valid_until: datetime.date
    status: str
    status_label: str
    published_at: datetime.datetime | None


class VacancyList(Schema):
    count: int
    items: list[VacancyItem]
    has_more: bool


class VacancyDetail(VacancyItem):
    description: str
    address: str
    latitude: float | None
    longitude: float | None
    experience_years: int
    skills: list[str]
    certificates: list[str]
    hours: str
    age_min: int | None
    age_max: int | None
    age_justification: str
    sex_requirement: str
    sex_ground: str
    contact_name: str
    contact_phone: str
    review_flags: list[dict[str, Any]]
    refusals: list[dict[str, Any]]
    source: str
    welfare_post_id: int | None
    suggested_occupations: list[dict[str, Any]]


class Refused(Schema):
    detail: dict[str, list[str]]
    refusals: list[dict[str, Any]]
    vacancy_id: int
    status: str


def _item(v) -> dict:
    return dict(id=v.pk, title=v.title, employer_id=v.employer_id, employer_name=v.employer.name,
                occupation_code=v.occupation.code if v.occupation_id else "",
                occupation_name=v.occupation.name if v.occupation_id else "",
                occupation_confirmed=bool(v.occupation_confirmed_by_id), work_type=v.work_type,
                work_type_label=v.get_work_type_display(), openings=v.openings, hired=v.hired, wage_min=v.wage_min,
                wage_max=v.wage_max, region_code=v.region_id, region_name=v.region.name, education_min=v.education_min,
                valid_from=v.valid_from, valid_until=v.valid_until, status=v.status, status_label=v.get_status_display(),
                published_at=v.published_at)


def _detail(request, pk: int) -> VacancyDetail:
    from jiuye.jobs.services.occupations import suggest_occupations

    v = queries.get_vacancy(request.auth, pk)
    suggested = [] if v.occupation_id else suggest_occupations(v.title, v.description)
    return VacancyDetail(**_item(v), description=v.description, address=v.address, latitude=v.latitude, longitude=v.longitude,
                         experience_years=v.experience_years, skills=v.skills or [], certificates=v.certificates or [],
                         hours=v.hours, age_min=v.age_min, age_max=v.age_max, age_justification=v.age_justification,
                         sex_requirement=v.sex_requirement, sex_ground=v.sex_ground, contact_name=v.contact_name,
                         contact_phone=v.contact_phone, review_flags=v.review_flags or [], refusals=v.refusals or [],
                         source=v.source, welfare_post_id=v.welfare_post_id, suggested_occupations=suggested)


class VacancyFilters(Schema):
    text: SearchText = Field("", description="全文检索（中文分词）：岗位名称、描述、职业")
    occupation: OccupationCode = Field("", description="职业代码，任一层级（如 6-18-00-00 含其下全部职业）")
    region_code: RegionCodeFilter = Field("", description="工作地点：区划代码（含下级）")
    wage_min: Money | None = Field(None, description="期望月薪下限（与岗位薪资范围有交集）")
    wage_max: Money | None = Field(None, description="期望月薪上限")
    work_type: WorkTypeFilter = ""
    education: EducationFilter = Field("", description="学历：只列学历要求不高于此的岗位")
    status: StatusFilter = Field("", description="状态；open = 招聘中且在有效期内；review = 待审核")
    employer_id: RecordId | None = None
    mine: bool = Field(False, description="用人单位用户：只列本单位岗位")
    public: bool = Field(False, description="只列招聘中的岗位")
    sort: SortKey = Field("", description="排序：published_at、created_at、wage、title、openings、valid_until、status，前加 - 为降序")
    limit: Limit = 50
    offset: Offset = 0


def _search(f: VacancyFilters) -> queries.VacancySearch:
    return queries.VacancySearch(text=f.text, occupation=f.occupation, region_code=f.region_code, wage_min=f.wage_min,
                                 wage_max=f.wage_max, work_type=f.work_type, education=f.education, status=f.status,
                                 employer_id=f.employer_id, mine=f.mine, public=f.public, sort=f.sort, limit=f.limit,
                                 offset=f.offset)


@router.get("/vacancies", response=VacancyList, summary="招聘岗位列表与全文检索（与网页列表同一查询）")
def list_vacancies(request, filters: Query[VacancyFilters]):
    s = _search(filters)
    rows, more = queries.search_vacancies(request.auth, s)
    return VacancyList(count=queries.count_vacancies(request.auth, s), items=[_item(v) for v in rows], has_more=more)


@router.get("/vacancies/{vacancy_id}", response=VacancyDetail, summary="一个招聘岗位（含拒绝发布原因、待审核事项、推荐职业代码）")
def get_vacancy(request, vacancy_id: RecordId):
    return _detail(request, vacancy_id)


class VacancyFields(Schema):
    title: text(64) | None = None
    description: text(4000, multiline=True) | None = None
    occupation_code: OccupationCode | None = None
    work_type: WorkTypeIn | None = None
    openings: Count | None = None
    wage_min: Money | None = None
    wage_max: Money | None = None
    region: RegionCode | None = Field(None, description="工作地点区划代码（默认单位所在区划）")
    address: text(255) | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    education_min: EducationFilter | None = None
    experience_years: Years | None = None
    skills: text(500) | None = Field(None, description="技能要求，用逗号或顿号分隔")
    certificates: text(500) | None = Field(None, description="证书要求，用逗号或顿号分隔")
    hours: text(64) | None = None
    age_min: Age | None = None
    age_max: Age | None = None
    age_justification: text(255) | None = None
    sex_requirement: SexIn | None = Field(None, description="性别要求：空，或 M（仅限法定禁忌劳动范围，须填 sex_ground）")
    sex_ground: text(32) | None = Field(None, description="mine_underground、physical_grade_4、heavy_lifting")
    valid_from: ApiDate | None = None
    valid_until: ApiDate | None = None
    contact_name: text(64) | None = None
    contact_phone: text(20) | None = None


class VacancyIn(VacancyFields):
    employer_id: RecordId
    publish: bool = Field(False, description="保存后立即发布")


class VacancyPatch(VacancyFields):
    publish: bool = False


def _values(payload: VacancyFields) -> dict:
    return {k: v for k, v in payload.dict(exclude_unset=True).items() if k in services.FIELDS and v is not None}


def _refused(exc: services.VacancyRefused):
    return Status(422, Refused(detail=exc.message_dict, refusals=exc.refusals, vacancy_id=exc.vacancy.pk,
                               status=exc.vacancy.status))


@router.post("/vacancies", response={201: VacancyDetail, 422: Refused}, summary="新增招聘岗位（publish=true 时同时发布）")
def create(request, payload: VacancyIn):
    try:
        v = services.create_vacancy(request.auth, employer_id=payload.employer_id, publish=payload.publish,
                                    **_values(payload))
    except services.VacancyRefused as exc:
        return _refused(exc)
    return Status(201, _detail(request, v.pk))


@router.patch("/vacancies/{vacancy_id}", response={200: VacancyDetail, 422: Refused}, summary="修改招聘岗位")
def update(request, vacancy_id: RecordId, payload: VacancyPatch):
    try:
        services.update_vacancy(request.auth, vacancy_id, publish=payload.publish, **_values(payload))
    except services.VacancyRefused as exc:
        return _refused(exc)
    return _detail(request, vacancy_id)


@router.post("/vacancies/{vacancy_id}/publish", response={200: VacancyDetail, 422: Refused},
             summary="发布（公平就业规则审查：拒绝、待审核或发布）")
def publish(request, vacancy_id: RecordId):
    try:
        services.publish_vacancy(request.auth, vacancy_id)
    except services.VacancyRefused as exc:
        return _refused(exc)
    return _detail(request, vacancy_id)


class CloseIn(Schema):
    reason: text(200) = ""


@router.post("/vacancies/{vacancy_id}/close", response=VacancyDetail, summary="关闭招聘岗位")
def close(request, vacancy_id: RecordId, payload: CloseIn):
    services.close_vacancy(request.auth, vacancy_id, reason=payload.reason)
    return _detail(request, vacancy_id)


class OccupationIn(Schema):
    occupation_code: text(10, min_length=1)


@router.post("/vacancies/{vacancy_id}/occupation", response=VacancyDetail, summary="确认职业代码")
def confirm_occupation(request, vacancy_id: RecordId, payload: OccupationIn):
    services.confirm_occupation(request.auth, vacancy_id, payload.occupation_code)
    return _detail(request, vacancy_id)


class ReviewIn(Schema):
    decision: Literal["approve", "refuse"]
    reason: text(255) = ""


@router.post("/vacancies/{vacancy_id}/review", response=VacancyDetail, summary="审核待审核岗位（年龄限制、性别依据）")
def review(request, vacancy_id: RecordId, payload: ReviewIn):
    services.review_vacancy(request.auth, vacancy_id, approve=payload.decision == "approve", reason=payload.reason)
    return _detail(request, vacancy_id)
