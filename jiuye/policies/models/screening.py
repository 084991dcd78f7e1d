"""Screening (政策找人): runs of every policy in force against everyone, and their results."""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiuye.policies.models.packs import Beneficiary, Policy, Unit


class RunStatus(models.TextChoices):
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ScreeningRun(models.Model):
    as_of = models.DateField(_("筛查日期"))
    policy_codes = models.JSONField(_("政策范围"), default=list, blank=True)  # [] = every policy in force
    versions = models.JSONField(_("政策包版本"), default=list, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=RunStatus.choices, default=RunStatus.RUNNING)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    progress = models.CharField(_("进度"), max_length=128, blank=True)
    result_count = models.PositiveIntegerField(_("符合条件"), default=0)
    error = models.CharField(_("错误"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("政策筛查")
        verbose_name_plural = _("政策筛查")
        ordering = ["-started_at", "-pk"]


class ScreeningResult(models.Model):
    """One entitlement found: a policy, the beneficiary, the person it is about, the event and the amount
    (null when the jurisdiction has not set it: it screens, it does not pay)."""

    run = models.ForeignKey(ScreeningRun, verbose_name=_("筛查"), on_delete=models.CASCADE, related_name="results")
    policy = models.ForeignKey(Policy, verbose_name=_("政策"), on_delete=models.PROTECT, related_name="+")
    policy_code = models.CharField(_("政策编号"), max_length=64)
    beneficiary = models.CharField(_("受益对象"), max_length=8, choices=Beneficiary.choices)
    person = models.ForeignKey("registry.Person", verbose_name=_("人员"), null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+")
    employer = models.ForeignKey("registry.Employer", verbose_name=_("单位"), null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="+")
    region = models.ForeignKey("regions.Region", verbose_name=_("所在社区/区划"), on_delete=models.PROTECT, related_name="+")
    event_type = models.CharField(_("依据事件类型"), max_length=32)
    event_id = models.BigIntegerField(_("依据事件记录"))
    event_date = models.DateField(_("事件日期"))
    amount = models.DecimalField(_("标准（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("发放方式"), max_length=8, choices=Unit.choices)
    months = models.PositiveSmallIntegerField(_("月数"), null=True, blank=True)
    claimed = models.BooleanField(_("已申领"), default=False)

    class Meta:
        verbose_name = _("筛查结果")
        verbose_name_plural = _("筛查结果")
        ordering = ["run_id", "pk"]
        indexes = [models.Index(fields=["run", "region"], name="screening_run_region_idx"),
                   models.Index(fields=["run", "policy_code"], name="screening_run_policy_idx")]
