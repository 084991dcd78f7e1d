"""充分就业社区 (issue 12, part tasks): the assessment of a year with the evidence per criterion (count, sort,
filter, export), one community's evidence over the years with its awarded titles, and running the assessment
of a year. Rules and scope live in jiuye.targets.communities, queries_communities and services_communities."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _l

from jiuye.accounts import roles
from jiuye.accounts.scoping import OutOfScope
from jiuye.targets import communities
from jiuye.targets import queries_communities as queries
from jiuye.targets import services_communities as services
from jiuye.targets.models import Designation
from jiuye.web.charts import bar_chart, chart_id
from jiuye.web.exports import EXPORT_MAX, Column, export_xlsx, filters_of, is_export
from jiuye.web.forms import targets_tasks as forms
from jiuye.web.views.common import list_page, require

reader_required = require(roles.can_read_targets, gettext_lazy("您的角色无权查看目标任务"))
manager_required = require(roles.can_manage_targets, gettext_lazy("您的角色无权评估充分就业社区"))
DESIGNATIONS = dict(Designation.choices)


def _cells(a) -> list[dict]:
    return [{"label": e["label"], "value": communities.show_value(e), "threshold": communities.show_threshold(e),
             "passed": e["passed"], "detail": f"{e['numerator']}/{e['denominator']}" if e.get("denominator") else ""}
            for e in a.evidence]


def _criterion_column(i: int, code: str, label) -> Column:
    def value(a):
        e = next((x for x in a.evidence if x["criterion"] == code), None)
        return "" if e is None else f"{communities.show_value(e)}（{'达标' if e['passed'] else '未达标'}）"
    return Column(label, value)


COLUMNS = [
    Column(_l("街道"), lambda a: a.region.parent.name if a.region.parent_id else ""),
    Column(_l("社区"), lambda a: a.region.name), Column(_l("社区代码"), lambda a: a.region_id),
    Column(_l("年度"), lambda a: a.year), Column(_l("评估结果"), lambda a: _("达标") if a.passed else _("未达标")),
    *[_criterion_column(i, code, label) for i, (code, label, *_r) in enumerate(communities.CRITERIA)],
    Column(_l("认定称号"), lambda a: str(DESIGNATIONS.get(a.designation, ""))),
    Column(_l("数据截至"), lambda a: a.known_on), Column(_l("评估时间"), lambda a: a.assessed_at),
]


def _default_year(user) -> int:
    years = queries.years_assessed(user)
    return years[0] if years else timezone.localdate().year - 1


@reader_required
def fe_communities(request):
    default_year = _default_year(request.user)
    form = forms.AssessmentSearchForm(request.GET, user=request.user, default_year=default_year)
    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=queries.assessments_of_search(request.user, s),
                           total=queries.count_assessments(request.user, s), columns=COLUMNS,
                           sheet=_("充分就业社区评估"), filename="fe-communities", object_type=services.OBJECT_TYPE,
                           filters=filters_of(form), sort=queries.assessment_sort(s), summary=_("导出充分就业社区评估"))
    context = list_page(request, form, search=queries.search_assessments, count=queries.count_assessments,
                        sort=queries.assessment_sort)
    year = form.search(limit=1).year if form.is_valid() else default_year
    region = (form.cleaned_data.get("region") or "") if form.is_valid() else ""
    context.update(year=year, summary=queries.summary(request.user, year, region),
                   labels=[(c, label) for c, label, *_r in communities.CRITERIA],
                   may_manage=roles.can_manage_targets(request.user),
                   rows=[{"a": a, "cells": _cells(a), "designation": DESIGNATIONS.get(a.designation, "")}
                         for a in context["page"]["rows"]])
    context["failed_by"] = [(label, context["summary"]["failed_by"].get(c, 0)) for c, label in context["labels"]]
    if context["summary"]["communities"]:
        context["chart"] = bar_chart([str(label) for label, _n in context["failed_by"]],
                                     {str(_("未达到的社区数")): [n for _l, n in context["failed_by"]]}, horizontal=True)
        context["chart_id"] = chart_id()
    return render(request, "web/targets/communities/list.html", context)


@reader_required
def fe_community(request, code: str):
    try:
        region = queries.community(request.user, code)
        history = queries.community_history(request.user, code)
    except OutOfScope:
        raise Http404(_(queries.NOT_FOUND)) from None
    may_manage = roles.can_manage_targets(request.user)
    form = forms.DesignationForm(request.POST or None, initial={"year": history[0].year if history else None}) \
        if may_manage else None
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied(_("您的角色无权记录充分就业社区称号"))
        if form.is_valid():
            try:
                services.designate(request.user, code, form.cleaned_data["year"], form.cleaned_data["designation"])
            except ValidationError as exc:
                form.add_service_error(exc)
            except OutOfScope as exc:
                raise PermissionDenied(str(exc)) from None
            else:
                messages.success(request, _("已记录 %(y)s 年度的认定称号") % {"y": form.cleaned_data["year"]})
                return redirect("web:fe_community", code=code)
    rows = [{"a": a, "cells": _cells(a), "designation": DESIGNATIONS.get(a.designation, "")} for a in history]
    return render(request, "web/targets/communities/detail.html", {
        "region": region, "rows": rows, "form": form, "labels": [label for _c, label, *_r in communities.CRITERIA],
    }, status=400 if request.method == "POST" else 200)


@manager_required
def fe_assess(request):
    form = forms.AssessForm(request.POST or None, user=request.user,
                            initial={"year": timezone.localdate().year - 1})
    if request.method == "POST" and form.is_valid():
        region = form.cleaned_data["region"] or request.user.region_id or ""
        try:
            out = services.assess(request.user, form.cleaned_data["year"], region)
        except ValidationError as exc:
            form.add_service_error(exc)
        except OutOfScope as exc:
            raise PermissionDenied(str(exc)) from None
        else:
            messages.success(request, _("已评估 %(y)s 年度 %(n)s 个社区，达标 %(p)s 个") % {
                "y": out["year"], "n": out["communities"], "p": out["passed"]})
            return redirect(f"{_url('web:fe_communities')}?year={out['year']}")
    return render(request, "web/targets/communities/assess.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


def _url(name: str) -> str:
    from django.urls import reverse
    return reverse(name)
