"""重点工作周报 (seed 003 §二十一): each key-work task's progress by responsible department this week, what
changed on last week, who has not reported, and the week's figures with their change on the previous week."""
from __future__ import annotations

from jiuye.regions.models import Region
from jiuye.reports import text
from jiuye.reports.builders import Chart, Document, Section, Table, Week, figures
from jiuye.reports.builders.common import jsonable
from jiuye.targets import queries_tasks as tasks_q
from jiuye.targets.models import TaskStatus

ROLE_LABELS = {"lead": "牵头", "partner": "配合"}


def week_figures(region_code: str, week: Week, known_on) -> dict:
    regs = figures.registrations(region_code, week.monday, week.end, known_on)
    cases = figures.cases(region_code, week.monday, week.end, known_on)
    pays = figures.payments(region_code, week.monday, week.end, known_on)
    return {"employment": regs[figures.EMPLOYMENT].total, "unemployment": regs[figures.UNEMPLOYMENT].total,
            "cases_opened": cases.opened, "cases_closed": cases.closed, "payments": pays.count,
            "payments_amount": pays.amount}


FIGURE_LABELS = [("employment", "就业登记（人次）"), ("unemployment", "失业登记（人次）"),
                 ("cases_opened", "新立援助案件（件）"), ("cases_closed", "援助案件结案（件）"),
                 ("payments", "政策补贴发放（笔）"), ("payments_amount", "政策补贴发放金额（元）")]


def build(user, region_code: str, week: Week, known_on) -> Document:
    region = Region.objects.get(code=region_code)
    doc = Document("weekly", f"{region.name}重点工作周报", region.code, region.name, week.code, week.label, known_on)
    report = tasks_q.week_report(user, region.code, week.monday, known_on=known_on)
    now = week_figures(region.code, week, known_on)
    before = week_figures(region.code, week.previous(), known_on)

    reported = sum(1 for r in report.rows for e in r.entries if e.status)
    entries = sum(len(r.entries) for r in report.rows)
    changed = [(r, e) for r in report.rows for e in r.entries if e.text and e.text != e.previous_text]
    summary = [f"本周共{len(report.rows)}项重点任务，应报{entries}项次，已报{reported}项次"
               + (f"，未报送单位：{'、'.join(report.missing)}" if report.missing else "，各责任单位均已报送") + "。"]
    if report.counts:
        labels = dict(TaskStatus.choices)
        summary.append("任务进展：" + "，".join(f"{labels.get(k, k)}{v}项" for k, v in report.counts.items()) + "。")
    summary.append(f"本周有新进展的任务{len({r.task_id for r, _e in changed})}项。")
    figure_text = []
    for key, label in FIGURE_LABELS:
        phrase = text.change_phrase(now[key], before[key], "较上周")
        figure_text.append(f"{label.split('（')[0]}{text.num(now[key], 2 if key == 'payments_amount' else 0)}"
                           + (f"（{phrase}）" if phrase else ""))
    summary.append("本周数据：" + "，".join(figure_text) + "。")
    doc.summary = summary
    doc.sections.append(Section("一、总体情况", paragraphs=summary))

    rows = []
    for r in report.rows:
        for e in r.entries or [None]:
            if e is None:
                rows.append([r.number, r.title, text.DASH, text.DASH, "未填报", "", "", "", r.due_text])
                continue
            rows.append([r.number, r.title, e.department, ROLE_LABELS.get(e.role, e.role), e.status_label, e.text,
                         e.previous_text, e.problems, r.due_text])
    doc.sections.append(Section(
        "二、重点任务推进情况",
        paragraphs=[] if rows else ["本辖区暂无在办的重点任务。"],
        tables=[Table("表1 重点任务推进情况", ["序号", "任务", "责任单位", "分工", "进展状态", "本周进展", "上周进展",
                                          "存在问题", "完成时限"], rows)]))
    doc.sections.append(Section("三、未报送单位",
                                paragraphs=["、".join(report.missing) if report.missing else "无。"]))
    fig_rows = [[label, float(now[k]) if k == "payments_amount" else now[k],
                 float(before[k]) if k == "payments_amount" else before[k],
                 text.signed(now[k] - before[k], 2 if k == "payments_amount" else 0)] for k, label in FIGURE_LABELS]
    counted = FIGURE_LABELS[:5]
    doc.sections.append(Section(
        "四、本周主要数据",
        tables=[Table("表2 本周主要数据", ["项目", "本周", "上周", "增减"], fig_rows)],
        charts=[Chart("bar", "图1 本周与上周主要数据", [label for _k, label in counted],
                      [("本周", [now[k] for k, _l in counted]), ("上周", [before[k] for k, _l in counted])])]))
    doc.figures = jsonable({"week": now, "previous_week": before, "missing": report.missing,
                            "tasks": len(report.rows), "reported": reported})
    return doc
