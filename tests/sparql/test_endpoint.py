"""The /sparql endpoint: SPARQL 1.1 Protocol, formats, read-only rules, private graphs, limits.

Every test runs on the embedded store and on the remote backend over both real engines
(``oxigraph serve``, Virtuoso)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import ExitStack

import pytest
import rdflib
from fixtures.engines import ENGINES
from flask.testing import FlaskClient
from pyoxigraph import QueryResultsFormat, RdfFormat, parse, parse_query_results
from remote_apps import remote_app_factory
from sparql_testdata import CLIENT, PUBLIC

from kgservice.texts import translate

#: Ordered by STR(?l): SPARQL leaves the order of "alfa"@fi among plain strings to the engine
#: (Virtuoso puts "beta" first).
LABELS = (
    "SELECT ?s ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } ORDER BY STR(?l)"
)
CONSTRUCT = (
    "CONSTRUCT { ?s <http://example.org/linked> ?o } WHERE { ?s <http://example.org/next> ?o }"
)
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")


@pytest.fixture(scope="module", params=["embedded", *ENGINES])
def small_client(request, small_app, app_factory, tmp_path_factory) -> Iterator[FlaskClient]:
    """The endpoint over :data:`SMALL_DATA`: embedded, or remote on each engine."""
    if request.param == "embedded":
        yield small_app.test_client()
        return
    with ExitStack() as servers:
        make = remote_app_factory(request, request.param, servers, app_factory, tmp_path_factory)
        yield make().test_client()


def _engine(client: FlaskClient) -> str:
    settings = client.application.config["KG_SETTINGS"]
    return settings.sparql_engine if settings.remote else "embedded"


def _labels(body: bytes, fmt=QueryResultsFormat.JSON) -> list[str]:
    return [sol["l"].value for sol in parse_query_results(body, format=fmt)]


# -- the three ways to send a query ------------------------------------------------------------
def test_get_query_answers_sparql_json_by_default(small_client):
    r = small_client.get("/sparql", query_string={"query": LABELS})
    assert r.status_code == 200
    assert r.mimetype == "application/sparql-results+json"
    assert _labels(r.data) == ["alfa", "alpha", "beta"]


def test_post_form_query(small_client):
    r = small_client.post("/sparql", data={"query": LABELS})
    assert r.status_code == 200
    assert _labels(r.data) == ["alfa", "alpha", "beta"]


def test_post_direct_query(small_client):
    r = small_client.post(
        "/sparql", data=LABELS.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert r.status_code == 200
    assert _labels(r.data) == ["alfa", "alpha", "beta"]


def test_ask_query_answers_a_boolean(small_client):
    r = small_client.get("/sparql", query_string={"query": "ASK { ?s ?p 'beta' }"})
    assert json.loads(r.data)["boolean"] is True


# -- formats -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("application/sparql-results+json", QueryResultsFormat.JSON),
        ("application/sparql-results+xml", QueryResultsFormat.XML),
        ("text/tab-separated-values", QueryResultsFormat.TSV),
    ],
)
def test_select_results_in_each_format_by_accept(small_client, accept, fmt):
    r = small_client.get("/sparql", query_string={"query": LABELS}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.mimetype == accept
    assert _labels(r.data, fmt) == ["alfa", "alpha", "beta"]
    assert "Accept" in r.headers["Vary"]


def test_select_results_as_csv(small_client):
    r = small_client.get("/sparql", query_string={"query": LABELS}, headers={"Accept": "text/csv"})
    assert r.mimetype == "text/csv"
    assert r.data.decode().splitlines() == [
        "s,l",
        "http://example.org/a,alfa",
        "http://example.org/a,alpha",
        "http://example.org/b,beta",
    ]


def test_accept_q_values_choose_the_preferred_format(small_client):
    accept = "application/sparql-results+json;q=0.5, text/csv;q=0.9, */*;q=0.1"
    r = small_client.get("/sparql", query_string={"query": LABELS}, headers={"Accept": accept})
    assert r.mimetype == "text/csv"


def test_format_parameter_overrides_accept(small_client):
    r = small_client.get(
        "/sparql", query_string={"query": LABELS, "format": "tsv"}, headers={"Accept": "text/csv"}
    )
    assert r.mimetype == "text/tab-separated-values"


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", RdfFormat.TURTLE),
        ("application/n-triples", RdfFormat.N_TRIPLES),
        ("application/ld+json", RdfFormat.JSON_LD),
        ("application/rdf+xml", RdfFormat.RDF_XML),
    ],
)
def test_construct_results_in_each_rdf_format(small_client, accept, fmt):
    r = small_client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.mimetype == accept
    triples = [q.triple for q in parse(r.data, format=fmt)]
    assert [(t.subject.value, t.predicate.value, t.object.value) for t in triples] == [
        ("http://example.org/a", "http://example.org/linked", "http://example.org/b")
    ]


def test_describe_defaults_to_turtle(small_client):
    r = small_client.get("/sparql", query_string={"query": "DESCRIBE <http://example.org/b>"})
    assert r.mimetype == "text/turtle"
    assert b"beta" in r.data


def test_unoffered_type_is_406_listing_the_offered_ones(small_client):
    r = small_client.get("/sparql", query_string={"query": LABELS}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert r.mimetype == "application/problem+json"
    assert "application/sparql-results+json" in r.get_json()["detail"]


def test_graph_format_for_a_select_is_406(small_client):
    r = small_client.get("/sparql", query_string={"query": LABELS, "format": "turtle"})
    assert r.status_code == 406


# -- service description -----------------------------------------------------------------------
def test_get_without_query_is_the_service_description(small_client):
    r = small_client.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    assert r.mimetype == "text/turtle"
    g = rdflib.Graph().parse(data=r.data, format="turtle")
    service = next(g.subjects(rdflib.RDF.type, SD.Service))
    assert g.value(service, SD.endpoint) == rdflib.URIRef("http://localhost/sparql")
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
    names = {str(n) for n in g.objects(None, SD.name)}
    assert PUBLIC in names
    assert CLIENT not in names


def test_service_description_as_rdf_xml(small_client):
    r = small_client.get("/sparql", headers={"Accept": "application/rdf+xml"})
    g = rdflib.Graph().parse(data=r.data, format="xml")
    assert (None, SD.endpoint, rdflib.URIRef("http://localhost/sparql")) in g


# -- read-only ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "INSERT DATA { <http://example.org/x> <http://example.org/p> 1 }",
        "DROP ALL",
        "CLEAR DEFAULT",
        "LOAD <http://example.org/remote.ttl>",
        "DELETE WHERE { ?s ?p ?o }",
        "PREFIX ex: <http://example.org/> WITH ex:g DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    ],
)
def test_updates_sent_as_queries_are_refused_with_400(small_client, text):
    r = small_client.post(
        "/sparql", data=text.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert r.status_code == 400
    assert r.mimetype == "application/problem+json"
    assert r.get_json()["rule"] == "update-refused"


def test_update_operation_by_form_is_refused(small_client):
    r = small_client.post("/sparql", data={"update": "DROP ALL"})
    assert r.status_code == 400
    assert r.get_json()["rule"] == "update-refused"


def test_update_operation_by_direct_post_is_refused_and_nothing_changes(small_client):
    r = small_client.post(
        "/sparql", data=b"DROP ALL", headers={"Content-Type": "application/sparql-update"}
    )
    assert r.status_code == 400
    after = small_client.get("/sparql", query_string={"query": LABELS})
    assert _labels(after.data) == ["alfa", "alpha", "beta"]


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "select * where { service silent <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o SERVICE?x{ ?a ?b ?c } }",
        "PREFIX ex: <http://example.org/>\n"
        "SELECT * {\n  # comment\n  SERVICE ex:endpoint { ?s ?p ?o }\n}",
    ],
)
def test_service_is_refused_before_execution(small_client, text):
    r = small_client.get("/sparql", query_string={"query": text})
    assert r.status_code == 400
    assert r.get_json()["rule"] == "service-refused"


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?n WHERE { ?s <http://example.org/note> ?n FILTER(CONTAINS(?n, 'SERVICE')) }",
        "SELECT ?n WHERE { ?s <http://example.org/note> ?n "
        'FILTER(CONTAINS(?n, """service desk""")) }',
        "# SERVICE <http://example.org/sparql> in a comment\n"
        "SELECT ?n WHERE { ?s <http://example.org/note> ?n }",
        "PREFIX service: <http://example.org/>\nSELECT ?n WHERE { ?s service:note ?n }",
        "SELECT ?n WHERE { ?service <http://example.org/note> ?n }",
        "SELECT ?n WHERE { <http://example.org/c> ?p ?n . "
        "FILTER(?p != <http://example.org/SERVICE>) }",
    ],
)
def test_the_word_service_in_strings_names_and_comments_is_allowed(small_client, text):
    r = small_client.get("/sparql", query_string={"query": text})
    assert r.status_code == 200, r.data
    assert _labels_or_n(r.data) == ["a service desk, not a SERVICE call"]


def _labels_or_n(body: bytes) -> list[str]:
    return [sol["n"].value for sol in parse_query_results(body, format=QueryResultsFormat.JSON)]


# -- private client-data graphs ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "params"),
    [
        ("SELECT ?o WHERE { ?s ?p ?o }", {}),
        ("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {}),
        (
            "SELECT ?o WHERE { GRAPH <https://rake-kg.example/graph/client/batch-1> { ?s ?p ?o } }",
            {},
        ),
        ("SELECT ?o FROM <https://rake-kg.example/graph/client/batch-1> WHERE { ?s ?p ?o }", {}),
        (
            "SELECT ?o FROM NAMED <https://rake-kg.example/graph/client/batch-1> "
            "WHERE { GRAPH ?g { ?s ?p ?o } }",
            {},
        ),
        (
            "PREFIX c: <https://rake-kg.example/graph/client/>\n"
            "SELECT ?o FROM NAMED c:batch-1 WHERE { GRAPH ?g { ?s ?p ?o } }",
            {},
        ),
        ("SELECT ?o WHERE { ?s ?p ?o }", {"default-graph-uri": CLIENT}),
        ("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {"named-graph-uri": CLIENT}),
    ],
)
def test_client_data_graphs_are_never_visible(small_client, text, params):
    r = small_client.get("/sparql", query_string={"query": text, **params})
    if _engine(small_client) == "virtuoso" and "FROM" in text:
        # Virtuoso reads a query's FROM before the request's dataset: refused unsent
        assert r.status_code == 400
        assert r.get_json()["rule"] == "dataset-refused"
        return
    assert r.status_code == 200
    values = [sol["o"].value for sol in parse_query_results(r.data, format=QueryResultsFormat.JSON)]
    assert "client-secret-value" not in values


def test_graph_query_lists_only_public_graphs(small_client):
    r = small_client.get(
        "/sparql", query_string={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"}
    )
    graphs = [sol["g"].value for sol in parse_query_results(r.data, format=QueryResultsFormat.JSON)]
    assert graphs == [PUBLIC]


def test_from_a_public_graph_is_honoured(small_client):
    text = (
        "SELECT ?l FROM <https://rake-kg.example/graph/test/public> "
        "WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } ORDER BY STR(?l)"
    )
    r = small_client.get("/sparql", query_string={"query": text})
    assert _labels(r.data) == ["alfa", "alpha", "beta"]


def test_protocol_dataset_overrides_from(small_client):
    text = (
        "SELECT ?l FROM <https://rake-kg.example/graph/test/public> "
        "WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
    )
    r = small_client.get(
        "/sparql", query_string={"query": text, "default-graph-uri": "http://example.org/none"}
    )
    if _engine(small_client) == "virtuoso":
        # it would read the query's FROM, not the request's dataset: refused, never wrong
        assert r.status_code == 400
        assert r.get_json()["rule"] == "dataset-refused"
        return
    assert _labels(r.data) == []


# -- protocol errors ---------------------------------------------------------------------------
def test_syntax_error_is_problem_json_400(small_client):
    r = small_client.get("/sparql", query_string={"query": "SELECT ?s WHERE { ?s ?p }"})
    assert r.status_code == 400
    assert r.mimetype == "application/problem+json"
    assert r.get_json()["rule"] == "sparql-syntax"


def test_two_queries_in_one_request_are_400(small_client):
    r = small_client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert r.status_code == 400


def test_post_with_another_media_type_is_415(small_client):
    r = small_client.post("/sparql", data=b"ASK {}", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415


def test_direct_post_in_utf16_is_400(small_client):
    r = small_client.post(
        "/sparql",
        data="ASK {}".encode("utf-16"),
        headers={"Content-Type": "application/sparql-query; charset=UTF-16"},
    )
    assert r.status_code == 400


def test_put_is_405(small_client):
    assert small_client.put("/sparql", data=b"ASK {}").status_code == 405


# -- CORS --------------------------------------------------------------------------------------
def test_get_answers_allow_any_origin(small_client):
    r = small_client.get(
        "/sparql", query_string={"query": "ASK {}"}, headers={"Origin": "http://x"}
    )
    assert r.headers["Access-Control-Allow-Origin"] == "*"


def test_preflight_allows_direct_post(small_client):
    r = small_client.options(
        "/sparql",
        headers={
            "Origin": "http://x",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert r.status_code == 200
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in r.headers["Access-Control-Allow-Methods"]


# -- row limit ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def limited_client(make_app):
    from sparql_testdata import SMALL_DATA

    return make_app(SMALL_DATA, query_row_limit=2).test_client()


def test_select_is_cut_at_the_row_limit_and_says_so(limited_client):
    r = limited_client.get("/sparql", query_string={"query": LABELS})
    assert _labels(r.data) == ["alfa", "alpha"]
    assert r.headers["X-Result-Truncated"] == "true"
    assert r.headers["X-Row-Limit"] == "2"


def test_row_limit_applies_to_csv_too(limited_client):
    r = limited_client.get("/sparql", query_string={"query": LABELS, "format": "csv"})
    assert len(r.data.decode().splitlines()) == 3  # header + 2 rows


def test_result_within_the_limit_is_not_flagged(limited_client):
    r = limited_client.get("/sparql", query_string={"query": LABELS + " LIMIT 1"})
    assert "X-Result-Truncated" not in r.headers
    assert r.headers["X-Result-Rows"] == "1"


def test_construct_is_cut_at_the_row_limit(limited_client):
    text = "CONSTRUCT WHERE { ?s ?p ?o }"
    r = limited_client.get("/sparql", query_string={"query": text, "format": "nt"})
    assert len(list(parse(r.data, format=RdfFormat.N_TRIPLES))) == 2
    assert r.headers["X-Result-Truncated"] == "true"


# -- the HTML page -----------------------------------------------------------------------------
def test_browser_gets_the_query_page_with_examples(small_client):
    r = small_client.get("/sparql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert r.status_code == 200
    assert r.mimetype == "text/html"
    html = r.data.decode()
    assert '<html lang="fi">' in html  # the site's UI language (default fi), the page's too
    assert '<div class="sparql-page">' in html  # no part of the page in another language
    assert translate("sparql.heading", "fi") in html
    assert '<textarea id="query" name="query"' in html
    assert "PREFIX skos:" in html
    assert 'href="/sparql?example=store/graph-stats&amp;lang=fi"' in html
    # only this service's own static script (Ctrl+Enter), nothing inline, nothing from a CDN
    assert re.findall(r"<script\b[^>]*>", html) == ['<script src="/static/sparql.js" defer>']
    assert "https://cdn" not in html


def test_example_link_puts_the_query_in_the_editor(small_client):
    r = small_client.get(
        "/sparql", query_string={"example": "store/graph-stats"}, headers={"Accept": "text/html"}
    )
    assert "GROUP BY ?g" in r.data.decode()


def test_browser_query_shows_a_results_table(small_client):
    r = small_client.get(
        "/sparql", query_string={"query": LABELS, "format": ""}, headers={"Accept": "text/html"}
    )
    html = r.data.decode()
    assert '<table class="sparql-results"' in html
    assert '<th scope="col">?l</th>' in html
    assert '<span lang="fi">alfa</span>' in html
    assert '<a href="http://example.org/a">' in html
    caption = translate("sparql.rows_in", "fi").split("{seconds}")[0].format(n=3)
    assert caption in html  # "3 riviä, " before the time taken


def test_browser_query_error_is_shown_on_the_page(small_client):
    r = small_client.get(
        "/sparql", query_string={"query": "DROP ALL"}, headers={"Accept": "text/html"}
    )
    assert r.status_code == 400
    assert 'role="alert"' in r.data.decode()
    assert "update-refused" in r.data.decode()


def test_results_table_links_only_web_iris(small_client):
    text = 'SELECT ?x WHERE { BIND(IRI("javascript:alert(1)") AS ?x) }'
    r = small_client.get("/sparql", query_string={"query": text}, headers={"Accept": "text/html"})
    html = r.data.decode()
    assert "javascript:alert(1)" in html
    assert 'href="javascript:' not in html


def test_results_table_escapes_markup_in_values(small_client):
    text = 'SELECT ?x WHERE { BIND("<script>alert(1)</script>" AS ?x) }'
    r = small_client.get("/sparql", query_string={"query": text}, headers={"Accept": "text/html"})
    assert "<script>alert(1)</script>" not in r.data.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.data.decode()
