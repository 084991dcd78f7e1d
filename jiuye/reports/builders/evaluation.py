"""年度规划实施评估 and 规划中期评估 (seed 004 四(三)): every target of the region's plans with its baseline,
the value now, the target, progress against the elapsed share of the plan, binding targets met or not, text."""
from __future__ import annotations

from decimal import Decimal

from jiuye.monitoring.periods import Period
from jiuye.regions.models import Region
from jiuye.reports import text
from jiuye.reports.builders import Chart, Document, Section, Table
from jiuye.reports.builders.common import cell, jsonable
from jiuye.targets import queries as tq
from jiuye.targets.kpis.catalogue import KPIS
from jiuye.targets.models import TargetNature

COLUMNS = ["指标", "属性", "单位", "基期值", "目标值", "当前值", "完成进度", "时间进度", "评价"]


def _met(s: tq.KpiStatus) -> bool | None:
    """Whether the target is on track: the status the targets part computed (green = on track)."""
    if s.status == tq.NONE:
        return None
    return s.status == tq.GREEN


def _elapsed(target, year: int) -> Decimal:
    years = target.end_year - target.start_year + 1
    done = min(max(year - target.start_year + 1, 0), years)
    return Decimal(done) / Decimal(years)


def _build(kind: str, user, region_code: str, period: Period, known_on) -> Document:
    region = Region.objects.get(code=region_code)
    year = period.start.year
    title = (f"{region.name}{year}年度就业规划实施评估报告" if kind == "annual"
             else f"{region.name}就业规划中期评估报告（截至{year}年）")
    doc = Document(kind, title, region.code, region.name, period.code, period.label, known_on)
    targets = [t for t in tq.targets_of(user, region.code, year=year) if t.start_year <= year]
    rows, statuses, binding_missed, binding = [], [], [], 0
    for t in targets:
        found = tq.overview(user, region.code, period, codes=[t.kpi], known_on=known_on) if t.kpi in KPIS else []
        s = found[0] if found else None
        kpi = KPIS.get(t.kpi)
        name, unit, d = (kpi.name, kpi.unit, kpi.decimals) if kpi else (t.kpi, "", 0)
        value = (s.actual if s is not None and s.actual is not None else (s.value if s is not None else None))
        elapsed = s.elapsed_share if s is not None and s.elapsed_share is not None else _elapsed(t, year)
        met = _met(s) if s is not None else None
        verdict = text.DASH if met is None else ("达到序时进度" if met else "未达到序时进度")
        if t.nature == TargetNature.BINDING:
            binding += 1
            if met is False:
                binding_missed.append(name)
        rows.append([name, t.get_nature_display(), unit, t.baseline_text or text.num(t.baseline_value, d),
                     t.value_text or text.num(t.value, d), cell(value, d),
                     text.pct(s.progress) if s is not None else text.DASH, text.pct(elapsed), verdict])
        if s is not None:
            statuses.append((name, s.progress, elapsed))
    plans = sorted({t.plan for t in targets})
    summary = []
    if not targets:
        summary.append(f"{region.name}暂无{year}年适用的规划目标。")
    else:
        on_track = sum(1 for r in rows if r[-1] == "达到序时进度")
        judged = sum(1 for r in rows if r[-1] != text.DASH)
        summary.append(f"{'、'.join(plans)}共设{len(targets)}项指标，其中约束性指标{binding}项；截至{year}年，"
                       f"可评价的{judged}项中{on_track}项达到序时进度。")
        summary.append("约束性指标均达到要求。" if not binding_missed and binding
                       else (f"未达到要求的约束性指标：{'、'.join(binding_missed)}。" if binding_missed else ""))
        behind = [r[0] for r in rows if r[-1] == "未达到序时进度"]
        if behind:
            summary.append(f"滞后于序时进度的指标：{'、'.join(behind)}，需加大推进力度。")
    summary = [s for s in summary if s]
    doc.summary = summary
    doc.sections.append(Section("一、总体评价", paragraphs=summary))
    doc.sections.append(Section("二、主要指标完成情况", tables=[Table("表1 规划主要指标完成情况", COLUMNS, rows)],
                                charts=[Chart("bar", "图1 指标完成进度与时间进度", [n for n, _p, _e in statuses],
                                              [("完成进度（%）", [None if p is None else float(round(p * 100, 1))
                                                             for _n, p, _e in statuses]),
                                               ("时间进度（%）", [float(round(e * 100, 1)) for _n, _p, e in statuses])],
                                              y_title="%")] if statuses else []))
    doc.sections.append(Section("三、评估说明", paragraphs=[
        "完成进度为累计实际值与目标值之比；时间进度（序时进度）为规划期已过年度占全部年度的比例；"
        "上限类指标（如登记失业率）以是否低于控制目标评价。数据截至报告注明的时点。"]))
    doc.figures = jsonable({"targets": len(targets), "binding": binding, "binding_missed": binding_missed,
                            "rows": rows})
    return doc


def build_annual(user, region_code: str, period: Period, known_on) -> Document:
    return _build("annual", user, region_code, period, known_on)


def build_midterm(user, region_code: str, period: Period, known_on) -> Document:
    return _build("midterm", user, region_code, period, known_on)
