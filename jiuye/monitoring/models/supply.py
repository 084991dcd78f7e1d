"""The shortage-occupation catalogue (紧缺职业目录), part "supply" of issue 11.

The supply-and-demand figures themselves are queries (``queries/supply.py``) over the jobs app's vacancies
and seeker registrations: nothing is copied. What is stored is the yearly catalogue: a manager computes a
draft for a year and a region (``services/catalogue.py``), reviews it, and publishes it. A published
catalogue is frozen: its entries keep the figures and the thresholds they were computed with, and never
change; publishing a new one for the same year and region marks the old one ``replaced`` (kept, readable).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["CatalogueStatus", "ShortageCatalogue", "ShortageEntry"]


class CatalogueStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    REPLACED = "replaced", _("已被替代")


class ShortageCatalogue(models.Model):
    year = models.PositiveSmallIntegerField(_("年度"))
    region = models.ForeignKey("regions.Region", verbose_name=_("发布区划"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=CatalogueStatus.choices, default=CatalogueStatus.DRAFT)
    title = models.CharField(_("目录名称"), max_length=128)
    parameters = models.JSONField(_("计算参数"), default=dict)  # thresholds used, with their basis
    totals = models.JSONField(_("总体情况"), default=dict, blank=True)  # openings, seekers, occupations examined
    note = models.TextField(_("说明"), blank=True)
    computed_at = models.DateTimeField(_("计算时间"), default=timezone.now)
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("计算人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    replaced_at = models.DateTimeField(_("替代时间"), null=True, blank=True)
    replaced_by = models.ForeignKey("self", verbose_name=_("替代目录"), null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("紧缺职业目录")
        verbose_name_plural = _("紧缺职业目录")
        indexes = [models.Index(fields=["region", "year"], name="shortage_cat_region_idx")]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], condition=Q(status="published"),
                                    name="shortage_cat_one_published"),
            models.UniqueConstraint(fields=["region", "year"], condition=Q(status="draft"),
                                    name="shortage_cat_one_draft"),
        ]

    def __str__(self) -> str:
        return self.title


class ShortageEntry(models.Model):
    catalogue = models.ForeignKey(ShortageCatalogue, verbose_name=_("目录"), on_delete=models.CASCADE,
                                  related_name="entries")
    rank = models.PositiveIntegerField(_("排名"))
    # Frozen copies (no foreign key to jobs.Occupation: the entry never changes, whatever the table does later;
    # the reserved migration keeps its dependencies).
    occupation_code = models.CharField(_("职业代码"), max_length=10)
    occupation_name = models.CharField(_("职业名称"), max_length=128)
    group_name = models.CharField(_("所属大类"), max_length=128, blank=True)
    openings = models.PositiveIntegerField(_("需求人数"))
    seekers = models.PositiveIntegerField(_("求职人数"))
    ratio = models.DecimalField(_("求人倍率"), max_digits=10, decimal_places=2, null=True, blank=True)
    months_short = models.PositiveSmallIntegerField(_("紧缺月数"))
    months_with_demand = models.PositiveSmallIntegerField(_("有需求月数"))

    class Meta:
        verbose_name = _("紧缺职业")
        verbose_name_plural = _("紧缺职业")
        ordering = ["catalogue", "rank"]
        constraints = [models.UniqueConstraint(fields=["catalogue", "rank"], name="shortage_entry_rank"),
                       models.UniqueConstraint(fields=["catalogue", "occupation_code"], name="shortage_entry_code")]

    def __str__(self) -> str:
        return f"{self.rank}. {self.occupation_code} {self.occupation_name}"
