"""The only way client data reaches the public: suppressed aggregates as a Data Cube dataset.

:func:`clients_with_decision_by_county` runs ``queries/sosmeta/clients-with-decision-by-county.rq``
over the private client graphs: distinct clients per wellbeing services county, year and decision
structure. :func:`cube_triples` turns the rows into the dataset
``data/dataset/sosmeta-client-decisions`` (graph ``graph/source/sosmeta-client-decisions``)
through the same mapping templates as every open-data table (``mappings/cube/observations.rq``,
``variables.rq``, ``dataset.rq``), so it has the same data structure definition: dimensions
refArea (county), refPeriod (year) and ``rake:variable`` (one variable per decision structure,
``data/variable/sosmeta-client-decisions/<structure OID>``), the measure obsValue and the
required attributes unitMeasure and ``rake:obsStatus``. The build then checks it with the
observation shapes of ``queries/build/`` and, at the end, the W3C Data Cube ICs.

Disclosure control (docs/analysts.md "Disclosure control", :mod:`kgservice.indicators.suppression`):
counts of 1–4 clients are gaps (``rake:MissingObservation``, status ``suppressed``, no value).
The dataset holds county cells only, no totals, so no suppressed cell can be recovered by
subtraction inside it; the totals the views show (cooperation areas, the whole country) are
computed by the ``indicator-values`` step, which sums a level only when every area below has a
shown figure and applies both suppression rules again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyoxigraph import Literal, NamedNode

from kgservice.config import CANONICAL_BASE_IRI, Settings
from kgservice.indicators.suppression import SMALL_COUNTS
from kgservice.mappings.engine import load_template, run_template
from kgservice.namespaces import XSD
from kgservice.queries import select
from kgservice.store.base import Store

SOURCE = "sosmeta-client-decisions"
UNIT = "henkilöä"
STATUS_NS = CANONICAL_BASE_IRI + "concept/obs-status/"
DATASET = CANONICAL_BASE_IRI + f"data/dataset/{SOURCE}"


@dataclass(frozen=True)
class CountyYear:
    county: str  # region IRI (canonical base)
    year: str  # gYear lexical
    structure: str  # structure OID without version, e.g. 1.2.246.537.6.1506.11047
    clients: int

    @property
    def suppressed(self) -> bool:
        return self.clients in SMALL_COUNTS


def canonical(settings: Settings, iri: str) -> str:
    if settings.base_iri != CANONICAL_BASE_IRI and iri.startswith(settings.base_iri):
        return CANONICAL_BASE_IRI + iri[len(settings.base_iri) :]
    return iri


def clients_with_decision_by_county(settings: Settings, store: Store) -> list[CountyYear]:
    rows = select(
        store,
        settings.queries_dir,
        "sosmeta/clients-with-decision-by-county",
        documentType=NamedNode(settings.base_iri + "sosmeta/document-type/paatos"),
        countyLevel=NamedNode(settings.base_iri + "concept/level/hyvinvointialue"),
    )
    return [
        CountyYear(
            canonical(settings, r["county"].value),
            r["year"].value,
            r["notation"].value,
            int(r["clients"].value),
        )
        for r in rows
    ]


def structure_labels(settings: Settings, store: Store, oid: str) -> dict[str, str]:
    """The structure's preferred labels by language (fi, sv as published by THL)."""
    rows = select(
        store,
        settings.queries_dir,
        "sosmeta/structure-labels",
        structure=NamedNode(f"{settings.base_iri}sosmeta/structure/{oid}"),
    )
    return {(getattr(r["label"], "language", None) or "fi"): r["label"].value for r in rows}


def observation_rows(counts: list[CountyYear]) -> list[tuple[int, dict[str, Any]]]:
    """Rows for ``mappings/cube/observations.rq``: a figure, or a suppressed gap (no value)."""
    rows = []
    for n, c in enumerate(counts, start=1):
        rows.append(
            (
                n,
                {
                    "variable": c.structure,
                    "area": NamedNode(c.county),
                    "area_code": c.county.rsplit("/", 1)[-1],
                    "period": Literal(c.year, datatype=NamedNode(XSD + "gYear")),
                    "period_key": c.year,
                    "status": NamedNode(STATUS_NS + ("suppressed" if c.suppressed else "ok")),
                    "unit": UNIT,
                    "value": None
                    if c.suppressed
                    else Literal(str(c.clients), datatype=NamedNode(XSD + "decimal")),
                },
            )
        )
    return rows


