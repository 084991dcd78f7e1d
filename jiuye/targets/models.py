"""Targets (目标任务), input series, full-employment community assessments and the plans' key-work tasks.

- ``Target``: one indicator's target for one region over a plan period (a year, or a five-year plan), with
  its baseline as written ("—", "≈6", "≥90"), its nature (约束性/预期性), the comparator and the document it
  comes from. A breakdown (分解) makes child targets that point to their parent (``parent``). Targets are
  never edited in place: a change is a new row that ``replaces`` the old one, which stays (``is_current``).
- ``InputValue``: a value of an input-series KPI (kpis/catalogue.py, kind=input) per region and period,
  with its source; corrections are new versions (``replaces``); "known on" a time = the versions entered by
  then.
- ``Department``/``DepartmentMember``/``PlanTask``/``TaskProgress``: the task tables of the seeds (seed 000
  annex, seed 003 annex): each task names responsible departments; a department's liaison (role
  department_user) enters the week's progress through their own account (weekly report, seed 003 §二十一).
- ``CommunityAssessment``: a community assessed each year against the full-employment community criteria
  (充分就业社区, seed 002 item 8) of its jurisdiction, with the evidence.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TargetScope(models.TextChoices):
    ANNUAL = "annual", _("年度")  # a year's value (a flow in that year, or a level at its end)
    CUMULATIVE = "cumulative", _("累计")  # the sum over the plan period (bracketed values of seed 004)
    LEVEL = "level", _("期末水平")  # the level at the end of the plan period (rates, ceilings, stocks)


class TargetNature(models.TextChoices):
    BINDING = "binding", _("约束性")
    EXPECTED = "expected", _("预期性")


class Comparator(models.TextChoices):
    AT_LEAST = "at_least", _("不低于")  # ≥
    ABOVE = "above", _("高于")  # >
    AT_MOST = "at_most", _("不高于")  # ≤
    BELOW = "below", _("低于")  # <
    EQUAL = "equal", _("等于")  # = (zero-employment households at 0)
    ABOUT = "about", _("约")  # ≈ (a baseline written "≈6")


COMPARATOR_SIGNS = {"at_least": "≥", "above": ">", "at_most": "≤", "below": "<", "equal": "=", "about": "≈"}


class Target(models.Model):
    kpi = models.CharField(_("指标"), max_length=48, db_index=True)  # kpis.catalogue code
    region = models.ForeignKey("regions.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    plan = models.CharField(_("规划/计划"), max_length=128)  # e.g. 西安市"十四五"就业促进实施方案
    basis = models.CharField(_("依据"), max_length=255, blank=True)  # document number and section
    start_year = models.PositiveSmallIntegerField(_("起始年度"))
    end_year = models.PositiveSmallIntegerField(_("终止年度"))
    scope = models.CharField(_("目标口径"), max_length=12, choices=TargetScope.choices)
    nature = models.CharField(_("指标属性"), max_length=12, choices=TargetNature.choices, default=TargetNature.EXPECTED)
    comparator = models.CharField(_("比较方式"), max_length=12, choices=Comparator.choices, default=Comparator.AT_LEAST)
    value = models.DecimalField(_("目标值"), max_digits=16, decimal_places=4)
    value_text = models.CharField(_("目标值（原文）"), max_length=32, blank=True)  # "[15]", ">97", "≤5.5"
    baseline_year = models.PositiveSmallIntegerField(_("基期年度"), null=True, blank=True)
    baseline_value = models.DecimalField(_("基期值"), max_digits=16, decimal_places=4, null=True, blank=True)
    baseline_comparator = models.CharField(_("基期值比较方式"), max_length=12, choices=Comparator.choices, blank=True)
    baseline_text = models.CharField(_("基期值（原文）"), max_length=32, blank=True)  # "—", "≈6", "≥90"
    parent = models.ForeignKey("self", verbose_name=_("上级目标"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    replaces = models.ForeignKey("self", verbose_name=_("替代的目标"), null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="replaced_by")
    is_current = models.BooleanField(_("现行"), default=True, db_index=True)
    note = models.CharField(_("备注"), max_length=255, blank=True)
    source = models.CharField(_("来源"), max_length=16, default="manual")  # manual | seed | import | breakdown | api
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    class Meta:
        verbose_name = _("目标任务")
        verbose_name_plural = _("目标任务")
        ordering = ["region", "kpi", "start_year", "id"]
        indexes = [models.Index(fields=["region", "kpi", "start_year", "end_year"])]
        constraints = [
            models.UniqueConstraint(fields=["region", "kpi", "start_year", "end_year", "scope"],
                                    condition=Q(is_current=True), name="one_current_target"),
            models.CheckConstraint(condition=Q(end_year__gte=models.F("start_year")), name="target_years_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.kpi} {self.region_id} {self.start_year}-{self.end_year}"


class InputValue(models.Model):
    kpi = models.CharField(_("指标"), max_length=48)
    region = models.ForeignKey("regions.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("统计期"), max_length=8)  # monitoring.periods code: 2026, 2026-Q4, 2026-11
    value = models.DecimalField(_("数值"), max_digits=16, decimal_places=4)
    source = models.CharField(_("来源"), max_length=128)  # 市统计局、市教育局 ...
    note = models.CharField(_("备注"), max_length=255, blank=True)
    replaces = models.ForeignKey("self", verbose_name=_("更正的数值"), null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="replaced_by")
    is_current = models.BooleanField(_("现行"), default=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(_("录入时间"), default=timezone.now)
    import_batch = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("输入指标值")
        verbose_name_plural = _("输入指标值")
        ordering = ["kpi", "region", "period", "-entered_at", "-id"]
        indexes = [models.Index(fields=["kpi", "period", "region", "entered_at"])]
        constraints = [models.UniqueConstraint(fields=["kpi", "region", "period"], condition=Q(is_current=True),
                                               name="one_current_input_value")]


class Department(models.Model):
    """A responsible unit (责任单位) named in a task table: 市人社局, 市发改委, 区财政局 ..."""
    code = models.CharField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    region = models.ForeignKey("regions.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("责任单位")
        verbose_name_plural = _("责任单位")
        ordering = ["region", "code"]

    def __str__(self) -> str:
        return self.name


class DepartmentMember(models.Model):
    """A user who reports for a department (an upstairs link, like registry.AccountLink)."""
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE,
                                related_name="department_link")
    department = models.ForeignKey(Department, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="members")

    class Meta:
        verbose_name = _("责任单位联络员")
        verbose_name_plural = _("责任单位联络员")


class PlanTask(models.Model):
    """One row of a seed's task table (重点任务分工): what, who leads, who helps, until when."""
    plan = models.CharField(_("规划/计划"), max_length=128)
    region = models.ForeignKey("regions.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("序号"), max_length=16)
    title = models.CharField(_("任务"), max_length=255)
    content = models.TextField(_("内容"), blank=True)
    lead = models.ManyToManyField(Department, verbose_name=_("牵头单位"), related_name="led_tasks")
    partners = models.ManyToManyField(Department, verbose_name=_("配合单位"), related_name="supported_tasks", blank=True)
    due_text = models.CharField(_("完成时限"), max_length=64, blank=True)  # "持续推进", "2025年底前"
    kpi = models.CharField(_("关联指标"), max_length=48, blank=True)
    basis = models.CharField(_("依据"), max_length=255, blank=True)
    is_active = models.BooleanField(_("在办"), default=True)

    class Meta:
        verbose_name = _("重点任务")
        verbose_name_plural = _("重点任务")
        ordering = ["region", "plan", "id"]
        constraints = [models.UniqueConstraint(fields=["region", "plan", "number"], name="plan_task_number_unique")]


class TaskStatus(models.TextChoices):
    ON_TRACK = "on_track", _("按计划推进")
    BEHIND = "behind", _("滞后")
    DONE = "done", _("已完成")
    NOT_STARTED = "not_started", _("未启动")


class TaskProgress(models.Model):
    """A department's progress on a task for one week (Monday ``week``). Corrections are new rows that
    replace the old (``replaces``); the weekly report reads the current ones known at its time."""
    task = models.ForeignKey(PlanTask, verbose_name=_("任务"), on_delete=models.PROTECT, related_name="progress")
    department = models.ForeignKey(Department, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+")
    week = models.DateField(_("周（周一）"))
    status = models.CharField(_("进展状态"), max_length=16, choices=TaskStatus.choices)
    text = models.TextField(_("本周进展"))
    figure = models.DecimalField(_("本周数字"), max_digits=16, decimal_places=4, null=True, blank=True)
    figure_label = models.CharField(_("数字说明"), max_length=64, blank=True)
    problems = models.TextField(_("存在问题"), blank=True)
    replaces = models.ForeignKey("self", verbose_name=_("更正的记录"), null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="replaced_by")
    is_current = models.BooleanField(_("现行"), default=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("填报人"), on_delete=models.PROTECT,
                                   related_name="+")
    entered_at = models.DateTimeField(_("填报时间"), default=timezone.now)

    class Meta:
        verbose_name = _("任务周进展")
        verbose_name_plural = _("任务周进展")
        ordering = ["task", "week", "department", "-entered_at"]
        constraints = [models.UniqueConstraint(fields=["task", "department", "week"], condition=Q(is_current=True),
                                               name="one_current_task_progress")]


class Designation(models.TextChoices):
    """Awarded titles of a full-employment community (seed 002 item 8), highest first."""
    NATIONAL = "national", _("国家级充分就业社区")
    PROVINCIAL_STAR = "provincial_star", _("省级充分就业星级社区")
    PROVINCIAL = "provincial", _("省级充分就业社区")
    MUNICIPAL = "municipal", _("市级充分就业社区")


class CommunityAssessment(models.Model):
    """A community's full-employment assessment (充分就业社区评估) for a year, with each criterion's evidence:
    ``evidence`` = [{"criterion": code, "label": 中文, "value": .., "threshold": .., "passed": bool}, ...]."""
    region = models.ForeignKey("regions.Region", verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("评估年度"))
    passed = models.BooleanField(_("达标"))
    evidence = models.JSONField(_("评估依据"), default=list)
    known_on = models.DateTimeField(_("数据截至"))
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评估人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(_("评估时间"), default=timezone.now)
    is_current = models.BooleanField(_("现行"), default=True)
    # The title awarded for this year (recorded by a manager; carried over to a re-assessment of the year).
    designation = models.CharField(_("认定称号"), max_length=16, choices=Designation.choices, blank=True, default="")

    class Meta:
        verbose_name = _("充分就业社区评估")
        verbose_name_plural = _("充分就业社区评估")
        ordering = ["year", "region"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], condition=Q(is_current=True),
                                               name="one_current_assessment")]


