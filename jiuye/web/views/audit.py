"""Audit wing: the audit log (read-only)."""
from __future__ import annotations

from django.shortcuts import render

from jiuye.accounts import queries
from jiuye.web.forms import audit as forms
from jiuye.web.views.common import PAGE_SIZE, audit_reader_required, page_context


@audit_reader_required
def audit_log(request):
    form = forms.AuditFilterForm(request.GET)
    result = ([], False)
    if form.is_valid():
        result = queries.search_audit(request.user, form.search(limit=PAGE_SIZE))
    return render(request, "web/audit/log.html", {"form": form, "page": page_context(request, form, result)})
