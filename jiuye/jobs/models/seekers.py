"""Job seekers: the dated job-seeker registration (求职登记) and the seeker's profile.

``SeekerRegistration`` is history: a person starts seeking on a day and stops on a day (hired,
withdrew, moved away, lapsed); the supply side of the supply-and-demand figures counts the
registrations open on a date. At most one open registration per person.

``SeekerProfile`` holds what the registry does not: the person's own preferences (occupations,
places, wage, work types, hours), extra skills and certificates, experience, and a résumé. Education,
skills, certificates and history are read from the registry at matching time, never copied here.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SeekingEnd(models.TextChoices):
    HIRED = "hired", _("已就业")
    WITHDREW = "withdrew", _("本人退出求职")
    MOVED = "moved", _("迁出")
    LAPSED = "lapsed", _("逾期未续")
    OTHER = "other", _("其他")


class SeekerRegistration(models.Model):
    person = models.ForeignKey("registry.Person", verbose_name=_("求职人员"), on_delete=models.PROTECT,
                               related_name="seeker_registrations")
    started_on = models.DateField(_("求职登记日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    end_reason = models.CharField(_("结束原因"), max_length=10, choices=SeekingEnd.choices, blank=True)
    registered_in = models.ForeignKey("regions.Region", verbose_name=_("登记地"), on_delete=models.PROTECT,
                                      related_name="+")
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    class Meta:
        verbose_name = _("求职登记")
        verbose_name_plural = _("求职登记")
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(ended_on__isnull=True), name="seeker_one_open"),
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                                   name="seeker_end_after_start"),
        ]
        indexes = [models.Index(fields=["registered_in", "started_on"], name="seeker_region_idx"),
                   # matching: the registrations recorded since the snapshot (matching.load.seekers_now)
                   models.Index(fields=["recorded_at"], name="seeker_recorded_idx")]


class SeekerProfile(models.Model):
    person = models.OneToOneField("registry.Person", verbose_name=_("人员"), on_delete=models.PROTECT,
                                  related_name="seeker_profile")
    occupations = models.JSONField(_("意向职业"), default=list, blank=True)  # occupation codes
    regions = models.JSONField(_("意向工作地点"), default=list, blank=True)  # region codes (any level)
    wage_min = models.PositiveIntegerField(_("期望月薪下限（元）"), null=True, blank=True)
    wage_max = models.PositiveIntegerField(_("期望月薪上限（元）"), null=True, blank=True)
    work_types = models.JSONField(_("意向用工形式"), default=list, blank=True)  # WorkType values
    hours = models.CharField(_("可工作时间"), max_length=64, blank=True)
    max_commute_km = models.PositiveSmallIntegerField(_("可接受通勤距离（公里）"), null=True, blank=True)
    skills = models.JSONField(_("补充技能"), default=list, blank=True)
    certificates = models.JSONField(_("补充证书"), default=list, blank=True)
    experience_years = models.PositiveSmallIntegerField(_("工作年限"), default=0)
    resume = models.TextField(_("个人简历"), blank=True)
    latitude = models.FloatField(_("纬度"), null=True, blank=True)
    longitude = models.FloatField(_("经度"), null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("更新人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("求职意向与简历")
        verbose_name_plural = _("求职意向与简历")
        # matching: the profiles updated since the snapshot (matching.load.seekers_now)
        indexes = [models.Index(fields=["updated_at"], name="seeker_profile_updated_idx")]
