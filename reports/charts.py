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
# Drawn for a phone: the SVG scales to its column, and at 360 px wide a 600-unit chart shrank
# its 13-unit labels to 7 px. 360 units keep 14-unit text at 12-13 px on a phone; the CSS caps
# the chart at 30rem so the same text is not oversized on a desktop.
WIDTH = 360
FONT = 14
LABEL_UNITS = 11  # a bar's label: Korean characters count one, Latin letters and digits half
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


def _fit(label: str, units: float = LABEL_UNITS) -> str:
    """The label cut to what fits beside a bar (the table after the chart has it whole)."""
    used, out = 0.0, list[str]()
    for char in label:
        used += 0.5 if char.isascii() else 1.0
        if used > units:
            return "".join(out).rstrip() + "…"
        out.append(char)
    return label


def bar_chart(rows: list[tuple[str, float]], *, title: str, unit: str = "") -> SafeString:
    """Horizontal bars, one per row, labelled with the name and the value."""
    if not rows:
        return SafeString("")
    uid = next(_ids)
    top = max((value for _, value in rows), default=0) or 1
    row_h, label_w, value_w = 28, 160, 64
    bar_space = WIDTH - label_w - value_w
    height = row_h * len(rows) + 8
    bars = format_html_join(
        "",
        '<text x="0" y="{}" fill="{}" font-size="{}">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="18" fill="{}"></rect>'
        '<text x="{}" y="{}" fill="{}" font-size="{}">{}</text>',
        (
            (
                i * row_h + 18,
                TEXT,
                FONT,
                _fit(label),
                label_w,
                i * row_h + 5,
                round(bar_space * value / top, 1),
                BAR_COLOUR,
                label_w + round(bar_space * value / top) + 6,
                i * row_h + 18,
                TEXT,
                FONT,
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


def _label_points(count: int) -> list[tuple[int, str]]:
    """Which months get a label under the line (first, middle, last) and how each is anchored."""
    chosen = sorted({0, count // 2, count - 1})
    return [(i, "start" if i == 0 else "end" if i == count - 1 else "middle") for i in chosen]


def line_chart(points: list[tuple[str, float]], *, title: str) -> SafeString:
    """A trend line over months, each point marked and the first and last labelled."""
    if not points:
        return SafeString("")
    uid = next(_ids)
    height, left, bottom, top_pad = 200, 44, 30, 20
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
        '<text x="{}" y="{}" fill="{}" font-size="{}" text-anchor="{}">{}</text>',
        (
            # The first and last labels are anchored inside the chart, not cut at its edges.
            (coords[i][0], height - 8, TEXT, FONT, anchor, points[i][0])
            for i, anchor in _label_points(len(points))
        ),
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="chart-{}-t"'
        ' aria-describedby="chart-{}-d">'
        '<title id="chart-{}-t">{}</title><desc id="chart-{}-d">{}</desc>'
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"></line>'
        '<text x="0" y="{}" fill="{}" font-size="{}">{}</text>'
        '<text x="0" y="{}" fill="{}" font-size="{}">0</text>'
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
        FONT,
        _fmt(top),
        top_pad + plot_h,
        TEXT,
        FONT,
        path,
        BAR_COLOUR,
        dots,
        labels,
    )
