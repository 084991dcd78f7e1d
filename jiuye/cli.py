"""The `jiuye` command: Django's management commands under one name, like django-admin.

Our own commands derive from :class:`Command`, so that a failure reads "错误：…" (Django itself prints
"CommandError: …") and their messages to people stay Chinese; the machine-readable last lines that
scripts read (``imported=N updated=M unchanged=U rejected=K``, ``batch=N status=S``) are unchanged.
"""
import os
import sys

import argparse
import re

from django.core.management.base import BaseCommand, CommandError, CommandParser, SystemCheckError
from django.db.utils import OperationalError, ProgrammingError

# argparse's messages for mistakes on the command line, in Chinese.
ARGPARSE_MESSAGES = [
    (r"the following arguments are required: (.+)", "缺少参数：{0}"),
    (r"unrecognized arguments: (.+)", "无法识别的参数：{0}"),
    (r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)", "参数 {0} 的取值 {1} 无效，可选：{2}"),
    (r"argument (\S+): invalid \w+ value: (.+)", "参数 {0} 的取值 {1} 无效"),
    (r"argument (\S+): expected one argument", "参数 {0} 后面需要一个值"),
]


def chinese_argparse_message(message: str) -> str:
    for pattern, text in ARGPARSE_MESSAGES:
        match = re.fullmatch(pattern, message)
        if match:
            return text.format(*match.groups())
    return message


class ChineseCommandParser(CommandParser):
    """On the command line a mistake reads "错误：缺少参数：…" and points to --help (no English usage
    line); called from code it raises CommandError as Django's parser does."""

    def error(self, message):
        if not self.called_from_command_line:
            return super().error(message)
        self.exit(2, f"错误：{chinese_argparse_message(message)}（用 {self.prog} --help 查看用法）\n")


def _chinese_parsers(parser: argparse.ArgumentParser) -> None:
    if type(parser) is CommandParser:
        parser.__class__ = ChineseCommandParser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _chinese_parsers(sub)


def pending_migrations() -> int | None:
    """How many migrations the default database still needs (None: the database cannot be asked)."""
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    except Exception:  # no database server, no permission ...: the original error says more
        return None


class Command(BaseCommand):
    """Base of Jiuye's management commands: errors in Chinese on the command line."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        _chinese_parsers(parser)
        return parser

    def execute(self, *args, **options):
        if not getattr(self, "_called_from_command_line", False) or options.get("traceback"):
            return super().execute(*args, **options)  # call_command (tests, other commands): raise as usual
        try:
            return super().execute(*args, **options)
        except SystemCheckError:
            raise
        except CommandError as exc:
            self.stderr.write(f"错误：{exc}")
            sys.exit(exc.returncode)
        except (OperationalError, ProgrammingError):
            pending = pending_migrations()
            if not pending:
                raise
            self.database_not_ready(
                f"错误：数据库尚未建立或不是最新版本（{pending} 个迁移待执行）。请先运行：jiuye migrate")

    def database_not_ready(self, message: str) -> None:
        """A table is missing because the database was never migrated: say what to run, and exit."""
        self.stderr.write(message)
        sys.exit(1)


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiuye.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jiuye", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
