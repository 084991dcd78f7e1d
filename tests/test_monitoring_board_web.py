"""The warning board in the browser's terms and through the API: scope (another street's warning answers like a
missing one), actions by role, closing needs a response, filters and sort, export, the monitoring home and
the workbench's 预警 panel, API = web."""
from __future__ import annotations

import datetime
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from jiuye.accounts.models import AuditEntry
from jiuye.monitoring.models import Warning, WarningEvent, WarningLink
from jiuye.monitoring.services import warnings as services
from jiuye.registry import services as registry
from tests.monitoring_helpers import make_employer

from .conftest import COMMUNITY_A1, COMMUNITY_B1

D = datetime.date


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def _raise(key, region, level="orange", kind="mass_layoff", since=D(2026, 10, 1), title=None, **extra):
    w, _ = services.raise_warning(kind=kind, key=key, region_id=region, level=level, title=title or f"预警{key}",
                                  since=since, detail="测试预警", facts={"registrations": 20}, **extra)
    return w


@pytest.fixture
def board(regions):
    return {
        "a_red": _raise("a1", COMMUNITY_A1, "red", title="西一路红色预警"),
        "a_blue": _raise("a2", COMMUNITY_A1, "blue", kind="registered_rate", since=D(2026, 9, 1), title="西一路蓝色预警"),
        "b_yellow": _raise("b1", COMMUNITY_B1, "yellow", title="长乐中路黄色预警"),
    }


def test_street_officer_sees_only_their_streets_warnings(board, street_officer, other_street_officer, district_officer):
    page = _client(street_officer).get(reverse("web:warnings")).content.decode()
    assert "西一路红色预警" in page and "长乐中路黄色预警" not in page
    assert 'data-total="2"' in page
    assert "红色预警" in page and "level-red" in page  # the word beside the colour
    assert page.index("西一路红色预警") < page.index("西一路蓝色预警")  # red first
    district = _client(district_officer).get(reverse("web:warnings")).content.decode()
    assert 'data-total="3"' in district


def test_another_streets_warning_answers_like_a_missing_one(board, street_officer):
    c = _client(street_officer)
    other = c.get(reverse("web:warning", args=[board["b_yellow"].pk]))
    missing = c.get(reverse("web:warning", args=[999999]))
    assert other.status_code == missing.status_code == 404
    strip = lambda r: re.sub(r'(nonce|value)="[^"]*"', "", r.content.decode())  # noqa: E731  (per-request tokens)
    assert strip(other) == strip(missing)
    post = c.post(reverse("web:warning_action", args=[board["b_yellow"].pk, "acknowledge"]), {"note": ""})
    assert post.status_code == 404
    api_other = c.get(f"/api/v1/monitoring/warnings/{board['b_yellow'].pk}")
    api_missing = c.get("/api/v1/monitoring/warnings/999999")
    assert api_other.status_code == api_missing.status_code == 404 and api_other.json() == api_missing.json()


def test_acknowledge_note_and_close_with_the_response(board, street_officer):
    c = _client(street_officer)
    w = board["a_red"]
    url = lambda action: reverse("web:warning_action", args=[w.pk, action])  # noqa: E731
    r = c.post(url("acknowledge"), {"note": "已联系企业"})
    assert r.status_code == 302
    w.refresh_from_db()
    assert w.status == "acknowledged" and w.acknowledged_by == street_officer
    c.post(url("note"), {"note": "约谈企业负责人，了解裁员计划"})
    refused = c.post(url("close"), {"response": "  "})
    assert refused.status_code == 400 and "请填写处置措施" in refused.content.decode()
    w.refresh_from_db()
    assert w.status == "acknowledged"
    done = c.post(url("close"), {"response": "指导企业依法制定裁员方案，组织专场招聘会，办理失业保险金申领"})
    assert done.status_code == 302
    w.refresh_from_db()
    assert w.status == "closed" and "专场招聘会" in w.response
    page = c.get(reverse("web:warning", args=[w.pk])).content.decode()
    assert "已办结" in page and "约谈企业负责人" in page and 'data-testid="warning-actions"' not in page
    assert list(WarningEvent.objects.filter(warning=w).values_list("action", flat=True)) == [
        "raised", "acknowledged", "note", "closed"]
    assert AuditEntry.objects.filter(object_type="warning", object_id=str(w.pk), summary="办结预警").exists()
    board_page = c.get(reverse("web:warnings") + "?status=closed").content.decode()
    assert "西一路红色预警" in board_page and street_officer.display_name in board_page


def test_closing_before_acknowledging_is_refused(board, street_officer):
    r = _client(street_officer).post(reverse("web:warning_action", args=[board["a_red"].pk, "close"]),
                                     {"response": "已处理"})
    assert r.status_code == 400 and "请先认领" in r.content.decode()


