"""jiuye load_plan_tasks [FILE ...]: load the plans' task tables (departments and key-work tasks) from
jiuye/targets/tasks_data/*.yaml, or the files given. Idempotent: run again after a change of a table."""
from __future__ import annotations

from jiuye.cli import Command as JiuyeCommand


class Command(JiuyeCommand):
    help = "载入规划/实施方案的重点任务分工表（责任单位与任务），可重复运行"

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="任务分工表 YAML 文件（默认载入内置的西安市、新城区分工表）")

    def handle(self, *args, **options):
        from jiuye.targets.services_tasks import load_tables

        out = load_tables(options["files"] or None)
        self.stdout.write(f"departments={out['departments']} tasks={out['tasks']} updated={out['updated']}")
