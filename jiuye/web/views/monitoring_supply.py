"""供求分析 and 紧缺职业目录 (issue 11, part supply): the figures of a period by region, occupation group, industry,
education or age band with 求人倍率 and the comparisons, a chart beside the table, the monthly trend; every count
opens to its records (vacancies, seeker registrations) within the viewer's scope; the catalogue's list, page,
computation and publication. Every table exports to Excel. Scope and rules live in jiuye.monitoring.queries.supply
and jiuye.monitoring.services.catalogue."""
from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from jiuye.accounts import roles
from jiuye.accounts.scoping import OutOfScope
from jiuye.monitoring.models import CatalogueStatus
from jiuye.monitoring.queries import supply as queries
from jiuye.monitoring.services import catalogue as services
from jiuye.registry.identity import mask_id_number
from jiuye.registry.models import Education
from jiuye.web import charts
from jiuye.web.exports import Column, export_xlsx, filters_of, is_export
from jiuye.web.forms import monitoring_supply as forms
from jiuye.web.views.common import list_page, require

reader_required = require(roles.can_read_monitoring, gettext_lazy("您的角色无权查看就业监测数据"))
manager_required = require(roles.can_manage_monitoring, gettext_lazy("您的角色无权编制紧缺职业目录"))
EDUCATION_LABELS = dict(Education.choices)


def fmt_ratio(value) -> str:
    return "—" if value is None else f"{value:.2f}"


def fmt_change(c: dict, *, decimal=False) -> str:
    if c["abs"] is None:
        return "—"
    a = c["abs"]
    sign = "+" if a > 0 else ""
    text = f"{sign}{a:.2f}" if decimal else f"{sign}{a:,}"
    return text + (f"（{'+' if c['pct'] > 0 else ''}{c['pct']}%）" if c["pct"] is not None else "")


# ---------------------------------------------------------------------------------------------
# 供求分析


def _records_url(side: str, period, dimension: str, key: str | None, region: str) -> str:
    params = {"side": side, "period": period.code, "region": region}
    if dimension and key is not None:
        params.update(dimension=dimension, key=key)
    from django.urls import reverse

    return reverse("web:supply_records") + "?" + urlencode(params)


def _row(r, figures, region: str, *, total=False) -> dict:
    c = r.changes()
    key = None if total else r.key
    return {
        "key": r.key, "label": r.label, "openings": r.openings, "seekers": r.seekers, "ratio": fmt_ratio(r.ratio),
        "prev_openings": r.prev_openings, "prev_seekers": r.prev_seekers, "prev_ratio": fmt_ratio(r.prev_ratio),
        "yb_openings": r.yb_openings, "yb_seekers": r.yb_seekers, "yb_ratio": fmt_ratio(r.yb_ratio),
        "openings_prev": fmt_change(c["openings_prev"]), "openings_yb": fmt_change(c["openings_yb"]),
        "seekers_prev": fmt_change(c["seekers_prev"]), "seekers_yb": fmt_change(c["seekers_yb"]),
        "ratio_prev": fmt_change(c["ratio_prev"], decimal=True), "ratio_yb": fmt_change(c["ratio_yb"], decimal=True),
        "openings_url": _records_url("openings", figures.period, figures.dimension, key, region),
        "seekers_url": _records_url("seekers", figures.period, figures.dimension, key, region),
        "drill_region": r.key.ljust(12, "0") if figures.dimension == queries.REGION and r.key and not total else "",
    }


FIGURE_COLUMNS = [
    Column(_l("分组"), lambda r: r["label"]),
    Column(_l("需求人数"), lambda r: r["openings"]), Column(_l("求职人数"), lambda r: r["seekers"]),
    Column(_l("求人倍率"), lambda r: r["ratio"]),
    Column(_l("上期需求人数"), lambda r: r["prev_openings"]), Column(_l("上期求职人数"), lambda r: r["prev_seekers"]),
    Column(_l("上期求人倍率"), lambda r: r["prev_ratio"]),
    Column(_l("需求人数环比"), lambda r: r["openings_prev"]), Column(_l("求职人数环比"), lambda r: r["seekers_prev"]),
    Column(_l("求人倍率环比"), lambda r: r["ratio_prev"]),
    Column(_l("上年同期需求人数"), lambda r: r["yb_openings"]), Column(_l("上年同期求职人数"), lambda r: r["yb_seekers"]),
    Column(_l("上年同期求人倍率"), lambda r: r["yb_ratio"]),
    Column(_l("需求人数同比"), lambda r: r["openings_yb"]), Column(_l("求职人数同比"), lambda r: r["seekers_yb"]),
    Column(_l("求人倍率同比"), lambda r: r["ratio_yb"]),
]


