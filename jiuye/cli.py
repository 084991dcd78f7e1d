"""The `jiuye` command: Django's management commands under one name, like django-admin.

Our own commands derive from :class:`Command`, so that a failure reads "错误：…" (Django itself prints
"CommandError: …") and their messages to people stay Chinese; the machine-readable last lines that
scripts read (``imported=N updated=M unchanged=U rejected=K``, ``batch=N status=S``) are unchanged.
"""
import os
import sys

from django.core.management.base import BaseCommand, CommandError, SystemCheckError


class Command(BaseCommand):
    """Base of Jiuye's management commands: errors in Chinese on the command line."""

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


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiuye.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jiuye", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
