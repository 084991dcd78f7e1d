"""The payment ledger (台账), budgets (就业补助资金) and payment batches.

Double payment is impossible by construction: every approval takes **slots** (``LedgerSlot``), unique in
the database across every policy and pack:

- a monthly subsidy takes one slot per month ``(kind, "*", subject, "YYYY-MM")``: the beneficiary is left
  out ("*"), so the same person is never subsidised twice for one month under subsidies of one kind,
  whoever is paid (the employer's social insurance subsidy and the person's flexible-employment one);
- a one-time subsidy takes ``(kind, beneficiary, subject, "once")``: once per beneficiary and person (an
  employer's second hired graduate is another subject; the same graduate twice is not);
- a subsidy limited to N times per beneficiary takes ``(kind, beneficiary, "", "n<k>")`` with k = 1..N.

A payment item is unique per approval entry among items not failed, so sending a batch twice, or putting
a claim in two batches, pays nothing twice.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiuye.policies.models.claims import Claim
from jiuye.policies.models.packs import Policy


class Budget(models.Model):
    """就业补助资金 budget of one year for a region (and one policy, or every policy when ``policy_code`` is "")."""

    year = models.PositiveSmallIntegerField(_("年度"))
    region = models.ForeignKey("regions.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    policy_code = models.CharField(_("政策编号"), max_length=64, blank=True)  # "" = the region's whole fund
    amount = models.DecimalField(_("预算金额（元）"), max_digits=16, decimal_places=2)
    note = models.CharField(_("说明"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    class Meta:
        verbose_name = _("补贴预算")
        verbose_name_plural = _("补贴预算")
        ordering = ["-year", "region_id", "policy_code"]
        constraints = [models.UniqueConstraint(fields=["year", "region", "policy_code"], name="budget_once")]


class EntryKind(models.TextChoices):
    COMMITMENT = "commitment", _("核准（承诺）")
    PAYMENT = "payment", _("发放")
    RELEASE = "release", _("撤销核准")


class LedgerEntry(models.Model):
    """One line of the ledger: an approval (commitment of budget), a payment, or a release. Tied to the
    claim, the policy version, the facts (decision trace) and the reviewer. Never updated or deleted."""

    claim = models.ForeignKey(Claim, verbose_name=_("申领"), on_delete=models.PROTECT, related_name="ledger_entries")
    kind = models.CharField(_("类型"), max_length=12, choices=EntryKind.choices)
    policy = models.ForeignKey(Policy, verbose_name=_("政策版本"), on_delete=models.PROTECT, related_name="+")
    policy_code = models.CharField(_("政策编号"), max_length=64, db_index=True)
    region = models.ForeignKey("regions.Region", verbose_name=_("受理地"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("预算年度"))
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    budget = models.ForeignKey(Budget, verbose_name=_("预算"), null=True, blank=True, on_delete=models.PROTECT, related_name="entries")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    facts = models.JSONField(_("依据事实"), default=dict)
    batch_item = models.ForeignKey("PaymentItem", verbose_name=_("发放明细"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("记账时间"), default=timezone.now)

    class Meta:
        verbose_name = _("台账记录")
        verbose_name_plural = _("台账记录")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["region", "year", "kind"], name="ledger_region_year_idx")]
        constraints = [
            # one commitment and one payment per claim
            models.UniqueConstraint(fields=["claim"], condition=Q(kind="commitment"), name="ledger_one_commitment"),
            models.UniqueConstraint(fields=["claim"], condition=Q(kind="payment"), name="ledger_one_payment"),
        ]


class LedgerSlot(models.Model):
    """What an approval occupies (see the module docstring); the unique constraint is the guarantee."""

    kind = models.CharField(_("补贴种类"), max_length=48)
    beneficiary_key = models.CharField(_("受益人"), max_length=24)  # "*" for monthly slots
    subject_key = models.CharField(_("对象"), max_length=24)  # "P<person id>", "E<employer id>" or ""
    period_key = models.CharField(_("期间"), max_length=16)  # "2020-05", "once", "n3"
    claim = models.ForeignKey(Claim, verbose_name=_("申领"), on_delete=models.PROTECT, related_name="slots")
    entry = models.ForeignKey(LedgerEntry, verbose_name=_("核准记录"), on_delete=models.PROTECT, related_name="slots")

    class Meta:
        verbose_name = _("防重复发放占位")
        verbose_name_plural = _("防重复发放占位")
        constraints = [models.UniqueConstraint(fields=["kind", "beneficiary_key", "subject_key", "period_key"],
                                               name="ledger_slot_once")]


class BudgetOverride(models.Model):
    """An authorised officer's recorded decision to approve beyond the budget."""

    budget = models.ForeignKey(Budget, verbose_name=_("预算"), on_delete=models.PROTECT, related_name="overrides")
    claim = models.ForeignKey(Claim, verbose_name=_("申领"), on_delete=models.PROTECT, related_name="budget_overrides")
    amount = models.DecimalField(_("超出金额（元）"), max_digits=14, decimal_places=2)
    reason = models.CharField(_("理由"), max_length=255)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("批准人"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("超预算核准")
        verbose_name_plural = _("超预算核准")


class BatchStatus(models.TextChoices):
    DRAFT = "draft", _("待发送")
    SENT = "sent", _("已发送银行")
    RECONCILED = "reconciled", _("已对账")


class PaymentBatch(models.Model):
    number = models.CharField(_("批次号"), max_length=32, unique=True)
    region = models.ForeignKey("regions.Region", verbose_name=_("发放单位"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=12, choices=BatchStatus.choices, default=BatchStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发送人"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    reconciled_at = models.DateTimeField(_("对账时间"), null=True, blank=True)
    total = models.DecimalField(_("金额合计（元）"), max_digits=16, decimal_places=2, default=0)
    item_count = models.PositiveIntegerField(_("笔数"), default=0)

    class Meta:
        verbose_name = _("发放批次")
        verbose_name_plural = _("发放批次")
        ordering = ["-created_at", "-pk"]


class ItemStatus(models.TextChoices):
    PENDING = "pending", _("待银行回盘")
    PAID = "paid", _("已到账")
    FAILED = "failed", _("发放失败")


class PaymentItem(models.Model):
    """One transfer of a batch: an approved claim to an account (a snapshot of the account used)."""

    batch = models.ForeignKey(PaymentBatch, verbose_name=_("批次"), on_delete=models.PROTECT, related_name="items")
    claim = models.ForeignKey(Claim, verbose_name=_("申领"), on_delete=models.PROTECT, related_name="payment_items")
    commitment = models.ForeignKey(LedgerEntry, verbose_name=_("核准记录"), on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    account_kind = models.CharField(_("账户类型"), max_length=8)
    bank = models.CharField(_("开户银行"), max_length=64)
    account_number = models.CharField(_("账号"), max_length=32)
    account_name = models.CharField(_("户名"), max_length=128)
    status = models.CharField(_("状态"), max_length=8, choices=ItemStatus.choices, default=ItemStatus.PENDING)
    bank_reference = models.CharField(_("银行流水号"), max_length=64, blank=True)
    returned_at = models.DateTimeField(_("回盘时间"), null=True, blank=True)
    failure_reason = models.CharField(_("失败原因"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("发放明细")
        verbose_name_plural = _("发放明细")
        ordering = ["batch_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["commitment"], condition=~Q(status="failed"),
                                               name="payment_item_live_once")]
