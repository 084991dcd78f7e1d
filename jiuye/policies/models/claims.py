"""Claims (补贴申领), their review, publicity (公示) and objections."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiuye.policies.models.packs import Beneficiary, Policy, Unit


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    PUBLICITY = "publicity", _("公示中")
    OBJECTED = "objected", _("公示有异议")
    APPROVED = "approved", _("已核准待发放")
    PAID = "paid", _("已发放")
    REJECTED = "rejected", _("不予核准")
    WITHDRAWN = "withdrawn", _("已撤回")


#: Claims that still hold their event: a second claim for the same entitlement is refused while one of these exists.
LIVE_STATUSES = (ClaimStatus.SUBMITTED, ClaimStatus.PUBLICITY, ClaimStatus.OBJECTED, ClaimStatus.APPROVED, ClaimStatus.PAID)


class ClaimChannel(models.TextChoices):
    PORTAL = "portal", _("网上申领")
    WORKER = "worker", _("经办代办")
    API = "api", _("接口")
    IMPORT = "import", _("批量导入")
    SEED = "seed", _("示例数据")


class PublicityList(models.Model):
    """公示: a list of claims proposed for approval, published for objections for a number of working days."""

    number = models.CharField(_("公示编号"), max_length=32, unique=True)
    region = models.ForeignKey("regions.Region", verbose_name=_("公示单位"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("标题"), max_length=128)
    starts_on = models.DateField(_("公示起始日期"))
    ends_on = models.DateField(_("公示截止日期"))
    working_days = models.PositiveSmallIntegerField(_("公示工作日数"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("发布时间"), default=timezone.now)
    closed_at = models.DateTimeField(_("公示结束处理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-starts_on", "-pk"]


class Claim(models.Model):
    """A claim of one policy for one event (a hire, a business start, a benefit's end …). ``person`` is whom
    the entitlement is about; ``employer`` the paid employer when the beneficiary is an employer. ``region`` is
    where the claim is handled (the person's community, or the employer's region) and scopes it."""

    number = models.CharField(_("申领编号"), max_length=32, unique=True)
    policy = models.ForeignKey(Policy, verbose_name=_("政策（提交时版本）"), on_delete=models.PROTECT, related_name="claims")
    policy_code = models.CharField(_("政策编号"), max_length=64, db_index=True)
    kind = models.CharField(_("补贴种类"), max_length=48)
    beneficiary = models.CharField(_("受益对象"), max_length=8, choices=Beneficiary.choices)
    person = models.ForeignKey("registry.Person", verbose_name=_("人员"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="subsidy_claims")
    employer = models.ForeignKey("registry.Employer", verbose_name=_("单位"), null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="subsidy_claims")
    beneficiary_key = models.CharField(_("受益人键"), max_length=24, editable=False)  # "P<person id>" / "E<employer id>"
    region = models.ForeignKey("regions.Region", verbose_name=_("受理地"), on_delete=models.PROTECT, related_name="+")
    event_type = models.CharField(_("依据事件类型"), max_length=32)
    event_id = models.BigIntegerField(_("依据事件记录"))
    event_date = models.DateField(_("事件日期"))
    unit = models.CharField(_("发放方式"), max_length=8, choices=Unit.choices)
    amount = models.DecimalField(_("标准（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    months = models.PositiveSmallIntegerField(_("月数"), null=True, blank=True)
    first_month = models.DateField(_("起始月份"), null=True, blank=True)
    total = models.DecimalField(_("金额合计（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED)
    channel = models.CharField(_("申领渠道"), max_length=8, choices=ClaimChannel.choices)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提交人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    submission_trace = models.JSONField(_("提交时判定"), default=dict)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_policy = models.ForeignKey(Policy, verbose_name=_("政策（审核时版本）"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="decided_claims")
    decision_trace = models.JSONField(_("审核时判定"), default=dict, blank=True)
    publicity = models.ForeignKey(PublicityList, verbose_name=_("公示"), null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="claims")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("核准人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(_("核准时间"), null=True, blank=True)
    rejection_reason = models.CharField(_("不予核准原因"), max_length=255, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("补贴申领")
        verbose_name_plural = _("补贴申领")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["region", "status"], name="claim_region_status_idx"),
            models.Index(fields=["event_type", "event_id"], name="claim_event_idx"),
        ]
        constraints = [
            # One live claim per policy kind, beneficiary and event: a second is refused by the database too.
            models.UniqueConstraint(
                fields=["kind", "beneficiary_key", "event_type", "event_id"],
                condition=Q(status__in=["submitted", "publicity", "objected", "approved", "paid"]),
                name="claim_live_once",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class ClaimEvidence(models.Model):
    """Evidence attached to a claim (the file itself is an ``assistance.Attachment`` owned by ``claim``)."""

    claim = models.ForeignKey(Claim, verbose_name=_("申领"), on_delete=models.PROTECT, related_name="evidence")
    attachment = models.ForeignKey("assistance.Attachment", verbose_name=_("材料"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("材料名称"), max_length=64)

    class Meta:
        verbose_name = _("申领材料")
        verbose_name_plural = _("申领材料")


class ClaimEvent(models.Model):
    """The claim's timeline: every step with its actor."""

    claim = models.ForeignKey(Claim, verbose_name=_("申领"), on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("操作"), max_length=24)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"), default=timezone.now)
    note = models.CharField(_("说明"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("申领记录")
        verbose_name_plural = _("申领记录")
        ordering = ["at", "pk"]


class Objection(models.Model):
    """An objection raised during publicity (公示异议), and how it was resolved."""

    class Outcome(models.TextChoices):
        OPEN = "open", _("待处理")
        UPHELD = "upheld", _("异议成立")
        DISMISSED = "dismissed", _("异议不成立")

    claim = models.ForeignKey(Claim, verbose_name=_("申领"), on_delete=models.PROTECT, related_name="objections")
    raised_by = models.CharField(_("异议人"), max_length=64)
    contact = models.CharField(_("联系方式"), max_length=32, blank=True)
    raised_on = models.DateField(_("提出日期"))
    reason = models.CharField(_("异议内容"), max_length=255)
    outcome = models.CharField(_("处理结果"), max_length=12, choices=Outcome.choices, default=Outcome.OPEN)
    resolution = models.CharField(_("处理说明"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("处理人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["raised_on", "pk"]
