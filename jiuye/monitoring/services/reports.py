"""Writes of the monthly reports (企业用工月报) and the mass-layoff warning a report raises.

``submit_report`` is the one way a report is stored, whoever enters it: the employer in its portal (an
employer user for its own enrolled enterprise), staff (``roles.can_enter_enterprise_reports``, in scope),
the API, the import (``importers/reports.py`` calls ``check_report`` and ``write_report``, the same code).
Every field is checked at once (``check_report``):

- the month lies in the enterprise's span in the sample and is not after the current month;
- the report balances: end = start + additions − reductions, or it is refused with the difference
  ("月末人数应为 X，填报为 Y，相差 Z") and nothing is stored;
- the start headcount equals the previous month's end (its current report), unless the note explains why
  (a merger, a transfer of staff, an earlier mistake): otherwise refused with both figures;
- a second report for the same month is a correction: a new version that needs a reason; the old one stays
  with ``is_current`` False.

In the same transaction as the save, ``evaluate_layoff`` applies the mass-layoff line of the month
(``rules.is_mass_layoff``) and raises the warning through ``services.warnings.raise_warning`` (one per
employer and month); a correction that brings the layoffs under the line updates the open warning's figures
and leaves it for a person to close. Unemployment registrations already recorded that name the employer
with a layoff reason, within the registration window around the month, are linked to the warning.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import audit, roles
from jiuye.accounts.models import AuditEntry
from jiuye.accounts.scoping import OutOfScope, in_scope
from jiuye.monitoring import rules
from jiuye.monitoring.models import (AdditionReason, EnterpriseReport, EnterpriseReportLine, MonitoredEnterprise,
                                     ReductionReason, ReductionType, ReportChannel, Warning, WarningStatus)
from jiuye.monitoring.periods import month_start
from jiuye.monitoring.queries.reports import due_on
from jiuye.monitoring.services import warnings as warning_services
from jiuye.parameters import ParameterError, params

from jiuye.registry import queries as registry_queries
from jiuye.registry.models import Registration

OBJECT_TYPE = "enterprise_report"
NOT_FOUND = "记录不存在或不在您的管辖范围内"
MAX_COUNT = 1_000_000
WARNING_KIND = "mass_layoff"
LEVELS = ("yellow", "orange", "red")


@dataclass
class ReportData:
    """One month's report as entered: additions by reason, reductions by (type, reason)."""

    month: datetime.date | None
    start_headcount: int | None
    end_headcount: int | None = None  # None: computed from the lines (the form always asks for it)
    additions: dict[str, int] = field(default_factory=dict)
    reductions: dict[tuple[str, str], int] = field(default_factory=dict)
    note: str = ""
    correction_reason: str = ""


@dataclass
class Submitted:
    report: EnterpriseReport
    warning: Warning | None = None
    warning_action: str = ""  # "raised", "escalated", "updated" or ""
    linked: int = 0

    @property
    def message(self) -> str:
        """What the answer of the save says (the web message and the API's ``message``)."""
        r = self.report
        text = (_("%(m)s月报已保存（第%(v)s版）") % {"m": f"{r.month.year}年{r.month.month}月", "v": r.version})
        if self.warning is not None and self.warning_action in ("raised", "escalated"):
            text += _("；裁员%(n)s人达到规模性裁员预警线，已发出%(l)s预警") % {
                "n": r.layoffs, "l": self.warning.get_level_display()}
        elif self.warning is not None:
            text += _("；已更新该企业本月的规模性裁员预警（%(s)s）") % {"s": self.warning.get_status_display()}
        return text


def layoff_level(layoffs: int, p) -> str:
    """The warning's level by the size of the layoff: ``monitoring.layoff.level_people`` are the lower bounds of
    yellow, orange and red; a layoff at the line but under the first bound is blue."""
    level = "blue"
    for name, bound in zip(LEVELS, p["monitoring.layoff.level_people"]):
        if layoffs >= int(bound):
            level = name
    return level


