"""The workbench home (accounts wing): counts for staff, the way to one's own record for others."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from jiuye.accounts import roles
from jiuye.imports import queries as import_queries
from jiuye.registry import queries


@login_required
def home(request):
    user = request.user
    context = {"today": timezone.localdate()}
    if roles.can_read_registry(user):
        # One row per child region (streets of a district ...) and the key groups; the tiles are its totals.
        overview = queries.region_overview(user)
        context["overview"] = overview
        context["counts"] = overview.total.counts if overview is not None else queries.registry_counts(user)
        if roles.can_import(user):
            context["recent_imports"] = list(import_queries.import_batches_visible_to(user)[:5])
    # Residents and employer users: own_person_id / own_employer_id come from web.context.
    return render(request, "web/home.html", context)
