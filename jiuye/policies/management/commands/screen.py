"""jiuye screen --as-of DATE [--policy ID]... [--export FILE.csv] [--user U]: screening (政策找人).

Runs every policy in force on DATE (or only the ``--policy`` ones) against everyone, stores the run and its
results (as the web's runs do), and prints the count per policy and persons per second. ``--export`` writes
the results as CSV with exactly the header ``policy_id,beneficiary,person,amount,unit,months``:
beneficiary is the identity number or credit code paid, person the identity number the entitlement is
about (empty for an employer-only event), unit once|month, months empty for a one-time subsidy, amount
empty when the jurisdiction has not set it. With ``--user`` the run is limited to that account's scope and
identity numbers are masked unless the role may see full numbers; without it, an operator's full run.
"""
from __future__ import annotations

import csv
import sys
import time

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError

from jiuye.accounts import audit, roles
from jiuye.accounts.models import AuditEntry
from jiuye.cli import Command as JiuyeCommand
from jiuye.policies.management.commands.policy import date_arg, errors_text, user_of
from jiuye.policies.models import RunStatus
from jiuye.policies.queries.export import CSV_HEADER, csv_rows
from jiuye.policies.services import screening
from jiuye.registry.models import Person


class Command(JiuyeCommand):
    help = "政策找人：按日期对全部（或指定）政策筛查符合条件的人员和单位，保存筛查结果，可导出 CSV"

    def add_arguments(self, parser):
        parser.add_argument("--as-of", required=True, help="筛查日期 YYYY-MM-DD")
        parser.add_argument("--policy", action="append", default=[], help="只筛查该政策（可重复）")
        parser.add_argument("--export", help="把结果写入该 CSV 文件")
        parser.add_argument("--user", help="以该用户身份筛查（限其管辖范围，无权查看完整号码的角色导出脱敏号码）")

    def handle(self, *args, **options):
        actor = user_of(options.get("user"))
        as_of = date_arg(options["as_of"])
        token = audit.set_context(audit.AuditContext(channel="cli"))
        try:
            started = time.perf_counter()
            persons = Person.objects.count()
            tty = sys.stderr.isatty() and options.get("verbosity", 1) > 0
            progress = (lambda text: self.stderr.write(text, style_func=str)) if tty else None
            try:
                run = screening.run_screening(actor, as_of, codes=options["policy"], progress=progress)
            except ValidationError as exc:
                raise CommandError(errors_text(exc)) from None
            except PermissionDenied as exc:
                raise CommandError(str(exc)) from None
            seconds = time.perf_counter() - started
            if run.status != RunStatus.DONE:
                raise CommandError(run.error or "筛查失败")
            counts = {}
            for code, name in run.results.values_list("policy_code", "policy__name").distinct():
                counts[code] = (name, run.results.filter(policy_code=code).count())
            for code in sorted(counts):
                name, n = counts[code]
                self.stdout.write(f"{code}  {name}：{n} 条")
            rate = persons / seconds if seconds > 0 else 0
            self.stdout.write(f"筛查第 {run.pk} 次（{as_of.isoformat()}）：符合条件 {run.result_count} 条，"
                              f"用时 {seconds:.1f} 秒，人员 {persons} 人，每秒 {rate:,.0f} 人")
            if options.get("export"):
                full = actor is None or roles.can_see_full_id_number(actor)
                n = 0
                with open(options["export"], "w", newline="", encoding="utf-8") as out:
                    writer = csv.writer(out)
                    writer.writerow(CSV_HEADER)
                    for row in csv_rows(run, full=full):
                        writer.writerow(row)
                        n += 1
                audit.record(actor, AuditEntry.Action.EXPORT, object_type=screening.OBJECT_TYPE, object_id=run.pk,
                             region_code=getattr(actor, "region_id", None) or "",
                             changes={"rows": n, "full_id_number": full, "format": "csv"},
                             summary="导出政策筛查结果（CSV）" + ("（含完整公民身份号码）" if full else ""))
                self.stdout.write(f"已导出 {n} 行：{options['export']}")
            self.stdout.write(f"run={run.pk} results={run.result_count} seconds={seconds:.2f}")
        finally:
            audit.reset_context(token)
