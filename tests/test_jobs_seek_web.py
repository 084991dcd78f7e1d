"""Seeker and application pages: lists with counts, masked numbers, flags, the seeker page, the resident's
profile and applications, the pipeline's steps through the web up to the hire."""
import datetime

import pytest
from django.test import Client
from django.utils import timezone

from jiuye.accounts.models import AuditEntry, Role, User
from jiuye.jobs.models import Application, SeekerProfile, SeekerRegistration
from jiuye.jobs.services import applications as apps
from jiuye.jobs.services import seekers
from jiuye.registry import services as registry
from jiuye.registry.models import Registration
from tests.conftest import COMMUNITY_A1, COMMUNITY_B1
from tests.jobs_helpers import make_employer, make_vacancy, occupations  # noqa: F401


@pytest.fixture
def world(occupations, community_worker, district_officer, make_person):  # noqa: F811
    firm = make_employer(district_officer)
    vacancy = make_vacancy(firm, openings=2)
    near = make_person(name="王近", region=COMMUNITY_A1)
    far = make_person(name="赵远", region=COMMUNITY_B1)
    for p in (near, far):
        seekers.start_seeking(actor=district_officer, person=p, started_on=datetime.date(2026, 10, 1))
    return firm, vacancy, near, far


def _login(client, user):
    client.force_login(user)
    return client


def test_seeker_list_shows_the_region_masked_and_exports(client, world, community_worker):
    firm, vacancy, near, far = world
    r = _login(client, community_worker).get("/jobs/seekers/")
    body = r.content.decode()
    assert r.status_code == 200 and "王近" in body and "赵远" not in body
    assert near.id_number not in body and near.id_number[:6] in body
    assert 'data-total="1"' in body
    x = client.get("/jobs/seekers/?format=xlsx")
    assert x.status_code == 200 and x["Content-Type"].startswith("application/vnd.openxmlformats")


def test_seeker_page_is_audited_and_out_of_region_is_not_found(client, world, community_worker):
    firm, vacancy, near, far = world
    c = _login(client, community_worker)
    r = c.get(f"/jobs/seekers/{near.pk}/")
    assert r.status_code == 200 and "求职中" in r.content.decode()
    assert AuditEntry.objects.filter(action="view", object_type="person", object_id=near.pk).exists()
    assert c.get(f"/jobs/seekers/{far.pk}/").status_code == 404
    r = c.post(f"/jobs/seekers/{near.pk}/registration/", {"action": "stop", "reason": "withdrew"})
    assert r.status_code == 302 and SeekerRegistration.objects.get(person=near).end_reason == "withdrew"
    r = c.post(f"/jobs/seekers/{near.pk}/profile/", {"occupations": "6-18-02-04", "wage_min": "9000", "wage_max": "3000"})
    assert r.status_code == 400 and "期望月薪上限3000低于下限9000" in r.content.decode()
    r = c.post(f"/jobs/seekers/{near.pk}/profile/", {"occupations": "6-18-02-04", "wage_min": "3000", "resume": "电焊"})
    assert r.status_code == 302 and SeekerProfile.objects.get(person=near).occupations == ["6-18-02-04"]


def test_resident_keeps_their_profile_and_applies_from_the_portal(client, world):
    firm, vacancy, near, far = world
    me = User.objects.create_user("res_w", password="pass-12345678", role=Role.RESIDENT)
    registry.link_account(actor=None, user=me, person=near)
    c = _login(client, me)
    r = c.get("/my/job-profile/")
    assert r.status_code == 200 and "登记信息（来自实名登记，只读）" in r.content.decode()
    r = c.get("/my/job-profile/?occ_q=焊工")
    assert "6-18-02-04" in r.content.decode()
    assert c.post("/my/job-profile/", {"skills": "焊接", "experience_years": "3"}).status_code == 302
    r = c.post("/jobs/applications/apply/", {"vacancy": vacancy.pk, "person": far.pk})
    app = Application.objects.get()
    assert app.person == near and app.origin == "applied"  # a resident applies for themselves only
    r = c.get("/my/applications/")
    assert r.status_code == 200 and vacancy.title in r.content.decode()
    page = c.get(f"/jobs/applications/{app.pk}/").content.decode()
    assert "求职者放弃" in page and "撤回" in page and "确认录用入职" not in page
    assert c.post(f"/jobs/applications/{app.pk}/withdraw/", {"withdraw-note": "不去了"}).status_code == 302
    app.refresh_from_db()
    assert app.status == "withdrawn" and app.events.last().note == "不去了"
    assert c.get("/jobs/seekers/").status_code == 403


