"""操作指南 in a real browser at a phone width (390 px) and a desktop width (1366 px): every guide fits the
screen, the header's 操作指南 link is visible and leads to the user's own guide, the favicon loads."""
from __future__ import annotations

import pytest

from jiuye.accounts.models import Role

from .test_browser import browser_page  # noqa: F401  (the Debian-chromium page fixture)
from .test_browser_responsive import DESKTOP, PHONE, WIDTHS, login, overflow

pytestmark = [pytest.mark.browser]


@WIDTHS
def test_guides_fit_the_screen_and_the_header_link_leads_to_ones_own(transactional_db, live_server, browser_page,
                                                                     viewport, community_worker):
    page, base = browser_page, live_server.url
    page.set_viewport_size(viewport)
    page.goto(f"{base}/login/")
    page.get_by_role("link", name="查看操作指南").click()
    page.wait_for_url(f"{base}/help/")
    assert page.locator("[data-testid=help-general]").is_visible()
    wide = {}
    for slug in ["general", *Role.values]:
        page.goto(f"{base}/help/{slug}/")
        if overflow(page) > 0:
            wide[slug] = overflow(page)
    assert not wide, f"guides wider than {viewport['width']} px: {wide}"

    login(page, base, "cw_a1")
    link = page.locator("header [data-testid=help-link]")
    box = link.bounding_box()
    assert link.is_visible() and 0 <= box["x"] and box["x"] + box["width"] <= viewport["width"]
    link.click()
    page.wait_for_url(f"{base}/help/")
    assert page.locator("[data-testid=help-community_worker]").is_visible()
    assert page.locator(".help-nav").get_by_text("本人角色").is_visible()
    # The favicon the page links is served (offline, from static).
    href = page.locator("link[rel=icon][type='image/svg+xml']").get_attribute("href")
    assert page.request.get(f"{base}{href}").status == 200
