"""The tasks part of a loaded registry (``registry.events.registry_loaded``): the task tables of 西安 and 新城区
(departments and key-work tasks, idempotent) for every load; for the demo also the liaison ``demo_department``
linked to 新城区's 区人社局, three weeks of progress of 新城区's tasks (some behind, some not reported, one
correction) and the full-employment community assessment of the demo's last full year. Deterministic;
nothing is added twice."""
from __future__ import annotations

import datetime

from django.dispatch import receiver

from jiuye.registry import events

DEMO_DEPARTMENT = "区人社局"
XINCHENG = "610102000000"
TEXTS = {
    "on_track": "按计划推进：本周召开专题会议，落实分工，完成阶段工作。",
    "behind": "进度滞后：相关数据尚未汇总，下周加快推进。",
    "done": "已完成本阶段任务。",
}


def _demo_progress(today: datetime.date) -> int:
    from jiuye.accounts.models import User
    from jiuye.targets import services_tasks
    from jiuye.targets.models import Department, PlanTask, TaskProgress
    from jiuye.targets.queries_tasks import week_of

    district = User.objects.filter(username="demo_district").first()
    liaison = User.objects.filter(username="demo_department").first()
    dept = Department.objects.filter(region_id=XINCHENG, name=DEMO_DEPARTMENT).first()
    if district is None or dept is None:
        return 0
    if liaison is not None and not hasattr(liaison, "department_link"):
        services_tasks.link_member(district, liaison, dept)
    tasks = list(PlanTask.objects.filter(region_id=XINCHENG, is_active=True).prefetch_related("lead").order_by("id"))
    if TaskProgress.objects.filter(task__in=tasks).exists():
        return 0
    n = 0
    monday = week_of(today)
    for back in (3, 2, 1):
        week = monday - datetime.timedelta(days=7 * back)
        for i, task in enumerate(tasks):
            if (i + back) % 5 == 0:  # some tasks not reported that week
                continue
            status = "behind" if (i * 7 + back) % 6 == 0 else ("done" if back == 1 and i % 9 == 0 else "on_track")
            for lead in task.lead.all():
                actor = liaison if (liaison is not None and lead.pk == dept.pk) else district
                figure = {"figure": 300 + 20 * (3 - back), "figure_label": "新增就业人数"} if task.kpi == "new_urban_jobs" else {}
                services_tasks.report_progress(actor, task, lead, week, status=status, text=TEXTS[status],
                                               problems="数据汇总较慢" if status == "behind" else "", today=today, **figure)
                n += 1
    # One correction, so that the demo shows a replaced entry.
    first = next(iter(tasks), None)
    if first is not None:
        lead = first.lead.first()
        week = monday - datetime.timedelta(days=7)
        services_tasks.report_progress(district, first, lead, week, status="on_track",
                                       text="按计划推进：更正——本周完成就业影响评估报告初稿。", today=today)
    return n


def _demo_assessment(today: datetime.date) -> str:
    from jiuye.accounts.models import User
    from jiuye.targets import services_communities
    from jiuye.targets.models import CommunityAssessment

    district = User.objects.filter(username="demo_district").first()
    year = today.year - 1
    if district is None or CommunityAssessment.objects.filter(year=year, region__code__startswith="610102").exists():
        return ""
    out = services_communities.assess(district, year, XINCHENG)
    return f"；{year}年充分就业社区评估：{out['communities']} 个社区，达标 {out['passed']} 个"


@receiver(events.registry_loaded, dispatch_uid="targets_tasks_registry_loaded")
def _on_registry_loaded(sender, today=None, demo=False, **kwargs):
    from django.utils import timezone

    from jiuye.targets.services_tasks import load_tables

    loaded = load_tables()
    line = f"重点任务：责任单位 {loaded['departments']} 个、任务 {loaded['tasks']} 项（新增）"
    if demo:
        today = today or timezone.localdate()
        line += f"；示例周进展 {_demo_progress(today)} 条" + _demo_assessment(today)
    return line
