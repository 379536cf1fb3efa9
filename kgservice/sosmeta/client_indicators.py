"""Client-data indicators per phenomenon: suppressed county × year counts of the clients whose
lifted documents record the phenomenon.

Which documents count is data, the ``[[indicator]]`` tables of ``mappings/sosmeta/phenomena.toml``
(:func:`kgservice.sosmeta.phenomena.load_spec`): a document counts for an indicator when its
structure is one of the indicator's ``documents``, or when one of its ``[[indicator.count]]``
entries (structure + JSON path) records one of the listed codes (any code when none are listed).
:func:`counts` takes the documents (``queries/sosmeta/client-documents-by-county.rq``) and their
codes (``client-document-codes.rq``) from the PRIVATE client graphs and counts distinct client
pseudonyms per indicator, county and year.

:func:`cube_triples` publishes them as the Data Cube dataset
``data/dataset/sosmeta-client-phenomena`` through the same templates as every table (one
``rake:variable`` per indicator, ``data/variable/sosmeta-client-phenomena/<indicator slug>``, the
indicator's ``rake:numerator``), with the same disclosure rules as the decision aggregate
(:mod:`kgservice.sosmeta.aggregate`): counts of 1–4 are gaps (status suppressed, no value), the
dataset holds county cells only, and the views' totals are sums only where every county below
has a shown figure (complementary suppression in the ``indicator-values`` step).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from pyoxigraph import Literal, NamedNode

from kgservice.config import CANONICAL_BASE_IRI, Settings
from kgservice.namespaces import XSD
from kgservice.queries import select
from kgservice.sosmeta.aggregate import CountyYear, canonical, cube_of, observation_rows
from kgservice.sosmeta.phenomena import ClientIndicator, Spec
from kgservice.store.base import Store

SOURCE = "sosmeta-client-phenomena"
UNIT = "henkilöä"
DATASET = CANONICAL_BASE_IRI + f"data/dataset/{SOURCE}"


@dataclass
class Document:
    county: str
    year: str
    structure: str  # OID without the version
    clients: set[str] = field(default_factory=set)  # pseudonyms (a document may name several)


def client_documents(
    settings: Settings, store: Store
) -> tuple[dict[str, Document], dict[str, set[tuple[str, str]]]]:
    """The lifted documents (IRI → :class:`Document`) and their codes (IRI → {(path, code)})."""
    docs: dict[str, Document] = {}
    for r in select(
        store,
        settings.queries_dir,
        "sosmeta/client-documents-by-county",
        countyLevel=NamedNode(settings.base_iri + "concept/level/hyvinvointialue"),
    ):
        doc = docs.setdefault(
            r["doc"].value,
            Document(
                canonical(settings, r["county"].value),
                r["year"].value,
                r["structureOid"].value,
            ),
        )
        doc.clients.add(r["client"].value)
    codes: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for r in select(store, settings.queries_dir, "sosmeta/client-document-codes"):
        codes[r["doc"].value].add((r["path"].value, r["code"].value))
    return docs, dict(codes)


def counts_for(ind: ClientIndicator, doc: Document, codes: set[tuple[str, str]]) -> bool:
    """Whether ``doc`` counts for ``ind``."""
    if doc.structure in ind.documents:
        return True
    for c in ind.counts:
        if c.structure != doc.structure:
            continue
        if any(path == c.entry and (not c.codes or code in c.codes) for path, code in codes):
            return True
    return False


def counts(
    spec: Spec, docs: dict[str, Document], codes: dict[str, set[tuple[str, str]]]
) -> list[CountyYear]:
    """Distinct clients per computed indicator, county and year (``structure`` = the slug)."""
    clients: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for ind in spec.indicators:
        if ind.published_by:
            continue
        for iri, doc in docs.items():
            if counts_for(ind, doc, codes.get(iri, set())):
                clients[(ind.slug, doc.county, doc.year)].update(doc.clients)
    return [
        CountyYear(county, year, slug, len(found))
        for (slug, county, year), found in sorted(clients.items())
    ]


def variable_rows(
    slugs: list[str], labels: dict[str, dict[str, str]]
) -> list[tuple[int, dict[str, Any]]]:
    """Rows for ``mappings/cube/variables.rq``: one variable per indicator, its labels."""
    rows = []
    for n, slug in enumerate(slugs, start=1):
        name = labels.get(slug, {})
        fi = name.get("fi", slug)
        rows.append(
            (
                n,
                {
                    "code": slug,
                    "unit": UNIT,
                    "is_index": Literal("false", datatype=NamedNode(XSD + "boolean")),
                    "label_fi": Literal(fi, language="fi"),
                    "label_sv": Literal(name.get("sv", fi), language="sv"),
                    "label_en": Literal(name.get("en", fi), language="en"),
                    "definition_fi": Literal(
                        f"{fi}: eri asiakkaiden (pseudonyymien) määrä hyvinvointialueittain ja "
                        "vuosittain; 1–4 asiakkaan solut on salattu.",
                        language="fi",
                    ),
                    "definition_en": Literal(
                        f"{name.get('en', fi)}: distinct clients (pseudonyms) by wellbeing "
                        "services county and year; cells of 1–4 clients are suppressed.",
                        language="en",
                    ),
                },
            )
        )
    return rows


def dataset_row() -> list[tuple[int, dict[str, Any]]]:
    return [
        (
            1,
            {
                "title_fi": "Asiakkaat, joiden asiakirjoihin ilmiö on kirjattu, "
                "hyvinvointialueittain ja vuosittain",
                "title_en": "Clients whose documents record a phenomenon, by wellbeing services "
                "county and year",
                "attribution": "Laskettu pseudonymisoiduista Sosmeta-asiakasasiakirjoista "
                "(mappings/sosmeta/phenomena.toml); 1–4 asiakkaan solut on salattu.",
                "has_sex": "false",
                "period_note": "Year of the document date.",
            },
        )
    ]


def cube_triples(
    settings: Settings, found: list[CountyYear], labels: dict[str, dict[str, str]]
) -> bytes:
    """The published, suppressed dataset of ``found`` as N-Triples (canonical base)."""
    slugs = sorted({c.structure for c in found})
    return cube_of(
        settings, SOURCE, observation_rows(found), variable_rows(slugs, labels), dataset_row()
    )
