"""The dashboard and the big screen in a real browser: charts drawn by the app's own ECharts, nothing wider than
a 360 px phone, the 1920×1080 screen without scrollbars sideways, and the screen updating itself from its JSON."""
from __future__ import annotations

from decimal import Decimal

import pytest

from .test_browser import browser_page  # noqa: F401  (the Debian-chromium page fixture)
from .test_browser_responsive import login, overflow
from .test_targets_dashboard_pages import VALUES, fake_queries  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser]


def test_dashboard_and_screen_in_a_browser(transactional_db, live_server, browser_page, fake_queries, district_officer,
                                           settings, monkeypatch):
    page, base = browser_page, live_server.url
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    login(page, base, district_officer.username)

    page.set_viewport_size({"width": 360, "height": 780})
    response = page.goto(f"{base}/targets/?period=2026-06")
    assert response.status == 200
    page.wait_for_selector("[data-testid=ranking] .chart canvas")
    assert page.locator("[data-testid=trend] .chart canvas").count() == 4
    assert overflow(page) <= 0
    page.click("text=城镇新增就业人数 >> nth=0")
    page.wait_for_selector("[data-testid=kpi-summary]")
    assert overflow(page) <= 0

    settings.JIUYE_SCREEN_REFRESH_SECONDS = 1
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{base}/targets/screen/?period=2026-06")
    page.wait_for_selector("[data-testid=screen-ranking] .chart canvas")
    assert overflow(page) <= 0
    tile = page.locator(".stile[data-kpi=new_urban_jobs] [data-field=value]")
    assert tile.inner_text() == "12,345"
    # The registry moves on: the next refresh shows the new figure and status without reloading the page.
    monkeypatch.setitem(VALUES, "new_urban_jobs", (Decimal("13000"), Decimal("15360"), Decimal("0.6"),
                                                   Decimal("0.2"), "red", "完成目标的20.0%，序时进度60.0%"))
    from playwright.sync_api import expect

    expect(tile).to_have_text("13,000", timeout=10000)
    assert "stile-red" in page.locator(".stile[data-kpi=new_urban_jobs]").get_attribute("class")
    assert page.locator(".stile[data-kpi=new_urban_jobs] [data-field=status_label]").inner_text() == "滞后"

    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(f"{base}/targets/screen/?period=2026-06")
    page.wait_for_selector("[data-testid=screen-trend] .chart canvas")
    assert overflow(page) <= 0
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
