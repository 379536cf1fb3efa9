"""Server-side SVG: a trend line chart and a choropleth map of the wellbeing services counties.

No JavaScript and no CDN: the SVG is written into the page. The map projects WGS84 lon/lat
simply (equirectangular, x scaled by cos 64°N) from the county GeoJSON bundled in ``data/geo``.
Every shape and point has a ``<title>`` (its name and figure); areas without a figure are
hatched and named in the legend as missing — never coloured as zero.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from functools import cache
from pathlib import Path

from markupsafe import Markup, escape

#: Sequential blues, light → dark (5 classes); text on them is not needed (legend is separate).
PALETTE = ["#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]
NO_DATA = "url(#nodata)"
GEOJSON = "geo/finland_hyvinvointialueet_2023_dissolved_from_yle_kunnat.geojson"


@cache
def _county_shapes(path: Path) -> dict[str, list[list[tuple[float, float]]]]:
    """County code → rings (lists of (lon, lat))."""
    data = json.loads(path.read_text("utf-8"))
    shapes: dict[str, list[list[tuple[float, float]]]] = {}
    for feature in data["features"]:
        code = str(feature["properties"]["hyvinvointialue_code"]).zfill(2)
        geom = feature["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        shapes[code] = [[(x, y) for x, y in ring] for poly in polys for ring in poly]
    return shapes


def county_map(
    data_dir: Path,
    values: dict[str, float | None],
    names: dict[str, str],
    fmt: Callable[[float], str],
    title: str,
    missing_label: str,
    width: int = 320,
) -> Markup:
    """A choropleth of the counties coloured by ``values`` (county code → figure or None)."""
    path = data_dir / GEOJSON
    if not path.is_file():
        return Markup("")
    shapes = _county_shapes(path)
    k = math.cos(math.radians(64))
    pts = [(x * k, y) for rings in shapes.values() for ring in rings for x, y in ring]
    minx, maxx = min(p[0] for p in pts), max(p[0] for p in pts)
    miny, maxy = min(p[1] for p in pts), max(p[1] for p in pts)
    scale = width / (maxx - minx)
    height = int((maxy - miny) * scale) + 1
    shown = sorted(v for v in values.values() if v is not None)
    breaks = _breaks(shown)

    def colour(v: float | None) -> str:
        if v is None:
            return NO_DATA
        for i, b in enumerate(breaks[1:]):
            if v <= b:
                return PALETTE[i]
        return PALETTE[-1]

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="county-map" role="img" '
        f'aria-labelledby="map-title" viewBox="0 0 {width + 150} {height}" '
        f'width="{width + 150}" height="{height}">',
        f'<title id="map-title">{escape(title)}</title>',
        '<defs><pattern id="nodata" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#8a8f94" stroke-width="2"/></pattern></defs>',
    ]
    for code, rings in sorted(shapes.items()):
        d = " ".join(
            "M"
            + " L".join(f"{(x * k - minx) * scale:.1f},{(maxy - y) * scale:.1f}" for x, y in ring)
            + " Z"
            for ring in rings
        )
        v = values.get(code)
        label = f"{names.get(code, code)}: {fmt(v) if v is not None else missing_label}"
        parts.append(
            f'<path d="{d}" fill="{colour(v)}" stroke="#1b1b1b" stroke-width="0.5" '
            f'data-area="{code}"><title>{escape(label)}</title></path>'
        )
    # legend
    lx = width + 10
    for i in range(len(breaks) - 1):
        y = 10 + i * 22
        parts.append(f'<rect x="{lx}" y="{y}" width="16" height="16" fill="{PALETTE[i]}" '
                     'stroke="#1b1b1b" stroke-width="0.5"/>')  # fmt: skip
        text = f"{fmt(breaks[i])} – {fmt(breaks[i + 1])}"
        parts.append(f'<text x="{lx + 22}" y="{y + 13}" font-size="12">{escape(text)}</text>')
    y = 10 + max(len(breaks) - 1, 0) * 22
    parts.append(f'<rect x="{lx}" y="{y}" width="16" height="16" fill="{NO_DATA}" '
                 'stroke="#1b1b1b" stroke-width="0.5"/>')  # fmt: skip
    parts.append(f'<text x="{lx + 22}" y="{y + 13}" font-size="12">{escape(missing_label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _breaks(shown: list[float]) -> list[float]:
    """Class limits: equal-count (quantile) classes, at most five, first = min, last = max."""
    if not shown:
        return []
    n = min(len(PALETTE), len(set(shown)))
    if n <= 1:
        return [shown[0], shown[-1]]
    return [shown[round(i * (len(shown) - 1) / n)] for i in range(n)] + [shown[-1]]


def trend_chart(
    series: dict[str, list[tuple[str, float | None]]],
    highlight: str | None,
    fmt: Callable[[float], str],
    title: str,
    width: int = 560,
    height: int = 240,
) -> Markup:
    """Lines of (period, value) per area; ``highlight`` (e.g. the country) drawn bold."""
    periods = sorted({p for s in series.values() for p, v in s if v is not None})
    vals = [v for s in series.values() for _p, v in s if v is not None]
    if not periods or not vals:
        return Markup("")
    lo, hi = min(vals), max(vals)
    if hi == lo:
        lo, hi = lo - 1, hi + 1
    left, right, top, bottom = 60, 20, 20, 40
    pw, ph = width - left - right, height - top - bottom

    def x(p: str) -> float:
        return left + (pw * periods.index(p) / (len(periods) - 1) if len(periods) > 1 else pw / 2)

    def y(v: float) -> float:
        return top + ph * (hi - v) / (hi - lo)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="trend-chart" role="img" '
        f'aria-labelledby="trend-title" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}">',
        f'<title id="trend-title">{escape(title)}</title>',
        f'<line x1="{left}" y1="{top + ph}" x2="{left + pw}" y2="{top + ph}" stroke="#595959"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + ph}" stroke="#595959"/>',
        f'<text x="{left - 6}" y="{top + 4}" font-size="11" text-anchor="end">'
        f"{escape(fmt(hi))}</text>",
        f'<text x="{left - 6}" y="{top + ph}" font-size="11" text-anchor="end">'
        f"{escape(fmt(lo))}</text>",
    ]
    step = max(1, len(periods) // 8)
    for p in periods[::step]:
        parts.append(f'<text x="{x(p):.1f}" y="{height - 15}" font-size="11" '
                     f'text-anchor="middle">{escape(p)}</text>')  # fmt: skip
    order = sorted(series, key=lambda a: a == highlight)  # highlight last, on top
    for area in order:
        pts = [(p, v) for p, v in series[area] if v is not None]
        bold = area == highlight
        colour, w = ("#0b3b5c", 3) if bold else ("#9ecae1", 1)
        if len(pts) > 1:
            d = " ".join(f"{x(p):.1f},{y(v):.1f}" for p, v in pts)
            parts.append(f'<polyline points="{d}" fill="none" stroke="{colour}" '
                         f'stroke-width="{w}"/>')  # fmt: skip
        for p, v in pts:
            parts.append(
                f'<circle cx="{x(p):.1f}" cy="{y(v):.1f}" r="{4 if bold else 2.5}" '
                f'fill="{colour}"><title>{escape(f"{area} {p}: {fmt(v)}")}</title></circle>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))
