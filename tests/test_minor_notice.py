"""Finding 11: "a record for a person born today is accepted without a word". A person record of
someone under 16 (below working age) is still accepted (children are household members), but the
person form, the API and the import say so in Chinese; a birth date in the future stays refused."""
from __future__ import annotations

import json

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from dateutil.relativedelta import relativedelta

from jiuye.imports.services import run_import
from jiuye.registry.models import Person
from jiuye.registry.retirement import under_working_age_notice

from .conftest import COMMUNITY_A1, make_id
from .import_files import write_csv, write_xlsx

HEADER = ["姓名", "公民身份号码", "户籍性质", "所在社区"]
NOTICE = "未满16周岁"


def born(days_before_today: int = 0, years: int = 0) -> str:
    date = timezone.localdate() - relativedelta(years=years) - relativedelta(days=days_before_today)
    return date.strftime("%Y%m%d")


def notes_of(batch, media) -> list[tuple]:
    book = load_workbook(media / batch.report_file, read_only=True)
    if "提示" not in book.sheetnames:
        return []
    return [tuple(r) for r in book["提示"].iter_rows(min_row=2, values_only=True)]


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_the_rule_counts_from_the_16th_birthday():
    today = timezone.localdate()
    assert NOTICE in under_working_age_notice(today, today)
    sixteen = today - relativedelta(years=16)
    assert under_working_age_notice(sixteen, today) is None
    assert NOTICE in under_working_age_notice(sixteen + relativedelta(days=1), today)


def test_person_form_warns_for_a_person_born_today(client, community_worker):
    number = make_id("610102", born(), "011")
    client.force_login(community_worker)
    response = client.post(reverse("web:person_create"), {
        "id_number": number, "name": "新生儿", "hukou_type": "urban", "region": COMMUNITY_A1, "poverty_status": "none",
    })
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    person = Person.objects.get(id_number=number)
    shown = [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]
    assert ("warning", under_working_age_notice(person.birth_date, timezone.localdate())) in shown
    assert any(level == "success" for level, _text in shown)
    page = client.get(response["Location"]).content.decode()
    assert NOTICE in page


def test_person_form_says_nothing_for_an_adult(client, community_worker):
    client.force_login(community_worker)
    response = client.post(reverse("web:person_create"), {
        "id_number": make_id("610102", "19900307", "011"), "name": "成年人", "hukou_type": "urban",
        "region": COMMUNITY_A1, "poverty_status": "none",
    })
    assert response.status_code == 302
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["success"]


def test_api_create_returns_the_notice(client, community_worker):
    client.force_login(community_worker)
    child = client.post("/api/v1/persons", json.dumps({
        "id_number": make_id("610102", born(), "011"), "name": "新生儿", "region_code": COMMUNITY_A1,
        "hukou_type": "urban"}), content_type="application/json")
    assert child.status_code == 201, child.content
    assert len(child.json()["notices"]) == 1 and NOTICE in child.json()["notices"][0]
    assert child.json()["working_age"] is False
    adult = client.post("/api/v1/persons", json.dumps({
        "id_number": make_id("610102", "19900307", "013"), "name": "成年人", "region_code": COMMUNITY_A1,
        "hukou_type": "urban"}), content_type="application/json")
    assert adult.status_code == 201 and adult.json()["notices"] == []


def test_a_birth_date_in_the_future_is_still_refused(client, community_worker):
    client.force_login(community_worker)
    response = client.post("/api/v1/persons", json.dumps({
        "id_number": make_id("610102", (timezone.localdate() + relativedelta(days=1)).strftime("%Y%m%d"), "011"),
        "name": "未出生", "region_code": COMMUNITY_A1, "hukou_type": "urban"}), content_type="application/json")
    assert response.status_code in (400, 422) and not Person.objects.exists()


@pytest.mark.parametrize("parallel", [False, True])
def test_import_notes_persons_under_16(regions, media, tmp_path, street_officer, monkeypatch, parallel):
    from jiuye.imports import services as pipeline
    from jiuye.registry.importers.persons import PersonImporter

    if parallel:  # validated in the forked reader: its notes travel with the chunk
        monkeypatch.setattr(pipeline, "PARALLEL_THRESHOLD", 0)
        monkeypatch.setattr(pipeline, "_can_fork", lambda: True)
        monkeypatch.setattr(PersonImporter, "chunk_size", 3)
    today = make_id("610102", born(), "011")
    almost = make_id("610102", born(years=16, days_before_today=-1), "013")  # 16 tomorrow
    sixteen = make_id("610102", born(years=16), "015")  # 16 today
    adults = [make_id("610102", "19900307", f"{i:03d}") for i in range(21, 31, 2)]
    rows = [HEADER, ["新生儿", today, "城镇", "长乐社区"], ["明天满十六", almost, "城镇", "长乐社区"],
            ["今天满十六", sixteen, "城镇", "长乐社区"], *[["成年人", n, "城镇", "长乐社区"] for n in adults],
            ["性别不符的孩子", make_id("610102", born(days_before_today=3), "017"), "城镇", "长乐社区"]]
    rows[0] = HEADER + ["性别"]
    rows = [rows[0]] + [r + ["女" if r[0] == "性别不符的孩子" else ""] for r in rows[1:]]
    for write, name in ((write_xlsx, "p.xlsx"), (write_csv, "p.csv")):
        Person.objects.all().delete()
        batch = run_import(kind="persons", path=write(tmp_path / name, rows), actor=street_officer)
        assert (batch.imported, batch.rejected) == (8, 1), batch.summary_line()
        notes = notes_of(batch, media)
        assert [(r[0], r[1], r[2]) for r in notes] == [(2, "公民身份号码", today), (3, "公民身份号码", almost),
                                                       (10, "公民身份号码", rows[9][1])]
        assert all(NOTICE in r[3] for r in notes)
    dry = run_import(kind="persons", path=write_csv(tmp_path / "d.csv", rows[:2]), actor=street_officer, dry_run=True)
    assert [r[0] for r in notes_of(dry, media)] == [2]
