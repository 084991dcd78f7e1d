"""Relocation communities (易地扶贫搬迁安置社区) and their three ledgers (三本台账).

A community flagged as a relocation community keeps three ledgers (DOMAIN §9; seed 002 item 18):
labour force (劳动力数据台账), transfer employment (转移就业台账) and public-welfare posts (公益性岗位台账).
The ledgers are views of the registry as of a date (``assistance.queries.ledgers``): nothing is copied;
only the flag and the resettlement project's facts are stored here.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RelocationCommunity(models.Model):
    """A community (社区/村) flagged as a relocation resettlement community, one row per community;
    district (and city) officers flag and edit it (audited, object type ``relocation_community``)."""

    region = models.OneToOneField("regions.Region", verbose_name=_("安置社区"), on_delete=models.PROTECT,
                                  primary_key=True, related_name="+")
    project_name = models.CharField(_("搬迁安置项目"), max_length=128)
    households_relocated = models.PositiveIntegerField(_("搬迁户数"), null=True, blank=True)
    persons_relocated = models.PositiveIntegerField(_("搬迁人数"), null=True, blank=True)
    since = models.DateField(_("搬迁入住时间"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("标记人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("标记时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # Unflagging (取消标记) keeps the row: the community is on the list on a date D when ``ended_on`` is
    # empty or later than D, so the ledgers of an earlier date stay reproducible.
    ended_on = models.DateField(_("取消标记日期"), null=True, blank=True,
                                help_text=_("自该日起不再列为易地搬迁安置社区"))
    end_reason = models.CharField(_("取消标记原因"), max_length=255, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("取消标记人"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    ended_at = models.DateTimeField(_("取消标记时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("易地搬迁安置社区")
        verbose_name_plural = _("易地搬迁安置社区")
        ordering = ["region"]

    def listed_on(self, on) -> bool:
        """On the list of relocation communities on ``on`` (not unflagged with effect on or before it)."""
        return self.ended_on is None or self.ended_on > on

    def __str__(self) -> str:
        return f"{self.region_id} {self.project_name}"
