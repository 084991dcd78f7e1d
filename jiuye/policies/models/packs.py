"""Policy packs as stored: every loaded version is kept; a decision records the version it used."""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Beneficiary(models.TextChoices):
    PERSON = "person", _("个人")
    EMPLOYER = "employer", _("单位")
    BORROWER = "borrower", _("借款人（个人或小微企业）")  # a policy's; a claim's beneficiary is a person or an employer


class Unit(models.TextChoices):
    ONCE = "once", _("一次性")
    MONTH = "month", _("按月")


class PolicyPack(models.Model):
    """A jurisdiction's policy document as a pack (e.g. ``xc2020``: 新政发〔2020〕28号)."""

    code = models.CharField(_("政策包编号"), max_length=32, unique=True)
    jurisdiction = models.CharField(_("辖区代码"), max_length=12, blank=True)  # significant prefix; "" = national
    jurisdiction_name = models.CharField(_("辖区"), max_length=64, blank=True)
    title = models.CharField(_("文件名称"), max_length=255)
    document = models.CharField(_("文号"), max_length=64)
    issued_on = models.DateField(_("发文日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("政策包")
        verbose_name_plural = _("政策包")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def current_version(self):
        return self.versions.order_by("-number").first()


class PackVersion(models.Model):
    """One loaded version of a pack: its source text and the dated values it brings."""

    pack = models.ForeignKey(PolicyPack, verbose_name=_("政策包"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    source_name = models.CharField(_("文件名"), max_length=255)
    text = models.TextField(_("政策包原文"))
    sha256 = models.CharField(max_length=64)
    values = models.JSONField(_("参数取值"), default=list)  # serialised DatedValue list (parameters/files.py)
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("加载人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    loaded_at = models.DateTimeField(_("加载时间"), default=timezone.now)
    note = models.CharField(_("说明"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("政策包版本")
        verbose_name_plural = _("政策包版本")
        ordering = ["pack_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["pack", "number"], name="pack_version_once")]

    def __str__(self) -> str:
        return f"{self.pack.code} v{self.number}"


class Policy(models.Model):
    """One policy of one pack version. ``code`` is the stable id across versions (``xc2020-hiring-once``);
    ``spec`` is the parsed policy (conditions, benefit, limits, evidence, basis) the engine runs."""

    version = models.ForeignKey(PackVersion, verbose_name=_("政策包版本"), on_delete=models.PROTECT, related_name="policies")
    code = models.CharField(_("政策编号"), max_length=64, db_index=True)
    name = models.CharField(_("政策名称"), max_length=128)
    summary = models.TextField(_("政策说明"), blank=True)
    kind = models.CharField(_("补贴种类"), max_length=48)
    beneficiary = models.CharField(_("受益对象"), max_length=8, choices=Beneficiary.choices)
    event = models.CharField(_("依据事件"), max_length=32)
    unit = models.CharField(_("发放方式"), max_length=8, choices=Unit.choices)
    period_from = models.DateField(_("实施起始日期"), null=True, blank=True)
    period_to = models.DateField(_("实施截止日期"), null=True, blank=True)
    spec = models.JSONField(_("规则"))
    basis_document = models.CharField(_("依据文件"), max_length=64)
    basis_article = models.CharField(_("条款"), max_length=64)

    class Meta:
        verbose_name = _("政策")
        verbose_name_plural = _("政策")
        ordering = ["version_id", "code"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="policy_once_per_version")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
