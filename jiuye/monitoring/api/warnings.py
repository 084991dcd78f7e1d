"""API of the warning board under /api/v1/monitoring/warnings: the list (the board's query: count, sort,
filters), one warning with its history and linked registrations (identity numbers masked), and the
handling steps (acknowledge, note, close with the response). Thin handlers over
``monitoring.queries.warnings`` and ``monitoring.services.warnings``."""
from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from ninja import Query, Router, Schema, Status

from jiuye.accounts import roles
from jiuye.apitypes import ApiDate, Limit, Offset, RecordId, RegionCodeFilter, SearchText, text
from jiuye.monitoring.models import WarningKind, WarningLevel
from jiuye.monitoring.queries import warnings as queries
from jiuye.monitoring.services import warnings as services
from jiuye.registry.identity import mask_id_number

router = Router(tags=["monitoring-warnings"])


class ErrorOut(Schema):
    detail: str


class WarningOut(Schema):
    id: int
    kind: str
    kind_label: str
    key: str
    level: str
    level_label: str
    status: str
    status_label: str
    title: str
    detail: str
    region_code: str
    region_name: str
    since: datetime.date
    raised_at: datetime.datetime
    updated_at: datetime.datetime
    employer_id: int | None
    employer_name: str
    report_id: int | None
    acknowledged_by: str
    acknowledged_at: datetime.datetime | None
    response: str
    closed_by: str
    closed_at: datetime.datetime | None
    facts: dict


class WarningPage(Schema):
    items: list[WarningOut]
    count: int
    has_more: bool
    limit: int
    offset: int


class EventOut(Schema):
    action: str
    action_label: str
    level: str
    note: str
    actor: str
    at: datetime.datetime


class LinkOut(Schema):
    registration_id: int
    person_id: int
    person_name: str
    id_number_masked: str
    effective_date: datetime.date
    unemployment_reason: str
    registered_in: str


class WarningDetailOut(WarningOut):
    events: list[EventOut]
    registrations: list[LinkOut]


class NoteIn(Schema):
    note: text(2000, multiline=True) = ""


class CloseIn(Schema):
    response: text(2000, multiline=True) = ""


class CountsOut(Schema):
    total: int
    by_level: dict[str, int]
    by_kind: dict[str, dict[str, int]]


def _name(user) -> str:
    return (getattr(user, "display_name", "") or user.get_username()) if user is not None else ""


def warning_out(w) -> dict:
    return dict(id=w.pk, kind=w.kind, kind_label=str(w.get_kind_display()), key=w.key, level=w.level,
                level_label=str(w.get_level_display()), status=w.status, status_label=str(w.get_status_display()),
                title=w.title, detail=w.detail, region_code=w.region_id, region_name=w.region.name, since=w.since,
                raised_at=w.raised_at, updated_at=w.updated_at, employer_id=w.employer_id,
                employer_name=w.employer.name if w.employer_id else "", report_id=w.report_id,
                acknowledged_by=_name(w.acknowledged_by), acknowledged_at=w.acknowledged_at, response=w.response,
                closed_by=_name(w.closed_by), closed_at=w.closed_at, facts=w.facts or {})


def detail_out(w) -> WarningDetailOut:
    events = [EventOut(action=e.action, action_label=str(e.get_action_display()), level=e.level, note=e.note,
                       actor=_name(e.actor), at=e.at) for e in queries.events_of(w)]
    links = [LinkOut(registration_id=link.registration_id, person_id=link.registration.person_id,
                     person_name=link.registration.person.name,
                     id_number_masked=mask_id_number(link.registration.person.id_number),
                     effective_date=link.registration.effective_date,
                     unemployment_reason=link.registration.unemployment_reason,
                     registered_in=link.registration.registered_in_id) for link in queries.links_of(w)]
    return WarningDetailOut(**warning_out(w), events=events, registrations=links)


def _reader(request):
    if not roles.can_read_monitoring(request.auth):
        raise PermissionDenied("您的角色无权查看监测预警")


@router.get("/warnings", response={200: WarningPage, 400: ErrorOut, 403: ErrorOut}, summary="预警看板：预警列表")
def list_warnings(request, kind: text(16) = Query("", description="、".join(WarningKind.values)),
                  level: text(8) = Query("", description="、".join(WarningLevel.values)),
                  status: text(16) = Query("active", description="active（未办结，默认）、open、acknowledged、closed、all"),
                  region: RegionCodeFilter = "", date_from: ApiDate | None = None, date_to: ApiDate | None = None,
                  q: SearchText = "", sort: text(32) = Query("", description="排序：" + "、".join(queries.WARNING_SORTS)),
                  limit: Limit = 50, offset: Offset = 0):
    _reader(request)
    if kind and kind not in WarningKind.values:
        return Status(400, {"detail": f"预警类型“{kind}”无效"})
    if level and level not in WarningLevel.values:
        return Status(400, {"detail": f"预警等级“{level}”无效"})
    if status and status not in queries.STATUS_FILTERS:
        return Status(400, {"detail": f"状态“{status}”无效"})
    s = queries.WarningSearch(kind=kind, level=level, status=status or queries.ACTIVE, region_code=region,
                              date_from=date_from, date_to=date_to, text=q, sort=sort, limit=limit, offset=offset)
    try:
        rows, has_more = queries.search_warnings(request.auth, s)
        count = queries.count_warnings(request.auth, s)
    except ValueError as exc:
        return Status(400, {"detail": str(exc)})
    return {"items": [warning_out(w) for w in rows], "count": count, "has_more": has_more, "limit": limit,
            "offset": offset}


@router.get("/warnings/counts", response={200: CountsOut, 403: ErrorOut}, summary="未办结预警按等级和类型统计")
def warning_counts(request):
    _reader(request)
    return queries.level_counts(request.auth)


@router.get("/warnings/{warning_id}", response={200: WarningDetailOut, 403: ErrorOut, 404: ErrorOut}, summary="预警详情")
def get_warning(request, warning_id: RecordId):
    _reader(request)
    return detail_out(queries.get_warning(request.auth, warning_id))


def _act(request, warning_id: int, action, text: str):
    """One handling step (acknowledge, note, close) on a warning in scope; answers with the warning as it is now."""
    _reader(request)
    action(request.auth, queries.get_warning(request.auth, warning_id), text)
    return detail_out(queries.get_warning(request.auth, warning_id))


@router.post("/warnings/{warning_id}/acknowledge", response={200: WarningDetailOut, 403: ErrorOut, 404: ErrorOut, 422: dict},
             summary="认领预警")
def acknowledge(request, warning_id: RecordId, payload: NoteIn):
    return _act(request, warning_id, services.acknowledge, payload.note)


@router.post("/warnings/{warning_id}/notes", response={200: WarningDetailOut, 403: ErrorOut, 404: ErrorOut, 422: dict},
             summary="记录处置情况")
def add_note(request, warning_id: RecordId, payload: NoteIn):
    return _act(request, warning_id, services.add_note, payload.note)


@router.post("/warnings/{warning_id}/close", response={200: WarningDetailOut, 403: ErrorOut, 404: ErrorOut, 422: dict},
             summary="办结预警（须填写处置措施）")
def close(request, warning_id: RecordId, payload: CloseIn):
    return _act(request, warning_id, services.close, payload.response)
