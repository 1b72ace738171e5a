"""Charts as inline SVG drawn on the server: no script, no CDN, readable without colour (every bar carries
its number as text, series differ by pattern as well as shade) and always shown beside a table of the
same numbers. Markup is built with `format_html`, so labels are escaped."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
ROW = 26
LABEL = 190

PATTERNS = mark_safe(  # noqa: S308 (constant markup)
    '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
    '<line x1="0" y1="0" x2="0" y2="6" stroke="#7a1f1f" stroke-width="3"/></pattern></defs>'
)


def _n(value: float) -> str:
    """A coordinate as text (format_html escapes its arguments, so numbers are formatted first)."""
    return f"{value:.1f}"


def bars(title: str, rows: Sequence[tuple[str, float, str]]) -> SafeString:
    """Horizontal bars: (label, value, shown text) per row, longest first as given."""
    top = max((value for _, value, _ in rows), default=0) or 1
    span = WIDTH - LABEL - 70
    height = ROW * max(len(rows), 1) + 10
    items = format_html_join(
        "",
        '<g transform="translate(0,{})"><text x="{}" y="17" text-anchor="end" font-size="13">{}</text>'
        '<rect x="{}" y="4" width="{}" height="18" fill="#1f4e79"/>'
        '<text x="{}" y="18" font-size="13">{}</text></g>',
        (
            (
                i * ROW + 5,
                LABEL - 6,
                label[:28],
                LABEL,
                max(1, round(span * value / top)),
                LABEL + max(1, round(span * value / top)) + 5,
                shown,
            )
            for i, (label, value, shown) in enumerate(rows)
        ),
    )
    return format_html(
        '<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="100%" '
        'xmlns="http://www.w3.org/2000/svg"><title>{}</title>{}</svg>',
        title,
        WIDTH,
        height,
        title,
        items,
    )


def columns(title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[int]]]) -> SafeString:
    """Grouped columns per period (e.g. month): up to three series, solid / hatched / outlined."""
    fills = (("#1f4e79", "#1f4e79"), ("url(#hatch)", "#7a1f1f"), ("#fff", "#333"))
    height, base, legend_y = 240, 200, 230
    n = max(len(labels), 1)
    group = (WIDTH - 40) / n
    width = max(4.0, min(24.0, (group - 6) / max(len(series), 1)))
    top = max((v for _, values in series for v in values), default=0) or 1
    parts = []
    for i, label in enumerate(labels):
        x0 = 30 + i * group
        for s, (_, values) in enumerate(series):
            value = values[i] if i < len(values) else 0
            h = round(160 * value / top)
            x = x0 + s * width
            fill, stroke = fills[s % 3]
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}"/>'
                    '<text x="{}" y="{}" font-size="10" text-anchor="middle">{}</text>',
                    _n(x),
                    base - h,
                    _n(width - 1),
                    h,
                    fill,
                    stroke,
                    _n(x + width / 2),
                    base - h - 3,
                    value,
                )
            )
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="11" text-anchor="middle">{}</text>',
                _n(x0 + width * len(series) / 2),
                base + 14,
                label,
            )
        )
    legend = format_html_join(
        "",
        '<rect x="{}" y="{}" width="12" height="12" fill="{}" stroke="{}"/><text x="{}" y="{}" font-size="12">{}</text>',
        (
            (30 + s * 170, legend_y - 10, fills[s % 3][0], fills[s % 3][1], 46 + s * 170, legend_y, name)
            for s, (name, _) in enumerate(series)
        ),
    )
    return format_html(
        '<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="100%" '
        'xmlns="http://www.w3.org/2000/svg"><title>{}</title>{}{}<line x1="28" y1="{}" x2="{}" y2="{}" '
        'stroke="#333"/>{}</svg>',
        title,
        WIDTH,
        height,
        title,
        PATTERNS,
        format_html_join("", "{}", ((p,) for p in parts)),
        base,
        WIDTH - 10,
        base,
        legend,  # noqa: S308
    )


def band(
    title: str, labels: Sequence[str], values: Sequence[int], low: Sequence[float], high: Sequence[float]
) -> SafeString:
    """A series against its expected band (hot spots): the band as a grey area, the values as dots + text."""
    height, base = 200, 170
    n = max(len(labels), 1)
    step = (WIDTH - 60) / max(n - 1, 1)
    top = max([*values, *high, 1])
    y = lambda v: base - 150 * v / top  # noqa: E731
    upper = " ".join(f"{40 + i * step:.1f},{y(h):.1f}" for i, h in enumerate(high))
    lower = " ".join(f"{40 + i * step:.1f},{y(v):.1f}" for i, v in reversed(list(enumerate(low))))
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="4" fill="{}"/><text x="{}" y="{}" font-size="10" '
        'text-anchor="middle">{}</text>',
        (
            (
                _n(40 + i * step),
                _n(y(v)),
                "#7a1f1f" if v > high[i] else "#1f4e79",
                _n(40 + i * step),
                _n(y(v) - 7),
                v,
            )
            for i, v in enumerate(values)
        ),
    )
    ticks = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="10" text-anchor="middle">{}</text>',
        ((_n(40 + i * step), base + 14, label) for i, label in enumerate(labels) if n <= 16 or i % 2 == 0),
    )
    return format_html(
        '<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="100%" '
        'xmlns="http://www.w3.org/2000/svg"><title>{}</title><polygon points="{} {}" fill="#ddd" '
        'stroke="#999"/>{}{}</svg>',
        title,
        WIDTH,
        height,
        title,
        upper,
        lower,
        dots,
        ticks,
    )
