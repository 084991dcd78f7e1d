"""Writes of the enterprise sample (重点企业用工监测 and 失业动态监测): enrol an employer from a month, take it
out from a month with a reason, record a chase (催报) of a missing or late report.

The sample is a history: enrolling makes a ``MonitoredEnterprise`` row (the span starts), leaving closes it
(``left_on``, the first month it no longer reports, with a reason); enrolling the same employer again later
opens a new span. Managing the sample needs ``roles.can_manage_monitoring`` and the employer in the user's
scope; chasing needs ``roles.can_enter_enterprise_reports``. An employer or enterprise outside the scope
answers like one that does not exist.
"""
from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import audit, roles
from jiuye.accounts.models import AuditEntry
from jiuye.accounts.scoping import OutOfScope, in_scope
from jiuye.monitoring.models import EnterpriseReport, MonitoredEnterprise, ReportReminder
from jiuye.monitoring.periods import month_start
from jiuye.registry.identity import IdentityError, parse_phone
from jiuye.registry.models import Employer

OBJECT_TYPE = "monitored_enterprise"
NOT_FOUND = "记录不存在或不在您的管辖范围内"
REMINDER_CHANNELS = {"phone": "电话", "message": "短信", "visit": "上门", "portal": "系统通知", "other": "其他"}


def _month(value, field: str, label: str, errors: dict) -> datetime.date | None:
    if value is None or value == "":
        errors.setdefault(field, []).append(_("请填写%(l)s") % {"l": label})
        return None
    if isinstance(value, datetime.datetime):
        value = value.date()
    return month_start(value)


def enrol(user, *, employer_id: int, joined_on: datetime.date, contact_name: str = "", contact_phone: str = "",
          today: datetime.date | None = None) -> MonitoredEnterprise:
    """纳入监测: the employer reports from the month of ``joined_on`` on."""
    if not roles.can_manage_monitoring(user):
        raise OutOfScope(_("您的角色无权管理监测企业"))
    employer = Employer.objects.filter(pk=employer_id).first()
    if employer is None or not in_scope(user, employer.region_id):
        raise OutOfScope(_(NOT_FOUND))
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    month = _month(joined_on, "joined_on", _("纳入监测月份"), errors)
    if month is not None and month > month_start(today) + relativedelta(months=1):
        errors.setdefault("joined_on", []).append(
            _("纳入监测月份%(m)s晚于下月，只能从本月或下月起纳入") % {"m": f"{month:%Y-%m}"})
    contact_name = (contact_name or "").strip()
    if not contact_name:
        errors.setdefault("contact_name", []).append(_("请填写监测联系人"))
    elif len(contact_name) > 64:
        errors.setdefault("contact_name", []).append(_("监测联系人不能超过64个字"))
    phone = (contact_phone or "").strip()
    if phone:
        try:
            phone = parse_phone(phone)
        except IdentityError as exc:
            errors.setdefault("contact_phone", []).append(str(exc))
    if MonitoredEnterprise.objects.filter(employer=employer, left_on__isnull=True).exists():
        errors.setdefault("employer_id", []).append(_("“%(n)s”已在监测企业名单中") % {"n": employer.name})
    last = MonitoredEnterprise.objects.filter(employer=employer).exclude(left_on=None).order_by("-left_on").first()
    if month is not None and last is not None and month < last.left_on:
        errors.setdefault("joined_on", []).append(
            _("该单位上一次监测到%(m)s前为止，重新纳入应从%(m)s起") % {"m": f"{last.left_on:%Y-%m}"})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        enterprise = MonitoredEnterprise.objects.create(
            employer=employer, region_id=employer.region_id, joined_on=month, contact_name=contact_name,
            contact_phone=phone, added_by=user if getattr(user, "is_authenticated", False) else None)
        audit.record(user, AuditEntry.Action.CREATE, object_type=OBJECT_TYPE, object_id=enterprise.pk,
                     object_label=employer.name, region_code=employer.region_id,
                     changes={"joined_on": f"{month:%Y-%m}", "contact_name": contact_name},
                     summary=_("纳入监测企业"))
    return enterprise


def leave(user, enterprise: MonitoredEnterprise, *, left_on: datetime.date, reason: str) -> MonitoredEnterprise:
    """退出监测: from the month of ``left_on`` on the enterprise no longer reports (months already reported stay)."""
    if not roles.can_manage_monitoring(user):
        raise OutOfScope(_("您的角色无权管理监测企业"))
    if not in_scope(user, enterprise.region_id):
        raise OutOfScope(_(NOT_FOUND))
    errors: dict[str, list[str]] = {}
    month = _month(left_on, "left_on", _("退出监测月份"), errors)
    reason = (reason or "").strip()
    if not reason:
        errors.setdefault("reason", []).append(_("请填写退出原因"))
    elif len(reason) > 128:
        errors.setdefault("reason", []).append(_("退出原因不能超过128个字"))
    if enterprise.left_on is not None:
        errors.setdefault("left_on", []).append(_("该企业已于%(m)s退出监测") % {"m": f"{enterprise.left_on:%Y-%m}"})
    elif month is not None:
        if month <= enterprise.joined_on:
            errors.setdefault("left_on", []).append(
                _("退出月份%(m)s应晚于纳入月份%(j)s") % {"m": f"{month:%Y-%m}", "j": f"{enterprise.joined_on:%Y-%m}"})
        last = (EnterpriseReport.objects.filter(enterprise=enterprise, is_current=True).order_by("-month")
                .values_list("month", flat=True).first())
        if last is not None and month <= last:
            errors.setdefault("left_on", []).append(
                _("该企业已报送%(l)s的月报，退出月份应在%(l)s之后") % {"l": f"{last:%Y-%m}"})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        enterprise.left_on, enterprise.leave_reason = month, reason
        enterprise.save(update_fields=["left_on", "leave_reason"])
        audit.record(user, AuditEntry.Action.UPDATE, object_type=OBJECT_TYPE, object_id=enterprise.pk,
                     object_label=str(enterprise.employer), region_code=enterprise.region_id,
                     changes={"left_on": f"{month:%Y-%m}", "leave_reason": reason}, summary=_("退出监测企业"))
    return enterprise


def record_reminder(user, enterprise: MonitoredEnterprise, *, month: datetime.date, channel: str,
                    note: str = "") -> ReportReminder:
    """催报: a chase of the report of ``month`` (by phone, message, visit ...), with what was said."""
    if not roles.can_enter_enterprise_reports(user):
        raise OutOfScope(_("您的角色无权催报"))
    if not in_scope(user, enterprise.region_id):
        raise OutOfScope(_(NOT_FOUND))
    errors: dict[str, list[str]] = {}
    month = _month(month, "month", _("催报月份"), errors)
    if channel not in REMINDER_CHANNELS:
        errors.setdefault("channel", []).append(
            _("催报方式“%(c)s”无效（可选：%(o)s）") % {"c": channel, "o": "、".join(REMINDER_CHANNELS.values())})
    note = (note or "").strip()
    if len(note) > 255:
        errors.setdefault("note", []).append(_("催报情况不能超过255个字"))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        reminder = ReportReminder.objects.create(enterprise=enterprise, month=month, channel=channel, note=note,
                                                 sent_by=user)
        audit.record(user, AuditEntry.Action.CREATE, object_type="report_reminder", object_id=reminder.pk,
                     object_label=f"{enterprise.employer} {month:%Y-%m}", region_code=enterprise.region_id,
                     changes={"month": f"{month:%Y-%m}", "channel": channel, "note": note}, summary=_("催报企业月报"))
    return reminder
