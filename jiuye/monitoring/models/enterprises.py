"""Monitored enterprises (重点企业用工监测 and 失业动态监测): the sample and its monthly reports.

``MonitoredEnterprise`` is one employer's span in the sample (joined in a month, left in a month or still
in). ``EnterpriseReport`` is one month's report of one enterprise: headcount at the start and end of the
month, additions by reason and reductions by type and reason (``EnterpriseReportLine``). A report must
balance (end = start + additions − reductions). A correction is a new version: the old row stays, with
``is_current`` False, and the new one points to it (``supersedes``). ``layoffs`` is the number of
reductions that count as layoffs under the dated parameters in force for the report's month (computed
by the service when it saves the report, so a figure can be explained later with the rule of its day).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["MonitoredEnterprise", "AdditionReason", "ReductionType", "ReductionReason", "ReportChannel",
           "EnterpriseReport", "EnterpriseReportLine", "ReportReminder"]


class MonitoredEnterprise(models.Model):
    employer = models.ForeignKey("registry.Employer", verbose_name=_("监测企业"), on_delete=models.PROTECT,
                                 related_name="+")
    region = models.ForeignKey("regions.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    joined_on = models.DateField(_("纳入监测月份"))  # a month's first day: the first month it reports
    left_on = models.DateField(_("退出监测月份"), null=True, blank=True)  # the first month it no longer reports
    leave_reason = models.CharField(_("退出原因"), max_length=128, blank=True)
    contact_name = models.CharField(_("监测联系人"), max_length=64, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("监测企业")
        verbose_name_plural = _("监测企业")
        constraints = [
            models.UniqueConstraint(fields=["employer"], condition=Q(left_on__isnull=True),
                                    name="monitored_enterprise_one_open"),
            models.CheckConstraint(condition=Q(left_on__isnull=True) | Q(left_on__gt=models.F("joined_on")),
                                   name="monitored_enterprise_left_after_joined"),
        ]
        indexes = [models.Index(fields=["region", "joined_on"], name="monitored_region_idx")]

    def __str__(self) -> str:
        return str(self.employer)


class AdditionReason(models.TextChoices):
    NEW_HIRE = "new_hire", _("新招用")
    TRANSFER_IN = "transfer_in", _("调入")
    RETURNED = "returned", _("返岗复工")
    OTHER = "other", _("其他")


class ReductionType(models.TextChoices):
    """How the employment relation ended (减员类型)."""

    ECONOMIC_LAYOFF = "economic_layoff", _("经济性裁员")
    EMPLOYER_TERMINATION = "employer_termination", _("单位解除劳动合同")
    CONTRACT_EXPIRED = "contract_expired", _("劳动合同期满终止")
    RESIGNED = "resigned", _("本人辞职")
    RETIRED = "retired", _("退休")
    TRANSFER_OUT = "transfer_out", _("调出")
    DEATH = "death", _("死亡")
    OTHER = "other", _("其他")


class ReductionReason(models.TextChoices):
    """Why the employer lost the staff (减员原因)."""

    BUSINESS_DIFFICULTY = "business_difficulty", _("生产经营困难")
    ORDERS_DOWN = "orders_down", _("订单减少")
    RESTRUCTURING = "restructuring", _("转产、重大技术革新或经营方式调整")
    RELOCATION = "relocation", _("企业搬迁")
    CLOSURE = "closure", _("破产、关闭、停业")
    PERSONAL = "personal", _("个人原因")
    CONTRACT = "contract", _("合同到期")
    RETIREMENT = "retirement", _("退休")
    OTHER = "other", _("其他")


class ReportChannel(models.TextChoices):
    PORTAL = "portal", _("企业网上填报")
    STAFF = "staff", _("经办人员代录")
    IMPORT = "import", _("批量导入")
    API = "api", _("接口")
    SEED = "seed", _("示例数据")


class EnterpriseReport(models.Model):
    enterprise = models.ForeignKey(MonitoredEnterprise, verbose_name=_("监测企业"), on_delete=models.PROTECT,
                                   related_name="reports")
    region = models.ForeignKey("regions.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("报告月份"))  # first day of the month reported
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    is_current = models.BooleanField(_("现行版本"), default=True)
    supersedes = models.ForeignKey("self", verbose_name=_("更正的版本"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    start_headcount = models.PositiveIntegerField(_("月初职工人数"))
    end_headcount = models.PositiveIntegerField(_("月末职工人数"))
    additions = models.PositiveIntegerField(_("本月增加人数"), default=0)
    reductions = models.PositiveIntegerField(_("本月减少人数"), default=0)
    layoffs = models.PositiveIntegerField(_("裁员人数"), default=0)  # reductions that count as layoffs (parameters of the month)
    note = models.CharField(_("备注"), max_length=255, blank=True)
    correction_reason = models.CharField(_("更正原因"), max_length=255, blank=True)
    channel = models.CharField(_("填报渠道"), max_length=8, choices=ReportChannel.choices, default=ReportChannel.STAFF)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("填报人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("填报时间"), default=timezone.now)
    due_on = models.DateField(_("报送截止日期"))
    import_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("企业用工月报")
        verbose_name_plural = _("企业用工月报")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "month", "version"], name="enterprise_report_version"),
            models.UniqueConstraint(fields=["enterprise", "month"], condition=Q(is_current=True),
                                    name="enterprise_report_one_current"),
            models.CheckConstraint(
                condition=Q(end_headcount=models.F("start_headcount") + models.F("additions") - models.F("reductions")),
                name="enterprise_report_balances"),
        ]
        indexes = [models.Index(fields=["month", "region"], name="enterprise_report_month_idx")]

    @property
    def is_late(self) -> bool:
        return timezone.localdate(self.submitted_at) > self.due_on

    @property
    def net_change(self) -> int:
        return self.end_headcount - self.start_headcount


class EnterpriseReportLine(models.Model):
    class Direction(models.TextChoices):
        ADDITION = "add", _("增加")
        REDUCTION = "reduce", _("减少")

    report = models.ForeignKey(EnterpriseReport, verbose_name=_("月报"), on_delete=models.CASCADE, related_name="lines")
    direction = models.CharField(_("增减"), max_length=8, choices=Direction.choices)
    kind = models.CharField(_("类型"), max_length=24)  # AdditionReason for additions, ReductionType for reductions
    reason = models.CharField(_("原因"), max_length=24, blank=True)  # ReductionReason for reductions
    count = models.PositiveIntegerField(_("人数"))

    class Meta:
        verbose_name = _("月报增减明细")
        verbose_name_plural = _("月报增减明细")
        constraints = [models.CheckConstraint(condition=Q(count__gt=0), name="enterprise_report_line_positive")]


class ReportReminder(models.Model):
    """A chase for a missing or late report (催报): who, when, how, with what answer."""

    enterprise = models.ForeignKey(MonitoredEnterprise, verbose_name=_("监测企业"), on_delete=models.PROTECT,
                                   related_name="reminders")
    month = models.DateField(_("催报月份"))
    channel = models.CharField(_("催报方式"), max_length=16, blank=True)  # phone, message, visit, portal
    note = models.CharField(_("催报情况"), max_length=255, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("催报时间"), default=timezone.now)

    class Meta:
        verbose_name = _("催报记录")
        verbose_name_plural = _("催报记录")
        indexes = [models.Index(fields=["enterprise", "month"], name="reminder_enterprise_month_idx")]
