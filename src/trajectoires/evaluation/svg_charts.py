"""Charts drawn as SVG on the server, for documents that run no script (the PDF report): the radar
of the self-assessment and the history of its campaigns. The pages draw the same figures with
ECharts; each chart here comes with a table of its figures in the document."""

import math
from collections.abc import Sequence

from django.utils.html import escape

# Colour-blind-safe palette (Okabe–Ito), in the order the series come.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")


def _point(cx: float, cy: float, radius: float, index: int, count: int) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return cx + radius * math.cos(angle), cy + radius * math.sin(angle)


def radar_svg(
    axes: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], *, maximum: int, title: str
) -> str:
    """A radar: one axis per label, rings at each whole level, one closed line per series (a
    missing value is drawn at the centre)."""
    size, cx, cy, radius = 420, 210, 200, 150
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size + 40 + 18 * len(series)}" '
        f'role="img" aria-label="{escape(title)}">'
    ]
    for level in range(1, maximum + 1):
        ring = [_point(cx, cy, radius * level / maximum, i, len(axes)) for i in range(len(axes))]
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in ring)
        parts.append(f'<polygon points="{points}" fill="none" stroke="#bbb" stroke-width="0.7"/>')
    for index, label in enumerate(axes):
        x, y = _point(cx, cy, radius, index, len(axes))
        lx, ly = _point(cx, cy, radius + 18, index, len(axes))
        parts.append(
            f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="#bbb" stroke-width="0.7"/>'
        )
        parts.append(
            f'<text x="{lx:.1f}" y="{ly + 4:.1f}" font-size="12" text-anchor="middle">{escape(label)}</text>'
        )
    for number, (name, values) in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        shape = [
            _point(cx, cy, radius * (value or 0) / maximum, i, len(axes)) for i, value in enumerate(values)
        ]
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in shape)
        width = 3 if number == 0 else 1.5
        parts.append(
            f'<polygon points="{points}" fill="{colour}" fill-opacity="0.08" '
            f'stroke="{colour}" stroke-width="{width}"/>'
        )
        legend_y = size + 20 + 18 * number
        parts.append(f'<rect x="20" y="{legend_y - 10}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="38" y="{legend_y}" font-size="12">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def lines_svg(
    labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], *, maximum: int, title: str
) -> str:
    """Lines over the campaigns: one point per label, a gap where a value is missing."""
    width, height, left, top, plot_w, plot_h = 520, 300, 40, 20, 440, 200
    step = plot_w / max(len(labels) - 1, 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {width} {height + 18 * ((len(series) + 3) // 4)}" '
        f'role="img" aria-label="{escape(title)}">'
    ]
    for level in range(maximum + 1):
        y = top + plot_h - plot_h * level / maximum
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 8}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{level}</text>')
    for index, label in enumerate(labels):
        x = left + step * index
        parts.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 18}" font-size="11" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    for number, (name, values) in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        points = [
            (left + step * i, top + plot_h - plot_h * value / maximum)
            for i, value in enumerate(values)
            if value is not None
        ]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            stroke = 3 if number == 0 else 1.2
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="{stroke}"/>')
        for x, y in points:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>')
        lx, ly = 20 + 125 * (number % 4), height + 18 * (number // 4)
        parts.append(f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{lx + 16}" y="{ly}" font-size="11">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)
