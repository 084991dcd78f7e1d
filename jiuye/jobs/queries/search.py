"""Full-text search of vacancies in Chinese: the one predicate over ``Vacancy.search_text``.

The query text is cut with the same tokenizer as the stored text (``jobs.text.tokens``); every word must
occur (AND). SQLite answers from the FTS5 table ``jobs_vacancy_fts`` (migration 0002), PostgreSQL from the
GIN index on ``to_tsvector('simple', search_text)`` (the same expression here, so the planner uses it);
any other database falls back to substring tests.
"""
from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from jiuye.jobs.text import tokens


def query_words(text: str) -> list[str]:
    return tokens(text or "")[:12]


def fts5_query(words: list[str]) -> str:
    """An FTS5 MATCH expression: each word a quoted phrase (implicit AND), quotes doubled."""
    return " ".join('"%s"' % w.replace('"', '""') for w in words)


def text_filter(qs: QuerySet, text: str) -> QuerySet:
    """``qs`` (of Vacancy) narrowed to the vacancies whose text holds every word of ``text``."""
    words = query_words(text)
    if not words:
        return qs
    table = qs.model._meta.db_table
    if connection.vendor == "sqlite":
        return qs.extra(where=[f'"{table}"."id" IN (SELECT rowid FROM jobs_vacancy_fts WHERE jobs_vacancy_fts MATCH %s)'],
                        params=[fts5_query(words)])
    if connection.vendor == "postgresql":
        return qs.extra(where=[f"to_tsvector('simple'::regconfig, \"{table}\".\"search_text\") @@ "
                               "plainto_tsquery('simple'::regconfig, %s)"], params=[" ".join(words)])
    for w in words:  # pragma: no cover - other databases
        qs = qs.filter(search_text__contains=w)
    return qs


def rebuild_index() -> None:
    """Rebuild SQLite's FTS5 table from the vacancies (after a bulk write that bypassed the triggers)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO jobs_vacancy_fts(jobs_vacancy_fts) VALUES ('rebuild')")
