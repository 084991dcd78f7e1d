"""The case workbench (援助个案): the assistance home, the case list (count, sort, filter, Excel), the case
page (subject, deadlines, timeline, next steps, the service form, reassignment) and the overview per
street or community. Thin views over ``assistance.queries.cases`` and ``assistance.services.cases``."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jiuye.accounts import roles
from jiuye.accounts.models import Role
from jiuye.assistance.models import EscalationLevel
from jiuye.assistance.queries import cases as queries
from jiuye.assistance.services import cases as services
from jiuye.web.exports import EXPORT_MAX, Column, choice_label, export_xlsx, filters_of, is_export
from jiuye.web.forms import assistance_cases as forms
from jiuye.web.views.common import list_page, post_data, staff_required


def _region_label(region) -> str:
    return f"{region.parent.name} {region.name}" if region.parent_id else region.name


def _level_label(case) -> str:
    level = queries.level_of(case)
    return str(EscalationLevel(level).label) if level else ""


#: The 援助个案 list's columns as the page shows them (the export writes the same; no identity numbers).
CASE_COLUMNS = [
    Column(_l("编号"), lambda c: c.pk),
    Column(_l("援助类型"), choice_label(queries.Case, "kind")),
    Column(_l("援助对象"), queries.subject_label),
    Column(_l("所在社区"), lambda c: _region_label(c.region)),
    Column(_l("责任人"), lambda c: str(c.assigned_to or "")),
    Column(_l("状态"), choice_label(queries.Case, "status")),
    Column(_l("立案日期"), lambda c: c.opened_on),
    Column(_l("最近期限"), lambda c: c.next_due_on),
    Column(_l("逾期"), lambda c: _("是") if queries.is_overdue(c) else ""),
    Column(_l("督办层级"), _level_label),
]


@staff_required
def assistance_home(request):
    """就业援助: the worker's own cases, the overview for officers, links to every part (``_subnav.html``)."""
    user = request.user
    context = {"title": _("就业援助"), "summary": queries.my_summary(user) if roles.can_work_cases(user) else None}
    if user.is_superuser or user.role != Role.COMMUNITY_WORKER:
        context["overview"] = queries.case_overview(user)
    urgent, _more = queries.search_cases(user, queries.CaseSearch(mine=user.role == Role.COMMUNITY_WORKER, limit=10))
    context["urgent"] = [{"c": c, "overdue": queries.is_overdue(c), "level": _level_label(c)} for c in urgent]
    return render(request, "web/assistance/home.html", context)


@staff_required
def case_list(request):
    form = forms.CaseSearchForm(request.GET, user=request.user)
    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=queries.cases_of_search(request.user, s).iterator(chunk_size=2000),
                           total=queries.count_cases(request.user, s), columns=CASE_COLUMNS, sheet=_("援助个案"),
                           filename="cases", object_type="case", filters=filters_of(form),
                           sort=queries.case_sort(s), summary=_("导出援助个案列表"), full_numbers=False)
    try:
        context = list_page(request, form, search=queries.search_cases, count=queries.count_cases,
                            sort=queries.case_sort)
    except ValueError as exc:
        form.add_error("region", str(exc))
        context = list_page(request, form, search=queries.search_cases, count=queries.count_cases,
                            sort=queries.case_sort)
    context["may_export_full_ids"] = False
    context["rows"] = [{"c": c, "overdue": queries.is_overdue(c), "level": _level_label(c)}
                       for c in context["page"]["rows"]]
    context["title"] = _("援助个案")
    return render(request, "web/assistance/cases/list.html", context)


@staff_required
def case_detail(request, pk: int):
    page = queries.case_page(request.user, pk, audit_read=request.method != "POST")
    case = page.case
    initial = {"served_on": timezone.localdate()}
    if request.GET.get("service") in services.ServiceKind.values:
        initial["kind"] = request.GET["service"]
    form = forms.ServiceForm(post_data(request), members=page.members if case.kind == "zero_employment" else (),
                             initial=initial)
    if request.method == "POST":
        if not page.may_serve:
            raise PermissionDenied(_("您无权为该个案登记服务"))
        if form.is_valid():
            try:
                services.record_service(actor=request.user, case=case, **form.service_kwargs())
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("已登记帮扶服务"))
                return redirect("web:case", pk=case.pk)
    reassign = forms.ReassignForm(workers=page.workers) if page.may_reassign else None
    return render(request, "web/assistance/cases/detail.html", {
        "page": page, "case": case, "form": form, "reassign_form": reassign, "title": _("援助个案 #%(n)s") % {"n": case.pk},
        "level_label": str(EscalationLevel(page.level).label) if page.level else "",
    })


@staff_required
def case_reassign(request, pk: int):
    if request.method != "POST":
        return redirect("web:case", pk=pk)
    case = queries.get_case_for_change(request.user, pk)
    form = forms.ReassignForm(request.POST, workers=services.reassignable_workers(case))
    if form.is_valid():
        try:
            services.reassign_case(actor=request.user, case=case, worker_id=form.cleaned_data["worker_id"],
                                   note=form.cleaned_data["note"])
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已改派"))
    else:
        messages.error(request, _("请选择改派的社区协理员"))
    return redirect("web:case", pk=pk)


@staff_required
def case_overview(request):
    form = forms.OverviewForm(request.GET or None)
    on = period_from = None
    if form.is_bound and form.is_valid():
        on, period_from = form.cleaned_data["on"], form.cleaned_data["period_from"]
    overview = queries.case_overview(request.user, on, period_from=period_from)
    return render(request, "web/assistance/cases/overview.html", {
        "form": form, "overview": overview, "title": _("援助个案概况"), "cases_url": reverse("web:cases"),
    })
