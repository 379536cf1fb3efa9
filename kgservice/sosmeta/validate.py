"""``kgservice validate [--structure OID] FILES…``: client documents against generated shapes.

Each document is checked by the compiled shapes of its structure (:mod:`.checker`) and its
identity codes by python-stdnum. The report lists, per document, the broken rules (document id,
Sosmeta entry, rule, Finnish message) as text, JSON or JUnit XML; values are never echoed, so a
report can be shared without leaking personal data. Exit status 0 only when all conform.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from kgservice.config import Settings
from kgservice.errors import KgError, ValidationError
from kgservice.sosmeta.checker import Checker, Index, Violation
from kgservice.sosmeta.documents import Document, StructureResolver, read_documents
from kgservice.sosmeta.pseudonym import check_hetu

log = logging.getLogger("kgservice.sosmeta")


@dataclass
class Problem:
    entry: str
    rule: str
    message: str
    component: str = ""
    shape: str = ""


@dataclass
class DocumentResult:
    document: str
    structure: str | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not self.problems


def _from_violation(v: Violation) -> Problem:
    return Problem(v.entry, v.rule, v.message, v.component, v.shape)


def identity_problems(checker: Checker, index: Index) -> list[Problem]:
    """Identity codes that have the right shape but a wrong check character (python-stdnum)."""
    out = []
    for path in checker.hetu_paths:
        for value in index.by_pred.get(path, []):
            if value[0] != "l" or not checker.hetu_shape.search(value[1]):
                continue  # the shape already reports it
            try:
                check_hetu(value[1])
            except ValidationError as exc:
                entry = path.split("/entry/", 1)[-1]
                out.append(Problem(entry, "hetu-checksum", f"{exc.message} (polku {entry})"))
    return out


def validate_document(doc: Document, resolver: StructureResolver, oid: str | None):
    """(result, checker index or None) for one document."""
    if doc.error is not None:
        problem = Problem("", doc.error.rule or "json-syntax", doc.error.describe())
        return DocumentResult(doc.id, oid, [problem]), None
    try:
        structure = resolver.oid_for(doc.data, oid)
        checker = resolver.checker(structure)
    except KgError as exc:
        return DocumentResult(doc.id, oid, [Problem("", exc.rule or "", exc.message)]), None
    violations, index = checker.check_with_index(doc.data)
    result = DocumentResult(doc.id, structure, [_from_violation(v) for v in violations])
    result.problems.extend(identity_problems(checker, index))
    return result, index


def validate_files(
    settings: Settings, files: Iterable[Path], structure: str | None
) -> list[DocumentResult]:
    resolver = StructureResolver(settings.shapes_dir / "generated")
    results = []
    for path in files:
        for doc in read_documents(path):
            results.append(validate_document(doc, resolver, structure)[0])
    return results


# -- reports ----------------------------------------------------------------------------------
def render_text(results: list[DocumentResult]) -> str:
    lines = []
    for r in results:
        if r.conforms:
            lines.append(f"{r.document}: OK ({r.structure})")
        for p in r.problems:
            lines.append(f"{r.document}: {p.entry or '-'} [{p.rule}] {p.message}")
    bad = sum(not r.conforms for r in results)
    lines.append(f"{len(results)} documents, {len(results) - bad} conform, {bad} do not")
    return "\n".join(lines) + "\n"


def render_json(results: list[DocumentResult]) -> str:
    body = {
        "documents": len(results),
        "conforming": sum(r.conforms for r in results),
        "results": [
            {
                "document": r.document,
                "structure": r.structure,
                "conforms": r.conforms,
                "violations": [p.__dict__ for p in r.problems],
            }
            for r in results
        ],
    }
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


def render_junit(results: list[DocumentResult]) -> str:
    suite = ET.Element(
        "testsuite",
        name="sosmeta-validate",
        tests=str(len(results)),
        failures=str(sum(not r.conforms for r in results)),
    )
    for r in results:
        case = ET.SubElement(suite, "testcase", classname=r.structure or "unknown", name=r.document)
        for p in r.problems:
            fail = ET.SubElement(case, "failure", type=p.rule, message=p.message)
            fail.text = f"{p.entry}: [{p.rule}] {p.message}"
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"


RENDERERS = {"text": render_text, "json": render_json, "junit": render_junit}


def run_validate_command(
    settings: Settings,
    files: tuple[Path, ...],
    structure: str | None,
    fmt: str,
    output: Path | None,
) -> int:
    import click

    if not files:
        raise ValidationError("no documents given", rule="validate-arguments")
    results = validate_files(settings, files, structure)
    text = RENDERERS[fmt](results)
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    bad = sum(not r.conforms for r in results)
    log.info("validated %d documents, %d do not conform", len(results), bad)
    return 0 if bad == 0 else 1
