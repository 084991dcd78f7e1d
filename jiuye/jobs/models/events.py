"""Recruitment events (招聘活动): 春风行动, 就业援助月, 民营企业招聘月, 高校毕业生就业服务周, 金秋招聘月,
live-streamed recruiting (直播带岗) and others; the employers and vacancies taking part, the persons
registered and attending. Outcomes (interviews, offers, hires) are the applications that name the event.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    SPRING_BREEZE = "spring_breeze", _("春风行动")
    ASSISTANCE_MONTH = "assistance_month", _("就业援助月")
    PRIVATE_ENTERPRISE = "private_enterprise", _("民营企业招聘月")
    GRADUATE_WEEK = "graduate_week", _("高校毕业生就业服务周")
    GOLDEN_AUTUMN = "golden_autumn", _("金秋招聘月")
    LIVE_STREAM = "live_stream", _("直播带岗")
    OTHER = "other", _("其他招聘活动")


class EventStatus(models.TextChoices):
    PLANNED = "planned", _("筹备中")
    OPEN = "open", _("进行中")
    ENDED = "ended", _("已结束")
    CANCELLED = "cancelled", _("已取消")


class RecruitmentEvent(models.Model):
    kind = models.CharField(_("活动类型"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("活动名称"), max_length=128)
    organiser = models.CharField(_("主办单位"), max_length=128)
    region = models.ForeignKey("regions.Region", verbose_name=_("主办区划"), on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("举办地点"), max_length=255, blank=True)
    stream_url = models.CharField(_("直播地址"), max_length=255, blank=True)
    description = models.TextField(_("活动说明"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=EventStatus.choices, default=EventStatus.PLANNED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("招聘活动")
        verbose_name_plural = _("招聘活动")
        indexes = [models.Index(fields=["region", "starts_at"], name="event_region_idx")]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="event_period")]


class EventEmployer(models.Model):
    event = models.ForeignKey(RecruitmentEvent, verbose_name=_("活动"), on_delete=models.CASCADE,
                              related_name="employers")
    employer = models.ForeignKey("registry.Employer", verbose_name=_("参会单位"), on_delete=models.PROTECT,
                                 related_name="+")
    booth = models.CharField(_("展位"), max_length=32, blank=True)
    joined_at = models.DateTimeField(_("报名时间"), default=timezone.now)

    class Meta:
        verbose_name = _("参会单位")
        verbose_name_plural = _("参会单位")
        constraints = [models.UniqueConstraint(fields=["event", "employer"], name="event_employer_once")]


class EventVacancy(models.Model):
    event = models.ForeignKey(RecruitmentEvent, verbose_name=_("活动"), on_delete=models.CASCADE,
                              related_name="vacancies")
    vacancy = models.ForeignKey("jobs.Vacancy", verbose_name=_("岗位"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("活动岗位")
        verbose_name_plural = _("活动岗位")
        constraints = [models.UniqueConstraint(fields=["event", "vacancy"], name="event_vacancy_once")]


class EventRegistration(models.Model):
    event = models.ForeignKey(RecruitmentEvent, verbose_name=_("活动"), on_delete=models.CASCADE,
                              related_name="registrations")
    person = models.ForeignKey("registry.Person", verbose_name=_("求职人员"), on_delete=models.PROTECT,
                               related_name="+")
    registered_at = models.DateTimeField(_("报名时间"), default=timezone.now)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("报名经办人"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    attended_at = models.DateTimeField(_("签到时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("活动报名")
        verbose_name_plural = _("活动报名")
        constraints = [models.UniqueConstraint(fields=["event", "person"], name="event_registration_once")]
