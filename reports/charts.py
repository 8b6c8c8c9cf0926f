"""Charts as server-rendered inline SVG: no JavaScript, nothing from a CDN, allowed by the CSP.

Each chart names itself (<title>, <desc>) for screen readers; the page prints the same numbers
in a table right after it, which is the text alternative.
"""

from __future__ import annotations

import itertools

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

_ids = itertools.count(1)
WIDTH = 600
BAR_COLOUR = "#1f5f99"  # 6.6:1 against white
TEXT = "#1d1d1d"


def _fmt(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _bar_summary(rows: list[tuple[str, float]], unit: str) -> str:
    high = max(rows, key=lambda r: r[1])
    low = min(rows, key=lambda r: r[1])
    return _(
        "%(count)s bars. Highest: %(high)s, %(high_value)s. Lowest: %(low)s, %(low_value)s. "
        "The table below gives every number."
    ) % {
        "count": len(rows),
        "high": high[0],
        "high_value": f"{_fmt(high[1])}{unit}",
        "low": low[0],
        "low_value": f"{_fmt(low[1])}{unit}",
    }


def _line_summary(points: list[tuple[str, float]]) -> str:
    high = max(points, key=lambda p: p[1])
    return _(
        "From %(first)s, %(first_value)s, to %(last)s, %(last_value)s; highest in %(high)s, "
        "%(high_value)s. The table below gives every number."
    ) % {
        "first": points[0][0],
        "first_value": _fmt(points[0][1]),
        "last": points[-1][0],
        "last_value": _fmt(points[-1][1]),
        "high": high[0],
        "high_value": _fmt(high[1]),
    }


def bar_chart(rows: list[tuple[str, float]], *, title: str, unit: str = "") -> SafeString:
    """Horizontal bars, one per row, labelled with the name and the value."""
    if not rows:
        return SafeString("")
    uid = next(_ids)
    top = max((value for _, value in rows), default=0) or 1
    row_h, label_w, value_w = 28, 200, 90
    bar_space = WIDTH - label_w - value_w
    height = row_h * len(rows) + 8
    bars = format_html_join(
        "",
        '<text x="0" y="{}" fill="{}" font-size="13">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="18" fill="{}"></rect>'
        '<text x="{}" y="{}" fill="{}" font-size="13">{}</text>',
        (
            (
                i * row_h + 18,
                TEXT,
                label[:28],
                label_w,
                i * row_h + 5,
                round(bar_space * value / top, 1),
                BAR_COLOUR,
                label_w + round(bar_space * value / top) + 6,
                i * row_h + 18,
                TEXT,
                f"{_fmt(value)}{unit}",
            )
            for i, (label, value) in enumerate(rows)
        ),
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="chart-{}-t"'
        ' aria-describedby="chart-{}-d">'
        '<title id="chart-{}-t">{}</title><desc id="chart-{}-d">{}</desc>{}</svg>',
        WIDTH,
        height,
        uid,
        uid,
        uid,
        title,
        uid,
        _bar_summary(rows, unit),
        bars,
    )


def line_chart(points: list[tuple[str, float]], *, title: str) -> SafeString:
    """A trend line over months, each point marked and the first and last labelled."""
    if not points:
        return SafeString("")
    uid = next(_ids)
    height, left, bottom, top_pad = 220, 50, 30, 20
    plot_w, plot_h = WIDTH - left - 20, height - bottom - top_pad
    top = max(value for _, value in points) or 1
    step = plot_w / max(1, len(points) - 1)
    coords = [
        (round(left + i * step, 1), round(top_pad + plot_h * (1 - value / top), 1))
        for i, (_, value) in enumerate(points)
    ]
    path = " ".join(f"{x},{y}" for x, y in coords)
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="4" fill="{}"></circle>',
        ((x, y, BAR_COLOUR) for x, y in coords),
    )
    labels = format_html_join(
        "",
        '<text x="{}" y="{}" fill="{}" font-size="12" text-anchor="middle">{}</text>',
        (
            (coords[i][0], height - 8, TEXT, points[i][0])
            for i in sorted({0, len(points) // 2, len(points) - 1})
        ),
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="chart-{}-t"'
        ' aria-describedby="chart-{}-d">'
        '<title id="chart-{}-t">{}</title><desc id="chart-{}-d">{}</desc>'
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"></line>'
        '<text x="0" y="{}" fill="{}" font-size="12">{}</text>'
        '<text x="0" y="{}" fill="{}" font-size="12">0</text>'
        '<polyline points="{}" fill="none" stroke="{}" stroke-width="3"></polyline>{}{}</svg>',
        WIDTH,
        height,
        uid,
        uid,
        uid,
        title,
        uid,
        _line_summary(points),
        left,
        top_pad + plot_h,
        WIDTH - 20,
        top_pad + plot_h,
        TEXT,
        top_pad + 4,
        TEXT,
        _fmt(top),
        top_pad + plot_h,
        TEXT,
        path,
        BAR_COLOUR,
        dots,
        labels,
    )
