"""API of public-welfare posts (公益性岗位) under /api/v1: the catalogue, candidates, placements, tenure
warnings, exits and attendance. Thin handlers over ``assistance.queries.posts`` and
``assistance.services.posts``; a post or placement outside the scope answers 404 like one that does not
exist; identity numbers are masked."""
from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from jiuye.accounts import roles
from jiuye.apitypes import ApiDate, Limit, Offset, RecordId, RegionCode, RegionCodeFilter, SearchText, SmallInt, text
from jiuye.assistance.models import Attendance, Placement, WelfarePost
from jiuye.assistance.queries import posts as queries
from jiuye.assistance.services import posts as services
from jiuye.registry import queries as registry_queries
from jiuye.registry.identity import mask_id_number

router = Router(tags=["assistance"])

Money = Annotated[Decimal, Field(ge=0, le=1_000_000, max_digits=9, decimal_places=2)]
Openings = Annotated[int, Field(ge=1, le=10_000)]
Days = Annotated[int, Field(ge=0, le=31)]


class ErrorOut(Schema):
    detail: str


class PostOut(Schema):
    id: int
    title: str
    category: str
    category_label: str
    employer_id: int
    employer_name: str
    region_code: str
    region_name: str
    openings: int
    filled: int
    monthly_subsidy: Decimal | None
    duties: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    status: str
    status_label: str


def _post_out(p: WelfarePost) -> PostOut:
    filled = getattr(p, "_filled", None)
    if filled is None:
        filled = p.placements.filter(status="active").count()
    return PostOut(id=p.pk, title=p.title, category=p.category, category_label=str(p.get_category_display()),
                   employer_id=p.employer_id, employer_name=p.employer.name, region_code=p.region_id,
                   region_name=p.region.name, openings=p.openings, filled=filled, monthly_subsidy=p.monthly_subsidy,
                   duties=p.duties, starts_on=p.starts_on, ends_on=p.ends_on, status=p.status,
                   status_label=str(p.get_status_display()))


class PostPage(Schema):
    items: list[PostOut]
    count: int = Field(..., description="符合条件的总条数（与网页列表同一查询）")
    has_more: bool
    limit: int
    offset: int


@router.get("/welfare-posts", response={200: PostPage, 400: ErrorOut}, summary="公益性岗位目录")
def list_posts(request, q: SearchText = "", category: text(12) = "", status: text(8) = "", region: RegionCodeFilter = "",
               employer_id: RecordId | None = None, vacant: bool = False,
               sort: text(32) = Query("", description="排序：title、employer、category、region、openings、filled、"
                                                      "starts_on、ends_on、status，前加“-”为降序"),
               limit: Limit = Query(50, le=200), offset: Offset = 0):
    s = queries.PostSearch(text=q, category=category, status=status, region_code=region, employer_id=employer_id,
                           vacant=vacant, sort=sort, limit=limit, offset=offset)
    try:
        rows, has_more = queries.search_posts(request.auth, s)
        count = queries.count_posts(request.auth, s)
    except ValueError as exc:
        return Status(400, {"detail": str(exc)})
    return PostPage(items=[_post_out(p) for p in rows], count=count, has_more=has_more, limit=limit, offset=offset)


class PostIn(Schema):
    employer_id: RecordId
    title: text(64, min_length=1)
    category: text(12)
    region: RegionCode
    openings: Openings
    monthly_subsidy: Money | None = None
    duties: text(2000, multiline=True) = ""
    starts_on: ApiDate
    ends_on: ApiDate | None = None


class PostPatch(Schema):
    title: text(64, min_length=1) | None = None
    openings: Openings | None = None
    monthly_subsidy: Money | None = None
    duties: text(2000, multiline=True) | None = None
    ends_on: ApiDate | None = None
    status: text(8) | None = None


def _employer(user, pk: int):
    employer = registry_queries.visible_employer(user, pk)
    if employer is None:
        raise ValidationError({"employer": "用人单位不存在或不在您的管辖范围内"})
    return employer


def _writer(user) -> None:
    if not roles.can_write_registry(user):
        raise PermissionDenied("您的角色无权办理公益性岗位")


@router.post("/welfare-posts", response={201: PostOut}, summary="新建公益性岗位")
def create_post(request, payload: PostIn):
    _writer(request.auth)
    data = payload.dict()
    data["employer"] = _employer(request.auth, data.pop("employer_id"))
    post = services.create_post(actor=request.auth, **data)
    return Status(201, _post_out(queries.get_post(request.auth, post.pk)))


@router.get("/welfare-posts/{post_id}", response=PostOut, summary="公益性岗位")
def get_post(request, post_id: RecordId):
    return _post_out(queries.get_post(request.auth, post_id))


@router.patch("/welfare-posts/{post_id}", response=PostOut, summary="修改公益性岗位（岗位数、补贴、截止日期、开放/关闭）")
def update_post(request, post_id: RecordId, payload: PostPatch):
    _writer(request.auth)
    post = queries.get_post(request.auth, post_id)
    changes = payload.dict(exclude_unset=True)
    services.update_post(actor=request.auth, post=post, **changes)
    return _post_out(queries.get_post(request.auth, post_id))


