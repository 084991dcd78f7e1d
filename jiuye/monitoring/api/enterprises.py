"""API of the enterprise sample and its monthly reports under /api/v1/monitoring: the sample (list, one,
enrol, leave, coverage), reports (submit, list, one with lines and versions), missing and late reports and
chases, the job-loss figures. Thin handlers over ``monitoring.queries.enterprises/reports/job_loss`` and
``monitoring.services.enterprises/reports``; months are given as any day of the month (YYYY-MM-DD)."""
from __future__ import annotations

import datetime
from typing import Annotated

from django.utils import timezone
from ninja import Field, Router, Schema, Status
from pydantic import create_model

from jiuye.apitypes import ApiDate, Limit, Offset, RecordId, RegionCodeFilter, SearchText, text
from jiuye.monitoring.models import AdditionReason, ReductionType, ReportChannel
from jiuye.monitoring.periods import month_start
from jiuye.monitoring.queries import enterprises as ent_queries
from jiuye.monitoring.queries import job_loss as loss_queries
from jiuye.monitoring.queries import reports as report_queries
from jiuye.monitoring.services import enterprises as ent_services
from jiuye.monitoring.services import reports as report_services
from jiuye.monitoring.services.reports import ReportData

router = Router(tags=["monitoring-enterprises"])

Count = Annotated[int, Field(ge=0, le=1_000_000)]
Code = text(24)


class EnterpriseOut(Schema):
    id: int
    employer_id: int
    employer_name: str
    credit_code: str
    industry_code: str
    size_class: str
    ownership: str
    region_code: str
    joined_on: datetime.date
    left_on: datetime.date | None
    leave_reason: str
    contact_name: str
    contact_phone: str


class EnterprisePage(Schema):
    items: list[EnterpriseOut]
    count: int
    has_more: bool


def _enterprise(e) -> dict:
    emp = e.employer
    return dict(id=e.pk, employer_id=emp.pk, employer_name=emp.name, credit_code=emp.credit_code,
                industry_code=emp.industry_code, size_class=emp.size_class, ownership=emp.ownership,
                region_code=e.region_id, joined_on=e.joined_on, left_on=e.left_on, leave_reason=e.leave_reason,
                contact_name=e.contact_name, contact_phone=e.contact_phone)


@router.get("/enterprises", response=EnterprisePage)
def list_enterprises(request, q: SearchText = "", region_code: RegionCodeFilter = "", industry: text(1) = "",
                     size_class: text(8) = "", ownership: text(24) = "", status: text(8) = "active",
                     month: ApiDate | None = None, sort: text(32) = "", limit: Limit = 50, offset: Offset = 0):
    s = ent_queries.EnterpriseSearch(text=q, region_code=region_code, industry=industry, size_class=size_class,
                                     ownership=ownership, status=status, month=month, sort=sort, limit=limit,
                                     offset=offset)
    rows, more = ent_queries.search_enterprises(request.auth, s)
    return {"items": [_enterprise(e) for e in rows], "count": ent_queries.count_enterprises(request.auth, s),
            "has_more": more}


class CoverageRowOut(Schema):
    section: str
    label: str
    local_employers: int
    local_workers: int
    local_share: float
    sample_enterprises: int
    sample_workers: int
    sample_share: float
    main: bool
    status: str


class CoverageOut(Schema):
    region_code: str
    month: datetime.date
    ok: bool
    verdict: str
    reasons: list[str]
    min_industries: int
    sections_covered: int
    sample_size: int
    rows: list[CoverageRowOut]


@router.get("/enterprises/coverage", response=CoverageOut)
def coverage(request, region_code: RegionCodeFilter = "", month: ApiDate | None = None):
    c = ent_queries.coverage(request.auth, region_code, month)
    return dict(region_code=c.region_code, month=c.month, ok=c.ok, verdict=c.verdict, reasons=c.reasons,
                min_industries=c.min_industries, sections_covered=c.sections_covered, sample_size=c.sample_size,
                rows=[dict(vars(r), local_share=float(r.local_share), sample_share=float(r.sample_share))
                      for r in c.rows])


class EnrolIn(Schema):
    employer_id: RecordId
    joined_on: ApiDate
    contact_name: text(64, min_length=1)
    contact_phone: text(20) = ""


@router.post("/enterprises", response={201: EnterpriseOut})
def enrol(request, payload: EnrolIn):
    ent_queries.employer_in_scope(request.auth, payload.employer_id)
    e = ent_services.enrol(request.auth, **payload.dict())
    return Status(201, _enterprise(ent_queries.get_enterprise(request.auth, e.pk)))


