"""W3C conformance material run against /sparql.

* SPARQL 1.1 Protocol (``sparql11-protocol/manifest.ttl``): every query test and every "bad
  request" test is replayed as HTTP requests against the app. The update tests expect 2xx from a
  read-write service; this endpoint is read-only by design, so for them the assertion is the
  opposite: every update request is refused with 400 (see docs/api.md "SPARQL endpoint").
* Result formats (``sparql11-results-json``, ``sparql11-results-csv-tsv``): the test data is
  loaded into a public graph, the query is sent with the format's Accept header, and the answer is
  compared with the expected file (parsed, blank nodes compared by position only).
* Service description (``sparql11-service-description``): GET returns RDF with a matching
  ``sd:endpoint``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
import rdflib
from pyoxigraph import BlankNode, Literal, QueryResultsFormat, parse_query_results
from rdflib.collection import Collection

from kgservice.config import PROJECT_ROOT

CONFORMANCE = PROJECT_ROOT.parent / "shared" / "conformance"
PROTOCOL = CONFORMANCE / "sparql11-protocol"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
QT = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
HTS = rdflib.Namespace("http://www.w3.org/2011/http-statusCodes#")
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")


def _manifest(folder: Path) -> tuple[rdflib.Graph, list[rdflib.term.Node]]:
    g = rdflib.Graph().parse(
        folder / "manifest.ttl", format="turtle", publicID=folder.as_uri() + "/"
    )
    manifest = next(g.subjects(MF.entries, None))
    return g, list(Collection(g, g.value(manifest, MF.entries)))


PROTO_GRAPH, PROTO_TESTS = _manifest(PROTOCOL)


def _local(node) -> str:
    return str(node).rsplit("#", 1)[-1]


@pytest.fixture(scope="module")
def protocol_client(make_app):
    """The protocol's test data, each file in the named graph its manifest entry names."""
    graphs: dict[str, Path] = {}
    for gd in PROTO_GRAPH.objects(None, UT.graphData):
        name = str(PROTO_GRAPH.value(gd, rdflib.RDFS.label))
        graphs[name] = Path(str(PROTO_GRAPH.value(gd, UT.graph)).removeprefix("file://"))
    assert len(graphs) == 3
    return make_app(graphs).test_client()


def _requests(test) -> list[dict]:
    action = PROTO_GRAPH.value(test, MF.action)
    out = []
    for req in Collection(PROTO_GRAPH, PROTO_GRAPH.value(action, HT.requests)):
        headers = {}
        hlist = PROTO_GRAPH.value(req, HT.headers)
        if hlist is not None:
            for h in Collection(PROTO_GRAPH, hlist):
                headers[str(PROTO_GRAPH.value(h, HT.fieldName))] = str(
                    PROTO_GRAPH.value(h, HT.fieldValue)
                )
        body_node = PROTO_GRAPH.value(req, HT.body)
        body = None
        if body_node is not None:
            enc = str(PROTO_GRAPH.value(body_node, CNT.characterEncoding) or "UTF-8")
            body = str(PROTO_GRAPH.value(body_node, CNT.chars)).encode(enc.lower())
        resp = PROTO_GRAPH.value(req, HT.resp)
        out.append(
            {
                "method": str(PROTO_GRAPH.value(req, HT.methodName)),
                "path": "/sparql" + str(PROTO_GRAPH.value(req, HT.absolutePath))[len("/sparql/") :],
                "headers": headers,
                "body": body,
                "status": {_local(s) for s in PROTO_GRAPH.objects(resp, MF.expectedStatus)},
                "format": PROTO_GRAPH.value(resp, MF.expectedFormat),
                "boolean": PROTO_GRAPH.value(resp, MF.expectedBoolean),
            }
        )
    return out


def _send(client, req):
    return client.open(req["path"], method=req["method"], headers=req["headers"], data=req["body"])


TABULAR = {
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
}
RDF_TYPES = {"text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"}


@pytest.mark.parametrize(
    "test",
    [t for t in PROTO_TESTS if not _local(t).startswith("update_")],
    ids=[_local(t) for t in PROTO_TESTS if not _local(t).startswith("update_")],
)
def test_protocol_query_and_bad_request_cases(protocol_client, test):
    for req in _requests(test):
        r = _send(protocol_client, req)
        family = f"StatusCode{r.status_code // 100}xx"
        assert family in req["status"], (r.status_code, r.data[:300])
        fmt = str(req["format"]) if req["format"] is not None else None
        if fmt == "boolean":
            assert r.mimetype in (
                "application/sparql-results+json",
                "application/sparql-results+xml",
            )
        elif fmt == "tabular":
            assert r.mimetype in TABULAR
        elif fmt == "RDF":
            assert r.mimetype in RDF_TYPES
        if req["boolean"] is not None:
            assert json.loads(r.data)["boolean"] == req["boolean"].toPython()


@pytest.mark.parametrize(
    "test",
    [t for t in PROTO_TESTS if _local(t).startswith("update_")],
    ids=[_local(t) for t in PROTO_TESTS if _local(t).startswith("update_")],
)
def test_protocol_update_cases_are_refused_by_the_read_only_endpoint(protocol_client, test):
    updates = [r for r in _requests(test) if _is_update(r)]
    assert updates, "every update test starts with an update request"
    for req in updates:
        r = _send(protocol_client, req)
        assert r.status_code == 400
        assert r.get_json()["rule"] == "update-refused"


