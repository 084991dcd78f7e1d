"""Full-text search of vacancies in Chinese: the one predicate over ``Vacancy.search_text``.

The stored text is ``index_text`` (the words and the two-character pieces of longer Chinese words). The
query text is cut with the same tokenizer as the stored text (``jobs.text.tokens``); every word must
occur (AND). SQLite answers from the FTS5 table ``jobs_vacancy_fts`` (migration 0002), PostgreSQL from the
GIN index on the stored generated column ``search_tsv`` (``to_tsvector('simple', search_text)``, migration 0002);
any other database falls back to substring tests.
"""
from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from jiuye.jobs.text import search_text, tokens


def _cjk(word: str) -> bool:
    return all("\u4e00" <= ch <= "\u9fff" for ch in word)


def index_text(*parts: str) -> str:
    """What ``Vacancy.search_text`` stores: the words of ``parts`` (``jobs.text.search_text``) followed by the
    two-character pieces of every longer Chinese word, so that "理货" finds "理货员" and "电焊" finds "电焊工"
    (jieba keeps 理货员 whole). The query side cuts the query with the same tokenizer (``query_words``)."""
    base = search_text(*parts)
    words = base.split()
    seen = set(words)
    extra = []
    for word in words:
        if len(word) >= 3 and _cjk(word):
            for k in range(len(word) - 1):
                piece = word[k:k + 2]
                if piece not in seen:
                    seen.add(piece)
                    extra.append(piece)
    return " ".join(words + extra)


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
        return qs.extra(where=[f"\"{table}\".\"search_tsv\" @@ plainto_tsquery('simple'::regconfig, %s)"],
                        params=[" ".join(words)])
    for w in words:  # pragma: no cover - other databases
        qs = qs.filter(search_text__contains=w)
    return qs


def rebuild_index() -> None:
    """Rebuild SQLite's FTS5 table from the vacancies (after a bulk write that bypassed the triggers)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO jobs_vacancy_fts(jobs_vacancy_fts) VALUES ('rebuild')")
