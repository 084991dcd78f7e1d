"""Public-welfare posts (公益性岗位): the catalogue, placements, monthly attendance.

- ``WelfarePost``: one post of the catalogue (this app owns it; the jobs app shows posts as a kind of
  vacancy without a second catalogue): employer, title, category, place, openings, monthly subsidy,
  duties, period, open/closed. Openings filled are counted from the active placements.
- ``Placement``: one person on one post, from the day they start to the day they leave, with the
  planned end computed from the tenure limits (``services.posts.tenure``) and the employment
  registration the placement created in the registry.
- ``Attendance``: days worked and absent per placement and month (the payroll's basis).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PostCategory(models.TextChoices):
    URBAN = "urban", _("城镇公益性岗位")
    RURAL = "rural", _("乡村公益性岗位（乡村振兴）")
    TEMPORARY = "temporary", _("临时性公益性岗位（消杀防疫等）")


class PostStatus(models.TextChoices):
    OPEN = "open", _("开放")
    CLOSED = "closed", _("已关闭")


class WelfarePost(models.Model):
    employer = models.ForeignKey("registry.Employer", verbose_name=_("用人单位"), on_delete=models.PROTECT,
                                 related_name="welfare_posts")
    title = models.CharField(_("岗位名称"), max_length=64)
    category = models.CharField(_("岗位类别"), max_length=12, choices=PostCategory.choices)
    # The place of work (a community, or a street for posts serving a whole street): the post's scope.
    region = models.ForeignKey("regions.Region", verbose_name=_("工作地点"), on_delete=models.PROTECT, related_name="+")
    openings = models.PositiveSmallIntegerField(_("岗位数"))
    # Per post; empty: the standard of the dated parameters for the category (assistance.posts.*).
    monthly_subsidy = models.DecimalField(_("月补贴标准（元）"), max_digits=9, decimal_places=2, null=True, blank=True)
    duties = models.TextField(_("岗位职责"), blank=True)
    starts_on = models.DateField(_("开发日期"))
    ends_on = models.DateField(_("截止日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=PostStatus.choices, default=PostStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    import_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("公益性岗位")
        verbose_name_plural = _("公益性岗位")
        indexes = [models.Index(fields=["region", "status"], name="welfare_post_region_idx")]
        constraints = [models.CheckConstraint(condition=Q(openings__gte=1), name="welfare_post_has_openings")]

    def __str__(self) -> str:
        return self.title

    @property
    def filled(self) -> int:
        """Active placements (annotated by ``queries.posts.with_filled`` as ``_filled``, else counted)."""
        value = getattr(self, "_filled", None)
        return value if value is not None else self.placements.filter(status=PlacementStatus.ACTIVE).count()


class PlacementStatus(models.TextChoices):
    ACTIVE = "active", _("在岗")
    ENDED = "ended", _("已离岗")


class PlacementExit(models.TextChoices):
    TENURE_ENDED = "tenure_ended", _("岗位期满")
    OTHER_WORK = "other_work", _("实现其他就业")
    RESIGNED = "resigned", _("本人辞职")
    DISMISSED = "dismissed", _("被解除协议")
    RETIRED = "retired", _("达到法定退休年龄")
    DECEASED = "deceased", _("死亡")
    MOVED_AWAY = "moved_away", _("迁出")


class Placement(models.Model):
    post = models.ForeignKey(WelfarePost, verbose_name=_("岗位"), on_delete=models.PROTECT, related_name="placements")
    person = models.ForeignKey("registry.Person", verbose_name=_("人员"), on_delete=models.PROTECT,
                               related_name="welfare_placements")
    category = models.CharField(_("岗位类别"), max_length=12, choices=PostCategory.choices)  # the post's, kept for tenure sums
    region = models.ForeignKey("regions.Region", verbose_name=_("工作地点"), on_delete=models.PROTECT, related_name="+",
                               db_index=False)  # the post's place: the placement's scope
    started_on = models.DateField(_("上岗日期"))
    planned_end_on = models.DateField(_("计划期满日期"))
    tenure_note = models.CharField(_("期限依据"), max_length=255, blank=True)
    monthly_subsidy = models.DecimalField(_("月补贴标准（元）"), max_digits=9, decimal_places=2)
    eligibility = models.CharField(_("安置条件"), max_length=255, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=PlacementStatus.choices, default=PlacementStatus.ACTIVE)
    ended_on = models.DateField(_("离岗日期"), null=True, blank=True)
    exit_reason = models.CharField(_("离岗原因"), max_length=16, choices=PlacementExit.choices, blank=True)
    exit_note = models.CharField(_("离岗说明"), max_length=255, blank=True)
    registration = models.ForeignKey("registry.Registration", verbose_name=_("就业登记"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    exit_registration = models.ForeignKey("registry.Registration", verbose_name=_("离岗登记"), null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("assistance.Case", verbose_name=_("援助个案"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    replaces = models.ForeignKey("self", verbose_name=_("接替"), null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(_("录入时间"), default=timezone.now)
    import_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("公益性岗位安置")
        verbose_name_plural = _("公益性岗位安置")
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(status="active"), name="one_active_placement_per_person"),
            models.CheckConstraint(condition=Q(planned_end_on__gte=models.F("started_on")), name="placement_end_after_start"),
        ]
        indexes = [
            models.Index(fields=["post", "status"], name="placement_post_idx"),
            models.Index(fields=["region", "status", "planned_end_on"], name="placement_region_idx"),
            models.Index(fields=["person", "category"], name="placement_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.post_id}"


class Attendance(models.Model):
    placement = models.ForeignKey(Placement, verbose_name=_("安置"), on_delete=models.PROTECT, related_name="attendance")
    month = models.DateField(_("月份"))  # the first day of the month
    days_worked = models.PositiveSmallIntegerField(_("出勤天数"))
    absent_days = models.PositiveSmallIntegerField(_("缺勤天数"), default=0)
    note = models.CharField(_("备注"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    class Meta:
        verbose_name = _("公益性岗位考勤")
        verbose_name_plural = _("公益性岗位考勤")
        constraints = [models.UniqueConstraint(fields=["placement", "month"], name="one_attendance_per_month")]

    def __str__(self) -> str:
        return f"{self.placement_id} {self.month:%Y-%m}"