def test_employer_confirms_the_hire_on_the_application_page(client, world, community_worker):
    firm, vacancy, near, far = world
    r = _login(client, community_worker).post("/jobs/applications/recommend/",
                                              {"vacancy": vacancy.pk, "person": near.pk, "score": "0.7"})
    app = Application.objects.get()
    assert app.origin == "matched" and app.score == 0.7
    boss = User.objects.create_user("emp_w", password="pass-12345678", role=Role.EMPLOYER_USER)
    registry.link_account(actor=None, user=boss, employer=firm)
    c = _login(client, boss)
    body = c.get("/jobs/applications/").content.decode()
    assert "王*" in body and "王近" not in body  # recommended, not taken up yet: the name is masked
    apps.apply(actor=community_worker, vacancy=vacancy, person=near)
    body = c.get(f"/jobs/applications/{app.pk}/").content.decode()
    assert "王近" in body and "确认录用入职" in body
    today = timezone.localdate().isoformat()
    r = c.post(f"/jobs/applications/{app.pk}/hire/", {"hire-start_date": today, "hire-employment_form": "unit",
                                                      "hire-contract_type": "none", "hire-social_insurance": "yes"})
    assert r.status_code == 302, r.content.decode()
    app.refresh_from_db()
    assert app.status == "hired" and app.registration.kind == Registration.Kind.EMPLOYMENT
    r = c.post(f"/jobs/applications/{app.pk}/offer/", {})
    assert r.status_code == 400 and "不能发录用通知" in r.content.decode()


def test_application_pages_hide_other_regions(client, world, other_street_officer, community_worker):
    firm, vacancy, near, far = world
    app = apps.apply(actor=community_worker, vacancy=vacancy, person=near)
    c = _login(client, other_street_officer)
    assert c.get(f"/jobs/applications/{app.pk}/").status_code == 404
    assert "data-total=\"0\"" in c.get("/jobs/applications/").content.decode()


def test_the_guides_name_labels_the_pages_have(client, world, community_worker):
    firm, vacancy, near, far = world
    from django.urls import reverse

    c = _login(client, community_worker)
    seeker = c.get(f"/jobs/seekers/{near.pk}/").content.decode()
    for label in ["结束求职登记", "编辑求职意向"]:
        assert label in seeker, label
    seekers.stop_seeking(actor=community_worker, person=near)
    assert "办理求职登记" in c.get(f"/jobs/seekers/{near.pk}/").content.decode()
    profile = c.get(f"/jobs/seekers/{near.pk}/profile/").content.decode()
    for label in ["查找职业", "保存", "意向工作地点", "个人简历"]:
        assert label in profile, label
    app = apps.apply(actor=community_worker, vacancy=vacancy, person=near)
    page = c.get(f"/jobs/applications/{app.pk}/").content.decode()
    for label in ["安排面试", "发录用通知", "确认录用入职", "单位未录用", "撤回"]:
        assert label in page, label
    assert "只看优先人员" in c.get("/jobs/seekers/").content.decode()
    guide = Client().get(reverse("web:help_role", args=["community_worker"])).content.decode()
    for label in ["办理求职登记", "结束求职登记", "编辑求职意向", "查找职业", "确认录用入职", "安排面试", "只看优先人员"]:
        assert label in guide, label
    resident = Client().get(reverse("web:help_role", args=["resident"])).content.decode()
    assert "我的求职意向与简历" in resident


def test_priority_flags_show_and_filter(client, world, district_officer, make_person):
    from tests.test_assistance_posts import recognise

    firm, vacancy, near, far = world
    other = make_person(name="钱普通", region=COMMUNITY_A1)
    seekers.start_seeking(actor=district_officer, person=other, started_on=datetime.date(2026, 10, 2))
    recognise(near, datetime.date(2026, 1, 1))
    c = _login(client, district_officer)
    body = c.get("/jobs/seekers/").content.decode()
    assert body.count('data-testid="priority-flag"') == 1 and "就业困难人员" in body
    body = c.get("/jobs/seekers/?priority=on").content.decode()
    assert "王近" in body and "钱普通" not in body and 'data-total="1"' in body
