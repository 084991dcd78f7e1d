"""Writes of the reports app: request a report (a kept ReportRun), make it (build → render → store with its
sha256), reproduce it as known on the same moment, record downloads, and the schedules the worker runs.

Scope: a report is of a region inside the user's scope (``can_make_reports`` to generate and schedule,
``can_read_reports`` to download); a region outside answers exactly like a region that does not exist.
"""
from __future__ import annotations

import datetime
import hashlib
import logging

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import audit, roles
from jiuye.accounts.models import AuditEntry
from jiuye.accounts.scoping import OutOfScope, in_scope
from jiuye.regions.codes import pad
from jiuye.regions.models import Region
from jiuye.reports import builders
from jiuye.reports.models import ReportFormat, ReportKind, ReportRun, ReportSchedule, RunStatus
from jiuye.reports.render import render

logger = logging.getLogger("jiuye.reports")
OBJECT_TYPE = "report_run"
SCHEDULE_TYPE = "report_schedule"
REGION_NOT_FOUND = "区划不存在或不在您的管辖范围内"


class Operator:
    """The command-line operator (no ``--user``): the whole tree, every role's reads; audited as "system"."""
    is_authenticated = True
    is_active = True
    is_superuser = True
    is_anonymous = False
    pk = id = None
    region_id = None
    region = None
    role = ""
    username = "system"

    def get_username(self) -> str:
        return self.username


OPERATOR = Operator()


def _account(user):
    """The user to store and audit (None for the operator)."""
    return None if isinstance(user, Operator) or user is None else user


def _region(user, region_code: str | None) -> Region:
    """The report's region: the user's own node when none; OutOfScope (the same answer as a missing code) outside."""
    code = region_code or (user.region_id if user is not None else None)
    try:
        code = pad(code or "")
    except ValueError:
        raise ValidationError({"region": _("区划代码“%(c)s”无效：应为2至12位数字") % {"c": region_code}}) from None
    if not in_scope(user, code):
        raise OutOfScope(_("区划不存在或不在您的管辖范围内"))
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise OutOfScope(_("区划不存在或不在您的管辖范围内"))
    return region


def check_request(user, kind: str, region_code: str | None, period_text: str, fmt: str):
    """(region, period) of a valid request; ValidationError naming the field, the value and the reason;
    OutOfScope when the role may not make reports or the region lies outside the scope."""
    if not roles.can_make_reports(user):
        raise OutOfScope(_("您的角色无权生成统计报告"))
    errors = {}
    if kind not in ReportKind.values:
        errors["kind"] = _("报告类型“%(v)s”无效，应为：%(c)s") % {"v": kind, "c": "、".join(ReportKind.values)}
    if fmt not in ReportFormat.values:
        errors["format"] = _("格式“%(v)s”无效，应为：%(c)s") % {"v": fmt, "c": "、".join(ReportFormat.values)}
    if errors:
        raise ValidationError(errors)
    region = _region(user, region_code)
    try:
        period = builders.parse_report_period(kind, period_text)
    except builders.ReportPeriodError as e:
        raise ValidationError({"period": str(e)}) from None
    return region, period


def request_report(user, kind: str, region_code: str | None, period_text: str, fmt: str = ReportFormat.XLSX, *,
                   known_on: datetime.datetime | None = None, schedule: ReportSchedule | None = None,
                   background: bool = True) -> ReportRun:
    """Keep a queued run of the report and make it: in the worker (``background``; django-tasks, run at once in
    tests and with JIUYE_TASKS_IMMEDIATE=1) or here. ``known_on`` (default now) is the moment the data are read."""
    region, period = check_request(user, kind, region_code, period_text, fmt)
    now = timezone.now()
    if known_on is not None and known_on > now:
        raise ValidationError({"known_on": _("数据时点 %(t)s 晚于当前时间") % {"t": known_on}})
    with transaction.atomic():
        run = ReportRun.objects.create(kind=kind, region=region, period=period.code, format=fmt,
                                       known_on=known_on or now, schedule=schedule, requested_by=_account(user),
                                       requested_at=now)
        audit.record(_account(user), AuditEntry.Action.CREATE, object_type=OBJECT_TYPE, object_id=run.pk,
                     object_label=f"{run.get_kind_display()} {region.name} {period.code}", region_code=region.code,
                     changes={"kind": kind, "period": period.code, "format": fmt, "known_on": run.known_on.isoformat()})
    if background:
        from jiuye.reports import tasks
        tasks.make_run.enqueue(run_id=run.pk)
        run.refresh_from_db()
    else:
        make_run(run.pk)
        run.refresh_from_db()
    return run


