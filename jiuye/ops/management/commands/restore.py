"""jiuye restore SRC: replace the database and the media directory with a backup's (jiuye.ops.backup)."""
from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import CommandError

from jiuye.cli import Command as JiuyeCommand
from jiuye.ops.backup import BackupError, read_manifest, restore


class Command(JiuyeCommand):
    help = ("从 jiuye backup 生成的备份恢复：用备份中的数据替换当前数据库和上传文件、导入错误报告。"
            "恢复前请停止网页服务和后台任务进程（jiuye worker）；只能恢复到同类数据库（SQLite 或 PostgreSQL）。")

    def add_arguments(self, parser):
        parser.add_argument("src", help="备份文件")
        parser.add_argument("--yes", action="store_true", help="不再询问，直接替换当前数据")

    def handle(self, *args, **options):
        src = Path(options["src"])
        try:
            manifest = read_manifest(src)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        if not options["yes"]:
            if not sys.stdin.isatty():
                raise CommandError("恢复会替换当前全部数据：请加 --yes 确认")
            answer = input(f"将用 {manifest['created_at']} 的备份替换当前全部数据，输入 yes 继续：")
            if answer.strip().lower() != "yes":
                raise CommandError("已取消")
        try:
            result = restore(src)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        differ = {label: (count, result["restored_rows"].get(label)) for label, count in manifest["rows"].items()
                  if label in result["restored_rows"] and result["restored_rows"][label] != count}
        if differ:
            raise CommandError(f"恢复后的行数与备份清单不符：{differ}")
        self.stdout.write(f"恢复完成：{sum(manifest['rows'].values())} 行，文件 {len(manifest['media'])} 个。")
        if result["pending_migrations"]:
            self.stdout.write(f"该备份来自较早的版本：请运行 jiuye migrate 升级数据库"
                              f"（{len(result['pending_migrations'])} 个迁移待执行）。")
