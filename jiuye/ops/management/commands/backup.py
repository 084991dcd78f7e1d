"""jiuye backup DEST: the database and the uploaded files and reports, with a manifest (jiuye.ops.backup)."""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from jiuye.cli import Command as JiuyeCommand
from jiuye.ops.backup import BackupError, backup


class Command(JiuyeCommand):
    help = ("备份数据库（SQLite：在线备份；PostgreSQL：pg_dump）和数据目录下的上传文件、导入错误报告，附清单 manifest.json。"
            "DEST 为新的 .tar.gz 文件，或已有目录（在其中生成 jiuye-backup-日期-时间.tar.gz）。备份含个人信息，请妥善保管。")

    def add_arguments(self, parser):
        parser.add_argument("dest", help="备份文件（.tar.gz / .tar）或已有目录")

    def handle(self, *args, **options):
        try:
            path, manifest = backup(Path(options["dest"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["rows"].values())
        self.stdout.write(f"备份完成：{path}（数据库 {manifest['database']['vendor']}，{rows} 行，"
                          f"文件 {len(manifest['media'])} 个）")
        self.stdout.write(str(path))
