"""Adds to each shown value: the national figure, the change from the previous period and the
rank among the *compared areas* of its level (:meth:`Regions.compared`: one denominator per level
on every page, file and view; Åland and its municipalities are not ranked).

``rank`` counts from the highest figure (1 = the highest), ``rank_low`` from the lowest (1 = the
lowest); ties share the better rank at both ends, so ``rank_of - (rank - 1) - (rank_low - 1)``
areas share the figure. ``rank_of`` is the number of compared areas of the level with a shown
figure in that period. This is the only place ranks are counted.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict

from kgservice.indicators.areas import Regions
from kgservice.indicators.compute import Value


def enrich(by_level: dict[str, dict[tuple[str, str], Value]], regions: Regions) -> None:
    national = {
        period: v.value for (_area, period), v in by_level.get("country", {}).items() if v.shown
    }
    for level, values in by_level.items():
        compared = {r.iri for r in regions.compared(level)}
        per_area: dict[str, list[Value]] = defaultdict(list)
        per_period: dict[str, list[Value]] = defaultdict(list)
        for v in values.values():
            v.national = national.get(v.period)
            per_area[v.area].append(v)
            if v.shown and v.area in compared:
                per_period[v.period].append(v)
        for series in per_area.values():
            series.sort(key=lambda v: v.period)
            for prev, cur in zip(series, series[1:], strict=False):
                if cur.shown and prev.shown and len(prev.period) == len(cur.period):
                    cur.change = round(cur.value - prev.value, 10)  # type: ignore[operator]
                    cur.previous_period = prev.period
        for peers in per_period.values():
            _rank(peers)


def _rank(peers: list[Value]) -> None:
    """Ranks ``peers`` (shown figures of one level and period) from both ends."""
    figures = sorted(v.value for v in peers if v.value is not None)
    n = len(figures)
    for v in peers:
        if v.value is None:  # not shown: no rank (peers are shown figures)
            continue
        lower = bisect_left(figures, v.value)
        higher = n - bisect_right(figures, v.value)
        v.rank, v.rank_low, v.rank_of = higher + 1, lower + 1, n
