"""Writes of the full-employment community assessment: run the assessment of a year, record awarded titles.

``assess(actor, year, region_code, known_on=None)``: every community under the region judged against its
criteria (communities.evaluate, set-based), one CommunityAssessment per community replacing the current one
of that year (the old stays, is_current=False; its designation carries over), one transaction, one audit
entry for the run. ``designate(actor, community_code, year, designation)``: a manager records the title
awarded to a community for a year on its current assessment (assess first).
"""
from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import audit, roles
from jiuye.accounts.models import AuditEntry
from jiuye.accounts.scoping import OutOfScope, in_scope
from jiuye.regions.models import Region
from jiuye.targets import communities
from jiuye.targets.models import CommunityAssessment, Designation

OBJECT_TYPE = "targets.communityassessment"
FIRST_YEAR = 2000


def _check_manager(actor, region_code: str) -> Region:
    if not roles.can_manage_targets(actor):
        raise OutOfScope(_("您的角色无权评估充分就业社区"))
    region = Region.objects.filter(code=region_code).first()
    if region is None or not in_scope(actor, region.code):
        raise OutOfScope(_("区划 %(code)s 不在您的管辖范围内") % {"code": region_code})
    return region


def _check_year(year, today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": _("评估年度“%(v)s”不是年份") % {"v": year}}) from None
    if year < FIRST_YEAR or year > today.year:
        raise ValidationError({"year": _("评估年度 %(y)s 不在 %(a)s 至 %(b)s 年之间") % {"y": year, "a": FIRST_YEAR,
                                                                                  "b": today.year}})
    return year


def assess(actor, year, region_code: str, known_on=None) -> dict:
    """Assess every community under ``region_code`` for ``year``; returns {"communities", "passed", "year"}."""
    region = _check_manager(actor, region_code)
    year = _check_year(year)
    known_on = known_on or timezone.now()
    if isinstance(known_on, datetime.date) and not isinstance(known_on, datetime.datetime):
        known_on = timezone.make_aware(datetime.datetime.combine(known_on, datetime.time.max))
    results = communities.evaluate(region.code, year, known_on)
    with transaction.atomic():
        old = CommunityAssessment.objects.select_for_update().filter(region_id__in=list(results), year=year,
                                                                     is_current=True)
        designations = dict(old.values_list("region_id", "designation"))
        old.update(is_current=False)
        CommunityAssessment.objects.bulk_create([
            CommunityAssessment(region_id=code, year=year, passed=communities.passed(crit),
                                evidence=communities.evidence(crit), known_on=known_on, assessed_by=actor,
                                designation=designations.get(code, ""), is_current=True)
            for code, crit in results.items()], batch_size=1000)
        n_passed = sum(1 for crit in results.values() if communities.passed(crit))
        audit.record(actor, AuditEntry.Action.CREATE, object_type=OBJECT_TYPE, object_id=f"{region.code}:{year}",
                     object_label=f"{region.name}{year}年充分就业社区评估", region_code=region.code,
                     changes={"year": year, "communities": len(results), "passed": n_passed,
                              "replaced": len(designations)},
                     summary=_("评估充分就业社区"))
    return {"year": year, "communities": len(results), "passed": n_passed}


def designate(actor, community_code: str, year, designation: str) -> CommunityAssessment:
    """Record the title awarded to a community for ``year`` ("" clears it)."""
    _check_manager(actor, community_code)
    year = _check_year(year)
    if designation not in Designation.values and designation != "":
        raise ValidationError({"designation": _("认定称号“%(v)s”不在可选范围内") % {"v": designation}})
    with transaction.atomic():
        row = (CommunityAssessment.objects.select_for_update()
               .filter(region_id=community_code, year=year, is_current=True).first())
        if row is None:
            raise ValidationError({"year": _("社区 %(c)s 尚无 %(y)s 年度的评估，请先运行评估") % {"c": community_code,
                                                                                 "y": year}})
        before = row.designation
        row.designation = designation
        row.save(update_fields=["designation"])
        audit.record(actor, AuditEntry.Action.UPDATE, object_type=OBJECT_TYPE, object_id=row.pk,
                     object_label=f"{community_code} {year}", region_code=community_code,
                     changes={"designation": [before, designation]}, summary=_("记录充分就业社区认定称号"))
    return row
