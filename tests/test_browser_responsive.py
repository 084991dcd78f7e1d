"""The responsive layout in a real browser: at a phone width (390 px) and a desktop width (1366 px) no main page
is wider than the screen, inputs stay inside their cards, and on a phone the navigation opens from the menu button."""
from __future__ import annotations

import pytest

from .test_browser import browser_page  # noqa: F401  (the Debian-chromium page fixture)
from .test_web import employer_user, resident, world  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
WIDTHS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])


def login(page, base, username, password="pass-12345678"):
    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def overflow(page) -> int:
    """How many pixels the page is wider than the window (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def assert_pages_fit(page, base, paths):
    wide = {}
    for path in paths:
        response = page.goto(f"{base}{path}")
        assert response.status == 200, (path, response.status)
        extra = overflow(page)
        if extra > 0:
            wide[path] = extra
    assert not wide, f"pages wider than {page.viewport_size['width']} px: {wide}"


@WIDTHS
def test_main_pages_fit_the_screen(transactional_db, live_server, browser_page, viewport, world, resident,
                                   employer_user, community_worker, district_officer):
    page, base = browser_page, live_server.url
    page.set_viewport_size(viewport)
    a, household, employer = world["a"], world["household"], world["employer"]

    page.goto(f"{base}/login/")
    assert overflow(page) <= 0

    login(page, base, "cw_a1")
    assert_pages_fit(page, base, ["/", "/persons/", "/persons/new/", f"/persons/{a.pk}/",
                                  f"/persons/{a.pk}/employment/", f"/persons/{a.pk}/unemployment/",
                                  f"/persons/{a.pk}/ending/", f"/persons/{a.pk}/edit/",
                                  "/households/", f"/households/{household.pk}/", "/employers/",
                                  f"/employers/{employer.pk}/", "/imports/", "/password/"])

    login(page, base, "do_xc")
    assert_pages_fit(page, base, ["/", "/persons/?q=", "/households/", "/employers/", "/audit/", "/users/",
                                  f"/persons/{a.pk}/"])

    login(page, base, "res_a")
    assert_pages_fit(page, base, ["/", f"/persons/{a.pk}/", "/password/"])

    login(page, base, "emp_1")
    assert_pages_fit(page, base, ["/", f"/employers/{employer.pk}/"])


@WIDTHS
def test_inputs_stay_inside_their_cards(transactional_db, live_server, browser_page, viewport, world,
                                        community_worker):
    page, base = browser_page, live_server.url
    page.set_viewport_size(viewport)
    login(page, base, "cw_a1")
    for path in ["/persons/new/", f"/persons/{world['a'].pk}/unemployment/", "/persons/"]:
        page.goto(f"{base}{path}")
        sticking_out = page.evaluate("""() => {
            const out = [];
            document.querySelectorAll('main input:not([type=hidden]), main select, main textarea, main .btn')
              .forEach(el => {
                const box = el.closest('.panel, .filters, form') || document.querySelector('main');
                const r = el.getBoundingClientRect(), b = box.getBoundingClientRect();
                if (r.width && (r.left < b.left - 1 || r.right > b.right + 1)) out.push(el.name || el.textContent);
              });
            return out;
        }""")
        assert not sticking_out, (path, sticking_out)
    if viewport is PHONE:
        # One column on a phone: every field of the person form starts at the same left edge.
        page.goto(f"{base}/persons/new/")
        lefts = page.evaluate("[...document.querySelectorAll('.form-grid > .field')]"
                              ".map(f => Math.round(f.getBoundingClientRect().left))")
        assert len(lefts) > 3 and len(set(lefts)) == 1, lefts


def test_menu_collapses_on_a_phone_and_opens_from_the_button(transactional_db, live_server, browser_page,
                                                             community_worker):
    page, base = browser_page, live_server.url
    page.set_viewport_size(PHONE)
    login(page, base, "cw_a1")
    nav, toggle = page.locator("nav.sidenav"), page.locator("button.nav-toggle")
    # The header keeps the user's name and role on the screen, not clipped.
    for chip in (page.locator("[data-testid=user-name]"), page.locator(".who-role")):
        box = chip.bounding_box()
        assert chip.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert toggle.is_visible()
    assert not nav.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"

    toggle.click()
    assert nav.is_visible()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert overflow(page) <= 0
    nav.get_by_role("link", name="人员查询").click()
    page.wait_for_url(f"{base}/persons/")
    assert not page.locator("nav.sidenav").is_visible()  # a new page starts with the menu closed

    page.locator("button.nav-toggle").click()
    assert page.locator("nav.sidenav").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("nav.sidenav").is_visible()
    assert page.locator("button.nav-toggle").get_attribute("aria-expanded") == "false"


def test_desktop_keeps_the_sidebar_and_hides_the_menu_button(transactional_db, live_server, browser_page,
                                                             community_worker):
    page, base = browser_page, live_server.url
    page.set_viewport_size(DESKTOP)
    login(page, base, "cw_a1")
    assert page.locator("nav.sidenav").is_visible()
    assert not page.locator("button.nav-toggle").is_visible()
    nav_box = page.locator("nav.sidenav").bounding_box()
    main_box = page.locator("main.content").bounding_box()
    assert nav_box["x"] + nav_box["width"] <= main_box["x"] + 1  # side by side


def test_phone_without_javascript_still_shows_the_navigation(transactional_db, live_server, browser_page,
                                                             community_worker):
    page, base = browser_page, live_server.url
    page.set_viewport_size(PHONE)
    page.route("**/static/web/jiuye.js", lambda route: route.abort())
    login(page, base, "cw_a1")
    assert page.locator("nav.sidenav").is_visible()
    assert not page.locator("button.nav-toggle").is_visible()
    assert overflow(page) <= 0