def test_roles_that_may_read_but_not_handle(board, community_worker):
    c = _client(community_worker)
    page = c.get(reverse("web:warning", args=[board["a_red"].pk]))
    assert page.status_code == 200 and 'data-testid="warning-actions"' not in page.content.decode()
    r = c.post(reverse("web:warning_action", args=[board["a_red"].pk, "acknowledge"]), {"note": ""})
    assert r.status_code == 403
    api = c.post(f"/api/v1/monitoring/warnings/{board['a_red'].pk}/acknowledge", {"note": ""},
                 content_type="application/json")
    assert api.status_code == 403
    board["a_red"].refresh_from_db()
    assert board["a_red"].status == "open"


def test_filters_and_sort(board, district_officer):
    c = _client(district_officer)
    assert 'data-total="1"' in c.get(reverse("web:warnings") + "?kind=registered_rate").content.decode()
    assert 'data-total="1"' in c.get(reverse("web:warnings") + "?level=yellow").content.decode()
    assert 'data-total="1"' in c.get(reverse("web:warnings") + "?region=610102002000").content.decode()
    assert 'data-total="1"' in c.get(reverse("web:warnings") + "?date_to=2026-09-15").content.decode()
    page = c.get(reverse("web:warnings") + "?sort=since").content.decode()
    assert page.index("西一路蓝色预警") < page.index("西一路红色预警")


def test_export_is_what_the_board_shows(board, street_officer):
    r = _client(street_officer).get(reverse("web:warnings") + "?format=xlsx&sort=level")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.values)
    assert rows[0][:3] == ("预警等级", "预警类型", "预警事项")
    assert [row[2] for row in rows[1:]] == ["西一路红色预警", "西一路蓝色预警"]
    assert rows[1][0] == "红色"
    assert AuditEntry.objects.filter(action="export", object_type="warning").exists()


def test_api_list_equals_the_web_list(board, street_officer, district_officer):
    for user in (street_officer, district_officer):
        c = _client(user)
        for query in ("", "?status=all", "?level=red", "?sort=-since"):
            api = c.get("/api/v1/monitoring/warnings" + query).json()
            web = c.get(reverse("web:warnings") + query).content.decode()
            assert f'data-total="{api["count"]}"' in web
            titles = [w["title"] for w in api["items"]]
            positions = [web.index(t) for t in titles]
            assert positions == sorted(positions)
    assert c.get("/api/v1/monitoring/warnings?level=purple").status_code == 400


def test_api_handling_and_detail(board, street_officer, make_person, district_officer):
    c = _client(street_officer)
    w = board["a_red"]
    employer = make_employer(district_officer, n=31, industry_code="34")
    person = make_person()
    reg = registry.register_unemployment(actor=district_officer, person=person, effective_date=D(2026, 10, 2),
                                         unemployment_reason="dismissed", former_employer=employer)
    WarningLink.objects.create(warning=w, registration=reg)
    detail = c.get(f"/api/v1/monitoring/warnings/{w.pk}").json()
    assert detail["level_label"] == "红色" and detail["registrations"][0]["id_number_masked"].count("*") >= 8
    r = c.post(f"/api/v1/monitoring/warnings/{w.pk}/close", {"response": "办结"}, content_type="application/json")
    assert r.status_code == 422
    assert c.post(f"/api/v1/monitoring/warnings/{w.pk}/acknowledge", {}, content_type="application/json").status_code == 200
    r = c.post(f"/api/v1/monitoring/warnings/{w.pk}/close", {"response": ""}, content_type="application/json")
    assert r.status_code == 422 and "response" in r.json()["detail"]
    r = c.post(f"/api/v1/monitoring/warnings/{w.pk}/close", {"response": "已帮扶再就业"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "closed"
    page = c.get(reverse("web:warning", args=[w.pk])).content.decode()
    assert person.name in page and person.id_number not in page and reverse("web:person", args=[person.pk]) in page
    counts = c.get("/api/v1/monitoring/warnings/counts").json()
    assert counts["total"] == 1 and counts["by_level"]["blue"] == 1


def test_monitoring_home_and_workbench_panel(board, street_officer, auditor):
    c = _client(street_officer)
    home = c.get(reverse("web:monitoring")).content.decode()
    assert "西一路红色预警" in home and "长乐中路黄色预警" not in home
    assert home.index("西一路红色预警") < home.index("西一路蓝色预警")
    assert reverse("web:warnings") in home and reverse("web:rural_transfer") in home
    assert 'data-testid="monitoring-subnav"' in home and "农村劳动力转移就业" in home
    workbench = c.get(reverse("web:home")).content.decode()
    assert 'data-testid="home-warnings"' in workbench and "未办结预警 2 条" in workbench
    Warning.objects.update(status="closed")
    assert "未办结预警 0 条" in c.get(reverse("web:home")).content.decode()
