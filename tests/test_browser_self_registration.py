"""A resident registers their own employment online on a phone (网上自助); the community worker sees it on the
home page and confirms it, at a phone width (390 px) and a desktop width (1366 px)."""
from __future__ import annotations

import pytest
from django.utils import timezone

from jiuye.registry.models import PendingRegistration, Registration

from .test_browser import browser_page  # noqa: F401  (the Debian-chromium page fixture)
from .test_browser_responsive import DESKTOP, PHONE, WIDTHS, login, overflow
from .test_web import resident, world  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser]


@WIDTHS
def test_resident_self_registers_on_a_phone_and_the_worker_confirms(transactional_db, live_server, browser_page,
                                                                    viewport, world, resident, community_worker):
    page, base = browser_page, live_server.url
    person = world["a"]  # registered unemployed since 2024-01-10

    # The resident, on a phone.
    page.set_viewport_size(PHONE)
    login(page, base, "res_a")
    page.click("#portal-entry a")
    page.wait_for_url(f"{base}/portal/")
    assert overflow(page) <= 0
    page.click("#portal-employment")
    page.wait_for_url(f"{base}/portal/employment/")
    assert overflow(page) <= 0
    page.fill("#id_effective_date", timezone.localdate().isoformat())
    page.select_option("#id_employment_form", "flexible")
    page.fill("#id_occupation", "外卖配送")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/portal/")
    assert "待社区工作人员确认后生效" in page.inner_text("main")
    assert page.locator("#my-requests tr[data-status=waiting_confirmation]").count() == 1
    assert overflow(page) <= 0
    pending = PendingRegistration.objects.get(person=person)

    # The community worker, at this test's width.
    page.set_viewport_size(viewport)
    login(page, base, "cw_a1")
    panel = page.locator("#pending-self-registrations")
    assert panel.is_visible() and "张三：就业登记" in panel.inner_text()
    assert overflow(page) <= 0
    panel.get_by_role("link", name="张三：就业登记", exact=False).click()
    page.wait_for_url(f"{base}/self-registrations/{pending.pk}/")
    assert "灵活就业" in page.inner_text("main") and "外卖配送" in page.inner_text("main")
    assert overflow(page) <= 0
    page.click("#confirm-self-registration")
    page.wait_for_url(f"{base}/self-registrations/")
    assert "已确认张三的就业登记" in page.inner_text("main")
    entry = Registration.objects.get(person=person, kind="employment")
    assert (entry.source, entry.operator_id) == ("online", community_worker.pk)

    # The resident sees the outcome.
    page.set_viewport_size(PHONE)
    login(page, base, "res_a")
    page.goto(f"{base}/portal/")
    assert page.locator("#my-requests tr[data-status=applied]").count() == 1
    assert "就业" in page.inner_text(".page-head")