class KpiSnapshot(models.Model):
    """A kept KPI value (dashboard part, kpis/cache.py): what ``kpis.compute`` returned for one region, period
    and KPI at ``computed_at``, so that pages answer fast on a large city. Derived data: deleted when the
    registrations of its period change (registry events) and recomputed when older than the freshness of
    its period (settings ``JIUYE_KPI_FRESH_SECONDS`` for an open period, ``JIUYE_KPI_MAX_AGE_SECONDS`` for a
    closed one). ``value`` is the Decimal as text and ``components`` tag their Decimals, so a kept value
    reads back exactly as computed."""
    region = models.ForeignKey("regions.Region", verbose_name=_("区划"), on_delete=models.CASCADE, related_name="+")
    period = models.CharField(_("统计期"), max_length=24)  # Period.code (or a Span's code)
    period_start = models.DateField(_("统计期起"))
    period_end = models.DateField(_("统计期止"), db_index=True)
    kpi = models.CharField(_("指标"), max_length=48)
    value = models.CharField(_("数值"), max_length=64, null=True, blank=True)
    components = models.JSONField(_("构成"), default=dict, blank=True)
    source = models.CharField(_("来源"), max_length=128, default="registry")
    computed_at = models.DateTimeField(_("计算时间"), default=timezone.now)

    class Meta:
        verbose_name = _("指标缓存值")
        verbose_name_plural = _("指标缓存值")
        constraints = [models.UniqueConstraint(fields=["region", "period", "kpi"], name="one_kpi_snapshot")]
