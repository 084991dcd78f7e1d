"""The 公益性岗位 pages: catalogue (count, sort, filter, export), post page with candidates, placement,
exit and replacement, attendance, warnings, the payroll sheet (masked, audited)."""
import datetime
import io
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from jiuye.accounts.models import AuditEntry
from jiuye.assistance.models import Placement, PlacementStatus, PostCategory
from jiuye.assistance.services import posts as services
from jiuye.registry import services as registry
from tests.conftest import COMMUNITY_A1
from tests.test_assistance_posts import credit_code, recognise

D = datetime.date


def client_for(user) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


@pytest.fixture
def world(district_officer, make_person):
    employer = registry.create_employer(actor=district_officer, credit_code=credit_code(7), name="西一路街道办事处",
                                        region=COMMUNITY_A1)
    post = services.create_post(actor=district_officer, employer=employer, title="社区保洁", category=PostCategory.URBAN,
                                region=COMMUNITY_A1, openings=1, monthly_subsidy=Decimal("1950"), starts_on=D(2025, 1, 1))
    people = []
    for name in ("张三", "李四"):
        p = make_person(name=name)
        registry.register_unemployment(actor=district_officer, person=p, effective_date=D(2025, 6, 1),
                                       unemployment_reason="dismissed")
        recognise(p, D(2025, 6, 1))
        people.append(p)
    return employer, post, people


def test_catalogue_list_sort_filter_export(world, district_officer):
    employer, post, _ = world
    web = client_for(district_officer)
    r = web.get("/assistance/posts/?sort=-title&category=urban")
    assert r.status_code == 200 and "社区保洁" in r.content.decode() and 'data-total="1"' in r.content.decode()
    r = web.get("/assistance/posts/?category=temporary")
    assert 'data-total="0"' in r.content.decode()
    r = web.get("/assistance/posts/?format=xlsx")
    rows = list(load_workbook(io.BytesIO(r.content)).active.values)
    assert rows[0][0] == "岗位名称" and rows[1][0] == "社区保洁"
    assert AuditEntry.objects.filter(action="export", object_type="welfare_post").exists()


def test_place_exit_replace_attendance_and_payroll(world, district_officer):
    employer, post, (first, second) = world
    web = client_for(district_officer)
    page = web.get(f"/assistance/posts/{post.pk}/").content.decode()
    assert "张三" in page and "李四" in page and "候选人员" in page
    r = web.post(f"/assistance/posts/{post.pk}/place/", {"id_number": first.id_number, "started_on": "2026-01-05"})
    assert r.status_code == 302, r.content.decode()
    placement = Placement.objects.get(person=first)
    # Full: a second placement is refused with the reason on the form.
    r = web.post(f"/assistance/posts/{post.pk}/place/", {"id_number": second.id_number, "started_on": "2026-01-05"})
    assert r.status_code == 200 and "已满员" in r.content.decode()
    r = web.post(f"/assistance/posts/placements/{placement.pk}/attendance/",
                 {"month": "2026-02", "days_worked": "18", "absent_days": "2"})
    assert r.status_code == 302
    assert "1755.00" in web.get(f"/assistance/posts/placements/{placement.pk}/attendance/").content.decode()
    r = web.get(f"/assistance/posts/payroll/?employer={employer.pk}&month=2026-02")
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(r.content)).active.values)
    line = next(row for row in rows if row[1] == "张三")
    assert "*" in line[2] and line[8] == 1755.0 and line[10] in (None, "")
    assert AuditEntry.objects.filter(action="export", object_type="welfare_payroll").exists()
    r = web.get(f"/assistance/posts/payroll/?employer={employer.pk}&month=2026-02&full_id=1")
    line = next(row for row in load_workbook(io.BytesIO(r.content)).active.values if row[1] == "张三")
    assert line[2] == first.id_number
    # Exit, then replacement from the candidates the exit leads to.
    r = web.post(f"/assistance/posts/placements/{placement.pk}/exit/", {"ended_on": "2026-03-01", "reason": "resigned"})
    assert r.status_code == 302 and f"replaces={placement.pk}" in r["Location"]
    page = web.get(r["Location"]).content.decode()
    assert "安置接替" in page and "李四" in page
    r = web.post(f"/assistance/posts/{post.pk}/place/?person={second.pk}&replaces={placement.pk}",
                 {"id_number": second.id_number, "started_on": "2026-03-02"})
    assert r.status_code == 302
    assert Placement.objects.get(person=second, status=PlacementStatus.ACTIVE).replaces_id == placement.pk
    r = web.get("/assistance/posts/placements/?status=all&sort=name&format=xlsx")
    assert len(list(load_workbook(io.BytesIO(r.content)).active.values)) == 3


def test_pages_render_for_a_street_officer_and_refuse_outsiders(world, street_officer, other_street_officer):
    _employer, post, _ = world
    web = client_for(street_officer)
    for url in ("/assistance/posts/", "/assistance/posts/new/", f"/assistance/posts/{post.pk}/",
                f"/assistance/posts/{post.pk}/edit/", f"/assistance/posts/{post.pk}/candidates/",
                f"/assistance/posts/{post.pk}/place/", "/assistance/posts/placements/?ending=on",
                "/assistance/posts/payroll/"):
        assert web.get(url).status_code == 200, url
    outsider = Client()
    outsider.force_login(other_street_officer)
    assert outsider.get(f"/assistance/posts/{post.pk}/").status_code == 404


def test_the_guide_names_the_labels_the_pages_have(world, district_officer):
    _employer, post, (first, _second) = world
    web = client_for(district_officer)
    guide = web.get("/help/street_officer/").content.decode()
    assert "公益性岗位" in guide
    pages = "".join(web.get(url).content.decode() for url in (
        "/assistance/posts/", f"/assistance/posts/{post.pk}/", f"/assistance/posts/{post.pk}/candidates/",
        "/assistance/posts/placements/", "/assistance/posts/payroll/"))
    placement = services.place(actor=district_officer, post=post, person=first, started_on=D(2026, 1, 5))
    pages += web.get(f"/assistance/posts/{post.pk}/").content.decode()
    pages += web.get(f"/assistance/posts/{post.pk}/candidates/?replaces={placement.pk}").content.decode()
    for label in ("新建岗位", "候选人员", "安置", "安置人员", "考勤", "补贴发放表", "下载发放表", "离岗", "安置接替", "即将期满"):
        assert f"“{label}”" in guide, label
        assert label in pages, label
    assert AuditEntry.objects.filter(action="view", object_type="person", object_id=first.pk).count() == 0
    web.get(f"/assistance/posts/placements/{placement.pk}/attendance/")
    assert AuditEntry.objects.filter(action="view", object_type="person", object_id=first.pk).exists()


def test_catalogue_lists_placements_ending_soon(world, district_officer):
    _employer, _post, (first, _second) = world
    temporary = services.create_post(actor=district_officer, employer=_employer, title="消杀防疫", category="temporary",
                                     region=COMMUNITY_A1, openings=1, monthly_subsidy=Decimal("2340"),
                                     starts_on=D(2025, 1, 1))
    services.place(actor=district_officer, post=temporary, person=first, started_on=D(2025, 7, 1))
    page = client_for(district_officer).get("/assistance/posts/").content.decode()
    assert 'data-testid="tenure-warning"' in page and "张三" in page and "已过期满日期" in page
