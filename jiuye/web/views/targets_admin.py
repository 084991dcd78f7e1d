"""Targets management pages (目标任务管理): the list (count, sort, filter, export), a target's page (its
versions, its progress against 序时进度, the children it was broken down to with their values and ranks), new,
replace, breakdown, and the input values (list, entry and correction). The dashboard is another part's
(url ``targets``); these pages link to it."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _l

from jiuye.accounts import roles
from jiuye.accounts.scoping import OutOfScope
from jiuye.regions.models import Region
from jiuye.targets import queries, services
from jiuye.targets.kpis.catalogue import KPIS
from jiuye.targets.models import Target
from jiuye.web.exports import EXPORT_MAX, Column, export_xlsx, filters_of, is_export
from jiuye.web.forms import targets_admin as forms
from jiuye.web.views.common import list_page, require

reader_required = require(roles.can_read_targets, gettext_lazy("您的角色无权查看指标与目标"))
manager_required = require(roles.can_manage_targets, gettext_lazy("您的角色无权管理目标任务与输入指标"))


def _kpi_name(code: str) -> str:
    k = KPIS.get(code)
    return k.name if k else code


def _num(v):
    return float(v) if v is not None else None


TARGET_COLUMNS = [
    Column(_l("区划代码"), lambda t: t.region_id),
    Column(_l("区划"), lambda t: t.region.name),
    Column(_l("指标代码"), lambda t: t.kpi),
    Column(_l("指标"), lambda t: _kpi_name(t.kpi)),
    Column(_l("规划/计划"), lambda t: t.plan),
    Column(_l("依据"), lambda t: t.basis),
    Column(_l("起始年度"), lambda t: t.start_year),
    Column(_l("终止年度"), lambda t: t.end_year),
    Column(_l("目标口径"), lambda t: str(t.get_scope_display())),
    Column(_l("指标属性"), lambda t: str(t.get_nature_display())),
    Column(_l("比较方式"), lambda t: str(t.get_comparator_display())),
    Column(_l("目标值"), lambda t: _num(t.value)),
    Column(_l("目标值（原文）"), lambda t: t.value_text),
    Column(_l("基期年度"), lambda t: t.baseline_year),
    Column(_l("基期值（原文）"), lambda t: t.baseline_text),
    Column(_l("上级目标"), lambda t: t.parent_id),
    Column(_l("现行"), lambda t: _("是") if t.is_current else _("否（已修订）")),
    Column(_l("来源"), lambda t: t.source),
]

INPUT_COLUMNS = [
    Column(_l("指标代码"), lambda v: v.kpi),
    Column(_l("指标"), lambda v: _kpi_name(v.kpi)),
    Column(_l("区划代码"), lambda v: v.region_id),
    Column(_l("区划"), lambda v: v.region.name),
    Column(_l("统计期"), lambda v: v.period),
    Column(_l("数值"), lambda v: _num(v.value)),
    Column(_l("单位"), lambda v: KPIS[v.kpi].unit if v.kpi in KPIS else ""),
    Column(_l("数据来源"), lambda v: v.source),
    Column(_l("备注"), lambda v: v.note),
    Column(_l("现行"), lambda v: _("是") if v.is_current else _("否（已更正）")),
    Column(_l("录入时间"), lambda v: timezone.localtime(v.entered_at).strftime("%Y-%m-%d %H:%M")),
]


@reader_required
def target_list(request):
    form = forms.TargetSearchForm(request.GET, user=request.user)
    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=queries.targets_of_search(request.user, s).iterator(chunk_size=2000),
                           total=queries.count_targets(request.user, s), columns=TARGET_COLUMNS, sheet=_("目标任务"),
                           filename="targets", object_type="target", filters=filters_of(form), sort=s.sort,
                           summary=_("导出目标任务"))
    context = list_page(request, form, search=queries.search_targets, count=queries.count_targets)
    for t in context["page"]["rows"]:
        _decorate(t)
    context.update(title=_("目标任务"), may_manage=roles.can_manage_targets(request.user))
    return render(request, "web/targets/admin/target_list.html", context)


def _decorate(t: Target) -> Target:
    """Names a template shows: the KPI's name and the value as written (else the number with its unit)."""
    from jiuye.targets.progress import target_text

    kpi = KPIS.get(t.kpi)
    t.kpi_name = kpi.name if kpi else t.kpi
    t.display_value = t.value_text or (target_text(t, kpi) if kpi else f"{t.value.normalize():f}")
    return t


def _target(request, target_id: int) -> Target:
    try:
        return queries.target_detail(request.user, target_id)
    except OutOfScope:
        raise Http404(_("目标不存在或不在您的管辖范围内")) from None


@reader_required
def target(request, target_id: int):
    t = _decorate(_target(request, target_id))
    form = forms.TargetPeriodForm(request.GET or None)
    period = None
    if form.is_valid():
        period = form.cleaned_data.get("period")
    period = period or queries.default_period(t)
    own, children = queries.target_progress(request.user, t, period)
    return render(request, "web/targets/admin/target_detail.html", {
        "title": f"{t.region.name} {t.start_year}—{t.end_year} {_kpi_name(t.kpi)}" if t.start_year != t.end_year
        else f"{t.region.name} {t.start_year}年 {_kpi_name(t.kpi)}",
        "t": t, "kpi": KPIS.get(t.kpi), "versions": [_decorate(v) for v in queries.history(t)], "own": own, "children": children,
        "period": period, "form": form, "may_manage": roles.can_manage_targets(request.user) and t.is_current,
        "has_children": Region.objects.filter(parent_id=t.region_id).exists()})


