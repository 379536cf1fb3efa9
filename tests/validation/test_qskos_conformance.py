"""The shapes against the qSKOS quality-issue fixtures where a rule and a qSKOS issue coincide.

Fixtures and expected counts: ``shared/conformance/qskos-fixtures`` (qSKOS commit 082a7c6,
``EXPECTED-counts.tsv`` derived from its JUnit tests). Where qSKOS counts more than our rule
covers (mapping relations, concepts outside any scheme), the test asserts the fixture's own
per-case annotations ("error" / "ok") instead of the total.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from kgservice.config import PROJECT_ROOT
from kgservice.validation.shacl import quality_shape_files, run_shapes
from kgservice.validation.sources import SourceSet, load_sources

BASE = "http://qskos.test/"
SUBPROPERTIES = Path(__file__).parent / "fixtures" / "skos-mapping-subproperties.ttl"


@pytest.fixture(scope="module")
def shapes():
    return load_sources(quality_shape_files(PROJECT_ROOT / "shapes")).graph


@pytest.fixture(scope="module")
def qskos(shared_dir) -> Path:
    return shared_dir / "conformance" / "qskos-fixtures"


def expected_counts(qskos: Path) -> dict[str, str]:
    rows = (qskos / "EXPECTED-counts.tsv").read_text("utf-8").splitlines()[1:]
    return {row.split("\t")[0]: row.split("\t")[2] for row in rows}


def load(qskos: Path, tmp_path: Path, *names: str) -> SourceSet:
    """Parse RDF/XML fixtures (some use relative IRIs, resolved against ``BASE``)."""
    files = []
    for name in names:
        target = tmp_path / f"{Path(name).stem}.nt"
        quads = ox.parse(path=str(qskos / name), format=ox.RdfFormat.RDF_XML, base_iri=BASE)
        ox.serialize(quads, str(target), ox.RdfFormat.N_TRIPLES)
        files.append(target)
    return load_sources(files)


def flagged(data: SourceSet, shapes, rule: str) -> set[str]:
    return {v.focus for v in run_shapes(data, shapes) if v.rule == rule}


def with_subproperties(data: SourceSet) -> SourceSet:
    """Materialise the RDFS closure (owlrl) so sub-properties of skos:broader count as broader."""
    import owlrl

    data.graph.parse(SUBPROPERTIES)
    owlrl.DeductiveClosure(owlrl.RDFS_Semantics).expand(data.graph)
    return data


def cycles_among(graph: Graph, nodes: set[str]) -> int:
    """How many strongly connected components the flagged nodes form in the hierarchy
    (skos:broader, skos:broaderTransitive and the inverses of the narrower properties)."""

    def parents(n: URIRef) -> set[URIRef]:
        found = set(graph.objects(n, SKOS.broader)) | set(graph.objects(n, SKOS.broaderTransitive))
        found |= set(graph.subjects(SKOS.narrower, n))
        found |= set(graph.subjects(SKOS.narrowerTransitive, n))
        return {x for x in found if isinstance(x, URIRef)}

    def ancestors(n: str) -> set[str]:
        seen: set[URIRef] = set()
        todo = [URIRef(n)]
        while todo:
            for parent in parents(todo.pop()) - seen:
                seen.add(parent)
                todo.append(parent)
        return {str(x) for x in seen}

    components: list[set[str]] = []
    for n in sorted(nodes):
        if not any(n in c for c in components):
            up = ancestors(n)
            components.append({m for m in nodes if m in up and n in ancestors(m)} | {n})
    return len(components)


def test_hierarchical_cycles_match_qskos(qskos, tmp_path, shapes):
    # HierarchicalCyclesTest: hierarchicalCycles=3 (cycles.rdf), ...ForComponents=3 (components_1)
    assert (
        "hierarchicalCycles=3; hierarchicalCyclesForComponents=3"
        in expected_counts(qskos)["HierarchicalCyclesTest"]
    )
    for name in ("cycles.rdf", "components_1.rdf"):
        data = with_subproperties(load(qskos, tmp_path, name))
        nodes = flagged(data, shapes, "broader-cycle")
        assert cycles_among(data.graph, nodes) == 3, name


def test_top_concepts_having_broader_concepts_match_qskos(qskos, tmp_path, shapes):
    assert expected_counts(qskos)["TopConceptsHavingBroaderConceptsTest"] == (
        "topConceptsHavingBroaderConcepts=4"
    )
    data = load(qskos, tmp_path, "topConceptsHavingBroaderConcept.rdf")
    nodes = flagged(data, shapes, "top-concept-has-no-broader")
    assert nodes == {BASE + r for r in ("resourceA", "resourceB", "resourceE", "resourceG")}


def test_empty_labels_match_qskos(qskos, tmp_path, shapes):
    assert expected_counts(qskos)["EmptyLabeledResourcesTest"] == "result=3"
    data = load(qskos, tmp_path, "emptyLabels.rdf")
    nodes = flagged(data, shapes, "label-empty")
    assert nodes == {BASE + r for r in ("conceptA", "conceptB", "conceptD")}


def test_relation_clashes_flag_the_fixtures_skos_error_cases(qskos, tmp_path, shapes):
    # qSKOS counts 10 clashes including mapping relations (cases 9-12); our rule covers
    # skos:related against the broader/narrower hierarchy: cases 1, 2, 3, 4, 7, 8 ("error"),
    # not 5 and 6 ("ok").
    assert expected_counts(qskos)["RelationClashesTest"] == "relationClashes=10"
    data = load(qskos, tmp_path, "relationClashes.rdf")
    nodes = flagged(data, shapes, "related-hierarchy-disjoint")
    assert nodes == {BASE + n for n in ("1", "3", "5", "8", "26", "31")}


def test_ambiguous_notations_within_a_scheme_match_the_fixtures_error_cases(
    qskos, tmp_path, shapes
):
    # qSKOS counts 8, including concepts without a scheme; within one scheme the fixture's
    # error cases are A/B (plain), C/D (xsd:string) and E/F (xsd:int).
    data = load(qskos, tmp_path, "ambiguousNotationReferences.rdf")
    nodes = flagged(data, shapes, "notation-unique-in-scheme")
    base = "http://mminf.univie.ac.at/vocab/"
    assert nodes == {base + f"concept{x}" for x in "ABCDEF"}
