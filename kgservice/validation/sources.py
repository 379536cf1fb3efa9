"""Step 1 of the quality gate: parse the RDF source files and remember where each subject lives.

Files are parsed with pyoxigraph (:func:`kgservice.sources.rdf.read_quads`, whose syntax
errors name file and line) and copied into one rdflib :class:`~rdflib.Graph` for pySHACL. For
every subject the file that defines it is kept (the first file typing it with ``rdf:type``, else the
first file describing it), with the first line where it is written (at the start of a line if
possible), so a violation can say where to fix it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kgservice.errors import ParseError
from kgservice.namespaces import XSD
from kgservice.sources.rdf import read_quads

XSD_STRING = XSD + "string"

_PREFIX_RE = re.compile(
    r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE | re.MULTILINE
)
_IRI_RE = re.compile(r"<([^<>\s]*)>")
_PNAME_RE = re.compile(
    r"(?<![\w<\"'@:/#.-])([A-Za-z][\w-]*(?:\.[\w-]+)*)?:((?:[\w%-]|\.(?=[\w%-]))*)"
)


@dataclass(frozen=True)
class Location:
    """Where a subject is defined: a file (as given) and a 1-based line, when known."""

    file: str
    line: int | None = None


@dataclass
class SourceSet:
    """The parsed files: one rdflib graph, the subjects' locations and the parse errors."""

    graph: Graph = field(default_factory=Graph)
    locations: dict[Node, Location] = field(default_factory=dict)
    errors: list[ParseError] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def location(self, node: Node | None) -> Location | None:
        return self.locations.get(node) if node is not None else None


def turtle_files(*directories: Path) -> list[Path]:
    """Every ``*.ttl`` file below the directories, sorted, directories that do not exist skipped."""
    found: list[Path] = []
    for directory in directories:
        if directory.is_dir():
            found.extend(sorted(p for p in directory.rglob("*.ttl") if p.is_file()))
    return found


def to_rdflib(term: object, bnode_prefix: str) -> Node:
    """Turn one pyoxigraph term into its rdflib twin (blank nodes made unique per file)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(bnode_prefix + term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unsupported RDF term {term!r}")


def load_sources(files: Iterable[Path], display_root: Path | None = None) -> SourceSet:
    """Parse every file; a broken file becomes an entry of ``errors`` and contributes nothing."""
    result = SourceSet()
    typed_anywhere: set[Node] = set()
    for index, path in enumerate(files):
        shown = display_name(path, display_root)
        result.files.append(path)
        try:
            quads = read_quads(path)
        except ParseError as exc:
            exc.file = shown
            result.errors.append(exc)
            continue
        prefix = f"f{index}_"
        subjects: list[Node] = []
        seen: set[Node] = set()
        typed: set[Node] = set()
        for quad in quads:
            s = to_rdflib(quad.subject, prefix)
            p = to_rdflib(quad.predicate, prefix)
            result.graph.add((s, p, to_rdflib(quad.object, prefix)))
            if p == RDF.type:
                typed.add(s)
            if s not in seen:
                seen.add(s)
                subjects.append(s)
        lines = subject_lines(path) if path.suffix.lower() == ".ttl" else {}
        for s in subjects:
            # The file that types a node defines it; otherwise the first file that describes it.
            if s not in result.locations or (s in typed and s not in typed_anywhere):
                result.locations[s] = Location(shown, lines.get(str(s)))
        typed_anywhere |= typed
    return result


def display_name(path: Path, root: Path | None) -> str:
    """The path relative to ``root`` when it lies below it, else as given."""
    if root is not None:
        try:
            return str(path.resolve().relative_to(root.resolve()))
        except ValueError:
            pass
    return str(path)


def subject_lines(path: Path) -> dict[str, int]:
    """IRI → first line where it is written in a Turtle file, preferring lines that start with it.

    A textual scan (prefixed names are expanded with the file's ``@prefix`` lines); good enough to
    point an editor at the statement, never used to decide whether a rule holds.
    """
    text = path.read_text(encoding="utf-8", errors="replace")
    prefixes = {(m.group(1) or ""): m.group(2) for m in _PREFIX_RE.finditer(text)}
    at_start: dict[str, int] = {}
    anywhere: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip()
        if stripped.startswith("#") or _PREFIX_RE.match(line):
            continue
        first_column = len(line) == len(stripped)
        for start, iri in _iris_in_line(line, prefixes):
            anywhere.setdefault(iri, number)
            if first_column and start == 0:
                at_start.setdefault(iri, number)
    return {**anywhere, **at_start}


def _iris_in_line(line: str, prefixes: dict[str, str]) -> list[tuple[int, str]]:
    found = [(m.start(), m.group(1)) for m in _IRI_RE.finditer(line)]
    masked = _IRI_RE.sub(lambda m: " " * len(m.group(0)), line)
    masked = re.sub(r'"[^"]*"', lambda m: " " * len(m.group(0)), masked)
    for m in _PNAME_RE.finditer(masked):
        prefix = m.group(1) or ""
        if prefix in prefixes:
            found.append((m.start(), prefixes[prefix] + m.group(2)))
    return found
