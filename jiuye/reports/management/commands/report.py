"""jiuye report weekly|monthly|annual|midterm|stats_form --region CODE --period P --format xlsx|docx|pdf
[--out FILE] [--known-on T] [--user U] | jiuye report --due [--on DATE]

Makes a kept report (a ReportRun: the file in storage with its sha256, the summary and the "known on" moment)
and, with --out, writes a copy of the file. Without --user the operator makes it (the whole tree); with it,
that account's scope and role apply. ``--due`` makes the runs of the schedules due today (or --on DATE).
Periods: weekly YYYY-Www or a date in the week, monthly/stats_form YYYY-MM, annual/midterm YYYY."""
from __future__ import annotations

import datetime
import shutil

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils import timezone

from jiuye.accounts import audit
from jiuye.accounts.scoping import OutOfScope
from jiuye.cli import Command as JiuyeCommand
from jiuye.reports.models import ReportFormat, ReportKind, RunStatus


def _user(username: str | None):
    from django.contrib.auth import get_user_model

    from jiuye.reports.services import OPERATOR
    if not username:
        return OPERATOR
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"用户不存在或已停用：{username}")
    return user


def _known_on(text: str | None):
    if not text:
        return None
    try:
        value = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"数据时点无效：{text}（应为 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM[:SS]）") from None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


class Command(JiuyeCommand):
    help = "生成统计报告（周报、月度分析、年度/中期评估、人社统计报表），或执行到期的报告计划（--due）"

    def add_arguments(self, parser):
        parser.add_argument("kind", nargs="?", choices=ReportKind.values, help="报告类型")
        parser.add_argument("--region", help="区划代码（默认：用户所在区划）")
        parser.add_argument("--period", help="统计期：周报 YYYY-Www 或日期，月报 YYYY-MM，年度/中期 YYYY")
        parser.add_argument("--format", default=ReportFormat.XLSX, choices=ReportFormat.values, help="文件格式（默认 xlsx）")
        parser.add_argument("--out", help="另存文件到该路径")
        parser.add_argument("--known-on", help="按该时点已录入的数据生成（重现历史报告），如 2026-11-30T18:00")
        parser.add_argument("--user", help="以该用户身份生成（限其管辖范围）")
        parser.add_argument("--due", action="store_true", help="执行到期的报告计划")
        parser.add_argument("--on", help="与 --due 一起：以该日期为今天（YYYY-MM-DD）")

    def handle(self, *args, **options):
        from jiuye.reports import services

        token = audit.set_context(audit.AuditContext(channel="cli"))
        try:
            if options["due"]:
                today = timezone.localdate()
                if options.get("on"):
                    try:
                        today = datetime.date.fromisoformat(options["on"])
                    except ValueError:
                        raise CommandError(f"日期无效：{options['on']}（应为 YYYY-MM-DD）") from None
                runs = services.run_due_schedules(today, background=False)
                for run in runs:
                    self.stdout.write(f"{run.get_kind_display()} {run.region.name} {run.period}：{run.get_status_display()}")
                self.stdout.write(f"runs={len(runs)}")
                return
            if not options.get("kind") or not options.get("period"):
                raise CommandError("请给出报告类型和 --period（或使用 --due）")
            user = _user(options.get("user"))
            try:
                run = services.generate(user, options["kind"], options.get("region"), options["period"],
                                        options["format"], known_on=_known_on(options.get("known_on")))
            except ValidationError as e:
                raise CommandError("；".join(f"{k}：{'；'.join(v)}" for k, v in e.message_dict.items())) from None
            except OutOfScope as e:
                raise CommandError(str(e)) from None
        finally:
            audit.reset_context(token)
        if run.status != RunStatus.DONE:
            raise CommandError(f"报告生成失败：{run.error}")
        if options.get("out"):
            with run.file.open("rb") as src, open(options["out"], "wb") as dst:
                shutil.copyfileobj(src, dst)
        for line in run.summary.get("lines", []):
            self.stdout.write(line)
        self.stdout.write(f"报告编号 {run.pk}：{run.file_name}，{run.size} 字节，sha256 {run.sha256}"
                          + (f"，已另存为 {options['out']}" if options.get("out") else f"，文件 {run.file.path}"))
