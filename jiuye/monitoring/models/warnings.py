"""Warnings (预警): every kind on one board.

A ``Warning`` is raised when a condition is met (a mass layoff, a rate past its threshold, a forecast
crossing its limit) and stays one row while the condition lasts: raising it again for the same
``(kind, key)`` updates its level and figures instead of opening a second one. Someone of the right role
acknowledges it (认领) and closes it with the response taken (处置措施). ``WarningEvent`` is its history
(raised, escalated, acknowledged, noted, closed), append-only. ``WarningLink`` ties records to it
(unemployment registrations naming a laying-off employer).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["WarningKind", "WarningLevel", "WarningStatus", "Warning", "WarningEvent", "WarningLink", "LEVEL_RANK"]


class WarningKind(models.TextChoices):
    MASS_LAYOFF = "mass_layoff", _("规模性裁员")
    REGISTERED_RATE = "registered_rate", _("城镇登记失业率")
    SURVEYED_RATE = "surveyed_rate", _("城镇调查失业率")
    FORECAST = "forecast", _("失业率预测越限")
    JOB_LOSS = "job_loss", _("岗位流失")
    SUPPLY_DEMAND = "supply_demand", _("供求失衡")


class WarningLevel(models.TextChoices):
    BLUE = "blue", _("蓝色")
    YELLOW = "yellow", _("黄色")
    ORANGE = "orange", _("橙色")
    RED = "red", _("红色")


LEVEL_RANK = {WarningLevel.BLUE: 1, WarningLevel.YELLOW: 2, WarningLevel.ORANGE: 3, WarningLevel.RED: 4}


class WarningStatus(models.TextChoices):
    OPEN = "open", _("待认领")
    ACKNOWLEDGED = "acknowledged", _("处置中")
    CLOSED = "closed", _("已办结")


class Warning(models.Model):
    kind = models.CharField(_("预警类型"), max_length=16, choices=WarningKind.choices)
    key = models.CharField(_("预警对象"), max_length=64)  # what the condition is about, e.g. "employer:12:2026-11"
    region = models.ForeignKey("regions.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("预警等级"), max_length=8, choices=WarningLevel.choices)
    status = models.CharField(_("状态"), max_length=16, choices=WarningStatus.choices, default=WarningStatus.OPEN)
    title = models.CharField(_("预警事项"), max_length=128)
    detail = models.TextField(_("预警内容"), blank=True)
    facts = models.JSONField(_("数据"), default=dict, blank=True)  # the figures behind it (numbers, periods, ids)
    since = models.DateField(_("起始日期"))  # when the condition began (the day or the month)
    raised_at = models.DateTimeField(_("发出时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)
    employer = models.ForeignKey("registry.Employer", verbose_name=_("涉及单位"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    report = models.ForeignKey("monitoring.EnterpriseReport", verbose_name=_("触发月报"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("认领人"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(_("认领时间"), null=True, blank=True)
    response = models.TextField(_("处置措施"), blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("办结人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        constraints = [models.UniqueConstraint(fields=["kind", "key"], condition=~Q(status="closed"),
                                               name="warning_one_active")]
        indexes = [models.Index(fields=["region", "status"], name="warning_region_status_idx"),
                   models.Index(fields=["raised_at"], name="warning_raised_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def level_rank(self) -> int:
        return LEVEL_RANK.get(self.level, 0)


class WarningEvent(models.Model):
    class Action(models.TextChoices):
        RAISED = "raised", _("发出预警")
        UPDATED = "updated", _("预警更新")
        ESCALATED = "escalated", _("预警升级")
        ACKNOWLEDGED = "acknowledged", _("认领")
        NOTE = "note", _("处置记录")
        CLOSED = "closed", _("办结")
        REOPENED = "reopened", _("重新打开")

    warning = models.ForeignKey(Warning, verbose_name=_("预警"), on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("动作"), max_length=16, choices=Action.choices)
    level = models.CharField(_("等级"), max_length=8, choices=WarningLevel.choices, blank=True)
    note = models.TextField(_("说明"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("预警记录")
        verbose_name_plural = _("预警记录")
        ordering = ["at", "pk"]


class WarningLink(models.Model):
    """An unemployment registration that names the employer of a mass-layoff warning (失业前单位)."""

    warning = models.ForeignKey(Warning, verbose_name=_("预警"), on_delete=models.PROTECT, related_name="links")
    registration = models.ForeignKey("registry.Registration", verbose_name=_("失业登记"), on_delete=models.PROTECT,
                                     related_name="+")
    linked_at = models.DateTimeField(_("关联时间"), default=timezone.now)

    class Meta:
        verbose_name = _("预警关联失业登记")
        verbose_name_plural = _("预警关联失业登记")
        constraints = [models.UniqueConstraint(fields=["warning", "registration"], name="warning_link_unique")]