class CandidateOut(Schema):
    person_id: int
    name: str
    id_number_masked: str
    region_code: str
    region_name: str
    case_id: int | None
    case_due_on: datetime.date | None
    overdue: bool


class CandidatePage(Schema):
    items: list[CandidateOut]
    count: int
    has_more: bool
    limit: int
    offset: int


@router.get("/welfare-posts/{post_id}/candidates", response={200: CandidatePage, 400: ErrorOut},
            summary="岗位候选人：辖区内符合安置条件的人员，按援助个案的紧迫程度排序（逾期在前）；不以性别、民族、户籍排序")
def list_candidates(request, post_id: RecordId, region: RegionCodeFilter = "",
                    sort: text(16) = Query("", description="urgency（默认）或 name"),
                    limit: Limit = Query(50, le=200), offset: Offset = 0):
    post = queries.get_post(request.auth, post_id)
    s = queries.CandidateSearch(region_code=region, sort=sort, limit=limit, offset=offset)
    try:
        rows, has_more = queries.search_candidates(request.auth, post, s)
        count = queries.count_candidates(request.auth, post, s)
    except ValueError as exc:
        return Status(400, {"detail": str(exc)})
    today = timezone.localdate()
    return CandidatePage(items=[CandidateOut(
        person_id=p.pk, name=p.name, id_number_masked=mask_id_number(p.id_number), region_code=p.region_id,
        region_name=p.region.name, case_id=p._case_id, case_due_on=p._due, overdue=bool(p._due and p._due < today))
        for p in rows], count=count, has_more=has_more, limit=limit, offset=offset)


class PlacementOut(Schema):
    id: int
    post_id: int
    post_title: str
    employer_name: str
    person_id: int
    name: str
    id_number_masked: str
    category: str
    region_code: str
    started_on: datetime.date
    planned_end_on: datetime.date
    tenure_note: str
    monthly_subsidy: Decimal
    eligibility: str
    status: str
    status_label: str
    ended_on: datetime.date | None
    exit_reason: str
    exit_reason_label: str
    registration_id: int | None
    case_id: int | None
    replaces_id: int | None


def _placement_out(p: Placement) -> PlacementOut:
    return PlacementOut(
        id=p.pk, post_id=p.post_id, post_title=p.post.title, employer_name=p.post.employer.name, person_id=p.person_id,
        name=p.person.name, id_number_masked=mask_id_number(p.person.id_number), category=p.category,
        region_code=p.region_id, started_on=p.started_on, planned_end_on=p.planned_end_on, tenure_note=p.tenure_note,
        monthly_subsidy=p.monthly_subsidy, eligibility=p.eligibility, status=p.status,
        status_label=str(p.get_status_display()), ended_on=p.ended_on, exit_reason=p.exit_reason,
        exit_reason_label=str(p.get_exit_reason_display()) if p.exit_reason else "", registration_id=p.registration_id,
        case_id=p.case_id, replaces_id=p.replaces_id)


class PlacementPage(Schema):
    items: list[PlacementOut]
    count: int
    has_more: bool
    limit: int
    offset: int


def _placement_page(request, s: queries.PlacementSearch):
    try:
        rows, has_more = queries.search_placements(request.auth, s)
        count = queries.count_placements(request.auth, s)
    except ValueError as exc:
        return Status(400, {"detail": str(exc)})
    return PlacementPage(items=[_placement_out(p) for p in rows], count=count, has_more=has_more, limit=s.limit,
                         offset=s.offset)


PLACEMENT_SORT_HELP = "排序：name、post、region、started_on、planned_end_on、ended_on、status，前加“-”为降序"


@router.get("/welfare-placements", response={200: PlacementPage, 400: ErrorOut}, summary="公益性岗位安置人员")
def list_placements(request, post_id: RecordId | None = None,
                    status: text(8) = Query("active", description="active（默认）、ended，空为全部"),
                    category: text(12) = "", region: RegionCodeFilter = "", employer_id: RecordId | None = None,
                    ending_within: SmallInt | None = Query(None, description="在岗且计划期满日期在此天数内"),
                    sort: text(32) = Query("", description=PLACEMENT_SORT_HELP),
                    limit: Limit = Query(50, le=200), offset: Offset = 0):
    return _placement_page(request, queries.PlacementSearch(
        post_id=post_id, status=status, category=category, region_code=region, employer_id=employer_id,
        ending_within=ending_within, sort=sort, limit=limit, offset=offset))


@router.get("/welfare-placements/warnings", response={200: PlacementPage, 400: ErrorOut},
            summary="安置期满提醒：在岗且计划期满日期在参数规定天数（assistance.posts.warning_days）内")
def list_warnings(request, limit: Limit = Query(50, le=200), offset: Offset = 0):
    days = queries.warning_days(request.auth, timezone.localdate())
    return _placement_page(request, queries.PlacementSearch(ending_within=days, limit=limit, offset=offset))


class PlaceIn(Schema):
    person_id: RecordId
    started_on: ApiDate
    planned_end_on: ApiDate | None = None
    replaces_id: RecordId | None = None
    note: text(2000, multiline=True) = ""


