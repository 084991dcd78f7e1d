"""月度就业形势分析报告: every KPI against target and 序时进度, the ranking of the child regions, registrations
over twelve months, supply and demand, warnings, key groups, assistance cases and policy payments, with the
generated text naming the largest changes on the previous month and a year earlier and the regions behind them.
"""
from __future__ import annotations

from dateutil.relativedelta import relativedelta

from jiuye.monitoring.periods import Period
from jiuye.monitoring.queries import supply as supply_q
from jiuye.regions.models import Region
from jiuye.reports import text
from jiuye.reports.builders import Chart, Document, Section, Table, figures
from jiuye.reports.builders.common import (by_child_prefix, cell, drivers, jsonable, kpi_table, kpi_target_chart)
from jiuye.targets import queries as tq

HEADLINE_KPIS = ["new_urban_jobs", "reemployed_unemployed", "hte_employed", "registered_urban_unemployed",
                 "registered_unemployment_rate", "zero_employment_households"]
RANKED_KPI = "new_urban_jobs"


def build(user, region_code: str, period: Period, known_on) -> Document:
    region = Region.objects.get(code=region_code)
    doc = Document("monthly", f"{region.name}{period.label}就业形势分析报告", region.code, region.name, period.code,
                   period.label, known_on)
    prev, yb = period.previous(), period.year_before()
    now = tq.overview(user, region.code, period, known_on=known_on)
    # the previous month and a year earlier: values only (their targets and progress are not shown)
    before = tq.overview(user, region.code, prev, known_on=known_on, values_only=True)
    year_ago = tq.overview(user, region.code, yb, known_on=known_on, values_only=True)
    names = figures.child_names(region.code)
    width = figures.child_width(region.code)

    # -- the KPIs and the regions behind their changes
    summary: list[str] = []
    by_code = {s.kpi.code: s for s in now}
    prev_by = {s.kpi.code: s for s in before}
    yb_by = {s.kpi.code: s for s in year_ago}
    ranking = tq.children(user, region.code, period, RANKED_KPI, known_on=known_on) if names else []
    for code in HEADLINE_KPIS:
        s = by_code.get(code)
        if s is None:
            continue
        behind = None
        if code == RANKED_KPI and ranking and s.value is not None:
            prev_children = tq.children(user, region.code, prev, code, known_on=known_on, values_only=True)
            behind = drivers(by_child_prefix(ranking, width), by_child_prefix(prev_children, width), names)
        p, y = prev_by.get(code), yb_by.get(code)
        summary.append(text.kpi_sentence(s.kpi.name, s.kpi.unit, s.value, p.value if p else None,
                                         y.value if y else None, s.kpi.decimals, behind))
        if s.status_text:
            summary[-1] = summary[-1][:-1] + f"，{s.status_text}。"

    # -- registrations this month, by child region, with the previous month and a year earlier
    regs = figures.registrations(region.code, period.start, period.end, known_on)
    regs_prev = figures.registrations(region.code, prev.start, prev.end, known_on)
    regs_yb = figures.registrations(region.code, yb.start, yb.end, known_on)
    emp, unemp = figures.EMPLOYMENT, figures.UNEMPLOYMENT
    reg_text = [text.kpi_sentence("本月办理就业登记", "人次", regs[emp].total, regs_prev[emp].total,
                                     regs_yb[emp].total, 0,
                                     drivers(regs[emp].by_child, regs_prev[emp].by_child, names)),
                text.kpi_sentence("本月办理失业登记", "人次", regs[unemp].total, regs_prev[unemp].total,
                                  regs_yb[unemp].total, 0,
                                  drivers(regs[unemp].by_child, regs_prev[unemp].by_child, names))]
    summary.extend(reg_text)

    supply = supply_q.supply_figures(user, period, region_code=region.code)
    t = supply.total
    cases = figures.cases(region.code, period.start, period.end, known_on)
    pays = figures.payments(region.code, period.start, period.end, known_on)
    warns = figures.warnings(region.code, period.start, period.end, known_on)
    supply_text = ""
    if t is not None:
        supply_text = (f"人力资源市场需求岗位{text.num(t.openings)}个、求职{text.num(t.seekers)}人，求人倍率"
                       f"{text.num(t.ratio, 2)}" + (f"（上月{text.num(t.prev_ratio, 2)}）" if t.prev_ratio is not None else "") + "。")
        summary.append(supply_text)
    summary.append(f"本月新立就业援助案件{cases.opened}件，援助实现就业结案{cases.resolved}件，月末在援{cases.active}件；"
                   f"发放政策补贴{pays.count}笔、{text.num(pays.amount, 2)}元；新发预警{warns.opened}条，办结{warns.closed}条，"
                   f"月末在办{warns.active}条。")
    doc.summary = summary
    doc.sections.append(Section("一、总体情况", paragraphs=summary))

    # -- KPIs against targets
    doc.sections.append(Section(
        "二、主要指标完成情况",
        paragraphs=["各指标由系统依据实名制登记数据计算（输入类指标为统计部门等来源录入），目标完成进度对照序时进度评价：正常、偏慢、滞后。"],
        tables=[kpi_table("表1 主要指标完成情况", now, before, year_ago)],
        charts=[kpi_target_chart("图1 主要指标完成进度与序时进度", now)]))

    # -- ranking of the child regions
    if ranking:
        kpi = ranking[0].kpi
        ranked = sorted(ranking, key=lambda s: (s.rank is None, s.rank or 0, s.region_code))
        rows = [[s.rank if s.rank is not None else text.DASH, s.region_name, cell(s.value, kpi.decimals),
                 text.num(s.target_value, kpi.decimals), text.pct(s.progress),
                 s.status_label if s.status != tq.NONE else text.DASH] for s in ranked]
        doc.sections.append(Section(
            f"三、各地区{kpi.name}排名",
            tables=[Table(f"表2 各地区{kpi.name}", ["排名", "地区", f"本月（{kpi.unit}）", "目标值", "完成进度", "状态"], rows)],
            charts=[Chart("bar", f"图2 各地区{kpi.name}", [s.region_name for s in ranked],
                          [(kpi.name, [None if s.value is None else float(s.value) for s in ranked])], y_title=kpi.unit)]))

    # -- twelve months of registrations
    months = [period.start - relativedelta(months=i) for i in range(11, -1, -1)]
    series = figures.monthly_registrations(region.code, months, known_on)
    labels = [f"{m.year}-{m.month:02d}" for m in months]
    trend_rows = [[labels[i], series[emp][i], series[unemp][i]] for i in range(len(months))]
    child_rows = [[names.get(k, k), regs[emp].by_child.get(k, 0), regs_prev[emp].by_child.get(k, 0),
                   regs[unemp].by_child.get(k, 0), regs_prev[unemp].by_child.get(k, 0)]
                  for k in sorted(set(names) | set(regs[emp].by_child) | set(regs[unemp].by_child))]
    doc.sections.append(Section(
        "四、就业失业登记",
        paragraphs=reg_text,
        tables=[Table("表3 近12个月就业失业登记（人次）", ["月份", "就业登记", "失业登记"], trend_rows),
                Table("表4 本月各地区就业失业登记（人次）", ["地区", "就业登记", "上月", "失业登记", "上月"], child_rows)],
        charts=[Chart("line", "图3 近12个月就业失业登记趋势", labels,
                      [("就业登记", series[emp]), ("失业登记", series[unemp])], y_title="人次")]))

    # -- supply and demand
    if t is not None:
        rows = [[r.label or "合计", r.openings, r.seekers, text.num(r.ratio, 2), r.prev_openings, r.prev_seekers]
                for r in supply.rows + [t]]
        doc.sections.append(Section("五、人力资源市场供求", paragraphs=[supply_text],
                                    tables=[Table("表5 人力资源市场供求", ["地区", "需求岗位（个）", "求职人数", "求人倍率",
                                                                       "上月岗位", "上月求职"], rows)]))

    # -- warnings, key groups, assistance, policies
    level_labels = {"red": "红色", "orange": "橙色", "yellow": "黄色", "blue": "蓝色"}
    doc.sections.append(Section("六、失业预警", tables=[Table("表6 预警情况（条）", ["项目", "数量"], [
        ["本月新发", warns.opened], ["本月办结", warns.closed], ["月末在办", warns.active]] + [
        [f"其中{level_labels.get(k, k)}预警", n] for k, n in sorted(warns.by_level.items())])]))
    groups_now = figures.key_groups(region.code, period.end, known_on)
    doc.sections.append(Section("七、重点群体", paragraphs=["按月末状态统计本辖区居住的重点群体人数（同一人可属多个群体）。"],
                                tables=[Table("表7 重点群体人数（人）", ["群体", "人数"], [[label, n] for _c, label, n in groups_now])]))
    doc.sections.append(Section("八、就业援助", tables=[Table("表8 就业援助案件（件）", ["项目", "数量"], [
        ["本月新立", cases.opened], ["本月结案", cases.closed], ["其中实现就业", cases.resolved], ["月末在援", cases.active]])]))
    doc.sections.append(Section("九、政策兑现", tables=[Table("表9 政策补贴发放", ["政策", "笔数", "金额（元）"],
                                                        [[code, n, float(a)] for code, n, a in pays.by_policy]
                                                        + [["合计", pays.count, float(pays.amount)]])]))

    doc.figures = jsonable({
        "kpis": {s.kpi.code: s.value for s in now},
        "employment_registrations": regs[emp].total, "unemployment_registrations": regs[unemp].total,
        "registrations_12m": series, "cases": cases.__dict__, "payments": {"count": pays.count, "amount": pays.amount},
        "warnings": {"opened": warns.opened, "closed": warns.closed, "active": warns.active},
        "key_groups": {c: n for c, _l, n in groups_now},
    })
    return doc
