"""The only way client data reaches the public: suppressed aggregates as a Data Cube dataset.

:func:`clients_with_decision_by_county` runs ``queries/sosmeta/clients-with-decision-by-county.rq``
over the private client graphs and :func:`cube_triples` turns its rows into the dataset
``data/dataset/sosmeta-client-decisions`` (graph ``graph/source/sosmeta-client-decisions``):
counts of 5 or more are published as ``sdmx-measure:obsValue``; counts 1–4 become gaps
(``rake:MissingObservation`` with ``rake:obsStatus`` ``suppressed`` and no value).
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, Triple

from kgservice.config import Settings
from kgservice.namespaces import (
    DCT,
    QB,
    RDF,
    RDFS,
    SDMX_ATTRIBUTE,
    SDMX_DIMENSION,
    SDMX_MEASURE,
    SKOS,
    XSD,
    ontology_ns,
)
from kgservice.queries import select
from kgservice.store.base import Store

SOURCE = "sosmeta-client-decisions"
VARIABLE = "clients-with-decision"
SUPPRESS_BELOW = 5
UNIT = "henkilöä"


@dataclass(frozen=True)
class CountyYear:
    county: str  # region IRI
    year: str  # gYear lexical
    clients: int

    @property
    def suppressed(self) -> bool:
        return 0 < self.clients < SUPPRESS_BELOW


def clients_with_decision_by_county(settings: Settings, store: Store) -> list[CountyYear]:
    rows = select(
        store,
        settings.queries_dir,
        "sosmeta/clients-with-decision-by-county",
        documentType=NamedNode(settings.base_iri + "sosmeta/document-type/paatos"),
        countyLevel=NamedNode(settings.base_iri + "concept/level/hyvinvointialue"),
    )
    return [CountyYear(r["county"].value, r["year"].value, int(r["clients"].value)) for r in rows]


def cube_triples(settings: Settings, counts: list[CountyYear]) -> list[Triple]:
    """The published, suppressed Data Cube dataset of ``counts``."""
    b = settings.base_iri
    rake = ontology_ns(settings)
    dataset = NamedNode(f"{b}data/dataset/{SOURCE}")
    variable = NamedNode(f"{b}data/variable/{SOURCE}/{VARIABLE}")
    out: list[Triple] = []

    def add(s, p: str, o) -> None:
        out.append(Triple(s, NamedNode(p), o))

    add(dataset, RDF + "type", NamedNode(QB + "DataSet"))
    for text, lang in (
        ("Asiakkaat, joilla on palvelupäätös, hyvinvointialueittain ja vuosittain", "fi"),
        ("Clients with a service decision by wellbeing services county and year", "en"),
    ):
        add(dataset, RDFS + "label", Literal(text, language=lang))
    add(
        dataset,
        RDFS + "comment",
        Literal(
            "Laskettu pseudonymisoiduista asiakasasiakirjoista (Sosmeta-rakenteet, "
            "asiakirjatyyppi Päätös); 1–4 asiakkaan solut on tietosuojan vuoksi peitetty.",
            language="fi",
        ),
    )
    add(dataset, DCT + "source", NamedNode(f"{b}data/source/{SOURCE}"))
    add(variable, RDF + "type", NamedNode(rake + "StatisticalVariable"))
    for text, lang in (
        ("Asiakkaat, joilla on palvelupäätös", "fi"),
        ("Klienter med servicebeslut", "sv"),
        ("Clients with a service decision", "en"),
    ):
        add(variable, RDFS + "label", Literal(text, language=lang))
    add(variable, rake + "unit", Literal(UNIT))
    add(
        variable,
        SKOS + "definition",
        Literal(
            "Eri asiakkaiden (pseudonyymien) määrä, joista on vuoden aikana kirjattu "
            "Sosmeta-rakenteen mukainen päätösasiakirja.",
            language="fi",
        ),
    )
    for c in counts:
        code = c.county.rsplit("/", 1)[-1]
        obs = NamedNode(f"{b}data/obs/{SOURCE}/{VARIABLE}/{code}/{c.year}")
        published = not c.suppressed
        add(
            obs,
            RDF + "type",
            NamedNode(QB + "Observation" if published else rake + "MissingObservation"),
        )
        add(obs, QB + "dataSet" if published else rake + "gapInDataSet", dataset)
        add(obs, SDMX_DIMENSION + "refArea", NamedNode(c.county))
        add(obs, SDMX_DIMENSION + "refPeriod", Literal(c.year, datatype=NamedNode(XSD + "gYear")))
        add(obs, rake + "variable", variable)
        add(obs, SDMX_ATTRIBUTE + "unitMeasure", Literal(UNIT))
        status = "ok" if published else "suppressed"
        add(obs, rake + "obsStatus", NamedNode(f"{b}concept/obs-status/{status}"))
        if published:
            add(
                obs,
                SDMX_MEASURE + "obsValue",
                Literal(str(c.clients), datatype=NamedNode(XSD + "decimal")),
            )
    return out
