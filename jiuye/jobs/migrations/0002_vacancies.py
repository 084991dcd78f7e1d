"""The vacancies part of issue 10: the full-text index over ``jobs_vacancy.search_text`` per database.

``search_text`` holds the vacancy's title and description cut into words by ``jobs.text`` (rjieba),
space-separated, so each database's own full-text machinery indexes Chinese without a Chinese parser:
- SQLite: an FTS5 table with external content (``jobs_vacancy_fts``, tokenizer unicode61) kept in sync by
  three triggers on ``jobs_vacancy`` (insert, delete, update of search_text). Trap: a later migration that
  rebuilds ``jobs_vacancy`` on SQLite drops the triggers; it must call ``install_sqlite`` again (and
  ``INSERT INTO jobs_vacancy_fts(jobs_vacancy_fts) VALUES('rebuild')``).
- PostgreSQL: a stored generated column ``search_tsv`` = ``to_tsvector('simple', search_text)`` (not a model
  field: the database fills it on every insert and update) with a GIN index; ``jobs.queries.search`` matches
  it with ``plainto_tsquery('simple', …)``. Stored, so a plan that filters other conditions first does not
  recompute the vector per row.
"""
from django.db import migrations

SQLITE_INSTALL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS jobs_vacancy_fts USING fts5(search_text, content='jobs_vacancy', "
    "content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER IF NOT EXISTS jobs_vacancy_fts_ai AFTER INSERT ON jobs_vacancy BEGIN "
    "INSERT INTO jobs_vacancy_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS jobs_vacancy_fts_ad AFTER DELETE ON jobs_vacancy BEGIN "
    "INSERT INTO jobs_vacancy_fts(jobs_vacancy_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS jobs_vacancy_fts_au AFTER UPDATE OF search_text ON jobs_vacancy BEGIN "
    "INSERT INTO jobs_vacancy_fts(jobs_vacancy_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO jobs_vacancy_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO jobs_vacancy_fts(jobs_vacancy_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS jobs_vacancy_fts_ai",
    "DROP TRIGGER IF EXISTS jobs_vacancy_fts_ad",
    "DROP TRIGGER IF EXISTS jobs_vacancy_fts_au",
    "DROP TABLE IF EXISTS jobs_vacancy_fts",
]
PG_INSTALL = [
    "ALTER TABLE jobs_vacancy ADD COLUMN IF NOT EXISTS search_tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED",
    "CREATE INDEX IF NOT EXISTS jobs_vacancy_search_gin ON jobs_vacancy USING gin (search_tsv)",
]
PG_DROP = ["DROP INDEX IF EXISTS jobs_vacancy_search_gin", "ALTER TABLE jobs_vacancy DROP COLUMN IF EXISTS search_tsv"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)
    return run


install = _run({"sqlite": SQLITE_INSTALL, "postgresql": PG_INSTALL})
drop = _run({"sqlite": SQLITE_DROP, "postgresql": PG_DROP})


def install_sqlite(schema_editor) -> None:
    """Reinstall the SQLite index and triggers (for a later migration that rebuilds jobs_vacancy)."""
    for sql in SQLITE_INSTALL:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("jobs", "0001_initial")]
    operations = [migrations.RunPython(install, drop, elidable=False)]
