"""Kept reports (统计报告): the list of the user's region, a new report (with its progress until done), a
report's page (known-on moment, summary, download, 重新生成（同一数据时点）), and the schedules. The rules and
scope live in ``jiuye.reports.services`` / ``queries``; these views only shape the pages."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from jiuye.accounts import roles
from jiuye.accounts.scoping import OutOfScope
from jiuye.reports import queries, services
from jiuye.reports.models import ReportFormat, ReportRun, RunStatus
from jiuye.reports.render import CONTENT_TYPES
from jiuye.web.exports import EXPORT_MAX, Column, choice_label, export_xlsx, filters_of, is_export
from jiuye.web.forms import reports as forms
from jiuye.web.views.common import list_page, require

reader_required = require(roles.can_read_reports, gettext_lazy("您的角色无权查看统计报告"))
maker_required = require(roles.can_make_reports, gettext_lazy("您的角色无权生成统计报告"))

RUN_COLUMNS = [
    Column(_l("编号"), lambda r: r.pk),
    Column(_l("报告类型"), choice_label(ReportRun, "kind")),
    Column(_l("区划"), lambda r: r.region.name),
    Column(_l("统计期"), lambda r: r.period),
    Column(_l("格式"), choice_label(ReportRun, "format")),
    Column(_l("状态"), choice_label(ReportRun, "status")),
    Column(_l("数据截至"), lambda r: r.known_on),
    Column(_l("生成人"), lambda r: (r.requested_by.display_name or r.requested_by.username) if r.requested_by else _("系统")),
    Column(_l("申请时间"), lambda r: r.requested_at),
    Column(_l("大小（字节）"), lambda r: r.size),
    Column("SHA-256", lambda r: r.sha256),
]


@reader_required
def report_list(request):
    form = forms.RunSearchForm(request.GET, user=request.user)
    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=queries.runs_of_search(request.user, s).iterator(chunk_size=2000),
                           total=queries.count_runs(request.user, s), columns=RUN_COLUMNS, sheet=_("统计报告"),
                           filename="reports", object_type="report_run", filters=filters_of(form),
                           sort=queries.run_sort(s), summary=_("导出统计报告列表"))
    context = list_page(request, form, search=queries.search_runs, count=queries.count_runs, sort=queries.run_sort)
    context.update(title=_("统计报告"), may_make=roles.can_make_reports(request.user))
    return render(request, "web/reports/list.html", context)


@maker_required
def report_new(request):
    form = forms.ReportForm(request.POST or None, user=request.user, initial=dict(request.GET.items()))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            run = services.request_report(request.user, d["kind"], d["region"], d["period"], d["format"])
        except ValidationError as exc:
            form.add_service_error(exc)
        except OutOfScope as exc:
            form.add_error("region", str(exc))
        else:
            messages.success(request, _("已提交生成：%(k)s %(p)s") % {"k": run.get_kind_display(), "p": run.period})
            return redirect("web:report", pk=run.pk)
    return render(request, "web/reports/new.html", {"form": form, "title": _("生成统计报告")})


@reader_required
def report_detail(request, pk: int):
    run = queries.get_run(request.user, pk)
    running = run.status in (RunStatus.QUEUED, RunStatus.RUNNING)
    return render(request, "web/reports/detail.html", {
        "run": run, "title": f"{run.get_kind_display()} {run.region.name} {run.period}", "running": running,
        "lines": run.summary.get("lines", []), "may_make": roles.can_make_reports(request.user),
        "formats": ReportFormat.choices})


@require_POST
@maker_required
def report_regenerate(request, pk: int):
    run = queries.get_run(request.user, pk)
    try:
        new = services.regenerate(request.user, run, fmt=request.POST.get("format") or None)
    except (ValidationError, OutOfScope) as exc:
        raise PermissionDenied(str(getattr(exc, "messages", [exc])[0])) from None
    messages.success(request, _("已按同一数据时点重新生成"))
    return redirect("web:report", pk=new.pk)


@reader_required
def report_download(request, pk: int):
    run = queries.get_run(request.user, pk)
    if run.status != RunStatus.DONE or not run.file:
        raise Http404(_("报告文件尚未生成"))
    services.record_download(request.user, run)
    return FileResponse(run.file.open("rb"), as_attachment=True, filename=run.file_name,
                        content_type=CONTENT_TYPES.get(run.format, "application/octet-stream"))


@reader_required
def report_schedules(request):
    schedules = list(queries.schedules_visible_to(request.user).order_by("next_run_on", "id"))
    return render(request, "web/reports/schedules.html", {
        "schedules": schedules, "title": _("报告计划"), "may_make": roles.can_make_reports(request.user)})


@maker_required
def report_schedule_new(request):
    form = forms.ScheduleForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.create_schedule(request.user, d["kind"], d["region"], d["format"], cadence=d["cadence"],
                                     next_run_on=d["next_run_on"])
        except ValidationError as exc:
            form.add_service_error(exc)
        except OutOfScope as exc:
            form.add_error("region", str(exc))
        else:
            messages.success(request, _("已新建报告计划"))
            return redirect("web:report_schedules")
    return render(request, "web/reports/schedule_new.html", {"form": form, "title": _("新建报告计划")})


@require_POST
@maker_required
def report_schedule_pause(request, pk: int):
    schedule = queries.get_schedule(request.user, pk)
    active = request.POST.get("active") == "1"
    try:
        services.set_schedule_active(request.user, schedule, active)
    except OutOfScope as exc:
        raise PermissionDenied(str(exc)) from None
    messages.success(request, _("报告计划已启用") if active else _("报告计划已暂停"))
    return redirect("web:report_schedules")
