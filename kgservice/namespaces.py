"""Every namespace the service names, in one place.

The standard vocabularies (W3C, Dublin Core, Data Cube, SDMX) are constants. The project's own
namespaces hang under the configured base (``KG_BASE_IRI``, see :mod:`kgservice.iris`) and are
derived from it: ``Project(settings.base_iri).ontology`` is ``<base>ontology/`` (``rake:``).
Sources are written under :data:`~kgservice.config.CANONICAL_BASE_IRI`, so code that reads them
uses :data:`CANONICAL`. SPARQL files (``queries/*.rq``) keep their own ``PREFIX`` lines.

>>> Project("https://kg.example.org/").ontology
'https://kg.example.org/ontology/'
>>> SKOS + "prefLabel"
'http://www.w3.org/2004/02/skos/core#prefLabel'
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kgservice.config import CANONICAL_BASE_IRI, Settings

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SH = "http://www.w3.org/ns/shacl#"
DCT = "http://purl.org/dc/terms/"
DC11 = "http://purl.org/dc/elements/1.1/"
QB = "http://purl.org/linked-data/cube#"
SDMX_DIMENSION = "http://purl.org/linked-data/sdmx/2009/dimension#"
SDMX_MEASURE = "http://purl.org/linked-data/sdmx/2009/measure#"
SDMX_ATTRIBUTE = "http://purl.org/linked-data/sdmx/2009/attribute#"
SDMX_CODE = "http://purl.org/linked-data/sdmx/2009/code#"
ISOTHES = "http://purl.org/iso25964/skos-thes#"
#: VoID and DCAT (dataset descriptions, the dump), and the W3C/Talis ChangeSet vocabulary
#: (``kgservice diff`` as RDF).
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
CS = "http://purl.org/vocab/changeset/schema#"
#: SPARQL 1.1 Service Description and the W3C's names of RDF formats.
SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"

#: The usual prefixes of the standard vocabularies (Turtle output, compact names in reports).
STANDARD_PREFIXES: dict[str, str] = {
    "skos": SKOS,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "dct": DCT,
    "xsd": XSD,
    "qb": QB,
}


@dataclass(frozen=True)
class Project:
    """The project's own namespaces under ``base`` (a configured or the canonical base)."""

    base: str
    ontology: str = field(init=False)  # classes and properties of the OWL model (``rake:``)
    scheme: str = field(init=False)
    concept: str = field(init=False)
    region: str = field(init=False)
    sosmeta: str = field(init=False)
    graph: str = field(init=False)

    def __post_init__(self) -> None:
        for part in ("ontology", "scheme", "concept", "region", "sosmeta", "graph"):
            object.__setattr__(self, part, f"{self.base}{part}/")


#: The namespaces the sources are written in (before :func:`kgservice.iris.rebase`).
CANONICAL = Project(CANONICAL_BASE_IRI)


def project(settings: Settings) -> Project:
    """The project's namespaces under the configured base of ``settings``."""
    return Project(settings.base_iri)


def ontology_ns(settings: Settings) -> str:
    """``<base>ontology/``: the ``rake:`` namespace of the configured base."""
    return project(settings).ontology
