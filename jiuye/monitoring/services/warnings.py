"""Writes of the warning board: raise (or update) a warning, link records to it, acknowledge, note, close.

``raise_warning`` is the one door every part uses: it is called inside the transaction of whatever found
the condition (a report's save, a registration's receiver, a daily evaluation), so the warning exists the
moment the request that crossed the line returns. Raising the same ``(kind, key)`` again while the warning
is not closed updates it: a higher level escalates it (an event), a lower or equal level only refreshes the
figures. Handling (acknowledge, note, close) needs ``roles.can_handle_warnings`` and the warning's region
in the user's scope; every step is a ``WarningEvent`` and an audit entry.
"""
from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import audit, roles
from jiuye.accounts.models import AuditEntry
from jiuye.accounts.scoping import OutOfScope, in_scope
from jiuye.monitoring.models import (LEVEL_RANK, Warning, WarningEvent, WarningLevel, WarningLink, WarningStatus)

OBJECT_TYPE = "warning"
MAX_TEXT = 2000


def raise_warning(*, kind: str, key: str, region_id: str, level: str, title: str, since: datetime.date,
                  detail: str = "", facts: dict | None = None, employer_id: int | None = None,
                  report_id: int | None = None, actor=None) -> tuple[Warning, str]:
    """Open a warning, or update the active one of ``(kind, key)``. Returns ``(warning, what)`` where what is
    "raised", "escalated" or "updated". Call it inside the transaction that found the condition."""
    if level not in LEVEL_RANK:
        raise ValueError(f"unknown warning level {level!r}")
    now = timezone.now()
    with transaction.atomic():
        current = (Warning.objects.select_for_update().filter(kind=kind, key=key)
                   .exclude(status=WarningStatus.CLOSED).first())
        if current is None:
            warning = Warning.objects.create(
                kind=kind, key=key, region_id=region_id, level=level, title=title[:128], detail=detail,
                facts=audit.json_safe(facts or {}), since=since, raised_at=now, updated_at=now,
                employer_id=employer_id, report_id=report_id)
            WarningEvent.objects.create(warning=warning, action=WarningEvent.Action.RAISED, level=level,
                                        note=detail[:MAX_TEXT], actor=_actor(actor), at=now)
            audit.record(actor, AuditEntry.Action.CREATE, object_type=OBJECT_TYPE, object_id=warning.pk,
                         object_label=warning.title, region_code=region_id, summary=_("发出预警"))
            return warning, "raised"
        escalated = LEVEL_RANK[level] > LEVEL_RANK.get(current.level, 0)
        current.title = title[:128]
        current.detail = detail
        current.facts = audit.json_safe(facts or {})
        current.updated_at = now
        if employer_id is not None:
            current.employer_id = employer_id
        if report_id is not None:
            current.report_id = report_id
        if escalated:
            current.level = level
        current.save(update_fields=["title", "detail", "facts", "updated_at", "employer", "report", "level"])
        if escalated:
            WarningEvent.objects.create(warning=current, action=WarningEvent.Action.ESCALATED, level=level,
                                        note=detail[:MAX_TEXT], actor=_actor(actor), at=now)
        return current, "escalated" if escalated else "updated"


def link_registrations(warning: Warning, registration_ids) -> int:
    """Tie unemployment registrations to a warning (idempotent). Returns how many links are new."""
    existing = set(WarningLink.objects.filter(warning=warning).values_list("registration_id", flat=True))
    new = [WarningLink(warning=warning, registration_id=rid) for rid in registration_ids if rid not in existing]
    WarningLink.objects.bulk_create(new)
    return len(new)


def _actor(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def _check(user, warning: Warning) -> None:
    if not roles.can_handle_warnings(user):
        raise OutOfScope(_("您的角色无权处置预警"))
    if not in_scope(user, warning.region_id):
        raise OutOfScope(_("记录不存在或不在您的管辖范围内"))


def _text(value: str, field: str, label: str, *, required: bool) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: _("请填写%(label)s") % {"label": label}})
    if len(text) > MAX_TEXT:
        raise ValidationError({field: _("%(label)s不能超过%(n)s个字") % {"label": label, "n": MAX_TEXT}})
    return text


def _locked(warning_id: int) -> Warning:
    return Warning.objects.select_for_update().get(pk=warning_id)


def acknowledge(user, warning: Warning, note: str = "") -> Warning:
    """认领: the user takes the warning on; only an open warning can be acknowledged."""
    _check(user, warning)
    note = _text(note, "note", _("认领说明"), required=False)
    with transaction.atomic():
        w = _locked(warning.pk)
        if w.status != WarningStatus.OPEN:
            raise ValidationError({"status": _("该预警已被认领或已办结")})
        w.status, w.acknowledged_by, w.acknowledged_at = WarningStatus.ACKNOWLEDGED, user, timezone.now()
        w.save(update_fields=["status", "acknowledged_by", "acknowledged_at"])
        WarningEvent.objects.create(warning=w, action=WarningEvent.Action.ACKNOWLEDGED, note=note, actor=user)
        audit.record(user, AuditEntry.Action.UPDATE, object_type=OBJECT_TYPE, object_id=w.pk, object_label=w.title,
                     region_code=w.region_id, changes={"status": WarningStatus.ACKNOWLEDGED}, summary=_("认领预警"))
    return w


def add_note(user, warning: Warning, note: str) -> Warning:
    """处置记录: what was done so far, on a warning that is not closed."""
    _check(user, warning)
    note = _text(note, "note", _("处置记录"), required=True)
    with transaction.atomic():
        w = _locked(warning.pk)
        if w.status == WarningStatus.CLOSED:
            raise ValidationError({"status": _("该预警已办结")})
        WarningEvent.objects.create(warning=w, action=WarningEvent.Action.NOTE, note=note, actor=user)
        audit.record(user, AuditEntry.Action.UPDATE, object_type=OBJECT_TYPE, object_id=w.pk, object_label=w.title,
                     region_code=w.region_id, summary=_("记录预警处置情况"))
    return w


def close(user, warning: Warning, response: str) -> Warning:
    """办结: close an acknowledged warning with the response taken (required)."""
    _check(user, warning)
    response = _text(response, "response", _("处置措施"), required=True)
    with transaction.atomic():
        w = _locked(warning.pk)
        if w.status == WarningStatus.CLOSED:
            raise ValidationError({"status": _("该预警已办结")})
        if w.status != WarningStatus.ACKNOWLEDGED:
            raise ValidationError({"status": _("请先认领该预警，再办结")})
        w.status, w.response, w.closed_by, w.closed_at = WarningStatus.CLOSED, response, user, timezone.now()
        w.save(update_fields=["status", "response", "closed_by", "closed_at"])
        WarningEvent.objects.create(warning=w, action=WarningEvent.Action.CLOSED, note=response, actor=user)
        audit.record(user, AuditEntry.Action.UPDATE, object_type=OBJECT_TYPE, object_id=w.pk, object_label=w.title,
                     region_code=w.region_id, changes={"status": WarningStatus.CLOSED}, summary=_("办结预警"))
    return w


__all__ = ["raise_warning", "link_registrations", "acknowledge", "add_note", "close", "WarningLevel"]
