"""`jiuye params check FILE...` and `jiuye params show REGION [--on DATE]`.

check: every mistake as ``file:line: message``; the last line on stdout is the summary. Exit code 0
when the files are valid, 1 when there is a mistake (then nothing is loaded).
show: the values in force for a region on a date, with jurisdiction, period and legal basis.
"""
from __future__ import annotations

import datetime
import os
import sys
from decimal import Decimal

from django.core.management.base import CommandError

from jiuye.cli import Command as JiuyeCommand
from jiuye.parameters import files
from jiuye.parameters.resolve import Resolved, NotInForceAnswer, chain, jurisdiction_label
from jiuye.parameters.schema import SCHEMA
from jiuye.parameters.store import ParameterFilesInvalid, deployment_dir, params, table

EXIT_OK, EXIT_INVALID = 0, 1


def format_value(value, unit: str = "") -> str:
    if isinstance(value, bool):
        text = "是" if value else "否"
    elif isinstance(value, tuple):
        text = "、".join(format_value(v) for v in value) or "（空列表）"
    elif isinstance(value, Decimal):
        text = format(value.normalize(), "f") if value == value.to_integral() else str(value)
    elif isinstance(value, datetime.date):
        text = value.isoformat()
    else:
        text = str(value)
    return f"{text} {unit}" if unit else text


def _relative(source: str) -> str:
    path = os.path.relpath(source)
    return source if path.startswith("..") else path


def _region_name(code: str) -> str:
    """The region's name from the region tree when it is loaded (regions sits below parameters)."""
    try:
        from jiuye.regions.codes import pad
        from jiuye.regions.models import Region

        region = Region.objects.filter(code=pad(code)).first()
        return region.name if region else ""
    except Exception:  # no database or no region tree yet: the code alone will do
        return ""


class Command(JiuyeCommand):
    help = "检查参数文件（check）或显示某区划在某日的参数及其依据（show）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="检查参数文件：逐条列出错误（文件:行号）")
        check.add_argument("files", nargs="+", help="参数文件（.yaml）或目录")
        show = sub.add_parser("show", help="显示某区划在某日适用的参数、来源辖区、时段和法律依据")
        show.add_argument("region", help="区划代码，如 610102 或 610102001001；national 表示全国")
        show.add_argument("--on", help="日期 YYYY-MM-DD（默认今天）")

    def handle(self, *args, **options):
        if options["action"] == "check":
            self.check_files(options["files"])
        else:
            self.show(options["region"], options.get("on"))

    # -----------------------------------------------------------------------------------------

    def check_files(self, paths: list[str]) -> None:
        sources = files.expand(paths)
        reader = files.collect(sources, SCHEMA)
        if reader.errors:
            for error in reader.errors:
                self.stdout.write(str(error))
            self.stdout.write(f"错误 {len(reader.errors)} 处，未加载任何参数")
            self.stdout.flush()
            sys.exit(EXIT_INVALID)
        values = reader.values
        self.stdout.write(
            f"通过：{len(sources)} 个文件，{len({v.jurisdiction for v in values})} 个辖区，"
            f"{len({v.key for v in values})} 个参数，{len(values)} 个取值"
        )

    def show(self, region: str, on_text: str | None) -> None:
        try:
            on = datetime.date.fromisoformat(on_text) if on_text else None
        except ValueError:
            raise CommandError(f"日期“{on_text}”无法解析（应为 YYYY-MM-DD）") from None
        code = "" if region in files.NATIONAL_NAMES else region
        try:
            if code:
                code = files.jurisdiction_code(code)
        except ValueError:
            raise CommandError(f"“{region}”不是区划代码") from None
        try:
            p = params(code or None, on)
            loaded = table()
        except ParameterFilesInvalid as exc:
            for error in exc.errors:
                self.stdout.write(str(error))
            self.stdout.write(f"错误 {len(exc.errors)} 处，未加载任何参数")
            sys.exit(EXIT_INVALID)
        name = _region_name(code) if code else ""
        links = " → ".join(jurisdiction_label(c, loaded.jurisdiction_name(c) or (_region_name(c) if c else ""))
                           for c in chain(code or None) if c in loaded.jurisdictions)
        self.stdout.write(f"{jurisdiction_label(code, name)} {p.on.isoformat()} 适用的参数（有取值的辖区：{links}）")
        if deployment_dir():
            self.stdout.write(f"部署参数目录：{deployment_dir()}")
        counts = {"set": 0, "not_set": 0, "not_in_force": 0}
        for parameter in SCHEMA.parameters():
            answer = p.answer(parameter.key)
            status = p.status(parameter.key)
            counts[status] += 1
            head = f"{parameter.label}（{parameter.key}）"
            if isinstance(answer, Resolved):
                self.stdout.write(f"{head}：{format_value(answer.value, parameter.unit)}")
                self.stdout.write(f"    {answer.cite()}〔{_relative(answer.source)}〕")
            elif isinstance(answer, NotInForceAnswer):
                where = jurisdiction_label(answer.jurisdiction, answer.jurisdiction_name)
                self.stdout.write(f"{head}：不在有效期内")
                self.stdout.write(f"    {where}规定的时段：{'、'.join(answer.periods)}")
            else:
                self.stdout.write(f"{head}：未设置（须由部署方录入）")
        self.stdout.write(
            f"有效 {counts['set']} 项，不在有效期内 {counts['not_in_force']} 项，未设置 {counts['not_set']} 项"
        )
