"""Derived residence and the county aggregate (issue 6: only suppressed aggregates)."""

from __future__ import annotations

from pyoxigraph import RdfFormat, parse

from kgservice.config import Settings
from kgservice.sosmeta.aggregate import clients_with_decision_by_county, cube_triples
from kgservice.sosmeta.lift import document_quads
from kgservice.sosmeta.schema import load_schema
from kgservice.sosmeta.synth import Synth
from kgservice.store.embedded import EmbeddedStore
from kgservice.validation.datacube import check_integrity

B = "https://rake-kg.example/"
ASIAKKUUSASIAKIRJA = "1.2.246.537.6.1505.1.2023.6.1"

SKOS = "http://www.w3.org/2004/02/skos/core#"
# A tiny region code list in the contract's shape: Tampere (837) → Pirkanmaa (08); Helsinki (90).
REGIONS = f"""
<{B}region/kunta/837> <{SKOS}broader> <{B}region/hyvinvointialue/08> .
<{B}region/hyvinvointialue/08> <{B}ontology/regionalLevel> <{B}concept/level/hyvinvointialue> .
<{B}region/hyvinvointialue/08> <{SKOS}inScheme> <{B}scheme/regions> .
<{B}region/hyvinvointialue/90> <{B}ontology/regionalLevel> <{B}concept/level/hyvinvointialue> .
<{B}region/hyvinvointialue/90> <{SKOS}inScheme> <{B}scheme/regions> .
"""
# One decision structure (version v1 of structure s1) in the shape the Sosmeta import writes.
STRUCTURE = f"""
<{B}sosmeta/v1> <{B}ontology/documentType> <{B}sosmeta/document-type/paatos> .
<{B}sosmeta/v1> <{B}ontology/versionOf> <{B}sosmeta/structure/1.2.3> .
<{B}sosmeta/structure/1.2.3> <{SKOS}notation> "1.2.3" .
"""


def _client(n: int, municipality: str | None, county: str | None, year: str = "2023") -> str:
    doc = f"<{B}data/client/t/document/{n}>"
    lines = [
        f"{doc} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{B}ontology/ClientDocument> .",
        f"{doc} <{B}ontology/conformsTo> <{B}sosmeta/v1> .",
        f'{doc} <{B}ontology/clientPseudonym> "p{n}" .',
        f'{doc} <{B}ontology/year> "{year}"^^<http://www.w3.org/2001/XMLSchema#gYear> .',
    ]
    if municipality:
        lines.append(
            f"{doc} <{B}ontology/residenceMunicipality> <{B}region/kunta/{municipality}> ."
        )
    if county:
        lines.append(f"{doc} <{B}ontology/recordingCounty> <{B}region/hyvinvointialue/{county}> .")
    return "\n".join(lines)


def test_kotikunta_code_becomes_the_municipality_of_residence(schema_dir):
    structure = load_schema(schema_dir / f"{ASIAKKUUSASIAKIRJA}.json")
    synth = Synth(structure, seed=4)
    doc = synth.valid()
    client = doc["asiakkuusasiakirja"]["asiakas"]
    client["kotikunta"] = {"kunta": {"code": "837", "system": "urn:oid:1.2.246.537.6.21"}}
    quads = document_quads(
        doc,
        ASIAKKUUSASIAKIRJA,
        f"{B}data/client/t/document/1",
        f"{B}graph/client/t",
        b"key",
        None,
        set(),
        {"asiakkuusasiakirja/asiakas/kotikunta/kunta"},
    )
    residence = [
        q.object.value for q in quads if q.predicate.value.endswith("residenceMunicipality")
    ]
    assert residence == [f"{B}region/kunta/837"]


def _aggregate_store() -> EmbeddedStore:
    store = EmbeddedStore()
    store.load(REGIONS.encode(), RdfFormat.N_TRIPLES)
    store.load(STRUCTURE.encode(), RdfFormat.N_TRIPLES)
    clients = [_client(i, "837", None) for i in range(6)]  # six in Pirkanmaa by residence
    clients += [_client(10 + i, "837", "90") for i in range(2)]  # recorded by Helsinki
    clients += [_client(20, None, None)]  # no county at all: not counted
    store.load("\n".join(clients).encode(), RdfFormat.N_TRIPLES, f"{B}graph/client/t")
    return store


def test_county_comes_from_recording_county_else_from_residence_and_small_counts_are_suppressed():
    settings = Settings()
    counts = {
        c.county.rsplit("/", 1)[-1]: c
        for c in clients_with_decision_by_county(settings, _aggregate_store())
    }
    assert {k: (c.structure, c.clients) for k, c in counts.items()} == {
        "08": ("1.2.3", 6),
        "90": ("1.2.3", 2),
    }
    assert not counts["08"].suppressed and counts["90"].suppressed
    data = cube_triples(settings, list(counts.values()))
    triples = [q.triple for q in parse(data, format=RdfFormat.N_TRIPLES)]
    values = [t for t in triples if t.predicate.value.endswith("obsValue")]
    assert [v.object.value for v in values] == ["6"]
    assert not any("p1" == t.object.value for t in triples)


def test_the_client_aggregate_is_a_data_cube_whose_every_integrity_constraint_holds():
    """Issue 11, defect 2: the dataset had no qb:structure (IC-2) and could not be published."""
    settings = Settings()
    store = _aggregate_store()
    cube = cube_triples(settings, clients_with_decision_by_county(settings, store))
    graph = f"{B}graph/source/sosmeta-client-decisions"
    store.load(cube, RdfFormat.N_TRIPLES, graph)
    components = settings.mappings_dir / "cube" / "components.ttl"
    store.load(components.read_bytes(), RdfFormat.TURTLE, f"{B}graph/statistics")
    store.load(REGIONS.encode(), RdfFormat.N_TRIPLES, f"{B}graph/regions")
    dsd = [
        q.object.value
        for q in parse(cube, format=RdfFormat.N_TRIPLES)
        if q.predicate.value.endswith("#structure")
    ]
    assert dsd == [f"{B}data/structure/sosmeta-client-decisions"]
    assert (
        check_integrity(
            store, settings, graphs=[graph, f"{B}graph/statistics", f"{B}graph/regions"]
        )
        == []
    )
