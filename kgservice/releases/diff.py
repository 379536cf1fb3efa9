"""What changed between two versions, per concept scheme, computed with set operations.

Kinds: a concept *added* (in the new version only), *removed* (in the old one only),
*deprecated* (retired in the new version, with its ``dct:isReplacedBy`` replacements) and
*changed* (a tracked property gained or lost values; labels and definitions per language).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from kgservice.namespaces import DCT
from kgservice.releases.snapshot import TRACKED, Concept, Snapshot, Term

ADDED, DEPRECATED, REMOVED, CHANGED = "added", "deprecated", "removed", "changed"
KINDS = (ADDED, DEPRECATED, REMOVED, CHANGED)


@dataclass(frozen=True)
class PropertyChange:
    """One property of one concept (in one language for literals): values gone and new."""

    property: str  # short name from TRACKED, e.g. "prefLabel"
    lang: str
    removed: tuple[str, ...]
    added: tuple[str, ...]


@dataclass
class ConceptChange:
    """A concept that was added, deprecated, removed or changed, with its property changes."""

    kind: str
    iri: str
    label: str
    replaced_by: tuple[str, ...] = ()
    changes: list[PropertyChange] = field(default_factory=list)
    #: The concept's tracked triples before and after, for the RDF changeset.
    before: Concept | None = None
    after: Concept | None = None


@dataclass
class SchemeDiff:
    iri: str
    label: str
    concepts: list[ConceptChange] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[ConceptChange]:
        return [c for c in self.concepts if c.kind == kind]


@dataclass
class Diff:
    old: str
    new: str
    schemes: list[SchemeDiff] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {k: sum(len(s.of_kind(k)) for s in self.schemes) for k in KINDS}

    def all(self) -> list[ConceptChange]:
        return [c for s in self.schemes for c in s.concepts]


def _by_lang(terms: set[Term]) -> dict[str, set[str]]:
    grouped: dict[str, set[str]] = {}
    for term in terms:
        lang = term.language or "" if isinstance(term, ox.Literal) else ""
        grouped.setdefault(lang, set()).add(term.value)
    return grouped


def property_changes(before: Concept, after: Concept) -> list[PropertyChange]:
    """The tracked properties whose values differ, per language, in :data:`TRACKED` order."""
    found: list[PropertyChange] = []
    for iri, name in TRACKED.items():
        old, new = before.values.get(iri, set()), after.values.get(iri, set())
        if old == new:
            continue
        old_lang, new_lang = _by_lang(old), _by_lang(new)
        for lang in sorted(old_lang.keys() | new_lang.keys()):
            gone = old_lang.get(lang, set()) - new_lang.get(lang, set())
            came = new_lang.get(lang, set()) - old_lang.get(lang, set())
            if gone or came:
                found.append(PropertyChange(name, lang, tuple(sorted(gone)), tuple(sorted(came))))
    return found


def _replacements(concept: Concept) -> tuple[str, ...]:
    return tuple(sorted(t.value for t in concept.values.get(DCT + "isReplacedBy", ())))


def _change(before: Concept | None, after: Concept | None) -> ConceptChange | None:
    if before is None:
        if after is None:
            return None
        return ConceptChange(ADDED, after.iri, after.label(), _replacements(after), after=after)
    if after is None:
        return ConceptChange(REMOVED, before.iri, before.label(), before=before)
    changes = property_changes(before, after)
    if not changes:
        return None
    kind = DEPRECATED if after.deprecated and not before.deprecated else CHANGED
    return ConceptChange(
        kind, after.iri, after.label(), _replacements(after), changes, before, after
    )


def diff(old: Snapshot, new: Snapshot) -> Diff:
    """Every concept change from ``old`` to ``new``, grouped by scheme, sorted by IRI.

    Only the subjects of triples in one version but not the other are looked at (set
    difference of the N-Triples lines), and of those only the concepts are parsed.
    """
    result = Diff(old.name, new.name)
    differing = old.lines.symmetric_difference(new.lines)
    touched = {line[: line.find(b" ")] for line in differing}
    before, after = old.concepts_of(touched), new.concepts_of(touched)
    schemes: dict[str, SchemeDiff] = {}
    for iri in sorted(before.keys() | after.keys()):
        change = _change(before.get(iri), after.get(iri))
        if change is None:
            continue
        scheme = (after.get(iri) or before[iri]).scheme
        schemes.setdefault(scheme, SchemeDiff(scheme, scheme)).concepts.append(change)
    labels = {**old.scheme_labels(set(schemes)), **new.scheme_labels(set(schemes))}
    for scheme_diff in schemes.values():
        scheme_diff.label = labels.get(scheme_diff.iri, scheme_diff.iri)
    result.schemes = [schemes[k] for k in sorted(schemes)]
    return result
