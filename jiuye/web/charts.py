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


# -- targets: dashboard and big screen (issue 12, dashboard part) -----------------------------------------------
STATUS_COLOURS = {"green": "#2e8b57", "amber": "#d68910", "red": "#c0392b", "none": "#8a94a6"}


def _dark(option: dict) -> dict:
    """The big screen's dark theme: light text and faint grid lines on a dark background."""
    text = {"color": "#dfe7f3"}
    option["backgroundColor"] = "transparent"
    option["textStyle"] = text
    if option.get("legend"):
        option["legend"]["textStyle"] = text
    if option.get("title"):
        option["title"]["textStyle"] = {**option["title"].get("textStyle", {}), **text}
    for axis in ("xAxis", "yAxis"):
        if axis in option:
            option[axis] = {**option[axis], "axisLabel": {**option[axis].get("axisLabel", {}), "color": "#dfe7f3"},
                            "splitLine": {"lineStyle": {"color": "rgba(255,255,255,0.12)"}}}
    return option


def ranking_chart(names: list[str], values: list, statuses: list[str], *, name: str, title: str = "",
                  percent: bool = False, dark: bool = False) -> dict:
    """Children ranked on one KPI: horizontal bars, best at the top, each bar in its status colour (the table
    beside it names the status in words). ``values`` None = no value (no bar)."""
    option = _base(title)
    option["grid"] = {**option["grid"], "left": 8, "right": 56, "bottom": 8}
    option.pop("legend", None)
    option["tooltip"] = {"trigger": "axis", "axisPointer": {"type": "shadow"}}
    option["xAxis"] = {"type": "value", "axisLabel": {"formatter": "{value}%" if percent else "{value}"}}
    option["yAxis"] = {"type": "category", "data": list(reversed(names)), "axisLabel": {"interval": 0}}
    data = [{"value": v, "itemStyle": {"color": STATUS_COLOURS.get(s, STATUS_COLOURS["none"])}}
            for v, s in zip(reversed(values), reversed(statuses))]
    option["series"] = [{"name": name, "type": "bar", "data": data, "barMaxWidth": 22,
                         "label": {"show": True, "position": "right", "color": "#dfe7f3" if dark else "#1f2329"}}]
    option = {k: v for k, v in option.items() if v is not None}
    return _dark(option) if dark else option


def kpi_trend_chart(x: list[str], series: dict[str, list], *, title: str = "", percent: bool = False,
                    target: tuple[str, float] | None = None, dark: bool = False) -> dict:
    """A KPI over consecutive periods (None = no value: a gap); ``target`` = (name, value) draws the limit or
    target as a horizontal line."""
    option = line_chart(x, series, title=title, percent=percent, limits=dict([target]) if target else None)
    return _dark(option) if dark else option
