"""A :class:`~kgservice.releases.diff.Diff` as Markdown, JSON, an Excel sheet or RDF.

The RDF uses the W3C/Talis ChangeSet vocabulary (``cs:``, :data:`kgservice.namespaces.CS`,
https://vocab.org/changeset/): one ``cs:ChangeSet`` per changed concept with
``cs:subjectOfChange`` (the concept), ``cs:changeReason`` (added, deprecated, removed or changed),
``cs:createdDate``, and each triple added or removed as a reified ``rdf:Statement`` under
``cs:addition`` / ``cs:removal``.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from typing import Any

import pyoxigraph as ox

from kgservice.namespaces import CS, RDF, SKOS, XSD
from kgservice.releases.diff import ADDED, CHANGED, DEPRECATED, KINDS, REMOVED, ConceptChange, Diff
from kgservice.releases.snapshot import IN_SCHEME, Concept, Term

FORMATS = ("markdown", "json", "xlsx", "rdf")
HEADINGS = {
    ADDED: "Added",
    DEPRECATED: "Deprecated",
    REMOVED: "Removed",
    CHANGED: "Changed",
}


def _values(values: tuple[str, ...]) -> str:
    return ", ".join(f"“{v}”" for v in values)


def _describe(change: ConceptChange) -> list[str]:
    lines = []
    for p in change.changes:
        name = f"{p.property}@{p.lang}" if p.lang else p.property
        parts = []
        if p.removed:
            parts.append(f"removed {_values(p.removed)}")
        if p.added:
            parts.append(f"added {_values(p.added)}")
        lines.append(f"{name}: {'; '.join(parts)}")
    return lines


def to_markdown(result: Diff) -> str:
    """A changelog for release notes: per scheme, the concepts by kind, each change on a line."""
    counts = result.counts()
    out = [
        f"# Changes from {result.old} to {result.new}",
        "",
        ", ".join(f"{counts[k]} {k}" for k in KINDS) + ".",
    ]
    for scheme in result.schemes:
        out += ["", f"## {scheme.label} (<{scheme.iri}>)"]
        for kind in KINDS:
            changes = scheme.of_kind(kind)
            if not changes:
                continue
            out += ["", f"### {HEADINGS[kind]}", ""]
            for change in changes:
                line = f"- {change.label} (<{change.iri}>)"
                if kind == DEPRECATED and change.replaced_by:
                    line += " → replaced by " + ", ".join(f"<{r}>" for r in change.replaced_by)
                out.append(line)
                if kind in (CHANGED, DEPRECATED):
                    out += [f"  - {text}" for text in _describe(change)]
    return "\n".join(out) + "\n"


def _change_dict(change: ConceptChange) -> dict[str, Any]:
    return {
        "kind": change.kind,
        "concept": change.iri,
        "label": change.label,
        "replacedBy": list(change.replaced_by),
        "changes": [
            {
                "property": p.property,
                "lang": p.lang or None,
                "removed": list(p.removed),
                "added": list(p.added),
            }
            for p in change.changes
        ],
    }


def to_json(result: Diff) -> str:
    document = {
        "from": result.old,
        "to": result.new,
        "counts": result.counts(),
        "schemes": [
            {
                "scheme": s.iri,
                "label": s.label,
                "concepts": [_change_dict(c) for c in s.concepts],
            }
            for s in result.schemes
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


XLSX_COLUMNS = ("scheme", "kind", "concept", "label", "property", "lang", "removed", "added")


def xlsx_rows(result: Diff) -> list[tuple[str, ...]]:
    """One row per property change (one per concept for added and removed concepts)."""
    rows: list[tuple[str, ...]] = []
    for s in result.schemes:
        for c in s.concepts:
            head = (s.label, c.kind, c.iri, c.label)
            if c.kind == DEPRECATED and c.replaced_by:
                rows.append((*head, "isReplacedBy", "", "", " | ".join(c.replaced_by)))
            if not c.changes:
                rows.append((*head, "", "", "", ""))
            for p in c.changes:
                rows.append((*head, p.property, p.lang, " | ".join(p.removed), " | ".join(p.added)))
    return rows


def to_xlsx(result: Diff) -> bytes:
    """One sheet ``changes`` with a header row, filter and frozen header."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("changes")
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, XLSX_COLUMNS, bold)
    rows = xlsx_rows(result)
    for i, row in enumerate(rows, start=1):
        sheet.write_row(i, 0, row)
    sheet.autofilter(0, 0, len(rows), len(XLSX_COLUMNS) - 1)
    sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


def _statements(
    changeset: ox.BlankNode, link: str, triples: set[tuple[ox.NamedNode, ox.NamedNode, Term]]
) -> list[ox.Triple]:
    out = []
    for s, p, o in sorted(triples, key=lambda t: (t[1].value, str(t[2]))):
        node = ox.BlankNode()
        out += [
            ox.Triple(changeset, ox.NamedNode(CS + link), node),
            ox.Triple(node, ox.NamedNode(RDF + "type"), ox.NamedNode(RDF + "Statement")),
            ox.Triple(node, ox.NamedNode(RDF + "subject"), s),
            ox.Triple(node, ox.NamedNode(RDF + "predicate"), p),
            ox.Triple(node, ox.NamedNode(RDF + "object"), o),
        ]
    return out


def _triples(concept: Concept | None) -> set[tuple[ox.NamedNode, ox.NamedNode, Term]]:
    if concept is None:
        return set()
    subject = ox.NamedNode(concept.iri)
    found = {(subject, ox.NamedNode(p), o) for p, vs in concept.values.items() for o in vs}
    if concept.scheme:
        found.add((subject, ox.NamedNode(IN_SCHEME), ox.NamedNode(concept.scheme)))
    found.add((subject, ox.NamedNode(RDF + "type"), ox.NamedNode(SKOS + "Concept")))
    return found


def to_rdf(result: Diff, created: datetime | None = None) -> bytes:
    """The changes as ``cs:ChangeSet`` resources in Turtle (see the module docstring)."""
    when = ox.Literal(
        (created or datetime.now(UTC)).isoformat(timespec="seconds"),
        datatype=ox.NamedNode(XSD + "dateTime"),
    )
    triples: list[ox.Triple] = []
    for change in result.all():
        node = ox.BlankNode()
        before, after = _triples(change.before), _triples(change.after)
        triples += [
            ox.Triple(node, ox.NamedNode(RDF + "type"), ox.NamedNode(CS + "ChangeSet")),
            ox.Triple(node, ox.NamedNode(CS + "subjectOfChange"), ox.NamedNode(change.iri)),
            ox.Triple(node, ox.NamedNode(CS + "changeReason"), ox.Literal(change.kind)),
            ox.Triple(node, ox.NamedNode(CS + "createdDate"), when),
            *_statements(node, "addition", after - before),
            *_statements(node, "removal", before - after),
        ]
    prefixes = {"cs": CS, "rdf": RDF, "skos": SKOS}
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b""


def render(result: Diff, fmt: str) -> bytes:
    """The diff in one of :data:`FORMATS`."""
    if fmt == "markdown":
        return to_markdown(result).encode()
    if fmt == "json":
        return to_json(result).encode()
    if fmt == "xlsx":
        return to_xlsx(result)
    return to_rdf(result)
