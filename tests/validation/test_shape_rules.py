"""Every quality rule of the shapes fails on its own small broken fixture, with its own message.

All fixtures in ``fixtures/`` named after a shape rule are validated together in one pySHACL run
(they use disjoint IRIs); each test then looks at the findings attributed to its file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef

from kgservice.config import PROJECT_ROOT
from kgservice.validation.shacl import quality_shape_files, rule_ids, run_shapes
from kgservice.validation.sources import load_sources
from kgservice.validation.violations import Violation

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
CONCEPT = "https://rake-kg.example/concept/"
RAKE = "https://rake-kg.example/ontology/"

#: rule → (rules the fixture breaks, focus nodes flagged by the rule, words of the message).
EXPECTED: dict[str, tuple[set[str], set[str], str]] = {
    "concept-in-one-scheme": (
        {"concept-in-one-scheme"},
        {CONCEPT + "fx-concept-in-one-scheme/a", CONCEPT + "fx-concept-in-one-scheme/b"},
        "a concept must be in exactly one concept scheme (skos:inScheme)",
    ),
    "preflabel-one-per-language": (
        {"preflabel-one-per-language"},
        {CONCEPT + "fx-preflabel-one-per-language/a"},
        "a concept may have only one skos:prefLabel per language",
    ),
    "preflabel-fi-required": (
        {"preflabel-fi-required"},
        {CONCEPT + "fx-preflabel-fi-required/a"},
        "a concept must have a skos:prefLabel in Finnish (@fi)",
    ),
    "labels-disjoint": (
        {"labels-disjoint"},
        {CONCEPT + "fx-labels-disjoint/a"},
        'is both skos:prefLabel and skos:altLabel/hiddenLabel: "Päihteet"@fi',
    ),
    "broader-cycle": (
        {"broader-cycle"},
        {CONCEPT + f"fx-broader-cycle/{x}" for x in "abc"},
        "the concept is its own ancestor: skos:broader forms a cycle",
    ),
    "broader-narrower-disjoint": (
        {"broader-narrower-disjoint", "broader-cycle"},
        {CONCEPT + "fx-broader-narrower-disjoint/a"},
        "the concept is both skos:broader and skos:narrower of "
        f"<{CONCEPT}fx-broader-narrower-disjoint/b>",
    ),
    "related-hierarchy-disjoint": (
        {"related-hierarchy-disjoint"},
        {CONCEPT + "fx-related-hierarchy-disjoint/a"},
        f"skos:related points to <{CONCEPT}fx-related-hierarchy-disjoint/c>, which is also a "
        "broader or narrower concept",
    ),
    "top-concept-has-no-broader": (
        {"top-concept-has-no-broader"},
        {CONCEPT + "fx-top-concept-has-no-broader/a"},
        "a top concept must not have a broader concept, but has "
        f"<{CONCEPT}fx-top-concept-has-no-broader/b>",
    ),
    "notation-unique-in-scheme": (
        {"notation-unique-in-scheme"},
        {CONCEPT + "fx-notation-unique-in-scheme/a", CONCEPT + "fx-notation-unique-in-scheme/b"},
        'notation "091" is used by another concept of the same scheme too',
    ),
    "deprecated-needs-replacement": (
        {"deprecated-needs-replacement"},
        {CONCEPT + "fx-deprecated-needs-replacement/a"},
        "must name its replacement with dct:isReplacedBy",
    ),
    "retired-is-deprecated": (
        {"retired-is-deprecated"},
        {CONCEPT + "fx-retired-is-deprecated/a"},
        "status <https://rake-kg.example/concept/status/SUPERSEDED> requires owl:deprecated true",
    ),
    "phenomenon-has-entry": (
        {"phenomenon-has-entry"},
        {CONCEPT + "fx-phenomenon-has-entry/a"},
        "a phenomenon must be recorded by at least one Sosmeta data entry",
    ),
    "status-required": (
        {"status-required"},
        {CONCEPT + f"fx-status-required/{x}" for x in ("a", "b", "structure")},
        "a concept or document structure must have exactly one lifecycle status (rake:status)",
    ),
    "definition-fi-required": (
        {"definition-fi-required"},
        {CONCEPT + "fx-definition-fi-required/a"},
        "a concept must have a skos:definition in Finnish (@fi)",
    ),
    "label-empty": (
        {"label-empty"},
        {CONCEPT + "fx-label-empty/a", RAKE + "FxEmpty"},
        "is empty or only whitespace",
    ),
    "label-whitespace-padded": (
        {"label-whitespace-padded"},
        {CONCEPT + "fx-label-whitespace-padded/a"},
        'label "Lapsiperheet "@fi starts or ends with whitespace',
    ),
    "owl-label-fi": (
        {"owl-label-fi"},
        {RAKE + "FxNoFinnish"},
        "a rake: class or property must have an rdfs:label in Finnish (@fi)",
    ),
    "owl-label-en": (
        {"owl-label-en"},
        {RAKE + "fxNoEnglish"},
        "a rake: class or property must have an rdfs:label in English (@en)",
    ),
    "owl-definition": (
        {"owl-definition"},
        {RAKE + "FxUndefined"},
        "must have a definition (skos:definition or rdfs:comment)",
    ),
    "owl-property-domain": (
        {"owl-property-domain"},
        {RAKE + "fxNoDomain"},
        "a rake: object property must declare rdfs:domain",
    ),
    "owl-property-range": (
        {"owl-property-range"},
        {RAKE + "fxNoRange"},
        "a rake: object property must declare rdfs:range",
    ),
}


@pytest.fixture(scope="module")
def shapes():
    return load_sources(quality_shape_files(PROJECT_ROOT / "shapes")).graph


@pytest.fixture(scope="module")
def findings(shapes) -> dict[str, list[Violation]]:
    files = [FIXTURES / f"{rule}.ttl" for rule in EXPECTED] + [FIXTURES / "valid.ttl"]
    data = load_sources(files, display_root=HERE)
    assert data.errors == []
    by_file: dict[str, list[Violation]] = {}
    for v in run_shapes(data, shapes):
        by_file.setdefault(v.file, []).append(v)
    return by_file


def test_every_rule_of_the_shapes_has_a_broken_fixture_and_an_expectation(shapes):
    declared = set(rule_ids(shapes))
    assert declared == set(EXPECTED)
    assert all((FIXTURES / f"{rule}.ttl").is_file() for rule in declared)


def test_a_clean_vocabulary_and_model_pass_every_shape(findings):
    assert findings.get("fixtures/valid.ttl", []) == []


@pytest.mark.parametrize("rule", sorted(EXPECTED))
def test_broken_fixture_fails_with_the_rules_message_and_file(rule, findings):
    rules, focus_nodes, message = EXPECTED[rule]
    found = findings.get(f"fixtures/{rule}.ttl", [])
    assert {v.rule for v in found} == rules
    own = [v for v in found if v.rule == rule]
    assert {v.focus for v in own} == focus_nodes
    for v in own:
        assert message in v.message
        assert v.failing
        assert v.line is not None and v.line > 1
        assert v.messages.get("fi"), "every rule also speaks Finnish"


def test_violation_line_points_at_the_focus_nodes_statement(findings):
    (padded,) = findings["fixtures/label-whitespace-padded.ttl"]
    lines = (FIXTURES / "label-whitespace-padded.ttl").read_text().splitlines()
    assert lines[padded.line - 1].startswith("ex:a a skos:Concept")
    (fi_label,) = findings["fixtures/owl-label-fi.ttl"]
    assert fi_label.path == "http://www.w3.org/2000/01/rdf-schema#label"


def test_labels_are_compared_per_language(findings):
    # "Substances"@en is a prefLabel and "Substances"@sv an altLabel: no clash across languages.
    (clash,) = findings["fixtures/labels-disjoint.ttl"]
    assert clash.value == '"Päihteet"@fi'


def test_notation_may_repeat_in_another_scheme(findings):
    flagged = {v.focus for v in findings["fixtures/notation-unique-in-scheme.ttl"]}
    assert CONCEPT + "fx-notation-unique-in-scheme/c" not in flagged


def test_concept_outside_the_cycle_is_not_flagged(findings):
    flagged = {v.focus for v in findings["fixtures/broader-cycle.ttl"]}
    assert CONCEPT + "fx-broader-cycle/d" not in flagged


def test_owl_rules_ignore_classes_outside_the_rake_namespace(findings):
    flagged = {v.focus for v in findings["fixtures/owl-definition.ttl"]}
    assert "http://example.org/Other" not in flagged


def test_focus_node_is_located_in_the_file_that_types_it(tmp_path):
    extra = tmp_path / "a-extra.ttl"
    extra.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<https://rake-kg.example/concept/fx-valid/b> skos:altLabel "Lisä"@fi .\n',
        encoding="utf-8",
    )
    data = load_sources([extra, FIXTURES / "valid.ttl"], display_root=HERE)
    location = data.location(URIRef(CONCEPT + "fx-valid/b"))
    assert location is not None
    assert location.file == "fixtures/valid.ttl"
    assert location.line == 20
