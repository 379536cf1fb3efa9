"""Real clients dereference concept IRIs on a running server (rdflib follows the 303)."""

from __future__ import annotations

import pytest
import rdflib
import requests
from fixtures.processes import free_port
from fixtures.vocab import build_fixture_store
from rdflib.namespace import SKOS


@pytest.fixture(scope="module")
def served_base(settings_factory, live_server_factory) -> str:
    """A build whose base IRI is the live server itself, so its IRIs really dereference."""
    port = free_port()
    settings = settings_factory(base_iri=f"http://127.0.0.1:{port}/")
    build_fixture_store(settings)
    url = live_server_factory(settings, port)
    assert url == f"http://127.0.0.1:{port}"
    return settings.base_iri


def test_rdflib_parses_a_concept_iri_from_the_live_server(served_base):
    iri = served_base + "concept/phenomenon/asunnottomuus"
    g = rdflib.Graph().parse(iri)
    assert (rdflib.URIRef(iri), SKOS.prefLabel, rdflib.Literal("asunnottomuus", lang="fi")) in g
    assert (
        rdflib.URIRef(iri),
        SKOS.inScheme,
        rdflib.URIRef(served_base + "scheme/phenomenon"),
    ) in g


@pytest.mark.parametrize("fmt", ["turtle", "xml", "json-ld", "nt"])
def test_rdflib_parses_each_format_after_the_303(served_base, fmt):
    iri = served_base + "concept/service-task/lastensuojelu"
    media = {
        "turtle": "text/turtle",
        "xml": "application/rdf+xml",
        "json-ld": "application/ld+json",
        "nt": "application/n-triples",
    }[fmt]
    first = requests.get(iri, headers={"Accept": media}, allow_redirects=False, timeout=10)
    assert first.status_code == 303
    doc = requests.get(iri, headers={"Accept": media}, timeout=10)
    assert doc.headers["Content-Type"].startswith(media)
    g = rdflib.Graph().parse(data=doc.content, format=fmt)
    assert (rdflib.URIRef(iri), SKOS.notation, rdflib.Literal("LS")) in g


def test_browser_style_request_lands_on_html_page(served_base):
    resp = requests.get(
        served_base + "concept/service-task/lastensuojelu",
        headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
        timeout=10,
    )
    assert resp.status_code == 200
    assert resp.history and resp.history[0].status_code == 303
    assert '<h1><span lang="fi">lastensuojelu</span></h1>' in resp.text
