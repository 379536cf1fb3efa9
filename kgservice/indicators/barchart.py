"""Server-side SVG: a horizontal bar chart of the municipalities of one area for one indicator.

One bar per area with a figure, longest first, each with its name, its figure and a ``<title>``;
the area's own figure (the county) and the whole country's as dashed reference lines named in
a legend. Areas without a figure get no bar (the page's table says why), never a zero bar. No
JavaScript: the SVG is written into the page, beside a table with the same figures.
"""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup, escape

BAR = "#3182bd"
REFERENCE_COLOURS = ("#b35806", "#0b3b5c")  # the area's own figure, the whole country
ROW = 20
LABEL_WIDTH = 130


def bar_chart(
    bars: list[tuple[str, str, float]],
    references: list[tuple[str, float]],
    fmt: Callable[[float], str],
    title: str,
    width: int = 480,
) -> Markup:
    """Bars of ``(code, name, value)`` (drawn in the order given) and vertical reference lines
    of ``(label, value)``; an empty string when no bar has a figure."""
    if not bars:
        return Markup("")
    values = [v for *_, v in bars] + [v for _, v in references]
    lo, hi = min(0.0, *values), max(0.0, *values)
    if hi == lo:
        hi = lo + 1
    top, legend = 10, 22 * len(references) + 10
    plot_w = width - LABEL_WIDTH - 70
    height = top + ROW * len(bars) + 24 + legend

    def x(v: float) -> float:
        return LABEL_WIDTH + plot_w * (v - lo) / (hi - lo)

    parts = [svg_head("bar-chart", title, width, height)]
    for n, (code, name, value) in enumerate(bars):
        y = top + n * ROW
        x0, x1 = sorted((x(0), x(value)))
        label = f"{name}: {fmt(value)}"
        parts.append(
            f'<g class="bar" data-area="{escape(code)}" data-value="{value!r}">'
            f"<title>{escape(label)}</title>"
            f'<text x="{LABEL_WIDTH - 6}" y="{y + ROW - 6}" font-size="13" '
            f'text-anchor="end">{escape(_short(name, 18))}</text>'
            f'<rect x="{x0:.1f}" y="{y + 2}" width="{max(x1 - x0, 1):.1f}" height="{ROW - 4}" '
            f'fill="{BAR}"/>'
            f'<text x="{x1 + 4:.1f}" y="{y + ROW - 6}" font-size="12">{escape(fmt(value))}</text>'
            "</g>"
        )
    bottom = top + ROW * len(bars)
    parts.append(
        f'<line x1="{x(0):.1f}" y1="{top}" x2="{x(0):.1f}" y2="{bottom}" stroke="#595959"/>'
    )
    for n, ((label, value), colour) in enumerate(zip(references, REFERENCE_COLOURS, strict=False)):
        text = escape(f"{label}: {fmt(value)}")
        ly = bottom + 24 + 22 * n
        parts.append(
            f'<g class="reference"><title>{text}</title>'
            f'<line x1="{x(value):.1f}" y1="{top - 4}" x2="{x(value):.1f}" y2="{bottom + 4}" '
            f'stroke="{colour}" stroke-width="2" stroke-dasharray="6 3"/>'
            f'<line x1="10" y1="{ly - 4}" x2="34" y2="{ly - 4}" '
            f'stroke="{colour}" stroke-width="2" stroke-dasharray="6 3"/>'
            f'<text x="40" y="{ly}" font-size="13">{text}</text></g>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def svg_head(css_class: str, title: str, width: int, height: int) -> str:
    """The opening of a chart: an ``img`` named by its ``<title>`` (id ``<css_class>-title``),
    drawn in a ``width`` × ``height`` box that shrinks with the page."""
    name = f"{css_class}-title"
    size = f'viewBox="0 0 {width} {height}" width="{width}" height="{height}"'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" role="img" '
        f'aria-labelledby="{name}" {size}><title id="{name}">{escape(title)}</title>'
    )


def _short(name: str, limit: int = 22) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"
