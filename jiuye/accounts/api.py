"""Account endpoints: who am I, the audit log."""
from __future__ import annotations

import datetime

from ninja import Query, Router, Schema
from ninja.errors import HttpError

from jiuye.accounts import roles
from jiuye.registry.queries import audit_entries_visible_to

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
def audit_log(request, actor: str = "", object_type: str = "", object_id: str = "", action: str = "",
              limit: int = Query(50, le=500), offset: int = 0):
    if not roles.can_read_audit(request.auth):
        raise HttpError(403, "您的角色无权查看审计日志")
    qs = audit_entries_visible_to(request.auth)
    if actor:
        qs = qs.filter(actor_name=actor)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if action:
        qs = qs.filter(action=action)
    rows = list(qs[offset : offset + limit + 1])
    return AuditPage(items=[AuditOut.from_orm(r) for r in rows[:limit]], has_more=len(rows) > limit)
