"""Generated Chinese text of the reports: numbers, changes and the sentences naming the largest changes."""
from __future__ import annotations

from decimal import Decimal

DASH = "—"


def num(value, decimals: int = 0) -> str:
    """1234 → "1,234"; None → "—"."""
    if value is None:
        return DASH
    value = Decimal(value)
    return f"{value:,.{decimals}f}"


def pct(value, decimals: int = 1) -> str:
    """A share 0..1 → "58.3%"; None → "—"."""
    if value is None:
        return DASH
    return f"{Decimal(value) * 100:.{decimals}f}%"


def change(now, before) -> tuple[Decimal | None, Decimal | None]:
    """(difference, relative change) of ``now`` on ``before``; None where a side is missing or before is 0."""
    if now is None or before is None:
        return None, None
    diff = Decimal(now) - Decimal(before)
    rel = (diff / Decimal(before)) if Decimal(before) != 0 else None
    return diff, rel


def change_phrase(now, before, word: str) -> str:
    """"环比增长12.3%" / "同比下降5.0%" / "环比持平" / "" (no comparison possible); word is 环比 or 同比."""
    diff, rel = change(now, before)
    if diff is None:
        return ""
    if diff == 0:
        return f"{word}持平"
    if rel is None:
        return f"{word}增加{num(diff)}" if diff > 0 else f"{word}减少{num(-diff)}"
    return f"{word}{'增长' if rel > 0 else '下降'}{abs(rel) * 100:.1f}%"


def points_phrase(now, before, word: str, decimals: int = 2) -> str:
    """A rate's change in percentage points: "环比上升0.12个百分点" / "同比持平"."""
    diff, _rel = change(now, before)
    if diff is None:
        return ""
    if diff == 0:
        return f"{word}持平"
    return f"{word}{'上升' if diff > 0 else '下降'}{num(abs(diff), decimals)}个百分点"


def signed(value, decimals: int = 0) -> str:
    if value is None:
        return DASH
    value = Decimal(value)
    return f"+{num(value, decimals)}" if value > 0 else num(value, decimals)


def kpi_sentence(name: str, unit: str, value, previous, year_before, decimals: int = 0,
                 drivers: list[tuple[str, Decimal]] | None = None) -> str:
    """"城镇新增就业1,234人，环比增长12.3%，同比下降2.0%，主要来自西一路街道（+85人）、……。"."""
    if value is None:
        return f"{name}暂无数据。"
    parts = [f"{name}{num(value, decimals)}{unit if unit != '%' else '%'}"]
    for before, word in ((previous, "环比"), (year_before, "同比")):
        phrase = points_phrase(value, before, word, decimals) if unit == "%" else change_phrase(value, before, word)
        if phrase:
            parts.append(phrase)
    if drivers:
        named = "、".join(f"{name_}（{signed(d, decimals)}{unit}）" for name_, d in drivers)
        parts.append(f"变化主要来自{named}")
    return "，".join(parts) + "。"