@router.get("/enterprises/{enterprise_id}", response=EnterpriseOut)
def get_enterprise(request, enterprise_id: RecordId):
    return _enterprise(ent_queries.get_enterprise(request.auth, enterprise_id))


class LeaveIn(Schema):
    left_on: ApiDate
    reason: text(128, min_length=1)


@router.post("/enterprises/{enterprise_id}/leave", response=EnterpriseOut)
def leave(request, enterprise_id: RecordId, payload: LeaveIn):
    e = ent_queries.get_enterprise(request.auth, enterprise_id)
    ent_services.leave(request.auth, e, left_on=payload.left_on, reason=payload.reason)
    return _enterprise(ent_queries.get_enterprise(request.auth, enterprise_id))


AdditionsIn = create_model("AdditionsIn", __base__=Schema, **{k: (Count, 0) for k in AdditionReason.values})
ReductionsIn = create_model("ReductionsIn", __base__=Schema,
                            **{k: (Count, 0) for k in ReductionType.values},
                            **{f"{k}_reason": (Code, "") for k in ReductionType.values})


class ReportIn(Schema):
    month: ApiDate
    start_headcount: Count
    end_headcount: Count | None = None
    additions: AdditionsIn = Field(default_factory=AdditionsIn)
    reductions: ReductionsIn = Field(default_factory=ReductionsIn)
    note: text(255) = ""
    correction_reason: text(255) = ""


class LineOut(Schema):
    direction: str
    kind: str
    reason: str
    count: int


class ReportOut(Schema):
    id: int
    enterprise_id: int
    employer_name: str
    region_code: str
    month: datetime.date
    version: int
    is_current: bool
    supersedes_id: int | None
    start_headcount: int
    end_headcount: int
    additions: int
    reductions: int
    layoffs: int
    net_change: int
    note: str
    correction_reason: str
    channel: str
    submitted_at: datetime.datetime
    due_on: datetime.date
    is_late: bool


class ReportDetailOut(ReportOut):
    lines: list[LineOut]
    versions: list[ReportOut]


class SubmittedOut(Schema):
    report: ReportOut
    message: str
    warning_id: int | None
    warning_level: str
    warning_action: str
    linked_registrations: int


def _report(r) -> dict:
    return dict(id=r.pk, enterprise_id=r.enterprise_id, employer_name=r.enterprise.employer.name, region_code=r.region_id,
                month=r.month, version=r.version, is_current=r.is_current, supersedes_id=r.supersedes_id,
                start_headcount=r.start_headcount, end_headcount=r.end_headcount, additions=r.additions,
                reductions=r.reductions, layoffs=r.layoffs, net_change=r.net_change, note=r.note,
                correction_reason=r.correction_reason, channel=r.channel, submitted_at=r.submitted_at,
                due_on=r.due_on, is_late=r.is_late)


def report_data(payload: ReportIn) -> ReportData:
    adds = payload.additions.dict()
    reds = payload.reductions.dict()
    return ReportData(month=payload.month, start_headcount=payload.start_headcount, end_headcount=payload.end_headcount,
                      additions={k: n for k, n in adds.items() if n},
                      reductions={(k, reds.get(f"{k}_reason") or ""): reds[k] for k in ReductionType.values if reds[k]},
                      note=payload.note, correction_reason=payload.correction_reason)


@router.post("/enterprises/{enterprise_id}/reports", response={201: SubmittedOut})
def submit_report(request, enterprise_id: RecordId, payload: ReportIn):
    """Submit (or correct) a month's report; the answer says whether a mass-layoff warning was raised."""
    e = ent_queries.get_enterprise(request.auth, enterprise_id)
    channel = ReportChannel.PORTAL if report_services.may_submit(request.auth, e) == ReportChannel.PORTAL else ReportChannel.API
    result = report_services.submit_report(request.auth, e, report_data(payload), channel=channel)
    w = result.warning
    return Status(201, dict(report=_report(result.report), message=result.message, warning_id=w.pk if w else None,
                            warning_level=w.level if w else "", warning_action=result.warning_action,
                            linked_registrations=result.linked))


class ReportPage(Schema):
    items: list[ReportOut]
    count: int
    has_more: bool


@router.get("/reports", response=ReportPage)
def list_reports(request, q: SearchText = "", enterprise: RecordId | None = None, month_from: ApiDate | None = None,
                 month_to: ApiDate | None = None, region_code: RegionCodeFilter = "", industry: text(1) = "",
                 size_class: text(8) = "", ownership: text(24) = "", layoffs_only: bool = False,
                 all_versions: bool = False, sort: text(32) = "", limit: Limit = 50, offset: Offset = 0):
    s = report_queries.ReportSearch(text=q, enterprise_id=enterprise, month_from=month_from, month_to=month_to,
                                    region_code=region_code, industry=industry, size_class=size_class,
                                    ownership=ownership, layoffs_only=layoffs_only, all_versions=all_versions,
                                    sort=sort, limit=limit, offset=offset)
    rows, more = report_queries.search_reports(request.auth, s)
    return {"items": [_report(r) for r in rows], "count": report_queries.count_reports(request.auth, s),
            "has_more": more}


