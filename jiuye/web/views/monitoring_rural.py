"""农村劳动力转移就业: the figures of a period per region (new transfers and the stock at the period's end, each
split local / within the province / across provinces / unknown), a chart beside the table, the cross-province
origins, the export of the table, and the drill-down to the persons behind each figure (scope, masked)."""
from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jiuye.monitoring.queries import rural as queries
from jiuye.registry.identity import mask_id_number
from jiuye.web.charts import bar_chart, chart_id
from jiuye.web.exports import EXPORT_MAX, Column, export_xlsx, filters_of, is_export
from jiuye.web.forms import monitoring_board as forms
from jiuye.web.views.common import list_page
from jiuye.web.views.monitoring_board import monitoring_reader_required

SCOPES = queries.SCOPES
TABLE_COLUMNS = [
    Column(_l("口径"), lambda r: r["measure"]),
    Column(_l("登记地"), lambda r: r["name"]),
    Column(_l("区划代码"), lambda r: r["code"]),
    *[Column(label, (lambda s: lambda r: r[s])(scope)) for scope, label in queries.SCOPE_LABELS.items()],
    Column(_l("合计"), lambda r: r["total"]),
]


def _drill(period: str, measure: str, region: str = "", scope: str = "", origin: str = "") -> str:
    params = {k: v for k, v in (("period", period), ("measure", measure), ("region", region), ("scope", scope),
                                ("origin", origin)) if v}
    return reverse("web:rural_persons") + "?" + urlencode(params)


def _view_rows(data) -> dict:
    period = data["period"].code
    out = {}
    for measure, m in data["measures"].items():
        rows = []
        for r in [*m["rows"], m["total"]]:
            region = r.code or data["node"]
            rows.append({"code": r.code, "name": r.name, "total": r.total, "total_url": _drill(period, measure, region),
                         "cells": [{"n": r.counts[s], "url": _drill(period, measure, region, s)} for s in SCOPES],
                         "is_total": not r.code})
        origins = [{**o, "url": _drill(period, measure, data["node"], origin=o["code"])} for o in m["origins"]]
        chart = bar_chart([r.name for r in m["rows"]], {str(queries.SCOPE_LABELS[s]): [r.counts[s] for r in m["rows"]]
                                                         for s in SCOPES}, stack=True)
        out[measure] = {"label": queries.MEASURES[measure], "rows": rows, "origins": origins, "chart": chart,
                        "chart_id": chart_id()}
    return out


@monitoring_reader_required
def rural_transfer(request):
    form = forms.RuralForm(request.GET or None, user=request.user)
    data, error = None, ""
    if not form.is_bound or form.is_valid():
        search = form.search() if form.is_bound else queries.RuralSearch()
        try:
            data = queries.rural_transfer(request.user, search)
        except ValueError as exc:
            error = str(exc)
    if data is not None and request.GET.get("format") == "xlsx":
        rows = [{"measure": queries.MEASURES[m], "name": r.name, "code": r.code or data["node"], "total": r.total, **r.counts}
                for m, v in data["measures"].items() for r in [*v["rows"], v["total"]]]
        return export_xlsx(request, rows=rows, total=len(rows), columns=TABLE_COLUMNS, sheet=_("农村劳动力转移就业"),
                           filename="rural_transfer", object_type="rural_transfer",
                           filters={**(filters_of(form) if form.is_bound else {}), "period": data["period"].code},
                           sort="", summary=_("导出农村劳动力转移就业统计"))
    if error:
        messages.error(request, error)
    context = {"form": form, "data": data, "title": _("农村劳动力转移就业"), "scope_labels": list(queries.SCOPE_LABELS.values()),
               "export_fields": [(k, v) for k, vs in request.GET.lists() if k != "format" for v in vs]}
    if data is not None:
        context["measures"] = _view_rows(data)
    return render(request, "web/monitoring/rural_transfer.html", context, status=400 if error or (form.is_bound and not form.is_valid()) else 200)


PERSON_COLUMNS = [
    Column(_l("姓名"), lambda r: r["p"].name),
    Column(_l("公民身份号码"), lambda r: r["p"].id_number, mask=mask_id_number),
    Column(_l("户籍地"), lambda r: r["p"].hukou_place),
    Column(_l("户籍地县级区划"), lambda r: r["origin_name"]),
    Column(_l("转移范围"), lambda r: str(r["scope_label"])),
    Column(_l("工作地区划代码"), lambda r: r["p"].work_code),
    Column(_l("登记地区划代码"), lambda r: r["p"].reg_code),
    Column(_l("就业登记日期"), lambda r: r["p"].entry_date),
]


def _search(user, s):
    rows, more = queries.search_persons(user, s)
    return queries.person_rows(rows), more


@monitoring_reader_required
def rural_persons(request):
    form = forms.RuralPersonForm(request.GET, user=request.user)
    try:
        if is_export(request, form):
            s = form.search(limit=EXPORT_MAX)
            rows = (row for p in queries.persons_query(request.user, s).iterator() for row in queries.person_rows([p]))
            return export_xlsx(request, rows=rows, total=queries.count_persons(request.user, s), columns=PERSON_COLUMNS,
                               sheet=_("转移就业人员"), filename="rural_transfer_persons", object_type="person",
                               filters=filters_of(form), sort=queries.person_sort(s), summary=_("导出农村转移就业人员"))
        context = list_page(request, form, search=_search, count=queries.count_persons, sort=queries.person_sort)
    except ValueError as exc:
        messages.error(request, str(exc))
        return render(request, "web/monitoring/rural_persons.html",
                      {"form": form, "title": _("农村转移就业人员"), "page": {"rows": []}}, status=400)
    d = form.cleaned_data if form.is_valid() else {}
    context.update(title=_("农村转移就业人员"), measure_label=queries.MEASURES.get(d.get("measure") or queries.NEW, ""),
                   scope_label=queries.SCOPE_LABELS.get(d.get("scope") or "", ""), back=reverse("web:rural_transfer") + "?" +
                   urlencode({k: v for k, v in (("period", d.get("period", "")),) if v}))
    for row in context["page"]["rows"]:
        row["id_masked"] = mask_id_number(row["p"].id_number)
    return render(request, "web/monitoring/rural_persons.html", context)
