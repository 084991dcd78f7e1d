"""Chinese text for search, occupation suggestion and match relevance: one tokenizer for the app.

rjieba (jieba-rs bindings, maintained) cuts Chinese text into words; ``tokens`` drops punctuation,
whitespace and stop words, lower-cases Latin words and keeps each token once in first-seen order.
``search_text`` is the space-joined form stored on a vacancy (``Vacancy.search_text``) so that the
database's own full-text machinery (FTS5 on SQLite, tsvector on PostgreSQL) can index Chinese.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import rjieba

_WORD = re.compile(r"[\w\u4e00-\u9fff]", re.UNICODE)
STOP_WORDS = frozenset(
    "的 了 和 与 及 或 等 在 是 有 为 对 以 于 并 可 能 将 把 被 从 到 由 就 也 都 而 及其 以及 我们 公司 单位 岗位 "
    "招聘 要求 负责 相关 工作 人员 若干 优先 具有 具备 一定 良好 能力 以上 以下 左右 熟悉 进行 一名 名".split()
)


@lru_cache(maxsize=1)
def _ready() -> bool:
    rjieba.cut("预热")  # the dictionary loads on first use; do it once
    return True


def tokens(text: str, *, keep_stop_words: bool = False) -> list[str]:
    """The words of ``text``, each once, in order (stop words and punctuation dropped)."""
    if not text:
        return []
    _ready()
    text = unicodedata.normalize("NFKC", text)
    seen: dict[str, None] = {}
    for word in rjieba.cut(text):
        word = word.strip().lower()
        if not word or not _WORD.search(word):
            continue
        if not keep_stop_words and word in STOP_WORDS:
            continue
        seen.setdefault(word, None)
    return list(seen)


def search_text(*parts: str) -> str:
    """The space-joined tokens of all ``parts`` (what ``Vacancy.search_text`` stores)."""
    out: dict[str, None] = {}
    for part in parts:
        for word in tokens(part or ""):
            out.setdefault(word, None)
    return " ".join(out)
