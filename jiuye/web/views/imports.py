"""Imports wing: upload a file, the batch page, the error report."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jiuye.imports import queries
from jiuye.imports.services import submit_import
from jiuye.web.forms import imports as forms
from jiuye.web.views.common import importer_required, staff_required


@importer_required
def imports(request):
    form = forms.ImportForm(request.POST if request.method == "POST" else None,
                            request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = submit_import(kind=form.cleaned_data["kind"], upload=upload, actor=request.user,
                                  dry_run=form.cleaned_data["dry_run"], original_name=upload.name)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            if batch.is_active:
                messages.info(request, _("文件已上传，正在后台导入，本页会自动刷新显示进度。"))
            else:
                _banner(request, batch)
            return redirect("web:import_batch", pk=batch.pk)
    batches = list(queries.import_batches_visible_to(
        request.user, kind=request.GET.get("kind", ""), status=request.GET.get("status", ""))[:20])
    return render(request, "web/imports/index.html", {"form": form, "batches": batches})


#: The banner matching how a finished batch ended: green only when every row went in.
_BANNERS = {"ok": messages.success, "partial": messages.warning, "unusable": messages.error, "failed": messages.error}


def _banner(request, batch) -> None:
    show = _BANNERS.get(batch.status, messages.info)
    show(request, _("文件已处理：%(s)s") % {"s": batch.get_status_display()})


@importer_required
def import_batch(request, pk: int):
    return render(request, "web/imports/batch.html", {"batch": queries.get_import_batch(request.user, pk)})


@staff_required
def import_report(request, pk: int):
    # queries.open_import_report applies the one rule (full, masked or none), as the API and the CLI do
    path = queries.open_import_report(request.user, queries.get_import_batch(request.user, pk))
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
