"""The pre-execution check of free-form queries (kgservice.web.sparqlguard)."""

from __future__ import annotations

import pytest

from kgservice.errors import QueryError
from kgservice.web.sparqlguard import analyse


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
        ("PREFIX ex: <http://example.org/> ASK { ex:a ?p ?o }", "ASK"),
        ("BASE <http://example.org/>\nconstruct where { <a> ?p ?o }", "CONSTRUCT"),
        ("# SELECT in a comment\nDESCRIBE <http://example.org/a>", "DESCRIBE"),
    ],
)
def test_query_form_is_the_first_form_keyword_after_the_prologue(text, form):
    assert analyse(text).form == form


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * { ?s ?p ?o } ; DROP ALL",
        "insert data { <http://example.org/a> <http://example.org/p> 1 }",
        "LOAD <http://example.org/data.ttl> INTO GRAPH <http://example.org/g>",
        "SELECT * WHERE { ?s ?p ?o }\nCLEAR ALL",
        "COPY DEFAULT TO <http://example.org/g>",
    ],
)
def test_update_keywords_outside_strings_are_refused(text):
    with pytest.raises(QueryError) as err:
        analyse(text)
    assert err.value.rule == "update-refused"


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { ?s ?p 'DROP ALL' }",
        'SELECT * WHERE { ?s ?p """\nINSERT DATA { }\n""" }',
        "SELECT * WHERE { ?s <http://example.org/load> ?o }",
        "PREFIX drop: <http://example.org/> SELECT * WHERE { ?s drop:all ?o }",
        "SELECT ?delete ?insert WHERE { ?delete ?insert ?o }",
        "SELECT * WHERE { ?s ?p ?o } # DROP ALL",
        "SELECT * WHERE { ?s ?p 'x'@load }",
        "SELECT * WHERE { ?s ?p _:clear }",
        r"SELECT * WHERE { ?s ?p 'it\'s a DROP' }",
    ],
)
def test_update_words_in_strings_iris_names_and_comments_are_fine(text):
    assert analyse(text).form == "SELECT"


def test_service_is_refused():
    with pytest.raises(QueryError) as err:
        analyse("SELECT * { SERVICE <http://example.org/q> { ?s ?p ?o } }")
    assert err.value.rule == "service-refused"


def test_text_without_a_query_form_is_a_syntax_error():
    with pytest.raises(QueryError) as err:
        analyse("PREFIX ex: <http://example.org/>")
    assert err.value.rule == "sparql-syntax"


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { ?s ?p ?o.SERVICE <http://example.org/q> { ?a ?b ?c } }",
        "SELECT * WHERE { ?s ?p 1.SERVICE <http://example.org/q> { ?a ?b ?c } }",
        "SELECT * WHERE { ?s ?p 'x'.SERVICE <http://example.org/q> { ?a ?b ?c } }",
        "SELECT * WHERE { ?s ?p <http://example.org/o>.SERVICE<http://example.org/q>{?a ?b ?c} }",
        "SELECT * WHERE {{?s ?p ?o}SERVICE?x{?a ?b ?c}}",
    ],
)
def test_service_glued_to_the_previous_token_is_still_found(text):
    with pytest.raises(QueryError) as err:
        analyse(text)
    assert err.value.rule == "service-refused"


def test_a_dot_inside_a_prefixed_name_is_part_of_the_name():
    text = "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:a.service ?o }"
    assert analyse(text).form == "SELECT"


# -- the grammar's terminals (issue 11, defect 1) ----------------------------------------------
@pytest.mark.parametrize("line_end", ["\r", "\n", "\r\n"], ids=["cr", "lf", "crlf"])
def test_a_comment_ends_at_cr_as_well_as_lf(line_end):
    text = f"SELECT * WHERE {{ # note{line_end}SERVICE <http://example.org/q> {{ ?s ?p ?o }} }}"
    with pytest.raises(QueryError) as err:
        analyse(text)
    assert err.value.rule == "service-refused"


def test_a_comment_does_not_end_at_other_unicode_line_breaks():
    """Oxigraph ends comments at CR and LF only; ending earlier would let a string start there."""
    text = "SELECT * WHERE { ?s ?p ?o } # \u2028 SERVICE \x85 DROP \x0c"
    assert analyse(text).form == "SELECT"


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { \\u0053ERVICE <http://example.org/q> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE <http://example.org/\\u0071> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p '\\U00000022' }",
    ],
)
def test_codepoint_escapes_of_ascii_characters_are_refused(text):
    with pytest.raises(QueryError) as err:
        analyse(text)
    assert err.value.rule == "sparql-escape"
    assert "write ASCII characters as themselves" in err.value.message


def test_codepoint_escapes_of_other_characters_are_fine():
    assert analyse("SELECT * WHERE { ?s ?p 'p\\u00e4iv\\u00e4' }").form == "SELECT"


def test_service_glued_to_an_empty_prefix_name_is_service():
    with pytest.raises(QueryError) as err:
        analyse("PREFIX : <http://example.org/> SELECT * WHERE { SERVICE:q { ?s ?p ?o } }")
    assert err.value.rule == "service-refused"


def test_a_less_than_that_reads_as_an_iri_is_scanned_both_ways():
    text = (
        "SELECT * WHERE { BIND(1 AS ?a) BIND(2 AS ?b) FILTER(?a<?b#x> '''\n) "
        "SERVICE <http://example.org/q> { ?s ?p ?o }\n#'''\n}"
    )
    with pytest.raises(QueryError) as err:
        analyse(text)
    assert err.value.rule == "service-refused"


def test_iris_with_fragments_and_service_in_the_path_are_fine():
    text = (
        "PREFIX sd: <http://www.w3.org/ns/sparql-service-description#>\n"
        "SELECT * WHERE { ?s a sd:Service ; <http://example.org/service#x> ?o "
        "FILTER(?o < 3 && ?o > <http://example.org/service>) }"
    )
    assert analyse(text).form == "SELECT"


def test_nesting_hidden_by_a_less_than_read_as_an_iri_is_still_counted():
    text = (
        "SELECT * WHERE { BIND(1 AS ?a) BIND(2 AS ?b) FILTER(?a<?b#x> '''\n) "
        + "{ " * 100
        + "?s ?p ?o"
        + " }" * 100
        + "\n#'''\n}"
    )
    with pytest.raises(QueryError) as err:
        analyse(text, max_depth=64)
    assert err.value.rule == "query-too-deep"
    assert err.value.problem()["value"] == 101
