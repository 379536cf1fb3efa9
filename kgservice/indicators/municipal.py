"""The phenomenon view as a county analyst reads it: the municipalities of one area, per indicator.

The table of :func:`kgservice.indicators.views.phenomenon_view` (the same rows the API, CSV and
Excel serve) regrouped for the page: per indicator the chosen area's own row on top (the county
total), then its municipalities in the order the reader chose (``sort``), and the municipalities
without a figure folded into one line that says how many. At municipality level without an area
the page asks for one (:func:`choice_table`) instead of showing every municipality of Finland;
``area=all`` shows them all on purpose. The client-data indicators are left out here: they have
their own section (:mod:`kgservice.indicators.clientdata`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kgservice.indicators.areas import LEVEL_ORDER, Region
from kgservice.indicators.clientdata import is_client_data
from kgservice.indicators.registry import Indicator
from kgservice.indicators.service import IndicatorService
from kgservice.indicators.views import (
    VIEWS,
    ViewTable,
    _missing_phenomena,
    _row,
    level_coverage,
    parse_phenomenon,
)
from kgservice.texts import translate

#: ``area=all``: every municipality, chosen on purpose (without ``area`` the page asks).
ALL_AREAS = "all"

#: The columns a reader can sort by; ``-<column>`` sorts descending.
SORT_COLUMNS = ("area", "value", "change", "rank")
SORTS = (*SORT_COLUMNS, *(f"-{c}" for c in SORT_COLUMNS))

#: Finnish and Swedish letters after z in the alphabet's order (å, ä, ö), for sorting names.
_ALPHABET = str.maketrans({"å": "z{", "ä": "z|", "ö": "z}", "æ": "z|", "ø": "z}"})


@dataclass
class IndicatorTable:
    """One indicator's rows on the page: the area's own row, the areas with a figure (shown or
    suppressed) in the chosen order, and the areas without one (folded into one line)."""

    indicator: Indicator
    total: dict[str, Any] | None
    rows: list[dict[str, Any]] = field(default_factory=list)
    missing: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_count(self) -> bool:
        """A count summed over areas: its size follows the population, so it is compared with
        neither the area's own nor the whole country's count (no reference line or column)."""
        return self.indicator.rule == "AggregateBySum"


def heading(ind: Indicator, lang: str) -> str:
    """The indicator's name with its unit, the unit once ("… (indeksi)" already names it)."""
    label, unit = ind.label(lang), ind.unit(lang)
    if not unit or label.endswith(f"({unit})"):
        return label
    return f"{label} ({unit})"


def needs_choice(level: str | None, area: str | None) -> bool:
    """True when the page must ask for an area: municipality level and no area chosen."""
    return (level or "municipality") == "municipality" and not area


def choice_table(
    svc: IndicatorService, phenomenon: str | None, year: int | None, lang: str
) -> ViewTable:
    """The phenomenon view before an area is chosen: its indicators and notes, no rows."""
    phen = parse_phenomenon(svc, phenomenon)
    subject = svc.registry.label_of(phen, lang)
    title = " – ".join(
        [
            translate("view.phenomenon-view", lang),
            subject,
            translate("level.municipality", lang),
            str(year) if year else translate("latest", lang),
        ]
    )
    params = {
        "phenomenon": phen.rsplit("/", 1)[-1],
        "level": "municipality",
        "area": None,
        "year": year,
        "lang": lang,
    }
    table = ViewTable("phenomenon-view", params, title, lang)
    table.indicators = svc.registry.for_phenomenon(phen, VIEWS["phenomenon-view"])
    table.missing = _missing_phenomena(svc, [phen], lang)
    table.coverage = level_coverage(svc, table, phen, "municipality", year)
    return table


def county_choices(svc: IndicatorService, lang: str) -> list[tuple[str, str]]:
    """(code, name) of the areas whose municipalities a reader can open, counties first."""
    out = []
    for level in ("wellbeing-county", "cooperation-area"):
        out += [(r.code, r.label(lang)) for r in svc.regions.at_level(level)]
    return out


def sort_key(column: str) -> Callable[[dict[str, Any]], Any]:
    """The key that orders rows by ``column`` (``area``: the name in alphabetical order)."""
    if column == "area":
        return lambda r: (r["area_name"] or "").casefold().translate(_ALPHABET)
    return lambda r: r[column]


def sort_rows(rows: list[dict[str, Any]], sort: str | None) -> list[dict[str, Any]]:
    """``rows`` in the order ``sort`` names (``value``, ``-value``, …); rows without a figure in
    that column last in either direction; the source order (by code) without ``sort``."""
    if not sort:
        return list(rows)
    column = sort.lstrip("-")
    key = sort_key(column)
    have = [r for r in rows if column == "area" or r[column] is not None]
    lack = [r for r in rows if column != "area" and r[column] is None]
    return sorted(have, key=key, reverse=sort.startswith("-")) + lack


def own_region(svc: IndicatorService, table: ViewTable) -> Region | None:
    """The area whose own row heads each indicator: the chosen area (the whole country for
    ``area=all``) when the table's rows are of a lower level."""
    region = table.area or svc.regions.country()
    level = table.params.get("level") or "municipality"
    if region is None or LEVEL_ORDER.index(region.level) <= LEVEL_ORDER.index(level):
        return None
    return region


def indicator_tables(
    svc: IndicatorService, table: ViewTable, sort: str | None
) -> list[IndicatorTable]:
    """The open-data indicators of ``table``, each with its area's own row first, then its rows
    with a figure in ``sort`` order, then the ones without a figure (status ``missing``)."""
    year = table.params.get("year")
    region = own_region(svc, table)
    own = svc.at_area(region, year) if region is not None else {}
    by_indicator: dict[str, list[dict[str, Any]]] = {}
    for row in table.rows:
        by_indicator.setdefault(row["indicator"], []).append(row)
    out = []
    for ind in table.indicators:
        if is_client_data(ind):
            continue
        rows = by_indicator.get(ind.slug, [])
        total = None
        if region is not None:
            total = _row(svc, ind, region, own.get(ind.slug), table.lang, year)
        out.append(
            IndicatorTable(
                ind,
                total,
                sort_rows([r for r in rows if r["status"] != "missing"], sort),
                [r for r in rows if r["status"] == "missing"],
            )
        )
    return out


def next_sort(column: str, current: str | None) -> str:
    """The ``sort`` a column heading links to: its other direction when it is the current sort,
    else descending for figures and ascending for names."""
    if current == column:
        return f"-{column}"
    if current == f"-{column}":
        return column
    return column if column == "area" else f"-{column}"


def aria_sort(column: str, current: str | None) -> str | None:
    if current == column:
        return "ascending"
    if current == f"-{column}":
        return "descending"
    return None
