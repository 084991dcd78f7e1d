"""Relocation communities (易地扶贫搬迁安置社区): flag a community and edit its resettlement facts.

District (and city) officers flag a community of their scope as a relocation community, edit the
project name, households and persons relocated, since when, note, and unflag it (取消标记: with a
reason and the date from which it leaves the list; the row is kept so that the ledgers of an earlier
date stay reproducible; flagging it again puts it back on the list). Scope -> validate (every mistake at
once) -> one transaction -> audit (object type ``relocation_community``). Nothing else reacts: the
ledgers are read from the registry (``assistance.queries.ledgers``).
"""
from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import audit
from jiuye.accounts.models import AuditEntry, Role
from jiuye.accounts.scoping import in_scope
from jiuye.assistance.models import RelocationCommunity
from jiuye.regions.codes import pad
from jiuye.regions.models import Region

#: Roles that flag and edit relocation communities (every staff role reads the ledgers).
RELOCATION_EDITORS = {Role.DISTRICT_OFFICER, Role.CITY_OFFICER}
FIELDS = ["project_name", "households_relocated", "persons_relocated", "since", "note"]


def can_edit_relocation(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active
                and (user.is_superuser or user.role in RELOCATION_EDITORS))


def _ensure_role(actor) -> None:
    if not can_edit_relocation(actor):
        raise PermissionDenied(_("您的角色无权标记易地搬迁安置社区（区县、市人社局工作人员办理）"))


def _community(actor, value) -> Region | None:
    if isinstance(value, Region):
        return value
    try:
        code = pad(str(value or "").strip())
    except ValueError:
        return None
    region = Region.objects.filter(code=code).first()
    return region if region is not None and in_scope(actor, region.code) else None


def _errors(values: dict, *, today: datetime.date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    name = (values.get("project_name") or "").strip()
    if not name:
        errors["project_name"] = [_("请填写搬迁安置项目名称")]
    elif len(name) > 128:
        errors["project_name"] = [_("搬迁安置项目名称不能超过128个字符")]
    for key, label in (("households_relocated", _("搬迁户数")), ("persons_relocated", _("搬迁人数"))):
        value = values.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 1_000_000):
            errors[key] = [_("%(f)s“%(v)s”无效：应为0至1000000的整数") % {"f": label, "v": value}]
    h, p = values.get("households_relocated"), values.get("persons_relocated")
    if isinstance(h, int) and isinstance(p, int) and "households_relocated" not in errors and "persons_relocated" not in errors and p < h:
        errors["persons_relocated"] = [_("搬迁人数（%(p)d）少于搬迁户数（%(h)d）") % {"p": p, "h": h}]
    since = values.get("since")
    if since is not None and since > today:
        errors["since"] = [_("搬迁入住时间 %(d)s 晚于今天") % {"d": since.isoformat()}]
    if len(values.get("note") or "") > 255:
        errors["note"] = [_("备注不能超过255个字符")]
    return errors


def _clean(values: dict) -> dict:
    out = {k: values.get(k) for k in FIELDS}
    out["project_name"] = (out["project_name"] or "").strip()
    out["note"] = (out["note"] or "").strip()
    return out


@transaction.atomic
def flag_community(*, actor, region, project_name: str, households_relocated: int | None = None,
                   persons_relocated: int | None = None, since: datetime.date | None = None,
                   note: str = "") -> RelocationCommunity:
    """Flag ``region`` (a community/village in the actor's scope) as a relocation community."""
    _ensure_role(actor)
    values = {"project_name": project_name, "households_relocated": households_relocated,
              "persons_relocated": persons_relocated, "since": since, "note": note}
    errors = _errors(values, today=timezone.localdate())
    community = _community(actor, region)
    existing = None
    if community is None or community.level != Region.Level.COMMUNITY:
        errors.setdefault("region", []).append(_("请选择本辖区内的社区/村"))
    else:
        existing = RelocationCommunity.objects.select_for_update().filter(region=community).first()
        if existing is not None and existing.ended_on is None:
            errors.setdefault("region", []).append(_("%(n)s已标记为易地搬迁安置社区") % {"n": community.name})
    if errors:
        raise ValidationError(errors)
    values = _clean(values)
    if existing is not None:
        # Flagged again after it was unflagged: back on the list (the earlier end is in the audit log).
        before = {k: getattr(existing, k) for k in FIELDS} | {
            "ended_on": existing.ended_on, "end_reason": existing.end_reason}
        for k, v in values.items():
            setattr(existing, k, v)
        existing.ended_on, existing.end_reason, existing.ended_by, existing.ended_at = None, "", None, None
        existing.save()
        audit.record(actor, AuditEntry.Action.UPDATE, object_type="relocation_community", object_id=community.code,
                     object_label=community.name, region_code=community.code,
                     changes=audit.diff(before, values | {"ended_on": None, "end_reason": ""}),
                     summary=_("重新标记易地搬迁安置社区：%(n)s（%(p)s）") % {"n": community.name, "p": values["project_name"]})
        return existing
    row = RelocationCommunity.objects.create(region=community, created_by=actor, **values)
    audit.record(actor, AuditEntry.Action.CREATE, object_type="relocation_community", object_id=community.code,
                 object_label=community.name, region_code=community.code,
                 changes={k: [None, v] for k, v in values.items() if v not in (None, "")},
                 summary=_("标记易地搬迁安置社区：%(n)s（%(p)s）") % {"n": community.name, "p": values["project_name"]})
    return row


