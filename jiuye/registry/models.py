"""The real-name labour registry (实名制就业登记): persons, households, employers, registrations.

Registrations are the history and the source of truth. The ``Person.employment_status`` columns are a
projection of that history as of today, rewritten in the same transaction as every new registration
(see ``status.py`` and ``services.refresh_status``).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class HukouType(models.TextChoices):
    URBAN = "urban", _("城镇")
    RURAL = "rural", _("农村")


class Education(models.TextChoices):
    PRIMARY = "primary", _("小学及以下")
    JUNIOR = "junior", _("初中")
    SENIOR = "senior", _("高中")
    VOCATIONAL = "vocational", _("中专/中职/技校")
    COLLEGE = "college", _("大专")
    BACHELOR = "bachelor", _("本科")
    MASTER = "master", _("硕士研究生")
    DOCTOR = "doctor", _("博士研究生")


HIGHER_EDUCATION = {Education.COLLEGE, Education.BACHELOR, Education.MASTER, Education.DOCTOR}


class SchoolType(models.TextChoices):
    UNIVERSITY = "university", _("普通高等学校")
    SECONDARY_VOCATIONAL = "secondary_vocational", _("中等职业学校")
    TECHNICAL = "technical", _("技工院校")
    OTHER = "other", _("其他")


class VeteranKind(models.TextChoices):
    SOLDIER = "soldier", _("退役士兵")
    SELF_EMPLOYED_OFFICER = "self_employed_officer", _("自主择业军转干部")
    OTHER = "other", _("其他退役军人")


class PovertyStatus(models.TextChoices):
    NONE = "none", _("无")
    LIFTED = "lifted", _("脱贫人口")
    MONITORED = "monitored", _("防止返贫监测对象")


class EmploymentStatus(models.TextChoices):
    NONE = "none", _("未登记")
    EMPLOYED = "employed", _("就业")
    UNEMPLOYED = "unemployed", _("登记失业")
    RETIRED = "retired", _("退休")
    DECEASED = "deceased", _("死亡")
    IN_SCHOOL = "in_school", _("升学")
    MILITARY = "military", _("参军")
    MOVED_AWAY = "moved_away", _("迁出")


class EmploymentForm(models.TextChoices):
    UNIT = "unit", _("单位就业")
    SELF_EMPLOYED = "self_employed", _("个体经营")
    FLEXIBLE = "flexible", _("灵活就业")
    PUBLIC_WELFARE = "public_welfare", _("公益性岗位")
    PLATFORM = "platform", _("平台就业")
    AGRICULTURE = "agriculture", _("务农")
    OTHER = "other", _("其他")


class ContractType(models.TextChoices):
    FIXED = "fixed", _("固定期限")
    OPEN_ENDED = "open_ended", _("无固定期限")
    TASK = "task", _("以完成一定工作任务为期限")
    NONE = "none", _("未签订")


class UnemploymentReason(models.TextChoices):
    CONTRACT_ENDED = "contract_ended", _("劳动合同期满")
    DISMISSED = "dismissed", _("被解除劳动合同")
    RESIGNED = "resigned", _("本人辞职")
    EMPLOYER_CLOSED = "employer_closed", _("单位破产/关闭")
    GRADUATE = "graduate", _("毕业未就业")
    BUSINESS_CLOSED = "business_closed", _("个体经营停业")
    LAND_LOST = "land_lost", _("失去土地")
    OTHER = "other", _("其他")


class EndingReason(models.TextChoices):
    NEW_JOB = "new_job", _("实现就业")
    JOB_ENDED = "job_ended", _("就业终止")
    RETIREMENT = "retirement", _("退休")
    DEATH = "death", _("死亡")
    SCHOOL = "school", _("升学")
    MILITARY = "military", _("参军")
    MOVED_AWAY = "moved_away", _("迁出")
    NOT_SEEKING = "not_seeking", _("无就业意愿")
    OTHER = "other", _("其他")


class RegistrationSource(models.TextChoices):
    MANUAL = "manual", _("窗口录入")
    IMPORT = "import", _("批量导入")
    API = "api", _("接口")
    ONLINE = "online", _("网上自助")
    SEED = "seed", _("示例数据")


class Person(models.Model):
    """A working-age resident's real-name record (实名制档案)."""

    # Indexes (Meta): unique id_number, name and phone as plain btree indexes. Not db_index/unique on
    # the field: on PostgreSQL that also adds a varchar_pattern_ops "_like" index for LIKE queries,
    # which no query uses (identity-number and name prefixes are searched as ranges) and which every
    # insert (the import's 100,000 rows) pays for.
    id_number = models.CharField(_("公民身份号码"), max_length=18)
    name = models.CharField(_("姓名"), max_length=64)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices, editable=False)
    birth_date = models.DateField(_("出生日期"), editable=False)
    ethnicity = models.CharField(_("民族"), max_length=16, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)

    hukou_type = models.CharField(_("户籍性质"), max_length=8, choices=HukouType.choices)
    hukou_place = models.CharField(_("户籍地"), max_length=128, blank=True)
    region = models.ForeignKey(  # indexed by the (region, employment_status) index below
        "regions.Region", verbose_name=_("居住社区"), on_delete=models.PROTECT, related_name="residents", db_index=False
    )
    address = models.CharField(_("居住地址"), max_length=255, blank=True)

    education = models.CharField(_("文化程度"), max_length=16, choices=Education.choices, blank=True)
    graduation_date = models.DateField(_("毕业时间"), null=True, blank=True, db_index=True)
    school_type = models.CharField(_("毕业院校类型"), max_length=24, choices=SchoolType.choices, blank=True)
    school_name = models.CharField(_("毕业院校"), max_length=128, blank=True)
    major = models.CharField(_("专业"), max_length=64, blank=True)

    is_veteran = models.BooleanField(_("退役军人"), default=False)
    veteran_kind = models.CharField(_("退役类别"), max_length=24, choices=VeteranKind.choices, blank=True)
    has_disability = models.BooleanField(_("残疾人"), default=False)
    disability_grade = models.PositiveSmallIntegerField(_("残疾等级"), null=True, blank=True)
    is_dibao = models.BooleanField(_("低保家庭成员"), default=False)
    poverty_status = models.CharField(
        _("脱贫/监测状态"), max_length=12, choices=PovertyStatus.choices, default=PovertyStatus.NONE
    )
    is_land_lost_farmer = models.BooleanField(_("失地农民"), default=False)
    is_released_or_rehabilitated = models.BooleanField(_("刑满释放或戒毒康复人员"), default=False)

    skills = models.JSONField(_("技能特长"), default=list, blank=True)
    certificates = models.JSONField(_("职业资格/技能等级证书"), default=list, blank=True)
    able_to_work = models.BooleanField(_("有劳动能力"), default=True)
    willing_to_work = models.BooleanField(_("有就业意愿"), default=True)
    preferred_occupation = models.CharField(_("求职意向工种"), max_length=64, blank=True)
    preferred_industry = models.CharField(_("求职意向行业"), max_length=64, blank=True)
    preferred_wage_min = models.PositiveIntegerField(_("期望月薪下限（元）"), null=True, blank=True)
    preferred_work_place = models.CharField(_("期望工作地点"), max_length=64, blank=True)

    female_retirement_base = models.PositiveSmallIntegerField(
        _("女性原法定退休年龄"), null=True, blank=True, help_text=_("50或55，空为按辖区规则默认")
    )
    retirement_date = models.DateField(_("法定退休日期"), editable=False)

    # Projection of the registration history as of today (see status.py).
    employment_status = models.CharField(
        _("就业状态"), max_length=12, choices=EmploymentStatus.choices, default=EmploymentStatus.NONE, editable=False
    )
    status_since = models.DateField(_("状态起始日期"), null=True, blank=True, editable=False)
    current_employer = models.ForeignKey(
        "Employer", verbose_name=_("现就业单位"), null=True, blank=True, on_delete=models.SET_NULL, editable=False,
        related_name="current_employees",
    )
    employment_form = models.CharField(
        _("就业形式"), max_length=16, choices=EmploymentForm.choices, blank=True, editable=False
    )

    created_at = models.DateTimeField(_("建档时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        indexes = [
            models.Index(fields=["name"], name="person_name_idx"),
            models.Index(fields=["phone"], name="person_phone_idx"),
            models.Index(fields=["region", "employment_status"]),
            models.Index(fields=["employment_status", "name"]),
            models.Index(fields=["region", "graduation_date"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["id_number"], name="person_id_number_unique"),
            models.CheckConstraint(condition=Q(sex__in=["M", "F"]), name="person_sex_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class Household(models.Model):
    """A household (户) and whether it has business or investment income."""

    number = models.CharField(_("户编号"), max_length=32, unique=True)
    region = models.ForeignKey("regions.Region", verbose_name=_("所在社区"), on_delete=models.PROTECT, related_name="households")
    address = models.CharField(_("地址"), max_length=255, blank=True)
    has_business_income = models.BooleanField(_("有经营性或投资性收入"), default=False)
    # Projection as of today of groups.zero_employment_rule(), kept by services.refresh_zero_employment
    # whenever a member's status, a membership or the household changes, and daily (members age).
    is_zero_employment = models.BooleanField(_("零就业家庭"), default=False, db_default=False, editable=False, db_index=True)
    note = models.CharField(_("备注"), max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("家庭户")
        verbose_name_plural = _("家庭户")

    def __str__(self) -> str:
        return self.number


class Relation(models.TextChoices):
    HEAD = "head", _("户主")
    SPOUSE = "spouse", _("配偶")
    CHILD = "child", _("子女")
    PARENT = "parent", _("父母")
    SIBLING = "sibling", _("兄弟姐妹")
    GRANDCHILD = "grandchild", _("孙子女")
    GRANDPARENT = "grandparent", _("祖父母")
    OTHER = "other", _("其他")


class HouseholdMembership(models.Model):
    """Membership of a person in a household over time; at most one open membership per person."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="household_memberships")
    relation = models.CharField(_("与户主关系"), max_length=16, choices=Relation.choices)
    joined_on = models.DateField(_("加入日期"), default=timezone.localdate)
    left_on = models.DateField(_("离开日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(left_on__isnull=True), name="one_open_household_per_person"
            ),
        ]
        indexes = [models.Index(fields=["household", "left_on"])]


class SizeClass(models.TextChoices):
    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")
    MICRO = "micro", _("微型")


class Ownership(models.TextChoices):
    STATE = "state", _("国有")
    COLLECTIVE = "collective", _("集体")
    PRIVATE = "private", _("私营")
    FOREIGN = "foreign", _("外商投资")
    HMT = "hmt", _("港澳台投资")
    INDIVIDUAL = "individual", _("个体工商户")
    PUBLIC_INSTITUTION = "public_institution", _("机关事业单位")
    SOCIAL_ORGANISATION = "social_organisation", _("社会组织")
    OTHER = "other", _("其他")


class Employer(models.Model):
    """An employer (用人单位) identified by its unified social credit code (统一社会信用代码)."""

    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("单位名称"), max_length=128, db_index=True)
    industry_code = models.CharField(_("行业（GB/T 4754 大类）"), max_length=4, blank=True)
    size_class = models.CharField(_("企业规模"), max_length=8, choices=SizeClass.choices, blank=True)
    ownership = models.CharField(_("经济类型"), max_length=24, choices=Ownership.choices, blank=True)
    region = models.ForeignKey("regions.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="employers")
    address = models.CharField(_("地址"), max_length=255, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=64, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    employee_count = models.PositiveIntegerField(_("职工人数"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("用人单位")
        verbose_name_plural = _("用人单位")

    def __str__(self) -> str:
        return self.name


class Registration(models.Model):
    """One entry of a person's employment history. Append-only: corrections are new entries.

    kind=employment (就业登记), unemployment (失业登记), ending (status ends), void (cancels the entry
    named in ``corrects``). An employment/unemployment/ending entry with ``corrects`` set replaces that
    entry. A corrected or voided entry no longer counts, but stays stored.

    ``registered_in`` (登记地) is the community where the registration was made: by default the
    person's community at that moment; KPIs attribute registrations by it, not by where the person
    lives now. A correction or void keeps the 登记地 of the entry it replaces unless it names another.
    ``former_employer`` (失业前单位) is the employer an unemployment registration names, when known;
    layoff monitoring links by it.
    """

    class Kind(models.TextChoices):
        EMPLOYMENT = "employment", _("就业登记")
        UNEMPLOYMENT = "unemployment", _("失业登记")
        ENDING = "ending", _("状态终止")
        VOID = "void", _("作废")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="registrations")
    kind = models.CharField(_("登记类型"), max_length=16, choices=Kind.choices)
    effective_date = models.DateField(_("生效日期"))
    employer = models.ForeignKey(Employer, verbose_name=_("就业单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="registrations")
    employment_form = models.CharField(_("就业形式"), max_length=16, choices=EmploymentForm.choices, blank=True)
    contract_type = models.CharField(_("合同类型"), max_length=16, choices=ContractType.choices, blank=True)
    contract_months = models.PositiveSmallIntegerField(_("合同期限（月）"), null=True, blank=True)
    # 合同起止日期: the end date is the contract's last day; contract_months is derived from both
    # (services.contract_terms: whole months, a remainder of days dropped).
    contract_start = models.DateField(_("合同起始日期"), null=True, blank=True)
    contract_end = models.DateField(_("合同终止日期"), null=True, blank=True)
    social_insurance = models.BooleanField(_("缴纳社会保险"), null=True, blank=True)
    occupation = models.CharField(_("工种/岗位"), max_length=64, blank=True)
    unemployment_reason = models.CharField(_("失业原因"), max_length=20, choices=UnemploymentReason.choices, blank=True)
    ending_reason = models.CharField(_("终止原因"), max_length=16, choices=EndingReason.choices, blank=True)
    corrects = models.ForeignKey(
        "self", verbose_name=_("更正的登记"), null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    reason = models.CharField(_("更正原因/备注"), max_length=255, blank=True)
    registered_in = models.ForeignKey(  # indexed by the (registered_in, effective_date) index below
        "regions.Region", verbose_name=_("登记地"), on_delete=models.PROTECT, related_name="registrations_made",
        db_index=False, help_text=_("办理登记的社区/村，默认为登记时本人的居住社区"),
    )
    former_employer = models.ForeignKey(
        Employer, verbose_name=_("失业前单位"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="former_employee_registrations", help_text=_("失业登记时填写：失业前的工作单位"),
    )
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, blank=True, on_delete=models.PROTECT)
    source = models.CharField(_("来源"), max_length=8, choices=RegistrationSource.choices, default=RegistrationSource.MANUAL)
    recorded_at = models.DateTimeField(_("录入时间"), default=timezone.now)
    import_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("就业失业登记")
        verbose_name_plural = _("就业失业登记")
        ordering = ["person", "effective_date", "recorded_at", "id"]
        indexes = [
            # The one-pass status table (status.last_entries): a ROW_NUMBER() window per person in this
            # order reads the index alone, without a sort; also serves every per-person lookup.
            models.Index(
                fields=["person", "-effective_date", "-recorded_at", "-id", "kind", "ending_reason", "employment_form", "employer"],
                name="registration_last_entry_idx",
            ),
            models.Index(fields=["kind", "effective_date"]),
            models.Index(fields=["corrects"]),
            models.Index(fields=["registered_in", "effective_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="void") | Q(corrects__isnull=False), name="void_names_corrected_entry"
            ),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(reason=""), name="correction_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(former_employer__isnull=True) | Q(kind="unemployment"),
                name="former_employer_only_on_unemployment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_date}"

    def save(self, *args, **kwargs):
        # The default 登记地 (the person's community now) for code that creates entries directly; the
        # services set it explicitly, and bulk paths write it in their INSERT.
        if self.registered_in_id is None and self.person_id is not None:
            self.registered_in_id = self.person.region_id
        super().save(*args, **kwargs)


class PendingRegistration(models.Model):
    """A registration that does not count yet (待生效): a resident's online self-registration waiting for
    the community worker's confirmation (origin ``self_service``, 网上自助), or a hire or placement dated
    in the future that the daily job applies on its date (origin ``pending_hire``, 待生效录用, scheduled by
    the jobs and assistance apps through ``services.schedule_registration``).

    ``values`` holds the entry's fields as the services take them (employer and former employer by id,
    dates as ISO text). An applied request names the ``Registration`` it produced; a rejected one says why.
    Written only through ``registry.services``; an immediate self-registration is stored here too, as
    applied, so that the resident sees every request and its outcome."""

    class Kind(models.TextChoices):
        EMPLOYMENT = "employment", _("就业登记")
        UNEMPLOYMENT = "unemployment", _("失业登记")

    class Origin(models.TextChoices):
        SELF_SERVICE = "self_service", _("网上自助")
        PENDING_HIRE = "pending_hire", _("待生效录用")

    class Status(models.TextChoices):
        WAITING_CONFIRMATION = "waiting_confirmation", _("待社区确认")
        SCHEDULED = "scheduled", _("待生效")
        APPLIED = "applied", _("已生效")
        REJECTED = "rejected", _("未通过")
        WITHDRAWN = "withdrawn", _("已撤回")

    OPEN = (Status.WAITING_CONFIRMATION, Status.SCHEDULED)

    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="pending_registrations")
    kind = models.CharField(_("登记类型"), max_length=16, choices=Kind.choices)
    effective_date = models.DateField(_("生效日期"))
    values = models.JSONField(_("登记内容"), default=dict, blank=True)
    origin = models.CharField(_("来源"), max_length=16, choices=Origin.choices)
    source = models.CharField(_("登记来源"), max_length=8, choices=RegistrationSource.choices)
    status = models.CharField(_("状态"), max_length=24, choices=Status.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人/经办人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("确认人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decision_reason = models.CharField(_("原因"), max_length=255, blank=True)
    registration = models.OneToOneField(Registration, verbose_name=_("生成的登记"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="pending_origin")

    class Meta:
        verbose_name = _("待生效登记")
        verbose_name_plural = _("待生效登记")
        indexes = [
            models.Index(fields=["status", "effective_date"]),
            models.Index(fields=["person", "status"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(status="applied") | Q(registration__isnull=False),
                                   name="applied_pending_names_registration"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_date} ({self.get_status_display()})"


class AccountLink(models.Model):
    """Binds a user account to the registry record it acts for: a resident's own person record, an
    employer user's employer. It lives here, on the registry's floor, because accounts sits below the
    registry and may not point up to it. Read it through ``queries.linked_person_id`` /
    ``queries.linked_employer_id``; write it through ``services.link_account``."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE,
                                related_name="registry_link")
    person = models.OneToOneField(Person, verbose_name=_("本人档案"), null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="account_link")
    employer = models.ForeignKey(Employer, verbose_name=_("所属单位"), null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="account_links")

    class Meta:
        verbose_name = _("账号关联")
        verbose_name_plural = _("账号关联")

    def __str__(self) -> str:
        return f"{self.user_id} → person={self.person_id} employer={self.employer_id}"


# ---------------------------------------------------------------------------------------------
# 就业创业证 and 迁入/迁出 (issue 7, helper H2): the certificate and moves between communities.


class CertificateStatus(models.TextChoices):
    CURRENT = "current", _("有效")
    REPLACED = "replaced", _("已换发")
    REVOKED = "revoked", _("已注销")


class ReissueReason(models.TextChoices):
    LOST = "lost", _("遗失补发")
    DAMAGED = "damaged", _("损坏换发")
    INFO_CHANGED = "info_changed", _("信息变更换发")
    LEDGER_IMPORT = "ledger_import", _("导入旧台账")
    OTHER = "other", _("其他")


class Certificate(models.Model):
    """就业创业证 (employment and entrepreneurship certificate). One current certificate per person
    (a database constraint); a reissue marks the old one ``replaced`` and points the new one at it.

    Numbers issued here: ``certificates.next_numbers`` (county code + year + 7-digit sequence from a
    locked per-(county, year) counter row). Imported numbers keep the ledger's own format."""

    person = models.ForeignKey(Person, verbose_name=_("持证人"), on_delete=models.PROTECT, related_name="employment_certificates")
    number = models.CharField(_("证书编号"), max_length=32)
    issued_on = models.DateField(_("发证日期"))
    issued_by = models.ForeignKey("regions.Region", verbose_name=_("发证机构"), on_delete=models.PROTECT,
                                  related_name="certificates_issued")
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=12, choices=CertificateStatus.choices, default=CertificateStatus.CURRENT)
    replaces = models.ForeignKey("self", verbose_name=_("换发前证书"), null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="replaced_by")
    reissue_reason = models.CharField(_("补发/换发原因"), max_length=16, choices=ReissueReason.choices, blank=True)
    note = models.CharField(_("备注"), max_length=255, blank=True)
    import_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("录入时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("就业创业证")
        verbose_name_plural = _("就业创业证")
        constraints = [
            models.UniqueConstraint(fields=["number"], name="certificate_number_unique"),
            models.UniqueConstraint(fields=["person"], condition=Q(status="current"), name="one_current_certificate_per_person"),
        ]
        indexes = [models.Index(fields=["person", "issued_on"], name="certificate_person_idx")]

    def __str__(self) -> str:
        return self.number


class CertificateCounter(models.Model):
    """The last sequence number issued per (county, year); incremented with one UPDATE inside the
    issuing transaction, so concurrent issuers queue on the row (see ``certificates.next_numbers``)."""

    county_code = models.CharField(max_length=6)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["county_code", "year"], name="certificate_counter_unique")]


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("待接收")
    ACCEPTED = "accepted", _("已接收")
    REJECTED = "rejected", _("已退回")
    CANCELLED = "cancelled", _("已撤回")


class Transfer(models.Model):
    """迁入/迁出: a person handed over from one community to another. The sending side (a writer whose
    scope covers the person) requests; the receiving side (a writer whose scope covers ``to_region``)
    accepts or rejects. At most one pending transfer per person (a database constraint)."""

    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="transfers")
    from_region = models.ForeignKey("regions.Region", verbose_name=_("迁出社区"), on_delete=models.PROTECT, related_name="+")
    to_region = models.ForeignKey("regions.Region", verbose_name=_("迁入社区"), on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("迁移原因"), max_length=255)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"), null=True,
                                     on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    status = models.CharField(_("状态"), max_length=12, choices=TransferStatus.choices, default=TransferStatus.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("处理人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decision_note = models.CharField(_("处理意见"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("人员迁移")
        verbose_name_plural = _("人员迁移")
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(status="pending"), name="one_pending_transfer_per_person"),
            models.CheckConstraint(condition=~Q(from_region=models.F("to_region")), name="transfer_to_another_region"),
        ]
        indexes = [
            models.Index(fields=["to_region", "status"], name="transfer_to_idx"),
            models.Index(fields=["from_region", "status"], name="transfer_from_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.from_region_id} → {self.to_region_id}"
