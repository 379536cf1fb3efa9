"""The indicator values of a store build, read from the values the build materialised.

The service of a build carries that build's version (:class:`~kgservice.store.served.BuildVersion`):
it gives the ``ETag`` and ``Last-Modified`` of every view response and changes when
``kgservice build`` swaps in a new store.
"""

from __future__ import annotations

import threading
from typing import Any

import orjson
from pyoxigraph import Literal, NamedNode

from kgservice.config import Settings
from kgservice.indicators.areas import LEVEL_ORDER, Region, Regions, level_iri, load_regions
from kgservice.indicators.compute import Value
from kgservice.indicators.materialise import ByLevel
from kgservice.indicators.registry import Indicator, Registry, load_registry
from kgservice.namespaces import project
from kgservice.queries import select
from kgservice.store.base import Store
from kgservice.store.served import BuildVersion, ServedBuild


class IndicatorService:
    """Registry, regions and the indicator values the build materialised in the store.

    Every figure is read with a small SPARQL lookup on ``graph/indicator-values`` (see
    :mod:`kgservice.indicators.materialise`); nothing is aggregated on a request.
    """

    def __init__(self, store: Store, settings: Settings, version: BuildVersion):
        self.store = store
        self.settings = settings
        self.version = version
        self.registry: Registry = load_registry(store, settings)
        self.regions: Regions = load_regions(store, settings)
        self._years: dict[str, list[int]] | None = None
        self.memo: dict[Any, Any] = {}  # per-build derived data, e.g. the views' fixed columns

    def _select(self, name: str, **bindings) -> list:
        return select(self.store, self.settings.queries_dir, f"indicators/{name}", **bindings)

    def _fold(self, rows: list) -> list[Value]:
        return fold_values(record_pairs(rows), self.registry, self.regions)

    def values(self, ind: Indicator) -> ByLevel:
        """Every value of ``ind``: level → (area IRI, period) → value."""
        by_level: ByLevel = {level: {} for level in LEVEL_ORDER}
        for v in self._fold(self._select("values-of-indicator", indicator=NamedNode(ind.iri))):
            by_level.setdefault(v.level, {})[(v.area, v.period)] = v
        return by_level

    def at_area(self, region: Region, year: int | None) -> dict[str, Value]:
        """The value of each indicator for ``region`` in ``year`` (else its latest), by slug."""
        rows = self._select(
            "values-at-area", area=NamedNode(region.iri), selection=_selection(year)
        )
        pairs = [
            (rec.pop("indicator"), rec) for r in rows for rec in orjson.loads(r["records"].value)
        ]
        return {v.indicator: v for v in fold_values(pairs, self.registry, self.regions)}

    def at_level(
        self, phenomenon: str, level: str, year: int | None, view: str | None = None
    ) -> dict[tuple[str, str], Value]:
        """The values of the phenomenon's indicators at every area of ``level`` in ``year`` (else
        each one's latest), keyed by (indicator slug, area IRI); with ``view`` (a view's slug,
        ``ilmionakyma``) only of the indicators shown in that view."""
        return {(v.indicator, v.area): v for v in self._at_level(phenomenon, level, year, view)}

    def series(self, phenomenon: str, level: str, view: str | None = None) -> list[Value]:
        """Every period of the phenomenon's indicators at the areas of ``level``, by period;
        with ``view`` (a view's slug) only of the indicators shown in that view.

        Kept per build (a few phenomena × four levels): the query joins every value of the
        series and was the largest cost of a phenomenon-in-brief request. A new list each call.
        """
        key = ("series", phenomenon, level, view)
        found = self.memo.get(key)
        if found is None:
            bindings = {
                "phenomenon": NamedNode(phenomenon),
                "level": NamedNode(level_iri(self.settings, level)),
            }
            if view is None:
                rows = self._select("series-at-level", **bindings)
            else:
                rows = self._select("series-at-level-in-view", view=self._view(view), **bindings)
            found = self.memo[key] = sorted(self._fold(rows), key=lambda v: v.period)
        return list(found)

    def _view(self, slug: str) -> NamedNode:
        """The IRI of the view ``slug`` (``concept/view/ilmionakyma``)."""
        return NamedNode(f"{project(self.settings).concept}view/{slug}")

    def series_at_area(self, region: Region) -> list[Value]:
        """Every period of every indicator for one area, by period (the situation picture's
        trend lines: one small lookup, not each level's whole series). Kept per build (a few
        hundred areas of about a hundred values each). A new list each call."""
        key = ("series-at-area", region.iri)
        found = self.memo.get(key)
        if found is None:
            rows = self._select("series-at-area", area=NamedNode(region.iri))
            found = self.memo[key] = sorted(self._fold(rows), key=lambda v: v.period)
        return list(found)

    def _at_level(
        self, phenomenon: str, level: str, year: int | None, view: str | None
    ) -> list[Value]:
        bindings = {
            "phenomenon": NamedNode(phenomenon),
            "level": NamedNode(level_iri(self.settings, level)),
            "selection": _selection(year),
        }
        if view is None:
            rows = self._select("values-at-level", **bindings)
        else:
            rows = self._select("values-at-level-in-view", view=self._view(view), **bindings)
        pairs = [
            (r["indicator"].value, rec) for r in rows for rec in orjson.loads(r["records"].value)
        ]
        return fold_values(pairs, self.registry, self.regions)

    def years(self, ind: Indicator) -> list[int]:
        """The years ``ind`` has figures for (at any level), ascending."""
        return self.all_years().get(ind.iri, [])

    def all_years(self) -> dict[str, list[int]]:
        """Indicator IRI → the years it has figures for, ascending (one lookup per build, made
        by the server's warm-up: it reads a slice of every indicator, level and year)."""
        if self._years is None:
            found: dict[str, set[int]] = {}
            for r in self._select("years"):
                found.setdefault(r["indicator"].value, set()).add(int(r["year"].value))
            self._years = {k: sorted(v) for k, v in found.items()}
        return self._years


