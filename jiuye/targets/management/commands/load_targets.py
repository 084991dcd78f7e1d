"""jiuye load_targets [FILE ...]: load the seeds' targets (targets/data/*.yaml, or the files given) as current
targets with source "seed". Idempotent; a region missing from the database is skipped with a message. Prints
one line per file, then ``created=N replaced=N unchanged=N skipped=N`` last."""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from jiuye.accounts import audit
from jiuye.cli import Command as JiuyeCommand


class Command(JiuyeCommand):
    help = "载入规划文件中的目标任务（西安、武威、安康、新城区），可重复执行"

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="目标数据文件（YAML），默认载入全部内置文件")

    def handle(self, *args, **options):
        from jiuye.targets import seeds

        paths = [Path(p) for p in options.get("files") or []]
        for p in paths:
            if not p.is_file():
                raise CommandError(f"文件不存在：{p}")
        token = audit.set_context(audit.AuditContext(channel="cli"))
        try:
            reports = seeds.load_all(paths or None)
        finally:
            audit.reset_context(token)
        totals = {"created": 0, "replaced": 0, "unchanged": 0, "skipped": 0}
        for r in reports:
            if r.skipped:
                totals["skipped"] += 1
                self.stdout.write(f"{r.file}: {r.skipped}")
                continue
            for k in ("created", "replaced", "unchanged"):
                totals[k] += getattr(r, k)
            self.stdout.write(f"{r.file}: {r.plan} {r.region} 新建{r.created} 修订{r.replaced} 未变{r.unchanged}"
                              + (f" 保留手工{r.kept_manual}" if r.kept_manual else ""))
            for m in r.messages:
                self.stdout.write(f"  {m}")
        self.stdout.write(" ".join(f"{k}={v}" for k, v in totals.items()))
