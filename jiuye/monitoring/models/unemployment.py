"""The unemployment part (issue 11 scope 4): the statistics bureau's series and the stored forecasts.

``StatSeriesValue``: one value of a series the statistics bureau publishes, per region and month: the urban
employed (城镇从业人员, the employed part of the registered rate's denominator) or the surveyed urban
unemployment rate (城镇调查失业率, percent), each with its source. A correction is a new version; the old
row stays with ``is_current`` false (one current version per region, indicator and month: a constraint).

``ForecastRun``: one forecast of a rate series (registered or surveyed) for one region, with its points and
prediction intervals, the backtest figures and the limit it was judged against, so the pages show it
without refitting.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["SeriesIndicator", "RateIndicator", "StatSeriesValue", "ForecastRun"]


class SeriesIndicator(models.TextChoices):
    URBAN_EMPLOYED = "urban_employed", _("城镇从业人员数")
    SURVEYED_RATE = "surveyed_rate", _("城镇调查失业率")


class RateIndicator(models.TextChoices):
    REGISTERED_RATE = "registered_rate", _("城镇登记失业率")
    SURVEYED_RATE = "surveyed_rate", _("城镇调查失业率")


class StatSeriesValue(models.Model):
    class Via(models.TextChoices):
        WEB = "web", _("页面录入")
        API = "api", _("接口")
        IMPORT = "import", _("导入")
        DEMO = "demo", _("示例数据")

    region = models.ForeignKey("regions.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    indicator = models.CharField(_("指标"), max_length=16, choices=SeriesIndicator.choices)
    month = models.DateField(_("月份"))  # the month's first day
    value = models.DecimalField(_("数值"), max_digits=14, decimal_places=4)
    source = models.CharField(_("数据来源"), max_length=128)
    version = models.PositiveIntegerField(_("版本"), default=1)
    is_current = models.BooleanField(_("现行版本"), default=True)
    reason = models.CharField(_("更正原因"), max_length=255, blank=True)
    via = models.CharField(_("录入方式"), max_length=8, choices=Via.choices, default=Via.WEB)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    class Meta:
        verbose_name = _("统计部门数据")
        verbose_name_plural = _("统计部门数据")
        constraints = [
            models.UniqueConstraint(fields=["region", "indicator", "month"], condition=Q(is_current=True),
                                    name="stat_series_one_current"),
            models.UniqueConstraint(fields=["region", "indicator", "month", "version"], name="stat_series_version"),
        ]
        indexes = [models.Index(fields=["indicator", "month", "region"], name="stat_series_month_idx")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.indicator} {self.month:%Y-%m} = {self.value}"


class ForecastRun(models.Model):
    region = models.ForeignKey("regions.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    indicator = models.CharField(_("指标"), max_length=16, choices=RateIndicator.choices)
    made_on = models.DateField(_("预测日期"))
    made_at = models.DateTimeField(_("计算时间"), default=timezone.now)
    last_month = models.DateField(_("最后一个实际月份"), null=True, blank=True)
    observations = models.PositiveIntegerField(_("样本月数"), default=0)
    model_name = models.CharField(_("模型"), max_length=64, blank=True)
    points = models.JSONField(_("预测值"), default=list, blank=True)  # [{month, mean, lo80, hi80, lo95, hi95, p_over}]
    backtest = models.JSONField(_("回测"), default=dict, blank=True)  # {origins, mae, mape, coverage80, coverage95}
    limit = models.DecimalField(_("控制目标"), max_digits=6, decimal_places=3, null=True, blank=True)
    crossing = models.JSONField(_("越限"), null=True, blank=True)  # the first month at risk, or None
    message = models.CharField(_("说明"), max_length=255, blank=True)  # why there is no forecast

    class Meta:
        verbose_name = _("失业率预测")
        verbose_name_plural = _("失业率预测")
        indexes = [models.Index(fields=["region", "indicator", "-made_at"], name="forecast_run_latest_idx")]
