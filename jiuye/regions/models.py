"""Administrative divisions (行政区划): GB/T 2260 codes extended by 12-digit statistical codes."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiuye.regions.codes import LEVEL_PREFIX_LENGTH, code_range


class Region(models.Model):
    class Level(models.IntegerChoices):
        PROVINCE = 1, _("省")
        CITY = 2, _("市")
        COUNTY = 3, _("区县")
        STREET = 4, _("街道/乡镇")
        COMMUNITY = 5, _("社区/村")

    code = models.CharField(_("区划代码"), max_length=12, primary_key=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    full_name = models.CharField(_("全称"), max_length=255, blank=True)
    is_synthetic = models.BooleanField(
        _("示例数据"), default=False, help_text=_("代码或名称为示例合成数据，部署时须替换为正式区划")
    )
    source = models.CharField(_("来源"), max_length=64, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        indexes = [models.Index(fields=["parent", "code"])]

    def __str__(self) -> str:
        return self.name

    @property
    def prefix(self) -> str:
        """Significant digits of the code: everything under this node starts with them."""
        return self.code[: LEVEL_PREFIX_LENGTH[self.level]]

    def code_range(self) -> tuple[str, str]:
        return code_range(self.prefix)

    def contains(self, code: str | None) -> bool:
        return bool(code) and code.startswith(self.prefix)
