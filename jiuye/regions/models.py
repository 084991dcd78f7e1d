"""Administrative divisions (行政区划): GB/T 2260 codes extended by 12-digit statistical codes."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiuye.regions.codes import LEVEL_PREFIX_LENGTH, code_range


class UrbanRural(models.TextChoices):
    """城乡分类代码 of the statistical division codes (国家统计局《统计用区划代码和城乡划分代码编制规则》).

    The first digit says urban (1) or rural (2): use :func:`is_urban` or :meth:`Region.is_urban`, and
    ``urban_q()`` / ``rural_q()`` to filter regions in the database."""

    MAIN_URBAN = "111", _("主城区")
    URBAN_FRINGE = "112", _("城乡结合区")
    TOWN_CENTRE = "121", _("镇中心区")
    TOWN_FRINGE = "122", _("镇乡结合区")
    SPECIAL = "123", _("特殊区域")
    TOWNSHIP_CENTRE = "210", _("乡中心区")
    VILLAGE = "220", _("村庄")


def is_urban(urban_rural: str | None) -> bool | None:
    """True for an urban class (1xx: 城镇), False for a rural one (2xx: 乡村), None when not classified."""
    if not urban_rural:
        return None
    return urban_rural.startswith("1")


def urban_q(prefix: str = "") -> models.Q:
    """Regions classified urban (1xx); ``prefix`` names the relation, e.g. ``"region__"`` on Person."""
    return models.Q(**{f"{prefix}urban_rural__startswith": "1"})


def rural_q(prefix: str = "") -> models.Q:
    """Regions classified rural (2xx)."""
    return models.Q(**{f"{prefix}urban_rural__startswith": "2"})


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
    # Kept for deployments that loaded the synthetic communities of earlier versions: those rows may hold
    # residents and cannot be dropped automatically; the seed no longer creates any.
    is_synthetic = models.BooleanField(
        _("示例数据"), default=False, help_text=_("代码或名称为示例合成数据，部署时须替换为正式区划")
    )
    urban_rural = models.CharField(
        _("城乡分类"), max_length=3, choices=UrbanRural.choices, blank=True, default="",
        help_text=_("统计用城乡分类代码（111主城区……220村庄），社区/村一级填写；空为未分类"),
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

    def is_urban(self) -> bool | None:
        """Urban (城乡分类 1xx), rural (2xx) or None when not classified."""
        return is_urban(self.urban_rural)

    def contains(self, code: str | None) -> bool:
        return bool(code) and code.startswith(self.prefix)