def _series_rows(series) -> list[dict]:
    out = []
    for i, m in enumerate(series["months"]):
        row = {"month": f"{m.year}-{m.month:02d}", "openings": series["total"]["openings"][i],
               "seekers": series["total"]["seekers"][i], "ratio": fmt_ratio(series["total"]["ratio"][i])}
        row["regions"] = [(series["openings"][k][i], series["seekers"][k][i]) for k, _n in series["regions"]]
        out.append(row)
    return out


@reader_required
def supply_demand(request):
    form = forms.SupplyForm(request.GET or None, user=request.user)
    if request.GET and not form.is_valid():
        return render(request, "web/monitoring/supply_demand.html", {"form": form, "figures": None}, status=400)
    data = form.cleaned_data if form.is_bound else {"period": forms.default_period(), "region": "",
                                                     "dimension": queries.REGION, "months": 24, "kind": "month"}
    period, region, dimension = data["period"], data["region"] or "", data["dimension"]
    figures = queries.supply_figures(request.user, period, dimension=dimension, region_code=region)
    rows = [_row(r, figures, region) for r in figures.rows]
    total = _row(figures.total, figures, region, total=True)
    series = queries.monthly_series(request.user, period.end.replace(day=1), data["months"], region_code=region)
    series_rows = _series_rows(series)
    table = request.GET.get("table", "figures")
    if request.GET.get("format") == "xlsx":
        label = f"{figures.region_name}{period.label}"
        if table == "series":
            cols = [Column(_l("月份"), lambda r: r["month"]), Column(_l("需求人数"), lambda r: r["openings"]),
                    Column(_l("求职人数"), lambda r: r["seekers"]), Column(_l("求人倍率"), lambda r: r["ratio"])]
            for i, (_k, name) in enumerate(series["regions"]):
                cols += [Column(f"{name}需求人数", lambda r, i=i: r["regions"][i][0]),
                         Column(f"{name}求职人数", lambda r, i=i: r["regions"][i][1])]
            return export_xlsx(request, rows=series_rows, total=len(series_rows), columns=cols, sheet=_("供求月度趋势"),
                               filename="supply-trend", object_type="supply_figures",
                               filters={"period": period.code, "region": region, "months": data["months"]}, sort="",
                               summary=_("导出人力资源市场供求月度趋势：%(l)s") % {"l": label})
        return export_xlsx(request, rows=[*rows, total], total=len(rows) + 1, columns=FIGURE_COLUMNS,
                           sheet=_("供求分析"), filename="supply-demand", object_type="supply_figures",
                           filters={"period": period.code, "region": region, "dimension": dimension}, sort="",
                           summary=_("导出人力资源市场供求分析：%(l)s，按%(d)s") % {"l": label, "d": queries.DIMENSIONS[dimension]})
    labels = [r["label"] for r in rows]
    bar = charts.bar_chart(labels, {_("需求人数"): [r["openings"] for r in rows], _("求职人数"): [r["seekers"] for r in rows]},
                           title=_("%(p)s 按%(d)s") % {"p": period.label, "d": queries.DIMENSIONS[dimension]},
                           horizontal=len(rows) > 8)
    months = [r["month"] for r in series_rows]
    trend = charts.line_chart(months, {_("需求人数"): series["total"]["openings"], _("求职人数"): series["total"]["seekers"]},
                              title=_("月度需求人数与求职人数"))
    ratio_chart = charts.line_chart(months, {_("求人倍率"): [None if v is None else float(v) for v in series["total"]["ratio"]]},
                                    title=_("月度求人倍率"), limits={_("供求平衡"): 1})
    params = request.GET.copy()
    params.pop("format", None)
    params.pop("table", None)
    tabs = []
    for key, label in queries.DIMENSIONS.items():
        p = params.copy()
        p["dimension"] = key
        tabs.append({"key": key, "label": label, "url": "?" + p.urlencode(), "current": key == dimension})
    return render(request, "web/monitoring/supply_demand.html", {
        "form": form, "figures": figures, "period": period, "rows": rows, "total": total, "tabs": tabs,
        "dimension_label": queries.DIMENSIONS[dimension], "series": series, "series_rows": series_rows,
        "bar": bar, "bar_id": charts.chart_id(), "trend": trend, "trend_id": charts.chart_id(),
        "ratio_chart": ratio_chart, "ratio_id": charts.chart_id(),
        "export_query": params.urlencode(), "prev": period.previous(), "year_before": period.year_before(),
    })


