"""Employment assistance (就业援助): the shared facts every part of the app uses.

- ``Attachment``: evidence files (认定材料, 无劳动能力证明 ...), stored under MEDIA_ROOT/assistance/.
- ``Recognition``: one hard-to-employ recognition act (就业困难人员认定), from proposal to decision and
  exit. "Recognised on a date" is a fact read from these rows (``recognition.recognised_on`` /
  ``recognition.recognised_q``).
- ``Case``: one assistance case (援助个案) about a zero-employment household or a hard-to-employ
  person, assigned to the community worker of its community, with its deadlines in working days
  (``CaseDeadline``), its one-on-one services (``CaseService``) and its timeline (``CaseEvent``).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Attachment(models.Model):
    """An evidence file. ``owner_type``/``owner_id`` name what it supports (``recognition``,
    ``capacity_mark``, ``case_service`` ...); the file is kept under MEDIA_ROOT/assistance/ and served
    only through a scoped view."""

    owner_type = models.CharField(_("所属类型"), max_length=32)
    owner_id = models.BigIntegerField(_("所属记录"))
    kind = models.CharField(_("材料名称"), max_length=64, blank=True)
    file = models.FileField(_("文件"), upload_to="assistance/%Y/%m/", max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=255)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("证明材料")
        verbose_name_plural = _("证明材料")
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="attachment_owner_idx")]

    def __str__(self) -> str:
        return self.original_name


class RecognitionStatus(models.TextChoices):
    PROPOSED = "proposed", _("待认定")
    RECOGNISED = "recognised", _("已认定")
    REJECTED = "rejected", _("不予认定")
    EXITED = "exited", _("已退出")
    WITHDRAWN = "withdrawn", _("已撤销")


class RecognitionOrigin(models.TextChoices):
    PROPOSED = "proposed", _("系统提示")
    APPLIED = "applied", _("本人申请")
    IMPORTED = "imported", _("批量导入")


class ExitReason(models.TextChoices):
    STABLY_EMPLOYED = "stably_employed", _("实现稳定就业")
    NO_LONGER_QUALIFIES = "no_longer_qualifies", _("不再符合认定条件")
    EXPIRED = "expired", _("认定有效期届满")
    RETIRED = "retired", _("达到法定退休年龄")
    DECEASED = "deceased", _("死亡")
    MOVED_AWAY = "moved_away", _("迁出本辖区")
    OTHER = "other", _("其他")


class Recognition(models.Model):
    """就业困难人员认定: applicant, categories, evidence, date, validity and decision.

    Lifecycle: PROPOSED (from registry facts or the person's application) → RECOGNISED or REJECTED by
    a decider (``accounts.roles.RECOGNITION_DECIDERS``) → EXITED (stably employed, no longer
    qualifies, validity over ...). The person is recognised on a date D when the act was recognised,
    ``valid_from <= D``, D not after ``valid_until`` and before ``exited_on``. At most one act per
    person is open (proposed or recognised): a database constraint."""

    person = models.ForeignKey("registry.Person", verbose_name=_("人员"), on_delete=models.PROTECT,
                               related_name="recognitions")
    # The person's community when the act was made: the scope of the act (who may decide it).
    region = models.ForeignKey("regions.Region", verbose_name=_("认定社区"), on_delete=models.PROTECT, related_name="+")
    categories = models.JSONField(_("认定类别"), default=list)
    reasons = models.JSONField(_("符合条件"), default=dict, blank=True)  # category -> reason text (Chinese)
    origin = models.CharField(_("来源"), max_length=12, choices=RecognitionOrigin.choices, default=RecognitionOrigin.PROPOSED)
    applied_on = models.DateField(_("申请日期"))
    status = models.CharField(_("状态"), max_length=12, choices=RecognitionStatus.choices, default=RecognitionStatus.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("认定人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("认定时间"), null=True, blank=True)
    decision_note = models.CharField(_("认定意见"), max_length=255, blank=True)
    valid_from = models.DateField(_("认定生效日期"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    exited_on = models.DateField(_("退出日期"), null=True, blank=True)
    exit_reason = models.CharField(_("退出原因"), max_length=24, choices=ExitReason.choices, blank=True)
    exit_note = models.CharField(_("退出说明"), max_length=255, blank=True)
    exited_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("退出经办人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    # When the exit (or withdrawal) was recorded: ``known_on`` ignores exits recorded after it.
    exited_at = models.DateTimeField(_("退出录入时间"), null=True, blank=True)
    import_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("就业困难人员认定")
        verbose_name_plural = _("就业困难人员认定")
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(status__in=["proposed", "recognised"]),
                                    name="one_open_recognition_per_person"),
            models.CheckConstraint(condition=~Q(status="recognised") | Q(valid_from__isnull=False),
                                   name="recognised_has_valid_from"),
        ]
        indexes = [
            models.Index(fields=["region", "status"], name="recognition_region_idx"),
            models.Index(fields=["person", "valid_from"], name="recognition_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.get_status_display()}"


class CaseKind(models.TextChoices):
    ZERO_EMPLOYMENT = "zero_employment", _("零就业家庭援助")
    HARD_TO_EMPLOY = "hard_to_employ", _("就业困难人员援助")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("援助中")
    FOLLOW_UP = "follow_up", _("已就业跟踪回访")
    CLOSED = "closed", _("已结案")


class CloseKind(models.TextChoices):
    RESOLVED = "resolved", _("已实现就业")
    NO_LONGER_QUALIFIES = "no_longer_qualifies", _("不再符合条件")


class EscalationLevel(models.IntegerChoices):
    COMMUNITY = 0, _("社区")
    STREET = 1, _("街道")
    DISTRICT = 2, _("区县")


class Case(models.Model):
    """One assistance case (援助个案). A zero-employment case is about a household (``household``; the
    person is empty), a hard-to-employ case about a person. Open → (a real employment registration)
    FOLLOW_UP for the follow-up period → CLOSED resolved; or CLOSED no-longer-qualifies at once. A
    relapse during follow-up reopens the same case; later, a new case opens.

    ``next_due_on`` is the earliest unmet deadline (``CaseDeadline``), kept by ``cases`` so that
    lists sort and filter overdue cases by an index: the case is overdue when it is before today;
    ``district_due_on`` is the day it escalates to the district (after the street)."""

    kind = models.CharField(_("援助类型"), max_length=16, choices=CaseKind.choices)
    household = models.ForeignKey("registry.Household", verbose_name=_("家庭户"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="assistance_cases")
    person = models.ForeignKey("registry.Person", verbose_name=_("人员"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="assistance_cases")
    recognition = models.ForeignKey(Recognition, verbose_name=_("认定"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="cases")
    # The community of the household or person (follows them when they move): the case's scope.
    region = models.ForeignKey("regions.Region", verbose_name=_("所在社区"), on_delete=models.PROTECT, related_name="+",
                               db_index=False)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("责任人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="assistance_cases")
    status = models.CharField(_("状态"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_on = models.DateField(_("立案日期"))
    opened_at = models.DateTimeField(_("立案时间"), default=timezone.now)
    employed_on = models.DateField(_("实现就业日期"), null=True, blank=True)
    resolved_by = models.ForeignKey("registry.Registration", verbose_name=_("就业登记"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    follow_up_until = models.DateField(_("跟踪回访截止"), null=True, blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    close_kind = models.CharField(_("结案方式"), max_length=24, choices=CloseKind.choices, blank=True)
    close_note = models.CharField(_("结案说明"), max_length=255, blank=True)
    next_due_on = models.DateField(_("最近期限"), null=True, blank=True)
    district_due_on = models.DateField(_("升级至区县日期"), null=True, blank=True)
    escalation = models.PositiveSmallIntegerField(_("督办层级"), choices=EscalationLevel.choices,
                                                  default=EscalationLevel.COMMUNITY)
    reopen_count = models.PositiveSmallIntegerField(_("复开次数"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("援助个案")
        verbose_name_plural = _("援助个案")
        constraints = [
            models.UniqueConstraint(fields=["household"], condition=Q(status__in=["open", "follow_up"], kind="zero_employment"),
                                    name="one_active_zero_case_per_household"),
            models.UniqueConstraint(fields=["person"], condition=Q(status__in=["open", "follow_up"], kind="hard_to_employ"),
                                    name="one_active_hte_case_per_person"),
            models.CheckConstraint(
                condition=(Q(kind="zero_employment", household__isnull=False)
                           | Q(kind="hard_to_employ", person__isnull=False)),
                name="case_has_subject"),
            models.CheckConstraint(condition=~Q(status="closed") | ~Q(close_kind=""), name="closed_case_has_kind"),
        ]
        indexes = [
            models.Index(fields=["region", "status", "next_due_on"], name="case_region_due_idx"),
            models.Index(fields=["assigned_to", "status", "next_due_on"], name="case_worker_due_idx"),
            models.Index(fields=["status", "next_due_on"], name="case_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class DeadlineKind(models.TextChoices):
    FIRST_CONTACT = "first_contact", _("首次联系")
    PLAN = "plan", _("制定援助计划")
    EMPLOYMENT = "employment", _("实现就业")
    FOLLOW_UP = "follow_up", _("跟踪回访")


class CaseDeadline(models.Model):
    """One deadline of a case, in working days from ``start_on`` (Chinese statutory holidays and
    make-up working days, ``assistance.calendar``). ``met_on`` when done; ``uncovered`` when the
    calendar of a year it crosses is not known (the due date then counts Monday–Friday only and says so)."""

    case = models.ForeignKey(Case, verbose_name=_("个案"), on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(_("期限"), max_length=16, choices=DeadlineKind.choices)
    start_on = models.DateField(_("起算日期"))
    working_days = models.PositiveSmallIntegerField(_("工作日数"))
    due_on = models.DateField(_("到期日"))
    met_on = models.DateField(_("完成日期"), null=True, blank=True)
    uncovered = models.BooleanField(_("含未载入节假日安排的年份"), default=False)

    class Meta:
        verbose_name = _("办理期限")
        verbose_name_plural = _("办理期限")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_on}"


class ServiceKind(models.TextChoices):
    VISIT = "visit", _("入户走访")
    GUIDANCE = "guidance", _("职业指导")
    JOB_RECOMMENDATION = "job_recommendation", _("岗位推荐")
    TRAINING_REFERRAL = "training_referral", _("培训推介")
    POLICY_CLAIM = "policy_claim", _("政策申领")
    POST_PLACEMENT = "post_placement", _("公益性岗位安置")
    PLAN = "plan", _("制定援助计划")
    FOLLOW_UP_VISIT = "follow_up_visit", _("跟踪回访")


class CaseService(models.Model):
    """一对一帮扶: one service given on a case, with date, worker and outcome."""

    case = models.ForeignKey(Case, verbose_name=_("个案"), on_delete=models.PROTECT, related_name="services")
    kind = models.CharField(_("服务内容"), max_length=24, choices=ServiceKind.choices)
    served_on = models.DateField(_("服务日期"))
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("服务人员"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("registry.Person", verbose_name=_("服务对象"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("服务结果"), max_length=255)
    note = models.TextField(_("备注"), blank=True)
    recorded_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    class Meta:
        verbose_name = _("帮扶服务记录")
        verbose_name_plural = _("帮扶服务记录")
        ordering = ["served_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.served_on}"


class CaseEventKind(models.TextChoices):
    OPENED = "opened", _("立案")
    ASSIGNED = "assigned", _("分派")
    ESCALATED = "escalated", _("逾期督办")
    EMPLOYED = "employed", _("实现就业")
    CLOSED = "closed", _("结案")
    REOPENED = "reopened", _("重新立案")
    MOVED = "moved", _("随人员迁移")
    NOTE = "note", _("备注")


class CaseEvent(models.Model):
    """The case's timeline (what happened to the case itself; services are ``CaseService``)."""

    case = models.ForeignKey(Case, verbose_name=_("个案"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事项"), max_length=16, choices=CaseEventKind.choices)
    on = models.DateField(_("日期"))
    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    text = models.CharField(_("说明"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("个案记录")
        verbose_name_plural = _("个案记录")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"], name="case_event_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"


class SpellEnd(models.TextChoices):
    RESOLVED = "resolved", _("成员实现就业")
    NO_LONGER_QUALIFIES = "no_longer_qualifies", _("不再符合条件")


class SpellCause(models.TextChoices):
    """Why a zero-employment spell ended (the spell's ``end_kind`` says resolved or not; this says what
    happened), read from the facts of the household in the transaction that ended it."""

    EMPLOYED = "employed", _("成员实现就业")
    MEMBER_JOINED = "member_joined", _("已就业人员加入本户")
    BUSINESS_INCOME = "business_income", _("有经营性收入")
    UNABLE = "unable", _("成员标记无劳动能力")
    UNWILLING = "unwilling", _("成员标记无就业意愿")
    DECEASED = "deceased", _("成员死亡")
    RETIRED = "retired", _("成员退休")
    SPLIT = "split", _("分户")
    MOVED_AWAY = "moved_away", _("成员迁出")
    REGISTRATION_ENDED = "registration_ended", _("成员终止失业登记")
    CORRECTED = "corrected", _("登记更正或作废")
    OTHER = "other", _("其他")


class ZeroEmploymentSpell(models.Model):
    """One period in which a household was zero-employment (零就业家庭), from the day it became so to
    the day it stopped, and how it ended: a member's employment registration (resolved) or otherwise
    (no longer qualifies: the last unemployed member retired, died, moved away, was marked unable or
    unwilling to work; the household split ...). The history that proves dynamic zero (动态清零)."""

    household = models.ForeignKey("registry.Household", verbose_name=_("家庭户"), on_delete=models.PROTECT,
                                  related_name="zero_employment_spells")
    region = models.ForeignKey("regions.Region", verbose_name=_("所在社区"), on_delete=models.PROTECT, related_name="+",
                               db_index=False)
    started_on = models.DateField(_("认定为零就业家庭日期"))
    ended_on = models.DateField(_("消除日期"), null=True, blank=True)
    end_kind = models.CharField(_("消除方式"), max_length=24, choices=SpellEnd.choices, blank=True)
    end_note = models.CharField(_("说明"), max_length=255, blank=True)
    end_cause = models.CharField(_("消除原因"), max_length=24, choices=SpellCause.choices, blank=True)
    case = models.ForeignKey(Case, verbose_name=_("援助个案"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="spells")

    class Meta:
        verbose_name = _("零就业家庭记录")
        verbose_name_plural = _("零就业家庭记录")
        constraints = [
            models.UniqueConstraint(fields=["household"], condition=Q(ended_on__isnull=True), name="one_open_spell_per_household"),
        ]
        indexes = [
            models.Index(fields=["region", "ended_on"], name="spell_region_idx"),
            models.Index(fields=["household", "started_on"], name="spell_household_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.started_on}–{self.ended_on or ''}"


class CapacityKind(models.TextChoices):
    UNABLE = "unable", _("无劳动能力")
    UNWILLING = "unwilling", _("无就业意愿")


class CapacityMark(models.Model):
    """A member marked unable or unwilling to work (which takes the household off the zero-employment
    list): reason and evidence required, audited, shown on the street's overview. ``lifted_on`` when
    the mark is withdrawn (the person's flag is set back)."""

    person = models.ForeignKey("registry.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="capacity_marks")
    household = models.ForeignKey("registry.Household", verbose_name=_("家庭户"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("regions.Region", verbose_name=_("所在社区"), on_delete=models.PROTECT, related_name="+",
                               db_index=False)
    kind = models.CharField(_("标记"), max_length=12, choices=CapacityKind.choices)
    reason = models.CharField(_("原因"), max_length=255)
    marked_on = models.DateField(_("标记日期"))
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(_("录入时间"), default=timezone.now)
    # Whether the mark took a zero-employment household off the list (shown apart on the overview).
    cleared_zero_household = models.BooleanField(_("致零就业家庭消除"), default=False)
    lifted_on = models.DateField(_("撤销日期"), null=True, blank=True)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("撤销人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    lift_note = models.CharField(_("撤销说明"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("劳动能力/就业意愿标记")
        verbose_name_plural = _("劳动能力/就业意愿标记")
        indexes = [models.Index(fields=["region", "marked_on"], name="capacity_region_idx")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.get_kind_display()}"


class CalendarYear(models.Model):
    """A year whose statutory holidays and make-up working days the bureau entered itself (the
    calendar package does not cover it yet, or the State Council's notice changed it). A year entered
    here is read from ``CalendarDay`` only: its holidays and make-up working days as listed, every
    other Monday–Friday a working day."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    document = models.CharField(_("依据文件"), max_length=255, help_text=_("例如：国务院办公厅关于2027年部分节假日安排的通知"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    class Meta:
        verbose_name = _("节假日安排年份")
        verbose_name_plural = _("节假日安排年份")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """One day of a bureau-entered year that differs from Monday–Friday: a statutory holiday on a
    weekday (``is_workday`` false) or a make-up working day on a weekend (调休上班, ``is_workday`` true)."""

    year = models.ForeignKey(CalendarYear, verbose_name=_("年份"), on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("上班"))
    name = models.CharField(_("节日"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_workday else '休息'}"
