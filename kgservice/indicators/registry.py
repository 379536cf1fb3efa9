"""The indicator definitions of ``ontology/indicators.ttl``, read from the store."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from kgservice.config import Settings
from kgservice.errors import NotFound
from kgservice.namespaces import SKOS, ontology_ns
from kgservice.queries import select
from kgservice.store.base import Store


@dataclass
class Indicator:
    iri: str
    slug: str
    labels: dict[str, str] = field(default_factory=dict)
    definitions: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    numerator: str | None = None
    denominator: str | None = None
    #: every rake:denominator (rule AggregateBySeparateSums takes the population of each year
    #: from whichever of them gives it), sorted
    denominators: list[str] = field(default_factory=list)
    published_variable: str | None = None
    multiplier: float = 1.0
    #: AggregateBySum | AggregateByRatioOfSums | AggregateBySeparateSums | NotAggregable
    rule: str = "NotAggregable"
    computed_by: str = ""
    polarity: str = "NoPolarity"
    is_index: bool = False
    phenomena: list[str] = field(default_factory=list)
    order: int | None = (
        None  # place within its phenomenon (rake:orderInPhenomenon; 1 = the headline)
    )
    needs: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    views: list[str] = field(default_factory=list)
    source_notes: dict[str, str] = field(default_factory=dict)
    availability: dict[str, str] = field(default_factory=dict)
    #: False for the Sotkanet catalogue: its figures are not in the bundled snapshot
    in_bundled_snapshot: bool = True
    producers: dict[str, str] = field(default_factory=dict)
    sotkanet_id: int | None = None

    def producer(self, lang: str) -> str:
        return self.producers.get(lang) or self.producers.get("fi") or ""

    def label(self, lang: str) -> str:
        return self.labels.get(lang) or self.labels.get("fi") or self.slug

    def unit(self, lang: str) -> str:
        return self.units.get(lang) or self.units.get("fi") or ""

    def definition(self, lang: str) -> str:
        return self.definitions.get(lang) or self.definitions.get("fi") or ""

    def source_note(self, lang: str) -> str:
        return self.source_notes.get(lang) or self.source_notes.get("fi") or ""

    def availability_note(self, lang: str) -> str:
        return self.availability.get(lang) or self.availability.get("fi") or ""

    @property
    def has_data_definition(self) -> bool:
        """False when the indicator names no variable (its data are not in the snapshot)."""
        return bool(self.numerator or self.published_variable)

    def shown_in(self, view_slug: str) -> bool:
        return any(v.rsplit("/", 1)[-1] == view_slug for v in self.views)


@dataclass
class Registry:
    indicators: dict[str, Indicator]  # by IRI
    labels: dict[str, dict[str, str]]  # IRI → lang → label of linked things

    def get(self, key: str) -> Indicator:
        if key in self.indicators:
            return self.indicators[key]
        for ind in self.indicators.values():
            if ind.slug == key:
                return ind
        raise NotFound(f"no indicator {key!r}", rule="indicator")

    def for_phenomenon(self, phenomenon_iri: str, view_slug: str | None = None) -> list[Indicator]:
        found = [
            i
            for i in self.indicators.values()
            if phenomenon_iri in i.phenomena and (view_slug is None or i.shown_in(view_slug))
        ]
        return sorted(found, key=in_order)

    def phenomena(self) -> list[str]:
        return sorted({p for i in self.indicators.values() for p in i.phenomena})

    def label_of(self, iri: str, lang: str) -> str:
        labels = self.labels.get(iri, {})
        return labels.get(lang) or labels.get("fi") or labels.get("") or iri.rsplit("/", 1)[-1]


def in_order(ind: Indicator) -> tuple[bool, int, str]:
    """The sort key of indicators within a phenomenon: ``rake:orderInPhenomenon`` (the
    headline first), indicators without one after those with one, then by slug."""
    return (ind.order is None, ind.order or 0, ind.slug)


def _lang(term) -> str:
    return getattr(term, "language", None) or ""


def load_registry(store: Store, settings: Settings) -> Registry:
    rake = ontology_ns(settings)
    inds: dict[str, Indicator] = {}
    for row in select(store, settings.queries_dir, "indicators/definitions"):
        iri, prop, value = row["indicator"].value, row["property"].value, row["value"]
        ind = inds.get(iri)
        if ind is None:
            ind = inds[iri] = Indicator(iri=iri, slug=iri.rstrip("/").rsplit("/", 1)[-1])
        v = value.value
        if prop == SKOS + "prefLabel":
            ind.labels[_lang(value) or "fi"] = v
        elif prop == SKOS + "definition":
            ind.definitions[_lang(value) or "fi"] = v
        elif prop == rake + "unit":
            ind.units[_lang(value) or "fi"] = v
        elif prop == rake + "numerator":
            ind.numerator = v
        elif prop == rake + "denominator":
            ind.denominators = sorted({*ind.denominators, v})
            ind.denominator = ind.denominators[0]
        elif prop == rake + "publishedVariable":
            ind.published_variable = v
        elif prop == rake + "multiplier":
            ind.multiplier = float(v)
        elif prop == rake + "aggregationRule":
            ind.rule = v.rsplit("/", 1)[-1]
        elif prop == rake + "computedBy":
            ind.computed_by = v
        elif prop == rake + "polarity":
            ind.polarity = v.rsplit("/", 1)[-1]
        elif prop == rake + "isIndex":
            ind.is_index = v in ("true", "1")
        elif prop == rake + "orderInPhenomenon":
            ind.order = int(v)
        elif prop == rake + "measures":
            ind.phenomena.append(v)
        elif prop == rake + "answersNeed":
            ind.needs.append(v)
        elif prop == rake + "hasInformationSource":
            ind.sources.append(v)
        elif prop == rake + "shownIn":
            ind.views.append(v)
        elif prop == rake + "dataSourceNote":
            ind.source_notes[_lang(value) or "fi"] = v
        elif prop == rake + "dataAvailability":
            ind.availability[_lang(value) or "fi"] = v
        else:
            _catalogue_property(ind, prop.removeprefix(rake), value)
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for row in select(store, settings.queries_dir, "indicators/labels"):
        labels[row["thing"].value].setdefault(_lang(row["label"]), row["label"].value)
    return Registry(inds, dict(labels))


def _catalogue_property(ind: Indicator, name: str, value) -> None:
    """The properties of the Sotkanet catalogue (``ontology/indicators-sotkanet.ttl``)."""
    if name == "inBundledSnapshot":
        ind.in_bundled_snapshot = value.value not in ("false", "0")
    elif name == "producer":
        ind.producers[_lang(value) or "fi"] = value.value
    elif name == "sotkanetIndicatorId":
        ind.sotkanet_id = int(value.value)
