"""The mass-layoff line (劳动合同法第四十一条) as pure functions, read with the parameters of the month judged.

``layoffs_of(lines, params)``: how many of a report's reductions count as layoffs (the reduction types in
``monitoring.layoff.reduction_types``). ``is_mass_layoff(layoffs, headcount, params)``: 20 people or more,
or fewer but at least 10% of the headcount at the start of the month (the numbers are parameters).
``layoff_explanation`` says why, in Chinese, with the article.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Iterable


def layoff_types(params) -> set[str]:
    return set(params["monitoring.layoff.reduction_types"])


def layoffs_of(lines: Iterable[tuple[str, int]], params) -> int:
    """``lines``: (reduction type, count) pairs of one report."""
    counted = layoff_types(params)
    return sum(n for kind, n in lines if kind in counted)


def is_mass_layoff(layoffs: int, headcount: int | None, params) -> bool:
    if layoffs <= 0:
        return False
    if layoffs >= int(params["monitoring.layoff.min_people"]):
        return True
    share = Decimal(str(params["monitoring.layoff.min_share"]))
    return bool(headcount) and Decimal(layoffs) >= share * Decimal(headcount)


def layoff_explanation(layoffs: int, headcount: int | None, params) -> str:
    people = int(params["monitoring.layoff.min_people"])
    share = Decimal(str(params["monitoring.layoff.min_share"]))
    if layoffs >= people:
        return f"裁减人员{layoffs}人，达到{people}人以上（《劳动合同法》第四十一条）"
    pct = (Decimal(layoffs) * 100 / Decimal(headcount)).quantize(Decimal("0.1")) if headcount else Decimal(0)
    return (f"裁减人员{layoffs}人，不足{people}人但占职工总数{headcount}人的{pct}%，达到{share * 100:.0f}%以上"
            "（《劳动合同法》第四十一条）")
