"""Running one import: read, find the header, validate every row, write the good rows in chunks.

    run_import(kind=..., path=..., actor=..., dry_run=False, original_name=None, progress=None) -> ImportBatch

``kind`` is a registered import kind (``jiuye.imports.kinds``). Every row is validated; good rows
are committed chunk by chunk (each row fully or not at all), bad rows are rejected with one line
per bad cell in an .xlsx error report (行号, 列, 值, 原因) under MEDIA_ROOT/import_reports, whose path
relative to MEDIA_ROOT is stored in ``batch.report_file``. A file that cannot be used at all (or an
unknown kind) gives status ``unusable`` with the reason in ``batch.error_message``. ``actor`` None is
the installation administrator at the shell (the whole region tree, audited as "system");
otherwise rows outside the actor's region scope are rejected. ``progress`` is called as
progress(done_rows, total_rows).
"""
from __future__ import annotations

import datetime
import gc
import logging
import multiprocessing
import os
import pathlib
import secrets
import shutil
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import audit, roles
from jiuye.accounts.models import AuditEntry
from jiuye.imports import guard, kinds
from jiuye.imports.base import Context, Importer, Record, TooManyOutOfScope
from jiuye.imports.columns import HeaderFinder
from jiuye.imports.db import AuditWriter
from jiuye.imports.lookups import RegionIndex, Scope
from jiuye.imports.models import ImportBatch
from jiuye.imports.normalise import strip_control
from jiuye.imports.readers import FileUnusable, open_table
from jiuye.imports.report import masked_report_name, write_error_report

logger = logging.getLogger("jiuye.imports")

REPORT_DIR = "import_reports"


def _authenticated(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def _new_batch(*, kind: str, actor, dry_run: bool, file_name: str, status: str) -> ImportBatch:
    now = timezone.now()
    return ImportBatch.objects.create(
        kind=str(kind)[:16],
        file_name=strip_control(file_name)[:255],
        actor=actor if _authenticated(actor) else None,
        region_code=(getattr(actor, "region_id", None) or "") if actor is not None else "",
        dry_run=dry_run,
        status=status,
        runner=runner_id() if status == ImportBatch.Status.RUNNING else "",
        started_at=now,
        heartbeat_at=now,
    )


def run_import(*, kind: str, path: pathlib.Path, actor, dry_run: bool = False, original_name: str | None = None,
               progress: Callable[[int, int], None] | None = None) -> ImportBatch:
    """Import one file in this process; always returns the saved ImportBatch (see the package docstring)."""
    path = pathlib.Path(path)
    batch = _new_batch(kind=kind, actor=actor, dry_run=dry_run, file_name=original_name or path.name,
                       status=ImportBatch.Status.RUNNING)
    return _execute(batch, kind=kind, path=path, actor=actor, dry_run=dry_run, progress=progress)


def _execute(batch: ImportBatch, *, kind: str, path: pathlib.Path, actor, dry_run: bool,
             progress: Callable[[int, int], None] | None) -> ImportBatch:
    """Run the import of a batch that is running in this process; the batch ends in a final state."""
    try:
        return _execute_batch(batch, kind=kind, path=path, actor=actor, dry_run=dry_run, progress=progress)
    except BaseException:  # interrupted (a second Ctrl+C, the worker told to stop now): say so, then go on
        if ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.RUNNING).exists():
            fail_batch(batch, _("导入进程被终止"))
        raise


