"""Every indicator query has the header convention and declares exactly the parameters it uses."""

from __future__ import annotations

import re

import pytest
from pyoxigraph import Literal, NamedNode

from kgservice.config import Settings
from kgservice.queries import all_queries
from kgservice.store.embedded import EmbeddedStore

QUERIES = [q for q in all_queries(Settings().queries_dir) if q.name.startswith("indicators/")]


def test_there_is_one_query_per_aggregation_rule():
    names = {q.name for q in QUERIES}
    assert {"indicators/sum", "indicators/ratio-of-sums", "indicators/published"} <= names


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_query_header_states_purpose_returns_and_parameters_it_uses(query):
    assert query.purpose and query.returns
    body = "\n".join(line for line in query.text.splitlines() if not line.startswith("#"))
    used = set(re.findall(r"\?(\w+)", body))
    assert set(query.params) <= used
    # run it on an empty store with every declared parameter bound: it must parse and bind
    bindings = {
        name: Literal("1") if kind == "literal" else NamedNode("https://example.org/x")
        for name, (kind, _d) in query.params.items()
    }
    store = EmbeddedStore(None)
    if "CONSTRUCT" in query.text:
        assert store.construct(query.text, bindings) == []
    else:
        assert store.select(query.text, bindings) == []


def test_every_indicator_names_an_existing_query_file(fixture_svc):
    names = {q.name for q in QUERIES}
    for ind in fixture_svc.registry.indicators.values():
        assert ind.computed_by in names, ind.slug
