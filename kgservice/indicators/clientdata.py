"""The client-data level: the county's own client documents as suppressed aggregates.

The last step of THL's drill-down (situation picture → phenomenon in brief → phenomenon view →
client data). A client-data indicator is any registry indicator whose information sources
include the client information systems (``concept/information-source/asiakastietojarjestelmat``,
``rake:hasInformationSource`` in ``ontology/indicators.ttl``): its figures are counted in the
build from lifted, pseudonymised client documents, by wellbeing services county and year, with
the disclosure rules of every count (1–4 hidden, complementary suppression). A new indicator
marked so appears here without code changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kgservice.indicators.areas import Region
from kgservice.indicators.compute import Value
from kgservice.indicators.registry import Indicator
from kgservice.indicators.service import IndicatorService

#: The information source (by its concept slug) that marks an indicator as client data.
CLIENT_SOURCE = "asiakastietojarjestelmat"


def is_client_data(ind: Indicator) -> bool:
    """True when ``ind`` is counted from the county's own client documents."""
    return any(s.rstrip("/").rsplit("/", 1)[-1] == CLIENT_SOURCE for s in ind.sources)


@dataclass
class ClientLevel:
    """The client-data indicators of one phenomenon for the counties of one area, by year."""

    indicators: list[Indicator]
    counties: list[Region]
    years: list[str] = field(default_factory=list)
    #: (indicator slug, county code, period) → the figure (shown, suppressed or missing)
    cells: dict[tuple[str, str, str], Value] = field(default_factory=dict)
    #: county code → True when any of its client figures exists (shown or suppressed)
    loaded: dict[str, bool] = field(default_factory=dict)

    @property
    def any_loaded(self) -> bool:
        return any(self.loaded.values())

    @staticmethod
    def reason(value: Value) -> str:
        """Why a hidden cell is hidden: ``small-count`` when the county's aggregate hid it (the
        published dataset leaves out exactly the counts of 1–4 clients, so to the indicator it
        is a source's suppression), else the indicator step's reason (``complementary``)."""
        if value.suppression in ("", "source", "small-count"):
            return "small-count"
        return value.suppression


def counties_of(svc: IndicatorService, area: Region | None) -> list[Region]:
    """The wellbeing services counties inside ``area`` (the area itself when it is one; every
    county without an area)."""
    counties = svc.regions.at_level("wellbeing-county")
    if area is None or area.level == "country":
        return counties
    if area.level == "wellbeing-county":
        return [area]
    if area.level == "municipality":
        return [r for r in counties if r.iri in svc.regions.ancestors(area)]
    return [r for r in counties if area.iri in svc.regions.ancestors(r)]


def client_level(
    svc: IndicatorService, phenomenon: str, area: Region | None, year: int | None
) -> ClientLevel | None:
    """The client-data level of ``phenomenon`` (an IRI) for ``area``; ``None`` when the
    phenomenon has no client-data indicator. ``year`` narrows the years shown to that one."""
    indicators = [i for i in svc.registry.for_phenomenon(phenomenon) if is_client_data(i)]
    if not indicators:
        return None
    counties = counties_of(svc, area)
    level = ClientLevel(indicators, counties)
    wanted = {i.slug for i in indicators}
    codes = {r.iri: r.code for r in counties}
    periods: set[str] = set()
    for value in svc.series(phenomenon, "wellbeing-county"):
        code = codes.get(value.area)
        if value.indicator not in wanted or code is None:
            continue
        if year is not None and value.year != year:
            continue
        level.cells[(value.indicator, code, value.period)] = value
        if value.status != "missing":
            level.loaded[code] = True
            periods.add(value.period)
    level.years = sorted(periods)
    for r in counties:
        level.loaded.setdefault(r.code, False)
    return level