def _count(value, field_name: str, label: str, errors: dict) -> int:
    if value in (None, ""):
        return 0
    try:
        n = int(value)
    except (TypeError, ValueError):
        errors.setdefault(field_name, []).append(_("%(l)s“%(v)s”应为整数") % {"l": label, "v": value})
        return 0
    if n < 0 or n > MAX_COUNT:
        errors.setdefault(field_name, []).append(
            _("%(l)s%(v)s无效，应为0至%(m)s的整数") % {"l": label, "v": n, "m": MAX_COUNT})
        return 0
    return n


def previous_end(enterprise: MonitoredEnterprise, month: datetime.date) -> int | None:
    prev = month_start(month) - relativedelta(months=1)
    return (EnterpriseReport.objects.filter(enterprise=enterprise, month=prev, is_current=True)
            .values_list("end_headcount", flat=True).first())


def check_report(enterprise: MonitoredEnterprise, data: ReportData, *, today: datetime.date | None = None,
                 correction_required: bool = True, known_ends: dict | None = None) -> dict[str, list[str]]:
    """Every problem of ``data`` for ``enterprise`` at once: {field: [Chinese messages]} (empty when fine).
    Fields: month, start_headcount, end_headcount, add_<reason>, red_<type>, red_<type>_reason, note,
    correction_reason. ``known_ends``: {(enterprise id, month): end} of reports not stored yet (earlier rows of
    the same import file), read before the database for the previous month's end."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    month = data.month
    if month is None:
        errors["month"] = [_("请填写报告月份")]
    else:
        month = data.month = month_start(month)
        if month > month_start(today):
            errors.setdefault("month", []).append(_("报告月份%(m)s晚于本月，不能提前填报") % {"m": f"{month:%Y-%m}"})
        if month < enterprise.joined_on:
            errors.setdefault("month", []).append(_("报告月份%(m)s早于纳入监测月份%(j)s") % {
                "m": f"{month:%Y-%m}", "j": f"{enterprise.joined_on:%Y-%m}"})
        if enterprise.left_on is not None and month >= enterprise.left_on:
            errors.setdefault("month", []).append(_("该企业自%(l)s起已退出监测，%(m)s不在监测期内") % {
                "l": f"{enterprise.left_on:%Y-%m}", "m": f"{month:%Y-%m}"})
    if data.start_headcount in (None, ""):
        errors["start_headcount"] = [_("请填写月初职工人数")]
        start = None
    else:
        start = _count(data.start_headcount, "start_headcount", _("月初职工人数"), errors)
    added = 0
    for reason, n in data.additions.items():
        if reason not in AdditionReason.values:
            errors.setdefault(f"add_{reason}", []).append(_("增加原因“%s”无效") % reason)
            continue
        added += _count(n, f"add_{reason}", _("增加人数（%s）") % AdditionReason(reason).label, errors)
    removed = 0
    for (kind, reason), n in data.reductions.items():
        if kind not in ReductionType.values:
            errors.setdefault(f"red_{kind}", []).append(_("减员类型“%s”无效") % kind)
            continue
        n = _count(n, f"red_{kind}", _("减少人数（%s）") % ReductionType(kind).label, errors)
        if reason and reason not in ReductionReason.values:
            errors.setdefault(f"red_{kind}_reason", []).append(_("减员原因“%s”无效") % reason)
        if n and not reason:
            errors.setdefault(f"red_{kind}_reason", []).append(
                _("请选择“%s”的减员原因") % ReductionType(kind).label)
        removed += n
    end = None
    if data.end_headcount not in (None, ""):
        end = _count(data.end_headcount, "end_headcount", _("月末职工人数"), errors)
    if start is not None and "start_headcount" not in errors:
        expected = start + added - removed
        if expected < 0:
            errors.setdefault("end_headcount", []).append(
                _("减少人数%(r)s超过月初人数%(s)s与增加人数%(a)s之和") % {"r": removed, "s": start, "a": added})
        elif end is not None and "end_headcount" not in errors and end != expected:
            errors.setdefault("end_headcount", []).append(
                _("月末人数应为%(x)s（月初%(s)s＋增加%(a)s－减少%(r)s），填报为%(y)s，相差%(z)s") % {
                    "x": expected, "s": start, "a": added, "r": removed, "y": end, "z": f"{end - expected:+d}"})
    note = (data.note or "").strip()
    if len(note) > 255:
        errors.setdefault("note", []).append(_("备注不能超过255个字"))
    reason = (data.correction_reason or "").strip()
    if len(reason) > 255:
        errors.setdefault("correction_reason", []).append(_("更正原因不能超过255个字"))
    if month is not None and "month" not in errors:
        prev_month = month - relativedelta(months=1)
        prev = (known_ends or {}).get((enterprise.pk, prev_month))
        if prev is None:
            prev = previous_end(enterprise, month)
        if prev is not None and start is not None and "start_headcount" not in errors and start != prev and not note:
            errors.setdefault("start_headcount", []).append(
                _("月初人数%(s)s与上月月末人数%(p)s不一致（相差%(d)s），请核对或在备注中说明原因") % {
                    "s": start, "p": prev, "d": f"{start - prev:+d}"})
        if correction_required and not reason and EnterpriseReport.objects.filter(
                enterprise=enterprise, month=month, is_current=True).exists():
            errors.setdefault("correction_reason", []).append(
                _("%(m)s已有月报，再次报送即为更正，请填写更正原因") % {"m": f"{month:%Y-%m}"})
    data.note, data.correction_reason = note, reason
    return errors


def may_submit(user, enterprise: MonitoredEnterprise) -> str | None:
    """The channel ``user`` reports through for ``enterprise``, or None when they may not (not found)."""
    if roles.is_employer_user(user):
        return ReportChannel.PORTAL if registry_queries.linked_employer_id(user) == enterprise.employer_id else None
    if roles.can_enter_enterprise_reports(user) and in_scope(user, enterprise.region_id):
        return ReportChannel.STAFF
    return None


def submit_report(user, enterprise: MonitoredEnterprise, data: ReportData, *, channel: str | None = None,
                  today: datetime.date | None = None) -> Submitted:
    """Store one month's report (a new version when the month has one) and evaluate the mass-layoff line."""
    own_channel = may_submit(user, enterprise)
    if own_channel is None:
        raise OutOfScope(_(NOT_FOUND))
    errors = check_report(enterprise, data, today=today)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return write_report(enterprise, data, actor=user, channel=channel or own_channel)


