"""Account endpoints: who am I, the audit log."""
from __future__ import annotations

import datetime

from ninja import Router, Schema
from ninja.errors import HttpError

from jiuye.accounts import roles
from jiuye.apitypes import ApiDate, Limit, Offset, text
from jiuye.accounts.queries import AuditSearch, search_audit

router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    display_name: str
    role: str
    role_label: str
    region_code: str | None
    region_name: str | None


@router.get("/me", response=MeOut, summary="当前用户")
def me(request):
    u = request.auth
    return MeOut(
        username=u.username, display_name=u.display_name or u.username, role=u.role, role_label=str(u.get_role_display()),
        region_code=u.region_id, region_name=u.region.name if u.region_id else None,
    )


class AuditOut(Schema):
    id: int
    at: datetime.datetime
    actor_name: str
    action: str
    object_type: str
    object_id: str
    object_label: str
    region_code: str
    summary: str
    changes: dict
    ip_address: str | None = None
    channel: str


class AuditPage(Schema):
    items: list[AuditOut]
    has_more: bool


@router.get("/audit", response=AuditPage, summary="审计日志（审计员、区县及市级人员）")
def audit_log(request, actor: text(150) = "", object_type: text(32) = "", object_id: text(64) = "",
              action: text(32) = "", date_from: ApiDate | None = None, date_to: ApiDate | None = None,
              limit: Limit = 50, offset: Offset = 0):
    if not roles.can_read_audit(request.auth):
        raise HttpError(403, "您的角色无权查看审计日志")
    rows, has_more = search_audit(request.auth, AuditSearch(
        actor=actor, object_type=object_type, object_id=object_id, action=action, date_from=date_from,
        date_to=date_to, limit=limit, offset=offset))
    return AuditPage(items=[AuditOut.from_orm(r) for r in rows], has_more=has_more)
