"""A new build is picked up by the label index without a restart, on the very next request."""

from __future__ import annotations

from fixtures.vocab import load_fixture
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, serialize

from kgservice.pipeline.build import build
from kgservice.pipeline.steps import Step

SKOS = "http://www.w3.org/2004/02/skos/core#"


def test_index_follows_a_rebuilt_store(app_factory, settings_factory):
    settings = settings_factory()
    build(settings, [Step("web-fixture", load_fixture)])
    client = app_factory(settings, testing=False).test_client()
    assert client.get("/search/suggest?q=uusikasite").get_json() == []

    def add_concept(s, store, report) -> None:
        graph = NamedNode(s.base_iri + "graph/fixture/extra")
        c = NamedNode(s.base_iri + "concept/service-task/uusikasite")
        quads = [
            Quad(
                c,
                NamedNode(SKOS + "inScheme"),
                NamedNode(s.base_iri + "scheme/service-task"),
                graph,
            ),
            Quad(c, NamedNode(SKOS + "prefLabel"), Literal("uusikäsite", language="fi"), graph),
        ]
        store.bulk_load(serialize(quads, format=RdfFormat.N_QUADS) or b"", RdfFormat.N_QUADS)

    build(settings, [Step("web-fixture", load_fixture), Step("extra", add_concept)])
    labels = [h["label"] for h in client.get("/search/suggest?q=uusikasite").get_json()]
    assert labels == ["uusikäsite"]


def test_warm_up_builds_the_index_before_any_request(app_factory, web_settings):
    from kgservice.web.terms import warm_up

    app = app_factory(web_settings, testing=False)
    warm_up(app).join(timeout=60)
    index = app.extensions["kg.index"].current
    assert index is not None
    assert "service-task" in index.vocabularies
