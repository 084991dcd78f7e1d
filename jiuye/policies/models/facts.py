"""Facts the policy rules need and the registry lacks (issue 9, scope 2).

Each is a dated record of its own, kept as history (a correction is a new row or an edit that the audit
log keeps; nothing is overwritten silently), imported through the shared import engine. Persons and
employers are the registry's; the rules read these facts as of an event's date.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FactSource(models.TextChoices):
    MANUAL = "manual", _("窗口录入")
    IMPORT = "import", _("批量导入")
    API = "api", _("接口")
    SEED = "seed", _("示例数据")


class _Fact(models.Model):
    source = models.CharField(_("来源"), max_length=8, choices=FactSource.choices, default=FactSource.MANUAL)
    note = models.CharField(_("备注"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("录入时间"), default=timezone.now)
    import_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    class Meta:
        abstract = True


class BenefitPeriod(_Fact):
    """失业保险金领取期: one entitlement of a person to the unemployment insurance benefit. ``months_entitled``
    0 records an insured unemployed person who is not entitled to the benefit (不符合领取条件的参保失业人员);
    ``ends_on`` is the last day of the benefit (for 0 months: the day the entitlement was refused)."""

    person = models.ForeignKey("registry.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="benefit_periods")
    starts_on = models.DateField(_("领取起始日期"))
    months_entitled = models.PositiveSmallIntegerField(_("应领月数"))
    ends_on = models.DateField(_("领取截止日期"))
    monthly_amount = models.DecimalField(_("月领取标准（元）"), max_digits=9, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("失业保险金领取期")
        verbose_name_plural = _("失业保险金领取期")
        ordering = ["person_id", "starts_on", "pk"]
        indexes = [models.Index(fields=["ends_on"], name="benefit_period_end_idx"),
                   models.Index(fields=["person", "starts_on"], name="benefit_period_person_idx")]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="benefit_period_dates")]


class EmployerInsuranceYear(_Fact):
    """单位参保年度数据: an employer's unemployment insurance figures for one year."""

    employer = models.ForeignKey("registry.Employer", verbose_name=_("用人单位"), on_delete=models.PROTECT,
                                 related_name="insurance_years")
    year = models.PositiveSmallIntegerField(_("年度"))
    insured_staff_year_end = models.PositiveIntegerField(_("年末参保职工人数"))
    premiums_employer = models.DecimalField(_("单位缴纳失业保险费（元）"), max_digits=14, decimal_places=2)
    premiums_staff = models.DecimalField(_("职工缴纳失业保险费（元）"), max_digits=14, decimal_places=2)
    layoffs = models.PositiveIntegerField(_("年内裁员人数"), default=0)
    settles_on = models.DateField(_("结算日期"), editable=False)  # 1 January of the next year: the event's date

    def save(self, *args, **kwargs):
        import datetime

        self.settles_on = datetime.date(int(self.year) + 1, 1, 1)
        super().save(*args, **kwargs)

    class Meta:
        verbose_name = _("单位参保年度数据")
        verbose_name_plural = _("单位参保年度数据")
        ordering = ["employer_id", "year"]
        constraints = [models.UniqueConstraint(fields=["employer", "year"], name="insurance_year_once")]


class LoanStatus(models.TextChoices):
    ACTIVE = "active", _("还款中")
    REPAID = "repaid", _("已结清")
    DEFAULTED = "defaulted", _("逾期未还")


class GuaranteeLoan(_Fact):
    """创业担保贷款: a business guarantee loan to a person or a small business."""

    borrower_person = models.ForeignKey("registry.Person", verbose_name=_("借款人"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="guarantee_loans")
    borrower_employer = models.ForeignKey("registry.Employer", verbose_name=_("借款单位"), null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="guarantee_loans")
    contract_number = models.CharField(_("借款合同编号"), max_length=64)
    lender = models.CharField(_("经办银行"), max_length=64)
    amount = models.DecimalField(_("贷款金额（元）"), max_digits=12, decimal_places=2)
    starts_on = models.DateField(_("放款日期"))
    ends_on = models.DateField(_("到期日期"))
    jobs_created = models.PositiveIntegerField(_("带动就业人数"), default=0)
    counter_guarantee_waived = models.BooleanField(_("免除反担保"), default=False)
    status = models.CharField(_("状态"), max_length=12, choices=LoanStatus.choices, default=LoanStatus.ACTIVE)

    class Meta:
        verbose_name = _("创业担保贷款")
        verbose_name_plural = _("创业担保贷款")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(borrower_person__isnull=False, borrower_employer__isnull=True)
                           | Q(borrower_person__isnull=True, borrower_employer__isnull=False)),
                name="loan_one_borrower"),
            models.UniqueConstraint(fields=["lender", "contract_number"], name="loan_contract_once"),
        ]


