"""The demo's tasks: the task tables load on every registry load (idempotent); for the demo, demo_department is
linked to 区人社局, three weeks of progress exist (with one correction) and the last full year is assessed."""
from __future__ import annotations

import datetime

from jiuye.accounts.models import Role
from jiuye.registry import events
from jiuye.targets.models import CommunityAssessment, DepartmentMember, PlanTask, TaskProgress

from .conftest import XINCHENG, _user

TODAY = datetime.date(2026, 11, 25)


def test_the_demo_links_the_liaison_reports_three_weeks_and_assesses(regions):
    _user("demo_district", Role.DISTRICT_OFFICER, XINCHENG)
    liaison = _user("demo_department", Role.DEPARTMENT_USER, XINCHENG)
    lines = [str(line) for _r, line in events.registry_loaded.send(sender=None, today=TODAY, demo=False) if line]
    assert any("重点任务" in line for line in lines) and PlanTask.objects.count() == 48
    assert not TaskProgress.objects.exists()
    lines = [str(line) for _r, line in events.registry_loaded.send(sender=None, today=TODAY, demo=True) if line]
    assert any("示例周进展" in line and "充分就业社区评估" in line for line in lines)
    assert DepartmentMember.objects.get(user=liaison).department.name == "区人社局"
    assert TaskProgress.objects.filter(entered_by=liaison).exists()
    assert TaskProgress.objects.filter(is_current=False).count() == 1
    assert TaskProgress.objects.values("week").distinct().count() == 3
    assert CommunityAssessment.objects.filter(year=2025, is_current=True).exists()
    # A second load adds nothing.
    n = TaskProgress.objects.count()
    events.registry_loaded.send(sender=None, today=TODAY, demo=True)
    assert TaskProgress.objects.count() == n and CommunityAssessment.objects.filter(year=2025).count() == \
        CommunityAssessment.objects.filter(year=2025, is_current=True).count()
