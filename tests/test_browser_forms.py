"""A community worker, on a phone (390 px) and at a desk (1366 px), registers a new employer, creates a
household and adds two members, in a real browser; every page fits the screen."""
from __future__ import annotations

import pytest
from stdnum.cn import uscc

from jiuye.registry.models import Employer, Household

from .conftest import COMMUNITY_A1
from .test_browser import browser_page  # noqa: F401  (the Debian-chromium page fixture)
from .test_browser_responsive import DESKTOP, PHONE, WIDTHS, login, overflow

pytestmark = [pytest.mark.browser]


def credit_code(body9: str) -> str:
    body = f"91610102{body9}"
    return body + uscc.calc_check_digit(body)


@WIDTHS
def test_worker_registers_an_employer_and_a_household_with_two_members(transactional_db, live_server, browser_page,
                                                                       viewport, community_worker, make_person):
    page, base = browser_page, live_server.url
    page.set_viewport_size(viewport)
    head = make_person(region=COMMUNITY_A1, name="王建国")
    spouse = make_person(region=COMMUNITY_A1, name="李秀英", seq="024")
    login(page, base, "cw_a1")

    # 新建单位: a wrong check character first, its own message at once; then the right code.
    page.goto(f"{base}/employers/")
    page.click("text=新建单位")
    page.wait_for_url(f"{base}/employers/new/")
    assert overflow(page) <= 0
    code = credit_code("765432109")
    page.fill("#id_credit_code", code[:17] + ("0" if code[17] != "0" else "1"))
    page.fill("#id_name", "西安邻里便利店有限公司")
    page.fill("#id_contact_phone", "1234")
    page.click("main button.btn-primary")
    errors = page.inner_text("main")
    assert f"校验位错误（应为{code[17]}）" in errors and "不是有效的电话号码" in errors
    page.fill("#id_credit_code", code)
    page.fill("#id_contact_phone", "029-87654321")
    page.select_option("#id_industry_code", "52")
    page.click("main button.btn-primary")
    page.wait_for_url(f"{base}/employers/*/")
    assert "52 零售业" in page.inner_text("main")
    assert Employer.objects.get(credit_code=code).region_id == COMMUNITY_A1  # the single community, preselected
    assert overflow(page) <= 0

    # 新建家庭户: the number is generated, the community preselected.
    page.goto(f"{base}/households/")
    page.click("text=新建家庭户")
    page.wait_for_url(f"{base}/households/new/")
    assert overflow(page) <= 0
    page.fill("#id_address", "长乐社区3号楼2单元")
    page.click("main button.btn-primary")
    page.wait_for_url(f"{base}/households/*/")
    household = Household.objects.get()
    assert household.number.startswith(COMMUNITY_A1 + "-")

    # Two members: the first is 户主 by default, the second must be given a relation.
    assert page.input_value("#id_add-relation") == "head"
    page.fill("#id_add-id_number", head.id_number)
    page.click("main button:text('添加')")
    page.wait_for_selector("text=已将王建国加入本户")
    assert page.input_value("#id_add-relation") == ""
    page.fill("#id_add-id_number", spouse.id_number)
    page.select_option("#id_add-relation", "spouse")
    page.click("main button:text('添加')")
    page.wait_for_selector("text=已将李秀英加入本户")
    members = page.inner_text("main")
    assert "王建国" in members and "李秀英" in members
    assert sorted(household.memberships.values_list("relation", flat=True)) == ["head", "spouse"]
    page.wait_for_load_state("load")  # measured once the page and its stylesheet have loaded
    assert overflow(page) <= 0, viewport
