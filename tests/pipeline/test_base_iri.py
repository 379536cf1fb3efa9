"""A deployment's own KG_BASE_IRI moves every IRI, and the project's queries follow it."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import NamedNode

from kgservice.config import CANONICAL_BASE_IRI
from kgservice.pipeline.build import build
from kgservice.queries import select
from kgservice.store.embedded import EmbeddedStore
from kgservice.store.served import served_dir

OTHER_BASE = "http://127.0.0.1:9999/kg/"


def _graph_sizes(settings) -> dict[str, int]:
    with EmbeddedStore(served_dir(settings), read_only=True) as store:
        return {g.replace(settings.base_iri, "", 1): n for g, n in store.stats().items()}


@pytest.mark.slow
def test_a_build_under_another_base_iri_holds_the_same_graphs_of_the_same_size(
    built_settings, settings_factory
):
    other = settings_factory(base_iri=OTHER_BASE)
    build(other)
    canonical_sizes = _graph_sizes(built_settings)
    assert canonical_sizes == _graph_sizes(other)
    # the derived graphs that are computed by project queries are not empty
    assert canonical_sizes["graph/indicators"] > 0


def test_project_queries_are_moved_to_the_store_namespace_but_user_text_is_not():
    store = EmbeddedStore(base_iri=OTHER_BASE)
    text = "PREFIX rake: <" + CANONICAL_BASE_IRI + "ontology/> SELECT * WHERE { ?s a rake:View }"
    assert store.rebase_query(text) == text.replace(CANONICAL_BASE_IRI, OTHER_BASE)
    assert EmbeddedStore().rebase_query(text) == text


def test_named_queries_find_rebased_data(settings_factory):
    """Query rebasing mechanics on a fixture ontology with fixture queries (not the project's
    sources, so the full default steps cannot run on it); the full build under another base is
    the test above."""
    fixtures = Path(__file__).parent / "fixtures" / "base_iri"
    queries = fixtures / "queries"
    settings = settings_factory(
        ontology_dir=fixtures / "ontology", queries_dir=queries, base_iri=OTHER_BASE
    )
    build(settings, steps=_ontology_only())
    with EmbeddedStore(served_dir(settings), read_only=True, base_iri=OTHER_BASE) as store:
        rows = select(store, queries, "views")
    assert [r["v"] for r in rows] == [NamedNode(OTHER_BASE + "concept/view/tilannekuva")]


def _ontology_only():
    from kgservice.pipeline.build import load_ontology
    from kgservice.pipeline.steps import Step

    return [Step("ontology", load_ontology)]
