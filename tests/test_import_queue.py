"""Long imports run off the request (finding 4): the upload is stored and queued, the worker runs it,
progress is visible, and a batch whose process is gone is marked failed with a reason."""
from __future__ import annotations

import datetime
import os
import secrets
import socket
import subprocess
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from ninja.testing import TestClient

from jiuye.accounts import audit
from jiuye.accounts.models import ApiToken, AuditEntry
from jiuye.api import api
from jiuye.imports import services
from jiuye.imports.models import ImportBatch
from jiuye.registry.models import Person

from .conftest import COMMUNITY_A1, make_id

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "imports"]}}


def _csv(n: int = 3) -> bytes:
    lines = ["姓名,公民身份号码,户籍性质,所在社区"]
    lines += [f"张{'一二三四五六七八九十'[i]}明,{make_id('610102', '19900101', f'{i * 2 + 1:03d}')},城镇,{COMMUNITY_A1}" for i in range(n)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _bearer(user) -> dict:
    key = secrets.token_urlsafe(24)
    ApiToken.objects.create(user=user, name="test", key_hash=ApiToken.hash_key(key))
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def queue(db, settings, tmp_path, monkeypatch):
    from django_tasks_db.management.commands import db_worker

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = DATABASE_QUEUE
    # The worker closes connections between tasks as requests do; that would end the test's transaction.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


def test_api_upload_returns_the_queued_batch_and_the_worker_imports_it(queue, settings, street_officer):
    client = TestClient(api)
    headers = _bearer(street_officer)
    token = audit.set_context(audit.AuditContext(channel="api", ip_address="10.1.2.3"))  # as the middleware sets it
    try:
        response = client.post("/imports", data={"kind": "persons", "dry_run": "false"},
                               FILES={"file": SimpleUploadedFile("人员.csv", _csv())}, headers=headers)
    finally:
        audit.reset_context(token)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "queued" and body["rows_written"] == 0
    batch = ImportBatch.objects.get(pk=body["id"])
    stored = settings.MEDIA_ROOT / batch.upload_file
    assert batch.task_id and stored.is_file() and batch.upload_file.startswith("import_uploads/")
    assert not Person.objects.exists()

    call_command("worker", "--once", stdout=open(os.devnull, "w"))

    got = client.get(f"/imports/{body['id']}", headers=headers).json()
    assert got["status"] == "ok" and got["imported"] == 3
    assert (got["rows_read"], got["rows_validated"], got["rows_written"], got["expected_rows"]) == (3, 3, 3, 3)
    assert Person.objects.count() == 3
    batch.refresh_from_db()
    assert batch.upload_file == "" and not stored.exists()  # the stored upload is gone once imported
    assert batch.runner.startswith(socket.gethostname())
    entry = AuditEntry.objects.get(action=AuditEntry.Action.IMPORT, object_id=str(batch.pk))
    assert entry.actor == street_officer and (entry.channel, entry.ip_address) == ("api", "10.1.2.3")


def test_web_upload_shows_a_refreshing_progress_page(queue, community_worker):
    from django.test import Client

    c = Client()
    c.force_login(community_worker)
    response = c.post(reverse("web:imports"), {"kind": "persons", "file": SimpleUploadedFile("人员.csv", _csv(2))})
    assert response.status_code == 302
    batch = ImportBatch.objects.latest("id")
    assert batch.status == "queued"
    page = c.get(response.url).content.decode()
    assert "排队中" in page and 'http-equiv="refresh"' in page and "排队等待后台导入" in page
    ImportBatch.objects.filter(pk=batch.pk).update(status="running", expected_rows=10, rows_read=6, rows_validated=6,
                                                   rows_written=4, runner=services.runner_id())
    page = c.get(response.url).content.decode()
    assert "已读取 6 行，已校验 6 行，已写入 4 行" in page and 'value="40"' in page
    call_command("worker", "--once", stdout=open(os.devnull, "w"))  # no longer queued: left alone
    assert ImportBatch.objects.get(pk=batch.pk).status == "running"
    ImportBatch.objects.filter(pk=batch.pk).update(status="ok")
    assert 'http-equiv="refresh"' not in c.get(response.url).content.decode()


def test_tests_run_jobs_eagerly(settings, tmp_path, street_officer):
    settings.MEDIA_ROOT = tmp_path / "media"
    upload = SimpleUploadedFile("人员.csv", _csv(2))
    batch = services.submit_import(kind="persons", upload=upload, actor=street_officer)
    assert batch.status == "ok" and batch.imported == 2 and batch.upload_file == ""
    assert not list((tmp_path / "media" / "import_uploads").iterdir())


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _batch(**fields) -> ImportBatch:
    return ImportBatch.objects.create(kind="persons", file_name="人员.xlsx", region_code=COMMUNITY_A1, **fields)


def test_stale_batches_are_marked_failed_with_a_reason(queue, settings, community_worker):
    host = socket.gethostname()
    now = timezone.now()
    killed = _batch(actor=community_worker, status="running", runner=f"{host}:{_dead_pid()}:123", heartbeat_at=now,
                    rows_written=400)
    alive = _batch(status="running", runner=services.runner_id(), heartbeat_at=now)
    elsewhere_silent = _batch(status="running", runner="other-host:42:7", heartbeat_at=now - datetime.timedelta(hours=2))
    elsewhere_busy = _batch(status="running", runner="other-host:43:7", heartbeat_at=now)
    lost_task = _batch(status="queued", task_id="6f1c2a8e-0000-4000-8000-000000000000")
    done = _batch(status="ok", runner=f"{host}:{_dead_pid()}:1")

    assert services.mark_stale_batches() == 3
    statuses = {b.pk: b.status for b in ImportBatch.objects.all()}
    assert statuses == {killed.pk: "failed", alive.pk: "running", elsewhere_silent.pk: "failed",
                        elsewhere_busy.pk: "running", lost_task.pk: "failed", done.pk: "ok"}
    killed.refresh_from_db()
    assert "导入进程已退出" in killed.error_message and "请重新导入" in killed.error_message
    assert killed.finished_at is not None
    entry = AuditEntry.objects.get(action=AuditEntry.Action.IMPORT, object_id=str(killed.pk))
    assert entry.changes["status"] == "failed" and entry.changes["rows_written"] == 400
    assert entry.actor == community_worker
    assert services.mark_stale_batches() == 0  # once


def test_the_worker_marks_stale_batches_when_it_starts(queue):
    stale = _batch(status="running", runner=f"{socket.gethostname()}:{_dead_pid()}:5")
    call_command("worker", "--once", stdout=open(os.devnull, "w"))
    assert ImportBatch.objects.get(pk=stale.pk).status == "failed"


def test_an_interrupted_import_ends_failed(settings, tmp_path, street_officer, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    path = tmp_path / "p.csv"
    path.write_bytes(_csv(2))

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(services, "_run", interrupted)
    with pytest.raises(KeyboardInterrupt):
        services.run_import(kind="persons", path=path, actor=street_officer)
    batch = ImportBatch.objects.get()
    assert batch.status == "failed" and "导入进程被终止" in batch.error_message


def test_cli_import_stays_synchronous_and_can_queue(queue, regions, tmp_path, capsys):
    path = tmp_path / "p.csv"
    path.write_bytes(_csv(2))
    call_command("import", "persons", str(path))
    assert capsys.readouterr().out.strip().splitlines()[-1] == "imported=2 updated=0 unchanged=0 rejected=0"
    assert ImportBatch.objects.get().status == "ok"
    call_command("import", "persons", str(path), "--background")
    batch = ImportBatch.objects.latest("id")
    assert capsys.readouterr().out.strip().splitlines()[-1] == f"batch={batch.pk} status=queued"
    call_command("worker", "--once", stdout=open(os.devnull, "w"))
    batch.refresh_from_db()
    assert batch.status == "ok" and batch.unchanged == 2
