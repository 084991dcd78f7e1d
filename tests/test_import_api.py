"""The import API: POST /imports, GET /imports/{id}, GET /imports/{id}/report."""
from __future__ import annotations

import secrets

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from ninja.testing import TestClient

from jiuye.accounts.models import ApiToken, AuditEntry, Role, User
from jiuye.api import api
from jiuye.imports.models import ImportBatch
from jiuye.registry.models import Person

from .conftest import make_id
from .import_files import write_xlsx

ZHANG = make_id("610102", "19900307", "011")
LI = make_id("610102", "19920405", "022")
HEADER = ["姓名", "公民身份号码", "户籍性质", "所在社区"]


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def client():
    return TestClient(api)  # the whole API, with its one authentication


def bearer(user) -> dict:
    key = secrets.token_urlsafe(24)
    ApiToken.objects.create(user=user, name="test", key_hash=ApiToken.hash_key(key))
    return {"Authorization": f"Bearer {key}"}


def upload(client, user, path, kind="persons", dry_run=False):
    data = {"kind": kind, "dry_run": "true" if dry_run else "false"}
    files = {"file": SimpleUploadedFile(path.name, path.read_bytes())}
    return client.post("/imports", data=data, FILES=files, headers=bearer(user))


def test_upload_returns_counts_and_report_url(regions, tmp_path, client, street_officer, other_street_officer):
    path = write_xlsx(tmp_path / "people.xlsx", [HEADER, ["张三", ZHANG, "城镇", "长乐社区"], ["李四", LI, "城镇", "胡家庙街道建设社区"]])
    response = upload(client, street_officer, path)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["imported"], body["updated"], body["unchanged"], body["rejected"]) == (1, 0, 0, 1)
    assert body["status"] == "partial" and body["file_name"] == "people.xlsx"
    assert body["report_url"] == f"/imports/{body['id']}/report"
    assert Person.objects.get().id_number == ZHANG
    assert ImportBatch.objects.get(pk=body["id"]).actor == street_officer

    got = client.get(f"/imports/{body['id']}", headers=bearer(street_officer))
    assert got.status_code == 200 and got.json()["rejected"] == 1

    report = client.get(body["report_url"], headers=bearer(street_officer))
    assert report.status_code == 200
    assert report.content[:2] == b"PK"
    assert "attachment" in report["Content-Disposition"]
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, object_id=str(body["id"])).exists()

    # Another street's officer does not see the batch.
    assert client.get(f"/imports/{body['id']}", headers=bearer(other_street_officer)).status_code == 404
    assert client.get(body["report_url"], headers=bearer(other_street_officer)).status_code == 404


def test_district_officer_sees_batches_of_their_district(regions, tmp_path, client, street_officer, district_officer):
    path = write_xlsx(tmp_path / "people.xlsx", [HEADER, ["张三", ZHANG, "城镇", "长乐社区"]])
    batch_id = upload(client, street_officer, path).json()["id"]
    assert client.get(f"/imports/{batch_id}", headers=bearer(district_officer)).status_code == 200
    # A batch without errors has no report.
    assert client.get(f"/imports/{batch_id}/report", headers=bearer(district_officer)).status_code == 404


def test_dry_run_upload(regions, tmp_path, client, community_worker):
    path = write_xlsx(tmp_path / "people.xlsx", [HEADER, ["张三", ZHANG, "城镇", "长乐社区"]])
    body = upload(client, community_worker, path, dry_run=True).json()
    assert body["dry_run"] is True and body["imported"] == 1
    assert not Person.objects.exists()


def test_roles_that_may_not_import_get_403(regions, tmp_path, client, auditor):
    path = write_xlsx(tmp_path / "people.xlsx", [HEADER, ["张三", ZHANG, "城镇", "长乐社区"]])
    assert upload(client, auditor, path).status_code == 403
    resident = User.objects.create_user(username="r1", password="x" * 12, role=Role.RESIDENT, region_id="610102001001")
    assert upload(client, resident, path).status_code == 403
    assert not ImportBatch.objects.exists()


def test_bad_kind_or_file_type(regions, tmp_path, client, street_officer):
    path = write_xlsx(tmp_path / "people.xlsx", [HEADER])
    assert upload(client, street_officer, path, kind="cats").status_code == 400
    other = tmp_path / "people.docx"
    other.write_bytes(b"x")
    assert upload(client, street_officer, other).status_code == 400


def test_unusable_file_is_reported_in_the_batch(regions, tmp_path, client, street_officer):
    path = tmp_path / "people.csv"
    path.write_text("甲,乙\n1,2\n", encoding="utf-8")
    body = upload(client, street_officer, path).json()
    assert body["status"] == "unusable" and "未找到表头" in body["error_message"]


def test_requires_authentication(regions, client):
    assert client.get("/imports/1").status_code == 401
