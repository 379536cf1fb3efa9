"""One version of the vocabularies as concept records, read from files, a release or a git ref.

A version is named three ways (:func:`resolve`): a release recorded under ``releases/<version>/``,
a Turtle file or a directory of them, or a git revision whose ``ontology/`` is read with
``git show``. Only what a changelog reports is kept per concept: the tracked SKOS, OWL and
Dublin Core properties (:data:`TRACKED`) with their values as pyoxigraph terms.
"""

from __future__ import annotations

import subprocess
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kgservice.errors import KgError, ParseError
from kgservice.namespaces import CANONICAL, DCT, OWL, RDF, SKOS

#: A value the diff compares (RDF-star triples as values are not tracked).
Term = ox.NamedNode | ox.BlankNode | ox.Literal

RAKE_STATUS = CANONICAL.ontology + "status"
STATUS_PATH = "/concept/status/"
#: Lifecycle statuses that retire a concept (the term browser hides the same ones).
RETIRING_STATUSES = ("RETIRED", "SUPERSEDED", "INVALID", "DEPRECATED")

#: Property IRI → the short name a changelog uses, in the order a changelog lists them.
TRACKED: dict[str, str] = {
    SKOS + "prefLabel": "prefLabel",
    SKOS + "altLabel": "altLabel",
    SKOS + "definition": "definition",
    SKOS + "broader": "broader",
    SKOS + "narrower": "narrower",
    SKOS + "exactMatch": "exactMatch",
    SKOS + "closeMatch": "closeMatch",
    SKOS + "broadMatch": "broadMatch",
    SKOS + "narrowMatch": "narrowMatch",
    SKOS + "relatedMatch": "relatedMatch",
    SKOS + "notation": "notation",
    RAKE_STATUS: "status",
    OWL + "deprecated": "deprecated",
    DCT + "isReplacedBy": "isReplacedBy",
}
IN_SCHEME = SKOS + "inScheme"
CONCEPT = ox.NamedNode(SKOS + "Concept")
SCHEME = ox.NamedNode(SKOS + "ConceptScheme")
TYPE = ox.NamedNode(RDF + "type")


class ReleaseError(KgError):
    """A version cannot be read or recorded (unknown version or ref, existing release, ...)."""


@dataclass
class Concept:
    """A concept as one version has it: its scheme and its tracked property values."""

    iri: str
    scheme: str = ""
    values: dict[str, set[Term]] = field(default_factory=lambda: defaultdict(set))

    @property
    def deprecated(self) -> bool:
        if any(v.value == "true" for v in self.values.get(OWL + "deprecated", ())):
            return True
        return any(
            v.value.rpartition(STATUS_PATH)[2] in RETIRING_STATUSES
            for v in self.values.get(RAKE_STATUS, ())
        )

    def label(self, lang: str = "fi") -> str:
        labels = self.values.get(SKOS + "prefLabel", set())
        for term in sorted(labels, key=lambda t: t.value):
            if isinstance(term, ox.Literal) and term.language == lang:
                return term.value
        return min((t.value for t in labels), default=self.iri.rsplit("/", 1)[-1])


@dataclass
class Snapshot:
    """A version as the set of its triples in canonical N-Triples lines (blank nodes aside).

    Comparing two versions is then a set difference done in C; only the concepts whose lines
    differ are parsed into :class:`Concept` records (:meth:`concepts_of`).
    """

    name: str
    lines: frozenset[bytes] = frozenset()
    #: The same lines in the order they were written (grouped by subject).
    ordered: tuple[bytes, ...] = ()

    def about(self, tokens: set[bytes]) -> bytes:
        """The N-Triples lines whose subject is one of ``tokens`` (``b"<iri>"``): one pass."""
        return b"\n".join(line for line in self.ordered if line[: line.find(b" ")] in tokens)

    def has_type(self, token: bytes, cls: ox.NamedNode) -> bool:
        return token + f" <{TYPE.value}> <{cls.value}> .".encode() in self.lines

    def typed(self, cls: ox.NamedNode) -> set[bytes]:
        """Subject tokens of the instances of ``cls`` (a scan of every line)."""
        tail = f" <{TYPE.value}> <{cls.value}> .".encode()
        return {line[: -len(tail)] for line in self.lines if line.endswith(tail)}

    def concepts_of(self, tokens: set[bytes]) -> dict[str, Concept]:
        """The concept records of the given subject tokens (those that are concepts here)."""
        wanted = {t for t in tokens if self.has_type(t, CONCEPT)}
        if not wanted:
            return {}
        return from_quads(list(ox.parse(self.about(wanted), format=ox.RdfFormat.N_TRIPLES)))

    def scheme_labels(self, iris: set[str]) -> dict[str, str]:
        """The concept schemes' labels (Finnish when they have one)."""
        labels: dict[str, str] = {}
        data = self.about({f"<{iri}>".encode() for iri in iris})
        for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES):
            if q.predicate.value == SKOS + "prefLabel" and isinstance(q.object, ox.Literal):
                if q.object.language == "fi" or q.subject.value not in labels:
                    labels[q.subject.value] = q.object.value
        return labels


