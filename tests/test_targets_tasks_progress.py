"""The plans' key-work tasks: the seeds' task tables loaded idempotently, weekly progress entered by the
responsible departments through their own accounts (or by officers on their behalf), corrections that replace
the current entry and keep the old, the weekly report with who has not reported, and the tasks list."""
from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from jiuye.accounts.models import AuditEntry
from jiuye.accounts.scoping import OutOfScope
from jiuye.targets import queries_tasks as queries, services_tasks as services
from jiuye.targets.models import Department, PlanTask, TaskProgress

from .conftest import XIAN, XINCHENG

TODAY = datetime.date(2026, 11, 25)  # a Wednesday
WEEK = datetime.date(2026, 11, 23)
XC_PLAN = "西安市新城区进一步做好稳就业工作的实施意见"


@pytest.fixture
def tables(regions):
    services.load_tables()
    return {d.name: d for d in Department.objects.filter(region_id=XINCHENG)}


def task(number, plan=XC_PLAN):
    return PlanTask.objects.get(plan=plan, number=number)


def test_the_tables_load_once_with_their_departments(tables):
    assert PlanTask.objects.filter(region_id=XIAN).count() == 25
    assert PlanTask.objects.filter(region_id=XINCHENG).count() == 23  # 22 tasks, (十三) in two items
    t5 = task("5")
    assert [d.name for d in t5.lead.all()] == ["区人社局"]
    assert {d.name for d in t5.partners.all()} == {"区工信商务局", "区财政局", "区税务局"}
    again = services.load_tables()
    assert again == {"departments": 0, "tasks": 0, "updated": 0}
    assert PlanTask.objects.count() == 48
    first = PlanTask.objects.get(region_id=XIAN, number="1")
    assert first.kpi == "new_urban_jobs" and first.lead.get().name == "市人社局"


def test_a_liaison_reports_for_their_own_department_only(tables, department_user, district_officer):
    finance = tables["区财政局"]
    services.link_member(district_officer, department_user, finance)
    t1 = task("1")  # 区财政局 supports it
    entry = services.report_progress(department_user, t1, finance, TODAY, status="on_track", text="拨付资金", today=TODAY)
    assert entry.week == WEEK and entry.is_current
    with pytest.raises(OutOfScope, match="本单位"):
        services.report_progress(department_user, t1, tables["区发改委"], TODAY, status="on_track", text="x", today=TODAY)
    with pytest.raises(OutOfScope, match="不是该任务的责任单位"):
        services.report_progress(department_user, task("14"), finance, TODAY, status="on_track", text="x", today=TODAY)
    # An officer reports on behalf of any department of the task.
    services.report_progress(district_officer, t1, tables["区发改委"], TODAY, status="behind", text="评估未完成",
                             problems="缺少数据", today=TODAY)
    assert TaskProgress.objects.filter(task=t1, week=WEEK).count() == 2


def test_an_unlinked_liaison_and_other_roles_are_refused(tables, department_user, street_officer, leader):
    for user in (department_user, street_officer, leader):
        with pytest.raises(OutOfScope):
            services.report_progress(user, task("1"), tables["区财政局"], TODAY, status="on_track", text="x", today=TODAY)


def test_a_correction_replaces_the_current_entry_and_keeps_the_old(tables, district_officer):
    t5, lead = task("5"), tables["区人社局"]
    first = services.report_progress(district_officer, t5, lead, WEEK, status="on_track", text="新增就业 300 人",
                                     figure="300", figure_label="新增就业人数", today=TODAY)
    second = services.report_progress(district_officer, t5, lead, WEEK, status="on_track", text="新增就业 320 人",
                                      figure="320", figure_label="新增就业人数", today=TODAY)
    first.refresh_from_db()
    assert not first.is_current and second.replaces == first and second.is_current
    assert [e.text for e in queries.task_history(t5)] == ["新增就业 320 人"]
    assert len(queries.task_history(t5, corrections=True)) == 2
    assert AuditEntry.objects.filter(object_type=services.OBJECT_TYPE, action="correct").count() == 1
    # The report as known before the correction shows the first text.
    report = queries.week_report(district_officer, XINCHENG, WEEK, known_on=second.entered_at - datetime.timedelta(microseconds=1))
    row = next(r for r in report.rows if r.number == "5")
    assert row.entries[0].text == "新增就业 300 人"


