"""Imports wing: upload a file, the batch page, the error report."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jiuye.imports import queries
from jiuye.imports.services import submit_import
from jiuye.web.forms import imports as forms
from jiuye.web.exports import EXPORT_MAX, Column, export_xlsx, filters_of, is_export
from jiuye.web.views.common import importer_required, list_page, staff_required


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
    filter_form = forms.BatchFilterForm(request.GET)
    if request.method == "GET" and is_export(request, filter_form):
        s = filter_form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=queries.batches_of_search(request.user, s).iterator(chunk_size=2000),
                           total=queries.count_batches(request.user, s), columns=BATCH_COLUMNS, sheet=_("导入记录"),
                           filename="imports", object_type="import_batch", filters=filters_of(filter_form),
                           sort=queries.batch_sort(s), summary=_("导出导入记录"))
    context = list_page(request, filter_form, search=queries.search_batches, count=queries.count_batches,
                        sort=queries.batch_sort)
    return render(request, "web/imports/index.html", {**context, "form": form, "filter_form": filter_form,
                                                      "batches": context["page"]["rows"]})


#: The batch list's columns as the page shows them (the export writes the same).
BATCH_COLUMNS = [
    Column(_l("开始时间"), lambda b: b.started_at),
    Column(_l("类型"), lambda b: b.get_kind_display()),
    Column(_l("文件名"), lambda b: b.file_name),
    Column(_l("仅校验"), lambda b: b.dry_run),
    Column(_l("操作人"), lambda b: str(b.actor) if b.actor_id else ""),
    Column(_l("结果"), lambda b: b.get_status_display()),
    Column(_l("新增"), lambda b: b.imported),
    Column(_l("更新"), lambda b: b.updated),
    Column(_l("未变化"), lambda b: b.unchanged),
    Column(_l("拒绝"), lambda b: b.rejected),
]


#: The banner matching how a finished batch ended: green only when every row went in.
_BANNERS = {"ok": messages.success, "partial": messages.warning, "unusable": messages.error, "failed": messages.error}


def _banner(request, batch) -> None:
    show = _BANNERS.get(batch.status, messages.info)
    show(request, _("文件已处理：%(s)s") % {"s": batch.get_status_display()})


@importer_required
def import_batch(request, pk: int):
    batch = queries.get_import_batch(request.user, pk)
    return render(request, "web/imports/batch.html", {
        "batch": batch, "may_export_full_ids": queries.report_access(request.user, batch) == queries.FULL})


@staff_required
def import_report(request, pk: int):
    # queries.open_import_report applies the one rule (full, masked or none), as the API and the CLI do
    # masked unless the role may see full numbers and asked for them ("含完整身份证号", ?full_id=1)
    path = queries.open_import_report(request.user, queries.get_import_batch(request.user, pk),
                                      full=request.GET.get("full_id") == "1")
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
