"""API of the kept reports under /api/v1/reports: list, one, request (made in the background; poll the run),
regenerate as known on the same moment, download (audited), schedules (list, create, pause/resume) and a
schedule's due runs. Thin handlers over ``reports.queries`` and ``reports.services``."""
from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils import timezone
from ninja import Router, Schema, Status

from jiuye.apitypes import ApiDate, Limit, Offset, RecordId, RegionCode, RegionCodeFilter, text
from jiuye.reports import queries, services
from jiuye.reports.models import ReportFormat, RunStatus
from jiuye.reports.render import CONTENT_TYPES

router = Router(tags=["reports"])

Kind = text(16)
Fmt = text(8)
PeriodText = text(10)


class RunOut(Schema):
    id: int
    kind: str
    kind_label: str
    region_code: str
    region_name: str
    period: str
    format: str
    status: str
    progress: int
    known_on: datetime.datetime
    requested_at: datetime.datetime
    finished_at: datetime.datetime | None
    file_name: str
    size: int
    sha256: str
    summary: list[str]
    error: str
    schedule_id: int | None


class RunPage(Schema):
    items: list[RunOut]
    count: int
    has_more: bool


def _run(r) -> dict:
    return dict(id=r.pk, kind=r.kind, kind_label=r.get_kind_display(), region_code=r.region_id,
                region_name=r.region.name, period=r.period, format=r.format, status=r.status, progress=r.progress,
                known_on=r.known_on, requested_at=r.requested_at, finished_at=r.finished_at, file_name=r.file_name,
                size=r.size, sha256=r.sha256, summary=list(r.summary.get("lines", [])), error=r.error,
                schedule_id=r.schedule_id)


@router.get("/runs", response=RunPage)
def list_runs(request, kind: Kind = "", region_code: RegionCodeFilter = "", period: PeriodText = "",
              format: Fmt = "", status: text(8) = "", sort: text(32) = "", limit: Limit = 50, offset: Offset = 0):
    s = queries.RunSearch(kind=kind, region_code=region_code, period=period, format=format, status=status,
                          sort=sort, limit=limit, offset=offset)
    rows, more = queries.search_runs(request.auth, s)
    return {"items": [_run(r) for r in rows], "count": queries.count_runs(request.auth, s), "has_more": more}


class RunIn(Schema):
    kind: Kind
    region_code: RegionCode = ""
    period: PeriodText
    format: Fmt = ReportFormat.XLSX
    known_on: text(32) = ""  # ISO date-time (2026-11-30T18:00:00+08:00); blank: now


def _known_on(value: str):
    """The moment written in ISO form (local time when no offset); ValidationError naming the field."""
    if not value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError({"known_on": f"数据时点“{value}”无效：应为 YYYY-MM-DDTHH:MM[:SS][+08:00]"}) from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


@router.post("/runs", response={201: RunOut})
def request_run(request, payload: RunIn):
    """Keeps the run and makes it in the background: poll ``GET /runs/{id}`` until ``status`` is done."""
    run = services.request_report(request.auth, payload.kind, payload.region_code or None, payload.period,
                                  payload.format, known_on=_known_on(payload.known_on))
    return Status(201, _run(queries.get_run(request.auth, run.pk)))


@router.get("/runs/{run_id}", response=RunOut)
def get_run(request, run_id: RecordId):
    return _run(queries.get_run(request.auth, run_id))


class RegenerateIn(Schema):
    format: Fmt = ""


@router.post("/runs/{run_id}/regenerate", response={201: RunOut})
def regenerate(request, run_id: RecordId, payload: RegenerateIn):
    """A new run of the same report as known on the same moment (the same figures)."""
    run = queries.get_run(request.auth, run_id)
    new = services.regenerate(request.auth, run, fmt=payload.format or None)
    return Status(201, _run(queries.get_run(request.auth, new.pk)))


@router.get("/runs/{run_id}/file")
def download(request, run_id: RecordId):
    run = queries.get_run(request.auth, run_id)
    if run.status != RunStatus.DONE or not run.file:
        raise Http404("报告文件尚未生成")
    services.record_download(request.auth, run)
    return FileResponse(run.file.open("rb"), as_attachment=True, filename=run.file_name,
                        content_type=CONTENT_TYPES.get(run.format, "application/octet-stream"))


class ScheduleOut(Schema):
    id: int
    kind: str
    region_code: str
    region_name: str
    format: str
    cadence: str
    next_run_on: datetime.date
    is_active: bool


def _schedule(s) -> dict:
    return dict(id=s.pk, kind=s.kind, region_code=s.region_id, region_name=s.region.name, format=s.format,
                cadence=s.cadence, next_run_on=s.next_run_on, is_active=s.is_active)


@router.get("/schedules", response=list[ScheduleOut])
def list_schedules(request):
    return [_schedule(s) for s in queries.schedules_visible_to(request.auth).order_by("next_run_on", "id")[:500]]


class ScheduleIn(Schema):
    kind: Kind
    region_code: RegionCode = ""
    format: Fmt = ReportFormat.XLSX
    cadence: text(8) = ""
    next_run_on: ApiDate | None = None


@router.post("/schedules", response={201: ScheduleOut})
def create_schedule(request, payload: ScheduleIn):
    s = services.create_schedule(request.auth, payload.kind, payload.region_code or None, payload.format,
                                 cadence=payload.cadence, next_run_on=payload.next_run_on)
    return Status(201, _schedule(queries.get_schedule(request.auth, s.pk)))


class ActiveIn(Schema):
    is_active: bool


@router.post("/schedules/{schedule_id}/active", response=ScheduleOut)
def set_active(request, schedule_id: RecordId, payload: ActiveIn):
    s = queries.get_schedule(request.auth, schedule_id)
    services.set_schedule_active(request.auth, s, payload.is_active)
    return _schedule(queries.get_schedule(request.auth, schedule_id))
