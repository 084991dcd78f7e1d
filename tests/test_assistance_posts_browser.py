"""The 公益性岗位 pages in a real browser at a phone width (360 px) and a desktop width: no page is wider
than the screen."""
from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from jiuye.assistance.models import PostCategory
from jiuye.assistance.services import posts as services
from jiuye.registry import services as registry

from .conftest import COMMUNITY_A1
from .test_assistance_posts import credit_code, recognise
from .test_browser import browser_page  # noqa: F401  (the Debian-chromium page fixture)
from .test_browser_responsive import assert_pages_fit, login

pytestmark = [pytest.mark.browser]

D = datetime.date


@pytest.mark.parametrize("viewport", [{"width": 360, "height": 800}, {"width": 1366, "height": 900}], ids=["phone", "desktop"])
def test_post_pages_fit_the_screen(transactional_db, live_server, browser_page, viewport, district_officer, make_person):
    employer = registry.create_employer(actor=district_officer, credit_code=credit_code(11), name="西一路街道办事处",
                                        region=COMMUNITY_A1)
    post = services.create_post(actor=district_officer, employer=employer, title="社区保洁（背街小巷）",
                                category=PostCategory.URBAN, region=COMMUNITY_A1, openings=3,
                                monthly_subsidy=Decimal("1950"), starts_on=D(2025, 1, 1), duties="清扫、垃圾分类督导")
    people = []
    for _i in range(2):
        p = make_person()
        registry.register_unemployment(actor=district_officer, person=p, effective_date=D(2025, 6, 1),
                                       unemployment_reason="dismissed")
        recognise(p, D(2025, 6, 1))
        people.append(p)
    placement = services.place(actor=district_officer, post=post, person=people[0], started_on=D(2026, 1, 5))
    services.record_attendance(actor=district_officer, placement=placement, month=D(2026, 2, 1), days_worked=18,
                               absent_days=2)
    page, base = browser_page, live_server.url
    page.set_viewport_size(viewport)
    login(page, base, "do_xc")
    assert_pages_fit(page, base, [
        "/assistance/posts/", "/assistance/posts/new/", f"/assistance/posts/{post.pk}/",
        f"/assistance/posts/{post.pk}/edit/", f"/assistance/posts/{post.pk}/candidates/",
        f"/assistance/posts/{post.pk}/place/?person={people[1].pk}", "/assistance/posts/placements/?status=all",
        f"/assistance/posts/placements/{placement.pk}/exit/", f"/assistance/posts/placements/{placement.pk}/attendance/",
        "/assistance/posts/payroll/"])
