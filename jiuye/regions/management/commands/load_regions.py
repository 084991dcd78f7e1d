from django.core.management.base import CommandError

from jiuye.cli import Command as JiuyeCommand
from jiuye.regions import services


class Command(JiuyeCommand):
    help = "加载内置区划（西安市、安康市、武威市，新城区的街道和社区），可另加一个区划文件。"

    def add_arguments(self, parser):
        parser.add_argument("--file", help="另外加载的区划文件：CSV（列 code,name）或 YAML")

    def handle(self, *args, **options):
        result = services.load_seed_regions()
        if options.get("file"):
            try:
                extra = services.load_regions(services.region_rows_from_file(options["file"]))
            except (OSError, ValueError) as exc:
                raise CommandError(str(exc)) from exc
            result.created += extra.created
            result.updated += extra.updated
            result.unchanged += extra.unchanged
        self.stdout.write(f"区划：新增 {result.created} 个，更新 {result.updated} 个，未变化 {result.unchanged} 个")
