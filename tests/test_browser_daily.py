"""A community worker's daily tasks in a real browser, on a phone (390 px) and at a desk (1366 px): find a
person, register unemployment, correct the entry, import a roster and read its result, export the list
to Excel. Each step checks what the worker sees, and that no page is wider than the screen."""
from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import load_workbook

from .conftest import COMMUNITY_A1, make_id
from .import_files import write_xlsx
from .test_browser import browser_page  # noqa: F401  (the Debian-chromium page fixture)
from .test_browser_responsive import WIDTHS, login, overflow

pytestmark = [pytest.mark.browser]


@WIDTHS
def test_a_community_workers_day(transactional_db, live_server, browser_page, viewport, make_person,  # noqa: F811
                                 community_worker, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    from jiuye.accounts.models import AuditEntry
    from jiuye.registry.models import Registration

    person = make_person(name="张晓燕", birth="19900512", seq="124", region=COMMUNITY_A1)
    for i in range(3):
        make_person(name=f"邻居{i}", region=COMMUNITY_A1)
    page, base = browser_page, live_server.url
    page.set_viewport_size(viewport)
    login(page, base, "cw_a1")

    # Find: the quick search on the home page, by a name prefix.
    page.fill("main input[name=q]", "张晓")
    page.press("main input[name=q]", "Enter")
    page.wait_for_url("**/persons/?q=*")
    assert page.locator("[data-testid=list-count]").get_attribute("data-total") == "1"
    assert overflow(page) <= 0
    page.click("#person-results >> text=张晓燕")
    page.wait_for_url(f"**/persons/{person.pk}/")

    # Register: 失业登记 from the person page.
    page.goto(f"{base}/persons/{person.pk}/unemployment/")
    page.fill("#id_effective_date", "2026-03-02")
    page.select_option("#id_unemployment_reason", "contract_ended")
    page.click("form.form-grid button[type=submit]")
    page.wait_for_url(f"**/persons/{person.pk}/")
    assert "登记失业" in page.locator("[data-testid=current-status]").inner_text()
    assert overflow(page) <= 0

    # Correct: the date was wrong; the entry is corrected with a reason, the old one stays, struck out.
    entry = Registration.objects.get(person=person, kind="unemployment")
    page.goto(f"{base}/persons/{person.pk}/registrations/{entry.pk}/correct/")
    page.fill("#id_reason", "日期录错")
    page.fill("#id_effective_date", "2026-03-09")
    page.click("form.form-grid button[type=submit]")
    page.wait_for_url(f"**/persons/{person.pk}/")
    assert page.locator("#timeline tr.superseded").count() == 1
    assert "日期录错" in page.locator("#timeline").inner_text()
    assert Registration.objects.get(corrects=entry).effective_date == datetime.date(2026, 3, 9)

    # Import: a roster of two new persons and one bad row; the batch page says what happened.
    roster = write_xlsx(tmp_path / "花名册.xlsx", [
        ["姓名", "公民身份号码", "联系电话", "户籍性质", "所在社区", "文化程度"],
        ["王一", make_id("610102", "19850101", "031"), "13900000001", "城镇", COMMUNITY_A1, "高中"],
        ["王二", make_id("610102", "19860202", "042"), "13900000002", "城镇", COMMUNITY_A1, "大学本科"],
        ["王三", "610102198603031234", "13900000003", "城镇", COMMUNITY_A1, "高中"],
    ], text_columns=[2])
    page.goto(f"{base}/imports/")
    page.select_option("#id_kind", "persons")
    page.set_input_files("#id_file", str(roster))
    page.uncheck("#id_dry_run")
    page.click("form.form-grid button[type=submit]")
    page.wait_for_url("**/imports/*/")
    stats = page.locator("main").inner_text()
    assert "新增" in stats and "拒绝" in stats
    assert overflow(page) <= 0
    from jiuye.imports.models import ImportBatch
    batch = ImportBatch.objects.latest("pk")
    assert (batch.imported, batch.rejected) == (2, 1)

    # Export: the community's list, exactly what it shows, masked, and audited.
    page.goto(f"{base}/persons/")
    total = int(page.locator("[data-testid=list-count]").get_attribute("data-total"))
    assert total == 6
    with page.expect_download() as info:
        page.click("[data-testid=export-form] button[type=submit]")
    sheet = load_workbook(io.BytesIO(open(info.value.path(), "rb").read())).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    text = repr(values)
    assert person.id_number not in text and "张晓燕" in text
    assert sum(1 for row in values if row and "张晓燕" in repr(row)) == 1
    assert AuditEntry.objects.filter(actor__username="cw_a1", action=AuditEntry.Action.EXPORT).exists()
