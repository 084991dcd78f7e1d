"""The case workbench in a real browser: at 390 px and 1366 px the assistance pages fit the screen, no
CSP violation, and a worker records a service from the case page."""
from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from jiuye.assistance.models import CaseKind, DeadlineKind
from jiuye.assistance.services import cases
from jiuye.registry import services as registry

from .conftest import COMMUNITY_A1
from .test_browser import browser_page  # noqa: F401  (the Debian-chromium page fixture)
from .test_browser_responsive import DESKTOP, PHONE, assert_pages_fit, login

pytestmark = [pytest.mark.browser]


@pytest.fixture
def case(district_officer, community_worker, make_person):
    household = registry.create_household(actor=district_officer, region=COMMUNITY_A1)
    for i in range(2):
        registry.add_household_member(actor=district_officer, household=household,
                                      person=make_person(name=f"成员{i}"), relation="head" if i == 0 else "spouse")
    return cases.open_case(kind=CaseKind.ZERO_EMPLOYMENT, region_id=COMMUNITY_A1, household=household,
                           opened_on=timezone.localdate() - datetime.timedelta(days=30))


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_assistance_pages_fit_and_a_service_is_recorded(transactional_db, live_server, browser_page, viewport, case,
                                                        community_worker, district_officer):
    page, base = browser_page, live_server.url
    page.set_viewport_size(viewport)
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    login(page, base, "cw_a1")
    assert page.locator("[data-testid=my-cases-panel]").is_visible()
    assert_pages_fit(page, base, ["/assistance/", "/assistance/cases/", f"/assistance/cases/{case.pk}/",
                                  "/assistance/overview/"])
    page.goto(f"{base}/assistance/cases/{case.pk}/")
    page.locator("[data-testid=next-steps] a").first.click()
    assert page.locator("#id_kind").input_value() == "visit"
    page.fill("#id_outcome", "入户走访，了解求职意向")
    with page.expect_navigation():
        page.locator("[data-testid=save-service]").click()
    assert page.url.split("#")[0] == f"{base}/assistance/cases/{case.pk}/"  # redirected after saving
    assert "入户走访，了解求职意向" in page.content()
    assert case.deadlines.get(kind=DeadlineKind.FIRST_CONTACT).met_on == timezone.localdate()
    login(page, base, "do_xc")
    assert_pages_fit(page, base, ["/assistance/", "/assistance/cases/?status=all", "/assistance/overview/",
                                  f"/assistance/cases/{case.pk}/"])
    assert not violations, violations
