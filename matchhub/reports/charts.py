"""Charts of the reports sent upward, drawn on the server as PNG images.

A DOCX file or a printed page cannot run the Chart.js the screens use, so the same
figures are drawn here with matplotlib's Agg backend (no display, no pyplot state: each
chart is its own ``Figure``, safe in a threaded worker). matplotlib ships DejaVu Sans,
which has every Vietnamese letter, so the labels render the same on any server.

matplotlib is imported on first use: it costs most of a second, which no other page of
the app should pay.
"""

from __future__ import annotations

import base64
import io
import warnings
from dataclasses import dataclass
from functools import cached_property

# Inches: the width of an A4 page's text (16 cm); 130 dots per inch print sharp enough at
# that size and cost half the pixels of 180.
WIDTH_IN = 6.3
DPI = 130
# Long labels (skill or programme names) are cut so the bars keep most of the width.
LABEL_CHARS = 38
# The width of one character of the 8 pt labels, in inches (DejaVu Sans averages 0.55 em).
CHAR_IN = 0.062
_VI_DIGITS = str.maketrans(",.", ".,")
PALETTE = ("#0b5d6b", "#d9822b", "#5b8c3a", "#8e44ad", "#c0392b", "#2c3e50")


@dataclass
class Chart:
    """One chart: its categories, one or more series of values, and how to draw them.

    ``kind`` is ``barh`` (horizontal bars, for long category names), ``bar`` or ``line``;
    ``percent`` reads values as shares (0.25 → 25 %); ``log`` puts the value axis on a
    log scale (demand and supply differ by orders of magnitude).
    """

    title: str
    labels: list[str]
    series: list[tuple[str, list[float]]]
    kind: str = "barh"
    percent: bool = False
    log: bool = False
    value_label: str = ""
    lang: str = "vi"  # Vietnamese writes 1.234,5 where English writes 1,234.5

    @cached_property
    def png(self) -> bytes:
        """The chart as PNG bytes, drawn once per chart object."""
        return render_png(self)

    @property
    def data_uri(self) -> str:
        """The image as a ``data:`` URL for the print page (the CSP allows ``img-src data:``)."""
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def _height(chart: Chart) -> float:
    if chart.kind == "barh":
        per_bar = 0.24 * max(1, len(chart.series))
        return min(8.0, max(2.4, 1.1 + per_bar * len(chart.labels)))
    return 3.6


def _margins(fig, chart: Chart, labels: list[str], height: float) -> None:
    """Room for the category labels, from their length: matplotlib's layout engines measure
    every text by drawing the figure an extra time, which doubled the cost of a chart."""
    longest = max((len(x) for x in labels), default=0) * CHAR_IN
    left, bottom = 0.55, 0.45
    if chart.kind == "barh":
        left = 0.2 + longest
    elif len(labels) > 6:  # labels turned 35°: their height is about 0.57 of their length
        bottom = 0.3 + 0.6 * longest
        left = max(left, 0.15 + 0.8 * len(labels[0]) * CHAR_IN)
    fig.subplots_adjust(
        left=min(0.6, left / WIDTH_IN),
        right=1 - 0.3 / WIDTH_IN,
        bottom=min(0.6, bottom / height),
        top=1 - 0.15 / height,
    )


def render_png(chart: Chart) -> bytes:
    """Draw ``chart``; every bar carries its value, so the image reads without the table."""
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, NullFormatter, PercentFormatter

    # Unhinted glyphs: a quarter less time per chart (text is most of it), and a printed
    # image shows no difference. Only this module draws with matplotlib in the app.
    matplotlib.rcParams["text.hinting"] = "none"

    height = _height(chart)
    fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI)
    ax = fig.add_subplot()
    labels = [_short(str(x)) for x in chart.labels]
    _margins(fig, chart, labels, height)
    positions = list(range(len(labels)))
    n = max(1, len(chart.series))
    width = 0.8 / n

    def shown(value: float) -> str:
        if chart.percent:  # 4%, 0.5% (a small rate keeps a decimal)
            text = f"{value:.0%}" if value >= 0.1 or value == 0 else f"{value:.1%}"
        else:
            text = f"{value:,.1f}".removesuffix(".0")
        return text.translate(_VI_DIGITS) if chart.lang == "vi" else text

    for i, (name, values) in enumerate(chart.series):
        colour = PALETTE[i % len(PALETTE)]
        values = [float(v or 0) for v in values]
        if chart.kind == "line":
            ax.plot(positions, values, marker="o", color=colour, label=name)
            continue
        offsets = [p - 0.4 + width * (i + 0.5) for p in positions]
        draw = ax.barh if chart.kind == "barh" else ax.bar
        bars = draw(offsets, values, width, color=colour, label=name)
        # A zero share is a figure worth reading; a zero count is just no bar.
        texts = [shown(v) if v or chart.percent else "" for v in values]
        ax.bar_label(bars, labels=texts, padding=2, fontsize=7)
    if chart.kind == "barh":
        ax.set_yticks(positions, labels, fontsize=8)
        ax.invert_yaxis()  # the first row of the table on top
        value_axis = ax.xaxis
        if chart.log:
            ax.set_xscale("log")
        ax.margins(x=0.12)
    else:
        if len(labels) > 6:
            ax.set_xticks(
                positions, labels, fontsize=8, rotation=35, ha="right", rotation_mode="anchor"
            )
        else:
            ax.set_xticks(positions, labels, fontsize=8)
        value_axis = ax.yaxis
        if chart.log:
            ax.set_yscale("log")
        ax.margins(y=0.12)
    if chart.percent:
        value_axis.set_major_formatter(PercentFormatter(1.0))
    elif chart.log:  # 10, 100, 1000 rather than 10^1 with crowded minor ticks
        value_axis.set_major_formatter(FuncFormatter(lambda v, _pos: shown(v)))
        value_axis.set_minor_formatter(NullFormatter())
    if chart.value_label:
        (ax.set_xlabel if chart.kind == "barh" else ax.set_ylabel)(chart.value_label, fontsize=8)
    ax.tick_params(labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    if len(chart.series) > 1 or chart.kind == "line":
        ax.legend(fontsize=7, loc="best")
    out = io.BytesIO()
    # A crowded chart may make the layout engine warn; the image is still right, and a
    # cosmetic warning must not fail a download.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # Fast zlib level: the image is a few percent larger, written several times faster.
        fig.savefig(out, format="png", pil_kwargs={"compress_level": 1})
    return out.getvalue()
