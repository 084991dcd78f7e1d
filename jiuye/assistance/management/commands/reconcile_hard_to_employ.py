import datetime

from django.db import transaction

from jiuye.assistance.services import recognitions
from jiuye.cli import Command as JiuyeCommand


class Command(JiuyeCommand):
    # Recompute the hard-to-employ group for everyone in one pass and make recognition proposals and
    # hard-to-employ cases agree with it (open what is missing, close what is stale); --dry-run counts only.
    help = ("重新计算全部人员的就业困难人员类别，使认定提示和援助个案与之一致（补开缺失的、关闭过时的）；"
            "--dry-run 只统计不修改。")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只统计，不修改")
        parser.add_argument("--date", type=datetime.date.fromisoformat, default=None,
                            help="按此日期计算（YYYY-MM-DD，默认今天）")

    def handle(self, *args, **options):
        dry = options["dry_run"]
        with transaction.atomic():
            counts = recognitions.reconcile_hard_to_employ(options["date"], fix=not dry)
        self.stdout.write(recognitions.daily_line(counts))
        self.stdout.write("（试运行：未修改任何记录）" if dry else "已完成核对并修正")
