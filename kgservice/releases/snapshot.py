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
from kgservice.namespaces import DCT, OWL, RDF, SKOS

#: A value the diff compares (RDF-star triples as values are not tracked).
Term = ox.NamedNode | ox.BlankNode | ox.Literal

RAKE_STATUS = "https://rake-kg.example/ontology/status"
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
    """A version: its name, its concepts by IRI and the labels of its schemes."""

    name: str
    concepts: dict[str, Concept] = field(default_factory=dict)
    schemes: dict[str, str] = field(default_factory=dict)


def from_quads(name: str, quads: list[ox.Quad]) -> Snapshot:
    """Concept records from parsed quads (two passes: find the concepts, then their values)."""
    snapshot = Snapshot(name)
    concepts = snapshot.concepts
    scheme_iris: set[str] = set()
    for q in quads:
        if q.predicate == TYPE and isinstance(q.subject, ox.NamedNode):
            if q.object == CONCEPT:
                concepts.setdefault(q.subject.value, Concept(q.subject.value))
            elif q.object == SCHEME:
                scheme_iris.add(q.subject.value)
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
        elif subject in scheme_iris and predicate == SKOS + "prefLabel":
            lang = obj.language if isinstance(obj, ox.Literal) else None
            if lang == "fi" or subject not in snapshot.schemes:
                snapshot.schemes[subject] = obj.value
    return snapshot


def _parse(data: bytes | Path, shown: str) -> list[ox.Quad]:
    try:
        if isinstance(data, Path):
            return list(ox.parse(path=data, format=ox.RdfFormat.TURTLE))
        return list(ox.parse(data, format=ox.RdfFormat.TURTLE))
    except SyntaxError as exc:
        raise ParseError(str(exc), file=shown, line=exc.lineno, rule="rdf-syntax") from exc


def read_files(name: str, path: Path) -> Snapshot:
    """A Turtle file, or every ``*.ttl`` below a directory."""
    files = sorted(path.rglob("*.ttl")) if path.is_dir() else [path]
    quads: list[ox.Quad] = []
    for file in files:
        quads += _parse(file, str(file))
    return from_quads(name, quads)


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
    quads: list[ox.Quad] = []
    for path in sorted(n for n in listing.splitlines() if n.endswith(".ttl")):
        quads += _parse(git(repo, "show", f"{ref}:{path}"), f"{ref}:{path}")
    return from_quads(ref, quads)


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
