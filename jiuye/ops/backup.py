"""Backup and restore of an installation: the database and the files under MEDIA_ROOT, with a manifest.

An archive (.tar.gz, or .tar) holds
  manifest.json      format, time, database vendor, applied migrations, row counts, every file's sha256
  database.sqlite3   SQLite: a consistent copy taken online with SQLite's backup API
  database.pgdump    PostgreSQL: pg_dump --format=custom (needs the PostgreSQL client tools)
  media/...          uploaded files waiting to be imported and the import error reports

``restore`` replaces the database and the media directory with the archive's (same vendor only); stop
the web server and the worker first. After restoring a backup of an older release run `jiuye migrate`.
"""
from __future__ import annotations

import datetime
import hashlib
import json
import os
import pathlib
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
DB_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """A backup or restore that cannot be done; the message (Chinese) says why."""


def _sha256(path: pathlib.Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _counts() -> dict[str, int]:
    """Rows per model of Jiuye's apps (the tables that exist: an older release's database has fewer)."""
    tables = set(connection.introspection.table_names())
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()
            if model._meta.app_config.name.startswith("jiuye.") and not model._meta.proxy and model._meta.managed
            and model._meta.db_table in tables}


def _migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": db["NAME"], "PGUSER": db.get("USER") or "", "PGHOST": db.get("HOST") or "",
           "PGPORT": str(db.get("PORT") or "")}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return {k: v for k, v in env.items() if v != "" or k not in ("PGUSER", "PGHOST", "PGPORT")}


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"未找到 {name}（PostgreSQL 客户端工具）。请安装与服务器版本相同或更新的客户端，"
                          f"例如 apt-get install postgresql-client，然后重试")
    return path


def _run(command: list[str], **kwargs) -> None:
    result = subprocess.run(command, env=_pg_env(), capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise BackupError(f"{pathlib.Path(command[0]).name} 失败：{result.stderr.strip()[-2000:]}")


def _dump_database(target: pathlib.Path) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)  # online: a consistent snapshot while others write
        finally:
            copy.close()
    elif connection.vendor == "postgresql":
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"])
    else:
        raise BackupError(f"不支持的数据库：{connection.vendor}")


def archive_name(now: datetime.datetime | None = None) -> str:
    now = timezone.localtime(now or timezone.now())
    return f"jiuye-backup-{now:%Y%m%d-%H%M%S}.tar.gz"


def backup(dest: pathlib.Path) -> tuple[pathlib.Path, dict]:
    """Write a backup archive to ``dest`` (a new .tar.gz/.tar file, or an existing directory to put one in)."""
    dest = pathlib.Path(dest)
    if dest.is_dir():
        dest = dest / archive_name()
    if dest.exists():
        raise BackupError(f"目标文件已存在：{dest}")
    if not dest.name.endswith((".tar.gz", ".tgz", ".tar")):
        raise BackupError("备份文件名应以 .tar.gz 或 .tar 结尾（或给出一个已有的目录）")
    if connection.vendor not in DB_FILES:
        raise BackupError(f"不支持的数据库：{connection.vendor}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    media = pathlib.Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix=".jiuye-backup-", dir=dest.parent) as work:
        db_file = pathlib.Path(work) / DB_FILES[connection.vendor]
        _dump_database(db_file)
        files = []
        if media.is_dir():
            for path in sorted(p for p in media.rglob("*") if p.is_file() and not p.is_symlink()):
                files.append({"path": path.relative_to(media).as_posix(), "size": path.stat().st_size,
                              "sha256": _sha256(path)})
        manifest = {
            "format": FORMAT,
            "application": "jiuye",
            "created_at": timezone.now().isoformat(),
            "database": {"vendor": connection.vendor, "file": db_file.name, "size": db_file.stat().st_size,
                         "sha256": _sha256(db_file)},
            "migrations": _migrations(),
            "rows": _counts(),
            "media": files,
        }
        manifest_file = pathlib.Path(work) / MANIFEST
        manifest_file.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        partial = dest.with_name(dest.name + ".partial")
        mode = "w" if dest.name.endswith(".tar") else "w:gz"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # personal data: owner only
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode=mode) as tar:
            tar.add(manifest_file, arcname=MANIFEST)
            tar.add(db_file, arcname=db_file.name)
            for item in files:
                tar.add(media / item["path"], arcname=f"media/{item['path']}")
        partial.rename(dest)
    return dest, manifest


