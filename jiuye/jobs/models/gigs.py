"""The gig market (零工市场) and labour sharing (用工余缺调剂).

``GigTask``: a short task with date, time, place and daily pay, posted by an employer or a
registered individual, taken within a day; ``GigTake`` records who took it, who did it and what was
paid. ``SharingOffer`` is one side of labour sharing (a firm with idle workers offering them, or a
firm short of hands asking); ``SharingPlacement`` records an agreed loan of workers from one firm to
another for a period on stated terms, with the persons lent where known (``SharingWorker``).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class GigStatus(models.TextChoices):
    OPEN = "open", _("待接单")
    TAKEN = "taken", _("已接满")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已取消")


class GigTask(models.Model):
    title = models.CharField(_("零工任务"), max_length=64)
    description = models.TextField(_("工作内容"), blank=True)
    occupation = models.ForeignKey("jobs.Occupation", verbose_name=_("职业"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    employer = models.ForeignKey("registry.Employer", verbose_name=_("发布单位"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="gig_tasks")
    poster_name = models.CharField(_("发布人"), max_length=64, blank=True)  # an individual household employer
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    region = models.ForeignKey("regions.Region", verbose_name=_("工作地点"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("详细地址"), max_length=255, blank=True)
    work_date = models.DateField(_("工作日期"))
    start_time = models.TimeField(_("开始时间"))
    end_time = models.TimeField(_("结束时间"))
    daily_pay = models.DecimalField(_("日薪（元）"), max_digits=8, decimal_places=2)
    headcount = models.PositiveSmallIntegerField(_("需要人数"), default=1)
    status = models.CharField(_("状态"), max_length=10, choices=GigStatus.choices, default=GigStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人账号"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("发布时间"), default=timezone.now)

    class Meta:
        verbose_name = _("零工任务")
        verbose_name_plural = _("零工任务")
        indexes = [models.Index(fields=["region", "work_date", "status"], name="gig_region_idx"),
                   models.Index(fields=["status", "work_date"], name="gig_status_idx")]
        constraints = [models.CheckConstraint(condition=Q(headcount__gte=1), name="gig_headcount"),
                       models.CheckConstraint(condition=Q(end_time__gt=models.F("start_time")), name="gig_time_range")]


class GigTakeStatus(models.TextChoices):
    TAKEN = "taken", _("已接单")
    DONE = "done", _("已完成")
    NO_SHOW = "no_show", _("未到岗")
    CANCELLED = "cancelled", _("已取消")


class GigTake(models.Model):
    task = models.ForeignKey(GigTask, verbose_name=_("零工任务"), on_delete=models.PROTECT, related_name="takes")
    person = models.ForeignKey("registry.Person", verbose_name=_("接单人"), on_delete=models.PROTECT,
                               related_name="gig_takes")
    status = models.CharField(_("状态"), max_length=10, choices=GigTakeStatus.choices, default=GigTakeStatus.TAKEN)
    taken_at = models.DateTimeField(_("接单时间"), default=timezone.now)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    paid = models.DecimalField(_("实发报酬（元）"), max_digits=8, decimal_places=2, null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("备注"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("零工接单记录")
        verbose_name_plural = _("零工接单记录")
        constraints = [models.UniqueConstraint(fields=["task", "person"], condition=~Q(status="cancelled"),
                                               name="gig_take_once")]
        indexes = [models.Index(fields=["person", "taken_at"], name="gig_take_person_idx")]


class SharingKind(models.TextChoices):
    OFFER = "offer", _("富余员工可共享")
    REQUEST = "request", _("缺工求调剂")


class SharingStatus(models.TextChoices):
    OPEN = "open", _("发布中")
    MATCHED = "matched", _("已对接")
    CLOSED = "closed", _("已关闭")


class SharingOffer(models.Model):
    kind = models.CharField(_("类型"), max_length=8, choices=SharingKind.choices)
    employer = models.ForeignKey("registry.Employer", verbose_name=_("单位"), on_delete=models.PROTECT,
                                 related_name="sharing_offers")
    occupation = models.ForeignKey("jobs.Occupation", verbose_name=_("职业"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("岗位/工种"), max_length=64)
    headcount = models.PositiveIntegerField(_("人数"))
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    wage = models.PositiveIntegerField(_("月薪/报酬（元）"), null=True, blank=True)
    terms = models.TextField(_("条件说明"), blank=True)
    region = models.ForeignKey("regions.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=8, choices=SharingStatus.choices, default=SharingStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("发布时间"), default=timezone.now)

    class Meta:
        verbose_name = _("用工余缺调剂信息")
        verbose_name_plural = _("用工余缺调剂信息")
        indexes = [models.Index(fields=["region", "kind", "status"], name="sharing_region_idx")]
        constraints = [models.CheckConstraint(condition=Q(headcount__gte=1), name="sharing_headcount"),
                       models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="sharing_period")]


class SharingPlacement(models.Model):
    offer = models.ForeignKey(SharingOffer, verbose_name=_("共享信息"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="placements_offered")
    request = models.ForeignKey(SharingOffer, verbose_name=_("缺工信息"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="placements_requested")
    from_employer = models.ForeignKey("registry.Employer", verbose_name=_("调出单位"), on_delete=models.PROTECT,
                                      related_name="+")
    to_employer = models.ForeignKey("registry.Employer", verbose_name=_("调入单位"), on_delete=models.PROTECT,
                                    related_name="+")
    headcount = models.PositiveIntegerField(_("人数"))
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    terms = models.TextField(_("协议条件"), blank=True)
    region = models.ForeignKey("regions.Region", verbose_name=_("登记地"), on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("用工调剂记录")
        verbose_name_plural = _("用工调剂记录")
        constraints = [models.CheckConstraint(condition=Q(headcount__gte=1), name="sharing_placement_headcount"),
                       models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                              name="sharing_placement_period"),
                       models.CheckConstraint(condition=~Q(from_employer=models.F("to_employer")),
                                              name="sharing_two_firms")]


class SharingWorker(models.Model):
    placement = models.ForeignKey(SharingPlacement, verbose_name=_("调剂记录"), on_delete=models.CASCADE,
                                  related_name="workers")
    person = models.ForeignKey("registry.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("调剂人员")
        verbose_name_plural = _("调剂人员")
        constraints = [models.UniqueConstraint(fields=["placement", "person"], name="sharing_worker_once")]
