"""The IRI scheme of the service (documented in ontology/README.md).

Everything lives under the configured base namespace ``B`` (``KG_BASE_IRI``):

* ``B ontology/<Term>``                 classes and properties of the OWL model (prefix ``rake:``)
* ``B scheme/<slug>``                   SKOS concept schemes
* ``B concept/<scheme>/<slug>``         concepts of the hand-edited schemes
* ``B region/<level>/<code>``           regions (code list built from Statistics Finland keys)
* ``B sosmeta/...``                     Sosmeta document structures, versions and entries
* ``B data/...``                        datasets, observations, provenance
* ``B graph/<area>/<name>``             named graphs

Sources are written in :data:`~kgservice.config.CANONICAL_BASE_IRI`; :func:`rebase` moves them
to a deployment's own base.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Triple

from kgservice.config import CANONICAL_BASE_IRI, Settings


def graph_iri(settings: Settings, *parts: str) -> str:
    """The IRI of a named graph, e.g. ``graph_iri(s, "ontology", "core")``."""
    return settings.base_iri + "graph/" + "/".join(parts)


def _rebase_node(node, old: str, new: str):
    if isinstance(node, NamedNode) and node.value.startswith(old):
        return NamedNode(new + node.value[len(old) :])
    if isinstance(node, Literal) and node.datatype.value.startswith(old):
        return Literal(node.value, datatype=_rebase_node(node.datatype, old, new))
    if isinstance(node, Triple):
        return Triple(
            *(_rebase_node(t, old, new) for t in (node.subject, node.predicate, node.object))
        )
    return node


def rebase(quads: Iterable[Quad], settings: Settings) -> Iterator[Quad]:
    """Move every IRI under the canonical base to the configured base (a no-op when they agree)."""
    old, new = CANONICAL_BASE_IRI, settings.base_iri
    if old == new:
        yield from quads
        return
    for q in quads:
        graph = q.graph_name
        if isinstance(graph, NamedNode):
            graph = _rebase_node(graph, old, new)
        yield Quad(
            _rebase_node(q.subject, old, new),
            _rebase_node(q.predicate, old, new),
            _rebase_node(q.object, old, new),
            graph,
        )


def is_local(iri: str, settings: Settings) -> bool:
    return iri.startswith(settings.base_iri)


__all__ = ["BlankNode", "graph_iri", "is_local", "rebase"]