def _execute_batch(batch: ImportBatch, *, kind: str, path: pathlib.Path, actor, dry_run: bool,
                   progress: Callable[[int, int], None] | None) -> ImportBatch:
    progress = Progress(batch, progress)
    started = time.perf_counter()
    ctx = None
    allowed = None
    logged_kind = kind if kind in dict(kinds.choices()) else "(unknown)"  # never what a user typed
    try:
        try:
            importer_class = kinds.get(kind)
        except kinds.UnknownKind as exc:
            raise FileUnusable(exc.message) from None
        if actor is not None and not roles.can_import(actor):
            raise FileUnusable(_("您的角色无权导入数据"))
        scope = Scope(actor)
        if scope.prefix is None:
            raise FileUnusable(_("您的账号未设置所属区划，不能导入数据"))
        ctx = Context(actor=actor, scope=scope, regions=RegionIndex(scope), dry_run=dry_run, batch=batch,
                      audit=AuditWriter(actor))
        allowed = guard.allowance(actor)
        if allowed is not None:
            if allowed.exhausted:
                ctx.alert = {"reason": "per_day", "used": allowed.used, "limit": allowed.per_day}
                raise FileUnusable(_("您的账号24小时内导入的记录中不在管辖范围内的已达%(n)d条，暂停导入；"
                                     "已记入审计日志，请联系上级核实") % {"n": allowed.per_day})
            ctx.out_of_scope_limit = allowed.limit
        total = _run(importer_class, path, ctx, progress, batch.file_name)
        batch.total_rows = total
        if total == 0:
            raise FileUnusable(_("文件“%(name)s”只有表头，没有数据行") % {"name": batch.file_name})
        batch.status = ImportBatch.Status.PARTIAL if ctx.rejected_rows else ImportBatch.Status.OK
    except FileUnusable as exc:
        batch.status = ImportBatch.Status.UNUSABLE
        batch.error_message = exc.message
    except TooManyOutOfScope as exc:
        batch.status = ImportBatch.Status.UNUSABLE
        per_day = allowed is not None and exc.limit < allowed.per_file
        ctx.alert = {"reason": "per_day" if per_day else "per_file", "used": allowed.used if allowed else 0,
                     "limit": allowed.per_day if per_day else exc.limit}
        batch.error_message = _("文件中不在您管辖范围内的记录超过%(n)d条，导入已停止（此前已写入的行保留）；"
                                "已记入审计日志，请联系上级核实") % {"n": exc.limit}
    except Exception as exc:  # noqa: BLE001 - the batch must record the failure; no personal data is logged
        logger.error("import batch %s (%s) failed: %s", batch.pk, logged_kind, type(exc).__name__)
        batch.status = ImportBatch.Status.UNUSABLE
        batch.error_message = _("导入过程中发生内部错误（%(e)s），已导入的行保留，其余未导入，请联系管理员") % {
            "e": type(exc).__name__}
        if settings.DEBUG or getattr(settings, "TESTING", False):
            _finish(batch, ctx)
            raise
    except (KeyboardInterrupt, SystemExit):  # Ctrl-C at the shell, a worker told to stop: still a final state
        batch.status = ImportBatch.Status.FAILED
        batch.error_message = _("导入进程被终止（中断），已导入的行保留，其余未导入；重新导入同一文件不会产生重复记录")
        _finish(batch, ctx)
        raise
    _finish(batch, ctx)
    seconds = time.perf_counter() - started
    batch.timings = {**(ctx.timings if ctx is not None else {}), "total": seconds}  # not stored: for benchmarks
    logger.info("import batch %s %s: %s in %.1fs (%s)", batch.pk, logged_kind, batch.summary_line(), seconds,
                ", ".join(f"{stage} {s:.1f}s" for stage, s in batch.timings.items()))
    return batch


