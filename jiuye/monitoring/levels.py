"""Warning levels of a rate against its limit (pure).

A level is reached when the rate is at least ``ratio × limit``; the ratios come from the dated parameter
``monitoring.unemployment.level_ratios`` (blue, yellow, orange, red; system default 0.85, 0.95, 1.0, 1.1:
blue at 85% of the limit, yellow at 95%, orange on reaching the limit, red 10% above it). Below blue, or
without a rate or a limit, there is no level.
"""
from __future__ import annotations

from decimal import Decimal

LEVELS = ("blue", "yellow", "orange", "red")
LEVEL_LABELS = {"blue": "蓝色", "yellow": "黄色", "orange": "橙色", "red": "红色"}
DEFAULT_RATIOS = (Decimal("0.85"), Decimal("0.95"), Decimal("1.0"), Decimal("1.1"))


def thresholds(limit, ratios=None) -> list[tuple[str, Decimal]]:
    """[(level, rate at which it starts)] from blue to red."""
    ratios = tuple(ratios) if ratios else DEFAULT_RATIOS
    if len(ratios) != 4:
        raise ValueError("level ratios: four values (blue, yellow, orange, red)")
    return [(level, (Decimal(str(limit)) * Decimal(str(r))).quantize(Decimal("0.0001"))) for level, r in zip(LEVELS, ratios)]


def level_of(rate, limit, ratios=None) -> str | None:
    """The highest level whose threshold ``rate`` reaches (percent against percent), or None."""
    if rate is None or limit is None:
        return None
    rate = Decimal(str(rate))
    out = None
    for level, start in thresholds(limit, ratios):
        if rate >= start:
            out = level
    return out


def label(level: str | None) -> str:
    return LEVEL_LABELS.get(level or "", "无")
