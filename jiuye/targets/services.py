"""Writes of the targets app: targets (create, replace, break down) and input-series values.

Every write: role and scope (``roles.can_manage_targets`` and the region in the actor's scope; ``authorised``
for the seed loader, the demo and the import engine, which checked the scope themselves) → every field
checked at once (ValidationError naming the field, the value and the reason, in Chinese) → one transaction →
an audit entry. Targets are never edited in place: ``replace_target`` makes a new row that ``replaces`` the
old one, which stays (``is_current`` False). ``breakdown`` gives each child region of a target's region its
own target pointing to the parent: for additive KPIs (counts) the children's values must add up to the
parent's, else the whole breakdown is refused with the sum and the difference; rates and ceilings are not
added (each child gets its own value). Input values are corrected by a new version (the old one stays).
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import audit, roles
from jiuye.accounts.models import AuditEntry
from jiuye.accounts.scoping import OutOfScope, in_scope
from jiuye.regions.codes import pad
from jiuye.regions.models import Region
from jiuye.targets.kpis.catalogue import KPIS, RATE
from jiuye.targets.models import Comparator, InputValue, Target, TargetNature, TargetScope

OBJECT_TYPE = "target"
INPUT_OBJECT_TYPE = "kpi_input"
MAX_VALUE = Decimal("1000000000000")
FIRST_YEAR, LAST_YEAR = 2000, 2100

SIGNS = [("≥", Comparator.AT_LEAST), (">=", Comparator.AT_LEAST), ("≤", Comparator.AT_MOST),
         ("<=", Comparator.AT_MOST), ("＞", Comparator.ABOVE), (">", Comparator.ABOVE), ("＜", Comparator.BELOW),
         ("<", Comparator.BELOW), ("≈", Comparator.ABOUT), ("约", Comparator.ABOUT), ("=", Comparator.EQUAL)]
EMPTY_MARKS = {"", "—", "-", "–", "/", "／", "——"}


def parse_bound(text) -> tuple[str, Decimal | None]:
    """"≈6" → ("about", 6); "≥90" → ("at_least", 90); "[60]"/"〔7.5〕" → ("", 60); "3.64" → ("", 3.64);
    "—" → ("", None). ValueError for anything else."""
    raw = str(text if text is not None else "").strip()
    raw = raw.replace(",", "").replace("，", "").replace("%", "").replace("％", "").strip()
    if raw in EMPTY_MARKS:
        return "", None
    comparator = ""
    for sign, comp in SIGNS:
        if raw.startswith(sign):
            comparator, raw = comp, raw[len(sign):].strip()
            break
    raw = re.sub(r"^[\[〔【(（]\s*(.*?)\s*[\]〕】)）]$", r"\1", raw)
    try:
        number = Decimal(raw)
    except (InvalidOperation, ValueError):
        raise ValueError(raw) from None
    if not number.is_finite():
        raise ValueError(raw)
    return comparator, number


def _number(value, field: str, errors: dict, *, label: str, required: bool = True) -> Decimal | None:
    if value in (None, ""):
        if required:
            errors[field] = _("请填写%(l)s") % {"l": label}
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip().replace(",", "").rstrip("%"))
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite():
        errors[field] = _("%(l)s“%(v)s”不是数字") % {"l": label, "v": value}
        return None
    if abs(number) >= MAX_VALUE:
        errors[field] = _("%(l)s“%(v)s”超出范围") % {"l": label, "v": value}
        return None
    return number


def _region(code, errors: dict, field: str = "region") -> Region | None:
    try:
        padded = pad(str(code or "").strip())
    except ValueError:
        padded = ""
    region = Region.objects.filter(code=padded).first() if padded else None
    if region is None:
        errors[field] = _("区划“%(v)s”不存在") % {"v": code}
    return region


def _authorise(actor, region: Region | None, authorised: bool) -> None:
    if authorised:
        return
    if not roles.can_manage_targets(actor):
        raise OutOfScope(_("您的角色无权管理目标任务与输入指标"))
    if region is not None and not in_scope(actor, region.code):
        raise OutOfScope(_("区划 %(code)s 不在您的管辖范围内") % {"code": region.code})


def _actor(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def check_target(data: dict) -> dict:
    """Validate a target's fields; returns the cleaned values or raises ValidationError (all fields at once).
    Keys: kpi, region (code), plan, basis, start_year, end_year, scope, nature, comparator, value, value_text,
    baseline_year, baseline_text, note."""
    errors: dict[str, str] = {}
    out: dict = {}
    code = (data.get("kpi") or "").strip()
    kpi = KPIS.get(code)
    if kpi is None:
        errors["kpi"] = _("指标“%(v)s”不在指标目录中") % {"v": code}
    out["kpi"] = code
    out["region"] = _region(data.get("region"), errors)
    plan = (data.get("plan") or "").strip()
    if not plan:
        errors["plan"] = _("请填写规划或计划名称（如“西安市‘十四五’就业促进实施方案”）")
    elif len(plan) > 128:
        errors["plan"] = _("规划名称不能超过128个字")
    out["plan"] = plan
    out["basis"] = (data.get("basis") or "").strip()[:255]
    years = {}
    for name, label in (("start_year", _("起始年度")), ("end_year", _("终止年度"))):
        raw = data.get(name)
        try:
            year = int(str(raw).strip())
        except (TypeError, ValueError):
            year = None
        if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
            errors[name] = _("%(l)s“%(v)s”应为%(a)s至%(b)s之间的年份") % {"l": label, "v": raw, "a": FIRST_YEAR, "b": LAST_YEAR}
        years[name] = year
    if years["start_year"] and years["end_year"] and years["end_year"] < years["start_year"]:
        errors["end_year"] = _("终止年度%(e)s早于起始年度%(s)s") % {"e": years["end_year"], "s": years["start_year"]}
    out.update(years)
    scope = data.get("scope") or TargetScope.ANNUAL
    if scope not in TargetScope.values:
        errors["scope"] = _("目标口径“%(v)s”无效（可选：年度、累计、期末水平）") % {"v": scope}
    elif kpi is not None and scope == TargetScope.CUMULATIVE and kpi.measure == RATE:
        errors["scope"] = _("%(k)s是比率，不能设累计目标：请选“期末水平”或“年度”") % {"k": kpi.name}
    out["scope"] = scope
    nature = data.get("nature") or TargetNature.EXPECTED
    if nature not in TargetNature.values:
        errors["nature"] = _("指标属性“%(v)s”无效（可选：约束性、预期性）") % {"v": nature}
    out["nature"] = nature
    value_text = (data.get("value_text") or "").strip()
    comparator = data.get("comparator") or ""
    value = data.get("value")
    if value in (None, "") and value_text:
        try:
            sign, value = parse_bound(value_text)
        except ValueError:
            errors["value_text"] = _("目标值“%(v)s”无法识别（可写 60、[60]、≥90、＜5.5）") % {"v": value_text}
            sign = ""
        comparator = comparator or sign
    if not comparator:
        comparator = Comparator.AT_MOST if kpi is not None and kpi.lower_is_better else Comparator.AT_LEAST
    if comparator not in Comparator.values or comparator == Comparator.ABOUT:
        errors["comparator"] = _("比较方式“%(v)s”无效（可选：不低于、高于、不高于、低于、等于）") % {"v": comparator}
    out["comparator"] = comparator
    number = _number(value, "value", errors, label=_("目标值"), required="value_text" not in errors)
    if number is not None and number < 0:
        errors["value"] = _("目标值“%(v)s”不能为负数") % {"v": value}
    if number is not None and kpi is not None and kpi.unit == "%" and number > 100:
        errors["value"] = _("%(k)s是百分数，目标值“%(v)s”不能超过100") % {"k": kpi.name, "v": value}
    out["value"] = number
    out["value_text"] = value_text[:32]
    baseline_text = (data.get("baseline_text") or "").strip()
    out["baseline_text"] = baseline_text[:32]
    out["baseline_comparator"], out["baseline_value"] = "", None
    if baseline_text:
        try:
            out["baseline_comparator"], out["baseline_value"] = parse_bound(baseline_text)
        except ValueError:
            errors["baseline_text"] = _("基期值“%(v)s”无法识别（可写 3.64、—、≈6、≥90、>97）") % {"v": baseline_text}
    elif data.get("baseline_value") not in (None, ""):
        out["baseline_value"] = _number(data.get("baseline_value"), "baseline_value", errors, label=_("基期值"))
        out["baseline_text"] = str(data.get("baseline_value"))[:32]
    raw_year = data.get("baseline_year")
    out["baseline_year"] = None
    if raw_year not in (None, ""):
        try:
            out["baseline_year"] = int(str(raw_year).strip())
            if not FIRST_YEAR - 20 <= out["baseline_year"] <= LAST_YEAR:
                raise ValueError
        except ValueError:
            errors["baseline_year"] = _("基期年度“%(v)s”不是有效年份") % {"v": raw_year}
    out["note"] = (data.get("note") or "").strip()[:255]
    if errors:
        raise ValidationError(errors)
    return out


def _describe(t: Target) -> dict:
    return {"kpi": t.kpi, "region": t.region_id, "plan": t.plan, "years": f"{t.start_year}-{t.end_year}",
            "scope": t.scope, "nature": t.nature, "comparator": t.comparator, "value": str(t.value),
            "value_text": t.value_text, "baseline": t.baseline_text, "source": t.source,
            "parent": t.parent_id, "replaces": t.replaces_id}


def _label(t: Target) -> str:
    kpi = KPIS.get(t.kpi)
    return f"{t.region.name} {t.start_year}-{t.end_year} {kpi.name if kpi else t.kpi}"


def _current_conflict(clean: dict, exclude: int | None = None) -> Target | None:
    qs = Target.objects.filter(region=clean["region"], kpi=clean["kpi"], start_year=clean["start_year"],
                               end_year=clean["end_year"], scope=clean["scope"], is_current=True)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs.first()


def create_target(actor, data: dict, *, source: str = "manual", parent: Target | None = None,
                  authorised: bool = False) -> Target:
    """A new target. Refused when the region already has a current target of the same KPI, years and scope
    (a change is a replacement: ``replace_target``)."""
    errors = {}
    region = _region(data.get("region"), errors)
    _authorise(actor, region, authorised)
    clean = check_target(data)
    with transaction.atomic():
        existing = _current_conflict(clean)
        if existing is not None:
            raise ValidationError({"kpi": _("%(r)s已有%(y)s年度的现行目标“%(k)s”（%(v)s）：修改请使用“修订”") % {
                "r": clean["region"].name, "y": f"{clean['start_year']}-{clean['end_year']}",
                "k": KPIS[clean["kpi"]].name, "v": existing.value_text or existing.value.normalize()}})
        target = Target.objects.create(parent=parent, source=source, created_by=_actor(actor), **clean)
        audit.record(actor, AuditEntry.Action.CREATE, object_type=OBJECT_TYPE, object_id=target.pk,
                     object_label=_label(target), region_code=target.region_id, changes=_describe(target),
                     summary=_("新建目标任务"))
    return target


def replace_target(actor, target: Target, data: dict, *, reason: str = "", source: str = "manual",
                   authorised: bool = False) -> Target:
    """A new version of ``target`` (fields not given keep their value); the old one stays, not current.
    The region and the KPI of a target do not change (a different one is a new target)."""
    _authorise(actor, target.region, authorised)
    if not target.is_current:
        raise ValidationError({"target": _("该目标已被修订，不是现行版本：请修订现行版本")})
    merged = {"kpi": target.kpi, "region": target.region_id, "plan": target.plan, "basis": target.basis,
              "start_year": target.start_year, "end_year": target.end_year, "scope": target.scope,
              "nature": target.nature, "comparator": target.comparator, "value": target.value,
              "value_text": target.value_text, "baseline_year": target.baseline_year,
              "baseline_text": target.baseline_text, "note": target.note}
    if "value_text" in data and "value" not in data:
        merged["value"] = None
        merged["comparator"] = data.get("comparator") or ""
    elif "value" in data and "value_text" not in data:
        merged["value_text"] = ""  # the text as written belongs to the old value
    merged.update({k: v for k, v in data.items() if k not in ("kpi", "region")})
    clean = check_target(merged)
    if (reason or "").strip() == "" and not authorised:
        raise ValidationError({"reason": _("请填写修订原因")})
    with transaction.atomic():
        old = Target.objects.select_for_update().get(pk=target.pk)
        if not old.is_current:
            raise ValidationError({"target": _("该目标已被修订，不是现行版本：请修订现行版本")})
        Target.objects.filter(pk=old.pk).update(is_current=False)
        conflict = _current_conflict(clean)
        if conflict is not None:
            raise ValidationError({"start_year": _("%(r)s已有%(y)s年度的现行目标“%(k)s”") % {
                "r": clean["region"].name, "y": f"{clean['start_year']}-{clean['end_year']}", "k": KPIS[clean["kpi"]].name}})
        new = Target.objects.create(parent=old.parent, replaces=old, source=source, created_by=_actor(actor), **clean)
        changes = audit.diff(_describe(old), _describe(new))
        changes["reason"] = (reason or "").strip()
        audit.record(actor, AuditEntry.Action.UPDATE, object_type=OBJECT_TYPE, object_id=new.pk,
                     object_label=_label(new), region_code=new.region_id, changes=changes, summary=_("修订目标任务"))
    return new


def _fmt(number: Decimal) -> str:
    n = number.normalize()
    if n == n.to_integral():
        return f"{int(n):,}"
    return f"{n:,f}"


def breakdown(actor, target: Target, values: dict[str, object], *, note: str = "", authorised: bool = False) -> list[Target]:
    """Break ``target`` down to the child regions of its region: ``values`` = {child code: value}. Each child
    gets a target with the same KPI, years, scope, nature and comparator, ``parent`` = the target, source
    "breakdown" (a child's current target of the same key is replaced). For an additive KPI every child gets a
    value and the values must add up to the parent's (else ValidationError "分解合计14,800，与上级目标15,360相差
    560"); for rates and ceilings each child gets its own value (those left empty get none)."""
    _authorise(actor, target.region, authorised)
    kpi = KPIS.get(target.kpi)
    if not target.is_current:
        raise ValidationError({"target": _("该目标已被修订，不是现行版本：请分解现行版本")})
    children = {r.code: r for r in Region.objects.filter(parent_id=target.region_id).order_by("code")}
    if not children:
        raise ValidationError({"target": _("%(r)s没有下级区划，无法分解") % {"r": target.region.name}})
    errors: dict[str, str] = {}
    numbers: dict[str, Decimal] = {}
    for raw_code, raw in values.items():
        try:
            code = pad(str(raw_code).strip())
        except ValueError:
            code = str(raw_code)
        if code not in children:
            errors[f"value_{raw_code}"] = _("区划“%(v)s”不是%(r)s的下级区划") % {"v": raw_code, "r": target.region.name}
            continue
        number = _number(raw, f"value_{code}", errors, label=children[code].name + _("的目标值"), required=False)
        if number is not None:
            if number < 0:
                errors[f"value_{code}"] = _("%(r)s的目标值“%(v)s”不能为负数") % {"r": children[code].name, "v": raw}
            else:
                numbers[code] = number
    additive = kpi is not None and kpi.additive and target.comparator in (Comparator.AT_LEAST, Comparator.ABOVE)
    if additive:
        for code, region in children.items():
            if code not in numbers and f"value_{code}" not in errors:
                errors[f"value_{code}"] = _("请填写%(r)s的目标值（计数类指标须分解到每个下级区划）") % {"r": region.name}
    elif not numbers and not errors:
        errors["values"] = _("请至少填写一个下级区划的目标值")
    if errors:
        raise ValidationError(errors)
    if additive:
        total = sum(numbers.values(), Decimal(0))
        if total != target.value:
            raise ValidationError({"values": _("分解合计%(s)s，与上级目标%(p)s相差%(d)s") % {
                "s": _fmt(total), "p": _fmt(Decimal(target.value)), "d": _fmt(abs(Decimal(target.value) - total))}})
    made = []
    with transaction.atomic():
        for code, number in numbers.items():
            data = {"kpi": target.kpi, "region": code, "plan": target.plan, "basis": target.basis,
                    "start_year": target.start_year, "end_year": target.end_year, "scope": target.scope,
                    "nature": target.nature, "comparator": target.comparator, "value": number,
                    "value_text": "", "baseline_year": None, "baseline_text": "", "note": note or _("由上级目标分解")}
            clean = check_target(data)
            existing = _current_conflict(clean)
            if existing is not None:
                Target.objects.filter(pk=existing.pk).update(is_current=False)
            child = Target.objects.create(parent=target, replaces=existing, source="breakdown",
                                          created_by=_actor(actor), **clean)
            made.append(child)
        audit.record(actor, AuditEntry.Action.UPDATE, object_type=OBJECT_TYPE, object_id=target.pk,
                     object_label=_label(target), region_code=target.region_id,
                     changes={"breakdown": {c: str(n) for c, n in numbers.items()}},
                     summary=_("分解目标任务到下级区划"))
    return made


# ---------------------------------------------------------------------------------------------
# Input values


def check_input(*, kpi, region_code, period, value, source) -> tuple[str, Region, str, Decimal, str]:
    from jiuye.monitoring.periods import PeriodError, parse_period

    errors: dict[str, str] = {}
    code = (kpi or "").strip()
    k = KPIS.get(code)
    if k is None:
        errors["kpi"] = _("指标“%(v)s”不在指标目录中") % {"v": kpi}
    elif k.computed:
        errors["kpi"] = _("%(k)s由登记数据计算，不能录入") % {"k": k.name}
    elif k.series != "targets":
        errors["kpi"] = _("%(k)s在“统计部门数据”中按月录入") % {"k": k.name}
    region = _region(region_code, errors)
    period_code = ""
    try:
        p = parse_period(str(period or ""))
        period_code = p.code
        if p.start > timezone.localdate():
            errors["period"] = _("统计期%(v)s尚未开始：不能录入未来的数值") % {"v": p.code}
    except PeriodError as exc:
        errors["period"] = str(exc)
    number = _number(value, "value", errors, label=_("数值"))
    if number is not None and k is not None:
        if number < 0:
            errors["value"] = _("数值“%(v)s”不能为负数") % {"v": value}
        elif k.unit == "%" and number > 100:
            errors["value"] = _("%(k)s是百分数，数值“%(v)s”不能超过100") % {"k": k.name, "v": value}
    source = (source or "").strip()
    if not source:
        errors["source"] = _("请填写数据来源（如“市教育局”）")
    elif len(source) > 128:
        errors["source"] = _("数据来源不能超过128个字")
    if errors:
        raise ValidationError(errors)
    return code, region, period_code, number, source


def enter_input_value(actor, *, kpi: str, region_code: str, period: str, value, source: str, note: str = "",
                      import_batch: int | None = None, authorised: bool = False) -> tuple[InputValue, str]:
    """Enter or correct one input-series value. Returns (row, "created" | "corrected" | "unchanged"); a
    correction is a new version (the old one stays, not current)."""
    errors = {}
    region = _region(region_code, errors)
    _authorise(actor, region, authorised)
    code, region, period_code, number, source = check_input(kpi=kpi, region_code=region_code, period=period,
                                                             value=value, source=source)
    with transaction.atomic():
        current = (InputValue.objects.select_for_update()
                   .filter(kpi=code, region=region, period=period_code, is_current=True).first())
        if current is not None and current.value == number and current.source == source:
            return current, "unchanged"
        if current is not None:
            InputValue.objects.filter(pk=current.pk).update(is_current=False)
        row = InputValue.objects.create(kpi=code, region=region, period=period_code, value=number, source=source,
                                        note=(note or "").strip()[:255], replaces=current, is_current=True,
                                        entered_by=_actor(actor), import_batch=import_batch)
        changes = {"kpi": code, "period": period_code, "value": str(number), "source": source}
        if current is not None:
            changes.update(previous=str(current.value), previous_source=current.source, note=row.note)
        audit.record(actor, AuditEntry.Action.UPDATE if current else AuditEntry.Action.CREATE,
                     object_type=INPUT_OBJECT_TYPE, object_id=row.pk,
                     object_label=f"{region.name} {period_code} {KPIS[code].name}", region_code=region.code,
                     changes=changes, summary=_("更正输入指标值") if current else _("录入输入指标值"))
    return row, "corrected" if current else "created"