def _finish(batch: ImportBatch, ctx: Context | None) -> None:
    """Counts, the error report (and its masked copy), the final state and the audit entry: whatever
    happened before, the batch leaves here finished."""
    if ctx is not None:
        batch.imported, batch.updated, batch.unchanged = ctx.imported, ctx.updated, ctx.unchanged
        batch.rejected = len(ctx.rejected_rows)
        batch.out_of_scope = ctx.out_of_scope
        if ctx.errors or ctx.notes:
            relative = str(pathlib.PurePosixPath(REPORT_DIR) / f"{batch.pk}-{batch.kind}-{timezone.now():%Y%m%d%H%M%S}.xlsx")
            root = pathlib.Path(settings.MEDIA_ROOT)
            try:
                write_error_report(ctx.errors, root / relative, ctx.notes)
                write_error_report(ctx.errors, root / masked_report_name(relative), ctx.notes, masks=ctx.masks)
            except Exception as exc:  # noqa: BLE001 - the batch must still end; no cell value is logged
                logger.error("import batch %s: error report failed: %s", batch.pk, type(exc).__name__)
                batch.status = ImportBatch.Status.UNUSABLE
                batch.error_message = _("生成错误报告时发生内部错误（%(e)s），已导入的行保留，请联系管理员") % {
                    "e": type(exc).__name__}
            else:
                batch.report_file = relative
    if batch.status == ImportBatch.Status.RUNNING:  # never left running (an error before the status was set)
        batch.status = ImportBatch.Status.UNUSABLE
    batch.error_message = strip_control(batch.error_message)  # a message may quote a header of the file
    batch.finished_at = timezone.now()
    batch.save()
    summary = _("导入%(kind)s%(dry)s：新增%(i)d，更新%(u)d，未变化%(n)d，拒绝%(r)d") % {
        "kind": kinds.label(batch.kind), "dry": _("（仅校验）") if batch.dry_run else "",
        "i": batch.imported, "u": batch.updated, "n": batch.unchanged, "r": batch.rejected,
    }
    if batch.status == ImportBatch.Status.UNUSABLE:
        summary = _("导入失败：%(m)s") % {"m": batch.error_message}
    audit.record(
        batch.actor, AuditEntry.Action.IMPORT, object_type="import_batch", object_id=batch.pk,
        object_label=batch.file_name, region_code=batch.region_code,
        changes={"kind": batch.kind, "status": batch.status, "dry_run": batch.dry_run, "total_rows": batch.total_rows,
                 "imported": batch.imported, "updated": batch.updated, "unchanged": batch.unchanged,
                 "rejected": batch.rejected, "out_of_scope": batch.out_of_scope,
                 **({"out_of_scope_rows": ctx.out_of_scope_rows} if ctx is not None and ctx.out_of_scope_rows else {})},
        summary=summary,
    )
    alert = getattr(ctx, "alert", None)
    if alert is not None:
        audit.record(
            batch.actor, AuditEntry.Action.IMPORT, object_type=guard.ALERT_OBJECT_TYPE, object_id=batch.pk,
            object_label=batch.file_name, region_code=batch.region_code,
            changes={"import_batch": batch.pk, "kind": batch.kind, "dry_run": batch.dry_run,
                     "out_of_scope": batch.out_of_scope, **alert},
            summary=_("导入触及管辖范围外的记录过多（%(s)s上限%(n)d条），已停止，请核查") % {
                "s": _("24小时") if alert["reason"] == "per_day" else _("单个文件"), "n": alert["limit"]},
        )