def from_quads(quads: list[ox.Quad]) -> dict[str, Concept]:
    """Concept records from parsed quads (two passes: find the concepts, then their values)."""
    concepts: dict[str, Concept] = {}
    for q in quads:
        if q.predicate == TYPE and q.object == CONCEPT and isinstance(q.subject, ox.NamedNode):
            concepts.setdefault(q.subject.value, Concept(q.subject.value))
    for q in quads:
        obj = q.object
        if isinstance(q.subject, ox.Triple) or isinstance(obj, ox.Triple):
            continue
        subject, predicate = q.subject.value, q.predicate.value
        if subject in concepts:
            if predicate in TRACKED:
                concepts[subject].values[predicate].add(obj)
            elif predicate == IN_SCHEME:
                current = concepts[subject].scheme
                concepts[subject].scheme = min(current or obj.value, obj.value)
    return concepts


def from_sources(name: str, sources: list[tuple[bytes | Path, str]]) -> Snapshot:
    """A snapshot of Turtle sources (content or path, with the name shown in a syntax error)."""
    ordered: list[bytes] = []
    for data, shown in sources:
        try:
            if isinstance(data, Path):
                parsed = ox.parse(path=data, format=ox.RdfFormat.TURTLE)
            else:
                parsed = ox.parse(data, format=ox.RdfFormat.TURTLE)
            dumped = ox.serialize(parsed, format=ox.RdfFormat.N_TRIPLES) or b""
        except SyntaxError as exc:
            raise ParseError(str(exc), file=shown, line=exc.lineno, rule="rdf-syntax") from exc
        ordered += dumped.split(b"\n")
    lines = frozenset(ordered) - {b""}
    return Snapshot(name, lines, tuple(ordered))


def read_files(name: str, path: Path) -> Snapshot:
    """A Turtle file, or every ``*.ttl`` below a directory."""
    files = sorted(path.rglob("*.ttl")) if path.is_dir() else [path]
    return from_sources(name, [(f, str(f)) for f in files])


def git(repo: Path, *args: str) -> bytes:
    """Run git in ``repo``; a failure becomes a :class:`ReleaseError` naming the command."""
    try:
        done = subprocess.run(
            ["git", "-C", str(repo), *args], check=True, capture_output=True, timeout=60
        )
    except (FileNotFoundError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", b"") or str(exc).encode()
        raise ReleaseError(
            f"git {' '.join(args)} failed: {detail.decode('utf-8', 'replace').strip()}",
            rule="release-version",
        ) from exc
    return done.stdout


def read_git(ontology_dir: Path, ref: str) -> Snapshot:
    """``ontology/**/*.ttl`` as it was at git revision ``ref``."""
    repo = Path(git(ontology_dir, "rev-parse", "--show-toplevel").decode().strip())
    prefix = ontology_dir.resolve().relative_to(repo.resolve()).as_posix()
    listing = git(repo, "ls-tree", "-r", "--name-only", ref, "--", prefix or ".").decode()
    names = sorted(n for n in listing.splitlines() if n.endswith(".ttl"))
    return from_sources(ref, [(git(repo, "show", f"{ref}:{n}"), f"{ref}:{n}") for n in names])


def resolve(spec: str, releases_dir: Path, ontology_dir: Path) -> Snapshot:
    """A release version, else a file or directory, else a git revision of ``ontology/``."""
    release = releases_dir / spec
    if spec and "/" not in spec and (release / "release.ttl").is_file():
        return read_files(spec, release)
    if Path(spec).exists():
        return read_files(spec, Path(spec))
    try:
        return read_git(ontology_dir, spec)
    except ReleaseError as exc:
        raise ReleaseError(
            f"{spec!r} is neither a release under {releases_dir}, a Turtle file or directory, "
            f"nor a git revision ({exc.message})",
            rule="release-version",
        ) from exc
