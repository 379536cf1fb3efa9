"""Phenomenon in brief as an analyst reads it: rates and indices first, one area highlighted.

* **Rates and indices first.** A count mostly measures how many people live in an area, so the
  brief orders its indicators rates and indices first, then counts, each group in the
  ontology's order (``rake:orderInPhenomenon``: the phenomenon's headline rate first, which
  the page opens on). A count whose numerator is also the numerator of a rate of the same phenomenon
  (low-income persons beside the low-income rate) is left out of the brief: the rate says it
  comparably, and the phenomenon view still has the count. A count with no rate (clients with
  an income-support decision) stays, last. At the
  country level nothing is compared (the one row is the whole country), so every count stays
  there: the homelessness survey's national count 1987–2025 is longer than its rate.
* **A count is never compared with the whole country.** A county's count against the national
  count (or a rank of counts, which ranks population size) says nothing, so a count row of the
  brief has no national figure and no rank; its trend chart plots the areas of the level only,
  never the national count on the same axis.
* **The selected area.** ``area`` (any level) decides the level where none is given — a county or
  a cooperation area its own level, a municipality its county's level, the whole country the
  county level — and which areas of the level the page highlights: the area itself, the areas
  inside it, or the area it lies in (the whole country highlights none: it is the reference line).
"""

from __future__ import annotations

from typing import Any

from kgservice.indicators.areas import Region, Regions
from kgservice.indicators.registry import Indicator

#: The level the brief shows for an area of each level when no level is given.
DEFAULT_LEVEL = {
    "municipality": "wellbeing-county",
    "wellbeing-county": "wellbeing-county",
    "cooperation-area": "cooperation-area",
    "country": "wellbeing-county",
}


def is_count(ind: Indicator) -> bool:
    """True for an indicator whose figure is a number of people (summed over areas)."""
    return ind.rule == "AggregateBySum" and not ind.is_index


def brief_indicators(indicators: list[Indicator], level: str) -> list[Indicator]:
    """The brief's indicators: rates and indices first, then the counts that have no rate (at
    the country level every count)."""
    rate_numerators = {i.numerator for i in indicators if not is_count(i) and i.numerator}
    if level == "country":
        rate_numerators = set()
    kept = [i for i in indicators if not (is_count(i) and i.numerator in rate_numerators)]
    return sorted(kept, key=is_count)  # stable: rake:orderInPhenomenon within each group


def uncompared(row: dict[str, Any]) -> dict[str, Any]:
    """A count row without the national figure and the rank (see the module docstring)."""
    return row | {"national_value": None, "rank": None, "rank_low": None, "rank_of": None}


def brief_level(area: Region | None, level: str | None) -> str:
    """The level the brief shows: ``level`` if given, else the one ``area`` decides."""
    if level:
        return level
    return DEFAULT_LEVEL[area.level] if area is not None else "wellbeing-county"


def highlighted(regions: Regions, area: Region | None, level: str) -> list[Region]:
    """The areas of ``level`` the page highlights for the selected ``area``."""
    if area is None or area.level == "country":
        return []
    return [
        r
        for r in regions.at_level(level)
        if r.iri == area.iri or area.iri in regions.ancestors(r) or r.iri in regions.ancestors(area)
    ]


def trend_rows(
    trend: list[dict[str, Any]], ind: Indicator, level: str | None = None
) -> list[dict[str, Any]]:
    """The trend points the chart of ``ind`` plots: a count's without the whole country's (but
    at the country level, where the whole country is the one area)."""
    rows = [t for t in trend if t["indicator"] == ind.slug]
    if is_count(ind) and level != "country":
        return [t for t in rows if t["area_code"] != "SSS"]
    return rows


def legend(
    selected: list[str], country: str | None, others: str, plotted: list[dict[str, Any]]
) -> list[tuple[str, str]]:
    """The trend chart's legend: (kind, text) of the selected areas, the whole country and the
    other areas — each only when the ``plotted`` points (:func:`trend_rows`) have a figure of it
    (a count's chart has no whole country; an index has none at the country level)."""
    shown = {t["area_name"] for t in plotted if t["value"] is not None}
    out = (
        [("selected", ", ".join(a for a in selected if a in shown))]
        if shown & set(selected)
        else []
    )
    if country is not None and country in shown:
        out.append(("reference", country))
    if shown - set(selected) - {country}:
        out.append(("other", others))
    return out