class LoanRepayment(_Fact):
    """One instalment of a guarantee loan: due and (when) paid."""

    loan = models.ForeignKey(GuaranteeLoan, verbose_name=_("贷款"), on_delete=models.PROTECT, related_name="repayments")
    due_on = models.DateField(_("应还日期"))
    amount = models.DecimalField(_("应还金额（元）"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("实还日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("贷款还款记录")
        verbose_name_plural = _("贷款还款记录")
        ordering = ["loan_id", "due_on"]


class LoanInterestPeriod(_Fact):
    """An interest period of a guarantee loan for which an interest subsidy (贴息) may be claimed."""

    loan = models.ForeignKey(GuaranteeLoan, verbose_name=_("贷款"), on_delete=models.PROTECT, related_name="interest_periods")
    starts_on = models.DateField(_("计息起始日期"))
    ends_on = models.DateField(_("计息截止日期"))
    interest = models.DecimalField(_("应付利息（元）"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("贷款计息期")
        verbose_name_plural = _("贷款计息期")
        ordering = ["loan_id", "starts_on"]
        constraints = [models.UniqueConstraint(fields=["loan", "starts_on"], name="interest_period_once")]


class OnlineShop(_Fact):
    """网店开办: an online shop a platform (or startup service organisation) attests it helped open."""

    person = models.ForeignKey("registry.Person", verbose_name=_("创业者"), on_delete=models.PROTECT, related_name="online_shops")
    platform = models.ForeignKey("registry.Employer", verbose_name=_("电商平台/创业服务机构"), on_delete=models.PROTECT,
                                 related_name="attested_shops")
    shop_name = models.CharField(_("网店名称"), max_length=128)
    opened_on = models.DateField(_("开办日期"))
    attested_on = models.DateField(_("平台证明日期"))
    attestation = models.CharField(_("证明文号/说明"), max_length=128, blank=True)

    class Meta:
        verbose_name = _("网店开办")
        verbose_name_plural = _("网店开办")
        ordering = ["opened_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["platform", "person", "shop_name"], name="online_shop_once")]


class Internship(_Fact):
    """就业见习: a graduate's internship at a unit, and whether the unit kept them on (留用)."""

    person = models.ForeignKey("registry.Person", verbose_name=_("见习人员"), on_delete=models.PROTECT, related_name="internships")
    unit = models.ForeignKey("registry.Employer", verbose_name=_("见习单位"), on_delete=models.PROTECT, related_name="internships")
    starts_on = models.DateField(_("见习起始日期"))
    ends_on = models.DateField(_("见习期满日期"))
    hired_on = models.DateField(_("签订劳动合同日期"), null=True, blank=True)
    contract_months = models.PositiveSmallIntegerField(_("合同期限（月）"), null=True, blank=True)

    class Meta:
        verbose_name = _("就业见习")
        verbose_name_plural = _("就业见习")
        ordering = ["starts_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="internship_dates")]


class TrainingEnrolment(_Fact):
    """技能培训: a person's participation in a skills training course."""

    person = models.ForeignKey("registry.Person", verbose_name=_("学员"), on_delete=models.PROTECT, related_name="trainings")
    course = models.CharField(_("培训项目/工种"), max_length=64)
    provider = models.CharField(_("培训机构"), max_length=128)
    starts_on = models.DateField(_("开班日期"))
    ends_on = models.DateField(_("结业日期"))
    completed = models.BooleanField(_("已结业"), default=False)
    certificate = models.CharField(_("取得证书"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("技能培训")
        verbose_name_plural = _("技能培训")
        ordering = ["starts_on", "pk"]


class AccountKind(models.TextChoices):
    SOCIAL_SECURITY_CARD = "si_card", _("社会保障卡金融账户")
    BANK = "bank", _("单位银行账户")


class PaymentAccount(_Fact):
    """收款账户, kept as history: a person's social security card account (社保卡, payments to persons go
    there, 社保卡实名制发放) or an employer's bank account, valid from a date until replaced."""

    person = models.ForeignKey("registry.Person", verbose_name=_("人员"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="payment_accounts")
    employer = models.ForeignKey("registry.Employer", verbose_name=_("单位"), null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="payment_accounts")
    kind = models.CharField(_("账户类型"), max_length=8, choices=AccountKind.choices)
    bank = models.CharField(_("开户银行"), max_length=64)
    account_number = models.CharField(_("账号/社保卡号"), max_length=32)
    account_name = models.CharField(_("户名"), max_length=128)
    valid_from = models.DateField(_("启用日期"))
    valid_until = models.DateField(_("停用日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("收款账户")
        verbose_name_plural = _("收款账户")
        ordering = ["valid_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False, employer__isnull=True, kind="si_card")
                           | Q(person__isnull=True, employer__isnull=False, kind="bank")),
                name="payment_account_owner_kind"),
        ]
