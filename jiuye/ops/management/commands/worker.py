"""jiuye worker: the background task process (long imports run here, off the web request).

It runs the tasks queued in the application's own database (django-tasks-db's worker, batch by batch),
and marks failed the imports whose process is gone: at start (a batch "running" in a process that no
longer exists, e.g. the previous worker killed by a restart) and every --check-every seconds; at the same
moments it queues the runs of report schedules that are due (issue 12, reports.services.run_due_schedules).
Run one or more beside the web server (README: production); SIGTERM finishes the task at hand first.
"""
from __future__ import annotations

import logging
import os
import signal
import socket
import time

from django.core.management.base import CommandError

from jiuye.cli import Command as JiuyeCommand
from jiuye.imports.services import mark_stale_batches

logger = logging.getLogger("jiuye.ops.worker")


class Command(JiuyeCommand):
    help = "后台任务进程：执行排队的导入、报告生成等任务，到期的报告计划按时生成，并把进程已退出的导入批次标记为“导入中断”。生产环境与网页服务一同常驻运行。"

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="队列为空时每隔多少秒查看一次（默认 1）")
        parser.add_argument("--check-every", type=float, default=60.0,
                            help="每隔多少秒检查一次中断的导入批次（默认 60）")
        parser.add_argument("--queue", default="*", help="只处理这些队列（逗号分隔；默认全部）")
        parser.add_argument("--once", action="store_true", help="处理完已排队的任务后退出")

    def handle(self, *args, **options):
        from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
        from django_tasks_db.backend import DatabaseBackend
        from django_tasks_db.management.commands.db_worker import Worker

        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        if not isinstance(backend, DatabaseBackend):
            raise CommandError("任务后端不是数据库队列（JIUYE_TASKS_IMMEDIATE=1 时任务在请求中直接执行，无需 worker）")
        marked = mark_stale_batches()
        self._due_reports()
        self.stdout.write(f"后台任务进程已启动（{socket.gethostname()}:{os.getpid()}）；标记中断的导入批次：{marked}")
        worker = Worker(queue_names=options["queue"].split(","), interval=options["interval"], batch=True,
                        backend_name=backend.alias, startup_delay=False, max_tasks=None,
                        worker_id=f"{socket.gethostname()}:{os.getpid()}"[:64], excluded_queue_names=[])
        previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
        worker.configure_signals()
        last_check = time.monotonic()
        try:
            while worker.running:
                worker.run()  # every ready task, then back here
                if options["once"] or not worker.running:
                    break
                if time.monotonic() - last_check >= options["check_every"]:
                    marked = mark_stale_batches()
                    if marked:
                        logger.warning("marked %d stale import batches failed", marked)
                    self._due_reports()
                    last_check = time.monotonic()
                time.sleep(options["interval"])
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _due_reports(self) -> None:
        """Queue the runs of report schedules that are due (reports.services.run_due_schedules: each schedule is
        claimed in a transaction, so two workers never make the same run)."""
        from jiuye.reports.services import run_due_schedules

        try:
            runs = run_due_schedules()
        except Exception:  # a broken schedule must not stop the imports' worker
            logger.exception("report schedules failed")
            return
        if runs:
            logger.info("queued %d scheduled reports", len(runs))
