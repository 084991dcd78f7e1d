"""Offset pagination without COUNT over big tables (a utility outside the floors, imports nothing of Jiuye)."""
from __future__ import annotations


MAX_OFFSET = 100_000_000  # beyond any list; a larger offset would overflow the database's integer


def page(qs, limit: int, offset: int, *, max_limit: int = 200) -> tuple[list, bool]:
    """Rows ``offset`` … ``offset + limit`` of an ordered queryset and whether more rows follow."""
    limit = max(1, min(int(limit), max_limit))
    offset = max(0, min(int(offset), MAX_OFFSET))
    rows = list(qs[offset : offset + limit + 1])
    return rows[:limit], len(rows) > limit
