"""失业率 pages: the table of regions for a month (registered unemployed, urban employed entered, registered
rate, surveyed rate, levels, sources), a region's ten-year chart with the limit and the forecast band, the
drill-down from an unemployed count to the registrations behind it, and the statistics bureau's series
(list, entry/correction, versions). Every table exports to Excel; scope lives in monitoring.queries."""
from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _l

from jiuye.accounts import roles
from jiuye.accounts.scoping import OutOfScope, in_scope
from jiuye.monitoring import levels
from jiuye.monitoring.models import RateIndicator, SeriesIndicator, StatSeriesValue
from jiuye.monitoring.queries import unemployment as queries
from jiuye.monitoring.services import series as series_services
from jiuye.registry.identity import mask_id_number
from jiuye.registry.models import Registration
from jiuye.web.charts import bar_chart, chart_id, line_chart
from jiuye.web.exports import EXPORT_MAX, Column, choice_label, export_xlsx, filters_of, is_export
from jiuye.web.forms import monitoring_unemployment as forms
from jiuye.web.views.common import list_page, require

reader_required = require(roles.can_read_monitoring, gettext_lazy("您的角色无权查看就业监测数据"))
manager_required = require(roles.can_manage_monitoring, gettext_lazy("您的角色无权录入统计部门数据"))


def _num(value):
    return "" if value is None else float(value)


def _default_month(user) -> datetime.date:
    latest = queries.latest_series_month(user)
    closed = series_services.last_closed_month(timezone.localdate())
    return min(latest, closed) if latest else closed


RATE_COLUMNS = [
    Column(_l("区划代码"), lambda r: r.region.code),
    Column(_l("区划"), lambda r: r.region.name),
    Column(_l("月份"), lambda r: r.month.strftime("%Y-%m")),
    Column(_l("城镇登记失业人员"), lambda r: r.unemployed),
    Column(_l("城镇从业人员（录入）"), lambda r: _num(r.employed)),
    Column(_l("城镇登记失业率（%）"), lambda r: _num(r.rate) if r.rate is not None else _(queries.NO_DENOMINATOR)),
    Column(_l("登记失业率控制目标（%）"), lambda r: _num(r.registered_limit)),
    Column(_l("登记失业率预警等级"), lambda r: levels.label(r.level)),
    Column(_l("城镇调查失业率（%）"), lambda r: _num(r.surveyed) if r.surveyed is not None else _("未录入")),
    Column(_l("调查失业率控制目标（%）"), lambda r: _num(r.surveyed_limit)),
    Column(_l("调查失业率预警等级"), lambda r: levels.label(r.surveyed_level)),
    Column(_l("从业人员数据来源"), lambda r: r.employed_source),
    Column(_l("调查失业率数据来源"), lambda r: r.surveyed_source),
]


def _export_rates(request, rows, *, filename, filters, summary):
    return export_xlsx(request, rows=rows, total=len(rows), columns=RATE_COLUMNS, sheet=_("失业率"), filename=filename,
                       object_type="unemployment_rate", filters=filters, sort="", summary=summary)


@reader_required
def unemployment(request):
    form = forms.UnemploymentForm(request.GET or None, user=request.user)
    month, code = _default_month(request.user), ""
    if form.is_bound and form.is_valid():
        month = form.cleaned_data["month"] or month
        code = form.cleaned_data["region"] or ""
    rows = queries.region_table(request.user, month, code or None)
    if request.GET.get("format") == "xlsx":
        return _export_rates(request, rows, filename="unemployment", filters={"month": month.isoformat(), "region": code},
                             summary=_("导出失业率表"))
    children = [r for r in rows if not r.is_total]
    chart = bar_chart([r.region.name for r in children], {
        _("城镇登记失业率（%）"): [_num(r.rate) or None for r in children],
        _("城镇调查失业率（%）"): [_num(r.surveyed) or None for r in children],
    }) if children else None
    total = rows[0]
    return render(request, "web/monitoring/unemployment_table.html", {
        "title": _("失业率"), "form": form, "rows": rows, "month": month, "total": total, "chart": chart,
        "chart_id": chart_id(), "month_code": month.strftime("%Y-%m"),
        "export_fields": [(k, v) for k, v in request.GET.items() if k not in ("format",)],
        "may_manage": roles.can_manage_monitoring(request.user)})


