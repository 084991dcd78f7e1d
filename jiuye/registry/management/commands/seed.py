"""jiuye seed: fill the registry with the deterministic synthetic 新城区 (demo and benchmark data)."""
from __future__ import annotations

import datetime
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from jiuye.cli import Command as JiuyeCommand, pending_migrations
from jiuye.registry import events
from jiuye.registry.demo import samples, writer
from jiuye.registry.models import EmploymentStatus

DEFAULT_PERSONS = 20_000
DEFAULT_SEED = 1


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"日期“{value}”无效，应为 YYYY-MM-DD") from None


def _pad(text: str, width: int) -> str:
    """Pad to a display width: CJK characters take two columns."""
    return text + " " * max(0, width - sum(2 if ord(ch) > 0x2E7F else 1 for ch in text))


def migrate_if_needed(out) -> None:
    """A new or older database is migrated first, saying so, instead of failing on a missing table."""
    pending = pending_migrations()
    if pending:
        out.write(f"数据库尚未建立或不是最新版本：先建立/升级数据库（相当于 jiuye migrate，{pending} 个迁移）……")
        call_command("migrate", interactive=False, verbosity=0)


def print_summary(out, result: writer.SeedResult) -> None:
    mix = dict(result.status_mix)
    registered = mix.pop("_registered", 0)
    out.write(f"示例数据：{result.persons:,} 人，随机种子 {result.seed}，基准日期 {result.today}")
    out.write("各表行数：")
    tables = {model._meta.db_table: str(model._meta.verbose_name) for model in writer.REGISTRY_MODELS}
    for table, count in result.counts.items():
        out.write(f"  {_pad(tables.get(table, table), 16)} {count:>12,}")
    if result.persons:
        labels = {**dict(EmploymentStatus.choices), EmploymentStatus.NONE: "未登记或已终止"}
        parts = "，".join(f"{labels.get(k, k)} {v:,}（{v / result.persons:.1%}）"
                         for k, v in sorted(mix.items(), key=lambda kv: -kv[1]))
        out.write(f"当前就业状态：{parts}")
    if registered:
        employed = mix.get("employed", 0)
        unemployed = mix.get("unemployed", 0)
        out.write(f"有登记记录 {registered:,} 人，其中就业 {employed / registered:.1%}，登记失业 {unemployed / registered:.1%}；"
                  f"从未登记 {result.persons - registered:,} 人")
    out.write(f"数据库大小：{result.db_bytes:,} 字节（{result.db_bytes / 1024 / 1024:.1f} MB）")
    out.write(f"用时：{result.seconds:.1f} 秒")


class Command(JiuyeCommand):
    help = "生成确定性的合成示例数据（西安市新城区）：人员、家庭户、用人单位、十年就业失业登记，并写出示例导入文件。"

    def add_arguments(self, parser):
        parser.add_argument("--persons", type=int, default=DEFAULT_PERSONS, help="人数（1,000 至 1,000,000）")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="随机种子：相同人数和种子生成相同数据")
        parser.add_argument("--sample-dir", default=None, help="示例导入文件目录（默认 <DATA_DIR>/samples）")
        parser.add_argument("--no-samples", action="store_true", help="不写示例导入文件")
        parser.add_argument("--force", action="store_true", help="登记库非空时先清空全部登记数据再生成")
        parser.add_argument("--today", type=_date, default=None, help="基准日期（默认今天），用于复现")

    def handle(self, *args, **options):
        persons = options["persons"]
        if not 1 <= persons <= 2_000_000:
            raise CommandError("人数应在 1 至 2,000,000 之间")
        verbose = options["verbosity"] >= 1

        def progress(message: str) -> None:
            if verbose:
                self.stdout.write(message)

        migrate_if_needed(self.stdout)
        try:
            result = writer.seed_city(persons=persons, seed=options["seed"], force=options["force"],
                                      today=options["today"], progress=progress)
        except writer.NotEmpty:
            raise CommandError("登记库中已有数据。如确需清空全部登记数据后重新生成，请加 --force。") from None
        print_summary(self.stdout, result)
        for _receiver, line in events.registry_loaded.send(sender=None, today=result.today, demo=False):
            if line:
                self.stdout.write(str(line))
        if not options["no_samples"]:
            directory = Path(options["sample_dir"] or (settings.DATA_DIR / "samples"))
            paths = samples.write_samples(directory, seed=options["seed"], today=result.today)
            self.stdout.write(f"示例导入文件已写入 {directory}：{'、'.join(p.name for p in paths)}")
