"""The enterprise wing of the monitoring app (issue 11, part "enterprises"): the sample with its coverage
verdict, enrolment and leaving, an enterprise's page (reports with versions, headcount chart), the report form
(staff and the employer's portal: the same form), report detail with lines and versions, missing and late
reports with chases, the job-loss analysis. Reads through ``monitoring.queries.*``, writes through
``monitoring.services.*``; out of scope is "not found"."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from jiuye.accounts import roles
from jiuye.accounts.scoping import OutOfScope
from jiuye.monitoring.models import AdditionReason, MonitoredEnterprise, ReductionReason, ReductionType
from jiuye.monitoring.queries import enterprises as ent_queries
from jiuye.monitoring.queries import job_loss as loss_queries
from jiuye.monitoring.queries import reports as report_queries
from jiuye.monitoring.services import enterprises as ent_services
from jiuye.monitoring.services import reports as report_services
from jiuye.registry import queries as registry_queries
from jiuye.registry.industries import industry_label
from jiuye.web.charts import bar_chart, chart_id, line_chart
from jiuye.web.exports import EXPORT_MAX, Column, choice_label, export_xlsx, filters_of, is_export
from jiuye.web.forms import monitoring_enterprises as forms
from jiuye.web.views.common import list_page, post_data, require

monitoring_required = require(roles.can_read_monitoring, _l("您的角色无权使用就业监测预警功能"))


def _region_name(region) -> str:
    if region is None:
        return ""
    return f"{region.parent.name} {region.name}" if getattr(region, "parent_id", None) else region.name


def _pct(value) -> str:
    return "" if value is None else f"{value}%"


# ---------------------------------------------------------------------------------------------
# The sample

ENTERPRISE_COLUMNS = [
    ("name", Column(_l("企业名称"), lambda e: e.employer.name)),
    ("", Column(_l("统一社会信用代码"), lambda e: e.employer.credit_code)),
    ("industry", Column(_l("行业"), lambda e: industry_label(e.employer.industry_code))),
    ("", Column(_l("企业规模"), lambda e: e.employer.get_size_class_display())),
    ("", Column(_l("经济类型"), lambda e: e.employer.get_ownership_display())),
    ("employees", Column(_l("职工人数"), lambda e: e.employer.employee_count)),
    ("region", Column(_l("所在区划"), lambda e: _region_name(e.region))),
    ("joined_on", Column(_l("纳入监测月份"), lambda e: f"{e.joined_on:%Y-%m}")),
    ("left_on", Column(_l("退出监测月份"), lambda e: f"{e.left_on:%Y-%m}" if e.left_on else "")),
    ("", Column(_l("监测联系人"), lambda e: e.contact_name)),
    ("", Column(_l("联系电话"), lambda e: e.contact_phone)),
]


@monitoring_required
def monitored_enterprises(request):
    form = forms.EnterpriseSearchForm(request.GET, user=request.user)
    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=ent_queries.enterprises_of_search(request.user, s).iterator(chunk_size=2000),
                           total=ent_queries.count_enterprises(request.user, s),
                           columns=[c for _k, c in ENTERPRISE_COLUMNS], sheet=_("监测企业"), filename="monitored-enterprises",
                           object_type=ent_services.OBJECT_TYPE, filters=filters_of(form),
                           sort=ent_queries.enterprise_sort(s), summary=_("导出监测企业名单"))
    context = list_page(request, form, search=ent_queries.search_enterprises, count=ent_queries.count_enterprises,
                        sort=ent_queries.enterprise_sort)
    region = form.cleaned_data.get("region", "") if form.is_valid() else ""
    coverage = ent_queries.coverage(request.user, region)
    context.update(headers=[{"sort": k, "label": str(c.header)} for k, c in ENTERPRISE_COLUMNS[:9]],
                   coverage=coverage, may_manage=roles.can_manage_monitoring(request.user),
                   coverage_chart=bar_chart([r.section for r in coverage.rows],
                                            {_("本地职工占比（%）"): [float(r.local_share * 100) for r in coverage.rows],
                                             _("样本职工占比（%）"): [float(r.sample_share * 100) for r in coverage.rows]}),
                   coverage_chart_id=chart_id())
    return render(request, "web/monitoring/enterprise_list.html", context)


@monitoring_required
def enterprise_enrol(request):
    if not roles.can_manage_monitoring(request.user):
        raise PermissionDenied(_("您的角色无权管理监测企业"))
    form = forms.EnrolForm(post_data(request), initial={"joined_on": timezone.localdate().replace(day=1)})
    if request.method == "POST" and form.is_valid():
        employer = registry_queries.visible_employer_by_credit_code(request.user, form.cleaned_data["credit_code"])
        if employer is None:
            form.add_error("credit_code", _("统一社会信用代码为“%s”的用人单位不存在或不在您的管辖范围内")
                           % form.cleaned_data["credit_code"])
        else:
            try:
                enterprise = ent_services.enrol(request.user, employer_id=employer.pk,
                                                joined_on=form.cleaned_data["joined_on"],
                                                contact_name=form.cleaned_data["contact_name"],
                                                contact_phone=form.cleaned_data["contact_phone"])
            except ValidationError as exc:
                form.add_service_error(exc)
            except OutOfScope as exc:
                form.add_error("credit_code", str(exc))
            else:
                messages.success(request, _("已将“%s”纳入监测") % employer.name)
                return redirect("web:monitored_enterprise", enterprise.pk)
    return render(request, "web/monitoring/enterprise_form.html",
                  {"form": form, "title": _("纳入监测企业"), "back": reverse("web:monitored_enterprises"),
                   "hint": _("从用人单位名录中选择本辖区的企业（按统一社会信用代码），自纳入月份起每月报送用工情况。")})


def _enterprise_page(request, enterprise: MonitoredEnterprise, *, leave_form=None, status=200):
    user = request.user
    reports = report_queries.reports_of_enterprise(user, enterprise)
    series = report_queries.headcount_series(user, enterprise)
    chart = line_chart([f"{m:%Y-%m}" for m, *_r in series],
                       {_("月末职工人数"): [e for _m, _s, e, _l in series], _("裁员人数"): [lay for *_r, lay in series]})
    return render(request, "web/monitoring/enterprise_detail.html", {
        "enterprise": enterprise, "reports": reports, "spans": ent_queries.spans_of_employer(user, enterprise),
        "chart": chart, "chart_id": chart_id(), "series_rows": series[::-1][:24],
        "reminders": report_queries.reminders_of(user, enterprise),
        "missing": report_queries.missing_months(user, enterprise),
        "may_manage": roles.can_manage_monitoring(user) and enterprise.left_on is None,
        "may_report": report_services.may_submit(user, enterprise) is not None,
        "leave_form": leave_form or forms.LeaveForm(initial={"left_on": timezone.localdate().replace(day=1)}),
        "industry": industry_label(enterprise.employer.industry_code),
    }, status=status)


@monitoring_required
def monitored_enterprise(request, pk: int):
    return _enterprise_page(request, ent_queries.get_enterprise(request.user, pk))


@monitoring_required
@require_POST
def enterprise_leave(request, pk: int):
    enterprise = ent_queries.get_enterprise(request.user, pk)
    form = forms.LeaveForm(request.POST)
    if form.is_valid():
        try:
            ent_services.leave(request.user, enterprise, left_on=form.cleaned_data["left_on"],
                               reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_service_error(exc)
        except OutOfScope as exc:
            raise PermissionDenied(str(exc)) from None
        else:
            messages.success(request, _("“%s”已退出监测") % enterprise.employer.name)
            return redirect("web:monitored_enterprise", pk)
    return _enterprise_page(request, enterprise, leave_form=form, status=400)


# ---------------------------------------------------------------------------------------------
# The report form (staff and the employer's portal)


def _report_initial(enterprise: MonitoredEnterprise, month=None) -> dict:
    month = month or report_queries.default_due_month()
    prev = report_services.previous_end(enterprise, month)
    return {"month": month, **({"start_headcount": prev} if prev is not None else {})}


def _report_form(request, enterprise: MonitoredEnterprise, *, done, template_context):
    month = None
    if request.GET.get("month"):
        field = forms.MonthField(required=False)
        try:
            month = field.clean(request.GET["month"])
        except Exception:  # noqa: BLE001  (a bad month in the link: the default month)
            month = None
    form = forms.ReportForm(post_data(request), initial=_report_initial(enterprise, month))
    if request.method == "POST" and form.is_valid():
        try:
            result = report_services.submit_report(request.user, enterprise, form.report_data())
        except ValidationError as exc:
            form.add_service_error(exc)
        except OutOfScope:
            raise Http404(ent_queries.NOT_FOUND) from None
        else:
            (messages.warning if result.warning_action in ("raised", "escalated") else messages.success)(
                request, result.message)
            return redirect(done(result.report))
    return render(request, "web/monitoring/enterprise_report_form.html",
                  {"form": form, "enterprise": enterprise, **template_context}, status=400 if form.errors else 200)


@monitoring_required
def enterprise_report_new(request, pk: int):
    enterprise = ent_queries.get_enterprise(request.user, pk)
    if report_services.may_submit(request.user, enterprise) is None:
        raise PermissionDenied(_("您的角色无权代录企业月报"))
    return _report_form(request, enterprise, done=lambda r: reverse("web:enterprise_report", args=[r.pk]),
                        template_context={"back": reverse("web:monitored_enterprise", args=[pk]),
                                          "title": _("代录企业月报")})


# ---------------------------------------------------------------------------------------------
# Reports

REPORT_COLUMNS = [
    ("month", Column(_l("报告月份"), lambda r: f"{r.month:%Y-%m}")),
    ("name", Column(_l("企业名称"), lambda r: r.enterprise.employer.name)),
    ("start", Column(_l("月初人数"), lambda r: r.start_headcount)),
    ("", Column(_l("增加"), lambda r: r.additions)),
    ("reductions", Column(_l("减少"), lambda r: r.reductions)),
    ("layoffs", Column(_l("其中裁员"), lambda r: r.layoffs)),
    ("end", Column(_l("月末人数"), lambda r: r.end_headcount)),
    ("", Column(_l("净增减"), lambda r: r.net_change)),
    ("", Column(_l("版本"), lambda r: r.version)),
    ("submitted_at", Column(_l("填报时间"), lambda r: r.submitted_at)),
    ("", Column(_l("截止日期"), lambda r: r.due_on)),
    ("", Column(_l("填报渠道"), choice_label(report_services.EnterpriseReport, "channel"))),
]


@monitoring_required
def enterprise_reports(request):
    form = forms.ReportSearchForm(request.GET, user=request.user)
    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=report_queries.reports_of_search(request.user, s).iterator(chunk_size=2000),
                           total=report_queries.count_reports(request.user, s), columns=[c for _k, c in REPORT_COLUMNS],
                           sheet=_("企业月报"), filename="enterprise-reports", object_type=report_services.OBJECT_TYPE,
                           filters=filters_of(form), sort=report_queries.report_sort(s), summary=_("导出企业月报"))
    context = list_page(request, form, search=report_queries.search_reports, count=report_queries.count_reports,
                        sort=report_queries.report_sort)
    context["headers"] = [{"sort": k, "label": str(c.header)} for k, c in REPORT_COLUMNS[:10]]
    return render(request, "web/monitoring/enterprise_reports.html", context)


def _report_detail(request, report, *, portal: bool):
    lines = report_queries.lines_of(report)
    for line in lines:
        kinds = AdditionReason if line.direction == "add" else ReductionType
        line.kind_label = str(dict(kinds.choices).get(line.kind, line.kind))
        line.reason_label = str(dict(ReductionReason.choices).get(line.reason, line.reason))
    return render(request, "web/monitoring/enterprise_report_detail.html", {
        "report": report, "lines": lines, "versions": report_queries.versions_of(report),
        "portal": portal, "warning": report_services.Warning.objects.filter(
            kind=report_services.WARNING_KIND,
            key=report_services.warning_key(report.enterprise.employer_id, report.month)).order_by("-pk").first()
        if not portal else None,
    })


@monitoring_required
def enterprise_report(request, pk: int):
    return _report_detail(request, report_queries.get_report(request.user, pk), portal=False)


# ---------------------------------------------------------------------------------------------
# Missing and late

DUE_LABELS = {0: _l("缺报"), 1: _l("迟报"), 2: _l("未到截止日"), 3: _l("按时报送")}
DUE_COLUMNS = [
    ("name", Column(_l("企业名称"), lambda e: e.employer.name)),
    ("region", Column(_l("所在区划"), lambda e: _region_name(e.region))),
    ("", Column(_l("监测联系人"), lambda e: e.contact_name)),
    ("", Column(_l("联系电话"), lambda e: e.contact_phone)),
    ("status", Column(_l("报送情况"), lambda e: str(DUE_LABELS[e.due_rank]))),
    ("", Column(_l("截止日期"), lambda e: e.due_on)),
    ("submitted", Column(_l("报送时间"), lambda e: e.submitted_at)),
    ("reminders", Column(_l("催报次数"), lambda e: e.reminder_count or 0)),
    ("", Column(_l("最近催报"), lambda e: e.last_reminder_at)),
]


@monitoring_required
def reports_due(request):
    form = forms.DueSearchForm(request.GET, user=request.user)
    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=report_queries.due_of_search(request.user, s).iterator(chunk_size=2000),
                           total=report_queries.count_due(request.user, s), columns=[c for _k, c in DUE_COLUMNS],
                           sheet=_("缺报迟报"), filename="reports-due", object_type=report_services.OBJECT_TYPE,
                           filters=filters_of(form), sort=report_queries.due_sort(s), summary=_("导出缺报迟报企业"))
    context = list_page(request, form, search=report_queries.search_due, count=report_queries.count_due,
                        sort=report_queries.due_sort)
    month = form.chosen_month()
    counts = report_queries.due_counts(request.user, month)
    base = reverse("web:reports_due")
    context.update(headers=[{"sort": k, "label": str(c.header)} for k, c in DUE_COLUMNS], month=month,
                   due_labels=DUE_LABELS, may_chase=roles.can_enter_enterprise_reports(request.user),
                   reminder_form=forms.ReminderForm(initial={"month": month}),
                   counts=[{"key": k, "label": dict(forms.DUE_CHOICES)[k], "n": n,
                            "url": base + "?" + urlencode({"month": f"{month:%Y-%m}", "status": k})}
                           for k, n in counts.items()])
    return render(request, "web/monitoring/enterprise_due.html", context)


@monitoring_required
@require_POST
def report_chase(request, pk: int):
    enterprise = ent_queries.get_enterprise(request.user, pk)
    form = forms.ReminderForm(request.POST)
    if form.is_valid():
        try:
            ent_services.record_reminder(request.user, enterprise, month=form.cleaned_data["month"],
                                         channel=form.cleaned_data["channel"], note=form.cleaned_data["note"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        except OutOfScope as exc:
            raise PermissionDenied(str(exc)) from None
        else:
            messages.success(request, _("已记录对“%s”的催报") % enterprise.employer.name)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    month = form.cleaned_data.get("month") if form.is_valid() else None
    return redirect(reverse("web:reports_due") + (f"?month={month:%Y-%m}" if month else ""))


# ---------------------------------------------------------------------------------------------
# Job-loss analysis

LOSS_COLUMNS = [
    Column(_l("月份"), lambda r: f"{r.month:%Y-%m}"), Column(_l("分组"), lambda r: r.label),
    Column(_l("企业数"), lambda r: r.enterprises), Column(_l("月初人数"), lambda r: r.start),
    Column(_l("增加"), lambda r: r.additions), Column(_l("减少"), lambda r: r.reductions),
    Column(_l("其中裁员"), lambda r: r.layoffs), Column(_l("月末人数"), lambda r: r.end),
    Column(_l("净增减"), lambda r: r.net), Column(_l("岗位流失率（%）"), lambda r: r.loss_rate),
    Column(_l("裁员率（%）"), lambda r: r.layoff_rate),
]


def _drill(row) -> str:
    params = {"month_from": f"{row.month:%Y-%m}", "month_to": f"{row.month:%Y-%m}", **row.filters}
    return reverse("web:enterprise_reports") + "?" + urlencode(params)


@monitoring_required
def job_loss(request):
    form = forms.LossForm(request.GET or None, user=request.user)
    if request.GET and not form.is_valid():
        rows, s = [], None
    else:
        if not request.GET:
            form = forms.LossForm({}, user=request.user)
            form.is_valid()
        s = form.search()
        rows = loss_queries.job_loss(request.user, s)
    if s is not None and request.GET.get("format") == "xlsx":
        return export_xlsx(request, rows=rows, total=len(rows), columns=LOSS_COLUMNS, sheet=_("减员分析"),
                           filename="job-loss", object_type=report_services.OBJECT_TYPE, filters=filters_of(form),
                           sort="", summary=_("导出减员分析"))
    totals = loss_queries.month_totals(rows)
    months = sorted(totals)
    for r in rows:
        r.url = _drill(r)
    for t in totals.values():
        t.filters = {k: v for k, v in {"region": s.region_code, "industry": s.industry, "size_class": s.size_class,
                                       "ownership": s.ownership}.items() if v} if s else {}
        t.url = _drill(t)
    # the chart: the job-loss rate per month for the five largest groups, and the total
    sizes: dict[str, int] = {}
    for r in rows:
        sizes[r.label] = sizes.get(r.label, 0) + r.start
    top = sorted(sizes, key=lambda k: -sizes[k])[:5]
    by_key = {(r.label, r.month): r for r in rows}
    series = {_("合计"): [float(totals[m].loss_rate) if totals[m].loss_rate is not None else None for m in months]}
    for label in top:
        series[label] = [float(by_key[(label, m)].loss_rate) if (label, m) in by_key and
                         by_key[(label, m)].loss_rate is not None else None for m in months]
    chart = line_chart([f"{m:%Y-%m}" for m in months], series, percent=True)
    export_params = request.GET.copy()
    export_params["format"] = "xlsx"
    return render(request, "web/monitoring/enterprise_job_loss.html", {
        "form": form, "rows": rows, "totals": [totals[m] for m in months][::-1], "chart": chart, "chart_id": chart_id(),
        "search": s, "export_url": "?" + export_params.urlencode(), "by_label": loss_queries.BY.get(s.by if s else "", ""),
    })


# ---------------------------------------------------------------------------------------------
# The employer's portal


def _employer_enterprise(request) -> MonitoredEnterprise:
    if not roles.is_employer_user(request.user):
        raise PermissionDenied(_("仅用人单位账号可使用"))
    enterprise = ent_queries.own_enterprise(request.user)
    if enterprise is None:
        raise Http404(_("贵单位不在监测企业名单中"))
    return enterprise


@login_required
def my_enterprise_reports(request):
    enterprise = _employer_enterprise(request)
    return render(request, "web/monitoring/enterprise_portal.html", {
        "enterprise": enterprise, "reports": report_queries.reports_of_enterprise(request.user, enterprise, limit=36),
        "missing": report_queries.missing_months(request.user, enterprise),
        "may_report": enterprise.left_on is None,
    })


@login_required
def my_enterprise_report_new(request):
    enterprise = _employer_enterprise(request)
    return _report_form(request, enterprise, done=lambda r: reverse("web:my_enterprise_report", args=[r.pk]),
                        template_context={"back": reverse("web:my_enterprise_reports"), "title": _("填报用工月报"),
                                          "portal": True})


@login_required
def my_enterprise_report(request, pk: int):
    _employer_enterprise(request)
    return _report_detail(request, report_queries.get_report(request.user, pk), portal=True)
