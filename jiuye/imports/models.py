"""One run of an import: the batch with its counts and error report (every import kind shares it)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    """One run of an import (Excel/CSV) with its counts and error report.

    ``kind`` is the kind of a registered importer (``jiuye.imports.kinds``), not a fixed list: an app
    adds a kind by registering an importer, without a migration here.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        OK = "ok", _("全部导入")
        PARTIAL = "partial", _("部分行被拒绝")
        UNUSABLE = "unusable", _("文件无法使用")
        FAILED = "failed", _("导入中断")

    ACTIVE = (Status.QUEUED, Status.RUNNING)  # every other status is final

    kind = models.CharField(_("导入类型"), max_length=16)
    file_name = models.CharField(_("文件名"), max_length=255)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT)
    region_code = models.CharField(_("操作人区划"), max_length=12, blank=True, db_index=True)
    dry_run = models.BooleanField(_("仅校验"), default=False)
    status = models.CharField(_("结果"), max_length=12, choices=Status.choices, default=Status.RUNNING)
    total_rows = models.PositiveIntegerField(_("数据行数"), default=0)
    imported = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("未变化"), default=0)
    rejected = models.PositiveIntegerField(_("拒绝"), default=0)
    # Rows that hit an existing record outside the actor's scope (limited per file and per day: see
    # jiuye/imports/parameters.py); a count, never the numbers tried.
    out_of_scope = models.PositiveIntegerField(_("管辖范围外记录"), default=0)
    error_message = models.TextField(_("错误信息"), blank=True)
    report_file = models.CharField(_("错误报告文件"), max_length=255, blank=True, help_text=_("相对于 MEDIA_ROOT 的路径"))
    started_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    # Progress while it runs (written by the importing process after every chunk; see services.Progress).
    expected_rows = models.PositiveIntegerField(_("预计行数"), default=0)
    rows_read = models.PositiveIntegerField(_("已读取行数"), default=0)
    rows_validated = models.PositiveIntegerField(_("已校验行数"), default=0)
    rows_written = models.PositiveIntegerField(_("已写入行数"), default=0)
    heartbeat_at = models.DateTimeField(_("最近进展时间"), null=True, blank=True)
    runner = models.CharField(_("执行进程"), max_length=128, blank=True, help_text=_("主机:进程号:启动时刻"))
    task_id = models.CharField(_("后台任务"), max_length=64, blank=True)
    upload_file = models.CharField(_("待导入文件"), max_length=255, blank=True,
                                   help_text=_("排队的上传文件，相对于 MEDIA_ROOT；导入结束后删除"))

    class Meta:
        db_table = "registry_importbatch"  # the table predates the engine's own app
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-started_at", "-id"]

    def get_kind_display(self) -> str:
        """The Chinese label of the registered kind (the kind itself when no importer is registered)."""
        from jiuye.imports import kinds

        return kinds.label(self.kind)

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def progress_percent(self) -> int:
        if not self.expected_rows:
            return 0
        return min(100, round(100 * self.rows_written / self.expected_rows))

    def summary_line(self) -> str:
        return f"imported={self.imported} updated={self.updated} unchanged={self.unchanged} rejected={self.rejected}"