def _progress(run: ReportRun, value: int) -> None:
    ReportRun.objects.filter(pk=run.pk).update(progress=value)


def make_run(run_id: int) -> ReportRun:
    """Build, render and store a queued run (the worker's task). Failures are kept on the run, never raised
    to the worker; personal data never reach the log (the error text is the exception's class and message)."""
    run = ReportRun.objects.select_related("region", "requested_by").get(pk=run_id)
    if run.status == RunStatus.DONE:
        return run
    ReportRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, progress=5)
    try:
        period = builders.parse_report_period(run.kind, run.period)
        doc = builders.build(run.requested_by or OPERATOR, run.kind, run.region_id, period, run.known_on)
        _progress(run, 60)
        data = render(doc, run.format)
        _progress(run, 90)
        name = f"{doc.title}_{run.period}.{run.format}".replace("/", "-")
        run.file.save(f"run{run.pk}.{run.format}", ContentFile(data), save=False)
        ReportRun.objects.filter(pk=run.pk).update(
            status=RunStatus.DONE, progress=100, file=run.file.name, file_name=name, size=len(data),
            sha256=hashlib.sha256(data).hexdigest(), summary={"title": doc.title, "lines": doc.summary,
                                                            "figures": doc.figures},
            finished_at=timezone.now())
    except Exception as e:  # kept on the run: the page shows it
        logger.exception("report run %s failed", run.pk)
        ReportRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, error=f"{type(e).__name__}: {e}"[:500],
                                                   finished_at=timezone.now())
    run.refresh_from_db()
    return run


def generate(user, kind: str, region_code: str | None, period_text: str, fmt: str = ReportFormat.XLSX, *,
             known_on=None) -> ReportRun:
    """Make a report now, in the caller (the command line)."""
    return request_report(user, kind, region_code, period_text, fmt, known_on=known_on, background=False)


def regenerate(user, run: ReportRun, *, fmt: str | None = None, background: bool = True) -> ReportRun:
    """A new run of the same report read as known on the same moment (重新生成（同一数据时点）)."""
    return request_report(user, run.kind, run.region_id, run.period, fmt or run.format, known_on=run.known_on,
                          background=background)


def record_download(user, run: ReportRun) -> None:
    audit.record(_account(user), AuditEntry.Action.EXPORT, object_type=OBJECT_TYPE, object_id=run.pk,
                 object_label=(run.file_name or "")[:128], region_code=run.region_id,
                 summary=f"下载统计报告 {run.file_name}")


# ---------------------------------------------------------------------------------------------
# Schedules

def first_run_on(cadence: str, today: datetime.date) -> datetime.date:
    """The next Monday, the 1st of next month, or 1 January next year."""
    if cadence == ReportSchedule.Cadence.WEEKLY:
        return today + datetime.timedelta(days=7 - today.weekday())
    if cadence == ReportSchedule.Cadence.MONTHLY:
        return (today.replace(day=1) + relativedelta(months=1))
    return datetime.date(today.year + 1, 1, 1)


def advance(cadence: str, day: datetime.date) -> datetime.date:
    step = {ReportSchedule.Cadence.WEEKLY: relativedelta(weeks=1), ReportSchedule.Cadence.MONTHLY: relativedelta(months=1),
            ReportSchedule.Cadence.YEARLY: relativedelta(years=1)}[cadence]
    return day + step


