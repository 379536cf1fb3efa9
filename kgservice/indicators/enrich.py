"""Adds to each shown value: the national figure, the change from the previous period and the
rank among the areas of the same level (1 = the highest value; ties share the better rank)."""

from __future__ import annotations

from collections import defaultdict

from kgservice.indicators.compute import Value


def enrich(by_level: dict[str, dict[tuple[str, str], Value]]) -> None:
    national = {
        period: v.value for (_area, period), v in by_level.get("country", {}).items() if v.shown
    }
    for values in by_level.values():
        per_area: dict[str, list[Value]] = defaultdict(list)
        per_period: dict[str, list[Value]] = defaultdict(list)
        for v in values.values():
            v.national = national.get(v.period)
            per_area[v.area].append(v)
            if v.shown:
                per_period[v.period].append(v)
        for series in per_area.values():
            series.sort(key=lambda v: v.period)
            for prev, cur in zip(series, series[1:], strict=False):
                if cur.shown and prev.shown and len(prev.period) == len(cur.period):
                    cur.change = round(cur.value - prev.value, 10)  # type: ignore[operator]
                    cur.previous_period = prev.period
        for peers in per_period.values():
            ordered = sorted(peers, key=lambda v: -v.value)  # type: ignore[operator]
            rank = 0
            last = None
            for i, v in enumerate(ordered, start=1):
                if v.value != last:
                    rank, last = i, v.value
                v.rank, v.rank_of = rank, len(ordered)