def _wage(v) -> str:
    if v.wage_min is None and v.wage_max is None:
        return _("面议")
    return f"{v.wage_min or ''}–{v.wage_max or ''}"


VACANCY_COLUMNS = [
    Column(_l("岗位名称"), lambda v: v.title), Column(_l("招聘单位"), lambda v: v.employer.name),
    Column(_l("职业代码"), lambda v: v.occupation.code if v.occupation_id else ""),
    Column(_l("职业"), lambda v: v.occupation.name if v.occupation_id else ""),
    Column(_l("招聘人数"), lambda v: v.openings), Column(_l("工作地点"), lambda v: v.region.name),
    Column(_l("最低学历"), lambda v: EDUCATION_LABELS.get(v.education_min, "不限")),
    Column(_l("发布时间"), lambda v: v.published_at), Column(_l("月薪（元）"), _wage),
]


def _seeker_columns(names: bool) -> list[Column]:
    cols = [Column(_l("求职登记日期"), lambda r: r.started_on), Column(_l("登记地"), lambda r: r.registered_in.name),
            Column(_l("结束日期"), lambda r: r.ended_on), Column(_l("结束原因"), lambda r: r.get_end_reason_display())]
    if names:
        cols = [Column(_l("姓名"), lambda r: r.person.name),
                Column(_l("公民身份号码"), lambda r: r.person.id_number, mask=mask_id_number), *cols]
    return cols


@reader_required
def supply_records(request):
    form = forms.RecordsForm(request.GET, user=request.user)
    side = form.chosen_side()
    names = queries.shows_names(request.user)
    search, count = ((queries.search_vacancy_records, queries.count_vacancy_records) if side == "openings"
                     else (queries.search_seeker_records, queries.count_seeker_records))
    of_search = queries.vacancy_records_of_search if side == "openings" else queries.seeker_records_of_search
    if is_export(request, form):
        s = form.search(limit=50_000)
        cols = VACANCY_COLUMNS if side == "openings" else _seeker_columns(names)
        return export_xlsx(request, rows=of_search(request.user, s).iterator(chunk_size=2000), total=count(request.user, s),
                           columns=cols, sheet=_("需求岗位") if side == "openings" else _("求职登记"),
                           filename=f"supply-{side}", object_type="vacancy" if side == "openings" else "seeker_registration",
                           filters={**filters_of(form), "period": s.period}, sort=s.sort,
                           summary=_("导出供求分析明细（%(s)s）") % {"s": dict(forms.SIDE_CHOICES)[side]},
                           full_numbers=None if names else False)
    context = list_page(request, form, search=search, count=count)
    context.update(side=side, names=names, sides=forms.SIDE_CHOICES)
    if form.is_valid():
        s = form.search(limit=1)
        d = form.cleaned_data
        context["period"] = d["period"]
        context["cell"] = (queries.label_of(d["dimension"], d["key"]) if d["dimension"] else "")
        context["dimension_label"] = queries.DIMENSIONS.get(d["dimension"], "")
        context["openings_sum"] = queries.sum_vacancy_openings(request.user, s) if side == "openings" else None
        params = request.GET.copy()
        for k in ("offset", "format", "sort", "full_id"):
            params.pop(k, None)
        other = params.copy()
        other["side"] = "seekers" if side == "openings" else "openings"
        context["other_url"] = "?" + other.urlencode()
        back = {k: v for k, v in (("period", d["period"].code), ("region", d["region"]),
                                  ("dimension", d["dimension"])) if v}
        context["back_url"] = "?" + urlencode(back)
    return render(request, "web/monitoring/supply_records.html", context)


# ---------------------------------------------------------------------------------------------
# 紧缺职业目录


def _status_label(cat) -> str:
    return cat.get_status_display()


CATALOGUE_COLUMNS = [
    Column(_l("年度"), lambda c: c.year), Column(_l("目录名称"), lambda c: c.title),
    Column(_l("发布区划"), lambda c: c.region.name), Column(_l("状态"), _status_label),
    Column(_l("职业数"), lambda c: (c.totals or {}).get("entries", "")), Column(_l("发布时间"), lambda c: c.published_at),
]
ENTRY_COLUMNS = [
    Column(_l("排名"), lambda e: e.rank), Column(_l("职业代码"), lambda e: e.occupation_code),
    Column(_l("职业名称"), lambda e: e.occupation_name), Column(_l("所属大类"), lambda e: e.group_name),
    Column(_l("全年需求人数"), lambda e: e.openings), Column(_l("全年求职人数"), lambda e: e.seekers),
    Column(_l("求人倍率"), lambda e: fmt_ratio(e.ratio)), Column(_l("紧缺月数"), lambda e: e.months_short),
    Column(_l("有需求月数"), lambda e: e.months_with_demand),
]


