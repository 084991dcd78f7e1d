"""The workbench in a real browser: Playwright driving Debian's headless Chromium against live_server."""
from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest

from .conftest import COMMUNITY_A1

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made from the test
# body (fixtures, assertions) would otherwise be refused as "async unsafe".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
SCREENSHOT = Path("/tmp/jiuye-person.png")

pytestmark = [pytest.mark.browser]


@pytest.fixture
def browser_page():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
        page = context.new_page()
        external = []

        def block_external(route):
            external.append(route.request.url)
            route.abort()

        # Nothing may be fetched from outside the server under test.
        page.route(lambda url: not url.startswith(("http://localhost", "http://127.0.0.1", "data:")), block_external)
        page.set_default_timeout(15000)
        try:
            yield page
        finally:
            context.close()
            browser.close()
            # While Playwright's event loop is set, Django keeps database connections per async context:
            # close the ones the test opened here, or they outlive the test database.
            from django.db import connections

            connections.close_all()
        assert not external, external


def test_community_worker_finds_a_person_and_reads_the_record(transactional_db, live_server, browser_page,
                                                             make_person, community_worker, district_officer):
    from jiuye.registry import services

    person = make_person(name="韩梅梅", birth="19880214", seq="124", region=COMMUNITY_A1, phone="13698765432",
                         education="bachelor", graduation_date=datetime.date(2010, 7, 1))
    make_person(name="韩小明", region=COMMUNITY_A1)
    first = services.register_unemployment(actor=district_officer, person=person,
                                           effective_date=datetime.date(2023, 3, 1), unemployment_reason="contract_ended")
    services.void_registration(actor=district_officer, registration=first, reason="重复登记")
    services.register_unemployment(actor=district_officer, person=person, effective_date=datetime.date(2023, 4, 1),
                                   unemployment_reason="dismissed")
    masked = person.id_number[:6] + "*" * 8 + person.id_number[-4:]

    page = browser_page
    page.goto(f"{live_server.url}/")
    assert "/login/" in page.url
    page.fill("#id_username", "cw_a1")
    page.fill("#id_password", "pass-12345678")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("[data-testid=user-name]").inner_text() == "社区协理员"

    # Quick search from the home page, by name prefix.
    page.fill("input[name=q]", "韩梅")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/persons/?q=*")
    results = page.locator("#person-results tbody tr")
    assert results.count() == 1
    row_text = results.first.inner_text()
    assert "韩梅梅" in row_text and masked in row_text and person.id_number not in row_text
    assert "136****5432" in row_text

    page.click("#person-results >> text=韩梅梅")
    page.wait_for_url(f"**/persons/{person.pk}/")
    id_box = page.locator("#id-number")
    assert masked in id_box.inner_text() and person.id_number not in id_box.inner_text()
    page.click("[data-toggle-id]")
    page.wait_for_selector("[data-id-full]:not([hidden])")  # the full number is fetched (an audited request)
    assert person.id_number in id_box.inner_text()
    assert page.locator("[data-testid=current-status]").inner_text() == "登记失业"

    timeline = page.locator("#timeline tbody tr")
    assert timeline.count() == 3  # the voided entry, the void, the entry that counts
    struck = page.locator("#timeline tr.superseded").first
    assert struck.locator("del").count() > 0
    assert "重复登记" in struck.inner_text() and "新城区人社局" in struck.inner_text()
    assert "被解除劳动合同" in page.locator("#timeline").inner_text()

    # CSS is served (no unstyled page): the top bar has its colour.
    background = page.evaluate("getComputedStyle(document.querySelector('.topbar')).backgroundColor")
    assert background == "rgb(29, 79, 145)"

    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size > 10_000

    # Status on an earlier date.
    page.fill("#id_on", "2023-03-15")
    page.click("#status-on button[type=submit]")
    page.wait_for_url("**on=2023-03-15*")
    assert "未登记" in page.locator("[data-testid=status-on-date]").inner_text()


def test_registering_employment_in_the_browser(transactional_db, live_server, browser_page, make_person,
                                               community_worker):
    person = make_person(name="李雷", region=COMMUNITY_A1)
    page = browser_page
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "cw_a1")
    page.fill("#id_password", "pass-12345678")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/persons/{person.pk}/")
    page.click("text=就业登记")
    page.wait_for_url("**/employment/")
    page.fill("#id_effective_date", "2024-05-06")
    page.select_option("#id_employment_form", "unit")
    page.click("form.form-grid button[type=submit]")
    # The service refuses unit employment without an employer: the message sits next to the field.
    assert "须填写就业单位" in page.locator(".field.has-error").first.inner_text()
    page.select_option("#id_employment_form", "flexible")
    page.click("form.form-grid button[type=submit]")
    page.wait_for_url(f"**/persons/{person.pk}/")
    assert "已为李雷办理就业登记" in page.locator(".messages").inner_text()
    assert page.locator("[data-testid=current-status]").inner_text() == "就业"
    page.screenshot(path="/tmp/jiuye-person-employed.png", full_page=True)
