"""操作指南: a help page per role, reachable from every page, written for the worker."""
from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from jiuye.accounts.models import Role, User

from .conftest import COMMUNITY_A1, XINCHENG, _user
from .test_web import client_for

ROLES = [value for value, _label in Role.choices]


def text_of(response) -> str:
    """The visible text of the page's guide (tags removed)."""
    html = response.content.decode()
    body = html.split('class="help"', 1)[1].split(">", 1)[1].split('<footer', 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


@pytest.mark.django_db
def test_every_role_has_its_own_guide_linking_to_the_others(regions):
    c = Client()
    for value, label in Role.choices:
        response = c.get(reverse("web:help_role", args=[value]))
        assert response.status_code == 200, value
        html = response.content.decode()
        assert f"<strong aria-current=\"page\">{label}</strong>" in html
        for other in ROLES:
            if other != value:
                assert reverse("web:help_role", args=[other]) in html
        assert "找谁问" in text_of(response)
    assert c.get(reverse("web:help_role", args=["nobody"])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_help_shows_the_users_own_role(regions, role):
    region = {Role.EMPLOYER_USER: None, Role.RESIDENT: None}.get(role, COMMUNITY_A1 if role == Role.COMMUNITY_WORKER else XINCHENG)
    user = _user(f"u_{role}", role, region)
    response = client_for(user).get(reverse("web:help"))
    assert response.status_code == 200
    assert response.context["guide"].slug == role
    assert '<span class="tag">本人角色</span>' in response.content.decode()


@pytest.mark.django_db
def test_before_login_help_is_the_general_page_linked_from_the_login_page(regions):
    c = Client()
    login = c.get(reverse("web:login")).content.decode()
    assert f'href="{reverse("web:help")}"' in login and "查看操作指南" in login
    response = c.get(reverse("web:help"))
    assert response.context["guide"].slug == "general"
    text = text_of(response)
    # Numbers a worker relies on come from the settings the guide describes.
    assert "连续输错 5 次，账号会被锁定 30 分钟" in text
    assert "至少 10 位" in text
    assert "遇到问题找谁" in text


@pytest.mark.django_db
def test_lockout_numbers_follow_the_settings(regions, settings):
    import datetime

    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
    text = text_of(Client().get(reverse("web:help_role", args=["general"])))
    assert "连续输错 3 次，账号会被锁定 15 分钟" in text


PAGES = ["web:home", "web:person_search", "web:household_search", "web:employer_search", "web:imports", "web:audit",
         "web:users", "web:password_change", "web:help"]


@pytest.mark.django_db
def test_every_page_links_to_the_guide(district_officer):
    c = client_for(district_officer)
    for name in PAGES:
        html = c.get(reverse(name)).content.decode()
        assert f'<a class="btn-link" href="{reverse("web:help")}" data-testid="help-link">操作指南</a>' in html, name


@pytest.mark.django_db
def test_community_worker_guide_covers_the_daily_tasks(regions):
    text = text_of(Client().get(reverse("web:help_role", args=["community_worker"])))
    for task in ["查找一个人", "新建人员档案", "办理就业登记、失业登记、终止状态", "改正录错的信息", "更正/作废",
                 "导入台账（Excel）并看懂错误报告", "下载错误报告", "导出名单", "状态和标记是什么意思",
                 "已终止", "未登记", "零就业家庭", "就业困难人员"]:
        assert task in text, task
    # Written for the worker: no developer words.
    for word in ["API", "JSON", "CSV 编码", "数据库", "Django", "None"]:
        assert word not in text, word


@pytest.mark.django_db
def test_guides_name_the_buttons_the_pages_really_have(district_officer, make_person):
    """The guide's step names are the labels on the pages it describes."""
    person = make_person()
    c = client_for(district_officer)
    person_page = c.get(reverse("web:person", args=[person.pk])).content.decode()
    for button in ["就业登记", "失业登记", "终止状态", "修改信息", "显示完整号码", "查询该日状态", "就业创业证",
                   "迁出（移交其他社区）"]:
        assert button in person_page, button
    imports_page = c.get(reverse("web:imports")).content.decode()
    for label in ["导入类型", "仅校验，不写入", "上传并处理"]:
        assert label in imports_page, label
    guide = text_of(Client().get(reverse("web:help_role", args=["district_officer"])))
    for label in ["就业登记", "终止状态", "修改信息", "显示完整号码", "仅校验，不写入", "上传并处理", "用户管理", "审计日志",
                  "导出Excel", "打印就业创业证", "补发/换发", "迁出（移交其他社区）", "人员迁移"]:
        assert label in guide, label


@pytest.mark.django_db
def test_guides_hold_no_english_and_menu_roles_only_see_their_tasks(regions):
    c = Client()
    for role in ["general", *ROLES]:
        text = text_of(c.get(reverse("web:help_role", args=[role])))
        words = set(re.findall(r"[A-Za-z]{3,}", text)) - {"Excel", "xlsx", "xls", "csv", "Word", "docx", "PDF", "WPS"}  # file types a worker sees
        assert not words, (role, words)
    resident = text_of(c.get(reverse("web:help_role", args=["resident"])))
    assert "用户管理" not in resident and "数据导入" not in resident and "本人档案" in resident
    employer = text_of(c.get(reverse("web:help_role", args=["employer_user"])))
    assert "本单位信息" in employer and "审计日志" not in employer
