"""Offset pagination without COUNT over big tables (a utility outside the floors, imports nothing of Jiuye)."""
from __future__ import annotations


MAX_OFFSET = 100_000_000  # beyond any list; a larger offset would overflow the database's integer


def page(qs, limit: int, offset: int, *, max_limit: int = 200) -> tuple[list, bool]:
    """Rows ``offset`` … ``offset + limit`` of an ordered queryset and whether more rows follow."""
    limit = max(1, min(int(limit), max_limit))
    offset = max(0, min(int(offset), MAX_OFFSET))
    rows = list(qs[offset : offset + limit + 1])
    return rows[:limit], len(rows) > limit


def sorted_by(qs, sorts: dict[str, tuple], key: str, default: str):
    """``qs`` ordered by the sort key ``key`` ("name" ascending, "-name" descending) of a list's whitelist
    ``sorts`` (key -> fields, ascending); an unknown key falls back to ``default``. The primary key ends
    every ordering (in the same direction) so that pages never overlap or skip rows on ties."""
    key = (key or "").strip()
    if key.lstrip("-") not in sorts:
        key = default
    descending = key.startswith("-")
    fields = [*sorts[key.lstrip("-")], "pk"]
    return qs.order_by(*[f"-{f}" if descending else f for f in fields])


def sort_key(sorts: dict[str, tuple], key: str, default: str) -> str:
    """The sort key actually applied by ``sorted_by`` (for marking the column header)."""
    key = (key or "").strip()
    return key if key.lstrip("-") in sorts else default
