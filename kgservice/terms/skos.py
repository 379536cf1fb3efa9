"""Walks over the SKOS hierarchy of the concept index: direct relations, transitive closures,
the broader chain of a concept and the tree of a vocabulary.

Every walk skips deprecated concepts where the browser does (narrower, children) and visits a
concept once, so a cycle in the data ends the walk instead of looping.
"""

from __future__ import annotations

from typing import Any

from kgservice.terms.index import ConceptIndex, Vocabulary

#: The relations :func:`direct` follows (SKOS property local names).
RELATIONS = ("broader", "narrower", "related")


def direct(index: ConceptIndex, iri: str, relation: str) -> list[str]:
    """The concepts ``iri`` is ``relation`` to: its broader concepts, its narrower ones that are
    not deprecated, or its related ones (stated either way round)."""
    if relation == "broader":
        return list(index.concepts[iri].broader)
    if relation == "narrower":
        return index.active_children(iri)
    if relation == "related":
        return list(index.related.get(iri, []))
    raise ValueError(f"unknown relation {relation!r}; known: {', '.join(RELATIONS)}")


def transitive(index: ConceptIndex, iri: str, relation: str, limit: int) -> dict[str, list[str]]:
    """Breadth-first from ``iri`` along ``relation``: each concept reached (``iri`` first, at most
    ``limit``) with its direct ``relation`` concepts."""
    out: dict[str, list[str]] = {}
    queue = [iri]
    while queue and len(out) < limit:
        current = queue.pop(0)
        if current in out:
            continue
        found = direct(index, current, relation)
        out[current] = found
        queue.extend(d for d in found if d not in out)
    return out


def broader_chain(index: ConceptIndex, iri: str, vid: str) -> dict[str, list[str]]:
    """``iri`` and every broader concept above it within vocabulary ``vid``, breadth-first, each
    with its broader concepts in that vocabulary."""
    out: dict[str, list[str]] = {}
    queue = [iri]
    while queue:
        current = queue.pop(0)
        if current in out:
            continue
        parents = [p for p in index.concepts[current].broader if vid in index.concepts[p].vocabs]
        out[current] = parents
        queue.extend(parents)
    return out


def tree(index: ConceptIndex, vocab: Vocabulary, lang: str) -> list[dict[str, Any]]:
    """The vocabulary's hierarchy from its top concepts down, ``{"iri", "children"}`` per node,
    siblings in Finnish alphabetical order of their labels in ``lang``; a concept reached again
    below itself is left out."""
    return [
        _subtree(index, top, vocab.id, lang, frozenset({top}))
        for top in index.sorted_iris(vocab.tops, lang)
    ]


def _subtree(
    index: ConceptIndex, iri: str, vid: str, lang: str, seen: frozenset[str]
) -> dict[str, Any]:
    kids = [k for k in index.active_children(iri, vid) if k not in seen]
    return {
        "iri": iri,
        "children": [
            _subtree(index, k, vid, lang, seen | {k}) for k in index.sorted_iris(kids, lang)
        ],
    }
