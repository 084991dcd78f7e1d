"""Finding 9(c)(d): a favicon served by the app (offline), and the admin branded and in Chinese."""
from __future__ import annotations

import re
import struct

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from jiuye.accounts.models import AuditEntry, Role, User

ICONS = ['<link rel="icon" href="/static/web/favicon.svg" type="image/svg+xml">',
         '<link rel="icon" href="/static/web/favicon.ico" sizes="16x16 32x32 48x48">',
         '<link rel="apple-touch-icon" href="/static/web/favicon.png">']


@pytest.fixture
def superuser(db):
    user = User(username="root", role=Role.CITY_OFFICER, is_staff=True, is_superuser=True)
    user.set_password("pass-12345678")
    user._audited = True
    user.save()
    return user


def test_favicon_files_are_real_images():
    svg = open(finders.find("web/favicon.svg"), encoding="utf-8").read()
    assert svg.startswith("<svg") and "http://" not in svg.replace("http://www.w3.org/2000/svg", "")
    png = open(finders.find("web/favicon.png"), "rb").read()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (180, 180)
    ico = open(finders.find("web/favicon.ico"), "rb").read()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind, count) == (0, 1, 3)
    sizes = [ico[6 + 16 * i] for i in range(count)]
    assert sizes == [16, 32, 48]


def test_favicon_drawing_is_reproducible(tmp_path, monkeypatch):
    """scripts/make_favicon.py writes exactly the committed files."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "make_favicon", Path(__file__).resolve().parent.parent / "scripts" / "make_favicon.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "OUT", tmp_path)
    module.main()
    for name in ("favicon.svg", "favicon.png", "favicon.ico"):
        assert (tmp_path / name).read_bytes() == open(finders.find(f"web/{name}"), "rb").read(), name


@pytest.mark.django_db
def test_favicon_is_served_and_linked_on_the_login_page():
    c = Client()
    html = c.get(reverse("web:login")).content.decode()
    for link in ICONS:
        assert link in html
    response = c.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/web/favicon.ico"
    served = c.get("/static/web/favicon.svg")
    assert served.status_code == 200 and b"<svg" in b"".join(served.streaming_content)


@pytest.mark.django_db
def test_admin_is_branded_and_chinese_with_an_english_browser(superuser):
    c = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    login = c.get("/admin/login/").content.decode()
    assert "就业 · 公共就业服务平台管理" in login
    assert "Django" not in login and "Log in" not in login and "Password" not in login
    for link in ICONS:
        assert link in login
    c.force_login(superuser)
    index = c.get("/admin/").content.decode()
    title = re.search(r"<title>(.*?)</title>", index, re.S).group(1)
    assert title.strip() == "数据与账号管理 | 就业平台管理"
    assert "就业 · 公共就业服务平台管理" in index and "Django" not in index
    assert "Site administration" not in index and "Recent actions" not in index
    change = c.get("/admin/regions/region/").content.decode()
    assert "就业平台管理" in change and ICONS[0] in change and "Django" not in change


def visible_words(html: str) -> set[str]:
    """Latin words a person reads on an admin page (scripts, styles, tags and entities removed)."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>|&[a-z]+;|&#\d+;", " ", text)
    return set(re.findall(r"[A-Za-z]{3,}", text))


@pytest.mark.django_db
def test_admin_lists_are_chinese_with_an_english_browser(superuser):
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(superuser)
    index = c.get("/admin/").content.decode()
    assert visible_words(index) <= {"root"}, visible_words(index)
    lists = sorted(set(re.findall(r'href="(/admin/[a-z_]+/[a-z_]+/)"', index)))
    assert "/admin/django_tasks_database/dbtaskresult/" in lists and len(lists) > 8
    for path in lists:
        html = c.get(path).content.decode()
        # Values stored in the records (the audit log's object types and channels) are data, not labels.
        data = {w for row in AuditEntry.objects.values_list("object_type", "channel", "actor_name")
                for value in row for w in re.findall(r"[A-Za-z]{3,}", value or "")}
        words = visible_words(html) - data - {"root"}
        assert not words, (path, words)
    # The user page: our section title in Chinese (permission names are rows Django stores in English).
    change = c.get(f"/admin/accounts/user/{superuser.pk}/change/").content.decode()
    assert "岗位与区划" in change and "Jiuye" not in change


def test_locale_catalogue_is_compiled():
    """jiuye/locale's .mo holds every translation of its .po (run msgfmt after editing the .po)."""
    import gettext
    from pathlib import Path

    folder = Path(__file__).resolve().parent.parent / "jiuye" / "locale" / "zh_Hans" / "LC_MESSAGES"
    po = (folder / "django.po").read_text(encoding="utf-8")
    with open(folder / "django.mo", "rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    entries = re.findall(r'(?:msgctxt "([^"]*)"\n)?msgid "([^"]+)"\nmsgstr "([^"]+)"', po)
    assert len(entries) > 20
    for context, msgid, msgstr in entries:
        got = catalogue.pgettext(context, msgid) if context else catalogue.gettext(msgid)
        assert got == msgstr, msgid
