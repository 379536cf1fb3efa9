"""Statistical disclosure control for the indicator values.

Two rules, applied to every indicator built from counts of people (``AggregateBySum``,
``AggregateByRatioOfSums`` and ``AggregateBySeparateSums``; indices and published rates without
counts are not counts):

1. **Small counts.** A count of 1–4 people is suppressed, and so is a rate whose numerator or
   denominator is 1–4 (:data:`SMALL_COUNTS`).
2. **Complementary cells.** A suppressed cell must not be recoverable by subtracting the shown
   cells of its group from the group's shown total. A group is the areas of one level inside
   one area of the next level up, for one period. If exactly one cell of a group is suppressed
   (by rule 1 or by the source, e.g. Statistics Finland's ``...``) while the total is shown,
   the next-smallest shown cell is suppressed too. Repeated until no group has a lone cell.

The rules apply to published counts too, not only to counts from client documents: the
ARA/Varke municipal homelessness figures of 1–4 people (Sievi 1 and Kärsämäki 3 in 2023) are
public in the county's release, but the service shows no count of 1–4 people of any source, so
that no table of it can point at a person (docs/analysts.md). A published 0 is a real zero and
is shown.
"""

from __future__ import annotations

from kgservice.indicators.areas import LEVEL_ORDER, Regions
from kgservice.indicators.compute import Value
from kgservice.indicators.registry import Indicator

SMALL_COUNTS = range(1, 5)  # 1, 2, 3, 4 people


def _suppress(v: Value, reason: str) -> None:
    v.value = v.numerator = v.denominator = v.computed = None
    v.status = "suppressed"
    v.origin = "none"
    v.suppression = reason


def _count(v: Value) -> float | None:
    return v.numerator if v.numerator is not None else v.value


def is_count_based(ind: Indicator) -> bool:
    return (
        ind.rule in ("AggregateBySum", "AggregateByRatioOfSums", "AggregateBySeparateSums")
        and not ind.is_index
    )


def apply_small_counts(ind: Indicator, values: dict[tuple[str, str], Value]) -> None:
    if not is_count_based(ind):
        return
    for v in values.values():
        if v.value is None:
            continue
        counts = [c for c in (v.numerator, v.denominator) if c is not None]
        if ind.rule == "AggregateBySum" and v.value is not None:
            counts.append(v.value)
        if any(c in SMALL_COUNTS for c in counts):
            _suppress(v, "small-count")


def apply_complementary(
    ind: Indicator, by_level: dict[str, dict[tuple[str, str], Value]], regions: Regions
) -> int:
    """Suppress complementary cells in place; returns how many cells it suppressed."""
    if not is_count_based(ind):
        return 0
    suppressed = 0
    changed = True
    while changed:
        changed = False
        for lower, upper in zip(LEVEL_ORDER, LEVEL_ORDER[1:], strict=False):
            cells = by_level.get(lower, {})
            totals = by_level.get(upper, {})
            groups: dict[tuple[str, str], list[Value]] = {}
            for (area, period), v in cells.items():
                region = regions.by_iri.get(area)
                parent = region.parent if region else None
                if parent is None:
                    continue
                groups.setdefault((parent, period), []).append(v)
            for key, members in groups.items():
                total = totals.get(key)
                if total is None or not total.shown:
                    continue
                hidden = [m for m in members if m.status == "suppressed"]
                shown = [m for m in members if m.shown and _count(m) is not None]
                if len(hidden) == 1 and shown:
                    smallest = min(shown, key=lambda m: (_count(m), m.area))
                    _suppress(smallest, "complementary")
                    suppressed += 1
                    changed = True
    return suppressed