def write_report(enterprise: MonitoredEnterprise, data: ReportData, *, actor, channel: str,
                 import_key: str | None = None, submitted_at: datetime.datetime | None = None,
                 audited: bool = True) -> Submitted:
    """Write a checked report (call inside a transaction): supersede the current version, store the lines,
    the layoffs under the month's parameters, the audit entry and the warning."""
    month = month_start(data.month)
    old = (EnterpriseReport.objects.select_for_update().filter(enterprise=enterprise, month=month, is_current=True)
           .first())
    if old is not None:
        EnterpriseReport.objects.filter(pk=old.pk).update(is_current=False)
    p = params(enterprise.region_id, month)
    additions = {k: int(n) for k, n in data.additions.items() if n}
    reductions = {k: int(n) for k, n in data.reductions.items() if n}
    added, removed = sum(additions.values()), sum(reductions.values())
    try:
        layoffs = rules.layoffs_of([(kind, n) for (kind, _reason), n in reductions.items()], p)
    except ParameterError:
        raise ValidationError({"month": _("%(month)s：该月份没有生效的裁员认定标准（参数 monitoring.layoff.*），无法受理")
                               % {"month": f"{month.year}年{month.month}月"}}) from None
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    report = EnterpriseReport.objects.create(
        enterprise=enterprise, region_id=enterprise.region_id, month=month,
        version=(old.version + 1) if old else 1, is_current=True, supersedes=old,
        start_headcount=int(data.start_headcount), end_headcount=int(data.start_headcount) + added - removed,
        additions=added, reductions=removed, layoffs=layoffs, note=data.note,
        correction_reason=data.correction_reason if old else "", channel=channel, submitted_by=actor_user,
        submitted_at=submitted_at or timezone.now(), due_on=due_on(enterprise.region_id, month), import_key=import_key)
    lines = [EnterpriseReportLine(report=report, direction="add", kind=k, count=n) for k, n in additions.items()]
    lines += [EnterpriseReportLine(report=report, direction="reduce", kind=k, reason=r, count=n)
              for (k, r), n in reductions.items()]
    EnterpriseReportLine.objects.bulk_create(lines)
    if audited:
        audit.record(actor, AuditEntry.Action.UPDATE if old else AuditEntry.Action.CREATE, object_type=OBJECT_TYPE,
                     object_id=report.pk, object_label=f"{enterprise.employer} {month:%Y-%m}",
                     region_code=enterprise.region_id,
                     changes={"month": f"{month:%Y-%m}", "version": report.version, "start": report.start_headcount,
                              "end": report.end_headcount, "additions": added, "reductions": removed,
                              "layoffs": layoffs, "channel": channel,
                              **({"supersedes": old.pk, "correction_reason": data.correction_reason} if old else {})},
                     summary=_("更正企业月报") if old else _("报送企业月报"))
    warning, action, linked = evaluate_layoff(report, actor=actor, params_of_month=p)
    return Submitted(report=report, warning=warning, warning_action=action, linked=linked)


