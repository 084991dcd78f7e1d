"""Kept reports (报告存档) and their schedules.

A ``ReportRun`` is one generated report: its kind (weekly 周报, monthly 月度分析, annual 年度评估, midterm 中期评估,
stats_form 人社统计报表), region, period, format and the file; ``known_on`` records the moment its data were
read, so the same report is reproduced by reading again "as known on" that time. Runs are never changed
once done; a new run of the same report is a new row. A ``ReportSchedule`` asks for a report of a kind for
a region every week/month/year; the worker makes the due ones.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    WEEKLY = "weekly", _("重点工作周报")
    MONTHLY = "monthly", _("月度就业形势分析报告")
    ANNUAL = "annual", _("年度规划实施评估报告")
    MIDTERM = "midterm", _("规划中期评估报告")
    STATS_FORM = "stats_form", _("人社统计报表")


class ReportFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel（xlsx）")
    DOCX = "docx", _("Word（docx）")
    PDF = "pdf", _("PDF")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ReportSchedule(models.Model):
    class Cadence(models.TextChoices):
        WEEKLY = "weekly", _("每周")
        MONTHLY = "monthly", _("每月")
        YEARLY = "yearly", _("每年")

    kind = models.CharField(_("报告类型"), max_length=16, choices=ReportKind.choices)
    region = models.ForeignKey("regions.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    format = models.CharField(_("格式"), max_length=8, choices=ReportFormat.choices, default=ReportFormat.XLSX)
    cadence = models.CharField(_("频次"), max_length=8, choices=Cadence.choices)
    next_run_on = models.DateField(_("下次生成日期"))
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("报告计划")
        verbose_name_plural = _("报告计划")
        ordering = ["next_run_on", "id"]


class ReportRun(models.Model):
    kind = models.CharField(_("报告类型"), max_length=16, choices=ReportKind.choices, db_index=True)
    region = models.ForeignKey("regions.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("统计期"), max_length=10)  # 2026, 2026-Q4, 2026-11; a week: 2026-W48
    format = models.CharField(_("格式"), max_length=8, choices=ReportFormat.choices)
    status = models.CharField(_("状态"), max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED)
    known_on = models.DateTimeField(_("数据截至"))
    file = models.FileField(_("文件"), upload_to="reports/%Y/%m/", max_length=255, blank=True)
    file_name = models.CharField(_("文件名"), max_length=255, blank=True)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    summary = models.JSONField(_("摘要"), default=dict, blank=True)  # the generated text's main points
    error = models.CharField(_("错误"), max_length=500, blank=True)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    schedule = models.ForeignKey(ReportSchedule, verbose_name=_("报告计划"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="runs")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("生成人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("统计报告")
        verbose_name_plural = _("统计报告")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["region", "kind", "period"])]
