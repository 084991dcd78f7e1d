"""Import endpoints: upload a file, list batches, read a batch, download its error report.

Mounted in jiuye/api.py at /api/v1: POST /imports (multipart: kind, file, dry_run), GET /imports
(the batches the user may see, filters kind and status), GET /imports/{id}, GET /imports/{id}/report.
Reads go through ``jiuye.imports.queries`` (the same functions as the web pages).
"""
from __future__ import annotations

import datetime
import os
import tempfile
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from jiuye.accounts import roles
from jiuye.imports import kinds, queries
from jiuye.imports.models import ImportBatch
from jiuye.imports.services import run_import

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


class ErrorOut(Schema):
    detail: str


def _out(batch: ImportBatch) -> ImportBatchOut:
    return ImportBatchOut(
        id=batch.pk, kind=batch.kind, kind_label=str(batch.get_kind_display()), file_name=batch.file_name,
        status=batch.status, status_label=str(batch.get_status_display()), dry_run=batch.dry_run,
        total_rows=batch.total_rows, imported=batch.imported, updated=batch.updated, unchanged=batch.unchanged,
        rejected=batch.rejected, error_message=batch.error_message,
        report_url=f"/imports/{batch.pk}/report" if batch.report_file else None,
        started_at=batch.started_at, finished_at=batch.finished_at,
    )


class BatchFilters(Schema):
    kind: str = ""
    status: str = ""
    limit: int = 50
    offset: int = 0


def _batch(request, batch_id: int) -> ImportBatch:
    try:
        return queries.get_import_batch(request.auth, batch_id)
    except Http404 as exc:
        raise HttpError(404, str(exc)) from None


@router.post("/imports", response={200: ImportBatchOut, 400: ErrorOut, 403: ErrorOut}, summary="上传文件导入（Excel 或 CSV）")
def upload(request, kind: Form[str], file: File[UploadedFile], dry_run: Form[bool] = False):
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
    handle, name = tempfile.mkstemp(prefix="jiuye-upload-", suffix=suffix)
    try:
        with os.fdopen(handle, "wb") as tmp:
            for chunk in file.chunks():
                tmp.write(chunk)
        batch = run_import(kind=kind, path=Path(name), actor=user, dry_run=dry_run, original_name=file.name)
    finally:
        os.unlink(name)
    return Status(200, _out(batch))


@router.get("/imports", response={200: list[ImportBatchOut]}, summary="导入批次列表（可见范围内，最新在前）")
def list_batches(request, filters: Query[BatchFilters]):
    limit = max(1, min(filters.limit, 500))
    offset = max(0, filters.offset)
    batches = queries.import_batches_visible_to(request.auth, kind=filters.kind, status=filters.status)
    return [_out(b) for b in batches[offset : offset + limit]]


@router.get("/imports/{batch_id}", response={200: ImportBatchOut}, summary="导入批次结果")
def get_batch(request, batch_id: int):
    return _out(_batch(request, batch_id))


@router.get("/imports/{batch_id}/report", summary="下载导入错误报告（.xlsx）")
def get_report(request, batch_id: int):
    batch = _batch(request, batch_id)
    try:
        path = queries.open_import_report(request.auth, batch)  # the one rule: full, masked or none
    except Http404 as exc:
        raise HttpError(404, str(exc)) from None
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from None
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name,
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
