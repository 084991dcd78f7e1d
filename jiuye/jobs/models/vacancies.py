"""Vacancies (招聘岗位), enterprise demand surveys (企业用工需求调查) and their lines.

A vacancy belongs to an employer and is placed at a region node (its scope for staff) with optional
coordinates. Its requirements are explicit fields: nothing about sex, ethnicity, household
registration, marital or child-bearing status, disability or health carrier status can be stored as a
requirement except a sex requirement with a recorded legal ground (work the state lists as unsuitable
for women); ``services.vacancies`` refuses the rest before publication (``refusals`` keeps why).
An age limit needs a justification and puts the vacancy on the review list (``review_flags``).

A public-welfare post of the assistance catalogue is published as a vacancy of work type
``welfare_post`` linked to its post (one vacancy per post): the catalogue stays in assistance, the
vacancy is how the post is matched and applied for.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WorkType(models.TextChoices):
    FULL_TIME = "full_time", _("全职")
    PART_TIME = "part_time", _("兼职")
    GIG = "gig", _("零工")
    INTERNSHIP = "internship", _("就业见习")
    WELFARE_POST = "welfare_post", _("公益性岗位")


class VacancyStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PENDING_REVIEW = "pending_review", _("待审核")
    PUBLISHED = "published", _("招聘中")
    REFUSED = "refused", _("已拒绝发布")
    FILLED = "filled", _("已招满")
    CLOSED = "closed", _("已关闭")
    EXPIRED = "expired", _("已过期")


class VacancySource(models.TextChoices):
    EMPLOYER = "employer", _("单位自行发布")
    STAFF = "staff", _("经办人员录入")
    IMPORT = "import", _("批量导入")
    SURVEY = "survey", _("用工需求调查")
    WELFARE_POST = "welfare_post", _("公益性岗位目录")


class Vacancy(models.Model):
    employer = models.ForeignKey("registry.Employer", verbose_name=_("招聘单位"), on_delete=models.PROTECT,
                                 related_name="vacancies")
    title = models.CharField(_("岗位名称"), max_length=64)
    description = models.TextField(_("岗位描述"), blank=True)
    occupation = models.ForeignKey("jobs.Occupation", verbose_name=_("职业"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="vacancies")
    occupation_confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("职业代码确认人"), null=True,
                                                blank=True, on_delete=models.PROTECT, related_name="+")
    work_type = models.CharField(_("用工形式"), max_length=16, choices=WorkType.choices, default=WorkType.FULL_TIME)
    openings = models.PositiveIntegerField(_("招聘人数"))
    hired = models.PositiveIntegerField(_("已录用人数"), default=0)
    wage_min = models.PositiveIntegerField(_("月薪下限（元）"), null=True, blank=True)
    wage_max = models.PositiveIntegerField(_("月薪上限（元）"), null=True, blank=True)
    region = models.ForeignKey("regions.Region", verbose_name=_("工作地点"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("详细地址"), max_length=255, blank=True)
    latitude = models.FloatField(_("纬度"), null=True, blank=True)
    longitude = models.FloatField(_("经度"), null=True, blank=True)
    education_min = models.CharField(_("最低学历"), max_length=16, blank=True)  # registry.Education values
    experience_years = models.PositiveSmallIntegerField(_("工作经验（年）"), default=0)
    skills = models.JSONField(_("技能要求"), default=list, blank=True)
    certificates = models.JSONField(_("证书要求"), default=list, blank=True)
    hours = models.CharField(_("工作时间"), max_length=64, blank=True)
    age_min = models.PositiveSmallIntegerField(_("年龄下限"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("年龄上限"), null=True, blank=True)
    age_justification = models.CharField(_("年龄限制理由"), max_length=255, blank=True)
    sex_requirement = models.CharField(_("性别要求"), max_length=1, blank=True)  # "" or registry.Sex value
    sex_ground = models.CharField(_("性别要求的法定依据"), max_length=32, blank=True)
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期止"))
    status = models.CharField(_("状态"), max_length=16, choices=VacancyStatus.choices, default=VacancyStatus.DRAFT)
    review_flags = models.JSONField(_("待审核事项"), default=list, blank=True)
    refusals = models.JSONField(_("拒绝发布原因"), default=list, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    welfare_post = models.OneToOneField("assistance.WelfarePost", verbose_name=_("公益性岗位"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="vacancy")
    search_text = models.TextField(editable=False, blank=True)  # title + description, tokenised (space-separated)
    source = models.CharField(_("来源"), max_length=16, choices=VacancySource.choices, default=VacancySource.STAFF)
    contact_name = models.CharField(_("联系人"), max_length=64, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    import_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("招聘岗位")
        verbose_name_plural = _("招聘岗位")
        indexes = [
            models.Index(fields=["status", "valid_until"], name="vacancy_status_idx"),
            models.Index(fields=["region", "status"], name="vacancy_region_idx"),
            models.Index(fields=["employer", "status"], name="vacancy_employer_idx"),
            models.Index(fields=["occupation", "status"], name="vacancy_occupation_idx"),
            # matching: the vacancies changed since the snapshot (matching.load.vacancies_now)
            models.Index(fields=["updated_at"], name="vacancy_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(openings__gte=1), name="vacancy_has_openings"),
            models.CheckConstraint(condition=Q(wage_min__isnull=True) | Q(wage_max__isnull=True)
                                   | Q(wage_max__gte=models.F("wage_min")), name="vacancy_wage_range"),
            models.CheckConstraint(condition=Q(valid_until__gte=models.F("valid_from")), name="vacancy_valid_range"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def open_positions(self) -> int:
        return max(0, self.openings - self.hired)


class DemandSurvey(models.Model):
    """One employer's answer to an enterprise labour-demand survey (企业用工需求调查) for a period."""
    employer = models.ForeignKey("registry.Employer", verbose_name=_("调查单位"), on_delete=models.PROTECT,
                                 related_name="demand_surveys")
    period = models.CharField(_("调查期"), max_length=16)  # "2026-Q4", "2026-11" or "2026" (monitoring.periods: one written form)
    surveyed_on = models.DateField(_("调查日期"))
    region = models.ForeignKey("regions.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    employees = models.PositiveIntegerField(_("现有职工人数"), null=True, blank=True)
    leavers = models.PositiveIntegerField(_("本期离职人数"), null=True, blank=True)
    joiners = models.PositiveIntegerField(_("本期入职人数"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("录入时间"), default=timezone.now)
    import_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("企业用工需求调查")
        verbose_name_plural = _("企业用工需求调查")
        constraints = [models.UniqueConstraint(fields=["employer", "period"], name="demand_survey_once_per_period")]
        indexes = [models.Index(fields=["region", "period"], name="demand_survey_region_idx")]


class DemandLine(models.Model):
    """One line of a survey: the occupation, how many, on what terms, by when."""
    survey = models.ForeignKey(DemandSurvey, verbose_name=_("调查"), on_delete=models.CASCADE, related_name="lines")
    occupation = models.ForeignKey("jobs.Occupation", verbose_name=_("职业"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("岗位名称"), max_length=64)
    headcount = models.PositiveIntegerField(_("需求人数"))
    wage_min = models.PositiveIntegerField(_("月薪下限（元）"), null=True, blank=True)
    wage_max = models.PositiveIntegerField(_("月薪上限（元）"), null=True, blank=True)
    education_min = models.CharField(_("最低学历"), max_length=16, blank=True)
    work_type = models.CharField(_("用工形式"), max_length=16, choices=WorkType.choices, default=WorkType.FULL_TIME)
    needed_by = models.DateField(_("需求时间"), null=True, blank=True)
    urgent = models.BooleanField(_("急需"), default=False)
    vacancy = models.ForeignKey(Vacancy, verbose_name=_("生成的岗位"), null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")

    class Meta:
        verbose_name = _("用工需求")
        verbose_name_plural = _("用工需求")
        constraints = [models.CheckConstraint(condition=Q(headcount__gte=1), name="demand_line_headcount")]


class PoolReason(models.TextChoices):
    LEAVER = "leaver", _("离职人员")
    JOINER = "joiner", _("新入职人员")


class PoolStatus(models.TextChoices):
    ACTIVE = "active", _("在库")
    PLACED = "placed", _("已就业")
    WITHDRAWN = "withdrawn", _("已退出")


class TalentPoolEntry(models.Model):
    """The talent reserve pool (人力资源储备池): a leaver or joiner of an employer, with the occupation and
    skills they bring, from the registry's registrations or a survey; one live entry per person."""
    person = models.ForeignKey("registry.Person", verbose_name=_("人员"), on_delete=models.PROTECT,
                               related_name="talent_pool_entries")
    reason = models.CharField(_("入库原因"), max_length=8, choices=PoolReason.choices)
    employer = models.ForeignKey("registry.Employer", verbose_name=_("原/新单位"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    occupation = models.ForeignKey("jobs.Occupation", verbose_name=_("职业"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    occurred_on = models.DateField(_("发生日期"))
    region = models.ForeignKey("regions.Region", verbose_name=_("所在社区"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=PoolStatus.choices, default=PoolStatus.ACTIVE)
    registration = models.ForeignKey("registry.Registration", verbose_name=_("来源登记"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("入库时间"), default=timezone.now)

    class Meta:
        verbose_name = _("人力资源储备池")
        verbose_name_plural = _("人力资源储备池")
        constraints = [models.UniqueConstraint(fields=["person"], condition=Q(status="active"), name="talent_pool_one_live")]
        indexes = [models.Index(fields=["region", "status"], name="talent_pool_region_idx")]
