"""Charts as PNG (docx and pdf): matplotlib's Agg canvas with the vendored font, no pyplot state, no system font."""
from __future__ import annotations

import io

from jiuye.reports.render import FONT_PATH

_font = None


def _font_props():
    global _font
    if _font is None:
        from matplotlib import font_manager
        font_manager.fontManager.addfont(str(FONT_PATH))
        _font = font_manager.FontProperties(fname=str(FONT_PATH))
    return _font


def chart_png(chart, *, width: float = 7.0, height: float = 3.6, dpi: int = 110) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    font = _font_props()
    fig = Figure(figsize=(width, height), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(111)
    n = len(chart.categories)
    xs = list(range(n))
    if chart.kind == "bar":
        k = max(len(chart.series), 1)
        w = 0.8 / k
        for i, (name, values) in enumerate(chart.series):
            ax.bar([x - 0.4 + w * (i + 0.5) for x in xs], [v or 0 for v in values], w, label=name)
    else:
        for name, values in chart.series:
            ax.plot(xs, [float("nan") if v is None else v for v in values], marker="o", markersize=3, label=name)
    ax.set_xticks(xs)
    ax.set_xticklabels(chart.categories, fontproperties=font, fontsize=7, rotation=30 if n > 6 else 0,
                       ha="right" if n > 6 else "center")
    for label in ax.get_yticklabels():
        label.set_fontproperties(font)
    ax.set_title(chart.title, fontproperties=font, fontsize=10)
    if chart.y_title:
        ax.set_ylabel(chart.y_title, fontproperties=font, fontsize=8)
    if chart.series:
        ax.legend(prop=font, fontsize=7)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
