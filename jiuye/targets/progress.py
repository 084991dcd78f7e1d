"""Progress against a target (目标进度): the time-elapsed share (序时进度), what is compared, and the status.

For a target and a period P (a month, quarter or year inside the target's years):

- **window**: an ``annual`` target is judged over P's year; a ``cumulative`` or ``level`` target over its plan
  years (``start_year`` .. ``end_year``).
- **elapsed share** (序时进度) = days from 1 January of the window's first year to P's last day ÷ days of the
  window, capped to 0..1 (2024-06 of an annual 2024 target: 182/366 = 49.7%).
- **actual** (what is compared with the target):
  - ``annual`` flow (new urban jobs): the KPI over the year to date (``periods.year_to_date(P)``);
  - ``cumulative``: the sum of the annual values of the plan years before P's year plus P's year to date
    (the bracketed five-year sums of seed 004, as the statistics offices add them);
  - otherwise (levels, stocks, rates, annual ceilings): the KPI's value for P (at P's end for a stock).
- **status**, with the thresholds as dated parameters read as of P's end (``targets.*``, national.yaml):
  - a count to reach (comparator at least/above on a flow or a stock: new jobs, communities): progress =
    actual ÷ target; green when progress ≥ elapsed share − ``targets.progress.amber_gap``, red when below
    elapsed share − ``targets.progress.red_gap``, amber between; reached (progress ≥ 1) is green;
  - a floor on a rate (≥90%): green when met, amber when short by at most ``amber_gap`` of the target, red
    otherwise;
  - a ceiling (at most/below: unemployment rates): red when the limit is reached (below) or passed (at most),
    amber from ``targets.ceiling.amber_share`` of the limit, green under it;
  - equal (zero-employment households at 0): green when equal, red otherwise.

The functions here are pure (no queries except the parameters); ``queries.py`` gathers the values.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from jiuye.monitoring.periods import YEAR, Period, Span, year_to_date
from jiuye.targets.kpis.catalogue import FLOW, RATE, Kpi
from jiuye.targets.models import COMPARATOR_SIGNS, Comparator, Target, TargetScope

GREEN, AMBER, RED, NONE = "green", "amber", "red", "none"
HUNDRED = Decimal(100)
FLOORS = (Comparator.AT_LEAST, Comparator.ABOVE, Comparator.ABOUT)
CEILINGS = (Comparator.AT_MOST, Comparator.BELOW)


@dataclass
class Judgement:
    target_value: Decimal | None
    actual: Decimal | None
    elapsed_share: Decimal | None
    progress: Decimal | None
    status: str
    status_text: str
    compared_label: str = ""


def window(target: Target, period: Period) -> tuple[datetime.date, datetime.date]:
    """First and last day of the years a target is judged over for ``period``."""
    if target.scope == TargetScope.ANNUAL:
        year = period.start.year
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return datetime.date(target.start_year, 1, 1), datetime.date(target.end_year, 12, 31)


def elapsed_share(target: Target, period: Period) -> Decimal:
    """序时进度: days from the window's first day to P's last day ÷ days of the window, 0..1 (4 decimals)."""
    first, last = window(target, period)
    total = (last - first).days + 1
    gone = (min(period.end, last) - first).days + 1
    share = Decimal(max(0, min(gone, total))) / Decimal(total)
    return share.quantize(Decimal("0.0001"))


def applies(target: Target, period: Period) -> bool:
    return target.start_year <= period.start.year <= target.end_year


def is_count(kpi: Kpi) -> bool:
    return kpi.measure != RATE


def needs(target: Target, kpi: Kpi, period: Period) -> list[Period | Span]:
    """The periods whose values make the actual (see the module docstring)."""
    if target.scope == TargetScope.CUMULATIVE:
        years = [Period(datetime.date(y, 1, 1), YEAR) for y in range(target.start_year, period.start.year)]
        return years + [year_to_date(period)]
    if target.scope == TargetScope.ANNUAL and kpi.measure == FLOW:
        return [year_to_date(period)]
    return [period]


def compared_label(target: Target, kpi: Kpi, period: Period) -> str:
    if target.scope == TargetScope.CUMULATIVE:
        first = target.start_year
        if period.kind == YEAR or period.end.month == 12:
            return f"{first}—{period.start.year}年累计" if first < period.start.year else f"{first}年"
        return f"{first}年1月—{period.start.year}年{period.end.month}月累计"
    return needs(target, kpi, period)[-1].label


def fmt(value: Decimal | None, kpi: Kpi) -> str:
    if value is None:
        return "—"
    q = Decimal(1).scaleb(-kpi.decimals) if kpi.decimals else Decimal(1)
    text = f"{value.quantize(q):,}" if kpi.unit != "%" else f"{value.quantize(q)}"
    return text + kpi.unit


def plain(value: Decimal, kpi: Kpi) -> str:
    """A target's number as a plan writes it: no trailing zeros ("4%", "5.5%", "15,360人")."""
    n = Decimal(value).normalize()
    text = f"{n:,f}" if kpi.unit != "%" else f"{n:f}"
    return text + kpi.unit


