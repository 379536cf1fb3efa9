"""Report formats of the quality gate: ``text`` (one line per finding), ``json``, ``junit``.

Text lines read ``<file>:<line> <focus node> <path> [<rule>] <message>`` so editors and CI logs
can jump to the statement. JUnit XML has one test case per rule and one ``<failure>`` per
violation (warnings go to the test case's ``<system-out>``).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

from kgservice.validation.coverage import (
    SchemeCoverage,
    VariableCoverage,
    render_table,
    render_variable_table,
)
from kgservice.validation.names import compact, display_node
from kgservice.validation.violations import Violation, sort_key


@dataclass
class CheckResult:
    """Everything one run of ``kgservice check`` found and measured."""

    violations: list[Violation] = field(default_factory=list)
    #: Every rule that was checked (passing ones too), for JUnit.
    rules: list[str] = field(default_factory=list)
    #: Rules of steps that did not run (e.g. the reasoner with ``--no-reasoner``).
    skipped: list[str] = field(default_factory=list)
    coverage: list[SchemeCoverage] | None = None
    #: Labels ``ontology/`` adds to the statistical variables, per source (with ``coverage``).
    variables: list[VariableCoverage] | None = None
    #: The project tree checked (the directory holding ``ontology/``); named in the summary.
    tree: str = ""
    files: int = 0
    triples: int = 0
    seconds: float = 0.0

    @property
    def failing(self) -> list[Violation]:
        return [v for v in self.violations if v.failing]

    @property
    def warnings(self) -> list[Violation]:
        return [v for v in self.violations if not v.failing]

    @property
    def exit_code(self) -> int:
        return 1 if self.failing else 0


def text_line(v: Violation) -> str:
    where = v.file or "<no file>"
    if v.line is not None:
        where = f"{where}:{v.line}"
    path = compact(v.path) if v.path else "-"
    kind = "" if v.failing else " (warning)"
    return f"{where} {display_node(v.focus)} {path} [{v.rule}]{kind} {v.message}"


def render_text(result: CheckResult) -> str:
    lines = [text_line(v) for v in sorted(result.violations, key=sort_key)]
    if result.coverage is not None:
        lines.append("")
        lines.append("Coverage per concept scheme (share of concepts with a label / definition):")
        lines.append(render_table(result.coverage).rstrip("\n"))
        lines.append("")
    if result.variables:
        lines.append(
            "Labels of statistical variables added in ontology/, per source (share of variables"
            " with an sv / en label, the Finnish label they translate, an editorial note):"
        )
        lines.append(render_variable_table(result.variables).rstrip("\n"))
        lines.append("")
    rules = sorted({v.rule for v in result.failing})
    verdict = "FAILED" if result.failing else "passed"
    summary = (
        f"check {verdict}: {len(result.failing)} violation(s), {len(result.warnings)} warning(s)"
        f" in {result.files} file(s){f' under {result.tree}' if result.tree else ''},"
        f" {result.triples} triples, {len(result.rules)} rules"
        f" ({result.seconds:.1f} s)"
    )
    if rules:
        summary += "; broken rules: " + ", ".join(rules)
    if result.skipped:
        summary += "; not run: " + ", ".join(result.skipped)
    lines.append(summary)
    return "\n".join(lines) + "\n"


def render_json(result: CheckResult) -> str:
    """A list of finding objects; with coverage, ``{"violations": [...], "coverage": [...]}``."""
    findings: list[dict[str, Any]] = [v.as_dict() for v in sorted(result.violations, key=sort_key)]
    document: Any = findings
    if result.coverage is not None:
        document = {"violations": findings, "coverage": [row.as_dict() for row in result.coverage]}
        document["variables"] = [row.as_dict() for row in result.variables or []]
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def render_junit(result: CheckResult) -> str:
    by_rule: dict[str, list[Violation]] = {}
    for v in sorted(result.violations, key=sort_key):
        by_rule.setdefault(v.rule, []).append(v)
    rules = sorted(set(result.rules) | set(by_rule) | set(result.skipped))
    suites = ET.Element("testsuites", name="kgservice check")
    suite = ET.SubElement(
        suites,
        "testsuite",
        name="kgservice check",
        tests=str(len(rules)),
        failures=str(sum(1 for r in rules if any(v.failing for v in by_rule.get(r, [])))),
        errors="0",
        skipped=str(len(result.skipped)),
        time=f"{result.seconds:.3f}",
    )
    for rule in rules:
        case = ET.SubElement(suite, "testcase", classname="kgservice.check", name=rule)
        if rule in result.skipped:
            ET.SubElement(case, "skipped", message="step not run")
            continue
        found = by_rule.get(rule, [])
        for v in (v for v in found if v.failing):
            failure = ET.SubElement(case, "failure", message=v.message, type=rule)
            failure.text = text_line(v)
        warnings = [text_line(v) for v in found if not v.failing]
        if warnings:
            ET.SubElement(case, "system-out").text = "\n".join(warnings)
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


RENDERERS = {"text": render_text, "json": render_json, "junit": render_junit}


def render(result: CheckResult, fmt: str) -> str:
    return RENDERERS[fmt](result)
