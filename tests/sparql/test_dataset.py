"""Which dataset a free-form query sees: the public graphs only, however the store is filled.

A store whose every quad is in a public named graph is queried with Oxigraph's union default
graph (fast); any private graph or default-graph triple makes the worker list the public graphs.
"""

from __future__ import annotations

import json

import pytest
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, Store

from kgservice.web.sparqlworker import Job, dataset_of, execute

B = "https://rake-kg.example/"
PRIVATE = B + "graph/client/"
P = NamedNode(B + "p")


def job(query: str, default=None, named=None) -> Job:
    return Job(
        store_dir="",
        query=query,
        media_type="application/sparql-results+json",
        default_graphs=default,
        named_graphs=named,
        private_prefix=PRIVATE,
        row_limit=100,
    )


def values(store: Store, query: str, **kw) -> set[str]:
    doc = json.loads(execute(store, job(query, **kw)).body)
    return {b["o"]["value"] for b in doc["results"]["bindings"]}


def quad(s: str, o: str, graph) -> Quad:
    return Quad(NamedNode(B + s), P, Literal(o), graph)


@pytest.fixture
def public_store() -> Store:
    store = Store()
    store.add(quad("a", "one", NamedNode(B + "graph/x")))
    store.add(quad("b", "two", NamedNode(B + "graph/y")))
    return store


def test_a_store_of_public_graphs_is_its_own_public_dataset(public_store):
    assert dataset_of(public_store, PRIVATE).all_public
    assert values(public_store, "SELECT ?o { ?s ?p ?o }") == {"one", "two"}
    assert values(public_store, "SELECT ?o { GRAPH ?g { ?s ?p ?o } }") == {"one", "two"}


def test_a_private_graph_turns_the_union_off_and_stays_invisible(public_store):
    public_store.add(quad("c", "secret", NamedNode(PRIVATE + "batch-1")))
    assert not dataset_of(public_store, PRIVATE).all_public
    assert values(public_store, "SELECT ?o { ?s ?p ?o }") == {"one", "two"}
    assert values(public_store, "SELECT ?o { GRAPH ?g { ?s ?p ?o } }") == {"one", "two"}


def test_a_default_graph_triple_turns_the_union_off_and_stays_invisible(public_store):
    public_store.add(quad("d", "loose", DefaultGraph()))
    assert not dataset_of(public_store, PRIVATE).all_public
    assert values(public_store, "SELECT ?o { ?s ?p ?o }") == {"one", "two"}


def test_a_requested_dataset_is_honoured_on_an_all_public_store(public_store):
    assert values(public_store, "SELECT ?o { ?s ?p ?o }", default=[B + "graph/x"]) == {"one"}
    got = values(public_store, "SELECT ?o { GRAPH ?g { ?s ?p ?o } }", named=[B + "graph/y"])
    assert got == {"two"}
