"""Evidence files: a file stored by a write that rolled back is swept by the daily refresh, once it is
old enough that no upload can still be in its transaction; files an attachment names stay."""
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from jiuye.assistance.models import Attachment
from jiuye.assistance.services import attachments
from jiuye.registry import events


def _pdf(name):
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


@pytest.mark.django_db
def test_orphans_of_a_rolled_back_write_are_swept_daily_and_kept_files_stay(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    kept = attachments.save_files("recognition", 1, [_pdf("残疾人证.pdf")], actor=None)[0]
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            orphan = attachments.save_files("recognition", 2, [_pdf("低保证明.pdf")], actor=None)[0]
            raise RuntimeError("the write that stored it fails")
    orphan_path = tmp_path / orphan.file.name
    assert orphan_path.exists() and not Attachment.objects.filter(pk=orphan.pk).exists()

    assert attachments.sweep_orphans() == 0  # young: an upload may still be in its transaction
    day_ago = time.time() - 2 * 24 * 3600
    os.utime(orphan_path, (day_ago, day_ago))
    os.utime(tmp_path / kept.file.name, (day_ago, day_ago))
    lines = [line for _r, line in events.daily_refresh.send(sender=None, today=timezone.localdate()) if line]
    assert "证明材料：清理未入库的上传文件1个" in lines
    assert not orphan_path.exists() and (tmp_path / kept.file.name).exists()
