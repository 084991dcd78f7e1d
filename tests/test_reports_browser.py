"""The reports pages in a real browser at 360 px: a report generated through the form shows its page with the
known-on moment and the download; no page is wider than the screen."""
from __future__ import annotations

import pytest

from .test_browser import browser_page  # noqa: F401  (the Debian-chromium page fixture)
from .test_browser_responsive import assert_pages_fit, login

pytestmark = [pytest.mark.browser]


def test_generate_through_the_form_at_phone_width(transactional_db, live_server, browser_page, district_officer,
                                                  settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    page, base = browser_page, live_server.url
    page.set_viewport_size({"width": 360, "height": 780})
    login(page, base, "do_xc")
    page.goto(f"{base}/reports/new/")
    page.select_option("#id_kind", "monthly")
    page.fill("#id_period", "2020-06")
    page.select_option("#id_format", "xlsx")
    page.click("[data-testid=report-submit]")
    page.wait_for_selector("[data-testid=report-download]")
    assert page.inner_text("[data-testid=report-status]") == "已完成"
    run_path = page.url.replace(base, "")
    assert_pages_fit(page, base, ["/reports/", "/reports/new/", run_path, "/reports/schedules/",
                                  "/reports/schedules/new/"])
