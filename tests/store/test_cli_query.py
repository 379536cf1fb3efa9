"""``kgservice query``: free and named SPARQL from the command line, in every format."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from pyoxigraph import RdfFormat

from kgservice.cli import main
from kgservice.config import Settings
from kgservice.store.embedded import EmbeddedStore

EX = "http://example.org/"


@pytest.fixture()
def settings(tmp_path) -> Settings:
    queries = tmp_path / "queries" / "demo"
    queries.mkdir(parents=True)
    (queries / "label-of.rq").write_text(
        "# Purpose: The labels of one resource.\n"
        "# @param ?s iri  The resource.\n"
        "# @returns ?l its labels.\n"
        "SELECT ?l WHERE { ?s <http://example.org/label> ?l } ORDER BY ?l\n",
        encoding="utf-8",
    )
    store_dir = tmp_path / "store"
    store = EmbeddedStore(store_dir)
    store.load(
        (
            f'<{EX}a> <{EX}label> "alpha" .\n<{EX}a> <{EX}label> "aa" .\n'
            f'<{EX}b> <{EX}label> "beta" .\n'
        ).encode(),
        RdfFormat.N_TRIPLES,
        EX + "graph/g",
    )
    store.close()
    return Settings(store_path=store_dir, queries_dir=tmp_path / "queries", var_dir=tmp_path)


def _invoke(settings: Settings, *args: str):
    """Run the CLI as a user would: configuration through KG_* variables only."""
    env = {
        "KG_STORE": str(settings.store_path),
        "KG_QUERIES_DIR": str(settings.queries_dir),
        "KG_VAR_DIR": str(settings.var_dir),
        "KG_SPARQL_ENDPOINT": "",
    }
    return CliRunner().invoke(main, list(args), env=env)


def test_named_query_with_iri_parameter_prints_a_table(settings):
    res = _invoke(settings, "query", "-n", "demo/label-of", "-p", f"s=<{EX}a>")
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[0].strip() == "l"
    assert [x.strip() for x in lines[2:4]] == ["aa", "alpha"]
    assert lines[-1] == "(2 rows)"


def test_named_query_as_json(settings):
    res = _invoke(settings, "query", "-n", "demo/label-of", "-p", f"?s=<{EX}b>", "--format", "json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert [b["l"]["value"] for b in doc["results"]["bindings"]] == ["beta"]


@pytest.mark.parametrize(
    ("fmt", "first_line"), [("csv", "l"), ("tsv", "?l"), ("xml", '<?xml version="1.0"?>')]
)
def test_named_query_in_other_formats(settings, fmt, first_line):
    res = _invoke(settings, "query", "-n", "demo/label-of", "-p", f"s=<{EX}b>", "--format", fmt)
    assert res.exit_code == 0, res.output
    assert res.output.splitlines()[0].startswith(first_line)
    assert "beta" in res.output


def test_free_query_ask(settings):
    res = _invoke(settings, "query", "ASK { ?s <http://example.org/label> 'beta' }")
    assert res.exit_code == 0
    assert res.output == "true\n"


def test_query_from_file(settings, tmp_path):
    path = tmp_path / "q.rq"
    path.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", encoding="utf-8")
    res = _invoke(settings, "query", "-f", str(path), "--format", "csv")
    assert res.output.splitlines() == ["n", "3"]


def test_missing_parameter_is_an_error_naming_the_file(settings):
    res = _invoke(settings, "query", "-n", "demo/label-of")
    assert res.exit_code == 1
    assert "label-of.rq" in res.output
    assert "missing parameters ['s']" in res.output


def test_bad_iri_parameter_is_refused(settings):
    res = _invoke(settings, "query", "-n", "demo/label-of", "-p", "s=<not an iri>")
    assert res.exit_code == 1
    assert "[query-parameter]" in res.output


def test_unknown_named_query_is_an_error(settings):
    res = _invoke(settings, "query", "-n", "demo/nope")
    assert res.exit_code == 1
    assert "no query named 'demo/nope'" in res.output


def test_syntax_error_is_reported_with_rule(settings):
    res = _invoke(settings, "query", "SELEKT * {}")
    assert res.exit_code == 1
    assert "[sparql-syntax]" in res.output


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_construct_prints_turtle(settings, fmt):
    res = _invoke(
        settings,
        "query",
        "CONSTRUCT WHERE { ?s <http://example.org/label> 'beta' }",
        "--format",
        fmt,
    )
    assert res.exit_code == 0, res.output
    assert res.output.strip() == '<http://example.org/b> <http://example.org/label> "beta" .'


@pytest.mark.remote
def test_named_query_against_a_remote_store(settings, oxigraph_endpoint):
    from kgservice.store.remote import RemoteStore

    remote = RemoteStore(oxigraph_endpoint.query, oxigraph_endpoint.update, oxigraph_endpoint.store)
    remote.update("DROP ALL")
    remote.load(
        f'<{EX}a> <{EX}label> "remote-alpha" .\n'.encode(), RdfFormat.N_TRIPLES, EX + "graph/r"
    )
    env = {
        "KG_SPARQL_ENDPOINT": oxigraph_endpoint.query,
        "KG_QUERIES_DIR": str(settings.queries_dir),
    }
    res = CliRunner().invoke(
        main, ["query", "-n", "demo/label-of", "-p", f"s=<{EX}a>", "--format", "csv"], env=env
    )
    assert res.exit_code == 0, res.output
    assert res.output.splitlines() == ["l", "remote-alpha"]
