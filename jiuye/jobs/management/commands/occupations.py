"""jiuye occupations load FILE [--user U] [--dry-run] | jiuye occupations stats

``load`` imports the official 职业分类大典 list (.xlsx/.xls/.csv: 职业代码, 职业名称, and optionally 层级,
定义, 别名) through the shared import engine (kind ``occupations``: the same checks, error report and batch
as ``jiuye import occupations FILE``). ``stats`` prints the rows present per level against the 2022
edition (8 大类, 79 中类, 449 小类, 1,636 职业): how many are missing and how many groups are only derived
from the codes beneath them (no name of their own yet).
"""
from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from jiuye.accounts import audit
from jiuye.cli import Command as JiuyeCommand


class Command(JiuyeCommand):
    help = "职业分类大典：load 导入官方目录文件；stats 按层级统计并对照2022年版列出缺少的数量"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, title="子命令")
        load = sub.add_parser("load", help="导入官方职业分类目录（xlsx/xls/csv）")
        load.add_argument("file", help="文件路径")
        load.add_argument("--user", help="以该用户身份导入（须为区县或市级人社部门用户）")
        load.add_argument("--dry-run", action="store_true", help="只校验，不写入")
        sub.add_parser("stats", help="按层级统计职业分类")

    def handle(self, *args, **options):
        if options["action"] == "stats":
            return self._stats()
        from jiuye.imports.services import run_import

        actor = None
        if options.get("user"):
            actor = get_user_model().objects.filter(username=options["user"], is_active=True).first()
            if actor is None:
                raise CommandError(f"用户“{options['user']}”不存在或已停用")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        token = audit.set_context(audit.AuditContext(channel="cli"))
        try:
            batch = run_import(kind="occupations", path=path, actor=actor, dry_run=options["dry_run"], original_name=path.name)
        finally:
            audit.reset_context(token)
        verb = "校验结果（未写入）" if batch.dry_run else "导入结果"
        self.stdout.write(f"{verb}：{batch.imported} 行通过，拒绝 {batch.rejected} 行（状态：{batch.get_status_display()}）")
        if batch.rejected and batch.report_file:
            self.stdout.write(f"错误报告：{batch.report_file}")
        self._stats()

    def _stats(self):
        from jiuye.jobs.queries.occupations import level_counts

        self.stdout.write("层级\t现有\t其中推出\t大典所列\t缺少")
        for r in level_counts():
            self.stdout.write(f"{r['label']}\t{r['present']}\t{r['derived']}\t{r['edition']}\t{r['missing']}")
        self.stdout.write("（“推出”：目录中缺少名称、由下级代码推出的类别；缺少的可用 jiuye occupations load 导入官方目录补齐）")
