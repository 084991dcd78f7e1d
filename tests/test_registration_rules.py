"""Issue 7, finding 2: registration rules that protect the history, shared by web, API and import.

Each rule is reproduced through the web form, the API and (where it applies) the import:
- a new entry dated before the person's latest counting entry is refused, the message offers a
  correction (the import may still insert older ledger rows where they fit the history);
- no second unemployment registration while registered unemployed;
- an ending does not come before the status it ends began;
- an unemployment registration for a person marked unable/unwilling to work needs a confirmation,
  recorded in the audit;
- dates before the 16th birthday and dates in the future are refused.
"""
from __future__ import annotations

import datetime
import json

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jiuye.accounts.models import AuditEntry
from jiuye.imports.services import run_import
from jiuye.registry import services
from jiuye.registry.models import Registration

from .import_files import read_report, write_xlsx

TODAY = timezone.localdate()
REG_HEADER = ["公民身份号码", "姓名", "登记类型", "登记日期", "单位统一社会信用代码", "就业形式", "合同类型", "合同期限（月）",
              "是否缴纳社保", "工种", "失业原因", "终止原因"]


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def report(batch):
    return read_report(settings.MEDIA_ROOT / batch.report_file) if batch.report_file else []


def web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_post(user, person, body: dict):
    return web(user).post(f"/api/v1/persons/{person.pk}/registrations", json.dumps(body),
                          content_type="application/json")


def post_form(user, name: str, person, data: dict):
    return web(user).post(reverse(f"web:{name}", args=[person.pk]), data)


def import_rows(tmp_path, rows):
    return run_import(kind="registrations", path=write_xlsx(tmp_path / "r.xlsx", [REG_HEADER, *rows]), actor=None)


def kinds_and_dates(person):
    return sorted((e.kind, e.effective_date) for e in Registration.objects.filter(person=person))


@pytest.fixture
def unemployed(make_person, district_officer):
    """Registered unemployed since 2024-01-10."""
    person = make_person(name="王五")
    services.register_unemployment(actor=district_officer, person=person, effective_date=datetime.date(2024, 1, 10),
                                   unemployment_reason="contract_ended")
    return person


@pytest.fixture
def employed(make_person, district_officer):
    """Employed (flexible) since 2024-06-01."""
    person = make_person(name="赵六")
    services.register_employment(actor=district_officer, person=person, effective_date=datetime.date(2024, 6, 1),
                                 employment_form="flexible")
    return person


# ---------------------------------------------------------------------------------------------
# A new entry dated before the latest counting entry