def _selection(year: int | None) -> Literal:
    return Literal("latest" if year is None else str(year))


def fold_values(
    pairs: list[tuple[str, dict[str, Any]]], registry: Registry, regions: Regions
) -> list[Value]:
    """(indicator IRI, record) pairs → one :class:`Value` each (the record is the JSON object
    ``materialise.record`` wrote; the value's level is its area's)."""
    out: list[Value] = []
    for indicator, fields in pairs:
        ind = registry.indicators.get(indicator)
        region = regions.by_iri.get(fields.get("area", ""))
        if ind is None or region is None:
            continue
        fields.setdefault("value", None)
        out.append(Value(indicator=ind.slug, level=region.level, **fields))
    return out


def record_pairs(rows: list) -> list[tuple[str, dict[str, Any]]]:
    """Rows ``?indicator ?record`` → (indicator IRI, parsed record) pairs."""
    # one parse for all records: json.loads per record costs more than the query
    records = orjson.loads("[" + ",".join(r["record"].value for r in rows) + "]")
    return [(r["indicator"].value, rec) for r, rec in zip(rows, records, strict=True)]


_services: dict[tuple[str, int], IndicatorService] = {}
_services_lock = threading.Lock()
#: Services kept per settings: the build served now and the one before it.
KEEP = 2


def service_for(served: ServedBuild, settings: Settings) -> IndicatorService:
    """The cached service of this build (keyed on its build id: a new build gets a new one)."""
    key = (served.version.id, id(settings))
    svc = _services.get(key)
    if svc is None:
        with _services_lock:
            svc = _services.get(key)
            if svc is None:
                svc = _services[key] = IndicatorService(served.store, settings, served.version)
                mine = [k for k in _services if k[1] == id(settings)]
                for old in mine[: max(len(mine) - KEEP, 0)]:
                    del _services[old]
    return svc
