"""The shortage-occupation catalogue (紧缺职业目录): compute a draft, publish it (frozen), replace it.

A manager (``roles.can_manage_monitoring``) computes a draft for a year and a region of their scope: every
detailed occupation's openings and seekers per month of the year (``queries.supply.occupation_months``, two
GROUP BY queries), then the occupations that pass the dated thresholds (``monitoring.shortage.*``, read for the
region as of the year's last day): at least ``min_openings`` openings in the year and at least ``min_months``
months in which the occupation was short (openings > 0 and either no seekers or openings / seekers ≥
``min_ratio``). Ranked by months short, then the year's 求人倍率 (an occupation with openings and no seekers at
all first), then openings, then code; at most ``max_entries``. A new draft replaces the previous draft of the
same year and region. Publishing freezes it; a published catalogue is never changed: publishing another for the
same year and region marks the old one 已被替代 (kept and readable).
"""
from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import audit, roles
from jiuye.accounts.models import AuditEntry
from jiuye.accounts.scoping import OutOfScope, in_scope
from jiuye.jobs.models import Occupation
from jiuye.monitoring.models import CatalogueStatus, ShortageCatalogue, ShortageEntry
from jiuye.monitoring.queries import supply as queries
from jiuye.parameters import params
from jiuye.parameters.resolve import ParameterError
from jiuye.regions.codes import pad, significant_prefix
from jiuye.regions.models import Region

OBJECT_TYPE = "shortage_catalogue"
KEYS = ("min_ratio", "min_months", "min_openings", "max_entries")


def thresholds(region_code: str, year: int) -> dict:
    """The dated thresholds in force for the region on the year's last day, with their basis (kept with the
    catalogue). Raises ParameterError (not set / not in force)."""
    p = params(region_code, datetime.date(year, 12, 31))
    out = {}
    for key in KEYS:
        r = p.resolved(f"monitoring.shortage.{key}")
        value = str(r.value) if isinstance(r.value, Decimal) else r.value
        out[key] = {"value": value, "basis": str(r.basis), "jurisdiction": r.jurisdiction_name or "全国"}
    return out


def is_short_month(openings: int, seekers: int, min_ratio: Decimal) -> bool:
    return openings > 0 and (seekers == 0 or Decimal(openings) >= min_ratio * seekers)


def rank_occupations(months: dict[str, dict], limits: dict) -> list[dict]:
    """Occupations that pass the thresholds, ranked (see the module doc). Pure: the tests and the API share it."""
    min_ratio = Decimal(str(limits["min_ratio"]))
    chosen = []
    for code, m in months.items():
        openings, seekers = sum(m["openings"]), sum(m["seekers"])
        short = sum(1 for o, s in zip(m["openings"], m["seekers"]) if is_short_month(o, s, min_ratio))
        if openings < int(limits["min_openings"]) or short < int(limits["min_months"]):
            continue
        chosen.append({"code": code, "openings": openings, "seekers": seekers, "ratio": queries.ratio(openings, seekers),
                       "months_short": short, "months_with_demand": sum(1 for o in m["openings"] if o > 0)})
    chosen.sort(key=lambda e: (-e["months_short"], e["ratio"] is not None,
                               -(e["ratio"] or 0), -e["openings"], e["code"]))
    return chosen[: int(limits["max_entries"])]


def _validate(user, year, region_code) -> Region:
    if not roles.can_manage_monitoring(user):
        raise OutOfScope(_("您的角色无权编制紧缺职业目录"))
    errors = {}
    today = timezone.localdate()
    try:
        year = int(year)
        if not 2000 <= year <= today.year:
            errors["year"] = _("年度 %(y)s 无效：应在2000年至今年（%(t)s）之间") % {"y": year, "t": today.year}
    except (TypeError, ValueError):
        errors["year"] = _("年度“%(y)s”无效：应为四位数字年份") % {"y": year}
    region = None
    try:
        code = pad(region_code or user.region_id or "")
        region = Region.objects.filter(code=code).first()
    except ValueError:
        code = region_code
    if region is None:
        errors["region"] = _("区划“%(c)s”不存在") % {"c": region_code}
    elif not in_scope(user, region.code):
        errors["region"] = _("区划“%(c)s”不存在") % {"c": region_code}  # the same answer as a missing one
    if errors:
        raise ValidationError(errors)
    return region


