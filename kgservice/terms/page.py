"""Turns a resource's description into what its HTML page shows, section by section.

Sections: a breadcrumb (vocabulary › broader … › concept), labels in every language,
definition, notation, status, hierarchy (broader / narrower / related), schemes, mappings
(external concepts by their bundled labels), where it is used (incoming links), other properties
(outgoing links, the other half of the traceability chain), technical details (build and
computation internals, shown collapsed), change history, document-structure entries, a
deprecation banner with the replacement, and for an indicator, region or phenomenon the view
that shows its figures.

Statistical records (observations, indicator values, slices) are never listed: the "where it is
used" index never reads them (``queries/web/links-in-record-graph.rq``) and a page links to the
views instead. A language-tagged literal shows once, in the page language (with fallback).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode

from kgservice.config import Settings
from kgservice.namespaces import DCT, OWL, RDF, RDFS, SKOS, XSD, ontology_ns
from kgservice.queries import select
from kgservice.store import Store
from kgservice.terms import describe, skos
from kgservice.terms.collation import collation_key
from kgservice.terms.index import ConceptIndex, Picked, local_name, pick
from kgservice.texts import LANGUAGES, translate

LABEL_PROPS = {SKOS + "prefLabel", SKOS + "altLabel", SKOS + "hiddenLabel", RDFS + "label"}
DEFINITION_PROPS = (SKOS + "definition", RDFS + "comment")
MAPPING_PROPS = tuple(
    SKOS + p for p in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")
)
HISTORY_PROPS = (
    SKOS + "changeNote",
    SKOS + "historyNote",
    SKOS + "editorialNote",
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

#: ``rake:`` properties of the build and the computation, shown in the collapsed "technical
#: details" block: what a reader of the concept does not need, a developer may.
TECHNICAL_NAMES = (
    "computedBy",
    "isIndex",
    "aggregationRule",
    "numerator",
    "denominator",
    "multiplier",
    "publishedVariable",
    "sotkanetRegionId",
    "sotkanetFormerRegionId",
    "sotkanetRegionCategory",
    "isWellbeingServicesCounty",
    "classificationYear",
    "inArea",
)
XSD_BOOLEAN = XSD + "boolean"
#: Namespaces of the external vocabularies the ontology maps to → the name shown after a label.
EXTERNAL_VOCABULARIES = {"http://www.yso.fi/onto/yso/": "YSO"}
#: The view showing the figures of a resource, by its class (``rake:`` local name).
FIGURES_VIEWS = {
    "Indicator": "phenomenon-view",
    "Region": "situation-picture",
    "Phenomenon": "phenomenon-in-brief",
}

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
    #: the status of the project's Swedish and English translations (rake:translationStatus)
    translation_status: list[Value] = field(default_factory=list)
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
    technical: list[PropGroup] = field(default_factory=list)
    #: The vocabulary, then the broader chain from the top down (the concept itself not included).
    breadcrumb: list[Value] = field(default_factory=list)
    #: ``(view, parameters)`` of the view showing the resource's figures, if any.
    figures: tuple[str, dict[str, str]] | None = None
    #: A phenomenon's page: where it is recorded, the Sosmeta entries per structure version.
    recorded_in: list[tuple[Value, list[Value]]] = field(default_factory=list)
    #: An entry's page: the phenomena it records (``rake:usesConcept``).
    serves: list[Value] = field(default_factory=list)
    #: Narrower concepts that are members of a SKOS collection, shown apart from the others
    #: under the collection's label (Åland under the whole country: "Outside the cooperation
    #: areas"), and the collections the concept itself is a member of.
    narrower_groups: list[tuple[Value, list[Value]]] = field(default_factory=list)
    member_of: list[Value] = field(default_factory=list)


class PageBuilder:
    """Builds the :class:`ResourcePage` of one resource in one language.

    ``page_href`` gives the address of a resource's page (the web layer's URL scheme), used for
    every link to a resource this service describes; ``vocab_href`` that of a vocabulary (by id).
    """

    def __init__(
        self,
        index: ConceptIndex,
        settings: Settings,
        lang: str,
        page_href: Callable[[str], str],
        vocab_href: Callable[[str], str] | None = None,
    ) -> None:
        self.index = index
        self.settings = settings
        self.lang = lang
        self.page_href = page_href
        self.vocab_href = vocab_href or (lambda vid: f"/vocab/{vid}/")
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
        if isinstance(term, Literal) and term.datatype.value == XSD_BOOLEAN:
            return Value(text=translate("yes" if term.value in ("true", "1") else "no", self.lang))
        if isinstance(term, Literal):
            return Value(text=term.value, lang=term.language or "")
        if isinstance(term, BlankNode):
            return Value(text="[…]")
        return Value(text=str(term))

    def links(self, iris: list[str]) -> list[Value]:
        values = [self.link(i) for i in dict.fromkeys(iris)]
        return sorted(values, key=lambda v: collation_key(v.text))

    def external(self, iri: str) -> Value:
        """A mapped concept of another vocabulary: its bundled label and the vocabulary's name
        ("asunnottomuus (YSO)"), linking to the concept itself."""
        name = next((n for ns, n in EXTERNAL_VOCABULARIES.items() if iri.startswith(ns)), None)
        if not self.index.has_label(iri):
            return Value(text=iri, href=iri, iri=iri, external=True)
        picked = self.index.label(iri, self.lang)
        text = f"{picked.text} ({name})" if name else picked.text
        return Value(text, picked.lang, iri, iri, picked.fallback, external=True)

    def literals(self, terms: list) -> list:
        """``terms`` with the language-tagged literals reduced to one, in the page language
        (with fallback): "%"@fi, "%"@sv and "%"@en show as one "%"."""
        tagged = {t.language: t for t in terms if isinstance(t, Literal) and t.language}
        if len(tagged) < 2:
            return terms
        picked = pick({lg: t.value for lg, t in tagged.items()}, self.lang)
        kept = tagged[picked.lang] if picked else None
        return [t for t in terms if not (isinstance(t, Literal) and t.language) or t is kept]

    def groups(self, by_prop: ByProp, props: Iterable[str]) -> list[PropGroup]:
        out = []
        for prop in props:
            terms = by_prop.get(prop)
            if not terms:
                continue
            if prop in MAPPING_PROPS:
                values = [
                    self.external(t.value) if isinstance(t, NamedNode) else self.term(t)
                    for t in terms
                ]
            else:
                values = [self.term(t) for t in self.literals(terms)]
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
        page.translation_status = self.links(_iris(by_prop, self.rake + "translationStatus"))
        self._hierarchy(page, by_prop)
        self._collections(store, page)
        page.schemes = self.links([i for p in SCHEME_PROPS for i in _iris(by_prop, p)])
        page.mappings = self.groups(by_prop, MAPPING_PROPS)
        page.history = self.groups(by_prop, HISTORY_PROPS)
        self._deprecation(page, by_prop)
        consumed = set(SHOWN_IN_SECTIONS) | {self.rake + "status", self.rake + "translationStatus"}
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
        self._breadcrumb(page)
        page.figures = self._figures(page.iri, by_prop)
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

    def _collections(self, store: Store, page: ResourcePage) -> None:
        """Move narrower concepts that belong to a SKOS collection into a group of their own
        (``queries/web/collection-groups.rq``); the hierarchy itself is unchanged."""
        rows = select(
            store, self.settings.queries_dir, "web/collection-groups", concept=NamedNode(page.iri)
        )
        groups: dict[str, list[str]] = defaultdict(list)
        for r in rows:
            member, collection = r["member"].value, r["collection"].value
            if member == page.iri:
                page.member_of.append(self.link(collection))
            elif any(n.iri == member for n in page.narrower):
                groups[collection].append(member)
        grouped = {m for members in groups.values() for m in members}
        page.narrower = [n for n in page.narrower if n.iri not in grouped]
        page.narrower_groups = [(self.link(c), self.links(ms)) for c, ms in groups.items()]

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
        technical = {self.rake + n for n in TECHNICAL_NAMES}
        for vals in by_prop.values():  # a resource is never shown linked to itself
            vals[:] = [o for o in vals if not (isinstance(o, NamedNode) and o.value == page.iri)]
        shown = [p for p in by_prop if p not in consumed and by_prop[p]]
        page.other = self.groups(by_prop, self.by_label(p for p in shown if p not in technical))
        page.technical = self.groups(by_prop, self.by_label(p for p in shown if p in technical))

    def _used_in(self, page: ResourcePage) -> None:
        """Incoming links from the index, by property (a structure's entries are shown apart, and
        so are the entries recording a phenomenon; technical links such as the region closure
        ``rake:inArea`` are left out: the narrower concepts show the regions inside)."""
        left_out = {self.rake + "hasEntry"} | {self.rake + n for n in TECHNICAL_NAMES}
        if page.recorded_in:
            left_out.add(self.rake + "usesConcept")
        incoming: ByProp = defaultdict(list)
        for prop, subject in self.index.incoming.get(page.iri, ()):
            if prop not in left_out and subject != page.iri:
                incoming[prop].append(NamedNode(subject))
        page.used_in = self.groups(incoming, self.by_label(incoming))

    def _breadcrumb(self, page: ResourcePage) -> None:
        """The concept's vocabulary, then its broader concepts from the top down (the first
        broader concept in label order at each step, within the vocabulary)."""
        concept = self.index.concepts.get(page.iri)
        if concept is None or not concept.vocabs:
            return
        vid = concept.vocabs[0]
        chain = skos.broader_chain(self.index, page.iri, vid)
        path: list[str] = []
        current = page.iri
        while chain.get(current):
            parents = self.index.sorted_iris(chain[current], self.lang)
            current = next((p for p in parents if p not in path and p != page.iri), "")
            if not current:
                break
            path.insert(0, current)
        title = self.index.vocab_title(vid, self.lang)
        vocab = Value(title.text, title.lang, href=self.vocab_href(vid), fallback=title.fallback)
        page.breadcrumb = [vocab] + [self.link(i) for i in path]

    def _figures(self, iri: str, by_prop: ByProp) -> tuple[str, dict[str, str]] | None:
        """The view showing the figures: an indicator's phenomenon view, a region's situation
        picture, a phenomenon's phenomenon in brief."""
        kinds = {local_name(t) for t in _iris(by_prop, RDF + "type") if t.startswith(self.rake)}
        view = next((FIGURES_VIEWS[k] for k in FIGURES_VIEWS if k in kinds), None)
        if view == "phenomenon-view":
            measured = _iris(by_prop, self.rake + "measures")
            return (view, {"phenomenon": local_name(measured[0])}) if measured else None
        if view == "situation-picture":
            notations = by_prop.get(SKOS + "notation")
            return (view, {"area": notations[0].value}) if notations else None
        if view == "phenomenon-in-brief":
            return (view, {"phenomenon": local_name(iri)})
        return None


def _iris(by_prop: ByProp, prop: str) -> list[str]:
    return [o.value for o in by_prop.get(prop, [])]


def _is_true(objects: list) -> bool:
    return any(isinstance(o, Literal) and o.value in ("true", "1") for o in objects)