@router.post("/welfare-posts/{post_id}/placements", response={201: PlacementOut},
             summary="安置到公益性岗位（同时办理就业登记，就业形式为公益性岗位）")
def place(request, post_id: RecordId, payload: PlaceIn):
    _writer(request.auth)
    post = queries.get_post(request.auth, post_id)
    person = registry_queries.get_person_for_change(request.auth, payload.person_id)
    replaces = queries.get_placement(request.auth, payload.replaces_id) if payload.replaces_id else None
    placement = services.place(actor=request.auth, post=post, person=person, started_on=payload.started_on,
                               planned_end_on=payload.planned_end_on, replaces=replaces, note=payload.note)
    return Status(201, _placement_out(queries.get_placement(request.auth, placement.pk)))


@router.get("/welfare-placements/{placement_id}", response=PlacementOut, summary="公益性岗位安置")
def get_placement(request, placement_id: RecordId):
    return _placement_out(queries.get_placement(request.auth, placement_id))


class ExitIn(Schema):
    ended_on: ApiDate
    reason: text(16, min_length=1) = Field(
        ..., description="tenure_ended、other_work、resigned、dismissed、retired、deceased、moved_away")
    note: text(255) = ""


@router.post("/welfare-placements/{placement_id}/exit", response=PlacementOut,
             summary="离岗（同时办理失业登记或状态终止；实现其他就业须先办理新单位的就业登记）")
def exit_placement(request, placement_id: RecordId, payload: ExitIn):
    _writer(request.auth)
    placement = queries.get_placement(request.auth, placement_id)
    services.exit_placement(actor=request.auth, placement=placement, ended_on=payload.ended_on, reason=payload.reason,
                            note=payload.note)
    return _placement_out(queries.get_placement(request.auth, placement_id))


class AttendanceIn(Schema):
    month: ApiDate = Field(..., description="当月任一日期")
    days_worked: Days
    absent_days: Days = 0
    note: text(255) = ""


class AttendanceOut(Schema):
    month: datetime.date
    days_worked: int
    absent_days: int
    note: str
    subsidy_due: Decimal


class AttendanceList(Schema):
    items: list[AttendanceOut]


def _attendance_out(p: Placement, a: Attendance) -> AttendanceOut:
    from jiuye.parameters import params

    prorate = params(p.region_id, a.month)["assistance.posts.payroll_prorate"]
    return AttendanceOut(month=a.month, days_worked=a.days_worked, absent_days=a.absent_days, note=a.note,
                         subsidy_due=queries.subsidy_due(p.monthly_subsidy, a, prorate=prorate))


@router.get("/welfare-placements/{placement_id}/attendance", response=AttendanceList, summary="考勤（按月）")
def list_attendance(request, placement_id: RecordId):
    placement = queries.get_placement(request.auth, placement_id)
    return AttendanceList(items=[_attendance_out(placement, a) for a in queries.attendance_of(placement)])


@router.put("/welfare-placements/{placement_id}/attendance", response=AttendanceOut, summary="录入或更正某月考勤")
def record_attendance(request, placement_id: RecordId, payload: AttendanceIn):
    _writer(request.auth)
    placement = queries.get_placement(request.auth, placement_id)
    a = services.record_attendance(actor=request.auth, placement=placement, month=payload.month,
                                   days_worked=payload.days_worked, absent_days=payload.absent_days, note=payload.note)
    return _attendance_out(placement, a)


class PayrollRowOut(Schema):
    placement_id: int
    name: str
    id_number_masked: str
    post_title: str
    started_on: datetime.date
    days_worked: int | None
    absent_days: int | None
    monthly_subsidy: Decimal
    subsidy_due: Decimal
    note: str


class PayrollOut(Schema):
    employer_id: int
    employer_name: str
    month: datetime.date
    items: list[PayrollRowOut]
    total: Decimal


@router.get("/welfare-payroll", response=PayrollOut,
            summary="公益性岗位补贴发放表（某用人单位某月：在岗人员、出勤、应发补贴；证件号码脱敏）")
def payroll(request, employer_id: RecordId, month: ApiDate = Query(..., description="当月任一日期")):
    employer = registry_queries.visible_employer(request.auth, employer_id)
    if employer is None:
        raise Http404("not found")
    first = queries.month_start(month)
    rows = queries.payroll_rows(request.auth, employer.pk, first)
    total = sum((r.due for r in rows), Decimal("0.00"))
    return PayrollOut(employer_id=employer.pk, employer_name=employer.name, month=first, total=total,
                      items=[PayrollRowOut(
                          placement_id=r.placement.pk, name=r.placement.person.name,
                          id_number_masked=mask_id_number(r.placement.person.id_number), post_title=r.placement.post.title,
                          started_on=r.placement.started_on,
                          days_worked=r.attendance.days_worked if r.attendance else None,
                          absent_days=r.attendance.absent_days if r.attendance else None,
                          monthly_subsidy=r.placement.monthly_subsidy, subsidy_due=r.due, note=r.note) for r in rows])
