"""Audit wing: the audit log (read-only)."""
from __future__ import annotations

from django.shortcuts import render

from jiuye.accounts import queries
from jiuye.web.forms import audit as forms
from jiuye.web.views.common import audit_reader_required, search_page


@audit_reader_required
def audit_log(request):
    form = forms.AuditFilterForm(request.GET)
    return render(request, "web/audit/log.html", search_page(request, form, queries.search_audit))
