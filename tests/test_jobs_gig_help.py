"""The market's guide fragments quote labels the pages really have."""
import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jiuye.jobs.services import events, gigs
from tests.conftest import COMMUNITY_A1, STREET_A
from tests.test_help_pages import text_of


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_guide_labels_are_on_the_pages(street_officer):
    web = client_for(street_officer)
    guide = text_of(Client().get(reverse("web:help_role", args=["street_officer"])))
    task = gigs.post_gig(actor=street_officer, title="装卸", work_date=timezone.localdate() + datetime.timedelta(days=1),
                         start_time=datetime.time(8), end_time=datetime.time(12), daily_pay="100", region=COMMUNITY_A1,
                         poster_name="张", contact_phone="13800138000")
    start = timezone.now() + datetime.timedelta(days=1)
    event = events.create_event(actor=street_officer, kind="other", title="招聘会", organiser="街道", region=STREET_A,
                                starts_at=start, ends_at=start + datetime.timedelta(hours=3), place="广场")
    pages = {
        "/jobs/gigs/": ["发布零工", "导出Excel"], f"/jobs/gigs/{task.pk}/": ["为求职人员接单", "取消任务"],
        "/jobs/sharing/": ["发布富余员工", "发布缺工需求", "登记用工调剂", "可对接"],
        "/jobs/events/": ["新建招聘活动"],
        f"/jobs/events/{event.pk}/": ["添加参会单位", "添加活动岗位", "为求职人员报名", "报名与签到", "活动成效", "导出Excel"],
    }
    for url, labels in pages.items():
        html = web.get(url).content.decode()
        for label in labels:
            assert label in html, (url, label)
            assert label in guide, label
