"""API of the case workbench (援助个案), /api/v1/cases: the list (the web list's query), a case, its
services, reassignment and the overview. Thin handlers over ``assistance.queries.cases`` and
``assistance.services.cases``; a case outside the scope answers 404 like one that does not exist."""
from __future__ import annotations

import datetime

from ninja import Field, Query, Router, Schema, Status

from jiuye.apitypes import ApiDate, Limit, Offset, RecordId, RegionCodeFilter, SearchText, text
from jiuye.assistance.models import Case, EscalationLevel
from jiuye.assistance.queries import cases as queries
from jiuye.assistance.services import cases as services

router = Router(tags=["assistance"])


class ErrorOut(Schema):
    detail: object


class CaseItem(Schema):
    id: int
    kind: str
    kind_label: str
    subject: str = Field(..., description="人员姓名，或“家庭户 编号”")
    person_id: int | None
    household_id: int | None
    region_code: str
    region_name: str
    status: str
    status_label: str
    opened_on: datetime.date
    next_due_on: datetime.date | None
    district_due_on: datetime.date | None
    overdue: bool
    escalation: int = Field(..., description="督办层级（按日期计算）：0 社区，1 街道，2 区县")
    escalation_label: str
    assigned_to: str
    follow_up_until: datetime.date | None
    closed_on: datetime.date | None
    close_kind: str


class CaseList(Schema):
    items: list[CaseItem]
    count: int = Field(..., description="符合条件的总条数（与网页列表同一查询）")
    has_more: bool
    limit: int
    offset: int


def _item(case: Case) -> CaseItem:
    level = queries.level_of(case)
    return CaseItem(
        id=case.pk, kind=case.kind, kind_label=str(case.get_kind_display()), subject=queries.subject_label(case),
        person_id=case.person_id, household_id=case.household_id, region_code=case.region_id,
        region_name=case.region.name, status=case.status, status_label=str(case.get_status_display()),
        opened_on=case.opened_on, next_due_on=case.next_due_on, district_due_on=case.district_due_on,
        overdue=queries.is_overdue(case), escalation=int(level), escalation_label=str(EscalationLevel(level).label),
        assigned_to=str(case.assigned_to or ""), follow_up_until=case.follow_up_until, closed_on=case.closed_on,
        close_kind=case.close_kind,
    )


@router.get("/cases", response={200: CaseList, 400: ErrorOut}, summary="援助个案列表（默认按紧急程度：逾期在前）")
def list_cases(request, kind: text(16) = "", status: text(12) = Query("active", description="active（援助中及跟踪回访，默认）、all、open、follow_up、closed"),
               overdue: bool = False, escalation: text(8) = Query("", description="street 或 district"),
               region: RegionCodeFilter = "", mine: bool = False, q: SearchText = "",
               opened_from: ApiDate | None = None, opened_to: ApiDate | None = None, close_kind: text(24) = "",
               closed_from: ApiDate | None = None, closed_to: ApiDate | None = None,
               sort: text(32) = Query("", description="排序：urgency（默认）、opened_on、region、kind、status、escalation，前加“-”为降序"),
               limit: Limit = Query(50, le=200), offset: Offset = 0):
    search = queries.CaseSearch(kind=kind, status=status or queries.ACTIVE, overdue=overdue, escalation=escalation,
                                region_code=region, mine=mine, text=q, opened_from=opened_from, opened_to=opened_to,
                                close_kind=close_kind, closed_from=closed_from, closed_to=closed_to, sort=sort, limit=limit, offset=offset)
    try:
        rows, has_more = queries.search_cases(request.auth, search)
        count = queries.count_cases(request.auth, search)
    except ValueError as exc:
        return Status(400, {"detail": str(exc)})
    return CaseList(items=[_item(c) for c in rows], count=count, has_more=has_more, limit=limit, offset=offset)


class OverviewRowOut(Schema):
    code: str
    name: str
    open: int
    overdue: int
    street: int
    district: int
    follow_up: int
    resolved: int
    no_longer_qualifies: int


class OverviewOut(Schema):
    on: datetime.date
    period_from: datetime.date
    level: str = Field(..., description="street（每行一个街道）或 community（每行一个社区）")
    rows: list[OverviewRowOut]
    total: OverviewRowOut