def target_text(target: Target, kpi: Kpi) -> str:
    sign = {"at_least": "≥", "above": "＞", "at_most": "≤", "below": "＜", "equal": "", "about": "≈"}[target.comparator]
    return f"{sign}{plain(target.value, kpi)}"


def _pct(share: Decimal) -> str:
    return f"{(share * HUNDRED).quantize(Decimal('0.1'))}%"


def judge(target: Target | None, kpi: Kpi, period: Period, actual: Decimal | None, thresholds: dict) -> Judgement:
    """Status of ``actual`` against ``target`` for ``period``. ``thresholds``: {"amber_gap", "red_gap",
    "amber_share"} as Decimals (``thresholds_for``)."""
    if target is None:
        return Judgement(None, actual, None, None, NONE, "")
    label = compared_label(target, kpi, period)
    value = Decimal(target.value)
    comparator = target.comparator
    if actual is None:
        return Judgement(value, None, None, None, NONE, f"暂无数值（目标{target_text(target, kpi)}）", label)
    actual = Decimal(actual)
    if comparator == Comparator.EQUAL:
        ok = actual == value
        text = f"{fmt(actual, kpi)}，目标{'动态清零' if value == 0 else '为' + plain(value, kpi)}"
        return Judgement(value, actual, None, None, GREEN if ok else RED, text, label)
    if comparator in CEILINGS:
        reached = actual >= value if comparator == Comparator.BELOW else actual > value
        if reached:
            status = RED
        elif value > 0 and actual >= value * thresholds["amber_share"]:
            status = AMBER
        else:
            status = GREEN
        return Judgement(value, actual, None, None, status, f"{fmt(actual, kpi)}，控制目标{target_text(target, kpi)}", label)
    # floors
    met = actual > value if comparator == Comparator.ABOVE else actual >= value
    if is_count(kpi) and value > 0:
        share = elapsed_share(target, period)
        progress = (actual / value).quantize(Decimal("0.0001"))
        if met or progress >= share - thresholds["amber_gap"]:
            status = GREEN
        elif progress >= share - thresholds["red_gap"]:
            status = AMBER
        else:
            status = RED
        text = f"完成目标的{_pct(progress)}，序时进度{_pct(share)}"
        return Judgement(value, actual, share, progress, status, text, label)
    if met:
        status = GREEN
    elif actual >= value * (1 - thresholds["amber_gap"]):
        status = AMBER
    else:
        status = RED
    return Judgement(value, actual, None, None, status, f"{fmt(actual, kpi)}，目标{target_text(target, kpi)}", label)


def thresholds_for(region_code: str, on: datetime.date) -> dict:
    """The dated thresholds in force for ``region_code`` on ``on``."""
    from jiuye.parameters import params

    p = params(region_code, on)
    return {"amber_gap": Decimal(str(p["targets.progress.amber_gap"])),
            "red_gap": Decimal(str(p["targets.progress.red_gap"])),
            "amber_share": Decimal(str(p["targets.ceiling.amber_share"]))}


SCOPE_ORDER = {TargetScope.ANNUAL: 0, TargetScope.CUMULATIVE: 1, TargetScope.LEVEL: 2}


def pick(targets: list[Target], period: Period) -> Target | None:
    """The target a period is judged against among a region's current targets of one KPI: the annual one of
    P's year first, then a cumulative one, then a level; the latest plan first."""
    fitting = [t for t in targets if applies(t, period)]
    if not fitting:
        return None
    return sorted(fitting, key=lambda t: (SCOPE_ORDER.get(t.scope, 9), -t.start_year, -t.id))[0]


def rank_key(kpi: Kpi, value: Decimal | None, progress: Decimal | None):
    """Sort key among siblings (smaller = better): counts by progress (then value), rates by value."""
    if is_count(kpi) and progress is not None:
        return (0, -progress)
    if value is None:
        return None
    return (1, value if kpi.lower_is_better else -value)


__all__ = ["GREEN", "AMBER", "RED", "NONE", "Judgement", "elapsed_share", "judge", "needs", "pick", "rank_key",
           "thresholds_for", "COMPARATOR_SIGNS", "window", "applies", "fmt", "target_text"]