class DueOut(Schema):
    enterprise_id: int
    employer_name: str
    region_code: str
    contact_name: str
    contact_phone: str
    status: str
    due_on: datetime.date | None
    submitted_at: datetime.datetime | None
    report_id: int | None
    reminders: int
    last_reminder_at: datetime.datetime | None


class DuePage(Schema):
    month: datetime.date
    counts: dict[str, int]
    items: list[DueOut]
    count: int
    has_more: bool


DUE_STATUS = {0: "missing", 1: "late", 2: "pending", 3: "on_time"}


def _due(e) -> dict:
    return dict(enterprise_id=e.pk, employer_name=e.employer.name, region_code=e.region_id, contact_name=e.contact_name,
                contact_phone=e.contact_phone, status=DUE_STATUS[e.due_rank], due_on=e.due_on,
                submitted_at=e.submitted_at, report_id=e.current_report_id, reminders=e.reminder_count or 0,
                last_reminder_at=e.last_reminder_at)


@router.get("/reports/due", response=DuePage)
def reports_due(request, month: ApiDate | None = None, status: text(8) = "", region_code: RegionCodeFilter = "",
                q: SearchText = "", sort: text(32) = "", limit: Limit = 50, offset: Offset = 0):
    m = month_start(month) if month else report_queries.default_due_month()
    s = report_queries.DueSearch(month=m, status=status, region_code=region_code, text=q, sort=sort, limit=limit,
                                 offset=offset)
    rows, more = report_queries.search_due(request.auth, s)
    return {"month": m, "counts": report_queries.due_counts(request.auth, m), "items": [_due(e) for e in rows],
            "count": report_queries.count_due(request.auth, s), "has_more": more}


class ReminderIn(Schema):
    month: ApiDate
    channel: text(16, min_length=1)
    note: text(255) = ""


class ReminderOut(Schema):
    id: int
    enterprise_id: int
    month: datetime.date
    channel: str
    note: str
    sent_at: datetime.datetime


@router.post("/enterprises/{enterprise_id}/reminders", response={201: ReminderOut})
def chase(request, enterprise_id: RecordId, payload: ReminderIn):
    e = ent_queries.get_enterprise(request.auth, enterprise_id)
    r = ent_services.record_reminder(request.auth, e, month=payload.month, channel=payload.channel, note=payload.note)
    return Status(201, dict(id=r.pk, enterprise_id=e.pk, month=r.month, channel=r.channel, note=r.note,
                            sent_at=r.sent_at))


@router.get("/reports/{report_id}", response=ReportDetailOut)
def get_report(request, report_id: RecordId):
    r = report_queries.get_report(request.auth, report_id)
    versions = report_queries.versions_of(r)
    for v in versions:
        v.enterprise = r.enterprise
    return dict(_report(r), lines=[dict(direction=x.direction, kind=x.kind, reason=x.reason, count=x.count)
                                   for x in report_queries.lines_of(r)],
                versions=[_report(v) for v in versions])


class LossOut(Schema):
    month: datetime.date
    key: str
    label: str
    enterprises: int
    start: int
    end: int
    additions: int
    reductions: int
    layoffs: int
    net: int
    loss_rate: float | None
    layoff_rate: float | None


@router.get("/job-loss", response=list[LossOut])
def job_loss(request, month_from: ApiDate | None = None, month_to: ApiDate | None = None, by: text(12) = "industry",
             region_code: RegionCodeFilter = "", industry: text(1) = "", size_class: text(8) = "",
             ownership: text(24) = ""):
    last = report_queries.default_due_month(timezone.localdate())
    s = loss_queries.LossSearch(month_from=month_from or last.replace(year=last.year - 1), month_to=month_to or last,
                                by=by, region_code=region_code, industry=industry, size_class=size_class,
                                ownership=ownership)
    return [dict(month=r.month, key=r.key, label=r.label, enterprises=r.enterprises, start=r.start, end=r.end,
                 additions=r.additions, reductions=r.reductions, layoffs=r.layoffs, net=r.net,
                 loss_rate=float(r.loss_rate) if r.loss_rate is not None else None,
                 layoff_rate=float(r.layoff_rate) if r.layoff_rate is not None else None)
            for r in loss_queries.job_loss(request.auth, s)]