class Progress:
    """How far a running import is: rows read, validated and written, recorded on the batch.

    The importing process writes them to the batch row (with ``heartbeat_at``, the sign that it is
    alive) after a chunk, at most once a second, outside the chunk's transaction; the batch page and
    ``GET /api/v1/imports/{id}`` show them. ``callback(done, total)`` (the CLI's bar) is called too.
    """

    EVERY = 1.0  # seconds between writes to the batch row

    def __init__(self, batch: ImportBatch, callback: Callable[[int, int], None] | None = None):
        self.batch = batch
        self.callback = callback
        self.expected = 0
        self.read = self.validated_rows = self.written_rows = 0
        self._last = 0.0

    def expect(self, expected: int) -> None:
        self.expected = expected
        self._save(force=True)

    def validated(self, done: int) -> None:
        self.read = max(self.read, done)
        self.validated_rows = max(self.validated_rows, done)
        self._report(done)

    def written(self, done: int) -> None:
        self.read = max(self.read, done)
        self.validated_rows = max(self.validated_rows, done)
        self.written_rows = max(self.written_rows, done)
        self._report(done)

    def finished(self, done: int) -> None:
        self.written(done)
        self._save(force=True)
        if self.callback is not None:
            self.callback(done, done)

    def flush(self) -> None:
        self._save(force=True)

    def _report(self, done: int) -> None:
        self._save()
        if self.callback is not None:
            self.callback(done, max(self.expected, done))

    def _save(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < self.EVERY:
            return
        self._last = now
        batch = self.batch
        batch.expected_rows, batch.rows_read = max(self.expected, self.read), self.read
        batch.rows_validated, batch.rows_written = self.validated_rows, self.written_rows
        batch.heartbeat_at = timezone.now()
        ImportBatch.objects.filter(pk=batch.pk).update(
            expected_rows=batch.expected_rows, rows_read=batch.rows_read, rows_validated=batch.rows_validated,
            rows_written=batch.rows_written, heartbeat_at=batch.heartbeat_at)


# ---------------------------------------------------------------------------------------------
# Off the request: queued imports, run by the task worker (jiuye.imports.tasks, `jiuye worker`)

UPLOAD_DIR = "import_uploads"


def submit_import(*, kind: str, upload, actor, dry_run: bool = False, original_name: str | None = None) -> ImportBatch:
    """Store an uploaded file under MEDIA_ROOT/import_uploads, queue its import and return the batch at once.

    ``upload`` is a Django ``UploadedFile`` (or anything with ``chunks()``) or a path. The batch is
    ``queued`` until the worker starts it (then ``running``, with progress); where tasks run at once
    (the tests, JIUYE_TASKS_IMMEDIATE=1) it comes back finished. The stored file is deleted when the
    import ends.
    """
    from jiuye.imports import tasks  # the task module imports this one

    name = original_name or getattr(upload, "name", None) or pathlib.Path(upload).name
    batch = _new_batch(kind=kind, actor=actor, dry_run=dry_run, file_name=pathlib.PurePath(name).name or "upload",
                       status=ImportBatch.Status.QUEUED)
    suffix = pathlib.PurePath(name).suffix.lower()[:8]
    relative = pathlib.PurePosixPath(UPLOAD_DIR) / f"{batch.pk}-{secrets.token_hex(8)}{suffix}"
    target = pathlib.Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(target, "wb") as out:
            if hasattr(upload, "chunks"):
                for chunk in upload.chunks():
                    out.write(chunk)
            else:
                with open(upload, "rb") as source:
                    shutil.copyfileobj(source, out, 1024 * 1024)
        ImportBatch.objects.filter(pk=batch.pk).update(upload_file=str(relative))
        context = audit.current_context()
        result = tasks.run_batch.enqueue(batch_id=batch.pk, channel=context.channel, ip_address=context.ip_address)
    except Exception:
        target.unlink(missing_ok=True)
        fail_batch(batch, _("无法保存或排队上传的文件"))
        raise
    ImportBatch.objects.filter(pk=batch.pk, task_id="").update(task_id=str(result.id)[:64])
    batch.refresh_from_db()
    return batch


def run_queued_batch(batch_id: int, *, task_id: str = "", channel: str = "", ip_address: str | None = None) -> str:
    """The worker's part: run a queued batch (once; a batch no longer queued is left alone). Returns its status."""
    now = timezone.now()
    claimed = ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.QUEUED).update(
        status=ImportBatch.Status.RUNNING, runner=runner_id(), task_id=task_id[:64], started_at=now, heartbeat_at=now)
    batch = ImportBatch.objects.select_related("actor").filter(pk=batch_id).first()
    if batch is None:
        return "missing"
    if not claimed:
        return batch.status
    path = pathlib.Path(settings.MEDIA_ROOT) / batch.upload_file if batch.upload_file else pathlib.Path("/nonexistent")
    token = audit.set_context(audit.AuditContext(channel=channel or "worker", ip_address=ip_address))
    try:
        _execute(batch, kind=batch.kind, path=path, actor=batch.actor, dry_run=batch.dry_run, progress=None)
    finally:
        audit.reset_context(token)
        _remove_upload(batch)
    return batch.status


def _remove_upload(batch: ImportBatch) -> None:
    if batch.upload_file:
        root = pathlib.Path(settings.MEDIA_ROOT).resolve()
        path = (root / batch.upload_file).resolve()
        if path.is_relative_to(root / UPLOAD_DIR):
            path.unlink(missing_ok=True)
        ImportBatch.objects.filter(pk=batch.pk).update(upload_file="")
        batch.upload_file = ""


