"""Server-side SVG charts: plain data in, an SVG string out (no JavaScript, nothing of Django).

Each chart carries a <title> and <desc> (named by `aria-labelledby`) and writes every value as text beside
its bar, so it reads without colour or hover; the table beneath the chart holds the same numbers.
Styling is by SVG presentation attributes (fill, font-size), which a style-src CSP does not block.
"""

import math
from collections.abc import Callable, Sequence
from html import escape

BAR_COLOUR = "#0d6efd"
AXIS_COLOUR = "#6c757d"
TEXT_COLOUR = "#212529"
FONT = 'font-family="system-ui, sans-serif"'

_SWAP = str.maketrans({",": ".", ".": ","})


def _fmt(value: float) -> str:
    """1234 → '1.234', 1234.5 → '1.234,5' (Indonesian grouping)."""
    return (f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}").translate(_SWAP)


def _open(width: int, height: int, title: str, desc: str, ident: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
            f'role="img" aria-labelledby="{ident}-t {ident}-d" class="dashboard-chart" {FONT}>'
            f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>')


def bar_chart(title: str, labels: Sequence[str], values: Sequence[float], *,
              value_format: Callable[[float], str] = _fmt, empty_text: str = "No data", ident: str = "bars",
              width: int = 640, bar_height: int = 22, label_width: int = 200) -> str:
    """Horizontal bars, one per label, the value written at the bar's end; longest bar = the largest value."""
    values = [float(v or 0) for v in values]
    desc = "; ".join(f"{label}: {value_format(v)}" for label, v in zip(labels, values, strict=True)) or empty_text
    gap = 6
    height = max(1, len(values)) * (bar_height + gap) + gap
    parts = [_open(width, height, title, desc, ident)]
    if not values:
        parts.append(f'<text x="8" y="{bar_height}" font-size="13" fill="{AXIS_COLOUR}">{escape(empty_text)}</text>')
        return "".join(parts) + "</svg>"
    biggest = max(values) or 1.0
    room = width - label_width - 90  # leave space for the value text after the longest bar
    parts.append(f'<line x1="{label_width}" y1="0" x2="{label_width}" y2="{height}" stroke="{AXIS_COLOUR}"/>')
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = gap + i * (bar_height + gap)
        length = round(room * value / biggest, 1)
        shown = label if len(label) <= 30 else label[:29] + "…"
        parts.append(
            f'<g><text x="{label_width - 6}" y="{y + bar_height * 0.7:.1f}" font-size="12" text-anchor="end" '
            f'fill="{TEXT_COLOUR}">{escape(shown)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar_height}" fill="{BAR_COLOUR}"/>'
            f'<text x="{label_width + length + 4}" y="{y + bar_height * 0.7:.1f}" font-size="12" '
            f'fill="{TEXT_COLOUR}">{escape(value_format(value))}</text></g>')
    return "".join(parts) + "</svg>"


def column_chart(title: str, labels: Sequence[str], values: Sequence[float], *,
                 value_format: Callable[[float], str] = _fmt, axis_format: Callable[[float], str] | None = None,
                 ident: str = "columns", width: int = 640, height: int = 260) -> str:
    """Vertical columns over an ordered axis (months), with value grid lines; every value is in <title>s."""
    values = [float(v or 0) for v in values]
    axis_format = axis_format or value_format
    desc = "; ".join(f"{label}: {value_format(v)}" for label, v in zip(labels, values, strict=True))
    left, right, top, bottom = 90, 10, 20, 40
    parts = [_open(width, height, title, desc, ident)]
    plot_w, plot_h = width - left - right, height - top - bottom
    biggest = max(values, default=0) or 1.0
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" '
                 f'stroke="{AXIS_COLOUR}"/>')
    for fraction in (0.5, 1.0):  # two grid lines with their values
        y = top + plot_h * (1 - fraction)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#dee2e6"/>'
                     f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="11" text-anchor="end" '
                     f'fill="{AXIS_COLOUR}">{escape(axis_format(biggest * fraction))}</text>')
    n = max(1, len(values))
    step = plot_w / n
    column = step * 0.7
    every = max(1, math.ceil(64 / step))  # a "2026-11" label needs ~50 px (more once the chart is scaled down)
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = left + i * step + (step - column) / 2
        h = plot_h * value / biggest
        parts.append(f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{column:.1f}" height="{h:.1f}" '
                     f'fill="{BAR_COLOUR}" fill-opacity="0.8"><title>{escape(label)}: '
                     f'{escape(value_format(value))}</title></rect>')
        if i % every == 0:
            parts.append(f'<text x="{x + column / 2:.1f}" y="{height - bottom + 16}" font-size="11" '
                         f'text-anchor="middle" fill="{TEXT_COLOUR}">{escape(label)}</text>')
    return "".join(parts) + "</svg>"


def table_chart(table, *, money_format: Callable[[float], str], empty_text: str = "No data",
                max_bars: int = 15) -> str:
    """The chart a dashboard table asks for (`table.chart`), drawn from its rows; "" when it wants none.

    Bars show the first `max_bars` rows (tables are sorted largest first); the table holds them all.
    """
    if not table.chart:
        return ""
    column = table.columns[table.chart_value]
    fmt = money_format if column.kind == "money" else _fmt
    rows = table.rows if table.chart == "columns" else table.rows[:max_bars]
    labels = [str(row[0]) for row in rows]
    values = [row[table.chart_value] or 0 for row in rows]
    title = f"{table.title}: {column.label}"
    if table.chart == "columns":
        return column_chart(title, labels, values, value_format=fmt, axis_format=fmt, ident=f"chart-{table.key}")
    return bar_chart(title, labels, values, value_format=fmt, empty_text=empty_text, ident=f"chart-{table.key}")
