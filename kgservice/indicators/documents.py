"""What a published figure says of itself: its source document, its qualifier and the figures
other publications give (issue 14, the ARA/Varke homelessness files).

Sources with honest-value keys (mappings/README.md) give every observation a source document
(``dct:source``: title, publisher, date, web page), a qualifier where the publication gives the
figure only approximately (``rake:valueQualifier``: noin, yli, vajaa …, with a lower or upper
bound) and keep the other publications' figures beside it (``rake:AlternativeObservation``).
:func:`annotate` copies them onto the indicator values the build computed, so that every view,
the JSON, the CSV and the Excel file show them:

* a value the source publishes (or a rate whose numerator it publishes) gets the figure's
  source, qualifier and bounds (the bounds only for the count itself, not for a rate);
* a count also gets the alternatives; a rate does not (they are counts);
* a missing value gets the source of its gap (a publication that states only a change) and the
  alternatives, so that "no preferred figure; another source says about 8 000" is visible;
* a suppressed value gets nothing: its alternatives would disclose it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from pyoxigraph import NamedNode

from kgservice.config import Settings
from kgservice.indicators.compute import Value
from kgservice.indicators.registry import Indicator
from kgservice.queries import select
from kgservice.store.base import Store

Figure = dict[str, Any]


def _number(term) -> float | None:
    return None if term is None else float(term.value)


def _figure(row: dict) -> Figure:
    """A figure of the query ``indicators/figure-sources``: value, qualifier, bounds, source."""
    source = {
        "title": row["title"].value if "title" in row else "",
        "publisher": row["publisher"].value if "publisher" in row else "",
        "date": row["date"].value if "date" in row else "",
        "url": row["url"].value if "url" in row else "",
    }
    qualifier = row.get("qualifier")
    return {
        "value": _number(row.get("value")),
        "qualifier": qualifier.value.rstrip("/").rsplit("/", 1)[-1] if qualifier else "",
        "lower_bound": _number(row.get("lower")),
        "upper_bound": _number(row.get("upper")),
        "source": {k: v for k, v in source.items() if v},
    }


def figures_of(
    store: Store, settings: Settings, variable: str
) -> tuple[dict[tuple[str, str], Figure], dict[tuple[str, str], list[Figure]]]:
    """The figures of ``variable`` and their alternatives, by (area IRI, period)."""
    figures: dict[tuple[str, str], Figure] = {}
    alternatives: dict[tuple[str, str], list[Figure]] = defaultdict(list)
    rows = select(
        store, settings.queries_dir, "indicators/figure-sources", variable=NamedNode(variable)
    )
    for row in rows:
        key = (row["area"].value, row["period"].value)
        if row["kind"].value == "figure":
            figures[key] = _figure(row)
        else:
            alt = {k: v for k, v in _figure(row).items() if v not in ("", None)}
            alternatives[key].append(alt)
    return figures, dict(alternatives)


def annotate(
    store: Store, settings: Settings, ind: Indicator, by_level: dict[str, dict[Any, Value]]
) -> int:
    """Copy source, qualifier, bounds and alternatives onto ``ind``'s values (module doc);
    returns how many values got a source."""
    if not ind.numerator:
        return 0
    figures, alternatives = figures_of(store, settings, ind.numerator)
    if not figures and not alternatives:
        return 0
    is_count = ind.rule == "AggregateBySum"
    annotated = 0
    for values in by_level.values():
        for key, v in values.items():
            fig = figures.get(key)
            if v.shown:
                count = v.numerator if v.numerator is not None else v.value
                own = v.origin == "published" or ind.rule == "AggregateBySeparateSums"
                if fig is None or not own or fig["value"] != count:
                    continue
                v.qualifier = fig["qualifier"]
                if is_count:
                    v.lower_bound, v.upper_bound = fig["lower_bound"], fig["upper_bound"]
            elif v.status != "missing":
                continue  # suppressed: nothing that could disclose the figure
            if fig is not None and fig["source"]:
                v.source = fig["source"]
                annotated += 1
            if is_count and key in alternatives:
                v.alternatives = alternatives[key]
    return annotated
