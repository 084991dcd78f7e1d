"""Importing persons, households, employers and registrations from community Excel/CSV sheets.

    run_import(kind=..., path=..., actor=..., dry_run=False, original_name=None, progress=None) -> ImportBatch

``kind`` is persons | households | employers | registrations. Every row is validated; good rows are
committed (each row fully or not at all), bad rows are rejected with one line per bad cell in an .xlsx
error report (行号, 列, 值, 原因) under MEDIA_ROOT/import_reports, whose path relative to MEDIA_ROOT is
stored in ``batch.report_file``. A file that cannot be used at all gives status ``unusable`` with the
reason in ``batch.error_message``. ``actor`` None is the installation administrator at the shell (the
whole region tree, audited as "system"); otherwise rows outside the actor's region scope are rejected.
``progress`` is called as progress(done_rows, total_rows).
"""
from jiuye.registry.imports.pipeline import run_import
from jiuye.registry.imports.readers import FileUnusable
from jiuye.registry.imports.report import write_error_report
from jiuye.registry.models import ImportBatch

__all__ = ["run_import", "write_error_report", "ImportBatch", "FileUnusable"]
