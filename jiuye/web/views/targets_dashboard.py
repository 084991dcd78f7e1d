"""目标考核看板 (issue 12, dashboard part): a region's KPIs against targets and 序时进度 with red/amber/green,
the children ranked, 12-month trends, the region's active warnings; the leadership big screen (大屏) and its
JSON for the refresh; one KPI's detail (children ranked, trend, components); the records behind a count
(only for roles that may open records: leadership sees figures and regions); the KPI catalogue.

Every figure comes from ``targets.queries`` (overview, children, trend: kept values, kpis/cache.py) and every
region is checked against the viewer's scope first: a region outside it answers 404 like one that does not
exist. Nothing here computes a KPI."""
from __future__ import annotations

import datetime
import os
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _l

from jiuye.accounts import roles
from jiuye.accounts.scoping import OutOfScope, in_scope, scope_prefix
from jiuye.monitoring.periods import (MONTH, QUARTER, YEAR, Period, PeriodError, month_of, parse_period, period_of,
                                     year_to_date)
from jiuye.monitoring.queries import warnings as warning_queries
from jiuye.paging import page, sort_key, sorted_by
from jiuye.regions.codes import pad
from jiuye.regions.models import Region
from jiuye.regions.queries import ancestors, within_q
from jiuye.registry.identity import mask_id_number
from jiuye.targets import queries
from jiuye.targets.kpis import cache
from jiuye.targets.kpis import compute as kpi_compute
from jiuye.targets.kpis.catalogue import KPIS, RATE
from jiuye.web.charts import chart_id, kpi_trend_chart, ranking_chart
from jiuye.web.exports import EXPORT_MAX, Column, export_xlsx
from jiuye.web.views.common import PAGE_SIZE, page_context, require, sort_context

reader_required = require(roles.can_read_targets, gettext_lazy("您的角色无权查看目标考核看板"))

NOT_FOUND = "区划不存在或不在您的管辖范围内"
#: The KPIs the dashboard ranks and draws, and the big screen's tiles.
MAIN_KPIS = ["new_urban_jobs", "reemployed_unemployed", "hte_employed", "registered_unemployment_rate"]
HEADLINE_KPIS = ["new_urban_jobs", "reemployed_unemployed", "hte_employed", "zero_employment_households",
                 "registered_unemployment_rate", "surveyed_unemployment_rate", "rural_transfer_persons",
                 "graduate_destination_rate"]
TREND_MONTHS = 12
DASH = "—"
#: What the components of a value are called (kpis.compute's keys).
COMPONENT_LABELS = {
    "gross": _l("新增就业人数（毛数）"), "attrition": _l("自然减员（退休、死亡）"), "unemployed": _l("城镇登记失业人数"),
    "urban_employed": _l("城镇从业人员数（录入）"), "graduates": _l("当年高校毕业生"), "placed": _l("已落实去向"),
    "registrations": _l("非务农就业登记人次"), "transferred": _l("转移就业人数"), "persons": _l("劳动年龄登记人员"),
    "with_education": _l("有文化程度记录的人数"), "recognised": _l("在册就业困难人员"), "assisted": _l("已援助或已就业"),
}


def screen_refresh_seconds() -> int:
    return int(getattr(settings, "JIUYE_SCREEN_REFRESH_SECONDS", None) or os.environ.get("JIUYE_SCREEN_REFRESH_SECONDS")
               or 60)


# -- region and period -----------------------------------------------------------------------------------------

def _region(user, code: str | None) -> Region:
    """The region asked for (default: the user's node), or 404 when it does not exist or lies outside the
    user's scope (the same answer for both)."""
    if not code:
        if user.region_id:
            code = user.region_id
        else:
            top = Region.objects.filter(parent__isnull=True).order_by("code").first() if scope_prefix(user) == "" else None
            if top is None:
                raise Http404(_(NOT_FOUND))
            return top
    try:
        code = pad(str(code).strip())
    except (ValueError, TypeError):
        raise Http404(_(NOT_FOUND)) from None
    if not in_scope(user, code):
        raise Http404(_(NOT_FOUND))
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404(_(NOT_FOUND))
    return region


