"""Employers wing: search and the employer page."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from jiuye.accounts import roles
from jiuye.registry import queries
from jiuye.registry.identity import mask_id_number
from jiuye.web.forms import employers as forms
from jiuye.web.views.common import PAGE_SIZE, search_page, staff_required


@staff_required
def employer_search(request):
    form = forms.EmployerSearchForm(request.GET)
    return render(request, "web/employers/search.html", search_page(request, form, queries.search_employers))


@login_required
def employer_detail(request, pk: int):
    employer = queries.get_employer(request.user, pk)
    context = {"employer": employer}
    if roles.can_read_registry(request.user):
        employees = queries.visible_employees(request.user, employer)
        context["employee_count"] = employees.count()
        context["employees"] = [{"person": p, "id_masked": mask_id_number(p.id_number)}
                                for p in employees.order_by("name", "pk")[:PAGE_SIZE]]
    return render(request, "web/employers/detail.html", context)