def fail_batch(batch: ImportBatch, reason: str) -> bool:
    """Mark a queued or running batch failed with ``reason`` (audited); False when it had already ended."""
    message = _("导入中断：%(reason)s。已写入的行保留，其余未导入；请重新导入该文件（重复导入不会产生重复记录）") % {
        "reason": reason}
    now = timezone.now()
    if not ImportBatch.objects.filter(pk=batch.pk, status__in=ImportBatch.ACTIVE).update(
            status=ImportBatch.Status.FAILED, error_message=message, finished_at=now):
        return False
    batch.refresh_from_db()
    _remove_upload(batch)
    audit.record(
        batch.actor, AuditEntry.Action.IMPORT, object_type="import_batch", object_id=batch.pk,
        object_label=batch.file_name, region_code=batch.region_code,
        changes={"kind": batch.kind, "status": batch.status, "dry_run": batch.dry_run,
                 "rows_written": batch.rows_written, "reason": reason},
        summary=_("导入失败：%(m)s") % {"m": message},
    )
    logger.warning("import batch %s marked failed: %s", batch.pk, reason)
    return True


def runner_id() -> str:
    """This process as ``host:pid:start`` (the start time tells a reused process id apart)."""
    return f"{socket.gethostname()[:64]}:{os.getpid()}:{_start_time(os.getpid())}"


