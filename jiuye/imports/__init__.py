"""The import engine: community Excel/CSV sheets into any app's records.

Readers (.xlsx/.xls/.csv), header matching with aliases, cell normalisation, per-row validation
with an error report (行号, 列, 值, 原因), batches with progress, dry run, chunked writes with
conflict retry, and the CLI (``jiuye import``), web and API entry points. It knows no domain: an app
adds an import kind by registering an importer (``kinds.register``) in its ``AppConfig.ready``.

    services.run_import(kind=..., path=..., actor=..., dry_run=False, original_name=None, progress=None)

See docs/imports.md.
"""
