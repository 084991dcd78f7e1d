"""Import endpoints: upload a file, read a batch, download its error report.

Mounted in jiuye/api.py with ``api.add_router("/", imports_router)``:
POST /imports (multipart: kind, file, dry_run), GET /imports/{id}, GET /imports/{id}/report.
"""
from __future__ import annotations

import datetime
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.http import FileResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from jiuye.accounts import audit, roles
from jiuye.accounts.api_auth import SessionOrToken
from jiuye.accounts.models import AuditEntry
from jiuye.accounts.scoping import scope_prefix
from jiuye.registry.imports.columns import KINDS
from jiuye.registry.imports.pipeline import run_import
from jiuye.registry.models import ImportBatch

router = Router(tags=["imports"], auth=SessionOrToken())

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


def can_see_batch(user, batch: ImportBatch) -> bool:
    """The batch's actor, or a registry user whose region contains the batch's region."""
    if user is None or not user.is_authenticated:
        return False
    if batch.actor_id is not None and batch.actor_id == user.pk:
        return True
    if not roles.can_read_registry(user):
        return False
    prefix = scope_prefix(user)
    if prefix is None:
        return False
    if prefix == "":
        return True
    return bool(batch.region_code) and batch.region_code.startswith(prefix)


def _batch(request, batch_id: int) -> ImportBatch:
    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is None or not can_see_batch(request.auth, batch):
        raise HttpError(404, _("导入批次不存在或不在您的管辖范围内"))
    return batch


@router.post("/imports", response={200: ImportBatchOut, 400: ErrorOut, 403: ErrorOut}, summary="上传文件导入（Excel 或 CSV）")
def upload(request, kind: Form[str], file: File[UploadedFile], dry_run: Form[bool] = False):
    user = request.auth
    if not roles.can_import(user):
        return Status(403, {"detail": _("您的角色无权导入数据")})
    if kind not in KINDS:
        return Status(400, {"detail": _("导入类型“%(k)s”无效（可选：%(all)s）") % {"k": kind, "all": "、".join(KINDS)}})
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


@router.get("/imports/{batch_id}", response={200: ImportBatchOut}, summary="导入批次结果")
def get_batch(request, batch_id: int):
    return _out(_batch(request, batch_id))


@router.get("/imports/{batch_id}/report", summary="下载导入错误报告（.xlsx）")
def get_report(request, batch_id: int):
    batch = _batch(request, batch_id)
    if not batch.report_file:
        raise HttpError(404, _("该批次没有错误报告"))
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / batch.report_file).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise HttpError(404, _("错误报告文件不存在"))
    audit.record(request.auth, AuditEntry.Action.EXPORT, object_type="import_batch", object_id=batch.pk,
                 object_label=batch.file_name, region_code=batch.region_code, summary=_("下载导入错误报告"))
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name,
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