def _start_time(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return "" if fields[0] in ("Z", "X") else fields[19]  # state; starttime (field 22)
    except (OSError, IndexError):
        return "?"


def _runner_alive(runner: str) -> bool | None:
    """Whether the process named by ``runner`` still runs; None when it runs on another host (unknown)."""
    try:
        host, pid_text, start = runner.rsplit(":", 2)
        pid = int(pid_text)
    except ValueError:
        return None
    if host != socket.gethostname()[:64]:
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    now_start = _start_time(pid)
    if now_start == "":  # a zombie
        return False
    return now_start == start or "?" in (now_start, start)


def mark_stale_batches(*, stale_after: int | None = None) -> int:
    """Mark failed the batches whose import is gone; returns how many.

    A running batch whose process on this host has ended (killed worker, killed `jiuye import`), or that
    has shown no progress for ``stale_after`` seconds (JIUYE_IMPORT_STALE_SECONDS; a process on another
    host), and a queued batch whose task is gone from the queue. The worker runs this when it starts
    and every minute.
    """
    from jiuye.imports import tasks

    stale_after = settings.JIUYE_IMPORT_STALE_SECONDS if stale_after is None else stale_after
    cutoff = timezone.now() - datetime.timedelta(seconds=stale_after)
    marked = 0
    for batch in ImportBatch.objects.filter(status__in=ImportBatch.ACTIVE).select_related("actor"):
        reason = None
        if batch.status == ImportBatch.Status.RUNNING:
            alive = _runner_alive(batch.runner)
            if alive is False:
                reason = _("导入进程已退出（例如被终止或服务器重启）")
            elif batch.heartbeat_at is None or batch.heartbeat_at < cutoff:
                reason = _("导入进程长时间没有进展")
        elif tasks.task_gone(batch.task_id):
            reason = _("后台任务已丢失")
        elif not batch.task_id and batch.started_at < cutoff:
            reason = _("后台任务已丢失")
        if reason and fail_batch(batch, reason):
            marked += 1
    return marked


# Files with more data rows than this are read and validated in a forked producer process while this
# process writes the previous chunk to the database.
PARALLEL_THRESHOLD = 20_000


def _can_fork() -> bool:
    """Fork only a single-threaded process (a thread holding a lock at fork time could hang the child),
    and only when a core is idle: on a busy machine the two processes would just take turns."""
    cpus = os.cpu_count() or 1
    return ("fork" in multiprocessing.get_all_start_methods() and cpus > 1 and threading.active_count() == 1
            and _idle_cores(cpus) >= 1)


def _idle_cores(cpus: int, sample: float = 0.1) -> float:
    """How many cores were idle over a short sample (/proc/stat); else from the load average.

    The load average is a one-minute mean: right after another job it still counts that job."""
    def idle_total() -> tuple[int, int]:
        with open("/proc/stat", encoding="ascii") as fh:
            fields = [int(v) for v in fh.readline().split()[1:]]
        return fields[3] + fields[4], sum(fields[:8])  # idle + iowait, all but guest time

    try:
        idle_before, total_before = idle_total()
        time.sleep(sample)
        idle_after, total_after = idle_total()
    except (OSError, ValueError, IndexError):
        try:
            return cpus - os.getloadavg()[0]
        except OSError:
            return 0.0
    elapsed = total_after - total_before
    return cpus * (idle_after - idle_before) / elapsed if elapsed > 0 else 0.0


@dataclass
class _Chunk:
    records: list[Record]
    errors: list
    rejected: set[int]
    redo: list[tuple[int, list]]  # rows whose validation needs the database (redone by the writer)
    done: int  # data rows read so far
    notes: list = field(default_factory=list)  # 提示 lines (Importer.note)


def _run(importer_class: type[Importer], path: pathlib.Path, ctx: Context, progress: "Progress",
         name: str | None = None) -> int:
    finder = HeaderFinder(importer_class.kind)
    opened = time.perf_counter()
    table = open_table(path, finder, name)
    ctx.timings["open"] = time.perf_counter() - opened
    rows = table.rows
    head: list[tuple[int, list, bool]] = []
    for item in rows:
        head.append(item)
        if len(head) >= finder.scan_rows:
            break
    layout = finder.find([(number, cells) for number, cells, _blank in head])
    importer = importer_class(ctx, layout)
    expected = max(0, table.total_rows - layout.header_row)

    def data_rows():
        for number, cells, blank in head:
            if number > layout.header_row:
                yield number, cells, blank
        yield from rows

    progress.expect(expected)
    if importer.streaming and importer.parallel and expected > PARALLEL_THRESHOLD and _can_fork():
        done = _run_parallel(importer, data_rows(), progress)
    else:
        done = _run_serial(importer, data_rows(), progress)
    progress.flush()
    finishing = time.perf_counter()
    importer.finish()
    ctx.timings["finish"] = time.perf_counter() - finishing
    progress.finished(done)
    return done


def _run_serial(importer: Importer, data_rows, report) -> int:
    done = 0
    batch: list[tuple[int, list]] = []
    pending: list[Record] = []
    chunk_size = importer.chunk_size
    is_footer = importer.is_footer
    clock = _Clock(importer.ctx.timings)
    for number, cells, blank in data_rows:
        if blank or is_footer(cells):
            continue
        done += 1
        batch.append((number, cells))
        if len(batch) == chunk_size:
            clock.lap("read")
            records = _convert(importer, batch)
            clock.lap("validate")
            report.validated(done)
            batch = []
            if importer.streaming:
                importer.process(records)
                report.written(done)
            else:
                pending.extend(records)
            clock.lap("write")
    clock.lap("read")
    records = _convert(importer, batch)
    clock.lap("validate")
    report.validated(done)
    if importer.streaming:
        if records or importer.partial:
            importer.process(records)
    else:
        pending.extend(records)
        importer.process(pending)
    clock.lap("write")
    return done


class _Clock:
    """Seconds spent per stage (read, validate, write, wait), added up into ``timings``."""

    def __init__(self, timings: dict[str, float]):
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = self.timings.get(stage, 0.0) + now - self.last
        self.last = now


def _convert(importer: Importer, batch: list[tuple[int, list]]) -> list[Record]:
    """Convert rows in this process (where every lookup can reach the database)."""
    if not batch:
        return []
    records, redo = importer.convert_many(batch)
    if redo:  # only a producer process has lookups that cannot reach the database
        raise RuntimeError("import rows left to redo in the writing process")
    return records


def _die_with_parent(parent_pid: int, unused) -> None:
    """In the forked reader: close the pipe end it does not use and end when the writer ends.

    The reader holds copies of every descriptor of the writer (its database socket too): had it outlived
    a killed writer, PostgreSQL would keep the writer's session open, idle in transaction with its locks,
    and the reader would wait on a pipe nobody reads. On Linux the kernel kills it with its parent
    (PR_SET_PDEATHSIG); elsewhere ``_parent_gone`` is checked before every chunk, and a send to a closed
    pipe fails, since no other process holds the read end any more.
    """
    unused.close()
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux
        pass
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)


