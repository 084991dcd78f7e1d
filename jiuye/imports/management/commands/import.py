"""jiuye import KIND FILE [--dry-run] [--user USERNAME] [--report PATH] [--background]

Synchronous by default (the import runs in this process); --background queues it for `jiuye worker`.

KIND is a registered import kind (``jiuye import --help`` lists them: persons, households ...).

Stdout ends with the result in Chinese (新增/更新/未变化/拒绝) and then, as the last line for scripts,
``imported=N updated=M unchanged=U rejected=K``. Exit code 0: every row
imported; 1: some rows rejected (the good rows are committed); 2: the file cannot be used (or the user
may not import). Reasons are printed in Chinese on stderr.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from jiuye.accounts import audit, roles
from jiuye.cli import Command as JiuyeCommand
from jiuye.imports import kinds, queries
from jiuye.imports.models import ImportBatch
from jiuye.imports.report import masked_report_name, write_error_report
from jiuye.imports.services import run_import, submit_import

EXIT_OK, EXIT_REJECTED, EXIT_UNUSABLE = 0, 1, 2  # noqa: F841 - documented exit codes


class Command(JiuyeCommand):
    @property
    def help(self) -> str:
        return _("导入 Excel（.xlsx）或 CSV 文件。导入类型：%(kinds)s") % {"kinds": kinds.describe()}

    def add_arguments(self, parser):
        parser.add_argument("kind", help=_("导入类型：%(kinds)s") % {"kinds": kinds.describe()})
        parser.add_argument("file", help=_("要导入的 .xlsx、.xls 或 .csv 文件"))
        parser.add_argument("--dry-run", action="store_true", help=_("只校验和计数，不写入任何数据"))
        parser.add_argument("--user", help=_("以该用户身份导入（不在其管辖范围内的行被拒绝）"))
        parser.add_argument("--report", help=_("同时把错误报告（.xlsx）写到这个路径"))
        parser.add_argument("--background", action="store_true",
                            help=_("交给后台任务进程（jiuye worker）导入，立即返回；最后一行为 batch=编号 status=状态"))

    def handle(self, *args, **options):
        try:
            kinds.get(options["kind"])
        except kinds.UnknownKind as exc:
            self._fail(EXIT_UNUSABLE, exc.message)
        actor = None
        if options.get("user"):
            actor = get_user_model().objects.select_related("region").filter(username=options["user"]).first()
            if actor is None or not actor.is_active:
                self._fail(EXIT_UNUSABLE, _("用户“%(u)s”不存在或已停用") % {"u": options["user"]})
            if not roles.can_import(actor):
                self._fail(EXIT_UNUSABLE, _("用户“%(u)s”的角色（%(r)s）无权导入数据") % {
                    "u": actor.username, "r": actor.get_role_display()})
        path = Path(options["file"])
        if options.get("background"):
            if not path.is_file():
                self._fail(EXIT_UNUSABLE, _("文件不存在：%(name)s") % {"name": path.name})
            token = audit.set_context(audit.AuditContext(channel="cli"))
            try:
                batch = submit_import(kind=options["kind"], upload=path, actor=actor, dry_run=options["dry_run"],
                                      original_name=path.name)
            finally:
                audit.reset_context(token)
            self.stderr.write(_("已交给后台任务进程导入；用 jiuye worker 运行任务进程，在导入页面查看进度。"), style_func=str)
            self.stdout.write(_("已排队：导入批次 %(pk)s，状态：%(s)s") % {"pk": batch.pk, "s": batch.get_status_display()})
            self.stdout.write(f"batch={batch.pk} status={batch.status}")
            return
        token = audit.set_context(audit.AuditContext(channel="cli"))
        bar = None
        try:
            progress = None
            if sys.stderr.isatty() and options.get("verbosity", 1) > 0:
                from tqdm import tqdm

                def progress(done: int, total: int) -> None:
                    nonlocal bar
                    if bar is None:
                        bar = tqdm(total=total, unit=_("行"), file=sys.stderr, dynamic_ncols=True, leave=False)
                    bar.total = total
                    bar.n = done
                    bar.refresh()

            batch = run_import(kind=options["kind"], path=path, actor=actor, dry_run=options["dry_run"],
                               original_name=path.name, progress=progress)
        finally:
            if bar is not None:
                bar.close()
            audit.reset_context(token)
        report = None
        if batch.report_file:
            if queries.report_access(actor, batch) == queries.FULL:
                report = Path(settings.MEDIA_ROOT) / batch.report_file
            else:  # the same rule as the web and the API
                report = Path(settings.MEDIA_ROOT) / masked_report_name(batch.report_file)
        if options.get("report"):
            target = Path(options["report"])
            target.parent.mkdir(parents=True, exist_ok=True)
            if report is not None:
                try:
                    # audited as an export; the operator at the shell gets the report the summary names
                    full = queries.report_access(actor, batch) == queries.FULL
                    report = queries.open_import_report(actor, batch, full=full)
                except (Http404, PermissionDenied) as exc:
                    self._fail(EXIT_UNUSABLE, str(exc), batch)
                shutil.copyfile(report, target)
            else:
                write_error_report([], target)
            report = target
        if batch.dry_run:
            self.stderr.write(_("仅校验，未写入任何数据。"), style_func=str)
        if batch.status == ImportBatch.Status.UNUSABLE:
            self._fail(EXIT_UNUSABLE, _("文件无法导入：%(m)s") % {"m": batch.error_message}, batch)
        if batch.rejected:
            self._fail(EXIT_REJECTED, _("%(n)d行被拒绝，其余行已%(done)s；错误报告：%(path)s") % {
                "n": batch.rejected, "done": _("校验通过") if batch.dry_run else _("导入"), "path": report}, batch)
        if report is not None:
            self.stderr.write(_("提示：%(path)s") % {"path": report}, style_func=str)
        self._summary(batch)

    def _summary(self, batch: ImportBatch | None) -> None:
        """The result in Chinese for people, then the machine line for scripts, always last."""
        if batch is None:
            self.stdout.write(_("未导入任何行"))
        else:
            counts = {"i": batch.imported, "u": batch.updated, "n": batch.unchanged, "r": batch.rejected}
            if batch.dry_run:
                self.stdout.write(_("校验结果（未写入）：可新增 %(i)d 行，可更新 %(u)d 行，未变化 %(n)d 行，拒绝 %(r)d 行") % counts)
            else:
                self.stdout.write(_("导入结果：新增 %(i)d 行，更新 %(u)d 行，未变化 %(n)d 行，拒绝 %(r)d 行") % counts)
        line = batch.summary_line() if batch is not None else "imported=0 updated=0 unchanged=0 rejected=0"
        self.stdout.write(line)
        self.stdout.flush()

    def database_not_ready(self, message: str) -> None:
        self._fail(EXIT_UNUSABLE, message)  # the machine line last, like any file that cannot be used

    def _fail(self, code: int, message: str, batch: ImportBatch | None = None) -> None:
        """Print the reason on stderr, the summary line last on stdout, and exit with ``code``."""
        self.stderr.write(message)
        self._summary(batch)
        sys.exit(code)
