"""jiuye backup / jiuye restore: the database and the files under MEDIA_ROOT, with a manifest;
SQLite through the online backup API, PostgreSQL through pg_dump / psql (skipped without them)."""
from __future__ import annotations

import json
import shutil
import tarfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from jiuye.imports.models import ImportBatch
from jiuye.ops import backup as ops_backup
from jiuye.registry.models import Person


needs_tools = pytest.mark.skipif(
    connection.vendor == "postgresql" and not (shutil.which("pg_dump") and shutil.which("psql") and shutil.which("pg_restore")),
    reason="PostgreSQL client tools not installed")


@needs_tools
@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip(make_person, settings, tmp_path, capsys):
    settings.MEDIA_ROOT = tmp_path / "data" / "media"
    settings.DATA_DIR = tmp_path / "data"
    report = settings.MEDIA_ROOT / "import_reports" / "1-persons.xlsx"
    report.parent.mkdir(parents=True)
    report.write_bytes(b"PK report")
    kept = make_person(name="张三")
    ImportBatch.objects.create(kind="persons", file_name="人员.xlsx", status="partial", report_file="import_reports/1-persons.xlsx")

    (tmp_path / "backups").mkdir()
    call_command("backup", str(tmp_path / "backups"))
    archive = next((tmp_path / "backups").glob("jiuye-backup-*.tar.gz"))
    assert archive.stat().st_mode & 0o077 == 0  # owner only: personal data
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert {"manifest.json", ops_backup.DB_FILES[connection.vendor], "media/import_reports/1-persons.xlsx"} <= set(names)
    assert manifest["database"]["vendor"] == connection.vendor and manifest["rows"]["registry.Person"] == 1
    assert manifest["media"][0]["path"] == "import_reports/1-persons.xlsx"
    assert "0001_initial" in manifest["migrations"]["registry"]
    with pytest.raises(CommandError, match="已存在"):
        call_command("backup", str(archive))

    # Later changes, lost files.
    Person.objects.filter(pk=kept.pk).update(name="李四")
    make_person(name="王五")
    report.unlink()
    (settings.MEDIA_ROOT / "stray.txt").write_text("x")
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archive))

    call_command("restore", str(archive), yes=True)
    assert list(Person.objects.values_list("name", flat=True)) == ["张三"]
    assert report.read_bytes() == b"PK report" and not (settings.MEDIA_ROOT / "stray.txt").exists()
    assert "恢复完成" in capsys.readouterr().out


@pytest.mark.django_db
def test_restore_refuses_damaged_or_foreign_archives(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    bogus = tmp_path / "x.tar.gz"
    bogus.write_bytes(b"not a tar")
    with pytest.raises(CommandError, match="不是有效的备份文件"):
        call_command("restore", str(bogus), yes=True)
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"format": 1, "application": "jiuye", "created_at": "",
                                    "database": {"vendor": other, "file": "db", "sha256": ""}, "media": [], "rows": {}}))
    foreign = tmp_path / "foreign.tar"
    with tarfile.open(foreign, "w") as tar:
        tar.add(manifest, arcname="manifest.json")
    with pytest.raises(CommandError, match="只能恢复到同类数据库"):
        call_command("restore", str(foreign), yes=True)


def test_missing_client_tools_are_named(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ops_backup.BackupError, match="未找到 pg_dump"):
        ops_backup._tool("pg_dump")
