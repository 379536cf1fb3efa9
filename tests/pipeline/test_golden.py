"""Golden cases of the mapping: each folder of ``golden/`` holds a spec, its input file and the
Turtle the mapping must produce (reviewed by hand). One parametrised test runs them all.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kgservice.config import PROJECT_ROOT, Settings
from kgservice.mappings.regions import load_region_index
from kgservice.pipeline.lift import lift_cube_source
from kgservice.sources.spec import load_spec

GOLDEN = Path(__file__).parent / "golden"
XSD_DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "spec.toml").is_file())


def by_value(graph: Graph) -> Graph:
    """The graph with every xsd:decimal in one lexical form (Turtle writes 420 as 420.0)."""
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD_DECIMAL:
            o = Literal(format(o.toPython().normalize(), "f"), datatype=XSD_DECIMAL)
        out.add((s, p, o))
    return out


def produce(case: str) -> Graph:
    folder = GOLDEN / case
    settings = Settings(data_dir=folder, mappings_dir=PROJECT_ROOT / "mappings")
    spec = load_spec(folder / "spec.toml")
    data, _, _ = lift_cube_source(settings, spec, load_region_index(Settings()))
    return Graph().parse(data=data.decode("utf-8"), format="nt")


@pytest.mark.parametrize("case", CASES)
def test_mapping_output_equals_the_golden_turtle(case):
    got = by_value(produce(case))
    want = by_value(Graph().parse(GOLDEN / case / "expected.ttl"))
    if not isomorphic(got, want):
        _, only_got, only_want = graph_diff(to_isomorphic(got), to_isomorphic(want))
        pytest.fail(
            "unexpected:\n"
            + only_got.serialize(format="nt")
            + "\nmissing:\n"
            + only_want.serialize(format="nt")
        )


def test_there_are_golden_cases_for_each_reader_format():
    formats = {load_spec(GOLDEN / c / "spec.toml").read["format"] for c in CASES}
    assert {"pxweb-json", "csv"} <= formats and len(CASES) >= 3
