"""Workers read the finished build the store link points to, and follow it to a new build."""

from __future__ import annotations

from pyoxigraph import QueryResultsFormat, RdfFormat, parse_query_results

from kgservice.pipeline.build import build
from kgservice.pipeline.steps import Step
from kgservice.web.sparqlworker import QueryPool

QUERY = "SELECT ?v WHERE { <http://example.org/thing> <http://example.org/version> ?v }"


def _step(version: str) -> Step:
    def run(settings, store, report) -> None:
        data = f'<http://example.org/thing> <http://example.org/version> "{version}" .\n'
        store.load(data.encode(), RdfFormat.N_TRIPLES, settings.base_iri + "graph/test/version")

    return Step("version", run)


def _versions(client) -> list[str]:
    r = client.get("/sparql", query_string={"query": QUERY})
    assert r.status_code == 200
    return [s["v"].value for s in parse_query_results(r.data, format=QueryResultsFormat.JSON)]


def test_a_new_build_is_served_after_the_swap(app_factory, settings_factory):
    settings = settings_factory()
    build(settings, [_step("one")])
    app = app_factory(settings, testing=False)
    pool = QueryPool(1, settings.query_timeout_s)
    app.extensions["kg.sparqlpool"] = pool
    try:
        client = app.test_client()
        assert _versions(client) == ["one"]
        build(settings, [_step("two")])
        assert _versions(client) == ["two"]
    finally:
        pool.close()
