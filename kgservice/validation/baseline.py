"""The regression guard: compare the ontology with its state at a git revision.

National vocabulary services refuse a release that silently loses content. Against ``GIT_REF``:
the number of concepts or of triples must not drop by more than 0.1 %, and no subject IRI of the
baseline may vanish (retired concepts stay, marked ``owl:deprecated``). ``--allow-removals``
turns these findings into warnings.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kgservice.errors import KgError, ParseError
from kgservice.namespaces import RDF, SKOS
from kgservice.validation.violations import VIOLATION, WARNING, Violation

#: Largest tolerated relative drop in concept or triple count.
MAX_DROP = 0.001

RDF_TYPE = RDF + "type"
SKOS_CONCEPT = SKOS + "Concept"


class BaselineError(KgError):
    """The baseline revision cannot be read (unknown ref, not a git repository, ...)."""


@dataclass
class Snapshot:
    """What the guard compares: triples, concepts and subject IRIs with their defining file."""

    triples: int = 0
    concepts: set[str] = field(default_factory=set)
    subjects: dict[str, str] = field(default_factory=dict)

    def add(self, quads: list[ox.Quad], file: str) -> None:
        self.triples += len(quads)
        for quad in quads:
            if isinstance(quad.subject, ox.NamedNode):
                self.subjects.setdefault(quad.subject.value, file)
                if quad.predicate.value == RDF_TYPE and quad.object == ox.NamedNode(SKOS_CONCEPT):
                    self.concepts.add(quad.subject.value)


def _git(repo: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(
            ["git", "-C", str(repo), *args], check=True, capture_output=True, timeout=60
        )
    except FileNotFoundError as exc:
        raise BaselineError("git is not installed", rule="baseline") from exc
    except subprocess.CalledProcessError as exc:
        detail = exc.stderr.decode("utf-8", "replace").strip()
        raise BaselineError(f"git {' '.join(args)} failed: {detail}", rule="baseline") from exc
    return done.stdout


def snapshot_at(ontology_dir: Path, ref: str) -> Snapshot:
    """Parse every ``*.ttl`` below ``ontology_dir`` as it was at git revision ``ref``."""
    repo = Path(_git(ontology_dir, "rev-parse", "--show-toplevel").decode().strip())
    prefix = ontology_dir.resolve().relative_to(repo.resolve()).as_posix()
    listing = _git(repo, "ls-tree", "-r", "--name-only", ref, "--", prefix or ".").decode()
    snapshot = Snapshot()
    for name in sorted(n for n in listing.splitlines() if n.endswith(".ttl")):
        shown = f"{ref}:{name}"
        content = _git(repo, "show", f"{ref}:{name}")
        try:
            quads = list(ox.parse(content, format=ox.RdfFormat.TURTLE))
        except SyntaxError as exc:
            raise ParseError(str(exc), file=shown, line=exc.lineno, rule="rdf-syntax") from exc
        snapshot.add(quads, shown)
    return snapshot


def snapshot_of(files: list[tuple[Path, str]]) -> Snapshot:
    """The same measures for the working tree (``(path, shown name)`` pairs)."""
    from kgservice.sources.rdf import read_quads

    snapshot = Snapshot()
    for path, shown in files:
        snapshot.add(read_quads(path), shown)
    return snapshot


def compare(
    baseline: Snapshot, current: Snapshot, ref: str, allow_removals: bool
) -> list[Violation]:
    """Findings of the guard: count drops beyond :data:`MAX_DROP` and vanished subject IRIs."""
    severity = WARNING if allow_removals else VIOLATION
    found: list[Violation] = []
    measures = (
        ("baseline-concept-drop", "concepts", len(baseline.concepts), len(current.concepts)),
        ("baseline-triple-drop", "triples", baseline.triples, current.triples),
    )
    for rule, what, before, now in measures:
        if before and (before - now) / before > MAX_DROP:
            found.append(
                Violation(
                    rule=rule,
                    message=(
                        f"{what} dropped from {before} at {ref} to {now} "
                        f"(-{(before - now) / before:.2%}, more than {MAX_DROP:.1%})"
                    ),
                    severity=severity,
                )
            )
    for iri in sorted(set(baseline.subjects) - set(current.subjects)):
        found.append(
            Violation(
                rule="baseline-iri-removed",
                message=(
                    f"IRI present at {ref} is gone; retire it (owl:deprecated true, "
                    "dct:isReplacedBy) instead of deleting it"
                ),
                file=baseline.subjects[iri],
                focus=iri,
                severity=severity,
            )
        )
    return found
