"""Charts as inline SVG, drawn on the server: no script, no library, nothing fetched.

Colours and sizes are SVG attributes (not `style=`), so the page's Content-Security-Policy can
forbid inline styles. Every label is escaped: agent and action names come from callers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

RISK_COLOURS = {"low": "#3d8b40", "medium": "#d9a400", "high": "#e0701b", "critical": "#c62828"}
BLOCK_COLOUR = "#c62828"
BAR_COLOUR = "#3f6fb5"
TEXT = "#333"
GRID = "#ddd"


@dataclass(frozen=True)
class Series:
    name: str
    colour: str
    values: Sequence[int]


def _nice_step(value: int, ticks: int = 4) -> int:
    """A round whole tick step (1, 2, 5 × 10^n) so that `ticks` steps reach at least `value`."""
    need = max(1, math.ceil(value / ticks))
    power = 10 ** int(math.floor(math.log10(need)))
    for step in (1, 2, 5, 10):
        if step * power >= need:
            return step * power
    return 10 * power


def _fmt(n: int) -> str:
    return f"{n:,}"


def stacked_bars(days: Sequence[str], series: Sequence[Series], label: str) -> Markup:
    """One bar per day, the series stacked bottom-up, with a legend and per-bar tooltips."""
    width, height = 760, 260
    left, right, top, bottom = 56, 12, 28, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(s.values[i] for s in series) for i in range(len(days))]
    step = _nice_step(max(totals, default=0))
    ymax = step * 4
    n = max(len(days), 1)
    slot = plot_w / n
    bar_w = max(1.0, slot * 0.8)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i in range(5):  # horizontal grid and y labels
        value = step * i
        y = top + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="{TEXT}">{_fmt(value)}</text>'
        )
    every = max(1, math.ceil(n / 12))
    for i, day in enumerate(days):
        x = left + i * slot + (slot - bar_w) / 2
        y = top + plot_h
        tip = [f"{day}: {_fmt(totals[i])}"] + [
            f"{s.name} {_fmt(s.values[i])}" for s in series if s.values[i]
        ]
        parts.append(f"<g><title>{escape(', '.join(tip))}</title>")
        for s in series:
            h = plot_h * s.values[i] / ymax
            if h <= 0:
                continue
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{s.colour}"/>'
            )
        parts.append("</g>")
        if i % every == 0:
            cx = left + i * slot + slot / 2
            parts.append(
                f'<text x="{cx:.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
                f'font-size="11" fill="{TEXT}">{escape(day[5:])}</text>'
            )
    x = left
    for s in series:  # legend
        parts.append(
            f'<rect x="{x}" y="6" width="12" height="12" fill="{s.colour}"/>'
            f'<text x="{x + 16}" y="16" font-size="12" fill="{TEXT}">{escape(s.name)}</text>'
        )
        x += 24 + 8 * len(s.name)
    parts.append("</svg>")
    return Markup("".join(parts))


def hbars(
    items: Sequence[tuple[str, int]],
    label: str,
    colour: str = BAR_COLOUR,
    *,
    width: int = 760,
    label_w: int = 220,
) -> Markup:
    """Horizontal bars, one per (name, count), in the given order."""
    if not items:
        return Markup('<p class="muted">No data in this period.</p>')
    row = 24
    height = row * len(items) + 8
    vmax = max(n for _, n in items) or 1
    plot_w = width - label_w - 70
    chars = max(8, label_w // 7)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (name, n) in enumerate(items):
        y = 4 + i * row
        short = name if len(name) <= chars else name[: chars - 1] + "…"
        w = max(1.0, plot_w * n / vmax)
        parts.append(
            f"<g><title>{escape(name)}: {_fmt(n)}</title>"
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end" font-size="12" '
            f'fill="{TEXT}">{escape(short)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row - 8}" fill="{colour}"/>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 15}" font-size="12" '
            f'fill="{TEXT}">{_fmt(n)}</text></g>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
