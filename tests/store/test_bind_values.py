"""``bind_values``: parameters for a remote endpoint as a VALUES block, never spliced as text."""

from __future__ import annotations

import pytest
from pyoxigraph import Literal, NamedNode, Store

from kgservice.errors import QueryError
from kgservice.store.binding import bind_values

S = NamedNode("http://example.org/s")


def _parses(query: str) -> None:
    Store().query(query)  # raises SyntaxError when the result is not valid SPARQL


def test_values_block_opens_the_outermost_where_group():
    out = bind_values("SELECT ?o WHERE { ?s ?p ?o }", {"s": S})
    assert out == "SELECT ?o WHERE { VALUES (?s) { (<http://example.org/s>) }  ?s ?p ?o }"
    _parses(out)


def test_where_inside_a_comment_is_ignored():
    q = "# WHERE { is in this comment\nSELECT ?o WHERE { ?s ?p ?o }"
    out = bind_values(q, {"s": S})
    assert out.startswith("# WHERE { is in this comment\nSELECT ?o WHERE { VALUES (?s)")
    _parses(out)


def test_where_inside_a_string_is_ignored():
    q = 'SELECT ?o WHERE { ?s ?p ?o FILTER(?o != "WHERE { x }") }'
    out = bind_values(q, {"s": S})
    assert out.startswith("SELECT ?o WHERE { VALUES (?s)")
    assert out.endswith('FILTER(?o != "WHERE { x }") }')
    _parses(out)


def test_hash_inside_an_iri_is_not_a_comment():
    q = "SELECT ?o WHERE { ?s <http://example.org/p#WHERE> ?o }"
    out = bind_values(q, {"s": S})
    assert "<http://example.org/p#WHERE> ?o }" in out
    _parses(out)


def test_construct_template_is_skipped_for_the_where_group():
    q = "CONSTRUCT { ?s <http://example.org/q> ?o } WHERE { ?s ?p ?o }"
    out = bind_values(q, {"s": S})
    assert out.startswith("CONSTRUCT { ?s <http://example.org/q> ?o } WHERE { VALUES (?s)")
    _parses(out)


def test_nested_groups_bind_in_the_outer_group():
    q = "SELECT ?o WHERE { { SELECT ?s ?o WHERE { ?s ?p ?o } } OPTIONAL { ?o ?q ?r } }"
    out = bind_values(q, {"s": S})
    assert out.index("VALUES") < out.index("{ SELECT")
    _parses(out)


def test_select_without_where_keyword_uses_first_group():
    out = bind_values("SELECT ?o { ?s ?p ?o }", {"s": S})
    assert out.startswith("SELECT ?o { VALUES (?s)")
    _parses(out)


def test_literal_with_quotes_is_escaped_by_the_term_serialisation():
    out = bind_values("SELECT * WHERE { ?s ?p ?o }", {"o": Literal('" } ; DROP ALL ; #')})
    rows = list(Store().query(out))
    assert rows == []  # valid SPARQL, evaluated as data against an empty store
    assert r'"\" } ; DROP ALL ; #"' in out


def test_several_bindings_are_sorted_by_name():
    out = bind_values("SELECT * WHERE { ?s ?p ?o }", {"s": S, "o": Literal("x", language="fi")})
    assert 'VALUES (?o ?s) { ("x"@fi <http://example.org/s>) }' in out


def test_no_bindings_leave_the_query_unchanged():
    assert bind_values("ASK { ?s ?p ?o }", None) == "ASK { ?s ?p ?o }"


def test_bad_variable_name_is_refused():
    with pytest.raises(QueryError, match="invalid variable name"):
        bind_values("SELECT * WHERE { ?s ?p ?o }", {"s) } DROP ALL #": S})