def default_period(today: datetime.date | None = None) -> Period:
    """The last full month."""
    return month_of(today or timezone.localdate()).previous()


def _period(request) -> Period:
    text = request.GET.get("period", "").strip()
    if not text:
        return default_period()
    try:
        return parse_period(text)
    except PeriodError:
        return default_period()


def _region_choices(user) -> list[tuple[str, str]]:
    prefix = scope_prefix(user)
    if prefix is None:
        return []
    qs = Region.objects.filter(within_q(prefix, "code")).order_by("code").only("code", "name", "level")
    regions = list(qs[:2000])
    top = min((r.level for r in regions), default=0)
    return [(r.code, "\u3000" * (r.level - top) + r.name) for r in regions]


class DashboardForm(forms.Form):
    region = forms.ChoiceField(label=_l("区划"), required=False)
    period = forms.CharField(label=_l("统计期"), required=False, max_length=16,
                             help_text=_l("月 2026-10、季度 2026-Q4 或年 2026"),
                             widget=forms.TextInput(attrs={"placeholder": "2026-10", "list": "period-options"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = _region_choices(user)

    def clean_period(self):
        text = self.cleaned_data.get("period") or ""
        if not text:
            return None
        try:
            return parse_period(text)
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from None


def _period_links(region: Region, period: Period, url_name: str, **extra) -> list[dict]:
    """The previous period, the month, quarter and year that contain the period's last day, and the next period."""
    day = period.end
    out = [{"label": _("上一期"), "url": _url(url_name, region.code, period.previous(), **extra), "current": False}]
    for kind in (MONTH, QUARTER, YEAR):
        p = period_of(day, kind)
        out.append({"label": p.label, "url": _url(url_name, region.code, p, **extra), "current": p == period})
    out.append({"label": _("下一期"), "url": _url(url_name, region.code, period.next(), **extra), "current": False})
    return out


def _url(name: str, region_code: str, period: Period | None = None, **extra) -> str:
    params = {"region": region_code}
    if period is not None:
        params["period"] = period.code
    params.update({k: v for k, v in extra.items() if v is not None})
    if name in ("web:kpi_detail", "web:kpi_records"):
        kpi = params.pop("kpi")
        return reverse(name, args=[kpi]) + "?" + urlencode(params)
    return reverse(name) + "?" + urlencode(params)


# -- formatting -----------------------------------------------------------------------------------------------

def fmt(value, kpi) -> str:
    """A KPI value as people read it: thousands separators, the KPI's decimals; None is "—"."""
    if value is None:
        return DASH
    d = kpi.decimals
    try:
        return f"{Decimal(value):,.{d}f}"
    except (ValueError, ArithmeticError):
        return str(value)


def pct(share) -> str:
    """A share 0..1 as a percentage with one decimal; None is "—"."""
    if share is None:
        return DASH
    return f"{Decimal(share) * 100:.1f}%"


def _component(value, kpi) -> str:
    if value is None:
        return DASH
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, Decimal):
        return fmt(value, kpi) if value != value.to_integral_value() else f"{int(value):,}"
    return str(value)


def _num(value):
    return None if value is None else float(value)


def _target_text(s) -> str:
    if s.target is None and s.target_value is None:
        return DASH
    if s.target is not None and s.target.value_text:
        return s.target.value_text
    return fmt(s.target_value, s.kpi)


def status_row(s, period: Period, *, may_records: bool = False) -> dict:
    """One KpiStatus as a row of the dashboard, the detail page and the screen (strings already formatted)."""
    kpi = s.kpi
    detail = _url("web:kpi_detail", s.region_code, period, kpi=kpi.code)
    return {
        "code": kpi.code, "name": kpi.name, "unit": kpi.unit, "definition": kpi.definition,
        "computed": kpi.computed, "region_code": s.region_code, "region_name": s.region_name,
        "value": fmt(s.value, kpi), "value_raw": _num(s.value),
        # what the target is judged on when it is not the period's own value (the year to date, the plan so far)
        "compared": fmt(s.actual, kpi) if s.actual is not None and s.actual != s.value else "",
        "compared_label": getattr(s, "compared_label", "") if s.actual is not None and s.actual != s.value else "",
        "target": _target_text(s), "elapsed": pct(s.elapsed_share), "progress": pct(s.progress),
        "progress_pct": min(100.0, float(s.progress) * 100) if s.progress is not None else None,
        "status": s.status, "status_label": s.status_label, "status_text": s.status_text or "",
        "rank": s.rank, "siblings": s.siblings, "source": s.source or "",
        "detail_url": detail, "dashboard_url": _url("web:targets", s.region_code, period),
        "records_url": (_url("web:kpi_records", s.region_code, period, kpi=kpi.code)
                        if may_records and kpi.code in kpi_compute.RECORD_KPIS and s.value is not None else ""),
    }


def trend_periods(period: Period) -> list[Period]:
    """The 12 months ending with the period's last month."""
    last = month_of(period.end)
    out = [last]
    for _i in range(TREND_MONTHS - 1):
        out.append(out[-1].previous())
    return list(reversed(out))


def prefetch(region: Region, period: Period, *, trend_codes: list[str], child_codes: list[str] | None = None) -> None:
    """Keep, in few passes, every value the page is about to ask for one at a time: the region and its children
    for the period and its year to date (all KPIs, or ``child_codes`` for the children), and the region's
    ``trend_codes`` for each trend month and its year to date. Answered from kept values when they are fresh
    (one read each); on a cold cache it turns some 100 single-KPI computations into about 26 passes.
    ``region`` is in the viewer's scope (checked by the caller) and so are its children."""
    kids = list(Region.objects.filter(parent_id=region.code).values_list("code", flat=True))
    for p in dict.fromkeys([period, year_to_date(period)]):
        cache.compute_cached([region.code], p)
        if kids:
            cache.compute_cached(kids, p, codes=child_codes)
    if trend_codes:
        for month in trend_periods(period):
            for p in dict.fromkeys([month, year_to_date(month)]):
                cache.compute_cached([region.code], p, codes=trend_codes)


def _trend(user, region: Region, kpi_code: str, period: Period, *, dark: bool = False) -> dict:
    kpi = KPIS[kpi_code]
    points = queries.trend(user, region.code, kpi_code, trend_periods(period))
    x = [p.period.code for p in points]
    values = [_num(p.value) for p in points]
    limit = None
    last_with_target = next((p for p in reversed(points) if p.target_value is not None), None)
    if kpi.measure == RATE and last_with_target is not None:
        limit = (_("目标"), float(last_with_target.target_value))
    option = kpi_trend_chart(x, {kpi.name: values}, percent=kpi.unit == "%", target=limit, dark=dark)
    return {"kpi": kpi, "id": chart_id(), "chart": option,
            "rows": [{"period": p.period.code, "label": p.period.label, "value": fmt(p.value, kpi),
                      "url": _url("web:kpi_detail", region.code, p.period, kpi=kpi_code)} for p in points]}


def _ranking(user, region: Region, kpi_code: str, period: Period, *, may_records: bool, dark: bool = False) -> dict | None:
    rows = queries.children(user, region.code, period, kpi_code)
    if not rows:
        return None
    kpi = KPIS[kpi_code]
    shown = [status_row(r, period, may_records=may_records) for r in rows]
    progress_based = any(r.progress is not None for r in rows)
    values = [(round(float(r.progress) * 100, 1) if r.progress is not None else None) if progress_based
              else _num(r.value) for r in rows]
    option = ranking_chart([r.region_name for r in rows], values, [r.status for r in rows],
                           name=_("完成目标（%）") if progress_based else kpi.name,
                           percent=progress_based or kpi.unit == "%", dark=dark)
    return {"kpi": kpi, "id": chart_id(), "chart": option, "rows": shown, "progress_based": progress_based}


def _warnings(user, region: Region, limit: int = 10) -> tuple[list, int | None]:
    if not roles.can_read_warnings(user):
        return [], None
    s = warning_queries.WarningSearch(region_code=region.code, limit=limit)
    rows, _more = warning_queries.search_warnings(user, s)
    return rows, warning_queries.count_warnings(user, s)


def _crumbs(user, region: Region, period: Period, url_name: str = "web:targets") -> list[dict]:
    return [{"name": r.name, "url": _url(url_name, r.code, period)} for r in ancestors(region) if in_scope(user, r.code)]


# -- pages ----------------------------------------------------------------------------------------------------------

@reader_required
def dashboard(request):
    user = request.user
    form = DashboardForm(request.GET or None, user=user)
    region = _region(user, request.GET.get("region"))
    period = _period(request)
    if form.is_bound:
        form.is_valid()  # shows a wrong period under its field; the page uses the default then
    may_records = roles.can_open_figure_records(user)
    prefetch(region, period, trend_codes=MAIN_KPIS, child_codes=MAIN_KPIS)
    statuses = queries.overview(user, region.code, period)
    rows = [status_row(s, period, may_records=may_records) for s in statuses]
    if request.GET.get("format") == "xlsx":
        return _export_overview(request, region, period, rows)
    by_code = {r["code"]: r for r in rows}
    headline = [by_code[c] for c in HEADLINE_KPIS if c in by_code]
    rankings = [r for r in (_ranking(user, region, c, period, may_records=may_records) for c in MAIN_KPIS) if r]
    trends = [_trend(user, region, c, period) for c in MAIN_KPIS]
    warnings, warning_total = _warnings(user, region)
    counts = {k: sum(1 for r in rows if r["status"] == k) for k in (queries.GREEN, queries.AMBER, queries.RED)}
    return render(request, "web/targets/dashboard.html", {
        "title": _("%(r)s 目标考核看板") % {"r": region.name}, "region": region, "period": period, "form": form,
        "rows": rows, "headline": headline, "rankings": rankings, "trends": trends, "counts": counts,
        "warnings": warnings, "warning_total": warning_total, "may_read_warnings": roles.can_read_warnings(user),
        "may_open_warnings": roles.can_read_monitoring(user),
        "computed_at": cache.computed_at(region.code, period), "crumbs": _crumbs(user, region, period),
        "period_links": _period_links(region, period, "web:targets"),
        "screen_url": _url("web:targets_screen", region.code, period), "may_records": may_records,
        "period_options": _period_options(period)})


def _period_options(period: Period) -> list[str]:
    this = month_of(timezone.localdate())
    months = [this.previous()]
    for _i in range(4):
        months.append(months[-1].previous())
    return [p.code for p in months] + [period_of(this.start, QUARTER).code, period_of(this.start, YEAR).code,
                                      str(this.start.year - 1)]


OVERVIEW_COLUMNS = [
    Column(_l("指标代码"), lambda r: r["code"]),
    Column(_l("指标"), lambda r: r["name"]),
    Column(_l("区划"), lambda r: r["region_name"]),
    Column(_l("数值"), lambda r: r["value_raw"] if r["value_raw"] is not None else DASH),
    Column(_l("单位"), lambda r: r["unit"]),
    Column(_l("比较值"), lambda r: r["compared"]),
    Column(_l("比较值口径"), lambda r: r["compared_label"]),
    Column(_l("目标"), lambda r: r["target"]),
    Column(_l("序时进度"), lambda r: r["elapsed"]),
    Column(_l("完成进度"), lambda r: r["progress"]),
    Column(_l("状态"), lambda r: r["status_label"]),
    Column(_l("说明"), lambda r: r["status_text"]),
    Column(_l("来源"), lambda r: r["source"]),
]


def _export_overview(request, region: Region, period: Period, rows: list[dict]):
    return export_xlsx(request, rows=rows, total=len(rows), columns=OVERVIEW_COLUMNS, sheet=_("指标"),
                       filename=f"kpis-{region.code}-{period.code}", object_type="kpi",
                       filters={"region": region.code, "period": period.code}, sort="",
                       summary=_("导出目标考核指标"))


@reader_required
def kpi_detail(request, kpi: str):
    user = request.user
    if kpi not in KPIS:
        raise Http404(_("没有该指标"))
    region = _region(user, request.GET.get("region"))
    period = _period(request)
    may_records = roles.can_open_figure_records(user)
    prefetch(region, period, trend_codes=[kpi], child_codes=[kpi])
    status = queries.overview(user, region.code, period, codes=[kpi])
    row = status_row(status[0], period, may_records=may_records) if status else None
    ranking = _ranking(user, region, kpi, period, may_records=may_records)
    if request.GET.get("format") == "xlsx":
        return export_xlsx(request, rows=ranking["rows"] if ranking else [], total=len(ranking["rows"]) if ranking else 0,
                           columns=OVERVIEW_COLUMNS + [Column(_l("排名"), lambda r: r["rank"] or "")],
                           sheet=_("下级排名"), filename=f"kpi-{kpi}-{region.code}-{period.code}", object_type="kpi",
                           filters={"kpi": kpi, "region": region.code, "period": period.code}, sort="rank",
                           summary=_("导出指标下级排名"))
    components = [(str(COMPONENT_LABELS.get(k, _("其他构成"))), _component(v, KPIS[kpi]))
                  for k, v in (status[0].components.items() if status else [])]
    return render(request, "web/targets/kpi_detail.html", {
        "title": _("%(r)s %(k)s") % {"r": region.name, "k": KPIS[kpi].name}, "kpi": KPIS[kpi], "region": region,
        "period": period, "row": row, "ranking": ranking, "trend": _trend(user, region, kpi, period),
        "components": components, "computed_at": cache.computed_at(region.code, period),
        "crumbs": _crumbs(user, region, period), "may_records": may_records,
        "period_links": _period_links(region, period, "web:kpi_detail", kpi=kpi),
        "dashboard_url": _url("web:targets", region.code, period),
        "export_url": _url("web:kpi_detail", region.code, period, kpi=kpi, format="xlsx")})


# -- records behind a count --------------------------------------------------------------------------------------

PERSON_SORTS = {"name": ("name",), "region": ("region_id", "name"), "id_number": ("id_number",)}
HOUSEHOLD_SORTS = {"number": ("number",), "region": ("region_id", "number")}


def _person_columns():
    from jiuye.registry.models import Person

    status = dict(Person._meta.get_field("employment_status").flatchoices)
    sex = dict(Person._meta.get_field("sex").flatchoices)
    return [
        Column(_l("姓名"), lambda p: p.name),
        Column(_l("公民身份号码"), lambda p: p.id_number, mask=mask_id_number),
        Column(_l("性别"), lambda p: str(sex.get(p.sex, p.sex))),
        Column(_l("所在社区"), lambda p: p.region.name),
        Column(_l("就业状态"), lambda p: str(status.get(p.employment_status, p.employment_status or ""))),
    ]


def _household_columns():
    return [Column(_l("户编号"), lambda h: h.number), Column(_l("所在社区"), lambda h: h.region.name)]


class RecordsForm(forms.Form):
    sort = forms.CharField(required=False, max_length=24, widget=forms.HiddenInput)
    offset = forms.IntegerField(required=False, min_value=0, max_value=100_000_000, widget=forms.HiddenInput)


@reader_required
def kpi_records(request, kpi: str):
    user = request.user
    if not roles.can_open_figure_records(user):
        raise PermissionDenied(_("领导账号只查看数字和区划，不查看个人名单"))
    if kpi not in KPIS:
        raise Http404(_("没有该指标"))
    region = _region(user, request.GET.get("region"))
    period = _period(request)
    form = RecordsForm(request.GET)
    form.is_valid()
    message = ""
    try:
        qs = kpi_compute.records(user, kpi, region.code, period)
    except OutOfScope:
        raise Http404(_(NOT_FOUND)) from None
    except (KeyError, ValueError):
        qs, message = None, _("该指标暂不提供名单（只有由登记记录计算的人数、户数可查看名单）。")
    kind, columns, sorts, default_sort = "", [], {}, ""
    if qs is not None:
        from jiuye.registry.models import Household, Person

        if qs.model is Person:
            kind, columns, sorts, default_sort = "person", _person_columns(), PERSON_SORTS, "region"
            qs = qs.select_related("region")
        elif qs.model is Household:
            kind, columns, sorts, default_sort = "household", _household_columns(), HOUSEHOLD_SORTS, "region"
            qs = qs.select_related("region")
        else:
            kind, columns, sorts, default_sort = "other", [Column(_l("记录"), str)], {"id": ("pk",)}, "id"
        applied = sort_key(sorts, form.cleaned_data.get("sort") or "", default_sort) if form.is_valid() else default_sort
        qs = sorted_by(qs, sorts, applied, default_sort)
        total = qs.count()
        if request.GET.get("format") == "xlsx":
            return export_xlsx(request, rows=qs.iterator(chunk_size=2000), total=total, columns=columns,
                               sheet=KPIS[kpi].name[:31], filename=f"kpi-records-{kpi}-{region.code}-{period.code}",
                               object_type=kind or "record", filters={"kpi": kpi, "region": region.code,
                                                                      "period": period.code},
                               sort=applied, summary=_("导出指标名单：%(k)s") % {"k": KPIS[kpi].name})
        offset = (form.cleaned_data.get("offset") or 0) if form.is_valid() else 0
        rows, more = page(qs, PAGE_SIZE, offset)
        pager = page_context(request, form, (rows, more), total=total)
        shown = []
        for obj in rows:
            if kind == "person":
                shown.append({"cells": [obj.name, mask_id_number(obj.id_number), obj.get_sex_display(), obj.region.name,
                                        obj.get_employment_status_display()],
                              "url": reverse("web:person", args=[obj.pk]) if in_scope(user, obj.region_id) else ""})
            elif kind == "household":
                shown.append({"cells": [obj.number, obj.region.name],
                              "url": reverse("web:household", args=[obj.pk]) if in_scope(user, obj.region_id) else ""})
            else:
                shown.append({"cells": [str(obj)], "url": ""})
    else:
        pager, shown, applied = page_context(request, form, ([], False), total=0), [], ""
    from jiuye.web.views.common import export_params

    return render(request, "web/targets/kpi_records.html", {
        "title": _("%(r)s %(p)s %(k)s 名单") % {"r": region.name, "p": period.label, "k": KPIS[kpi].name},
        "kpi": KPIS[kpi], "region": region, "period": period, "kind": kind, "message": message,
        "headers": [str(c.header) for c in columns], "sort_keys": _sort_keys(kind), "rows": shown, "page": pager,
        "sorting": sort_context(request, applied), "export_fields": export_params(request), "full_ids": kind == "person",
        "may_export_full_ids": roles.can_see_full_id_number(user), "export_max": EXPORT_MAX,
        "detail_url": _url("web:kpi_detail", region.code, period, kpi=kpi)})


def _sort_keys(kind: str) -> list[str]:
    """The sort key of each column of the records table ("" = not sortable)."""
    if kind == "person":
        return ["name", "id_number", "", "region", ""]
    if kind == "household":
        return ["number", "region"]
    return [""]


# -- the big screen --------------------------------------------------------------------------------------------------

def screen_data(user, region: Region, period: Period) -> dict:
    """Everything the big screen shows, as plain data (the page renders it; the refresh fetches it as JSON)."""
    prefetch(region, period, trend_codes=MAIN_KPIS[:1], child_codes=MAIN_KPIS[:1])
    statuses = queries.overview(user, region.code, period, codes=[c for c in HEADLINE_KPIS if c in KPIS])
    tiles = [status_row(s, period) for s in statuses]
    ranking = _ranking(user, region, MAIN_KPIS[0], period, may_records=False, dark=True)
    trend = _trend(user, region, MAIN_KPIS[0], period, dark=True)
    warnings, total = _warnings(user, region, limit=20)
    at = cache.computed_at(region.code, period)
    return {
        "region": {"code": region.code, "name": region.name}, "period": {"code": period.code, "label": period.label},
        "computed_at": timezone.localtime(at).strftime("%Y-%m-%d %H:%M"),
        "tiles": [{k: t[k] for k in ("code", "name", "unit", "value", "compared", "compared_label", "target", "elapsed",
                                     "progress", "progress_pct", "status", "status_label", "status_text")} for t in tiles],
        "ranking": None if ranking is None else {
            "title": ranking["kpi"].name, "chart": ranking["chart"],
            "rows": [{k: r[k] for k in ("region_code", "region_name", "value", "compared", "progress", "status",
                                        "status_label", "rank")} for r in ranking["rows"]]},
        "trend": {"title": trend["kpi"].name, "chart": trend["chart"], "rows": trend["rows"]},
        "warnings": [{"level": w.level, "level_label": w.get_level_display(), "title": w.title,
                      "region": w.region.name} for w in warnings],
        "warning_total": total, "warnings_visible": roles.can_read_warnings(user),
    }


@reader_required
def targets_screen(request):
    region = _region(request.user, request.GET.get("region"))
    period = _period(request)
    data = screen_data(request.user, region, period)
    seconds = screen_refresh_seconds()
    return render(request, "web/targets/screen.html", {
        "title": _("%(r)s 就业目标大屏") % {"r": region.name}, "region": region, "period": period, "data": data,
        "refresh_seconds": seconds, "data_url": _url("web:targets_screen_data", region.code, period),
        "ranking_id": chart_id(), "trend_id": chart_id(), "dashboard_url": _url("web:targets", region.code, period)})


@reader_required
def targets_screen_data(request):
    region = _region(request.user, request.GET.get("region"))
    period = _period(request)
    return JsonResponse(screen_data(request.user, region, period), json_dumps_params={"ensure_ascii": False})


# -- the catalogue -----------------------------------------------------------------------------------------------------

@reader_required
def kpi_catalogue(request):
    from jiuye.targets.kpis.catalogue import COMPUTED

    measure_labels = {"flow": _("期内流量"), "stock": _("期末存量"), "rate": _("比率/平均数")}
    rows = [{"kpi": k, "kind": _("系统计算") if k.kind == COMPUTED else _("录入/导入"),
             "measure": measure_labels.get(k.measure, k.measure), "series": k.series if not k.computed else "",
             "estimate_of": KPIS[k.estimate_of].name if k.estimate_of in KPIS else "",
             "detail_url": _url("web:kpi_detail", request.user.region_id or "", None, kpi=k.code)
             if request.user.region_id else reverse("web:kpi_detail", args=[k.code])}
            for k in KPIS.values()]
    if request.GET.get("format") == "xlsx":
        columns = [Column(_l("指标代码"), lambda r: r["kpi"].code), Column(_l("指标"), lambda r: r["kpi"].name),
                   Column(_l("单位"), lambda r: r["kpi"].unit), Column(_l("来源方式"), lambda r: r["kind"]),
                   Column(_l("口径"), lambda r: r["measure"]), Column(_l("定义"), lambda r: r["kpi"].definition),
                   Column(_l("越低越好"), lambda r: _("是") if r["kpi"].lower_is_better else "")]
        return export_xlsx(request, rows=rows, total=len(rows), columns=columns, sheet=_("指标目录"),
                           filename="kpi-catalogue", object_type="kpi", filters={}, sort="", summary=_("导出指标目录"))
    return render(request, "web/targets/catalogue.html", {"title": _("指标目录"), "rows": rows,
                                                          "computed": sum(1 for k in KPIS.values() if k.computed)})
