"""The monitoring home (监测总览), the warning board (预警看板) and one warning's page with its handling steps
(认领, 处置记录, 办结). Scope and the rules live in ``monitoring.queries.warnings`` and
``monitoring.services.warnings``; these views only shape the pages."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from jiuye.accounts import roles
from jiuye.monitoring.models import WarningKind, WarningLevel
from jiuye.monitoring.queries import rural as rural_queries
from jiuye.monitoring.queries import warnings as queries
from jiuye.monitoring.services import warnings as services
from jiuye.registry.identity import mask_id_number
from jiuye.web.charts import LEVEL_COLOURS, bar_chart, chart_id
from jiuye.web.exports import EXPORT_MAX, Column, choice_label, export_xlsx, filters_of, is_export
from jiuye.web.forms import monitoring_board as forms
from jiuye.web.views.common import form_action, list_page, require
from jiuye.monitoring.models import Warning

monitoring_reader_required = require(roles.can_read_monitoring, gettext_lazy("您的角色无权查看就业监测预警"))


def _person_name(user) -> str:
    return (getattr(user, "display_name", "") or user.get_username()) if user is not None else ""


def _region_label(region) -> str:
    return f"{region.parent.name} {region.name}" if region.parent_id else region.name


WARNING_COLUMNS = [
    Column(_l("预警等级"), choice_label(Warning, "level")),
    Column(_l("预警类型"), choice_label(Warning, "kind")),
    Column(_l("预警事项"), lambda w: w.title),
    Column(_l("所在区划"), lambda w: _region_label(w.region)),
    Column(_l("涉及单位"), lambda w: w.employer.name if w.employer_id else ""),
    Column(_l("起始日期"), lambda w: w.since),
    Column(_l("发出时间"), lambda w: w.raised_at),
    Column(_l("状态"), choice_label(Warning, "status")),
    Column(_l("认领人"), lambda w: _person_name(w.acknowledged_by) if w.acknowledged_by_id else ""),
    Column(_l("认领时间"), lambda w: w.acknowledged_at),
    Column(_l("处置措施"), lambda w: w.response),
    Column(_l("办结时间"), lambda w: w.closed_at),
]


@monitoring_reader_required
def warning_list(request):
    form = forms.WarningSearchForm(request.GET, user=request.user)
    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=queries.warnings_of_search(request.user, s).iterator(chunk_size=2000),
                           total=queries.count_warnings(request.user, s), columns=WARNING_COLUMNS, sheet=_("预警"),
                           filename="warnings", object_type="warning", filters=filters_of(form),
                           sort=queries.warning_sort(s), summary=_("导出预警看板"))
    context = list_page(request, form, search=queries.search_warnings, count=queries.count_warnings,
                        sort=queries.warning_sort)
    context.update(title=_("预警看板"), counts=queries.level_counts(request.user))
    return render(request, "web/monitoring/warning_list.html", context)


def _warning_context(request, warning, **forms_) -> dict:
    user = request.user
    links = list(queries.links_of(warning))
    may_handle = roles.can_handle_warnings(user)
    return {
        "warning": warning, "title": warning.title, "events": queries.events_of(warning),
        "links": [{"l": link, "id_masked": mask_id_number(link.registration.person.id_number)} for link in links],
        "facts": sorted((warning.facts or {}).items()),
        "may_handle": may_handle, "person_links": roles.can_read_registry(user),
        "ack_form": forms_.get("ack_form") or forms.AcknowledgeForm(),
        "note_form": forms_.get("note_form") or forms.NoteForm(),
        "close_form": forms_.get("close_form") or forms.CloseForm(),
    }


@monitoring_reader_required
def warning_detail(request, pk: int):
    warning = queries.get_warning(request.user, pk)
    return render(request, "web/monitoring/warning_detail.html", _warning_context(request, warning))


ACTIONS = {
    "acknowledge": (forms.AcknowledgeForm, "ack_form", lambda u, w, d: services.acknowledge(u, w, d["note"]),
                    gettext_lazy("已认领该预警")),
    "note": (forms.NoteForm, "note_form", lambda u, w, d: services.add_note(u, w, d["note"]),
             gettext_lazy("已记录处置情况")),
    "close": (forms.CloseForm, "close_form", lambda u, w, d: services.close(u, w, d["response"]),
              gettext_lazy("预警已办结")),
}


@require_POST
@monitoring_reader_required
def warning_action(request, pk: int, action: str):
    warning = queries.get_warning(request.user, pk)
    if action not in ACTIONS:
        raise PermissionDenied(_("未知的操作"))
    if not roles.can_handle_warnings(request.user):
        raise PermissionDenied(_("您的角色无权处置预警"))
    form_class, name, call, success = ACTIONS[action]
    form = form_class(request.POST)

    def page(bound):
        for error in bound.non_field_errors():  # e.g. "请先认领该预警，再办结": the form may not be on the page now
            messages.error(request, error)
        return render(request, "web/monitoring/warning_detail.html",
                      _warning_context(request, queries.get_warning(request.user, pk), **{name: bound}), status=400)

    return form_action(request, form, lambda f: call(request.user, warning, f.cleaned_data), success=str(success),
                       done=lambda: redirect("web:warning", pk=pk), page=page)


# ---------------------------------------------------------------------------------------------
# The monitoring home


PARTS = [
    ("web:warnings", _l("预警看板"), _l("辖区内各类预警：等级、起始日期、认领人和处置情况")),
    ("web:supply_demand", _l("供求分析"), _l("需求人数、求职人数和求人倍率，按职业、行业、地区、学历和年龄")),
    ("web:shortage_catalogues", _l("紧缺职业目录"), _l("按求人倍率和持续时间排出的紧缺职业，每年发布")),
    ("web:monitored_enterprises", _l("监测企业"), _l("重点企业用工监测样本及其行业覆盖")),
    ("web:enterprise_reports", _l("企业月报"), _l("监测企业每月的月初月末人数、增减人数和原因")),
    ("web:reports_due", _l("缺报迟报"), _l("未按时报送月报的企业和催报记录")),
    ("web:job_loss", _l("减员分析"), _l("岗位流失率和净变化，按企业、行业、规模、经济类型和地区")),
    ("web:unemployment", _l("失业率"), _l("城镇登记失业率、调查失业率、预警等级和预测")),
    ("web:stat_series", _l("统计部门数据"), _l("统计部门提供的城镇从业人员和调查失业率序列")),
    ("web:rural_transfer", _l("农村劳动力转移"), _l("农村户籍劳动力转移就业：县内、省内跨县、跨省")),
]


def _parts() -> list[dict]:
    from django.urls import NoReverseMatch, reverse

    out = []
    for name, label, line in PARTS:
        try:
            out.append({"url": reverse(name), "label": label, "line": line})
        except NoReverseMatch:
            continue
    return out


@monitoring_reader_required
def monitoring_home(request):
    user = request.user
    counts = queries.level_counts(user)
    kinds = dict(WarningKind.choices)
    levels = list(reversed(WarningLevel.values))
    kind_rows = [{"kind": k, "label": kinds.get(k, k), "levels": [(lv, by[lv]) for lv in levels], "total": sum(by.values())}
                 for k, by in sorted(counts["by_kind"].items())]
    chart = bar_chart([str(kinds.get(r["kind"], r["kind"])) for r in kind_rows],
                      {str(WarningLevel(lv).label): [dict(r["levels"])[lv] for r in kind_rows] for lv in levels},
                      stack=True)
    chart["color"] = [LEVEL_COLOURS[lv] for lv in levels]
    rural = rural_queries.latest_month_summary(user, today=timezone.localdate())
    return render(request, "web/monitoring/home.html", {
        "title": _("就业监测预警"), "counts": counts, "levels": levels, "kind_rows": kind_rows,
        "top": queries.top_warnings(user, 10), "warning_chart": chart, "warning_chart_id": chart_id(),
        "rural": rural, "parts": _parts(),
    })
