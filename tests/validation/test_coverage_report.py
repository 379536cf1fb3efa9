"""The coverage report tells terminologists which labels, definitions and statuses are missing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kgservice.config import Settings
from kgservice.validation.coverage import (
    NO_SCHEME,
    NO_STATUS,
    coverage,
    render_table,
    render_variable_table,
    variable_coverage,
)
from kgservice.validation.sources import load_sources

FIXTURE = Path(__file__).parent / "fixtures" / "coverage.ttl"
VARIABLES = Path(__file__).parent / "fixtures" / "coverage-variables.ttl"
SCHEME = "https://rake-kg.example/scheme/fx-coverage"


@pytest.fixture(scope="module")
def rows():
    return {row.scheme: row for row in coverage(load_sources([FIXTURE]).graph)}


def test_counts_concepts_per_scheme_including_top_concepts(rows):
    assert rows[SCHEME].concepts == 4
    assert rows[SCHEME].label == "Kattavuus"
    assert rows[SCHEME + "-empty"].concepts == 0
    assert rows[NO_SCHEME].concepts == 1


def test_counts_labels_and_definitions_per_language(rows):
    row = rows[SCHEME]
    assert row.pref_label == {"fi": 4, "sv": 2, "en": 1}
    # a whitespace-only definition is no definition
    assert row.definition == {"fi": 3, "sv": 0, "en": 1}
    assert row.share(row.pref_label["sv"]) == 0.5


def test_counts_concepts_per_lifecycle_status(rows):
    assert rows[SCHEME].status == {"VALID": 2, "DRAFT": 1, NO_STATUS: 1}
    assert rows[NO_SCHEME].status == {"VALID": 1}


def test_table_shows_percentages_per_language(rows):
    table = render_table([rows[SCHEME], rows[SCHEME + "-empty"]])
    header, rule, first, empty = table.splitlines()
    assert header.split() == [
        "scheme", "concepts", "label", "fi", "label", "sv", "label", "en",
        "def", "fi", "def", "sv", "def", "en", "status",
    ]  # fmt: skip
    assert set(rule) <= {"-", " "}
    assert first.split() == [
        "fx-coverage", "4", "100%", "50%", "25%", "75%", "0%", "25%",
        "(none)=1", "DRAFT=1", "VALID=2",
    ]  # fmt: skip
    assert empty.split()[:3] == ["fx-coverage-empty", "0", "0%"]


def test_check_coverage_in_text_and_json(project, run_check_cli):
    root = project("valid")
    (root / "ontology" / "coverage.ttl").write_text(FIXTURE.read_text("utf-8"), "utf-8")
    text = run_check_cli(root, "--no-reasoner", "--coverage")
    assert "Coverage per concept scheme" in text.output
    assert any(line.startswith("fx-coverage ") for line in text.output.splitlines())
    as_json = run_check_cli(root, "--no-reasoner", "--coverage", "--format", "json")
    document = json.loads(as_json.stdout)
    by_scheme = {row["scheme"]: row for row in document["coverage"]}
    assert by_scheme[SCHEME]["prefLabel"]["sv"] == {"count": 2, "share": 0.5}
    assert by_scheme[SCHEME]["status"] == {"(none)": 1, "DRAFT": 1, "VALID": 2}
    assert any(v["rule"] == "status-required" for v in document["violations"])


def test_statistical_variables_are_counted_per_source_with_their_added_labels():
    rows = {row.source: row for row in variable_coverage(load_sources([VARIABLES]).graph)}
    assert sorted(rows) == ["fx-other", "fx-src"]
    src = rows["fx-src"]
    assert src.variables == 2
    assert src.pref_label == {"sv": 2, "en": 1}
    assert (src.translation_of, src.noted) == (1, 1)
    lines = render_variable_table([src]).splitlines()
    assert lines[0].split() == [
        "source",
        "variables",
        "label",
        "sv",
        "label",
        "en",
        "from",
        "fi",
        "note",
    ]
    assert lines[2].split() == ["fx-src", "2", "100%", "50%", "50%", "50%"]


def test_check_coverage_reports_the_variables_in_text_and_json(project, run_check_cli):
    root = project("valid")
    (root / "ontology" / "vars.ttl").write_text(VARIABLES.read_text("utf-8"), "utf-8")
    text = run_check_cli(root, "--no-reasoner", "--coverage")
    assert "Labels of statistical variables added in ontology/" in text.output
    assert any(line.startswith("fx-src ") for line in text.output.splitlines())
    as_json = run_check_cli(root, "--no-reasoner", "--coverage", "--format", "json")
    (other, src) = json.loads(as_json.stdout)["variables"]
    assert src["source"] == "fx-src" and src["prefLabel_en"] == {"count": 1, "share": 0.5}
    assert other["translationOf"]["share"] == 1.0


def test_every_bundled_variable_description_is_complete_and_says_whose_terms_it_has():
    from kgservice.validation.sources import turtle_files

    settings = Settings()
    rows = variable_coverage(load_sources(turtle_files(settings.ontology_dir)).graph)
    assert sum(row.variables for row in rows) >= 100
    for row in rows:
        assert row.translation_of == row.noted == row.variables, row.source
        assert row.pref_label["sv"] == row.variables, row.source
        # the English label of 11s5's one variable is the publisher's own (from its export)
        expected_en = 0 if row.source == "statfin-11s5-2024m12" else row.variables
        assert row.pref_label["en"] == expected_en, row.source
