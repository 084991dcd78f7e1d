"""Evidence files (证明材料) for recognitions, capacity marks and case services.

``save_files`` checks and stores uploaded files for one owner record inside the caller's transaction
(a file stored by a write that then rolled back is removed by ``sweep_orphans``, run daily); ``files_of`` lists them; a scoped view
serves them (the owner's region decides who may download). Accepted: PDF, images and office
documents up to ``MAX_BYTES`` each; the name of a refused file and the reason are in the error.
"""
from __future__ import annotations

import datetime
import hashlib
import os
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.assistance.models import Attachment
from jiuye.registry import events

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 10
ALLOWED_EXTENSIONS = {".pdf", ".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff",
                      ".doc", ".docx", ".xls", ".xlsx", ".wps", ".et", ".ofd"}


def check_files(files: Iterable, *, field: str = "evidence") -> list:
    """The files, or ValidationError naming each refused file and why (all at once)."""
    files = [f for f in files if f]
    errors = []
    if len(files) > MAX_FILES:
        errors.append(_("一次最多上传%(n)d个文件") % {"n": MAX_FILES})
    for f in files:
        name = os.path.basename(getattr(f, "name", "") or "")
        ext = os.path.splitext(name)[1].lower()
        if ext not in ALLOWED_EXTENSIONS:
            errors.append(_("文件“%(n)s”：不支持的类型（可上传PDF、图片、Word、Excel、OFD）") % {"n": name})
        elif f.size > MAX_BYTES:
            errors.append(_("文件“%(n)s”：超过%(m)dMB") % {"n": name, "m": MAX_BYTES // (1024 * 1024)})
        elif f.size == 0:
            errors.append(_("文件“%(n)s”：文件为空") % {"n": name})
    if errors:
        raise ValidationError({field: errors})
    return files


def save_files(owner_type: str, owner_id: int, files: Iterable, *, actor, kind: str = "") -> list[Attachment]:
    """Store ``files`` as evidence of (``owner_type``, ``owner_id``). Call inside the transaction that
    writes the owner; a rollback removes the stored files again."""
    out = []
    for f in check_files(files):
        digest = hashlib.sha256()
        for chunk in f.chunks():
            digest.update(chunk)
        f.seek(0)
        name = os.path.basename(f.name)[:255]
        att = Attachment(owner_type=owner_type, owner_id=owner_id, kind=kind[:64], original_name=name, size=f.size,
                         sha256=digest.hexdigest(),
                         uploaded_by=actor if getattr(actor, "is_authenticated", False) else None)
        att.file.save(name, f, save=False)
        att.save()
        out.append(att)
    return out


def files_of(owner_type: str, owner_id: int) -> list[Attachment]:
    return list(Attachment.objects.filter(owner_type=owner_type, owner_id=owner_id).order_by("uploaded_at", "pk"))


def sweep_orphans(older_than: datetime.timedelta = datetime.timedelta(days=1)) -> int:
    """Delete stored files no ``Attachment`` names (left by a write that rolled back after storing
    them) and older than ``older_than`` (a file of an upload still in its transaction is younger);
    run by the daily refresh. Returns how many were removed."""
    from django.core.files.storage import default_storage

    known = set(Attachment.objects.values_list("file", flat=True))
    cutoff = timezone.now() - older_than
    removed = 0

    def walk(path):
        nonlocal removed
        try:
            dirs, files = default_storage.listdir(path)
        except FileNotFoundError:
            return
        for name in files:
            stored = f"{path}/{name}"
            if stored not in known and default_storage.get_modified_time(stored) < cutoff:
                default_storage.delete(stored)
                removed += 1
        for d in dirs:
            walk(f"{path}/{d}")

    walk("assistance")
    return removed


@receiver(events.daily_refresh, dispatch_uid="assistance_attachments_sweep")
def _on_daily_refresh(sender, **kwargs) -> str | None:
    removed = sweep_orphans()
    return _("证明材料：清理未入库的上传文件%(n)d个") % {"n": removed} if removed else None