@login_required
def shortage_catalogues(request):
    form = forms.CatalogueSearchForm(request.GET)
    if is_export(request, form):
        s = form.search(limit=50_000)
        return export_xlsx(request, rows=queries.catalogues_of_search(request.user, s), total=queries.count_catalogues(request.user, s),
                           columns=CATALOGUE_COLUMNS, sheet=_("紧缺职业目录"), filename="shortage-catalogues",
                           object_type="shortage_catalogue", filters=filters_of(form), sort=s.sort,
                           summary=_("导出紧缺职业目录列表"))
    context = list_page(request, form, search=queries.search_catalogues, count=queries.count_catalogues)
    context.update(may_manage=roles.can_manage_monitoring(request.user),
                   staff=roles.can_read_monitoring(request.user))
    return render(request, "web/monitoring/catalogue_list.html", context)


def _catalogue(request, pk):
    return queries.get_catalogue(request.user, pk)


@login_required
def shortage_catalogue(request, pk: int):
    cat = _catalogue(request, pk)
    entries = list(cat.entries.all())
    if request.GET.get("format") == "xlsx":
        return export_xlsx(request, rows=entries, total=len(entries), columns=ENTRY_COLUMNS, sheet=_("紧缺职业"),
                           filename=f"shortage-catalogue-{cat.year}", object_type="shortage_catalogue",
                           filters={"catalogue": cat.pk}, sort="rank", summary=_("导出%(t)s") % {"t": cat.title})
    chart = charts.bar_chart([e.occupation_name or e.occupation_code for e in entries[:15]],
                             {_("紧缺月数"): [e.months_short for e in entries[:15]]}, horizontal=True,
                             title=_("紧缺月数（前15位）")) if entries else None
    manager = roles.can_manage_monitoring(request.user)
    return render(request, "web/monitoring/catalogue_detail.html", {
        "cat": cat, "entries": [{"e": e, "ratio": fmt_ratio(e.ratio)} for e in entries], "chart": chart,
        "chart_id": charts.chart_id(), "may_publish": manager and cat.status == CatalogueStatus.DRAFT,
        "staff": roles.can_read_monitoring(request.user),
        "parameters": [(services_label(k), v) for k, v in (cat.parameters or {}).items()],
    })


PARAMETER_LABELS = {"min_ratio": _l("求人倍率下限"), "min_months": _l("全年紧缺月数下限"),
                    "min_openings": _l("全年需求人数下限"), "max_entries": _l("最多职业数")}


def services_label(key: str) -> str:
    return str(PARAMETER_LABELS.get(key, key))


@manager_required
def shortage_catalogue_compute(request):
    form = forms.CatalogueComputeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            cat = services.compute_draft(request.user, year=form.cleaned_data["year"],
                                         region_code=form.cleaned_data["region"], note=form.cleaned_data["note"])
        except ValidationError as exc:
            form.add_service_error(exc)
        except OutOfScope as exc:
            raise PermissionDenied(str(exc)) from None
        else:
            messages.success(request, _("已计算草稿：%(t)s，共 %(n)s 个职业。请核对后发布。")
                             % {"t": cat.title, "n": cat.entries.count()})
            return redirect("web:shortage_catalogue", pk=cat.pk)
    return render(request, "web/monitoring/catalogue_compute.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@manager_required
@require_POST
def shortage_catalogue_publish(request, pk: int):
    action = request.POST.get("action", "publish")
    try:
        if action == "discard":
            services.discard_draft(request.user, pk)
            messages.success(request, _("草稿已删除"))
            return redirect("web:shortage_catalogues")
        cat = services.publish(request.user, pk)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("web:shortage_catalogue", pk=pk)
    except OutOfScope as exc:
        raise PermissionDenied(str(exc)) from None
    messages.success(request, _("已发布：%(t)s") % {"t": cat.title})
    return redirect("web:shortage_catalogue", pk=cat.pk)


__all__ = ["supply_demand", "supply_records", "shortage_catalogues", "shortage_catalogue", "shortage_catalogue_compute",
           "shortage_catalogue_publish"]
