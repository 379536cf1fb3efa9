"""Turns a resource's description into what its HTML page shows, section by section.

Sections: labels in every language, definition, notation, status, hierarchy (broader / narrower /
related), schemes, mappings, where it is used (incoming links), other properties (outgoing links,
the other half of the traceability chain), change history, document-structure entries, and a
deprecation banner with the replacement.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode

from kgservice.config import Settings
from kgservice.namespaces import DCT, OWL, RDF, RDFS, SKOS, ontology_ns
from kgservice.texts import LANGUAGES
from kgservice.web import describe
from kgservice.web.conneg import RDF_TYPES, data_url, page_url
from kgservice.web.i18n import collation_key
from kgservice.web.labels import ConceptIndex, Picked, local_name, pick

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
    downloads: list[tuple[str, str, str]] = field(default_factory=list)


class PageBuilder:
    def __init__(self, index: ConceptIndex, settings: Settings, lang: str) -> None:
        self.index = index
        self.settings = settings
        self.lang = lang

    def link(self, iri: str) -> Value:
        picked = self.index.label(iri, self.lang)
        local = iri.startswith(self.settings.base_iri)
        known = local or self.index.has_label(iri)
        return Value(
            text=picked.text,
            lang=picked.lang,
            fallback=picked.fallback,
            iri=iri,
            href=page_url(iri, self.lang) if known else iri,
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

    def groups(self, by_prop: dict[str, list], props) -> list[PropGroup]:
        out = []
        for prop in props:
            terms = by_prop.get(prop)
            if not terms:
                continue
            values = [self.term(t) for t in terms]
            values.sort(key=lambda v: collation_key(v.text))
            out.append(PropGroup(prop, self.index.label(prop, self.lang), values))
        return out

    def build(self, store, iri: str) -> ResourcePage:
        by_prop: dict[str, list] = defaultdict(list)
        for predicate, obj in describe.own_triples(store, self.settings, iri):
            if obj not in by_prop[predicate.value]:
                by_prop[predicate.value].append(obj)
        index = self.index
        page = ResourcePage(iri=iri, title=index.label(iri, self.lang))
        page.types = self.links([o.value for o in by_prop.get(RDF + "type", [])])

        labels = index.labels.get(iri)
        if labels is not None:
            langs = sorted(
                set(labels.preferred()) | set(labels.alt),
                key=lambda lg: (LANGUAGES.index(lg) if lg in LANGUAGES else 9, lg),
            )
            for lg in langs:
                pref = labels.preferred().get(lg)
                page.labels_by_lang.append(
                    (lg, [pref] if pref else [], list(labels.alt.get(lg, [])))
                )

        for prop in DEFINITION_PROPS:
            defs = {
                (o.language or ""): o.value for o in by_prop.get(prop, []) if isinstance(o, Literal)
            }
            picked = pick(defs, self.lang)
            if picked:
                page.definition = Value(picked.text, picked.lang, fallback=picked.fallback)
                break
        page.notations = [o.value for o in by_prop.get(SKOS + "notation", [])]
        status_prop = ontology_ns(self.settings) + "status"
        page.status = self.links([o.value for o in by_prop.get(status_prop, [])])

        concept = index.concepts.get(iri)
        broader = [o.value for o in by_prop.get(SKOS + "broader", [])]
        narrower = [o.value for o in by_prop.get(SKOS + "narrower", [])]
        if concept is not None:
            broader = list(dict.fromkeys(broader + concept.broader))
            narrower = list(dict.fromkeys(narrower + concept.narrower))
        narrower = [
            n for n in narrower if not (n in index.concepts and index.concepts[n].deprecated)
        ]
        page.broader = self.links(broader)
        page.narrower = self.links(narrower)
        related = [o.value for o in by_prop.get(SKOS + "related", [])]
        page.related = self.links(related + index.related.get(iri, []))
        schemes = [o.value for p in SCHEME_PROPS for o in by_prop.get(p, [])]
        page.schemes = self.links(schemes)
        page.mappings = self.groups(by_prop, MAPPING_PROPS)
        page.history = self.groups(by_prop, HISTORY_PROPS)

        deprecated = iri in index.deprecated or any(
            isinstance(o, Literal) and o.value in ("true", "1")
            for o in by_prop.get(OWL + "deprecated", [])
        )
        page.deprecated = deprecated
        replaced = [o.value for o in by_prop.get(DCT + "isReplacedBy", [])]
        page.replaced_by = self.links(replaced + index.deprecated.get(iri, []))

        has_entry = ontology_ns(self.settings) + "hasEntry"
        consumed = (
            LABEL_PROPS
            | set(DEFINITION_PROPS)
            | set(MAPPING_PROPS)
            | set(HISTORY_PROPS)
            | set(SCHEME_PROPS)
            | set(HIERARCHY_PROPS)
            | {RDF + "type", SKOS + "notation", status_prop, OWL + "deprecated"}
            | {DCT + "isReplacedBy", SKOS + "hasTopConcept"}
        )
        has_change = ontology_ns(self.settings) + "hasChange"
        if has_change in by_prop:
            consumed.add(has_change)
            for ch in describe.changes(store, self.settings, iri):
                picked = pick(ch.comments, self.lang)
                text = (
                    Value(picked.text, picked.lang, fallback=picked.fallback)
                    if picked
                    else Value(local_name(ch.iri))
                )
                entry = self.link(ch.entry) if ch.entry else None
                page.changes.append(ChangeRow(ch.kind or "", text, entry))
        if has_entry in by_prop:
            consumed.add(has_entry)
            self._entries(store, page, by_prop)
        if any(isinstance(o, BlankNode) for vals in by_prop.values() for o in vals):
            for prop, members in describe.union_members(store, self.settings, iri).items():
                kept = [o for o in by_prop.get(prop, []) if not isinstance(o, BlankNode)]
                by_prop[prop] = kept + [NamedNode(m) for m in members]
        other_props = sorted(
            (p for p in by_prop if p not in consumed),
            key=lambda p: collation_key(index.label(p, self.lang).text),
        )
        page.other = self.groups(by_prop, other_props)

        incoming: dict[str, list] = defaultdict(list)
        for prop, subject in index.incoming.get(iri, ()):
            if prop != has_entry:
                incoming[prop].append(NamedNode(subject))
        page.used_in = self.groups(
            incoming,
            sorted(incoming, key=lambda p: collation_key(index.label(p, self.lang).text)),
        )
        page.downloads = [(t.label, t.media_type, data_url(iri, t.ext)) for t in RDF_TYPES]
        return page

    def _entries(self, store, page: ResourcePage, by_prop: dict[str, list]) -> None:
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
        partial = by_prop.get(ontology_ns(self.settings) + "partial", [])
        page.entries_partial = any(
            isinstance(o, Literal) and o.value in ("true", "1") for o in partial
        )