def variable_rows(
    oids: list[str], labels: dict[str, dict[str, str]]
) -> list[tuple[int, dict[str, Any]]]:
    """Rows for ``mappings/cube/variables.rq``: one variable per decision structure."""
    rows = []
    for n, oid in enumerate(oids, start=1):
        name = labels.get(oid, {})
        fi = name.get("fi", oid)
        sv = name.get("sv", fi)
        rows.append(
            (
                n,
                {
                    "code": oid,
                    "unit": UNIT,
                    "is_index": Literal("false", datatype=NamedNode(XSD + "boolean")),
                    "label_fi": Literal(
                        f"Asiakkaat, joilla on päätösasiakirja: {fi}", language="fi"
                    ),
                    "label_sv": Literal(f"Klienter med beslutsdokument: {sv}", language="sv"),
                    "label_en": Literal(
                        f"Clients with a decision document: {fi} (Sosmeta {oid})", language="en"
                    ),
                    "definition_fi": Literal(
                        "Eri asiakkaiden (pseudonyymien) määrä, joista hyvinvointialue on "
                        f"vuoden aikana kirjannut Sosmeta-rakenteen {oid} ({fi}) mukaisen "
                        "päätösasiakirjan. 1–4 asiakkaan solut on salattu.",
                        language="fi",
                    ),
                    "definition_en": Literal(
                        "Number of distinct clients (pseudonyms) for whom the wellbeing "
                        f"services county recorded a decision document of Sosmeta structure {oid} "
                        "in the year. Cells of 1–4 clients are suppressed.",
                        language="en",
                    ),
                },
            )
        )
    return rows


def dataset_row() -> list[tuple[int, dict[str, Any]]]:
    """The one row of ``mappings/cube/dataset.rq``."""
    return [
        (
            1,
            {
                "title_fi": "Asiakkaat, joilla on päätösasiakirja, hyvinvointialueittain, "
                "vuosittain ja asiakirjarakenteittain",
                "title_en": "Clients with a decision document by wellbeing services county, "
                "year and document structure",
                "attribution": "Laskettu pseudonymisoiduista Sosmeta-asiakasasiakirjoista "
                "(asiakirjatyyppi Päätös); 1–4 asiakkaan solut on tietosuojan vuoksi salattu.",
                "has_sex": "false",
                "period_note": "Year of the decision date of the document.",
            },
        )
    ]


def cube_triples(
    settings: Settings, counts: list[CountyYear], labels: dict[str, dict[str, str]] | None = None
) -> bytes:
    """The published, suppressed Data Cube dataset of ``counts`` as N-Triples (canonical base)."""
    oids = sorted({c.structure for c in counts})
    return cube_of(
        settings,
        SOURCE,
        observation_rows(counts),
        variable_rows(oids, labels or {}),
        dataset_row(),
    )


def cube_of(
    settings: Settings,
    source: str,
    observations: list[tuple[int, dict[str, Any]]],
    variables: list[tuple[int, dict[str, Any]]],
    dataset: list[tuple[int, dict[str, Any]]],
) -> bytes:
    """A client aggregate ``data/dataset/<source>`` through the cube templates of every table."""
    folder = settings.mappings_dir / "cube"
    bindings: dict[str, NamedNode | Literal] = {
        "dataset": NamedNode(CANONICAL_BASE_IRI + f"data/dataset/{source}"),
        "source": Literal(source),
    }
    out = run_template(load_template(folder / "observations.rq"), observations, bindings)
    out += run_template(load_template(folder / "variables.rq"), variables, bindings)
    out += run_template(load_template(folder / "dataset.rq"), dataset, bindings)
    return out
