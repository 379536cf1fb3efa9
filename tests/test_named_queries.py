"""Every named query in ``queries/`` parses, documents itself and binds its declared parameters."""

from __future__ import annotations

import re

import pytest
from pyoxigraph import Literal, NamedNode, Store

from kgservice.config import PROJECT_ROOT
from kgservice.errors import KgError, QueryError
from kgservice.queries import all_queries
from kgservice.store.embedded import EmbeddedStore

QUERIES_DIR = PROJECT_ROOT / "queries"
QUERIES = all_queries(QUERIES_DIR)


def _body(text: str) -> str:
    """The query without its leading comment header."""
    lines = text.splitlines()
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    return "\n".join(lines)


def _dummy(kind: str):
    return NamedNode("http://example.org/param") if kind == "iri" else Literal("1")


def test_there_are_named_queries():
    assert len(QUERIES) >= 1


@pytest.mark.parametrize("q", QUERIES, ids=[q.name for q in QUERIES])
def test_query_has_purpose_and_returns_header(q):
    assert q.purpose, f"{q.path}: header lacks '# Purpose:'"
    assert q.returns, f"{q.path}: header lacks '# @returns'"


@pytest.mark.parametrize("q", QUERIES, ids=[q.name for q in QUERIES])
def test_query_parses(q):
    try:
        Store().query(q.text)
    except SyntaxError as exc:
        pytest.fail(f"{q.path}: {exc}")


@pytest.mark.parametrize("q", QUERIES, ids=[q.name for q in QUERIES])
def test_declared_parameters_are_variables_of_the_query(q):
    body = _body(q.text)
    for name in q.params:
        assert re.search(rf"[?$]{name}\b", body), f"{q.path}: @param ?{name} is not used"


@pytest.mark.parametrize(
    "q", [q for q in QUERIES if q.params], ids=[q.name for q in QUERIES if q.params]
)
def test_declared_parameters_can_be_bound(q):
    store = EmbeddedStore()
    bindings = {n: _dummy(kind) for n, (kind, _) in q.params.items()}
    try:
        try:
            store.query(q.text, bindings)
        except QueryError as exc:
            if exc.rule != "query-form":
                raise
            store.construct(q.text, bindings)
    except KgError as exc:
        pytest.fail(f"{q.path}: cannot bind {sorted(q.params)}: {exc}")