def test_the_entry_is_validated_with_chinese_errors(tables, district_officer):
    t5, lead = task("5"), tables["区人社局"]
    with pytest.raises(ValidationError) as exc:
        services.report_progress(district_officer, t5, lead, TODAY + datetime.timedelta(days=7), status="bogus",
                                 text="", figure="abc", today=TODAY)
    errors = exc.value.message_dict
    assert set(errors) >= {"week", "status", "text", "figure"}
    assert "未来" in errors["week"][0]
    with pytest.raises(ValidationError) as exc:
        services.report_progress(district_officer, t5, lead, TODAY, status="done", text="完成", figure="5", today=TODAY)
    assert "figure_label" in exc.value.message_dict


def test_the_week_report_shows_every_task_the_previous_week_and_who_is_missing(tables, district_officer, leader):
    t5, t6 = task("5"), task("6")
    services.report_progress(district_officer, t5, tables["区人社局"], WEEK - datetime.timedelta(days=7),
                             status="on_track", text="上周进展", today=TODAY)
    services.report_progress(district_officer, t5, tables["区人社局"], WEEK, status="done", text="本周完成", today=TODAY)
    services.report_progress(district_officer, t6, tables["区金融办"], WEEK, status="behind", text="滞后", today=TODAY)
    report = queries.week_report(leader, XINCHENG, TODAY)
    assert report.week == WEEK and len(report.rows) == 23
    row5 = next(r for r in report.rows if r.number == "5")
    lead = row5.entries[0]
    assert (lead.role, lead.status, lead.text, lead.previous_text) == ("lead", "done", "本周完成", "上周进展")
    assert report.counts["done"] == 1 and report.counts["behind"] == 1 and report.counts["unreported"] == 21
    assert "区发改委" in report.missing and "区金融办" not in report.missing
    # 区人社局 leads other tasks it did not report on this week: still missing.
    assert "区人社局" in report.missing
    with pytest.raises(OutOfScope):
        queries.week_report(leader, XIAN, TODAY)


def test_the_list_filters_by_status_and_department_and_puts_the_liaisons_tasks_first(tables, district_officer,
                                                                                       department_user):
    finance = tables["区财政局"]
    services.link_member(district_officer, department_user, finance)
    services.report_progress(district_officer, task("5"), tables["区人社局"], WEEK, status="done", text="完成", today=TODAY)
    s = queries.TaskSearch(week=WEEK, status="done")
    assert [t.number for t in queries.search_tasks(district_officer, s)[0]] == ["5"]
    assert queries.count_tasks(district_officer, queries.TaskSearch(week=WEEK, status="unreported")) == 22
    mine = queries.TaskSearch(week=WEEK, department=finance.pk)
    n_mine = queries.count_tasks(department_user, mine)
    assert n_mine > 5
    first = queries.search_tasks(department_user, queries.TaskSearch(week=WEEK, mine_first=finance.pk, limit=n_mine))[0]
    assert all(finance in list(t.lead.all()) + list(t.partners.all()) for t in first)
    # The district's user sees the district's tasks, not the city's.
    assert queries.count_tasks(department_user, queries.TaskSearch(week=WEEK)) == 23


def test_only_account_admins_link_liaisons(tables, department_user, street_officer, community_worker, district_officer):
    with pytest.raises(OutOfScope):
        services.link_member(street_officer, department_user, tables["区财政局"])
    with pytest.raises(ValidationError):
        services.link_member(district_officer, community_worker, tables["区财政局"])
    services.link_member(district_officer, department_user, tables["区财政局"])
    services.link_member(district_officer, department_user, tables["区人社局"])
    assert services.department_of(department_user).name == "区人社局"
    services.unlink_member(district_officer, department_user)
    assert services.department_of(department_user) is None
