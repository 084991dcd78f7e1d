"""Stored recommendations: one batch run of the congestion-controlled assignment over every open
seeker and vacancy, and its top-N list per seeker (the score parts are recomputed when shown)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    RUNNING = "running", _("计算中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class RecommendationRun(models.Model):
    started_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=RunStatus.choices, default=RunStatus.RUNNING)
    congestion = models.BooleanField(_("拥挤控制"), default=True)
    seekers = models.PositiveIntegerField(_("求职人数"), default=0)
    vacancies = models.PositiveIntegerField(_("岗位数"), default=0)
    parameters = models.JSONField(_("参数"), default=dict, blank=True)
    stats = models.JSONField(_("统计"), default=dict, blank=True)  # coverage, Gini, timings
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    error = models.TextField(_("错误"), blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("岗位推荐批次")
        verbose_name_plural = _("岗位推荐批次")


class Recommendation(models.Model):
    run = models.ForeignKey(RecommendationRun, verbose_name=_("批次"), on_delete=models.CASCADE,
                            related_name="recommendations")
    person = models.ForeignKey("registry.Person", verbose_name=_("求职人员"), on_delete=models.CASCADE,
                               related_name="+", db_index=False)
    vacancy = models.ForeignKey("jobs.Vacancy", verbose_name=_("岗位"), on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField(_("名次"))
    score = models.FloatField(_("匹配得分"))

    class Meta:
        verbose_name = _("岗位推荐")
        verbose_name_plural = _("岗位推荐")
        indexes = [models.Index(fields=["run", "person", "rank"], name="recommendation_person_idx")]