def _forecast_view(run):
    if run is None:
        return None
    return {"run": run, "points": run.points, "bt": run.backtest or {}, "crossing": run.crossing,
            "indicator_label": RateIndicator(run.indicator).label}


def _chart(history, attr, run, limit, name):
    months = [r.month.strftime("%Y-%m") for r in history]
    values = [_num(getattr(r, attr)) if getattr(r, attr) is not None else None for r in history]
    points = (run.points if run is not None and not run.message else []) or []
    x = months + [p["month"] for p in points if p["month"] not in months]
    pad = [None] * (len(x) - len(months))
    lower = [None] * len(months) + [p["lo80"] for p in points][: len(pad)]
    upper = [None] * len(months) + [p["hi80"] for p in points][: len(pad)]
    forecast_line = [None] * len(x)
    if points and values and values[-1] is not None:
        forecast_line[len(months) - 1] = values[-1]
    for i, p in enumerate(points[: len(pad)]):
        forecast_line[len(months) + i] = p["mean"]
    series = {name: values + pad}
    if points:
        series[_("预测值")] = forecast_line
    return line_chart(x, series, percent=True, limits={_("控制目标"): float(limit)} if limit is not None else None,
                      band=(_("80%预测区间"), lower, upper) if points else None)


@reader_required
def unemployment_region(request, code: str):
    region = queries.get_region(request.user, code)
    last = _default_month(request.user)
    first = queries.add_months(last, -119)
    history = queries.region_history(request.user, region.code, first, last)
    if request.GET.get("format") == "xlsx":
        return _export_rates(request, history, filename=f"unemployment-{region.code}",
                             filters={"region": region.code, "from": first.isoformat(), "to": last.isoformat()},
                             summary=_("导出失业率历史"))
    runs = queries.forecasts_of(request.user, region.code)
    latest = history[-1] if history else None
    charts = []
    for indicator, attr, limit_attr in ((RateIndicator.REGISTERED_RATE, "rate", "registered_limit"),
                                        (RateIndicator.SURVEYED_RATE, "surveyed", "surveyed_limit")):
        if not any(getattr(r, attr) is not None for r in history) and runs.get(indicator) is None:
            continue
        run = runs.get(indicator)
        limit = getattr(latest, limit_attr) if latest else None
        charts.append({"label": RateIndicator(indicator).label, "id": chart_id(),
                       "chart": _chart(history, attr, run, limit, str(RateIndicator(indicator).label)),
                       "forecast": _forecast_view(run), "limit": limit})
    return render(request, "web/monitoring/unemployment_region.html", {
        "title": _("%(r)s失业率") % {"r": region.name}, "region": region, "history": list(reversed(history)),
        "charts": charts, "first": first, "last": last})


UNEMPLOYED_COLUMNS = [
    Column(_l("姓名"), lambda r: r.person.name),
    Column(_l("公民身份号码"), lambda r: r.person.id_number, mask=mask_id_number),
    Column(_l("登记地"), lambda r: r.registered_in.name),
    Column(_l("失业登记日期"), lambda r: r.effective_date),
    Column(_l("失业原因"), choice_label(Registration, "unemployment_reason")),
]


@reader_required
def unemployed_records(request, code: str):
    region = queries.get_region(request.user, code)
    form = forms.UnemployedSearchForm(request.GET, region_code=region.code, default_month=_default_month(request.user))
    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=queries.unemployed_of_search(request.user, s).iterator(chunk_size=2000),
                           total=queries.count_unemployed(request.user, s), columns=UNEMPLOYED_COLUMNS,
                           sheet=_("城镇登记失业人员"), filename="registered-unemployed", object_type="person",
                           filters={"region": region.code, "month": s.month.isoformat()}, sort=s.sort,
                           summary=_("导出城镇登记失业人员名单"))
    context = list_page(request, form, search=queries.search_unemployed, count=queries.count_unemployed)
    s = form.search(limit=1) if form.is_valid() else None
    context["rows"] = [{"r": r, "id_masked": mask_id_number(r.person.id_number),
                        "may_open": in_scope(request.user, r.person.region_id)} for r in context["page"]["rows"]]
    month = s.month if s else form.default_month
    context.update(title=_("%(r)s 城镇登记失业人员（%(m)s末）") % {"r": region.name, "m": f"{month.year}年{month.month}月"},
                   region=region, month=month, full_ids=True)
    return render(request, "web/monitoring/unemployment_records.html", context)


