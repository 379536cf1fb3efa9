"""Server-side SVG: a trend line chart and a choropleth map of the wellbeing services counties.

No JavaScript and no CDN: the SVG is written into the page. The map projects WGS84 lon/lat
simply (equirectangular, x scaled by cos 64°N) from the county GeoJSON bundled in ``data/geo``.
Every shape and point has a ``<title>`` (its name and figure); areas without a figure are
hatched and named in the legend as missing — never coloured as zero. The selected area stands
out: outlined thick on the map; a thick coloured line in the trend, where the whole country is a
dashed line and the other areas are thin grey ones, with a legend drawn in the SVG.
"""

from __future__ import annotations

import json
import math
import textwrap
from collections.abc import Callable, Collection, Sequence
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
    *,
    selected: Collection[str] = (),
    selected_label: str = "",
) -> Markup:
    """A choropleth of the counties coloured by ``values`` (county code → figure or None); the
    ``selected`` counties outlined thick and dark on top, named in the legend by
    ``selected_label``."""
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
    for code, rings in sorted(shapes.items(), key=lambda kv: kv[0] in selected):
        d = " ".join(
            "M"
            + " L".join(f"{(x * k - minx) * scale:.1f},{(maxy - y) * scale:.1f}" for x, y in ring)
            + " Z"
            for ring in rings
        )
        v = values.get(code)
        label = f"{names.get(code, code)}: {fmt(v) if v is not None else missing_label}"
        edge = 'class="selected" stroke-width="3"' if code in selected else 'stroke-width="0.5"'
        parts.append(
            f'<path d="{d}" fill="{colour(v)}" stroke="#1b1b1b" {edge} '
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
    if selected and selected_label:
        parts.append(_selected_entry(lx, y + 22, selected_label))
    parts.append("</svg>")
    return Markup("".join(parts))


def _selected_entry(lx: int, y: int, label: str) -> str:
    """The map legend's entry of the selected area: a thick outline, the name wrapped to fit."""
    lines = "".join(
        f'<tspan x="{lx + 22}" dy="{0 if i == 0 else 14}">{escape(line)}</tspan>'
        for i, line in enumerate(textwrap.wrap(label, 18))
    )
    return (
        f'<g class="legend-entry selected"><rect x="{lx + 1}" y="{y + 1}" width="14" '
        f'height="14" fill="none" stroke="#1b1b1b" stroke-width="3"/><text x="{lx + 22}" '
        f'y="{y + 13}" font-size="12">{lines}</text></g>'
    )


def _breaks(shown: list[float]) -> list[float]:
    """Class limits: equal-count (quantile) classes, at most five, first = min, last = max."""
    if not shown:
        return []
    n = min(len(PALETTE), len(set(shown)))
    if n <= 1:
        return [shown[0], shown[-1]]
    return [shown[round(i * (len(shown) - 1) / n)] for i in range(n)] + [shown[-1]]


#: Line styles of the trend chart: the selected area, the whole country, the other areas.
SELECTED = "#b35806"  # dark orange: 4.9:1 on white, apart from the greys and the map's blues
REFERENCE = "#1b1b1b"
MUTED = "#a8a8a8"


def trend_chart(
    series: dict[str, list[tuple[str, float | None]]],
    reference: str | None,
    fmt: Callable[[float], str],
    title: str,
    width: int = 560,
    height: int = 240,
    *,
    selected: Collection[str] = (),
    legend: Sequence[tuple[str, str]] = (),
) -> Markup:
    """Lines of (period, value) per area: the ``selected`` areas thick and coloured, the
    ``reference`` (the whole country) dashed, the others thin and grey; ``legend`` ((kind, text),
    kind ``selected`` / ``reference`` / ``other``) is drawn under the plot."""
    periods = sorted({p for s in series.values() for p, v in s if v is not None})
    vals = [v for s in series.values() for _p, v in s if v is not None]
    if not periods or not vals:
        return Markup("")
    lo, hi = min(vals), max(vals)
    if hi == lo:
        lo, hi = lo - 1, hi + 1
    left, right, top, bottom = 60, 20, 20, 40
    pw, ph = width - left - right, height - top - bottom
    full = height + 18 * len(legend)

    def x(p: str) -> float:
        return left + (pw * periods.index(p) / (len(periods) - 1) if len(periods) > 1 else pw / 2)

    def y(v: float) -> float:
        return top + ph * (hi - v) / (hi - lo)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="trend-chart" role="img" '
        f'aria-labelledby="trend-title" viewBox="0 0 {width} {full}" width="{width}" '
        f'height="{full}">',
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

    def kind(area: str) -> str:
        return "selected" if area in selected else "reference" if area == reference else "other"

    order = sorted(series, key=lambda a: ("other", "reference", "selected").index(kind(a)))
    for area in order:  # the muted lines first, the selected area last, on top
        pts = [(p, v) for p, v in series[area] if v is not None]
        style = _LINE[kind(area)]
        if len(pts) > 1:
            d = " ".join(f"{x(p):.1f},{y(v):.1f}" for p, v in pts)
            parts.append(f'<polyline class="series {kind(area)}" data-series="{escape(area)}" '
                         f'points="{d}" fill="none" {style}/>')  # fmt: skip
        for p, v in pts:
            parts.append(
                f'<circle class="{kind(area)}" cx="{x(p):.1f}" cy="{y(v):.1f}" '
                f'r="{4 if kind(area) == "selected" else 2.5}" fill="{_COLOUR[kind(area)]}">'
                f"<title>{escape(f'{area} {p}: {fmt(v)}')}</title></circle>"
            )
    for i, (k, text) in enumerate(legend):
        ly = height + 18 * i
        parts.append(
            f'<g class="legend-entry {k}"><line x1="{left}" y1="{ly - 4}" x2="{left + 28}" '
            f'y2="{ly - 4}" {_LINE[k]}/><text x="{left + 36}" y="{ly}" font-size="12">'
            f"{escape(text)}</text></g>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


_COLOUR = {"selected": SELECTED, "reference": REFERENCE, "other": MUTED}
_LINE = {
    "selected": f'stroke="{SELECTED}" stroke-width="3.5"',
    "reference": f'stroke="{REFERENCE}" stroke-width="2" stroke-dasharray="6 4"',
    "other": f'stroke="{MUTED}" stroke-width="1"',
}
