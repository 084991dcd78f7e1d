"""Scoped reads of import batches: the web pages and the API both list and open batches here."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from jiuye.accounts import audit, roles
from jiuye.accounts.models import AuditEntry
from jiuye.accounts.scoping import in_scope, region_q
from jiuye.imports.models import ImportBatch
from jiuye.imports.report import masked_report_name
from jiuye.paging import page, sort_key, sorted_by

FULL, MASKED = "full", "masked"


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


def report_access(user, batch: ImportBatch) -> str | None:
    """Which error report of ``batch`` ``user`` may download: ``FULL``, ``MASKED`` or None.

    The one rule for the web, the API and the CLI: whoever may import in the batch's region (the
    region of the account that ran it) gets the report, masked when their role may not see full
    identity numbers; those who read the audit log of that region (auditors, district and city
    officers) get the masked report; nobody else any. ``user`` None is the installation administrator
    at the shell (the full report).
    """
    if user is None:
        return FULL
    if not user.is_authenticated:
        return None
    in_region = in_scope(user, batch.region_code) if batch.region_code else user.is_superuser
    if roles.can_import(user) and (in_region or batch.actor_id == user.pk):
        return FULL if roles.can_see_full_id_number(user) else MASKED
    if roles.can_read_audit(user) and in_region:
        return MASKED
    return None


def open_import_report(user, batch: ImportBatch, *, full: bool = False) -> Path:
    """The path of the error report of ``batch`` that ``user`` may download, audited as an export;
    Http404 when there is none, PermissionDenied when the user may see the batch but not its report.

    The one rule of every list, export and file (web/exports.py): identity numbers are masked unless
    the user may see full numbers (``report_access`` FULL) AND asked for them (``full``)."""
    if not batch.report_file:
        raise Http404(_("该批次没有错误报告"))
    access = report_access(user, batch)
    if access is None:
        raise PermissionDenied(_("您的角色无权下载该批次的错误报告"))
    if access == FULL and not full:
        access = MASKED
    relative = batch.report_file if access == FULL else masked_report_name(batch.report_file)
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise Http404(_("错误报告文件不存在") if access == FULL else _("该批次没有脱敏的错误报告（早于脱敏功能生成）"))
    audit.record(user, AuditEntry.Action.EXPORT, object_type="import_batch", object_id=batch.pk,
                 object_label=batch.file_name, region_code=batch.region_code,
                 changes={"report": access},
                 summary=_("下载导入错误报告") if access == FULL else _("下载导入错误报告（脱敏）"))
    return path


# ---------------------------------------------------------------------------------------------
# The batch list (web): count, sort, page, export


@dataclass
class BatchSearch:
    kind: str = ""
    status: str = ""
    sort: str = ""  # a key of BATCH_SORTS, "-" for descending; "" = newest first
    limit: int = 50
    offset: int = 0


BATCH_SORTS = {"started_at": ("started_at",), "kind": ("kind",), "file_name": ("file_name",), "status": ("status",),
               "imported": ("imported",), "updated": ("updated",), "unchanged": ("unchanged",),
               "rejected": ("rejected",)}


def batch_sort(search: BatchSearch) -> str:
    return sort_key(BATCH_SORTS, search.sort, "-started_at")


def batches_of_search(user, search: BatchSearch) -> QuerySet[ImportBatch]:
    """Every visible batch of the search, in the list's order."""
    return sorted_by(import_batches_visible_to(user, kind=search.kind, status=search.status), BATCH_SORTS,
                     batch_sort(search), "-started_at")


def search_batches(user, search: BatchSearch) -> tuple[list[ImportBatch], bool]:
    return page(batches_of_search(user, search), search.limit, search.offset)


def count_batches(user, search: BatchSearch) -> int:
    return import_batches_visible_to(user, kind=search.kind, status=search.status).order_by().count()
