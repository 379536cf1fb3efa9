"""/sparql in front of a remote store (a real ``oxigraph serve``): same rules, same privacy."""

from __future__ import annotations

import pytest
from pyoxigraph import QueryResultsFormat, RdfFormat, parse, parse_query_results
from sparql_testdata import CLIENT, PUBLIC

pytestmark = pytest.mark.remote


@pytest.fixture(scope="module")
def remote_client(make_remote_app):
    return make_remote_app(query_row_limit=2).test_client()


def _engine(client) -> str:
    return client.application.config["KG_SETTINGS"].sparql_engine


def _values(body: bytes, var: str) -> list[str]:
    return [s[var].value for s in parse_query_results(body, format=QueryResultsFormat.JSON)]


def test_remote_select_sees_public_data(remote_client):
    r = remote_client.get(
        "/sparql",
        query_string={
            "query": "SELECT ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } "
            "ORDER BY STR(?l) LIMIT 2"  # STR: engines order "alfa"@fi and "beta" differently
        },
    )
    assert r.status_code == 200
    assert _values(r.data, "l") == ["alfa", "alpha"]


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?o WHERE { ?s <http://example.org/secret> ?o }",
        "SELECT ?o WHERE { GRAPH ?g { ?s <http://example.org/secret> ?o } }",
        "SELECT ?o FROM NAMED <https://rake-kg.example/graph/client/batch-1> "
        "WHERE { GRAPH ?g { ?s ?p ?o } }",
    ],
)
def test_remote_client_graphs_are_never_visible(remote_client, text):
    r = remote_client.get("/sparql", query_string={"query": text})
    if "FROM NAMED" in text and _engine(remote_client) == "virtuoso":
        # Virtuoso reads a query's FROM NAMED before the request's dataset: refused unsent
        assert r.status_code == 400
        assert r.get_json()["rule"] == "dataset-refused"
        return
    assert r.status_code == 200
    assert "client-secret-value" not in _values(r.data, "o")


def test_remote_graph_list_is_public_only(remote_client):
    r = remote_client.get(
        "/sparql", query_string={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"}
    )
    graphs = _values(r.data, "g")
    assert PUBLIC in graphs
    assert CLIENT not in graphs


def test_remote_row_limit_and_formats(remote_client):
    r = remote_client.get(
        "/sparql", query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "nt"}
    )
    assert len(list(parse(r.data, format=RdfFormat.N_TRIPLES))) == 2
    assert r.headers["X-Result-Truncated"] == "true"


def test_remote_update_and_service_are_refused_before_sending(remote_client):
    r = remote_client.get("/sparql", query_string={"query": "DROP ALL"})
    assert r.status_code == 400
    r = remote_client.get(
        "/sparql",
        query_string={"query": "SELECT * { SERVICE <http://example.org/s> { ?s ?p ?o } }"},
    )
    assert r.get_json()["rule"] == "service-refused"


@pytest.mark.parametrize(
    "function", ["<bif:http_get>", "<sql:anything>", "<http://example.org/my-function>"]
)
def test_remote_extension_functions_are_refused_before_sending(remote_client, function):
    """Virtuoso runs ``bif:`` functions as SQL built-ins (``bif:http_get`` fetches any URL)."""
    text = f"SELECT (({function}('http://127.0.0.1:9/')) AS ?x) WHERE {{}}"
    r = remote_client.get("/sparql", query_string={"query": text})
    assert r.status_code == 400
    assert r.get_json()["rule"] == "function-refused"


def test_remote_xsd_casts_still_run(remote_client):
    text = "SELECT (<http://www.w3.org/2001/XMLSchema#integer>('42') AS ?x) WHERE {}"
    r = remote_client.get("/sparql", query_string={"query": text})
    assert r.status_code == 200
    assert _values(r.data, "x") == ["42"]


@pytest.mark.parametrize(
    ("text", "answer"), [("ASK { ?s ?p 'beta' }", True), ("ASK { ?s ?p 'z' }", False)]
)
def test_remote_ask_answers_a_boolean(remote_client, text, answer):
    """Virtuoso answers an ASK as a one-column table (``__ASK_RETVAL``); the client gets the
    standard boolean."""
    r = remote_client.get(
        "/sparql",
        query_string={"query": text},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.status_code == 200
    assert r.get_json()["boolean"] is answer
