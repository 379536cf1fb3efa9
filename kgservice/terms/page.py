"""Turns a resource's description into what its HTML page shows, section by section.

Sections: labels in every language, definition, notation, status, hierarchy (broader / narrower /
related), schemes, mappings, where it is used (incoming links), other properties (outgoing links,
the other half of the traceability chain), change history, document-structure entries, and a
deprecation banner with the replacement.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode

from kgservice.config import Settings
from kgservice.namespaces import DCT, OWL, RDF, RDFS, SKOS, ontology_ns
from kgservice.store import Store
from kgservice.terms import describe
from kgservice.terms.collation import collation_key
from kgservice.terms.index import ConceptIndex, Picked, local_name, pick
from kgservice.texts import LANGUAGES

LABEL_PROPS = {SKOS + "prefLabel", SKOS + "altLabel", SKOS + "hiddenLabel", RDFS + "label"}
DEFINITION_PROPS = (SKOS + "definition", RDFS + "comment")
MAPPING_PROPS = tuple(
    SKOS + p for p in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")
)
HISTORY_PROPS = (
    SKOS + "changeNote",
    SKOS + "historyNote",
    DCT + "created",
    DCT + "modified",
    OWL + "versionInfo",
)
SCHEME_PROPS = (SKOS + "inScheme", SKOS + "topConceptOf")
HIERARCHY_PROPS = (SKOS + "broader", SKOS + "narrower", SKOS + "related")
#: Properties a section of their own shows, so "other properties" leaves them out.
SHOWN_IN_SECTIONS = frozenset(
    LABEL_PROPS
    | set(DEFINITION_PROPS)
    | set(MAPPING_PROPS)
    | set(HISTORY_PROPS)
    | set(SCHEME_PROPS)
    | set(HIERARCHY_PROPS)
    | {RDF + "type", SKOS + "notation", OWL + "deprecated"}
    | {DCT + "isReplacedBy", SKOS + "hasTopConcept"}
)

#: A resource's objects by predicate IRI, each object once, in store order.
ByProp = dict[str, list]


@dataclass
class Value:
    text: str
    lang: str = ""
    href: str | None = None
    iri: str | None = None
    fallback: bool = False
    external: bool = False


@dataclass
class PropGroup:
    prop: str
    label: Picked
    values: list[Value]


@dataclass
class EntryRow:
    order: str
    name: Value
    kind: Value | None
    obligation: Value | None
    repeatable: bool
    hidden: bool
    depth: int = 0


@dataclass
class ChangeRow:
    kind: str
    text: Value
    entry: Value | None


@dataclass
class ResourcePage:
    iri: str
    title: Picked
    types: list[Value] = field(default_factory=list)
    labels_by_lang: list[tuple[str, list[str], list[str]]] = field(default_factory=list)
    definition: Value | None = None
    notations: list[str] = field(default_factory=list)
    status: list[Value] = field(default_factory=list)
    broader: list[Value] = field(default_factory=list)
    narrower: list[Value] = field(default_factory=list)
    related: list[Value] = field(default_factory=list)
    schemes: list[Value] = field(default_factory=list)
    mappings: list[PropGroup] = field(default_factory=list)
    used_in: list[PropGroup] = field(default_factory=list)
    other: list[PropGroup] = field(default_factory=list)
    history: list[PropGroup] = field(default_factory=list)
    changes: list[ChangeRow] = field(default_factory=list)
    deprecated: bool = False
    replaced_by: list[Value] = field(default_factory=list)
    entries: list[EntryRow] | None = None
    entries_partial: bool = False
    #: A phenomenon's page: where it is recorded, the Sosmeta entries per structure version.
    recorded_in: list[tuple[Value, list[Value]]] = field(default_factory=list)
    #: An entry's page: the phenomena it records (``rake:usesConcept``).
    serves: list[Value] = field(default_factory=list)


class PageBuilder:
    """Builds the :class:`ResourcePage` of one resource in one language.

    ``page_href`` gives the address of a resource's page (the web layer's URL scheme), used for
    every link to a resource this service describes.
    """

    def __init__(
        self,
        index: ConceptIndex,
        settings: Settings,
        lang: str,
        page_href: Callable[[str], str],
    ) -> None:
        self.index = index
        self.settings = settings
        self.lang = lang
        self.page_href = page_href
        self.rake = ontology_ns(settings)

    def link(self, iri: str) -> Value:
        picked = self.index.label(iri, self.lang)
        local = iri.startswith(self.settings.base_iri)
        known = local or self.index.has_label(iri)
        return Value(
            text=picked.text,
            lang=picked.lang,
            fallback=picked.fallback,
            iri=iri,
            href=self.page_href(iri) if known else iri,
            external=not known,
        )

    def term(self, term: object) -> Value:
        if isinstance(term, NamedNode):
            return self.link(term.value)
        if isinstance(term, Literal):
            return Value(text=term.value, lang=term.language or "")
        if isinstance(term, BlankNode):
            return Value(text="[…]")
        return Value(text=str(term))

    def links(self, iris: list[str]) -> list[Value]:
        values = [self.link(i) for i in dict.fromkeys(iris)]
        return sorted(values, key=lambda v: collation_key(v.text))

    def groups(self, by_prop: ByProp, props: Iterable[str]) -> list[PropGroup]:
        out = []
        for prop in props:
            terms = by_prop.get(prop)
            if not terms:
                continue
            values = [self.term(t) for t in terms]
            values.sort(key=lambda v: collation_key(v.text))
            out.append(PropGroup(prop, self.index.label(prop, self.lang), values))
        return out

    def by_label(self, props: Iterable[str]) -> list[str]:
        """``props`` in the Finnish alphabetical order of their labels in the page language."""
        return sorted(props, key=lambda p: collation_key(self.index.label(p, self.lang).text))

    # -- the page, section by section ----------------------------------------------------------
    def build(self, store: Store, iri: str) -> ResourcePage:
        by_prop = self._own_values(store, iri)
        page = ResourcePage(iri=iri, title=self.index.label(iri, self.lang))
        page.types = self.links(_iris(by_prop, RDF + "type"))
        self._labels(page)
        self._definition(page, by_prop)
        page.notations = [o.value for o in by_prop.get(SKOS + "notation", [])]
        page.status = self.links(_iris(by_prop, self.rake + "status"))
        self._hierarchy(page, by_prop)
        page.schemes = self.links([i for p in SCHEME_PROPS for i in _iris(by_prop, p)])
        page.mappings = self.groups(by_prop, MAPPING_PROPS)
        page.history = self.groups(by_prop, HISTORY_PROPS)
        self._deprecation(page, by_prop)
        consumed = set(SHOWN_IN_SECTIONS) | {self.rake + "status"}
        if self.rake + "hasChange" in by_prop:
            consumed.add(self.rake + "hasChange")
            self._changes(store, page)
        if self.rake + "hasEntry" in by_prop:
            consumed.add(self.rake + "hasEntry")
            self._entries(store, page, by_prop)
        if self.rake + "usesConcept" in by_prop:
            consumed.add(self.rake + "usesConcept")
            page.serves = self.links(_iris(by_prop, self.rake + "usesConcept"))
        if self.rake + "Phenomenon" in _iris(by_prop, RDF + "type"):
            by_version: dict[str, list[str]] = defaultdict(list)
            for r in describe.phenomenon_entries(store, self.settings, iri):
                by_version[r.version].append(r.entry)
            page.recorded_in = [(self.link(v), self.links(e)) for v, e in by_version.items()]
        self._other(store, page, by_prop, consumed)
        self._used_in(page)
        return page

    def _own_values(self, store: Store, iri: str) -> ByProp:
        by_prop: ByProp = defaultdict(list)
        for predicate, obj in describe.own_triples(store, self.settings, iri):
            if obj not in by_prop[predicate.value]:
                by_prop[predicate.value].append(obj)
        return by_prop

    def _labels(self, page: ResourcePage) -> None:
        """Preferred and alternative labels, one row per language (fi, sv, en first)."""
        labels = self.index.labels.get(page.iri)
        if labels is None:
            return
        preferred = labels.preferred()
        langs = sorted(
            set(preferred) | set(labels.alt),
            key=lambda lg: (LANGUAGES.index(lg) if lg in LANGUAGES else 9, lg),
        )
        for lg in langs:
            pref = preferred.get(lg)
            page.labels_by_lang.append((lg, [pref] if pref else [], list(labels.alt.get(lg, []))))

    def _definition(self, page: ResourcePage, by_prop: ByProp) -> None:
        """skos:definition in the page language (with fallback), else rdfs:comment."""
        for prop in DEFINITION_PROPS:
            defs = {
                (o.language or ""): o.value for o in by_prop.get(prop, []) if isinstance(o, Literal)
            }
            picked = pick(defs, self.lang)
            if picked:
                page.definition = Value(picked.text, picked.lang, fallback=picked.fallback)
                return

    def _hierarchy(self, page: ResourcePage, by_prop: ByProp) -> None:
        """Broader, narrower (without deprecated ones) and related, stated either way round."""
        index = self.index
        concept = index.concepts.get(page.iri)
        broader = _iris(by_prop, SKOS + "broader")
        narrower = _iris(by_prop, SKOS + "narrower")
        if concept is not None:
            broader = list(dict.fromkeys(broader + concept.broader))
            narrower = list(dict.fromkeys(narrower + concept.narrower))
        narrower = [
            n for n in narrower if not (n in index.concepts and index.concepts[n].deprecated)
        ]
        page.broader = self.links(broader)
        page.narrower = self.links(narrower)
        related = _iris(by_prop, SKOS + "related")
        page.related = self.links(related + index.related.get(page.iri, []))

    def _deprecation(self, page: ResourcePage, by_prop: ByProp) -> None:
        page.deprecated = page.iri in self.index.deprecated or _is_true(
            by_prop.get(OWL + "deprecated", [])
        )
        replaced = _iris(by_prop, DCT + "isReplacedBy")
        page.replaced_by = self.links(replaced + self.index.deprecated.get(page.iri, []))

    def _changes(self, store: Store, page: ResourcePage) -> None:
        """The ``rake:hasChange`` history, each change's comment in the page language."""
        for ch in describe.changes(store, self.settings, page.iri):
            picked = pick(ch.comments, self.lang)
            text = (
                Value(picked.text, picked.lang, fallback=picked.fallback)
                if picked
                else Value(local_name(ch.iri))
            )
            entry = self.link(ch.entry) if ch.entry else None
            page.changes.append(ChangeRow(ch.kind or "", text, entry))

    def _entries(self, store: Store, page: ResourcePage, by_prop: ByProp) -> None:
        """A document structure's data entries, in document order, and whether it is partial."""
        rows = []
        for e in describe.structure_entries(store, self.settings, page.iri):
            kind_iri = e.component or e.data_type
            rows.append(
                EntryRow(
                    order=e.row or e.order or "",
                    name=self.link(e.iri),
                    kind=self.link(kind_iri) if kind_iri else None,
                    obligation=self.link(e.obligation) if e.obligation else None,
                    repeatable=e.repeatable,
                    hidden=e.hidden,
                    depth=e.depth,
                )
            )
        page.entries = rows
        page.entries_partial = _is_true(by_prop.get(self.rake + "partial", []))

    def _other(self, store: Store, page: ResourcePage, by_prop: ByProp, consumed: set[str]) -> None:
        """Every outgoing link no other section shows; blank ``owl:unionOf`` classes are
        replaced by their members."""
        if any(isinstance(o, BlankNode) for vals in by_prop.values() for o in vals):
            for prop, members in describe.union_members(store, self.settings, page.iri).items():
                kept = [o for o in by_prop.get(prop, []) if not isinstance(o, BlankNode)]
                by_prop[prop] = kept + [NamedNode(m) for m in members]
        page.other = self.groups(by_prop, self.by_label(p for p in by_prop if p not in consumed))

    def _used_in(self, page: ResourcePage) -> None:
        """Incoming links from the index, by property (a structure's entries are shown apart)."""
        apart = {self.rake + "hasEntry"}  # a structure's entries are shown apart
        if page.recorded_in:
            apart.add(self.rake + "usesConcept")  # so are the entries recording a phenomenon
        incoming: ByProp = defaultdict(list)
        for prop, subject in self.index.incoming.get(page.iri, ()):
            if prop not in apart:
                incoming[prop].append(NamedNode(subject))
        page.used_in = self.groups(incoming, self.by_label(incoming))


def _iris(by_prop: ByProp, prop: str) -> list[str]:
    return [o.value for o in by_prop.get(prop, [])]


def _is_true(objects: list) -> bool:
    return any(isinstance(o, Literal) and o.value in ("true", "1") for o in objects)