def period_due(kind: str, day: datetime.date) -> str:
    """The period a run made on ``day`` reports: the week, month or year just ended."""
    if kind == ReportKind.WEEKLY:
        monday = day - datetime.timedelta(days=day.weekday() + 7)
        return builders.Week(monday).code
    if kind in (ReportKind.MONTHLY, ReportKind.STATS_FORM):
        m = day.replace(day=1) - relativedelta(months=1)
        return f"{m.year}-{m.month:02d}"
    return str(day.year - 1)


DEFAULT_CADENCE = {ReportKind.WEEKLY: ReportSchedule.Cadence.WEEKLY, ReportKind.MONTHLY: ReportSchedule.Cadence.MONTHLY,
                   ReportKind.STATS_FORM: ReportSchedule.Cadence.MONTHLY, ReportKind.ANNUAL: ReportSchedule.Cadence.YEARLY,
                   ReportKind.MIDTERM: ReportSchedule.Cadence.YEARLY}


def create_schedule(user, kind: str, region_code: str | None, fmt: str = ReportFormat.XLSX, *, cadence: str = "",
                    next_run_on: datetime.date | None = None) -> ReportSchedule:
    cadence = cadence or DEFAULT_CADENCE.get(kind, "")
    if cadence not in ReportSchedule.Cadence.values:
        raise ValidationError({"cadence": _("频次“%(v)s”无效") % {"v": cadence}})
    region, _period = check_request(user, kind, region_code, period_due(kind, timezone.localdate()), fmt)
    with transaction.atomic():
        s = ReportSchedule.objects.create(kind=kind, region=region, format=fmt, cadence=cadence,
                                          next_run_on=next_run_on or first_run_on(cadence, timezone.localdate()),
                                          created_by=user)
        audit.record(_account(user), AuditEntry.Action.CREATE, object_type=SCHEDULE_TYPE, object_id=s.pk,
                     object_label=f"{s.get_kind_display()} {region.name} {s.get_cadence_display()}",
                     region_code=region.code, changes={"kind": kind, "format": fmt, "cadence": cadence,
                                                       "next_run_on": s.next_run_on.isoformat()})
    return s


def set_schedule_active(user, schedule: ReportSchedule, active: bool) -> ReportSchedule:
    if not roles.can_make_reports(user) or not in_scope(user, schedule.region_id):
        raise OutOfScope(_("报告计划不存在或不在您的管辖范围内"))
    with transaction.atomic():
        ReportSchedule.objects.filter(pk=schedule.pk).update(is_active=active)
        audit.record(user, AuditEntry.Action.UPDATE, object_type=SCHEDULE_TYPE, object_id=schedule.pk,
                     object_label=f"{schedule.get_kind_display()} {schedule.region_id}", region_code=schedule.region_id,
                     changes={"is_active": [schedule.is_active, active]})
    schedule.is_active = active
    return schedule


def run_due_schedules(today: datetime.date | None = None, *, background: bool = True) -> list[ReportRun]:
    """Make the run of every active schedule due on or before ``today`` and move its next_run_on past today
    (a schedule missed for several periods makes one run, of the period just ended). Called by the worker and
    by ``jiuye report --due``."""
    today = today or timezone.localdate()
    runs = []
    for s in ReportSchedule.objects.filter(is_active=True, next_run_on__lte=today).select_related("created_by"):
        with transaction.atomic():
            claimed = ReportSchedule.objects.filter(pk=s.pk, next_run_on=s.next_run_on).select_for_update().first()
            if claimed is None:
                continue  # another worker took it
            nxt = s.next_run_on
            while nxt <= today:
                nxt = advance(s.cadence, nxt)
            ReportSchedule.objects.filter(pk=s.pk).update(next_run_on=nxt)
        try:
            runs.append(request_report(s.created_by, s.kind, s.region_id, period_due(s.kind, today), s.format,
                                       schedule=s, background=background))
        except (ValidationError, OutOfScope) as e:
            logger.warning("schedule %s skipped: %s", s.pk, e)
    return runs