def _is_update(req) -> bool:
    ctype = req["headers"].get("content-type", "")
    body = (req["body"] or b"").decode("utf-8", "replace")
    return ctype.startswith("application/sparql-update") or body.startswith("update=")


# -- result formats ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def client_for(make_app):
    """One app per test data file (its contents in a public graph), shared by the cases."""
    apps = {}

    def get(data: Path):
        if data not in apps:
            apps[data] = make_app({"http://example.org/graph/test": data})
        return apps[data].test_client()

    return get


def _result_cases(folder: str) -> list[tuple[str, Path, Path, Path]]:
    g, tests = _manifest(CONFORMANCE / folder)
    cases = []
    for t in tests:
        action = g.value(t, MF.action)
        path = lambda n: Path(str(n).removeprefix("file://"))  # noqa: E731
        cases.append(
            (
                _local(t),
                path(g.value(action, QT.query)),
                path(g.value(action, QT.data)),
                path(g.value(t, MF.result)),
            )
        )
    return cases


def _normalise(solutions) -> list[dict]:
    """Rows as variable → value (SELECT * has no defined column order); blank nodes unlabelled.

    Literals are compared by *value*: Oxigraph stores typed literals in canonical form, so
    ``"1.0E6"^^xsd:double`` comes back as ``1000000`` (and ``xsd:negativeInteger`` as
    ``xsd:integer``), which is the same RDF value but not the same lexical form.
    """
    rows = []
    for sol in solutions:
        row = {}
        for v in solutions.variables:
            term = sol[v]
            if term is None:
                continue
            if isinstance(term, BlankNode):
                row[v.value] = "_:b"
            elif isinstance(term, Literal):
                lit = rdflib.Literal(
                    term.value,
                    lang=term.language,
                    datatype=None if term.language else term.datatype.value,
                )
                row[v.value] = ("literal", lit.toPython(), term.language)
            else:
                row[v.value] = term
        rows.append(row)
    return rows


@pytest.mark.parametrize(
    ("name", "query", "data", "expected"),
    _result_cases("sparql11-results-json"),
    ids=[c[0] for c in _result_cases("sparql11-results-json")],
)
def test_json_results_match_the_w3c_expected_files(client_for, name, query, data, expected):
    client = client_for(data)
    r = client.get(
        "/sparql",
        query_string={"query": query.read_text()},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.status_code == 200
    got = parse_query_results(r.data, format=QueryResultsFormat.JSON)
    want = parse_query_results(expected.read_bytes(), format=QueryResultsFormat.JSON)
    if isinstance(want, bool) or not hasattr(want, "variables"):
        assert bool(got) == bool(want)
        return
    assert {v.value for v in got.variables} == {v.value for v in want.variables}
    assert _normalise(got) == _normalise(want)


@pytest.mark.parametrize(
    ("name", "query", "data", "expected"),
    _result_cases("sparql11-results-csv-tsv"),
    ids=[c[0] for c in _result_cases("sparql11-results-csv-tsv")],
)
def test_csv_and_tsv_results_match_the_w3c_expected_files(client_for, name, query, data, expected):
    client = client_for(data)
    tsv = expected.suffix == ".tsv"
    r = client.get(
        "/sparql",
        query_string={"query": query.read_text()},
        headers={"Accept": "text/tab-separated-values" if tsv else "text/csv"},
    )
    assert r.status_code == 200
    if tsv:
        got = parse_query_results(r.data, format=QueryResultsFormat.TSV)
        want = parse_query_results(expected.read_bytes(), format=QueryResultsFormat.TSV)
        assert {v.value for v in got.variables} == {v.value for v in want.variables}
        assert _normalise(got) == _normalise(want)
    else:
        assert _csv_rows(r.data.decode()) == _csv_rows(expected.read_text())


def _csv_rows(text: str) -> list[dict[str, object]]:
    """CSV cells; numbers by value (see :func:`_normalise`), blank nodes unlabelled."""
    bnode = re.compile(r"^_:\w+$")

    def cell(v: str) -> object:
        try:
            return float(v)
        except ValueError:
            return bnode.sub("_:b", v)

    return [{k: cell(v) for k, v in row.items()} for row in csv.DictReader(io.StringIO(text))]


# -- service description -----------------------------------------------------------------------
@pytest.mark.parametrize("accept", ["text/turtle", "application/rdf+xml", "application/n-triples"])
def test_service_description_returns_rdf_with_matching_endpoint(small_client, accept):
    r = small_client.get("/sparql", headers={"Accept": accept})
    assert r.status_code == 200
    fmt = {"text/turtle": "turtle", "application/rdf+xml": "xml", "application/n-triples": "nt"}
    g = rdflib.Graph().parse(data=r.data, format=fmt[accept])
    assert (None, SD.endpoint, rdflib.URIRef("http://localhost/sparql")) in g
    assert (None, rdflib.RDF.type, SD.Service) in g
