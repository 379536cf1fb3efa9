"""The coverage report tells terminologists which labels, definitions and statuses are missing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kgservice.validation.coverage import NO_SCHEME, NO_STATUS, coverage, render_table
from kgservice.validation.sources import load_sources

FIXTURE = Path(__file__).parent / "fixtures" / "coverage.ttl"
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
