"""``kgservice check`` end to end through click's runner: exit codes and the three formats."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from kgservice.cli import main


@pytest.fixture()
def run(run_check_cli):
    return run_check_cli


def test_check_help_lists_formats_and_guards():
    result = CliRunner().invoke(main, ["check", "--help"])
    assert result.exit_code == 0
    for option in ("--format", "--baseline", "--allow-removals", "--coverage", "--no-reasoner"):
        assert option in result.output


def test_clean_sources_exit_zero_with_a_passing_summary(project, run):
    root = project("valid")
    result = run(root, "--no-reasoner")
    assert result.exit_code == 0, result.output
    assert "check passed: 0 violation(s)" in result.output


def test_text_lines_name_file_line_focus_path_rule_and_message(project, run):
    root = project("valid", "label-whitespace-padded")
    result = run(root, "--no-reasoner")
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert first == (
        "ontology/label-whitespace-padded.ttl:11 "
        "<https://rake-kg.example/concept/fx-label-whitespace-padded/a> skos:prefLabel "
        '[label-whitespace-padded] label "Lapsiperheet "@fi starts or ends with whitespace'
    )
    assert "broken rules: label-whitespace-padded" in result.output.splitlines()[-1]


def test_syntax_error_names_file_and_line_and_stops_before_the_shapes(project, run):
    root = project("valid", "rdf-syntax", "broader-cycle")
    result = run(root, "--no-reasoner")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    syntax = [line for line in lines if "[rdf-syntax]" in line]
    assert len(syntax) == 1
    assert syntax[0].startswith("ontology/rdf-syntax.ttl:7 ")
    assert "[broader-cycle]" not in result.output


def test_syntax_error_in_a_shapes_file_is_reported_too(project, run):
    root = project("valid")
    (root / "shapes" / "generated").mkdir()
    (root / "shapes" / "generated" / "broken.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n\n<a> sh:path\n", encoding="utf-8"
    )
    result = run(root, "--no-reasoner")
    assert result.exit_code == 1
    assert "shapes/generated/broken.ttl:" in result.output
    assert "[rdf-syntax]" in result.output


def test_json_is_a_list_of_findings(project, run):
    root = project("valid", "notation-unique-in-scheme")
    result = run(root, "--no-reasoner", "--format", "json")
    assert result.exit_code == 1
    findings = json.loads(result.stdout)  # the summary line goes to stderr
    assert isinstance(findings, list) and len(findings) == 2
    assert {f["rule"] for f in findings} == {"notation-unique-in-scheme"}
    assert {f["file"] for f in findings} == {"ontology/notation-unique-in-scheme.ttl"}
    assert all(f["value"] == '"091"' and f["severity"] == "violation" for f in findings)
    assert all("koodi" in f["messages"]["fi"] for f in findings)


def test_junit_has_one_testcase_per_rule_and_a_failure_per_violation(project, tmp_path, run):
    root = project("valid", "status-required")
    report = tmp_path / "reports" / "check.xml"
    result = run(root, "--no-reasoner", "--format", "junit", "--output", str(report))
    assert result.exit_code == 1
    tree = ET.parse(report)
    suite = tree.getroot().find("testsuite")
    assert suite is not None
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert "definition-fi-required" in cases and "owl-property-range" in cases
    failures = cases["status-required"].findall("failure")
    assert len(failures) == 3
    assert all(f.get("type") == "status-required" for f in failures)
    assert cases["definition-fi-required"].findall("failure") == []
    assert cases["owl-consistency"].find("skipped") is not None
    assert suite.get("failures") == "1"


@pytest.mark.slow
def test_inconsistent_ontology_fails_the_reasoner_step(project, run):
    root = project("valid", "owl-consistency")
    result = run(root)
    assert result.exit_code == 1
    assert "[owl-consistency] the OWL ontology is inconsistent" in result.output


@pytest.mark.slow
def test_unsatisfiable_class_is_named_with_its_file(project, run):
    root = project("valid", "owl-unsatisfiable-class")
    result = run(root)
    assert result.exit_code == 1
    (line,) = [x for x in result.output.splitlines() if "[owl-unsatisfiable-class]" in x]
    assert line.startswith("ontology/owl-unsatisfiable-class.ttl:10 rake:FxImpossible ")


@pytest.mark.slow
def test_consistent_ontology_passes_with_the_reasoner(project, run):
    root = project("valid")
    result = run(root)
    assert result.exit_code == 0, result.output
    assert "not run" not in result.output