def _save(request, form, call, template, context):
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = call(form)
            except ValidationError as exc:
                form.add_service_error(exc)
            except OutOfScope as exc:
                raise PermissionDenied(str(exc)) from None
            else:
                return result
        status = 400
    return render(request, template, {"form": form, **context}, status=status)


@manager_required
def target_new(request):
    initial = {k: request.GET.get(k) for k in ("kpi", "region", "start_year", "end_year") if request.GET.get(k)}
    form = forms.TargetForm(request.POST or None, user=request.user, initial=initial)

    def call(f):
        t = services.create_target(request.user, f.data_for_service())
        messages.success(request, _("目标已保存"))
        return redirect(reverse("web:target", args=[t.pk]))

    return _save(request, form, call, "web/targets/admin/target_form.html", {"title": _("新建目标任务")})


@manager_required
def target_replace(request, target_id: int):
    t = _target(request, target_id)
    if not t.is_current:
        messages.error(request, _("该目标已被修订，不是现行版本：请修订现行版本"))
        return redirect(reverse("web:target", args=[t.pk]))
    initial = {"kpi": t.kpi, "region": t.region_id, "plan": t.plan, "basis": t.basis, "start_year": t.start_year,
               "end_year": t.end_year, "scope": t.scope, "nature": t.nature, "comparator": t.comparator,
               "value_text": t.value_text or f"{t.value.normalize():f}", "baseline_year": t.baseline_year,
               "baseline_text": t.baseline_text, "note": t.note}
    form = forms.ReplaceForm(request.POST or None, user=request.user, initial=initial, fixed=True)

    def call(f):
        data = f.data_for_service()
        reason = data.pop("reason")
        data.pop("kpi", None)
        data.pop("region", None)
        new = services.replace_target(request.user, t, data, reason=reason)
        messages.success(request, _("已修订（旧版本已保留）"))
        return redirect(reverse("web:target", args=[new.pk]))

    return _save(request, form, call, "web/targets/admin/target_form.html",
                 {"title": _("修订目标任务"), "t": t})


@manager_required
def target_breakdown(request, target_id: int):
    t = _target(request, target_id)
    children = list(Region.objects.filter(parent_id=t.region_id).order_by("code"))
    current = {c.region_id: c.value for c in Target.objects.filter(parent=t, is_current=True)}
    initial = {f"value_{code}": f"{v.normalize():f}" for code, v in current.items()}
    form = forms.BreakdownForm(request.POST or None, target=t, children=children, initial=initial)

    def call(f):
        services.breakdown(request.user, t, f.values(), note=f.cleaned_data.get("note") or "")
        messages.success(request, _("已分解到下级区划"))
        return redirect(reverse("web:target", args=[t.pk]))

    kpi = KPIS.get(t.kpi)
    return _save(request, form, call, "web/targets/admin/target_breakdown.html", {
        "title": _("分解目标任务"), "t": t, "kpi": kpi, "additive": bool(kpi and kpi.additive
                                                                       and t.comparator in ("at_least", "above")),
        "value_fields": [form[f"value_{r.code}"] for r in children]})


@reader_required
def input_values(request):
    form = forms.InputSearchForm(request.GET, user=request.user)
    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=queries.inputs_of_search(request.user, s).iterator(chunk_size=2000),
                           total=queries.count_inputs(request.user, s), columns=INPUT_COLUMNS, sheet=_("输入指标值"),
                           filename="kpi-inputs", object_type="kpi_input", filters=filters_of(form), sort=s.sort,
                           summary=_("导出输入指标值"))
    context = list_page(request, form, search=queries.search_inputs, count=queries.count_inputs)
    for v in context["page"]["rows"]:
        kpi = KPIS.get(v.kpi)
        v.kpi_name, v.unit = (kpi.name, kpi.unit) if kpi else (v.kpi, "")
    context.update(title=_("输入指标值"), may_manage=roles.can_manage_targets(request.user), kpis=KPIS)
    return render(request, "web/targets/admin/input_list.html", context)


@manager_required
def input_value_new(request):
    initial = {k: request.GET.get(k) for k in ("kpi", "region", "period") if request.GET.get(k)}
    form = forms.InputValueForm(request.POST or None, user=request.user, initial=initial)

    def call(f):
        d = f.cleaned_data
        _row, what = services.enter_input_value(request.user, kpi=d["kpi"], region_code=d["region"], period=d["period"],
                                                value=d["value"], source=d["source"], note=d["note"])
        messages.success(request, {"created": _("已录入"), "corrected": _("已更正（旧版本已保留）"),
                                   "unchanged": _("数值与来源与现行版本相同，未作改动")}[what])
        return redirect(reverse("web:input_values") + f"?kpi={d['kpi']}&region={d['region']}&history=on")

    return _save(request, form, call, "web/targets/admin/input_form.html", {"title": _("录入输入指标值")})
