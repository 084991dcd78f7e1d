"""人社统计报表: the monthly employment and unemployment table a district reports (城镇就业和失业情况), in the
layout of the common provincial form: title, 填报单位, 报告期, 计量单位, the table, and the footer
(单位负责人、统计负责人、填表人、报出日期). The layout follows the common form; check it against the
province's current form before filing (docs/reports/README.md)."""
from __future__ import annotations

from django.utils import timezone

from jiuye.monitoring.periods import Period, year_to_date
from jiuye.regions.models import Region
from jiuye.reports.builders import Document, Section, Table, figures
from jiuye.reports.builders.common import cell, jsonable
from jiuye.targets import queries as tq

FORM_CODE = "人社统月1表"
ROWS = [  # (line number, label, KPI code)
    ("1", "城镇新增就业人数", "new_urban_jobs"),
    ("2", "　其中：失业人员再就业人数", "reemployed_unemployed"),
    ("3", "　　　　就业困难人员实现就业人数", "hte_employed"),
    ("4", "期末城镇登记失业人数", "registered_urban_unemployed"),
    ("5", "城镇登记失业率（%）", "registered_unemployment_rate"),
]


def build(user, region_code: str, period: Period, known_on) -> Document:
    region = Region.objects.get(code=region_code)
    doc = Document("stats_form", "城镇就业和失业情况", region.code, region.name, period.code, period.label, known_on)
    codes = [c for _n, _l, c in ROWS]
    month = {s.kpi.code: s for s in tq.overview(user, region.code, period, codes=codes, known_on=known_on)}
    ytd_period = year_to_date(period)
    ytd = {s.kpi.code: s for s in tq.overview(user, region.code, ytd_period, codes=codes, known_on=known_on)}
    last_ytd = {s.kpi.code: s for s in tq.overview(user, region.code, year_to_date(period.year_before()), codes=codes,
                                                   known_on=known_on)}
    regs = figures.registrations(region.code, period.start, period.end, known_on)
    regs_ytd = figures.registrations(region.code, ytd_period.start, period.end, known_on)
    yb = year_to_date(period.year_before())
    regs_last = figures.registrations(region.code, yb.start, yb.end, known_on)
    rows = []
    for number, label, code in ROWS:
        m, y, ly = month.get(code), ytd.get(code), last_ytd.get(code)
        d = m.kpi.decimals if m else 0
        stock = m is not None and not m.kpi.measure == "flow"
        rows.append([label, number, cell(m.value if m else None, d),
                     # a stock or rate has no year-to-date sum: the month-end value stands in both columns
                     cell((m.value if stock else y.value) if (m and y) else None, d),
                     cell(ly.value if ly else None, d)])
    n = len(ROWS)
    rows.append(["本月办理就业登记人次", str(n + 1), regs[figures.EMPLOYMENT].total, regs_ytd[figures.EMPLOYMENT].total,
                 regs_last[figures.EMPLOYMENT].total])
    rows.append(["本月办理失业登记人次", str(n + 2), regs[figures.UNEMPLOYMENT].total,
                 regs_ytd[figures.UNEMPLOYMENT].total, regs_last[figures.UNEMPLOYMENT].total])
    today = timezone.localtime(known_on).date()  # the data's moment: a reproduced form is the same form
    table = Table(
        f"城镇就业和失业情况（{FORM_CODE}）", ["指标名称", "代码", "本月", "本年累计", "上年同期累计"], rows,
        head_lines=[f"填报单位：{region.full_name or region.name}", f"报告期：{period.label}", "计量单位：人、%"],
        foot_lines=["单位负责人：＿＿＿＿　统计负责人：＿＿＿＿　填表人：＿＿＿＿　联系电话：＿＿＿＿",
                    f"报出日期：{today.year}年{today.month}月{today.day}日",
                    "说明：数据由系统依据实名制就业失业登记计算（登记地口径），数据截至生成时点；"
                    "格式参照常用省级报表样式，报送前请与省厅现行报表核对。"],
        note="期末、比率类指标的本年累计栏填期末数。")
    doc.sections.append(Section("城镇就业和失业情况", tables=[table]))
    doc.summary = [f"{region.name}{period.label}城镇就业和失业情况报表。"]
    doc.figures = jsonable({"rows": rows})
    return doc