def _parent_gone(parent_pid: int) -> bool:
    return os.getppid() != parent_pid


def _produce(importer: Importer, data_rows, conn, parent_pid: int | None = None, unused=None) -> None:
    """The producer process: read, clean, convert, check and prepare rows; send chunks to the writer.

    Runs in a forked child that never touches the database (a lookup that would needs the database
    raises NeedsDatabase, and the row is handed back to be redone by the writer). It dies with its
    parent (``_die_with_parent``).
    """
    if parent_pid is not None:
        _die_with_parent(parent_pid, unused)

    timings: dict[str, float] = {}
    clock = _Clock(timings)

    def chunk(batch: list[tuple[int, list]], done: int) -> _Chunk:
        clock.lap("read")
        item = _Chunk([], [], set(), [], done)
        importer.collect_into(item.errors, item.rejected, item.notes)
        records, item.redo = importer.convert_many(batch)
        item.records = [importer.pack(r) for r in records]
        clock.lap("validate")
        return item

    def send(item) -> None:
        if parent_pid is not None and _parent_gone(parent_pid):
            os._exit(1)
        conn.send(item)
        clock.lap("send")

    # The rows make no reference cycles: the cyclic garbage collector would only walk the rows of the
    # chunk at hand again and again (about a quarter of the validating time). This process ends with
    # the file, so nothing else is affected.
    gc.disable()
    try:
        done = 0
        batch: list[tuple[int, list]] = []
        chunk_size = importer.chunk_size
        size = max(1, chunk_size // 5)  # a small first chunk: the writer starts sooner
        is_footer = importer.is_footer
        for number, cells, blank in data_rows:
            if blank or is_footer(cells):
                continue
            done += 1
            batch.append((number, cells))
            if len(batch) == size:
                send(chunk(batch, done))
                batch = []
                size = chunk_size
        send(chunk(batch, done))
        conn.send(("timings", timings))
        conn.send(None)
    except (BrokenPipeError, ConnectionResetError):  # the writer is gone: nobody to tell
        os._exit(1)
    except FileUnusable as exc:
        conn.send(("unusable", exc.message))
    except BaseException as exc:  # noqa: BLE001 - reported by the writer
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def _run_parallel(importer: Importer, data_rows, report) -> int:
    """Validate in a forked producer process while this process writes (2 cores: both stay busy)."""
    ctx = importer.ctx
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_produce, args=(importer, data_rows, sender, os.getpid(), receiver),
                            name="jiuye-import-reader", daemon=True)
    child.start()
    sender.close()  # only the reader writes: its end of the pipe closes when it ends
    done = 0
    clock = _Clock(ctx.timings)
    try:
        while True:
            try:
                item = receiver.recv()
            except EOFError:
                raise RuntimeError("import reader process ended unexpectedly") from None
            clock.lap("wait")
            if item is None:
                break
            if isinstance(item, tuple):
                if item[0] == "timings":
                    for stage, seconds in item[1].items():
                        ctx.timings[f"producer_{stage}"] = seconds
                    continue
                if item[0] == "unusable":
                    raise FileUnusable(item[1])
                raise RuntimeError(f"import reader process failed: {item[1]}")
            ctx.errors.extend(item.errors)
            ctx.rejected_rows.update(item.rejected)
            ctx.notes.extend(item.notes)
            records = [importer.unpack(packed) for packed in item.records]
            records.extend(_convert(importer, item.redo))
            clock.lap("receive")
            report.validated(item.done)
            if records:
                importer.process(records)
            clock.lap("write")
            done = item.done
            report.written(done)
    finally:
        receiver.close()
        child.join(5)
        if child.is_alive():
            child.terminate()
            child.join()
    return done
