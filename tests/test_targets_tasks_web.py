"""The tasks and community pages as their users see them: a department liaison's tasks first and the entry
form for their department only, a correction shown in the history, the week overview with who has not
reported, the department page's liaison link, the community list with its evidence, filters and export, one
community's history with a title, and the assessment run."""
from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jiuye.targets import services_tasks
from jiuye.targets.models import CommunityAssessment, Department, DepartmentMember, PlanTask, TaskProgress

from .conftest import COMMUNITY_A1, XINCHENG
from .test_lists import last_export, sheet_rows

XC_PLAN = "西安市新城区进一步做好稳就业工作的实施意见"


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.fixture
def tables(regions):
    services_tasks.load_tables()
    return {d.name: d for d in Department.objects.filter(region_id=XINCHENG)}


def test_a_liaison_sees_their_tasks_first_and_reports_then_corrects(tables, district_officer, department_user):
    finance = tables["区财政局"]
    services_tasks.link_member(district_officer, department_user, finance)
    c = client_for(department_user)
    home = c.get(reverse("web:home"))
    assert home.status_code == 200 and reverse("web:plan_tasks") in home.content.decode()
    page = c.get(reverse("web:plan_tasks"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "共 23 条" in html and "本单位（区财政局）" in html
    first_row = html.split('data-testid="task-row"')[1]
    assert first_row.startswith(' class="row-mine"')
    t1 = PlanTask.objects.get(plan=XC_PLAN, number="1")
    form = c.get(reverse("web:task_progress_new", args=[t1.pk]))
    assert form.status_code == 200
    options = form.content.decode().split('name="department"')[1].split("</select>")[0]
    assert "区财政局" in options and "区发改委" not in options
    today = timezone.localdate().isoformat()
    data = {"department": finance.pk, "week": today, "status": "on_track", "text": "资金已拨付"}
    r = c.post(reverse("web:task_progress_new", args=[t1.pk]), data)
    assert r.status_code == 302
    r = c.post(reverse("web:task_progress_new", args=[t1.pk]), {**data, "status": "behind", "text": "拨付滞后"}, follow=True)
    assert "原记录已保留" in r.content.decode()
    detail = c.get(reverse("web:plan_task", args=[t1.pk]) + "?corrections=1").content.decode()
    assert "拨付滞后" in detail and "资金已拨付" in detail and "已更正" in detail
    # A week in the future is refused on the form, in Chinese, naming the week.
    future = (timezone.localdate() + datetime.timedelta(days=8)).isoformat()
    r = c.post(reverse("web:task_progress_new", args=[t1.pk]), {**data, "week": future})
    assert r.status_code == 400 and "未来" in r.content.decode()
    assert first_row  # the list has rows


def test_a_liaison_cannot_open_the_form_of_a_task_of_another_department(tables, district_officer, department_user):
    services_tasks.link_member(district_officer, department_user, tables["区财政局"])
    t14 = PlanTask.objects.get(plan=XC_PLAN, number="14")
    assert client_for(department_user).get(reverse("web:task_progress_new", args=[t14.pk])).status_code == 403
    city = PlanTask.objects.get(region_id="610100000000", number="1")
    assert client_for(department_user).get(reverse("web:plan_task", args=[city.pk])).status_code == 404


def test_the_list_filters_and_exports(tables, district_officer):
    t5 = PlanTask.objects.get(plan=XC_PLAN, number="5")
    services_tasks.report_progress(district_officer, t5, tables["区人社局"], timezone.localdate(), status="done",
                                   text="完成")
    c = client_for(district_officer)
    page = c.get(reverse("web:plan_tasks") + "?status=done").content.decode()
    assert "共 1 条" in page and "持续加大稳岗返还力度" in page
    rows = sheet_rows(c.get(reverse("web:plan_tasks") + "?status=done&format=xlsx"))
    assert rows[0][:3] == ("规划/计划", "序号", "任务") and rows[1][1] == "5" and rows[1][6] == "已完成"
    assert last_export(district_officer).changes["rows"] == 1


def test_the_week_overview_names_who_has_not_reported(tables, district_officer, leader):
    t5 = PlanTask.objects.get(plan=XC_PLAN, number="5")
    services_tasks.report_progress(district_officer, t5, tables["区人社局"], timezone.localdate(), status="done",
                                   text="完成")
    page = client_for(leader).get(reverse("web:plan_tasks_week"))
    html = page.content.decode()
    assert page.status_code == 200 and "本周尚未填报的牵头单位" in html
    missing = html.split('data-testid="missing"')[1].split("</p>")[0]
    assert "区发改委" in missing and "区金融办" in missing
    rows = sheet_rows(client_for(leader).get(reverse("web:plan_tasks_week") + "?format=xlsx"))
    assert any(r[2] == "区人社局" and r[5] == "完成" for r in rows[1:])


def test_the_department_page_links_a_liaison(tables, district_officer, department_user, street_officer, leader):
    finance = tables["区财政局"]
    c = client_for(district_officer)
    r = c.post(reverse("web:department", args=[finance.pk]), {"username": department_user.username})
    assert r.status_code == 302 and DepartmentMember.objects.get(user=department_user).department == finance
    r = c.post(reverse("web:department", args=[finance.pk]), {"username": street_officer.username})
    assert r.status_code == 400 and "不是责任单位联络员" in r.content.decode()
    assert client_for(leader).post(reverse("web:department", args=[finance.pk]), {"username": "x"}).status_code == 403
    # A district department is outside a street officer's scope.
    assert client_for(street_officer).get(reverse("web:department", args=[finance.pk])).status_code == 404


def test_the_community_pages_assess_list_export_and_designate(regions, district_officer, leader, department_user):
    year = timezone.localdate().year - 1
    c = client_for(district_officer)
    r = c.post(reverse("web:fe_assess"), {"year": year}, follow=True)
    assert "已评估" in r.content.decode()
    n = CommunityAssessment.objects.filter(year=year, is_current=True).count()
    page = client_for(leader).get(reverse("web:fe_communities") + f"?year={year}").content.decode()
    assert f"共 {n} 条" in page and "有劳动能力和就业意愿人员就业率" in page and "达标 0 个" in page
    assert 'data-chart=' in page and "各项标准未达到的社区数" in page  # the chart beside the table of the same figures
    rows = sheet_rows(client_for(leader).get(reverse("web:fe_communities") + f"?year={year}&format=xlsx"))
    assert len(rows) == n + 1 and rows[1][4] == "未达标"
    r = c.post(reverse("web:fe_community", args=[COMMUNITY_A1]), {"year": year, "designation": "municipal"})
    assert r.status_code == 302
    assert "市级充分就业社区" in client_for(leader).get(reverse("web:fe_community", args=[COMMUNITY_A1])).content.decode()
    assert client_for(leader).post(reverse("web:fe_assess"), {"year": year}).status_code == 403
    assert client_for(department_user).get(reverse("web:fe_communities")).status_code == 403
