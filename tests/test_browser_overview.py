"""The district officer's overview in a real browser, at 390 px and 1366 px: the home shows the table per
street (scrolling inside its box on a phone), a cell leads to the list filtered the same way with the
same total, and the list's export downloads exactly those rows."""
from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import load_workbook

from jiuye.accounts.models import AuditEntry
from jiuye.registry import services

from .conftest import COMMUNITY_A1, COMMUNITY_A2, COMMUNITY_B1, STREET_A
from .test_browser import browser_page  # noqa: F401  (the Debian-chromium page fixture)
from .test_browser_responsive import DESKTOP, PHONE, login, overflow

pytestmark = [pytest.mark.browser]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_district_officer_overview_to_filtered_list_to_export(transactional_db, live_server, browser_page, viewport,
                                                              make_person, district_officer):
    for i, community in enumerate([COMMUNITY_A1, COMMUNITY_A1, COMMUNITY_A2, COMMUNITY_B1, COMMUNITY_A2]):
        person = make_person(region=community, name=f"概况{i}")
        if i != 2:
            services.register_unemployment(actor=district_officer, person=person,
                                           effective_date=datetime.date(2024, 3, 1), unemployment_reason="resigned")
    page, base = browser_page, live_server.url
    page.set_viewport_size(viewport)
    login(page, base, "do_xc")

    table = page.locator("#overview-table")
    assert table.is_visible()
    assert overflow(page) <= 0  # the table scrolls inside its box; the page never gets wider than the screen
    row = page.locator(f'#overview-table tr[data-region="{STREET_A}"]')
    assert "西一路街道" in row.inner_text()
    cell = row.locator('a[data-measure="unemployed"]')
    number = int(cell.inner_text().replace(",", ""))
    assert number == 3
    cell.click()
    page.wait_for_url("**/persons/**")
    assert f"region={STREET_A}" in page.url and "status=unemployed" in page.url
    count = page.locator('[data-testid="list-count"]')
    assert int(count.get_attribute("data-total")) == number and f"共 {number} 条" in count.inner_text()
    assert page.locator("#person-results tbody tr").count() == number
    assert overflow(page) <= 0

    with page.expect_download() as info:
        page.locator('[data-testid="export-form"] button[type=submit]').click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(open(download.path(), "rb").read())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "姓名" and len(rows) - 1 == number
    assert {r[0] for r in rows[1:]} == {"概况0", "概况1", "概况4"}
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, actor=district_officer).latest("id")
    assert entry.changes["rows"] == number and entry.changes["filters"]["region"] == STREET_A