@transaction.atomic
def update_community(*, actor, community: RelocationCommunity, **changes) -> RelocationCommunity:
    """Edit a relocation community's facts (only the fields given change)."""
    _ensure_role(actor)
    if not in_scope(actor, community.region_id):
        raise PermissionDenied(_("该社区不在您的管辖范围内"))
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValidationError({k: [_("不可修改的字段")] for k in sorted(unknown)})
    row = RelocationCommunity.objects.select_for_update().get(pk=community.pk)
    values = {k: getattr(row, k) for k in FIELDS}
    values.update(changes)
    errors = _errors(values, today=timezone.localdate())
    if errors:
        raise ValidationError(errors)
    values = _clean(values)
    before = {k: getattr(row, k) for k in FIELDS}
    diff = audit.diff(before, values)
    if diff:
        for k, v in values.items():
            setattr(row, k, v)
        row.save()
        audit.record(actor, AuditEntry.Action.UPDATE, object_type="relocation_community", object_id=row.region_id,
                     object_label=row.region.name, region_code=row.region_id, changes=diff,
                     summary=_("修改易地搬迁安置社区：%(n)s") % {"n": row.region.name})
    return row


@transaction.atomic
def end_community(*, actor, community: RelocationCommunity, reason: str,
                  ended_on: datetime.date | None = None) -> RelocationCommunity:
    """Unflag a relocation community (取消标记): from ``ended_on`` (default today) it is no longer on
    the list of relocation communities nor in the ledgers; the row stays (with the date, the reason,
    who and when), so the list and ledgers of an earlier date are unchanged."""
    _ensure_role(actor)
    if not in_scope(actor, community.region_id):
        raise PermissionDenied(_("该社区不在您的管辖范围内"))
    row = RelocationCommunity.objects.select_for_update().select_related("region").get(pk=community.pk)
    today = timezone.localdate()
    ended_on = ended_on or today
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if row.ended_on is not None:
        errors["region"] = [_("%(n)s已于%(d)s取消标记") % {"n": row.region.name, "d": row.ended_on.isoformat()}]
    if not reason:
        errors["reason"] = [_("请填写取消标记的原因")]
    elif len(reason) > 255:
        errors["reason"] = [_("取消标记原因不能超过255个字符")]
    if ended_on > today:
        errors["ended_on"] = [_("取消标记日期 %(d)s 晚于今天") % {"d": ended_on.isoformat()}]
    elif row.since is not None and ended_on <= row.since:
        errors["ended_on"] = [_("取消标记日期 %(d)s 不晚于搬迁入住时间 %(s)s") % {
            "d": ended_on.isoformat(), "s": row.since.isoformat()}]
    if errors:
        raise ValidationError(errors)
    row.ended_on, row.end_reason, row.ended_by, row.ended_at = ended_on, reason, actor, timezone.now()
    row.save()
    audit.record(actor, AuditEntry.Action.UPDATE, object_type="relocation_community", object_id=row.region_id,
                 object_label=row.region.name, region_code=row.region_id,
                 changes={"ended_on": [None, ended_on.isoformat()], "end_reason": ["", reason]},
                 summary=_("取消标记易地搬迁安置社区：%(n)s（自%(d)s起，原因：%(r)s）") % {
                     "n": row.region.name, "d": ended_on.isoformat(), "r": reason})
    return row
