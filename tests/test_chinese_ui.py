"""Issue 7, finding 7: Simplified Chinese whatever the browser's language; status labels that tell
未登记 (never registered) from 已终止 (ended, with the reason); banners that match what happened; code
tables shown by name."""
from __future__ import annotations

import datetime

from django.contrib.messages import constants
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from jiuye.imports.models import ImportBatch
from jiuye.registry import services
from jiuye.registry.industries import DIVISIONS, SECTIONS, industry_label
from jiuye.registry.status import status_label

from .test_web import PASSWORD, client_for, credit_code, world  # noqa: F401  (fixture)
from .conftest import COMMUNITY_A1


def test_login_errors_in_chinese_with_an_english_browser(community_worker):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(reverse("web:login"),
                                                      {"username": "cw_a1", "password": "wrong-password-1"})
    html = response.content.decode()
    assert "Please enter a correct" not in html
    assert "密码" in " ".join(response.context["form"].non_field_errors())
    assert response.headers.get("Content-Language", "zh-hans") == "zh-hans"


def test_required_field_message_in_chinese_with_an_english_browser(community_worker):
    c = client_for(community_worker)
    c.defaults["HTTP_ACCEPT_LANGUAGE"] = "en-US,en;q=0.9"
    response = c.post(reverse("web:person_create"), {})
    html = response.content.decode()
    assert "This field is required." not in html
    assert "这个字段是必填项" in html


def test_status_labels_tell_never_registered_from_ended(world, district_officer, make_person):
    a = world["a"]
    services.register_employment(actor=district_officer, person=a, effective_date=datetime.date(2024, 6, 1),
                                 employment_form="unit", employer=world["employer"])
    services.end_status(actor=district_officer, person=a, effective_date=datetime.date(2024, 9, 1),
                        ending_reason="job_ended")
    never = make_person(name="王五")
    c = client_for(district_officer)
    page = c.get(reverse("web:person", args=[a.pk]))
    assert page.context["status_label"] == "已终止（就业终止）"
    assert "已终止（就业终止）" in page.content.decode()
    assert c.get(reverse("web:person", args=[never.pk])).context["status_label"] == "未登记"
    listing = c.get(reverse("web:person_search"), {"q": "张三"}).content.decode()
    assert "已终止" in listing and ">未登记<" not in listing
    assert "未登记或已终止" in listing  # the status filter's option covers both
    items = c.get("/api/v1/persons", {"q": "张三"}).json()["items"]
    assert [i["employment_status_label"] for i in items] == ["已终止"]
    # On a date before the ending, and the rule itself.
    assert status_label("none") == "未登记"
    assert status_label("none", datetime.date(2024, 9, 1)) == "已终止"
    assert status_label("none", datetime.date(2024, 9, 1), "not_seeking") == "已终止（无就业意愿）"
    assert status_label("employed", datetime.date(2024, 9, 1)) == "就业"


def test_unusable_file_is_not_a_green_banner(world, community_worker, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("乱码.csv", "甲,乙\n1,2\n".encode(), content_type="text/csv")
    response = client_for(community_worker).post(reverse("web:imports"), {"kind": "persons", "file": upload},
                                                 follow=True)
    batch = ImportBatch.objects.latest("id")
    assert batch.status == ImportBatch.Status.UNUSABLE
    levels = [m.level for m in response.context["messages"]]
    assert levels == [constants.ERROR]
    assert "msg-error" in response.content.decode() and "msg-success" not in response.content.decode()


def test_employer_page_shows_the_industry_by_name(world, district_officer):
    employer = services.create_employer(actor=district_officer, credit_code=credit_code("987654321"),
                                        name="长乐家政服务有限公司", region=COMMUNITY_A1, industry_code="80")
    html = client_for(district_officer).get(reverse("web:employer", args=[employer.pk])).content.decode()
    assert "居民服务业" in html and "居民服务、修理和其他服务业" in html


def test_industry_table_is_complete():
    assert len(DIVISIONS) == 97 and sorted(DIVISIONS) == [f"{n:02d}" for n in range(1, 98)]
    assert sorted(n for low, high in SECTIONS.values() for n in range(low, high + 1)) == list(range(1, 98))
    assert industry_label("80") == "O 居民服务、修理和其他服务业 / 80 居民服务业"
    assert industry_label("1310").startswith("C 制造业 / 13 农副食品加工业")
    assert industry_label("") == "" and industry_label("99") == "99"
