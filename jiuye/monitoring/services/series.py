"""Writes of the statistics bureau's series, and the evaluation of the unemployment warning levels.

``enter_value``: a manager (``roles.can_manage_monitoring``) of the region's scope enters one value (urban
employed or surveyed rate) for a region and month with its source. Every field is checked at once
(ValidationError naming each field with the value and the reason). A value already entered is corrected by
a new version (a reason is required); the old version stays, no longer current. One transaction: the
version, the audit entry, and the level evaluation of that region (warnings through ``raise_warning``), so
a value that crosses a threshold raises its warning in the request that saved it.

``evaluate_levels``: for each region with a series, the latest month with data: the registered rate (where
the urban employed is entered) against ``monitoring.unemployment.registered_limit`` and the surveyed rate
against ``surveyed_limit``; at blue or above a warning ``registered_rate`` / ``surveyed_rate`` with key
``{indicator}:{region}``.
"""
from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import audit, roles
from jiuye.accounts.models import AuditEntry
from jiuye.accounts.scoping import OutOfScope, in_scope
from jiuye.monitoring import levels
from jiuye.monitoring.models import SeriesIndicator, StatSeriesValue, WarningKind
from jiuye.monitoring.periods import month_start
from jiuye.monitoring.queries import unemployment as q
from jiuye.monitoring.services.warnings import raise_warning
from jiuye.regions.codes import pad, significant_prefix
from jiuye.regions.models import Region

OBJECT_TYPE = "stat_series"
MAX_EMPLOYED = Decimal("100000000")
MAX_SOURCE = 128


def check_fields(*, region_code, indicator, month, value, source, reason, today) -> tuple[Region, datetime.date, Decimal, str]:
    errors: dict[str, str] = {}
    region = None
    try:
        region = Region.objects.filter(code=pad(str(region_code or ""))).first()
    except ValueError:
        region = None
    if region is None:
        errors["region"] = _("区划“%(v)s”不存在") % {"v": region_code}
    elif region.level < Region.Level.COUNTY:
        errors["region"] = _("区划“%(v)s”不是区县、街道或社区：统计部门数据按区县、街道、社区录入") % {"v": region.name}
    if indicator not in SeriesIndicator.values:
        errors["indicator"] = _("指标“%(v)s”无效（可选：城镇从业人员数、城镇调查失业率）") % {"v": indicator}
    m = None
    if not isinstance(month, datetime.date):
        errors["month"] = _("月份“%(v)s”无效") % {"v": month}
    else:
        m = month_start(month)
        if m > month_start(today):
            errors["month"] = _("月份%(v)s晚于本月：不能录入未来月份的数据") % {"v": m.strftime("%Y-%m")}
    number = None
    try:
        number = Decimal(str(value).strip().rstrip("%").replace(",", "")) if value not in (None, "") else None
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite():
        errors["value"] = _("数值“%(v)s”不是数字") % {"v": value}
    elif indicator == SeriesIndicator.URBAN_EMPLOYED and not (0 < number <= MAX_EMPLOYED and number == number.to_integral()):
        errors["value"] = _("城镇从业人员数“%(v)s”应为1至1亿之间的整数（单位：人）") % {"v": value}
    elif indicator == SeriesIndicator.SURVEYED_RATE and not (0 <= number < 100):
        errors["value"] = _("城镇调查失业率“%(v)s”应为0至100之间的百分数（5.2 即 5.2%%）") % {"v": value}
    source = (source or "").strip()
    if not source:
        errors["source"] = _("请填写数据来源（如“西安市统计局 2026年10月劳动力调查”）")
    elif len(source) > MAX_SOURCE:
        errors["source"] = _("数据来源不能超过%(n)s个字") % {"n": MAX_SOURCE}
    if len((reason or "").strip()) > 255:
        errors["reason"] = _("更正原因不能超过255个字")
    if errors:
        raise ValidationError(errors)
    return region, m, number, source


def enter_value(actor, *, region_code: str, indicator: str, month: datetime.date, value, source: str,
                reason: str = "", via: str = StatSeriesValue.Via.WEB, today: datetime.date | None = None,
                evaluate: bool = True, authorised: bool = False) -> tuple[StatSeriesValue, str]:
    """Enter or correct one value. Returns ``(value, what)``: "created", "corrected" or "unchanged".
    ``authorised``: the caller vouches for the actor's role and scope (the import engine, which checked the
    scope itself and may run from the shell without a user)."""
    if not authorised and not roles.can_manage_monitoring(actor):
        raise OutOfScope(_("您的角色无权录入统计部门数据"))
    today = today or timezone.localdate()
    region, m, number, source = check_fields(region_code=region_code, indicator=indicator, month=month, value=value,
                                              source=source, reason=reason, today=today)
    if not authorised and not in_scope(actor, region.code):
        raise OutOfScope(_("区划 %(code)s 不在您的管辖范围内") % {"code": region.code})
    reason = (reason or "").strip()
    with transaction.atomic():
        current = (StatSeriesValue.objects.select_for_update()
                   .filter(region=region, indicator=indicator, month=m, is_current=True).first())
        if current is not None and current.value == number and current.source == source:
            return current, "unchanged"
        if current is not None and not reason:
            raise ValidationError({"reason": _("%(r)s %(m)s的%(i)s已录入为%(v)s：更正须填写更正原因") % {
                "r": region.name, "m": m.strftime("%Y-%m"), "i": SeriesIndicator(indicator).label,
                "v": current.value.normalize()}})
        version = 1
        if current is not None:
            version = current.version + 1
            StatSeriesValue.objects.filter(pk=current.pk).update(is_current=False)
        row = StatSeriesValue.objects.create(
            region=region, indicator=indicator, month=m, value=number, source=source, version=version, is_current=True,
            reason=reason, via=via, entered_by=actor if getattr(actor, "is_authenticated", False) else None)
        changes = {"indicator": indicator, "month": m.isoformat(), "value": str(number), "source": source, "version": version}
        if current is not None:
            changes.update(previous=str(current.value), previous_source=current.source, reason=reason)
        audit.record(actor, AuditEntry.Action.UPDATE if current else AuditEntry.Action.CREATE, object_type=OBJECT_TYPE,
                     object_id=row.pk, object_label=f"{region.name} {m:%Y-%m} {SeriesIndicator(indicator).label}",
                     region_code=region.code, changes=changes,
                     summary=_("更正统计部门数据") if current else _("录入统计部门数据"))
        if evaluate:
            evaluate_levels(region_codes=[region.code], today=today, actor=actor)
    return row, "corrected" if current else "created"


