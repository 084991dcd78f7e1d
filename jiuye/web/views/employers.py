"""Employers wing: search, the employer page, registering and editing an employer."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jiuye.accounts import roles
from jiuye.accounts.scoping import in_scope
from jiuye.registry import queries, services
from jiuye.registry.identity import mask_id_number
from jiuye.registry.models import Employer
from jiuye.web.forms import employers as forms
from jiuye.web.exports import EXPORT_MAX, Column, choice_label, export_xlsx, filters_of, is_export
from jiuye.web.views.common import PAGE_SIZE, list_page, post_data, service_form, staff_required, writer_required


#: The employer list's columns as the page shows them (the export writes the same).
EMPLOYER_COLUMNS = [
    Column(_l("单位名称"), lambda e: e.name),
    Column(_l("统一社会信用代码"), lambda e: e.credit_code),
    Column(_l("所在街道"), lambda e: e.region.parent.name if e.region.parent_id else ""),
    Column(_l("所在社区"), lambda e: e.region.name),
    Column(_l("经济类型"), choice_label(Employer, "ownership")),
    Column(_l("企业规模"), choice_label(Employer, "size_class")),
    Column(_l("职工人数"), lambda e: e.employee_count),
]


@staff_required
def employer_search(request):
    form = forms.EmployerSearchForm(request.GET, user=request.user)
    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=queries.employers_of_search(request.user, s).iterator(chunk_size=2000),
                           total=queries.count_employers(request.user, s), columns=EMPLOYER_COLUMNS,
                           sheet=_("用人单位"), filename="employers", object_type="employer", filters=filters_of(form),
                           sort=queries.employer_sort(s), summary=_("导出用人单位列表"))
    context = list_page(request, form, search=queries.search_employers, count=queries.count_employers,
                        sort=queries.employer_sort)
    return render(request, "web/employers/search.html", context)


@login_required
def employer_detail(request, pk: int):
    employer = queries.get_employer(request.user, pk)
    context = {"employer": employer,
               "may_edit": roles.can_write_registry(request.user) and in_scope(request.user, employer.region_id)}
    if roles.can_read_registry(request.user):
        employees = queries.visible_employees(request.user, employer)
        context["employee_count"] = employees.count()
        context["employees"] = [{"person": p, "id_masked": mask_id_number(p.id_number)}
                                for p in employees.order_by("name", "pk")[:PAGE_SIZE]]
    return render(request, "web/employers/detail.html", context)


def employer_url(employer) -> str:
    return reverse("web:employer", args=[employer.pk])


@writer_required
def employer_create(request):
    """登记用人单位. ``?credit_code=`` prefills the code (the link from a registration form that met an
    unregistered employer)."""
    initial = {"credit_code": request.GET.get("credit_code", "")[:24]}
    form = forms.EmployerForm(post_data(request), user=request.user, initial=initial)

    def call(f):
        return employer_url(services.create_employer(actor=request.user, **f.service_kwargs()))

    return service_form(request, form, call, success=_("用人单位已登记"), template="web/employers/form.html",
                        context={"title": _("登记用人单位")})


@writer_required
def employer_edit(request, pk: int):
    employer = queries.get_employer(request.user, pk, audit_read=False)
    form = forms.EmployerForm(post_data(request), user=request.user, employer=employer)

    def call(f):
        return employer_url(services.update_employer(actor=request.user, employer=employer, **f.service_kwargs()))

    return service_form(request, form, call, success=_("单位信息已保存"), template="web/employers/form.html",
                        context={"title": _("修改单位信息"), "employer": employer})
