"""Real SPARQL clients (SPARQLWrapper, rdflib's SPARQLStore) against /sparql on waitress.

The store is a real build (``kgservice.pipeline.build.build``) of the bundled ontology.
"""

from __future__ import annotations

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, TURTLE, XML, SPARQLWrapper

from kgservice.pipeline.build import build, load_ontology
from kgservice.pipeline.steps import Step

pytestmark = pytest.mark.slow

CLASSES = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?c WHERE { ?c a owl:Class } ORDER BY ?c
"""
PHENOMENON = "https://rake-kg.example/ontology/Phenomenon"


@pytest.fixture(scope="module")
def endpoint(app_factory, settings_factory, serve):
    settings = settings_factory()
    build(settings, [Step("ontology", load_ontology)])
    return serve(app_factory(settings, testing=False)).endpoint


def test_sparqlwrapper_select_json(endpoint):
    sw = SPARQLWrapper(endpoint)
    sw.setQuery(CLASSES)
    sw.setReturnFormat(JSON)
    result = sw.query().convert()
    classes = [b["c"]["value"] for b in result["results"]["bindings"]]
    assert PHENOMENON in classes


def test_sparqlwrapper_select_xml_by_post(endpoint):
    sw = SPARQLWrapper(endpoint)
    sw.setMethod("POST")
    sw.setQuery(CLASSES)
    sw.setReturnFormat(XML)
    doc = sw.query().convert()
    uris = [u.firstChild.data for u in doc.getElementsByTagName("uri")]
    assert PHENOMENON in uris


def test_sparqlwrapper_ask(endpoint):
    sw = SPARQLWrapper(endpoint)
    sw.setQuery("ASK { <https://rake-kg.example/ontology/Phenomenon> ?p ?o }")
    sw.setReturnFormat(JSON)
    assert sw.query().convert()["boolean"] is True


def test_sparqlwrapper_construct_turtle(endpoint):
    sw = SPARQLWrapper(endpoint)
    sw.setQuery(
        "CONSTRUCT { ?c a <http://www.w3.org/2002/07/owl#Class> } "
        "WHERE { ?c a <http://www.w3.org/2002/07/owl#Class> }"
    )
    sw.setReturnFormat(TURTLE)
    g = rdflib.Graph().parse(data=sw.query().convert(), format="turtle")
    assert (rdflib.URIRef(PHENOMENON), rdflib.RDF.type, rdflib.OWL.Class) in g


def test_sparqlwrapper_update_is_refused(endpoint):
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    sw = SPARQLWrapper(endpoint)
    sw.setMethod("POST")
    sw.setQuery("INSERT DATA { <http://example.org/x> <http://example.org/p> 1 }")
    with pytest.raises(QueryBadFormed):
        sw.query()


def test_rdflib_sparqlstore_select(endpoint):
    graph = rdflib.Graph(SPARQLStore(endpoint, returnFormat="xml"))
    rows = list(graph.query(CLASSES))
    assert rdflib.URIRef(PHENOMENON) in [row.c for row in rows]


def test_rdflib_sparqlstore_triples(endpoint):
    graph = rdflib.Graph(SPARQLStore(endpoint))
    types = set(graph.objects(rdflib.URIRef(PHENOMENON), rdflib.RDF.type))
    assert rdflib.OWL.Class in types
