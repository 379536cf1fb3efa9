"""What the service says about one resource: its triples, where it is used, its entries.

Every query here skips the private client-data graphs (``graph/client/``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import cast

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, serialize

from kgservice.config import Settings
from kgservice.iris import graph_iri
from kgservice.namespaces import STANDARD_PREFIXES, ontology_ns
from kgservice.queries import ask, construct, select
from kgservice.store import Row, Store, Term
from kgservice.terms.index import ConceptIndex, Vocabulary

PREFIXES = {"rake": "", **STANDARD_PREFIXES}  # rake: filled per deployment


def private_prefix(settings: Settings) -> Literal:
    return Literal(graph_iri(settings, "client") + "/")


def _ns(settings: Settings) -> Literal:
    return Literal(ontology_ns(settings))


def _ask(store: Store, settings: Settings, name: str, **bindings: Term) -> bool:
    """Query ``name`` over the public graphs (``private`` bound to :func:`private_prefix`)."""
    return ask(store, settings.queries_dir, name, private=private_prefix(settings), **bindings)


def _select(store: Store, settings: Settings, name: str, **bindings: Term) -> list[Row]:
    """Query ``name`` over the public graphs (``private`` bound to :func:`private_prefix`)."""
    return select(store, settings.queries_dir, name, private=private_prefix(settings), **bindings)


def _construct(store: Store, settings: Settings, name: str, **bindings: Term) -> list[Triple]:
    """Query ``name`` over the public graphs (``private`` bound to :func:`private_prefix`)."""
    return construct(
        store, settings.queries_dir, name, private=private_prefix(settings), **bindings
    )


def exists(store: Store, settings: Settings, iri: str) -> bool:
    """Whether the public graphs mention ``iri`` (as subject, else as object)."""
    resource = NamedNode(iri)
    return _ask(store, settings, "web/resource-as-subject", resource=resource) or _ask(
        store, settings, "web/resource-as-object", resource=resource
    )


def is_known(index: ConceptIndex, store: Store, settings: Settings, iri: str) -> bool:
    """Whether ``iri`` has a page: a concept or labelled resource of the index, or any resource
    the public graphs mention."""
    return iri in index.concepts or index.has_label(iri) or exists(store, settings, iri)


def description(store: Store, settings: Settings, iri: str) -> list[Triple]:
    """The resource's triples plus labels of what it links to (see ``queries/web/describe.rq``)."""
    return _construct(store, settings, "web/describe", resource=NamedNode(iri))


def own_triples(store: Store, settings: Settings, iri: str) -> list[tuple[Term, Term]]:
    """``(predicate, object)`` of every public triple with ``iri`` as subject, in store order."""
    rows = _select(store, settings, "web/resource-triples", resource=NamedNode(iri))
    return [(cast(NamedNode, r["p"]), r["o"]) for r in rows]  # a predicate is always an IRI


def serialise(triples: list[Triple], fmt: RdfFormat, settings: Settings, iri: str) -> bytes:
    """``triples`` in ``fmt``, the described resource first, then the rest by subject."""
    prefixes = dict(PREFIXES, rake=ontology_ns(settings))
    ordered = sorted(
        triples,
        key=lambda t: (
            not (isinstance(t.subject, NamedNode) and t.subject.value == iri),
            str(t.subject),
            str(t.predicate),
        ),
    )
    return serialize(ordered, format=fmt, prefixes=prefixes) or b""


def vocabulary_data(store: Store, settings: Settings, vocab: Vocabulary) -> list[Triple]:
    """The whole vocabulary: the OWL model's terms (``queries/web/ontology-data.rq``), or a
    scheme's description and its concepts (``queries/web/scheme-data.rq``)."""
    if vocab.kind == "ontology":
        return _construct(
            store, settings, "web/ontology-data", ns=_ns(settings), ontology=NamedNode(vocab.iri)
        )
    return description(store, settings, vocab.iri) + _construct(
        store, settings, "web/scheme-data", scheme=NamedNode(vocab.iri)
    )