# ---------------------------------------------------------------------------------------------
# Levels


def last_closed_month(today: datetime.date) -> datetime.date:
    """The latest month whose last day is today or earlier (the registered count is a month-end stock)."""
    return month_start(today) if q.month_end(today) == today else q.add_months(month_start(today), -1)


def _latest_months(indicator: str, region_codes, last: datetime.date) -> dict[str, datetime.date]:
    from django.db.models import Max

    qs = StatSeriesValue.objects.filter(indicator=indicator, is_current=True, month__lte=last)
    if region_codes is not None:
        qs = qs.filter(region_id__in=list(region_codes))
    return dict(qs.values("region_id").annotate(m=Max("month")).values_list("region_id", "m"))


def evaluate_levels(region_codes=None, *, today: datetime.date | None = None, actor=None) -> list[tuple[str, str, str]]:
    """Evaluate the latest month of each region's series (all regions with one when ``region_codes`` is None)
    and raise or update the warnings at blue or above. Returns [(kind, region, level)] raised or updated.
    Counts: one spells query per distinct (region level, month end)."""
    today = today or timezone.localdate()
    out = []
    employed_latest = _latest_months(SeriesIndicator.URBAN_EMPLOYED, region_codes, last_closed_month(today))
    # registered rate: numerators grouped by (width, month end)
    needs: dict[tuple[int, datetime.date], list[str]] = {}
    for code, m in employed_latest.items():
        end = q.month_end(m)
        needs.setdefault((len(significant_prefix(code)), end), []).append(code)
    for (width, end), codes in needs.items():
        prefix = significant_prefix(codes[0]) if len(codes) == 1 else ""
        counts = q.unemployed_counts([end], prefix=prefix, width=width)
        for code in codes:
            m = month_start(end)
            employed = StatSeriesValue.objects.get(region_id=code, indicator=SeriesIndicator.URBAN_EMPLOYED, month=m,
                                                   is_current=True)
            unemployed = counts.get((code, end), 0)
            rate = q.registered_rate(unemployed, employed.value)
            lim = q.limits_of(code, end)
            level = levels.level_of(rate, lim["registered"], lim["ratios"])
            if level:
                out.append(_raise(WarningKind.REGISTERED_RATE, code, m, level, rate, lim["registered"],
                                  {"unemployed": unemployed, "urban_employed": employed.value, "source": employed.source},
                                  actor))
    for code, m in _latest_months(SeriesIndicator.SURVEYED_RATE, region_codes, month_start(today)).items():
        value = StatSeriesValue.objects.get(region_id=code, indicator=SeriesIndicator.SURVEYED_RATE, month=m, is_current=True)
        lim = q.limits_of(code, q.month_end(m))
        level = levels.level_of(value.value, lim["surveyed"], lim["ratios"])
        if level:
            out.append(_raise(WarningKind.SURVEYED_RATE, code, m, level, value.value, lim["surveyed"],
                              {"source": value.source}, actor))
    return out


def _raise(kind, code, month, level, rate, limit, facts, actor):
    region = Region.objects.get(code=code)
    rate = Decimal(rate).quantize(Decimal("0.01"))
    name = str(WarningKind(kind).label)
    title = _("%(r)s %(m)s%(n)s%(v)s%%（目标%(l)s%%）") % {
        "r": region.name, "m": f"{month.year}年{month.month}月", "n": name, "v": rate, "l": Decimal(limit).normalize()}
    detail = _("%(n)s达到%(lv)s预警线：%(v)s%%，控制目标%(l)s%%。") % {
        "n": name, "lv": levels.label(level), "v": rate, "l": Decimal(limit).normalize()}
    raise_warning(kind=kind, key=f"{kind}:{code}", region_id=code, level=level, title=title, since=month,
                  detail=detail, facts={"month": month.strftime("%Y-%m"), "rate": rate, "limit": limit, **facts},
                  actor=actor)
    return (kind, code, level)
