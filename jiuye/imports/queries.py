"""Scoped reads of import batches: the web pages and the API both list and open batches here."""
from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from jiuye.accounts import audit, roles
from jiuye.accounts.models import AuditEntry
from jiuye.accounts.scoping import region_q
from jiuye.imports.models import ImportBatch


def import_batches_visible_to(user, *, kind: str | None = None, status: str | None = None) -> QuerySet[ImportBatch]:
    """The batches ``user`` may see, newest first: their own, and (for registry readers) every batch
    made by an operator whose region lies in their scope. ``kind``/``status`` filter ("" = all)."""
    if user is None or not user.is_authenticated:
        return ImportBatch.objects.none()
    visible = Q(actor_id=user.pk)
    if roles.can_read_registry(user):
        visible |= region_q(user, "region_code") & ~Q(region_code="")
    batches = ImportBatch.objects.filter(visible)
    # A filter value no kind or status has (a control character would also be refused by PostgreSQL): none.
    if kind:
        batches = batches.filter(kind=kind) if kind.isprintable() else batches.none()
    if status:
        batches = batches.filter(status=status) if status.isprintable() else batches.none()
    return batches.select_related("actor").order_by("-started_at", "-id")


def get_import_batch(user, pk: int) -> ImportBatch:
    """One visible batch; Http404 (with a Chinese message) when it does not exist or is not visible."""
    batch = import_batches_visible_to(user).filter(pk=pk).first()
    if batch is None:
        raise Http404(_("导入批次不存在或不在您的管辖范围内"))
    return batch


def open_import_report(user, batch: ImportBatch) -> Path:
    """The path of the batch's error report (audited as an export); Http404 when there is none."""
    if not batch.report_file:
        raise Http404(_("该批次没有错误报告"))
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / batch.report_file).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise Http404(_("错误报告文件不存在"))
    audit.record(user, AuditEntry.Action.EXPORT, object_type="import_batch", object_id=batch.pk,
                 object_label=batch.file_name, region_code=batch.region_code, summary=_("下载导入错误报告"))
    return path
