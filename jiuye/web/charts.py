"""ECharts options built on the server for the monitoring pages (issue 11).

A view builds an option with these helpers and renders ``web/_chart.html`` with it: the template writes
the option as JSON (``json_script``) and ``static/web/charts.js`` draws it with the ECharts the app serves
itself. Every chart sits beside a table of the same figures, so nothing is only in a picture.
"""
from __future__ import annotations

from itertools import count

_ids = count(1)
PALETTE = ["#1f5fa8", "#c0392b", "#2e8b57", "#d68910", "#7d3c98", "#17a589", "#5d6d7e"]
LEVEL_COLOURS = {"blue": "#2471a3", "yellow": "#d4ac0d", "orange": "#e67e22", "red": "#c0392b"}


def chart_id() -> str:
    return f"chart-{next(_ids)}"


def _base(title: str) -> dict:
    return {
        "color": PALETTE,
        "title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}} if title else None,
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0, "type": "scroll"},
        "grid": {"left": 48, "right": 16, "top": 40 if title else 16, "bottom": 56, "containLabel": True},
        "animation": False,
    }


def line_chart(x: list[str], series: dict[str, list], *, title: str = "", percent: bool = False,
               limits: dict[str, float] | None = None, band: tuple[str, list, list] | None = None) -> dict:
    """Lines over periods ``x``; ``series`` maps a name to values (None = no value: a gap, never a guess).
    ``limits`` draws horizontal lines (name → value); ``band`` = (name, lower, upper) shades an interval."""
    option = _base(title)
    option["xAxis"] = {"type": "category", "data": x, "boundaryGap": False}
    option["yAxis"] = {"type": "value", "scale": True,
                       "axisLabel": {"formatter": "{value}%" if percent else "{value}"}}
    out = []
    if band is not None:
        name, lower, upper = band
        out.append({"name": name, "type": "line", "data": lower, "stack": "band", "symbol": "none",
                    "lineStyle": {"opacity": 0}, "tooltip": {"show": False}, "legendHoverLink": False})
        out.append({"name": name, "type": "line", "symbol": "none", "stack": "band", "lineStyle": {"opacity": 0},
                    "areaStyle": {"color": "rgba(31,95,168,0.15)"},
                    "data": [None if lo is None or hi is None else round(hi - lo, 6) for lo, hi in zip(lower, upper)]})
    for name, values in series.items():
        out.append({"name": name, "type": "line", "data": values, "connectNulls": False, "symbolSize": 4})
    if limits and out:
        out[-1]["markLine"] = {"symbol": "none", "label": {"formatter": "{b}：{c}"},
                               "data": [{"name": n, "yAxis": v} for n, v in limits.items()]}
    option["series"] = out
    return {k: v for k, v in option.items() if v is not None}


def bar_chart(x: list[str], series: dict[str, list], *, title: str = "", horizontal: bool = False,
              stack: bool = False) -> dict:
    option = _base(title)
    cat = {"type": "category", "data": x}
    val = {"type": "value"}
    option["xAxis"], option["yAxis"] = (val, cat) if horizontal else (cat, val)
    option["series"] = [{"name": n, "type": "bar", "data": v, **({"stack": "all"} if stack else {})}
                        for n, v in series.items()]
    return {k: v for k, v in option.items() if v is not None}
