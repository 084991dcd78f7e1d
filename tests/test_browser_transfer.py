"""迁入/迁出 and the 就业创业证 in a real browser, at a phone width (390 px) and a desktop width (1366 px):
a community worker hands a person over, the receiving community's worker accepts, the person's page
moves with them; the certificate panel and its print page fit the screen."""
from __future__ import annotations

import datetime

import pytest

from jiuye.accounts.models import Role
from jiuye.registry import services
from jiuye.registry.models import Person, Transfer, TransferStatus

from .conftest import COMMUNITY_B1, _user
from .test_browser import browser_page  # noqa: F401  (the Debian-chromium page fixture)
from .test_browser_responsive import DESKTOP, PHONE, login, overflow

pytestmark = [pytest.mark.browser]
WIDTHS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])


@WIDTHS
def test_worker_hands_over_and_the_receiving_worker_accepts(transactional_db, live_server, browser_page, viewport,
                                                            make_person, community_worker, district_officer):
    page, base = browser_page, live_server.url
    page.set_viewport_size(viewport)
    _user("cw_b1", Role.COMMUNITY_WORKER, COMMUNITY_B1, display_name="长乐社区协理员")
    person = make_person(name="迁移测试")
    services.register_unemployment(actor=district_officer, person=person, effective_date=datetime.date(2024, 1, 1),
                                   unemployment_reason="resigned")

    login(page, base, "cw_a1")
    page.goto(f"{base}/persons/{person.pk}/")
    assert page.get_by_test_id("certificate-number").inner_text().strip()  # issued on the registration
    assert overflow(page) <= 0
    page.get_by_role("link", name="迁出（移交其他社区）").click()
    assert overflow(page) <= 0
    page.select_option("#id_to_region", COMMUNITY_B1)
    page.fill("#id_reason", "搬家到长乐中路")
    page.get_by_role("button", name="提交迁出申请").click()
    page.wait_for_url(f"{base}/persons/{person.pk}/")
    assert "已提交迁出申请" in page.inner_text("body")
    assert page.get_by_test_id("transfer-pending").is_visible()

    login(page, base, "cw_b1")
    page.goto(f"{base}/transfers/")
    assert page.get_by_test_id("incoming-count").inner_text().strip() == "1"
    assert overflow(page) <= 0
    row = page.get_by_test_id("transfer-row").filter(has_text="迁移测试")
    assert person.id_number not in row.inner_text()  # masked before acceptance
    row.get_by_role("link", name="处理").click()
    assert overflow(page) <= 0
    page.fill("#id_note", "已核实")
    page.get_by_test_id("accept").click()
    page.wait_for_url(f"{base}/transfers/?tab=incoming")
    assert "已接收迁移测试" in page.inner_text("body")
    assert page.get_by_test_id("incoming-count").inner_text().strip() == "0"

    page.goto(f"{base}/persons/{person.pk}/")
    assert "迁移测试" in page.inner_text("h1")
    assert overflow(page) <= 0
    assert Person.objects.get(pk=person.pk).region_id == COMMUNITY_B1
    assert Transfer.objects.get(person=person).status == TransferStatus.ACCEPTED

    # The sender no longer sees the person.
    login(page, base, "cw_a1")
    response = page.goto(f"{base}/persons/{person.pk}/")
    assert response.status == 404


@WIDTHS
def test_certificate_print_page_fits(transactional_db, live_server, browser_page, viewport, make_person,
                                     community_worker, district_officer):
    page, base = browser_page, live_server.url
    page.set_viewport_size(viewport)
    person = make_person(name="持证人", address="西一路88号院3号楼2单元501室")
    services.register_unemployment(actor=district_officer, person=person, effective_date=datetime.date(2024, 1, 1),
                                   unemployment_reason="resigned")
    login(page, base, "cw_a1")
    page.goto(f"{base}/persons/{person.pk}/")
    page.get_by_role("link", name="打印就业创业证").click()
    page.wait_for_url(f"{base}/persons/{person.pk}/certificate/print/")
    page.wait_for_load_state("load")  # the print stylesheet too
    assert page.get_by_test_id("print-number").inner_text().strip()
    assert person.id_number in page.inner_text("body")
    assert overflow(page) <= 0
    assert page.locator(".print-bar").is_visible()
    page.emulate_media(media="print")
    page.locator(".print-bar").wait_for(state="hidden")  # the print stylesheet hides the bar
