"""Query size and nesting limits (refused with 400 before a worker sees the text), and HEAD.

A 3,000-deep ``{`` nesting used to crash pyoxigraph in the worker (a segfault: 502, worker
replaced); rdflib's recursive parser must not see such a text either. Both limits are read from
the token stream of layer 1 (:func:`kgservice.web.sparqlguard.check_limits`).
"""

from __future__ import annotations

import pytest
from sparql_testdata import SMALL_DATA

from kgservice.config import Settings
from kgservice.web import sparqlalgebra
from kgservice.web.sparqlworker import QueryPool

DEEP = 3_000


@pytest.fixture(scope="module")
def app(make_app):
    return make_app(SMALL_DATA)


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def pool_jobs(monkeypatch) -> list:
    """Every job handed to a worker pool during the test (the pool still runs them)."""
    jobs: list = []
    run = QueryPool.run

    def recording(self, job):
        jobs.append(job)
        return run(self, job)

    monkeypatch.setattr(QueryPool, "run", recording)
    return jobs


@pytest.fixture()
def parser_calls(monkeypatch) -> list:
    """Every text given to layer 2's rdflib parser in this process."""
    calls: list = []
    parse = sparqlalgebra.check_parsed

    def recording(text, *args, **kw):
        calls.append(text)
        return parse(text, *args, **kw)

    monkeypatch.setattr(sparqlalgebra, "check_parsed", recording)
    return calls


def deep_braces(depth: int) -> str:
    return "SELECT * WHERE " + "{ " * depth + "?s ?p ?o " + "} " * depth


def deep_parens(depth: int) -> str:
    return "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * (depth - 2) + "1" + ")" * (depth - 2) + ") }"


@pytest.mark.parametrize(
    "text",
    [
        deep_braces(DEEP),
        deep_parens(DEEP),
        "SELECT * WHERE { ?s ?p " + "[ <p> " * DEEP + "1" + " ]" * DEEP + " }",
    ],
    ids=["braces", "parentheses", "blank-nodes"],
)
def test_a_3000_deep_nesting_is_400_before_any_worker_or_parser(
    client, pool_jobs, parser_calls, text
):
    r = client.get("/sparql", query_string={"query": text})
    assert r.status_code == 400
    assert r.mimetype == "application/problem+json"
    problem = r.get_json()
    assert problem["rule"] == "query-too-deep"
    assert problem["limit"] == 64
    assert problem["value"] >= DEEP - 1
    assert "64" in problem["detail"]
    assert pool_jobs == []
    assert parser_calls == []


def test_the_worker_answers_after_a_deep_query_was_refused(client):
    client.get("/sparql", query_string={"query": deep_braces(DEEP)})
    r = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
    assert r.status_code == 200
    assert r.get_json()["boolean"] is True


@pytest.mark.parametrize("make", [deep_braces, deep_parens], ids=["braces", "parentheses"])
def test_nesting_at_the_limit_is_answered(client, make):
    """64 levels pass layer 1 and layer 2 (rdflib needs a raised recursion limit for them)."""
    r = client.get("/sparql", query_string={"query": make(64)})
    assert r.status_code == 200, r.data[:300]


def test_brackets_in_strings_iris_and_comments_do_not_count(client):
    text = "SELECT * WHERE { ?s ?p ?o FILTER(?o != '" + "{" * 200 + "') } # " + "(" * 200 + "\n"
    r = client.get("/sparql", query_string={"query": text})
    assert r.status_code == 200, r.data[:300]


def test_an_oversized_query_is_400_with_the_limit_and_the_size(client, pool_jobs):
    text = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 70_000
    r = client.post("/sparql", data=text.encode(), content_type="application/sparql-query")
    assert r.status_code == 400
    problem = r.get_json()
    assert problem["rule"] == "query-too-large"
    assert problem["limit"] == 65_536
    assert problem["value"] == len(text.encode())
    assert pool_jobs == []


def test_size_counts_utf8_bytes_not_characters(make_app):
    client = make_app(SMALL_DATA, query_max_bytes=100).test_client()
    text = "SELECT * WHERE { ?s ?p 'ää' } # " + "ä" * 40  # 74 characters, 116 bytes
    r = client.get("/sparql", query_string={"query": text})
    assert r.status_code == 400
    assert r.get_json()["value"] == len(text.encode("utf-8"))


def test_the_limits_come_from_settings(make_app):
    client = make_app(SMALL_DATA, query_max_depth=3).test_client()
    assert client.get("/sparql", query_string={"query": deep_braces(3)}).status_code == 200
    r = client.get("/sparql", query_string={"query": deep_braces(4)})
    assert r.status_code == 400
    assert r.get_json() | {"detail": ""} == {
        "type": "about:blank",
        "title": "QueryLimitError",
        "status": 400,
        "detail": "",
        "rule": "query-too-deep",
        "limit": 3,
        "value": 4,  # the WHERE braces count: { { { { ?s ?p ?o } } } }
    }


def test_the_limits_are_read_from_kg_variables():
    s = Settings.from_env({"KG_QUERY_MAX_BYTES": "1000", "KG_QUERY_MAX_DEPTH": "12"})
    assert (s.query_max_bytes, s.query_max_depth) == (1000, 12)
    default = Settings.from_env({})
    assert (default.query_max_bytes, default.query_max_depth) == (65_536, 64)


def test_a_browser_sees_the_limit_on_the_query_page(client):
    r = client.get(
        "/sparql", query_string={"query": deep_braces(DEEP)}, headers={"Accept": "text/html"}
    )
    assert r.status_code == 400
    assert r.mimetype == "text/html"
    assert b"query-too-deep" in r.data or b"64" in r.data


# -- HEAD ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "query_string",
    [{"query": "ASK { ?s ?p ?o }"}, {}, {"query": "SELECT * WHERE { ?s ?p ?o }", "format": "csv"}],
    ids=["query", "service-description", "csv"],
)
def test_head_is_get_without_a_body(client, query_string):
    got = client.get("/sparql", query_string=query_string)
    head = client.head("/sparql", query_string=query_string)
    assert got.status_code == 200
    assert head.status_code == 200
    assert head.data == b""
    assert head.headers["Content-Type"] == got.headers["Content-Type"]
    assert head.headers.get("X-Result-Rows") == got.headers.get("X-Result-Rows")
