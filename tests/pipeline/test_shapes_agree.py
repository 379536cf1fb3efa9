"""shapes/statistics.ttl is the specification; the build runs its SPARQL-compiled form.

Both must flag the same focus nodes for the same property shapes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import RdfFormat
from pyshacl import validate
from rdflib import Graph, Namespace

from kgservice.config import PROJECT_ROOT
from kgservice.queries import load_query
from kgservice.store.embedded import EmbeddedStore

FIXTURE = Path(__file__).parent / "fixtures" / "observations-good-and-bad.ttl"
SH = Namespace("http://www.w3.org/ns/shacl#")
OBS = "https://rake-kg.example/data/obs/test/"
SHAPES = "https://rake-kg.example/shapes/statistics/"


@pytest.fixture(scope="module")
def shacl_findings() -> set[tuple[str, str]]:
    data = Graph().parse(FIXTURE)
    shapes = Graph().parse(PROJECT_ROOT / "shapes" / "statistics.ttl")
    conforms, report, _ = validate(data, shacl_graph=shapes, inference="none")
    assert not conforms
    found = {
        (str(report.value(r, SH.focusNode)), str(report.value(r, SH.sourceShape)))
        for r in report.subjects(SH.resultSeverity, SH.Violation)
    }
    # pyshacl also lists the nested result of sh:node (focus: the region, an anonymous shape);
    # the observation-level result of shapes:area is the one the build reports
    return {(focus, shape) for focus, shape in found if shape.startswith(SHAPES)}


@pytest.fixture(scope="module")
def sparql_findings() -> set[tuple[str, str]]:
    store = EmbeddedStore()
    store.load(FIXTURE.read_bytes(), RdfFormat.TURTLE)
    query = load_query("build/cube-observation-shape", PROJECT_ROOT / "queries")
    return {(r["focus"].value, r["shape"].value) for r in store.select(query.text)}


def test_the_compiled_check_and_pyshacl_flag_the_same_nodes_for_the_same_shapes(
    shacl_findings, sparql_findings
):
    assert sparql_findings == shacl_findings


def test_conforming_figures_and_gaps_are_not_flagged(sparql_findings):
    flagged = {focus for focus, _ in sparql_findings}
    assert OBS + "ok" not in flagged and OBS + "gap" not in flagged


@pytest.mark.parametrize(
    ("focus", "shape"),
    [
        ("noDataSet", "dataSet"),
        ("foreignArea", "area"),
        ("noArea", "area"),
        ("textPeriod", "period"),
        ("twoPeriods", "period"),
        ("untypedVariable", "variable"),
        ("negative", "value"),
        ("textValue", "value"),
        ("figureWithoutValue", "value"),
        ("figureWithoutValue", "status"),
        ("gapWithValue", "noValue"),
        ("gapWithValue", "gapStatus"),
    ],
)
def test_each_broken_observation_breaks_its_rule(sparql_findings, focus, shape):
    assert (OBS + focus, SHAPES + shape) in sparql_findings
