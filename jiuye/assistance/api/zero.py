"""API of zero-employment households (零就业家庭) and capacity marks, under /api/v1/zero-employment/.
Thin handlers over ``assistance.queries.zero`` (the same functions as the web lists: same filters,
order and counts) and ``assistance.services.zero``; records outside the scope answer 404 like records
that do not exist."""
from __future__ import annotations

import datetime

from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from jiuye.apitypes import ApiDate, Limit, Offset, RecordId, RegionCodeFilter, text
from jiuye.assistance.models import CapacityMark, ZeroEmploymentSpell
from jiuye.assistance.queries import zero as queries
from jiuye.assistance.services import zero as services
from jiuye.registry import queries as registry_queries
from jiuye.registry.identity import mask_id_number

router = Router(tags=["assistance"])

COUNT = "符合条件的总条数（与网页列表同一查询）"


class ErrorOut(Schema):
    detail: object


class ZeroHouseholdOut(Schema):
    id: int
    number: str
    region_code: str
    region_name: str
    address: str
    since: datetime.date | None
    days: int | None
    case_id: int | None
    case_status: str | None
    next_due_on: datetime.date | None
    overdue: bool
    escalation: int | None


class ZeroHouseholdPage(Schema):
    items: list[ZeroHouseholdOut]
    count: int = Field(..., description=COUNT)
    has_more: bool
    limit: int
    offset: int


@router.get("/zero-employment/households", response={200: ZeroHouseholdPage, 400: ErrorOut},
            summary="当前零就业家庭（援助个案、最近期限、持续天数）")
def list_zero_households(request, region: RegionCodeFilter = "",
                         state: text(16) = Query("", description="overdue（已逾期）、open（援助中未逾期）、no_case（无援助个案）"),
                         sort: text(32) = Query("", description="排序：due、since、number、region，前加“-”为降序"),
                         limit: Limit = Query(50, le=200), offset: Offset = 0):
    search = queries.ZeroHouseholdSearch(region_code=region, state=state, sort=sort, limit=limit, offset=offset)
    try:
        rows, has_more = queries.search_zero_households(request.auth, search)
        count = queries.count_zero_households(request.auth, search)
    except ValueError as exc:
        return Status(400, {"detail": str(exc)})
    today = timezone.localdate()
    items = [ZeroHouseholdOut(
        id=h.pk, number=h.number, region_code=h.region_id, region_name=h.region.name, address=h.address, since=h.zero_since,
        days=queries.days_since(h), case_id=h.zero_case, case_status=h.zero_case_status, next_due_on=h.zero_due,
        overdue=h.zero_case_status == "open" and h.zero_due is not None and h.zero_due < today, escalation=h.zero_escalation)
        for h in rows]
    return ZeroHouseholdPage(items=items, count=count, has_more=has_more, limit=limit, offset=offset)


class SpellOut(Schema):
    id: int
    household_id: int
    household_number: str
    region_code: str
    started_on: datetime.date
    ended_on: datetime.date | None
    days: int
    end_kind: str
    end_kind_label: str
    end_cause: str
    end_cause_label: str
    end_note: str
    case_id: int | None
    services: int


class SpellPage(Schema):
    items: list[SpellOut]
    count: int = Field(..., description=COUNT)
    has_more: bool
    limit: int
    offset: int


def _spell_out(s: ZeroEmploymentSpell) -> SpellOut:
    return SpellOut(id=s.pk, household_id=s.household_id, household_number=s.household.number, region_code=s.region_id,
                    started_on=s.started_on, ended_on=s.ended_on, days=queries.spell_days(s), end_kind=s.end_kind,
                    end_kind_label=str(s.get_end_kind_display()) if s.end_kind else "", end_cause=s.end_cause,
                    end_cause_label=str(s.get_end_cause_display()) if s.end_cause else "", end_note=s.end_note,
                    case_id=s.case_id, services=s.services_count)


@router.get("/zero-employment/spells", response={200: SpellPage, 400: ErrorOut},
            summary="零就业家庭历史记录（每一户曾经的零就业家庭：起止、持续天数、消除方式、援助个案与服务次数）")
def list_spells(request, region: RegionCodeFilter = "", date_from: ApiDate | None = None, date_to: ApiDate | None = None,
                end: text(24) = Query("", description="open、resolved、no_longer_qualifies"),
                cause: text(24) = Query("", description="消除原因代码"),
                sort: text(32) = Query("", description="排序：started_on、ended_on、region、number，前加“-”为降序"),
                limit: Limit = Query(50, le=200), offset: Offset = 0):
    search = queries.SpellSearch(region_code=region, date_from=date_from, date_to=date_to, end=end, cause=cause,
                                 sort=sort, limit=limit, offset=offset)
    try:
        rows, has_more = queries.search_spells(request.auth, search)
        count = queries.count_spells(request.auth, search)
    except ValueError as exc:
        return Status(400, {"detail": str(exc)})
    return SpellPage(items=[_spell_out(s) for s in rows], count=count, has_more=has_more, limit=limit, offset=offset)