def compute_draft(user, *, year, region_code: str = "", note: str = "") -> ShortageCatalogue:
    region = _validate(user, year, region_code)
    year = int(year)
    try:
        limits_used = thresholds(region.code, year)
    except ParameterError as exc:
        raise ValidationError({"year": _("%(y)s年紧缺职业目录的计算参数未设置或未生效：%(e)s") % {"y": year, "e": exc}}) from None
    limits = {k: v["value"] for k, v in limits_used.items()}
    prefix = significant_prefix(region.code)
    months = queries.occupation_months(prefix, year)
    ranked = rank_occupations(months, limits)
    names = dict(Occupation.objects.filter(code__in=[e["code"] for e in ranked]).values_list("code", "name"))
    majors = {c[:1] for c in names}
    major_names = dict(Occupation.objects.filter(level=1, code__in=[f"{m}-00-00-00" for m in majors])
                       .values_list("code", "name"))
    with transaction.atomic():
        old = ShortageCatalogue.objects.select_for_update().filter(region=region, year=year,
                                                                   status=CatalogueStatus.DRAFT).first()
        if old is not None:
            old.delete()
        cat = ShortageCatalogue.objects.create(
            year=year, region=region, status=CatalogueStatus.DRAFT, title=f"{region.name}{year}年紧缺职业目录",
            parameters=limits_used, computed_by=user, note=note[:2000],
            totals={"occupations": len(months), "openings": sum(sum(m["openings"]) for m in months.values()),
                    "seekers": sum(sum(m["seekers"]) for m in months.values()), "entries": len(ranked)})
        ShortageEntry.objects.bulk_create([
            ShortageEntry(catalogue=cat, rank=i, occupation_code=e["code"], occupation_name=names.get(e["code"], ""),
                          group_name=major_names.get(f"{e['code'][:1]}-00-00-00", ""), openings=e["openings"],
                          seekers=e["seekers"], ratio=e["ratio"], months_short=e["months_short"],
                          months_with_demand=e["months_with_demand"])
            for i, e in enumerate(ranked, start=1)])
        audit.record(user, AuditEntry.Action.CREATE, object_type=OBJECT_TYPE, object_id=cat.pk, object_label=cat.title,
                     region_code=region.code, changes={"year": year, "entries": len(ranked), "parameters": limits},
                     summary=_("计算紧缺职业目录草稿"))
    return cat


def _own_catalogue(user, pk) -> ShortageCatalogue:
    if not roles.can_manage_monitoring(user):
        raise OutOfScope(_("您的角色无权发布紧缺职业目录"))
    cat = queries.get_catalogue(user, pk)
    if not in_scope(user, cat.region_id):
        raise queries_not_found()
    return cat


def queries_not_found():
    from jiuye.registry.queries import NotFound

    return NotFound("目录不存在或不在您的查看范围内")


def publish(user, pk: int) -> ShortageCatalogue:
    """Freeze a draft: published_at/by; the catalogue published before for the same year and region is 已被替代."""
    cat = _own_catalogue(user, pk)
    if cat.status != CatalogueStatus.DRAFT:
        raise ValidationError({"status": _("目录“%(t)s”状态为%(s)s，只有草稿可以发布；已发布的目录不能修改，请重新计算草稿后发布")
                               % {"t": cat.title, "s": cat.get_status_display()}})
    now = timezone.now()
    with transaction.atomic():
        cat = ShortageCatalogue.objects.select_for_update().get(pk=cat.pk)
        if cat.status != CatalogueStatus.DRAFT:
            raise ValidationError({"status": _("目录已被他人发布")})
        previous = list(ShortageCatalogue.objects.select_for_update().filter(
            region_id=cat.region_id, year=cat.year, status=CatalogueStatus.PUBLISHED))
        ShortageCatalogue.objects.filter(pk__in=[p.pk for p in previous]).update(
            status=CatalogueStatus.REPLACED, replaced_at=now, replaced_by=cat)
        ShortageCatalogue.objects.filter(pk=cat.pk).update(status=CatalogueStatus.PUBLISHED, published_at=now,
                                                           published_by=user)
        audit.record(user, AuditEntry.Action.UPDATE, object_type=OBJECT_TYPE, object_id=cat.pk, object_label=cat.title,
                     region_code=cat.region_id, changes={"status": CatalogueStatus.PUBLISHED,
                                                         "replaced": [p.pk for p in previous]},
                     summary=_("发布紧缺职业目录"))
    cat.refresh_from_db()
    return cat


def discard_draft(user, pk: int) -> None:
    cat = _own_catalogue(user, pk)
    if cat.status != CatalogueStatus.DRAFT:
        raise ValidationError({"status": _("已发布的目录不能删除")})
    with transaction.atomic():
        audit.record(user, AuditEntry.Action.DELETE, object_type=OBJECT_TYPE, object_id=cat.pk, object_label=cat.title,
                     region_code=cat.region_id, summary=_("删除紧缺职业目录草稿"))
        cat.delete()
