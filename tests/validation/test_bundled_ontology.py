"""The repository's own ontology/ passes the whole quality gate (shapes and reasoner)."""

from __future__ import annotations

import pytest

from kgservice.config import Settings
from kgservice.validation.check import run_check
from kgservice.validation.report import text_line


@pytest.fixture(scope="module")
def bundled():
    return run_check(Settings(), coverage=True)


@pytest.mark.slow
def test_bundled_ontology_passes_every_rule(bundled):
    assert [text_line(v) for v in bundled.failing] == []
    assert bundled.exit_code == 0


@pytest.mark.slow
def test_bundled_ontology_is_checked_by_every_step(bundled):
    assert bundled.skipped == []
    assert {"rdf-syntax", "broader-cycle", "owl-label-fi", "owl-consistency"} <= set(bundled.rules)
    assert bundled.triples > 1000


@pytest.mark.slow
def test_every_bundled_concept_has_a_finnish_label_and_definition(bundled):
    assert bundled.coverage
    for row in bundled.coverage:
        assert row.pref_label["fi"] == row.concepts, row.scheme
        assert row.definition["fi"] == row.concepts, row.scheme
