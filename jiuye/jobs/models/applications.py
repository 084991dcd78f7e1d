"""Applications (求职申请/岗位推荐): one person and one vacancy, from recommendation or application to
hire or decline, every step an ``ApplicationEvent`` with who and when.

A confirmed hire with a start date records the 就业登记 through ``registry.services`` (employer, form,
contract and social insurance from the employer's confirmation); ``registration`` points at it and
the vacancy's ``hired`` count goes up by one in the same transaction.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApplicationOrigin(models.TextChoices):
    RECOMMENDED = "recommended", _("经办人员推荐")
    MATCHED = "matched", _("系统智能推荐")
    APPLIED = "applied", _("本人投递")
    EMPLOYER = "employer", _("单位邀约")
    EVENT = "event", _("招聘活动")


class ApplicationStatus(models.TextChoices):
    RECOMMENDED = "recommended", _("已推荐")
    APPLIED = "applied", _("已投递")
    INTERVIEW = "interview", _("面试")
    OFFER = "offer", _("已发录用通知")
    HIRED = "hired", _("已录用入职")
    DECLINED = "declined", _("求职者放弃")
    REJECTED = "rejected", _("单位未录用")
    WITHDRAWN = "withdrawn", _("已撤回")


LIVE_APPLICATION_STATUSES = ("recommended", "applied", "interview", "offer")


class Application(models.Model):
    vacancy = models.ForeignKey("jobs.Vacancy", verbose_name=_("岗位"), on_delete=models.PROTECT,
                                related_name="applications")
    person = models.ForeignKey("registry.Person", verbose_name=_("求职人员"), on_delete=models.PROTECT,
                               related_name="job_applications")
    origin = models.CharField(_("来源"), max_length=12, choices=ApplicationOrigin.choices)
    status = models.CharField(_("状态"), max_length=12, choices=ApplicationStatus.choices)
    event = models.ForeignKey("jobs.RecruitmentEvent", verbose_name=_("招聘活动"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="applications")
    score = models.FloatField(_("匹配得分"), null=True, blank=True)
    score_parts = models.JSONField(_("匹配理由"), default=dict, blank=True)  # at recommendation time
    interview_at = models.DateTimeField(_("面试时间"), null=True, blank=True)
    start_date = models.DateField(_("入职日期"), null=True, blank=True)
    employment_form = models.CharField(_("就业形式"), max_length=16, blank=True)
    contract_type = models.CharField(_("合同类型"), max_length=16, blank=True)
    contract_months = models.PositiveSmallIntegerField(_("合同期限（月）"), null=True, blank=True)
    social_insurance = models.BooleanField(_("缴纳社会保险"), null=True, blank=True)
    registration = models.ForeignKey("registry.Registration", verbose_name=_("就业登记"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("求职申请")
        verbose_name_plural = _("求职申请")
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "person"],
                                    condition=Q(status__in=LIVE_APPLICATION_STATUSES) | Q(status="hired"),
                                    name="application_one_live"),
        ]
        indexes = [
            models.Index(fields=["vacancy", "status"], name="application_vacancy_idx"),
            models.Index(fields=["person", "status"], name="application_person_idx"),
            models.Index(fields=["status", "updated_at"], name="application_status_idx"),
        ]


class ApplicationEvent(models.Model):
    application = models.ForeignKey(Application, verbose_name=_("申请"), on_delete=models.PROTECT,
                                    related_name="events")
    status = models.CharField(_("变更为"), max_length=12, choices=ApplicationStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"), default=timezone.now)
    note = models.CharField(_("说明"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("申请进度")
        verbose_name_plural = _("申请进度")
        ordering = ["at", "pk"]