class OverviewRowOut(Schema):
    code: str
    name: str
    current: int
    overdue: int
    opened: int
    resolved: int
    no_longer_qualifies: int
    marks: int
    marks_cleared: int


class OverviewOut(Schema):
    date_from: datetime.date
    date_to: datetime.date
    rows: list[OverviewRowOut]
    total: OverviewRowOut


@router.get("/zero-employment/overview", response={200: OverviewOut, 404: ErrorOut},
            summary="零就业家庭动态清零情况（按下级地区：当前、逾期、期间新认定、就业消除、不再符合条件、标记及其中致家庭消除）")
def overview(request, date_from: ApiDate | None = None, date_to: ApiDate | None = None):
    result = queries.zero_overview(request.auth, date_from, date_to)
    if result is None:
        return Status(404, {"detail": queries.NOT_FOUND})

    def row(r):
        return OverviewRowOut(code=r.code, name=r.name, **r.counts)

    return OverviewOut(date_from=result.date_from, date_to=result.date_to, rows=[row(r) for r in result.rows],
                       total=row(result.total))


class MarkOut(Schema):
    id: int
    person_id: int
    person_name: str
    id_number_masked: str
    household_id: int | None
    region_code: str
    kind: str
    kind_label: str
    reason: str
    marked_on: datetime.date
    cleared_zero_household: bool
    lifted_on: datetime.date | None
    lift_note: str
    evidence: list[str]


class MarkPage(Schema):
    items: list[MarkOut]
    count: int = Field(..., description=COUNT)
    has_more: bool
    limit: int
    offset: int


def _mark_out(m: CapacityMark, evidence: bool = False) -> MarkOut:
    return MarkOut(id=m.pk, person_id=m.person_id, person_name=m.person.name, id_number_masked=mask_id_number(m.person.id_number),
                   household_id=m.household_id, region_code=m.region_id, kind=m.kind, kind_label=str(m.get_kind_display()),
                   reason=m.reason, marked_on=m.marked_on, cleared_zero_household=m.cleared_zero_household,
                   lifted_on=m.lifted_on, lift_note=m.lift_note,
                   evidence=[a.original_name for a in services.evidence_of(m)] if evidence else [])


@router.get("/zero-employment/capacity-marks", response={200: MarkPage, 400: ErrorOut},
            summary="劳动能力/就业意愿标记列表")
def list_marks(request, region: RegionCodeFilter = "", kind: text(12) = Query("", description="unable、unwilling"),
               state: text(8) = Query("", description="active、lifted"), cleared: bool = False,
               date_from: ApiDate | None = None, date_to: ApiDate | None = None, person_id: RecordId | None = None,
               sort: text(32) = Query("", description="排序：marked_on、name、region、kind，前加“-”为降序"),
               limit: Limit = Query(50, le=200), offset: Offset = 0):
    search = queries.MarkSearch(region_code=region, kind=kind, state=state, cleared=cleared, date_from=date_from,
                                date_to=date_to, person_id=person_id, sort=sort, limit=limit, offset=offset)
    try:
        rows, has_more = queries.search_marks(request.auth, search)
        count = queries.count_marks(request.auth, search)
    except ValueError as exc:
        return Status(400, {"detail": str(exc)})
    return MarkPage(items=[_mark_out(m) for m in rows], count=count, has_more=has_more, limit=limit, offset=offset)


@router.get("/zero-employment/capacity-marks/{mark_id}", response=MarkOut, summary="一条劳动能力/就业意愿标记（含证明材料名称）")
def get_mark(request, mark_id: RecordId):
    return _mark_out(queries.get_mark(request.auth, mark_id), evidence=True)


@router.post("/zero-employment/capacity-marks", response={201: MarkOut},
             summary="标记无劳动能力/无就业意愿（须填写原因并上传证明材料 evidence，可另附 evidence_2、evidence_3；multipart/form-data）")
def create_mark(request, person_id: Form[RecordId], kind: Form[text(12)], reason: Form[text(255, multiline=True)],
                evidence: File[UploadedFile], evidence_2: File[UploadedFile] = None, evidence_3: File[UploadedFile] = None,
                on: Form[ApiDate | None] = None):
    person = registry_queries.get_person_for_change(request.auth, person_id)
    files = [f for f in (evidence, evidence_2, evidence_3) if f]
    mark = services.mark_capacity(request.auth, person, kind, reason, files, on=on)
    return Status(201, _mark_out(mark, evidence=True))


class LiftIn(Schema):
    note: text(255, multiline=True)
    on: ApiDate | None = None


@router.post("/zero-employment/capacity-marks/{mark_id}/lift", response=MarkOut, summary="撤销劳动能力/就业意愿标记")
def lift(request, mark_id: RecordId, payload: LiftIn):
    mark = queries.get_mark(request.auth, mark_id)
    mark = services.lift_mark(request.auth, mark, payload.note, on=payload.on)
    return _mark_out(mark, evidence=True)

