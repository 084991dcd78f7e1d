"""Import endpoints: upload a file, list batches, read a batch, download its error report.

Mounted in jiuye/api.py at /api/v1: POST /imports (multipart: kind, file, dry_run; stores the file,
queues the import and returns the batch at once, see services.submit_import), GET /imports
(the batches the user may see, filters kind and status), GET /imports/{id}, GET /imports/{id}/report.
Reads go through ``jiuye.imports.queries`` (the same functions as the web pages).
"""
from __future__ import annotations

import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from jiuye.accounts import roles
from jiuye.apitypes import Limit, Offset, RecordId, text
from jiuye.imports import kinds, queries
from jiuye.imports.models import ImportBatch
from jiuye.imports.services import submit_import
from jiuye.middleware import upload_too_large_message

router = Router(tags=["imports"])  # authentication: set once on the NinjaAPI (jiuye/api.py)

ALLOWED_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")


class ImportBatchOut(Schema):
    id: int
    kind: str
    kind_label: str
    file_name: str
    status: str
    status_label: str
    dry_run: bool
    total_rows: int
    imported: int
    updated: int
    unchanged: int
    rejected: int
    error_message: str
    report_url: str | None
    started_at: datetime.datetime
    finished_at: datetime.datetime | None
    expected_rows: int
    rows_read: int
    rows_validated: int
    rows_written: int


class ErrorOut(Schema):
    detail: str


def _out(batch: ImportBatch) -> ImportBatchOut:
    return ImportBatchOut(
        id=batch.pk, kind=batch.kind, kind_label=str(batch.get_kind_display()), file_name=batch.file_name,
        status=batch.status, status_label=str(batch.get_status_display()), dry_run=batch.dry_run,
        total_rows=batch.total_rows, imported=batch.imported, updated=batch.updated, unchanged=batch.unchanged,
        rejected=batch.rejected, error_message=batch.error_message,
        report_url=f"/imports/{batch.pk}/report" if batch.report_file else None,
        started_at=batch.started_at, finished_at=batch.finished_at, expected_rows=batch.expected_rows,
        rows_read=batch.rows_read, rows_validated=batch.rows_validated, rows_written=batch.rows_written,
    )


class BatchFilters(Schema):
    kind: text(32) = ""
    status: text(16) = ""
    limit: Limit = 50
    offset: Offset = 0


def _batch(request, batch_id: int) -> ImportBatch:
    try:
        return queries.get_import_batch(request.auth, batch_id)
    except Http404 as exc:
        raise HttpError(404, str(exc)) from None


@router.post("/imports", response={200: ImportBatchOut, 400: ErrorOut, 403: ErrorOut, 413: ErrorOut}, summary="上传文件导入（Excel 或 CSV）",
             description="文件保存后立即返回批次（status 为 queued 或 running），导入由后台任务进程执行；"
                         "用 GET /imports/{id} 查看进度（rows_read、rows_validated、rows_written）和结果。")
def upload(request, kind: Form[text(32)], file: File[UploadedFile], dry_run: Form[bool] = False):
    user = request.auth
    if not roles.can_import(user):
        return Status(403, {"detail": _("您的角色无权导入数据")})
    try:
        kinds.get(kind)
    except kinds.UnknownKind as exc:
        return Status(400, {"detail": exc.message})
    suffix = Path(file.name or "").suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        return Status(400, {"detail": _("只能导入 .xlsx、.xls 或 .csv 文件")})
    if file.size > settings.JIUYE_MAX_UPLOAD_SIZE:
        return Status(413, {"detail": upload_too_large_message()})
    batch = submit_import(kind=kind, upload=file, actor=user, dry_run=dry_run, original_name=file.name)
    return Status(200, _out(batch))


@router.get("/imports", response={200: list[ImportBatchOut]}, summary="导入批次列表（可见范围内，最新在前）")
def list_batches(request, filters: Query[BatchFilters]):
    limit = max(1, min(filters.limit, 500))
    offset = max(0, filters.offset)
    batches = queries.import_batches_visible_to(request.auth, kind=filters.kind, status=filters.status)
    return [_out(b) for b in batches[offset : offset + limit]]


@router.get("/imports/{batch_id}", response={200: ImportBatchOut}, summary="导入批次结果")
def get_batch(request, batch_id: RecordId):
    return _out(_batch(request, batch_id))


@router.get("/imports/{batch_id}/report", summary="下载导入错误报告（.xlsx）")
def get_report(request, batch_id: RecordId,
               full_id_number: bool = Query(False, description="含完整公民身份号码（仅限可查看完整号码的角色；否则脱敏）")):
    batch = _batch(request, batch_id)
    try:
        # the one rule: masked unless the role may see full numbers and asks for them
        path = queries.open_import_report(request.auth, batch, full=full_id_number)
    except Http404 as exc:
        raise HttpError(404, str(exc)) from None
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from None
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name,
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
