"""Occupations (职业分类大典 2022): a four-level code hierarchy.

Codes are written as the 大典 writes them: ``4-01-02-03`` (detailed occupation), ``4-01-02-00``
(small group), ``4-01-00-00`` (medium group), ``4-00-00-00`` (major group). ``level`` is 1 (大类),
2 (中类), 3 (小类) or 4 (职业). The parent is derived from the code, so a list that lacks a group
still places every occupation (the missing group is stored with ``source="derived"`` and no name of
its own until an official list names it). Some small groups have no detailed occupations beneath them
and are themselves an occupation (``1-02-01-00`` 国家权力机关负责人): they are stored once, at level 3,
with ``is_occupation`` set, as every detailed occupation is. Vacancies and seekers choose among the
rows with ``is_occupation``.
"""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OccupationSource(models.TextChoices):
    SHIPPED = "shipped", _("随系统提供")
    OFFICIAL = "official", _("官方目录导入")
    DERIVED = "derived", _("由下级代码推出")


class Occupation(models.Model):
    code = models.CharField(_("职业代码"), max_length=10, unique=True)
    level = models.PositiveSmallIntegerField(_("层级"))  # 1 大类, 2 中类, 3 小类, 4 职业
    name = models.CharField(_("名称"), max_length=128)
    is_occupation = models.BooleanField(_("职业（细类）"), default=False)
    parent = models.ForeignKey("self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    definition = models.TextField(_("定义"), blank=True)
    aliases = models.TextField(_("别名/常用岗位名"), blank=True)  # one per line
    source = models.CharField(_("来源"), max_length=8, choices=OccupationSource.choices, default=OccupationSource.SHIPPED)

    class Meta:
        verbose_name = _("职业")
        verbose_name_plural = _("职业")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"], name="occupation_level_idx"),
                   models.Index(fields=["is_occupation", "code"], name="occupation_leaf_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