def _row(r) -> OverviewRowOut:
    return OverviewRowOut(**{k: getattr(r, k) for k in OverviewRowOut.model_fields})


@router.get("/cases/overview", response=OverviewOut, summary="援助个案概况：按街道（区县、市）或按社区（街道、社区）")
def overview(request, on: ApiDate | None = None, period_from: ApiDate | None = None):
    o = queries.case_overview(request.auth, on, period_from=period_from)
    return OverviewOut(on=o.on, period_from=o.period_from, level=o.level, rows=[_row(r) for r in o.rows],
                       total=_row(o.total))


class DeadlineOut(Schema):
    kind: str
    kind_label: str
    start_on: datetime.date
    working_days: int
    due_on: datetime.date
    met_on: datetime.date | None
    uncovered: bool = Field(..., description="跨越尚未载入节假日安排的年份：到期日按周一至周五计算，可能变动")


class MemberOut(Schema):
    person_id: int
    name: str
    id_number_masked: str
    relation: str
    status: str


class TimelineOut(Schema):
    on: datetime.date
    kind: str = Field(..., description="event（个案记录）或 service（帮扶服务）")
    label: str
    text: str
    actor: str


class NextStepOut(Schema):
    code: str
    title: str
    reason: str
    source: str


class CaseDetail(Schema):
    case: CaseItem
    members: list[MemberOut]
    deadlines: list[DeadlineOut]
    uncovered_years: list[int]
    timeline: list[TimelineOut]
    next_steps: list[NextStepOut]


@router.get("/cases/{case_id}", response=CaseDetail, summary="援助个案：援助对象、办理期限、记录与下一步")
def case_detail(request, case_id: RecordId):
    page = queries.case_page(request.auth, case_id)
    return CaseDetail(
        case=_item(page.case),
        members=[MemberOut(person_id=m.person_id, name=m.name, id_number_masked=m.id_masked, relation=m.relation,
                           status=m.status) for m in page.members],
        deadlines=[DeadlineOut(kind=d.kind, kind_label=str(d.get_kind_display()), start_on=d.start_on,
                               working_days=d.working_days, due_on=d.due_on, met_on=d.met_on, uncovered=d.uncovered)
                   for d in page.deadlines],
        uncovered_years=page.uncovered_years,
        timeline=[TimelineOut(on=t.on, kind=t.kind, label=t.label, text=t.text, actor=t.actor) for t in page.timeline],
        next_steps=[NextStepOut(code=s.code, title=s.title, reason=s.reason, source=s.source) for s in page.next_steps],
    )


class ServiceIn(Schema):
    kind: text(24) = Field(..., description="visit、guidance、job_recommendation、training_referral、policy_claim、"
                                             "post_placement、plan、follow_up_visit")
    served_on: ApiDate
    outcome: text(255, min_length=1)
    note: text(2000, multiline=True) = ""
    person_id: RecordId | None = None


class ServiceOut(Schema):
    id: int
    case_id: int
    kind: str
    kind_label: str
    served_on: datetime.date
    outcome: str
    worker: str
    next_due_on: datetime.date | None


@router.post("/cases/{case_id}/services", response={201: ServiceOut}, summary="登记一对一帮扶服务（满足相应期限）")
def add_service(request, case_id: RecordId, payload: ServiceIn):
    case = queries.get_case_for_change(request.auth, case_id)
    service = services.record_service(actor=request.auth, case=case, kind=payload.kind, served_on=payload.served_on,
                                      outcome=payload.outcome, note=payload.note, person_id=payload.person_id)
    case.refresh_from_db(fields=["next_due_on"])
    return Status(201, ServiceOut(id=service.pk, case_id=case.pk, kind=service.kind,
                                  kind_label=str(service.get_kind_display()), served_on=service.served_on,
                                  outcome=service.outcome, worker=str(service.worker or ""),
                                  next_due_on=case.next_due_on))


class ReassignIn(Schema):
    worker_id: RecordId
    note: text(200) = ""


@router.post("/cases/{case_id}/reassign", response=CaseItem, summary="改派给本社区另一名社区协理员（街道、区县）")
def reassign(request, case_id: RecordId, payload: ReassignIn):
    case = queries.get_case_for_change(request.auth, case_id)
    case = services.reassign_case(actor=request.auth, case=case, worker_id=payload.worker_id, note=payload.note)
    return _item(queries.get_case(request.auth, case.pk))
