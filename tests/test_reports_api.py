"""The reports API: request a run, poll it, download (audited), regenerate as known on, scope, schedules."""
from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from jiuye.accounts.models import AuditEntry
from tests.conftest import STREET_A, STREET_B, XINCHENG


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def client_for(user):
    c = Client(raise_request_exception=False)
    c.force_login(user)
    return c


def test_request_poll_download_regenerate(district_officer):
    c = client_for(district_officer)
    r = c.post("/api/v1/reports/runs", {"kind": "monthly", "region_code": "610102", "period": "2020-06",
                                        "format": "xlsx"}, content_type="application/json")
    assert r.status_code == 201, r.content
    run = r.json()
    assert run["status"] == "done" and run["region_code"] == XINCHENG and run["sha256"]
    assert any("就业登记" in line for line in run["summary"])
    f = c.get(f"/api/v1/reports/runs/{run['id']}/file")
    assert f.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(f.streaming_content)))
    assert sum(len(ws._charts) for ws in wb.worksheets) >= 2
    assert AuditEntry.objects.filter(action="export", object_id=str(run["id"])).count() == 1
    again = c.post(f"/api/v1/reports/runs/{run['id']}/regenerate", {"format": "docx"}, content_type="application/json")
    assert again.status_code == 201
    assert again.json()["known_on"] == run["known_on"] and again.json()["format"] == "docx"
    listing = c.get("/api/v1/reports/runs?kind=monthly").json()
    assert listing["count"] == 2


def test_bad_period_names_the_field(district_officer):
    r = client_for(district_officer).post("/api/v1/reports/runs", {"kind": "monthly", "period": "2020"},
                                          content_type="application/json")
    assert r.status_code == 400 or r.status_code == 422
    assert "period" in r.content.decode()


def test_scope_of_runs_and_schedules(street_officer, other_street_officer):
    mine = client_for(other_street_officer).post("/api/v1/reports/runs", {"kind": "weekly", "region_code": STREET_B,
                                                                          "period": "2020-W24"},
                                                 content_type="application/json").json()
    c = client_for(street_officer)
    assert c.get(f"/api/v1/reports/runs/{mine['id']}").status_code == 404
    assert c.get(f"/api/v1/reports/runs/{mine['id']}/file").status_code == 404
    outside = c.post("/api/v1/reports/runs", {"kind": "weekly", "region_code": STREET_B, "period": "2020-W24"},
                     content_type="application/json")
    missing = c.post("/api/v1/reports/runs", {"kind": "weekly", "region_code": "610102099000", "period": "2020-W24"},
                     content_type="application/json")
    assert outside.status_code == missing.status_code == 403 and outside.json() == missing.json()
    assert c.get("/api/v1/reports/runs").json()["count"] == 0
    s = c.post("/api/v1/reports/schedules", {"kind": "monthly", "region_code": STREET_A},
               content_type="application/json")
    assert s.status_code == 201 and s.json()["cadence"] == "monthly"
    paused = c.post(f"/api/v1/reports/schedules/{s.json()['id']}/active", {"is_active": False},
                    content_type="application/json")
    assert paused.json()["is_active"] is False
    assert client_for(other_street_officer).get("/api/v1/reports/schedules").json() == []


def test_known_on_given_and_invalid(district_officer):
    c = client_for(district_officer)
    bad = c.post("/api/v1/reports/runs", {"kind": "monthly", "period": "2020-06", "known_on": "yesterday"},
                 content_type="application/json")
    assert bad.status_code in (400, 422) and "known_on" in bad.content.decode()
    ok = c.post("/api/v1/reports/runs", {"kind": "monthly", "period": "2020-06", "known_on": "2026-01-01T08:00:00"},
                content_type="application/json")
    assert ok.status_code == 201 and ok.json()["known_on"].startswith("2026-01-01T")
