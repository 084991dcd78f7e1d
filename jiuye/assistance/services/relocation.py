"""Relocation communities (易地扶贫搬迁安置社区): flag a community and edit its resettlement facts.

District (and city) officers flag a community of their scope as a relocation community and edit the
project name, households and persons relocated, since when, note. Scope -> validate (every mistake at
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
    if community is None or community.level != Region.Level.COMMUNITY:
        errors.setdefault("region", []).append(_("请选择本辖区内的社区/村"))
    elif RelocationCommunity.objects.filter(region=community).exists():
        errors.setdefault("region", []).append(_("%(n)s已标记为易地搬迁安置社区") % {"n": community.name})
    if errors:
        raise ValidationError(errors)
    values = _clean(values)
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