def warning_key(employer_id: int, month: datetime.date) -> str:
    return f"employer:{employer_id}:{month:%Y-%m}"


def evaluate_layoff(report: EnterpriseReport, *, actor=None, params_of_month=None) -> tuple[Warning | None, str, int]:
    """The mass-layoff line for one stored report (the service's and the demo's one evaluation). Returns
    (warning, what raise_warning did, registrations newly linked); (None, "", 0) when nothing applies."""
    p = params_of_month or params(report.region_id, report.month)
    employer = report.enterprise.employer
    key = warning_key(employer.pk, report.month)
    crossing = rules.is_mass_layoff(report.layoffs, report.start_headcount, p)
    facts = {"month": f"{report.month:%Y-%m}", "layoffs": report.layoffs, "start_headcount": report.start_headcount,
             "reductions": report.reductions, "report_id": report.pk, "report_version": report.version,
             "enterprise_id": report.enterprise_id, "employer_name": employer.name}
    title = _("%(e)s%(y)s年%(m)s月裁员%(n)s人") % {"e": employer.name, "y": report.month.year, "m": report.month.month,
                                                  "n": report.layoffs}
    if crossing:
        level = layoff_level(report.layoffs, p)
        detail = rules.layoff_explanation(report.layoffs, report.start_headcount, p)
    else:
        active = Warning.objects.filter(kind=WARNING_KIND, key=key).exclude(status=WarningStatus.CLOSED).first()
        if active is None:
            return None, "", 0
        level = active.level  # a correction under the line: the figures change, a person closes the warning
        detail = _("更正后（第%(v)s版）裁员%(n)s人，未达到规模性裁员预警线；请核实后办结") % {
            "v": report.version, "n": report.layoffs}
        facts["below_line"] = True
    warning, action = warning_services.raise_warning(
        kind=WARNING_KIND, key=key, region_id=report.region_id, level=level, title=title, detail=detail, facts=facts,
        employer_id=employer.pk, report_id=report.pk, since=report.month, actor=actor)
    linked = warning_services.link_registrations(warning, layoff_registrations(employer.pk, report.month, p)) \
        if crossing else 0
    return warning, action, linked


def layoff_registrations(employer_id: int, month: datetime.date, p) -> list[int]:
    """Ids of current unemployment registrations naming ``employer_id`` as former employer with a layoff reason
    (``monitoring.layoff.unemployment_reasons``), dated within ``registration_window_days`` of the month."""
    window = datetime.timedelta(days=int(p["monitoring.layoff.registration_window_days"]))
    first = month_start(month)
    last = first + relativedelta(months=1) - datetime.timedelta(days=1)
    replaced = Registration.objects.filter(corrects__isnull=False).values("corrects_id")
    return list(Registration.objects.filter(
        Q(kind=Registration.Kind.UNEMPLOYMENT), former_employer_id=employer_id,
        unemployment_reason__in=list(p["monitoring.layoff.unemployment_reasons"]),
        effective_date__gte=first - window, effective_date__lte=last + window,
    ).exclude(pk__in=replaced).values_list("pk", flat=True))