def read_manifest(src: pathlib.Path) -> dict:
    try:
        with tarfile.open(src) as tar:
            member = tar.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            manifest = json.loads(member.read().decode("utf-8"))
    except (OSError, tarfile.TarError, KeyError, ValueError):
        raise BackupError(f"不是有效的备份文件（无法读取 {MANIFEST}）：{src}") from None
    if manifest.get("application") != "jiuye" or manifest.get("format") != FORMAT:
        raise BackupError("备份文件的格式不受本版本支持")
    return manifest


# Empties the current schema (tables, sequences, views, routines) in the same transaction as the restore.
_PG_EMPTY_SCHEMA = """
DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
             AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e') LOOP
    EXECUTE CASE r.relkind WHEN 'v' THEN 'DROP VIEW IF EXISTS ' WHEN 'm' THEN 'DROP MATERIALIZED VIEW IF EXISTS '
            WHEN 'f' THEN 'DROP FOREIGN TABLE IF EXISTS ' ELSE 'DROP TABLE IF EXISTS ' END || r.name || ' CASCADE';
  END LOOP;
  FOR r IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = current_schema() AND c.relkind = 'S' LOOP
    EXECUTE 'DROP SEQUENCE IF EXISTS ' || r.name || ' CASCADE';
  END LOOP;
  FOR r IN SELECT p.oid::regprocedure AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = current_schema() AND p.prokind IN ('f', 'p')
             AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e') LOOP
    EXECUTE 'DROP ROUTINE IF EXISTS ' || r.name || ' CASCADE';
  END LOOP;
END $$;
"""


def _restore_postgresql(dump: pathlib.Path) -> None:
    pg_restore, psql = _tool("pg_restore"), _tool("psql")
    connection.close()  # hold no locks while the tables are replaced
    env = _pg_env()
    producer = subprocess.Popen([pg_restore, "--no-owner", "--no-privileges", "--file=-", str(dump)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    consumer = subprocess.Popen([psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction", "-f", "-"],
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    try:
        consumer.stdin.write(_PG_EMPTY_SCHEMA.encode())
        shutil.copyfileobj(producer.stdout, consumer.stdin, 1024 * 1024)
    except BrokenPipeError:
        pass
    finally:
        try:
            consumer.stdin.close()
        except BrokenPipeError:
            pass
    produced, consumed = producer.wait(), consumer.wait()
    if produced != 0 or consumed != 0:
        detail = (producer.stderr.read() + consumer.stderr.read()).decode("utf-8", "replace").strip()[-2000:]
        raise BackupError(f"恢复数据库失败，数据库未改变：{detail}")


def _restore_sqlite(copy: pathlib.Path) -> None:
    source = sqlite3.connect(copy)
    try:
        connection.close()
        connection.ensure_connection()
        source.backup(connection.connection)
    finally:
        source.close()


def restore(src: pathlib.Path) -> dict:
    """Replace the database and MEDIA_ROOT with the archive's; returns the manifest with ``restored_rows``."""
    src = pathlib.Path(src)
    manifest = read_manifest(src)
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(f"备份来自 {vendor} 数据库，当前数据库是 {connection.vendor}：只能恢复到同类数据库")
    data_dir = pathlib.Path(settings.DATA_DIR)
    data_dir.mkdir(parents=True, exist_ok=True)
    media = pathlib.Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix=".jiuye-restore-", dir=media.parent if media.parent.exists() else data_dir) as work:
        work_path = pathlib.Path(work)
        with tarfile.open(src) as tar:
            tar.extractall(work_path, filter="data")  # no absolute paths, no "..", no devices
        db_file = work_path / manifest["database"]["file"]
        if not db_file.is_file() or _sha256(db_file) != manifest["database"]["sha256"]:
            raise BackupError("备份中的数据库文件缺失或已损坏（校验和不符）")
        for item in manifest["media"]:
            path = work_path / "media" / item["path"]
            if not path.is_file() or _sha256(path) != item["sha256"]:
                raise BackupError(f"备份中的文件缺失或已损坏：media/{item['path']}")
        if vendor == "sqlite":
            _restore_sqlite(db_file)
        else:
            _restore_postgresql(db_file)
        restored_media = work_path / "media"
        restored_media.mkdir(exist_ok=True)
        old = work_path / "media.old"
        if media.exists():
            media.rename(old)
        restored_media.rename(media)
    manifest["restored_rows"] = _counts()
    executor = MigrationExecutor(connection)
    manifest["pending_migrations"] = [f"{m.app_label}.{m.name}" for m, _backwards in
                                      executor.migration_plan(executor.loader.graph.leaf_nodes())]
    return manifest