def test_web_refuses_employment_dated_before_the_current_unemployment(unemployed, community_worker):
    response = post_form(community_worker, "register_employment", unemployed,
                         {"effective_date": "2023-12-01", "employment_form": "flexible"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "早于本人最近一次登记" in text and "更正" in text
    assert kinds_and_dates(unemployed) == [("unemployment", datetime.date(2024, 1, 10))]


def test_api_refuses_employment_dated_before_the_current_unemployment(unemployed, community_worker):
    response = api_post(community_worker, unemployed,
                        {"kind": "employment", "effective_date": "2023-12-01", "employment_form": "flexible"})
    assert response.status_code == 422
    assert "更正" in response.json()["detail"]["effective_date"][0]
    assert kinds_and_dates(unemployed) == [("unemployment", datetime.date(2024, 1, 10))]


def test_an_entry_on_the_latest_date_or_later_is_accepted(unemployed, community_worker):
    response = api_post(community_worker, unemployed,
                        {"kind": "employment", "effective_date": "2024-01-10", "employment_form": "flexible"})
    assert response.status_code == 201, response.content


def test_a_correction_may_still_move_an_entry_back(unemployed, district_officer):
    entry = Registration.objects.get(person=unemployed)
    services.correct_registration(actor=district_officer, registration=entry, reason="日期填错",
                                  effective_date=datetime.date(2023, 12, 1))
    unemployed.refresh_from_db()
    assert unemployed.status_since == datetime.date(2023, 12, 1)


def test_the_import_inserts_an_older_ledger_row_that_fits_the_history(unemployed, tmp_path):
    """Historical ledgers: an employment that ended in the unemployment already registered fits in order."""
    batch = import_rows(tmp_path, [[unemployed.id_number, "", "就业", "2023-05-01", "", "灵活就业", "", "", "", "", "", ""]])
    assert batch.imported == 1 and report(batch) == []
    unemployed.refresh_from_db()
    assert unemployed.employment_status == "unemployed"
    entry = AuditEntry.objects.filter(object_id=str(unemployed.pk), action="register").latest("pk")
    assert entry.changes["import_batch"] == batch.pk  # the batch is the recorded reason


# ---------------------------------------------------------------------------------------------
# No second unemployment registration while registered unemployed


def test_web_refuses_a_second_unemployment_registration(unemployed, community_worker):
    response = post_form(community_worker, "register_unemployment", unemployed,
                         {"effective_date": "2024-03-01", "unemployment_reason": "resigned"})
    assert response.status_code == 200
    assert "不能重复办理失业登记" in response.content.decode()
    assert len(kinds_and_dates(unemployed)) == 1


def test_api_refuses_a_second_unemployment_registration(unemployed, community_worker):
    response = api_post(community_worker, unemployed,
                        {"kind": "unemployment", "effective_date": "2024-03-01", "unemployment_reason": "resigned"})
    assert response.status_code == 422
    assert "不能重复办理失业登记" in response.json()["detail"]["effective_date"][0]


def test_the_import_refuses_a_second_unemployment_registration(unemployed, tmp_path):
    batch = import_rows(tmp_path, [[unemployed.id_number, "", "失业", "2024-03-01", "", "", "", "", "", "", "辞职", ""]])
    assert batch.imported == 0
    assert [(r[0], "不能重复办理失业登记" in r[3]) for r in report(batch)] == [(2, True)]


def test_the_import_refuses_two_unemployment_rows_in_one_file(make_person, tmp_path):
    person = make_person()
    batch = import_rows(tmp_path, [
        [person.id_number, "", "失业", "2024-01-01", "", "", "", "", "", "", "辞职", ""],
        [person.id_number, "", "失业", "2024-02-01", "", "", "", "", "", "", "被辞退", ""],
    ])
    assert batch.imported == 1
    assert [r[0] for r in report(batch)] == [3]


def test_unemployment_after_an_employment_is_accepted(employed, community_worker):
    response = api_post(community_worker, employed,
                        {"kind": "unemployment", "effective_date": "2024-09-01", "unemployment_reason": "resigned"})
    assert response.status_code == 201, response.content


# ---------------------------------------------------------------------------------------------
# An ending follows what it ends


def test_web_refuses_an_ending_dated_before_the_current_employment(employed, community_worker):
    response = post_form(community_worker, "end_status", employed,
                         {"effective_date": "2024-03-01", "ending_reason": "school"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "早于当前状态" in text and "已终止" not in text
    employed.refresh_from_db()
    assert employed.employment_status == "employed"


def test_api_refuses_an_ending_dated_before_the_current_employment(employed, community_worker):
    response = api_post(community_worker, employed,
                        {"kind": "ending", "effective_date": "2024-03-01", "ending_reason": "school"})
    assert response.status_code == 422
    assert "早于当前状态" in response.json()["detail"]["effective_date"][0]


def test_an_ending_after_the_status_began_is_accepted(employed, community_worker):
    response = post_form(community_worker, "end_status", employed,
                         {"effective_date": "2024-08-01", "ending_reason": "school"})
    assert response.status_code == 302
    employed.refresh_from_db()
    assert employed.employment_status != "employed"


# ---------------------------------------------------------------------------------------------
# Unable or unwilling to work: confirmation, recorded


@pytest.fixture
def unwilling(make_person):
    return make_person(name="钱七", willing_to_work=False)


def test_web_form_warns_and_asks_for_confirmation(unwilling, community_worker):
    client = web(community_worker)
    url = reverse("web:register_unemployment", args=[unwilling.pk])
    page = client.get(url).content.decode()
    assert "无就业意愿" in page and 'name="confirm"' in page
    refused = client.post(url, {"effective_date": "2024-03-01", "unemployment_reason": "resigned"})
    assert refused.status_code == 200 and "请勾选确认" in refused.content.decode()
    assert not Registration.objects.filter(person=unwilling).exists()
    accepted = client.post(url, {"effective_date": "2024-03-01", "unemployment_reason": "resigned", "confirm": "on"})
    assert accepted.status_code == 302
    entry = AuditEntry.objects.filter(object_id=str(unwilling.pk), action="register").latest("pk")
    assert entry.changes["confirmed"] == ["willing_to_work"]


def test_web_form_has_no_checkbox_for_a_willing_person(unemployed, community_worker):
    page = web(community_worker).get(reverse("web:register_unemployment", args=[unemployed.pk])).content.decode()
    assert 'name="confirm"' not in page


def test_api_needs_confirm_true(make_person, community_worker):
    person = make_person(able_to_work=False)
    body = {"kind": "unemployment", "effective_date": "2024-03-01", "unemployment_reason": "resigned"}
    refused = api_post(community_worker, person, body)
    assert refused.status_code == 422 and "无劳动能力" in refused.json()["detail"]["confirm"][0]
    accepted = api_post(community_worker, person, {**body, "confirm": True})
    assert accepted.status_code == 201, accepted.content
    entry = AuditEntry.objects.filter(object_id=str(person.pk), action="register").latest("pk")
    assert entry.changes["confirmed"] == ["able_to_work"]


# ---------------------------------------------------------------------------------------------
# Under 16, in the future


def test_web_and_api_refuse_dates_before_the_16th_birthday(make_person, community_worker, tmp_path):
    young = make_person(birth="20080301")
    response = post_form(community_worker, "register_unemployment", young,
                         {"effective_date": "2024-02-29", "unemployment_reason": "resigned"})
    assert "未满16周岁" in response.content.decode()
    response = api_post(community_worker, young,
                        {"kind": "employment", "effective_date": "2024-02-29", "employment_form": "flexible"})
    assert response.status_code == 422 and "未满16周岁" in response.json()["detail"]["effective_date"][0]
    batch = import_rows(tmp_path, [[young.id_number, "", "失业", "2024-02-29", "", "", "", "", "", "", "辞职", ""]])
    assert batch.imported == 0 and "未满16周岁" in report(batch)[0][3]
    assert not Registration.objects.filter(person=young).exists()


def test_web_api_and_import_refuse_dates_in_the_future(make_person, community_worker, tmp_path):
    person = make_person()
    tomorrow = (TODAY + datetime.timedelta(days=1)).isoformat()
    response = post_form(community_worker, "register_employment", person,
                         {"effective_date": tomorrow, "employment_form": "flexible"})
    assert "晚于今天" in response.content.decode()
    response = api_post(community_worker, person,
                        {"kind": "unemployment", "effective_date": tomorrow, "unemployment_reason": "resigned"})
    assert response.status_code == 422 and "晚于今天" in response.json()["detail"]["effective_date"][0]
    batch = import_rows(tmp_path, [[person.id_number, "", "失业", tomorrow, "", "", "", "", "", "", "辞职", ""]])
    assert batch.imported == 0 and "晚于今天" in report(batch)[0][3]
    assert not Registration.objects.filter(person=person).exists()