# ---------------------------------------------------------------------------------------------
# The statistics bureau's series


SERIES_COLUMNS = [
    Column(_l("区划代码"), lambda v: v.region_id),
    Column(_l("区划"), lambda v: v.region.name),
    Column(_l("指标"), choice_label(StatSeriesValue, "indicator")),
    Column(_l("月份"), lambda v: v.month.strftime("%Y-%m")),
    Column(_l("数值"), lambda v: float(v.value)),
    Column(_l("数据来源"), lambda v: v.source),
    Column(_l("版本"), lambda v: v.version),
    Column(_l("现行"), lambda v: _("是") if v.is_current else _("否（已更正）")),
    Column(_l("更正原因"), lambda v: v.reason),
    Column(_l("录入方式"), choice_label(StatSeriesValue, "via")),
    Column(_l("录入人"), lambda v: v.entered_by.get_username() if v.entered_by_id else ""),
    Column(_l("录入时间"), lambda v: timezone.localtime(v.entered_at).strftime("%Y-%m-%d %H:%M")),
]


@reader_required
def stat_series(request):
    form = forms.SeriesSearchForm(request.GET, user=request.user)
    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=queries.series_of_search(request.user, s).iterator(chunk_size=2000),
                           total=queries.count_series(request.user, s), columns=SERIES_COLUMNS, sheet=_("统计部门数据"),
                           filename="stat-series", object_type="stat_series", filters=filters_of(form), sort=s.sort,
                           summary=_("导出统计部门数据"))
    context = list_page(request, form, search=queries.search_series, count=queries.count_series)
    context.update(title=_("统计部门数据"), may_manage=roles.can_manage_monitoring(request.user))
    return render(request, "web/monitoring/series_list.html", context)


@manager_required
def stat_series_new(request):
    initial = {k: request.GET.get(k) for k in ("region", "indicator", "month") if request.GET.get(k)}
    form = forms.SeriesEntryForm(request.POST or None, user=request.user, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                row, what = series_services.enter_value(
                    request.user, region_code=d["region"], indicator=d["indicator"], month=d["month"], value=d["value"],
                    source=d["source"], reason=d["reason"], via=StatSeriesValue.Via.WEB)
            except ValidationError as exc:
                form.add_service_error(exc)
            except OutOfScope as exc:
                raise PermissionDenied(str(exc)) from None
            else:
                messages.success(request, {"created": _("已录入"), "corrected": _("已更正（旧版本已保留）"),
                                           "unchanged": _("数值与来源与现行版本相同，未作改动")}[what])
                return redirect(reverse("web:stat_series_history", args=[row.region_id, row.indicator,
                                                                         row.month.strftime("%Y-%m")]))
        status = 400
    return render(request, "web/monitoring/series_form.html", {"title": _("录入统计部门数据"), "form": form}, status=status)


@reader_required
def stat_series_history(request, code: str, indicator: str, month: str):
    try:
        m = datetime.date.fromisoformat(f"{month}-01")
    except ValueError:
        m = None
    if indicator not in SeriesIndicator.values or m is None:
        from jiuye.registry.queries import NotFound

        raise NotFound(_("没有该数据或不在您的管辖范围内"))
    versions = queries.series_versions(request.user, code, indicator, m)
    current = versions[0]
    return render(request, "web/monitoring/series_history.html", {
        "title": _("%(r)s %(m)s %(i)s") % {"r": current.region.name, "m": month, "i": SeriesIndicator(indicator).label},
        "versions": versions, "current": current, "may_manage": roles.can_manage_monitoring(request.user),
        "correct_query": f"region={current.region_id}&indicator={indicator}&month={month}"})
