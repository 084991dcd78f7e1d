"""The Content-Security-Policy (self only) in a real browser: the workbench, the admin and the API docs
(Swagger UI from the app's own static files) run with no violation and fetch nothing from outside."""
from __future__ import annotations

import pytest

from .test_browser import browser_page  # noqa: F401  (the Chromium fixture; it fails on any external fetch)

pytestmark = [pytest.mark.browser]


def test_pages_and_api_docs_run_under_the_csp(transactional_db, live_server, browser_page, make_person,  # noqa: F811
                                              district_officer):
    person = make_person(name="王芳")
    page = browser_page
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "do_xc")
    page.fill("input[name=password]", "pass-12345678")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/persons/{person.pk}/")
    page.get_by_text("王芳").first.wait_for()
    page.goto(f"{live_server.url}/api/v1/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "Jiuye API" in page.locator(".swagger-ui .info .title").inner_text()
    page.locator(".opblock").first.wait_for()
    page.goto(f"{live_server.url}/admin/login/")
    page.wait_for_load_state("networkidle")
    assert not violations, violations
