"""Pieces the builders share: the KPI table, change drivers by child region, figure formatting."""
from __future__ import annotations

import datetime
from decimal import Decimal

from jiuye.reports import text
from jiuye.reports.builders import Chart, Table
from jiuye.targets import queries as tq

KPI_COLUMNS = ["指标", "单位", "本期值", "上期值", "去年同期", "目标值", "完成进度", "序时进度", "状态", "说明"]


def dec(value) -> Decimal | None:
    return None if value is None else Decimal(value)


def jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def cell(value, decimals: int = 0):
    """A table cell: the number itself (xlsx keeps numbers), or "—" when there is none."""
    if value is None:
        return text.DASH
    value = Decimal(value)
    return int(value) if decimals == 0 and value == value.to_integral_value() else float(round(value, decimals))


def target_text(s: tq.KpiStatus) -> str:
    if s.target is not None and getattr(s.target, "value_text", ""):
        return s.target.value_text
    return text.num(s.target_value, s.kpi.decimals) if s.target_value is not None else text.DASH


def kpi_table(title: str, now: list[tq.KpiStatus], previous: list[tq.KpiStatus] | None = None,
              year_before: list[tq.KpiStatus] | None = None) -> Table:
    prev = {s.kpi.code: s for s in previous or []}
    yb = {s.kpi.code: s for s in year_before or []}
    rows = []
    for s in now:
        d = s.kpi.decimals
        p, y = prev.get(s.kpi.code), yb.get(s.kpi.code)
        rows.append([s.kpi.name, s.kpi.unit, cell(s.value, d), cell(p.value if p else None, d),
                     cell(y.value if y else None, d), target_text(s), text.pct(s.progress), text.pct(s.elapsed_share),
                     s.status_label if s.status != tq.NONE else text.DASH, s.status_text or ""])
    return Table(title, KPI_COLUMNS, rows)


def kpi_target_chart(title: str, statuses: list[tq.KpiStatus]) -> Chart:
    """完成进度 against 序时进度 (percent) for the KPIs with a target and a progress."""
    shown = [s for s in statuses if s.progress is not None or s.elapsed_share is not None] or statuses[:8]
    return Chart("bar", title, [s.kpi.name for s in shown],
                 [("完成进度（%）", [None if s.progress is None else float(round(s.progress * 100, 1)) for s in shown]),
                  ("序时进度（%）", [None if s.elapsed_share is None else float(round(s.elapsed_share * 100, 1))
                                   for s in shown])], y_title="%")


def drivers(now: dict[str, int | Decimal | None], before: dict[str, int | Decimal | None], names: dict[str, str],
            *, limit: int = 3) -> list[tuple[str, Decimal]]:
    """The child regions behind a change: the largest moves in the direction of the total's change."""
    keys = set(now) | set(before)
    diffs = {k: Decimal(now.get(k) or 0) - Decimal(before.get(k) or 0) for k in keys
             if now.get(k) is not None or before.get(k) is not None}
    total = sum(diffs.values(), Decimal(0))
    sign = 1 if total >= 0 else -1
    ranked = sorted((d * sign, k) for k, d in diffs.items() if d * sign > 0)
    return [(names.get(k, k), diffs[k]) for _, k in reversed(ranked[-limit:])]


def by_child_prefix(statuses: list[tq.KpiStatus], width: int) -> dict[str, Decimal | None]:
    return {s.region_code[:width]: s.value for s in statuses}
