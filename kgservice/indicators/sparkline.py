"""Server-side SVG: a small trend line of one area against a comparison (the whole country).

The situation picture's cards each carry one (:mod:`kgservice.indicators.dashboard`). The
area's series is a solid line, the comparison's a dashed one; an index has no national series
and is drawn against its reference level 100 as a dotted line. Every point has a ``<title>``
(series, period, figure); the SVG is an image named by its ``<title>`` and the page gives the
same figures as a table beside it. One period only: a line says nothing, so the figures are
drawn as horizontal bars from zero (the area filled, the comparison outlined with a dashed edge).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

AREA_COLOUR = "#0b3b5c"
COUNTRY_COLOUR = "#a14a00"
REFERENCE_COLOUR = "#595959"


@dataclass(frozen=True)
class Series:
    """One line: its name (shown in point titles), its points and how it is drawn."""

    name: str
    points: Sequence[tuple[str, float | None]]  # (period, figure or None), any order
    kind: str = "area"  # area (solid) | country (dashed)


def sparkline(
    svg_id: str,
    title: str,
    series: Sequence[Series],
    fmt: Callable[[float], str],
    reference: float | None = None,
    width: int = 220,
    height: int = 56,
) -> Markup:
    """A small line chart of ``series`` over their common periods (empty when none has a figure).

    ``svg_id`` makes the ``<title>``'s id unique on the page; ``reference`` (100 for an index)
    is drawn as a dotted horizontal line and kept inside the value range.
    """
    periods = sorted({p for s in series for p, v in s.points if v is not None})
    values = [v for s in series for _p, v in s.points if v is not None]
    if not periods:
        return Markup("")
    if reference is not None:
        values.append(reference)
    if len(periods) == 1:
        return _bars(svg_id, title, series, fmt, reference, width, height)
    lo, hi = min(values), max(values)
    if hi == lo:
        lo, hi = lo - 1, hi + 1
    pad = 6

    def x(period: str) -> float:
        if len(periods) == 1:
            return width / 2
        return pad + (width - 2 * pad) * periods.index(period) / (len(periods) - 1)

    def y(v: float) -> float:
        return pad + (height - 2 * pad) * (hi - v) / (hi - lo)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sparkline" role="img" '
        f'aria-labelledby="{svg_id}" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}">',
        f'<title id="{svg_id}">{escape(title)}</title>',
    ]
    if reference is not None:
        ry = f"{y(reference):.1f}"
        parts.append(
            f'<line class="reference" x1="0" y1="{ry}" x2="{width}" y2="{ry}" '
            f'stroke="{REFERENCE_COLOUR}" stroke-width="1" stroke-dasharray="1 3"/>'
        )
    for s in sorted(series, key=lambda s: s.kind == "area"):  # the area's line on top
        parts.extend(_line(s, x, y, fmt))
    parts.append("</svg>")
    return Markup("".join(parts))


def _line(
    s: Series, x: Callable[[str], float], y: Callable[[float], float], fmt: Callable[[float], str]
) -> list[str]:
    colour = AREA_COLOUR if s.kind == "area" else COUNTRY_COLOUR
    dash = "" if s.kind == "area" else ' stroke-dasharray="5 3"'
    pts = sorted((p, v) for p, v in s.points if v is not None)
    out = []
    if len(pts) > 1:
        d = " ".join(f"{x(p):.1f},{y(v):.1f}" for p, v in pts)
        out.append(
            f'<polyline class="series-{s.kind}" points="{d}" fill="none" stroke="{colour}" '
            f'stroke-width="2"{dash}/>'
        )
    for p, v in pts:
        out.append(
            f'<circle class="point-{s.kind}" cx="{x(p):.1f}" cy="{y(v):.1f}" r="2.5" '
            f'fill="{colour}"><title>{escape(f"{s.name} {p}: {fmt(v)}")}</title></circle>'
        )
    return out


def _bars(
    svg_id: str,
    title: str,
    series: Sequence[Series],
    fmt: Callable[[float], str],
    reference: float | None,
    width: int,
    height: int,
) -> Markup:
    """One period: a bar per series from zero, the area's filled, the comparison's dashed."""
    shown = [(s, p, v) for s in series for p, v in s.points if v is not None]
    top = max([v for _s, _p, v in shown] + ([reference] if reference is not None else []))
    scale = (width - 4) / top if top > 0 else 0.0
    bar = (height - 12) / 2
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sparkline" role="img" '
        f'aria-labelledby="{svg_id}" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}">',
        f'<title id="{svg_id}">{escape(title)}</title>',
    ]
    ordered = sorted(shown, key=lambda spv: spv[0].kind != "area")  # the area's bar first
    for i, (s, period, v) in enumerate(ordered):
        y = 4 + i * (bar + 4)
        w = max(v, 0) * scale
        look = (
            f'fill="{AREA_COLOUR}"'
            if s.kind == "area"
            else f'fill="#ffffff" stroke="{COUNTRY_COLOUR}" stroke-width="2" stroke-dasharray="5 3"'
        )
        parts.append(
            f'<rect class="bar-{s.kind}" x="1" y="{y:.1f}" width="{w:.1f}" height="{bar:.1f}" '
            f"{look}><title>{escape(f'{s.name} {period}: {fmt(v)}')}</title></rect>"
        )
    if reference is not None:
        rx = f"{1 + reference * scale:.1f}"
        parts.append(
            f'<line class="reference" x1="{rx}" y1="0" x2="{rx}" y2="{height}" '
            f'stroke="{REFERENCE_COLOUR}" stroke-width="1" stroke-dasharray="1 3"/>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