def union_members(store: Store, settings: Settings, iri: str) -> dict[str, list[str]]:
    """Property → members of the ``owl:unionOf`` classes ``iri`` points to with it."""
    rows = _select(store, settings, "web/union-members", resource=NamedNode(iri))
    out: dict[str, list[str]] = {}
    for r in rows:
        out.setdefault(r["property"].value, []).append(r["member"].value)
    return out


@dataclass(frozen=True)
class Entry:
    iri: str
    order: str | None
    row: str | None
    data_type: str | None
    component: str | None
    obligation: str | None
    repeatable: bool
    hidden: bool
    parent: str | None = None
    depth: int = 0


def _value(row: dict, key: str) -> str | None:
    term = row.get(key)
    if term is None or isinstance(term, BlankNode):
        return None
    return term.value


def structure_entries(store: Store, settings: Settings, iri: str) -> list[Entry]:
    rows = _select(
        store, settings, "web/structure-entries", structure=NamedNode(iri), ns=_ns(settings)
    )
    entries = [
        Entry(
            iri=r["entry"].value,
            order=_value(r, "order"),
            row=_value(r, "row"),
            data_type=_value(r, "dataType"),
            component=_value(r, "component"),
            obligation=_value(r, "obligation"),
            repeatable=_value(r, "repeatable") in ("true", "1"),
            hidden=_value(r, "hidden") in ("true", "1"),
            parent=_value(r, "parent"),
        )
        for r in rows
    ]

    def key(e: Entry) -> tuple[float, float, str]:
        def num(v: str | None) -> float:
            try:
                return float(v) if v is not None else float("inf")
            except ValueError:
                return float("inf")

        return (num(e.order), num(e.row), e.iri)

    return _depth_first(entries, key)


def _depth_first(entries: list[Entry], key) -> list[Entry]:
    """Entries in document order: each entry followed by its sub-entries, with their depth.

    Entries without an obligation (JSON Schema scaffolding that Sosmeta's own table does not
    show) are skipped but their sub-entries are kept, one level up.
    """
    by_iri = {e.iri: e for e in entries}
    kids: dict[str | None, list[Entry]] = {}
    for e in entries:
        parent = e.parent if e.parent in by_iri else None
        kids.setdefault(parent, []).append(e)
    any_obligation = any(e.obligation for e in entries)
    out: list[Entry] = []
    seen: set[str] = set()

    def walk(parent: str | None, depth: int) -> None:
        for e in sorted(kids.get(parent, []), key=key):
            if e.iri in seen:
                continue
            seen.add(e.iri)
            shown = e.obligation is not None or not any_obligation
            if shown:
                out.append(replace(e, depth=depth))
            walk(e.iri, depth + 1 if shown else depth)

    walk(None, 0)
    return out


@dataclass(frozen=True)
class Change:
    iri: str
    kind: str | None
    comments: dict[str, str]
    entry: str | None


def changes(store: Store, settings: Settings, iri: str) -> list[Change]:
    """The ``rake:hasChange`` history entries of ``iri`` (see ``queries/web/changes.rq``)."""
    rows = _select(store, settings, "web/changes", resource=NamedNode(iri), ns=_ns(settings))
    found: dict[str, Change] = {}
    for r in rows:
        change = found.setdefault(
            r["change"].value,
            Change(r["change"].value, _value(r, "kind"), {}, _value(r, "entry")),
        )
        comment = r.get("comment")
        if isinstance(comment, Literal):
            change.comments.setdefault(comment.language or "", comment.value)
    return list(found.values())


@dataclass(frozen=True)
class Recording:
    """One Sosmeta entry that records a phenomenon, with its structure version."""

    version: str
    oid: str
    entry: str


def phenomenon_entries(store: Store, settings: Settings, iri: str) -> list[Recording]:
    """The entries that record ``iri`` (``rake:usesConcept``), by structure version OID."""
    rows = _select(store, settings, "web/phenomenon-entries", phenomenon=NamedNode(iri))
    return [Recording(r["version"].value, r["oid"].value, r["entry"].value) for r in rows]
