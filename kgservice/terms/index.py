"""The concept index: the in-memory read model of vocabularies, concepts, labels and hierarchy.

Built once per store build from the queries in ``queries/web/`` (never from the private client
graphs) and shared by every request; the term pages, the search and the Skosmos REST API read it.
A *vocabulary* is a SKOS concept scheme (its id is the slug after ``scheme/``) or the OWL model
(id ``ontology``: the classes and properties under ``<base>ontology/``).
"""

from __future__ import annotations

import gc
import logging
import threading
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from kgservice.config import Settings
from kgservice.iris import graph_iri
from kgservice.namespaces import RDFS, SKOS, ontology_ns
from kgservice.queries import select
from kgservice.store import Store
from kgservice.store.served import BuildVersion
from kgservice.terms.collation import collation_key, index_letter
from kgservice.terms.search import LabelEntry, SearchIndex
from kgservice.texts import FALLBACK_LANG, TERM_LABELS

log = logging.getLogger(__name__)

ONTOLOGY_VOCAB = "ontology"
#: Links shown in a page's "where it is used" section, at most (by property, then subject).
MAX_INCOMING = 500

_LABEL_KIND = {
    SKOS + "prefLabel": "pref",
    SKOS + "altLabel": "alt",
    SKOS + "hiddenLabel": "hidden",
    RDFS + "label": "rdfs",
}


@dataclass
class Labels:
    """The labels of one resource by kind and language (``""`` for untagged literals)."""

    pref: dict[str, str] = field(default_factory=dict)
    alt: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    hidden: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    rdfs: dict[str, str] = field(default_factory=dict)

    def preferred(self) -> dict[str, str]:
        """skos:prefLabel per language, rdfs:label where there is no prefLabel."""
        out = dict(self.rdfs)
        out.update(self.pref)
        return out


@dataclass(frozen=True)
class Picked:
    """A label chosen for a language; ``lang`` differs from the requested one on fallback."""

    text: str
    lang: str
    fallback: bool

    def __str__(self) -> str:
        return self.text


@dataclass
class Concept:
    iri: str
    vocabs: list[str] = field(default_factory=list)
    top_of: list[str] = field(default_factory=list)
    broader: list[str] = field(default_factory=list)
    narrower: list[str] = field(default_factory=list)
    kind: str = SKOS + "Concept"
    notation: str | None = None
    deprecated: bool = False
    replaced_by: list[str] = field(default_factory=list)
    #: 0 the concept model; 1 a catalogue indicator without figures; 2 a dated version of a
    #: document structure (``web/search-tiers``): the search ranks higher tiers later at a tie.
    tier: int = 0


@dataclass
class Vocabulary:
    id: str
    iri: str
    kind: str  # "scheme" | "ontology"
    concepts: list[str] = field(default_factory=list)
    tops: list[str] = field(default_factory=list)

    @property
    def active_count(self) -> int:
        return len(self.concepts)


#: The one fallback order of every page, file and REST answer when a label or a definition is
#: missing in the language asked for (README "Languages"): Finnish, untagged, English, Swedish,
#: then any other language in alphabetical order of its tag.
FALLBACK_ORDER: tuple[str, ...] = (FALLBACK_LANG, "", "en", "sv")


def pick(labels: dict[str, str], lang: str) -> Picked | None:
    """The label in ``lang``, else the first of :data:`FALLBACK_ORDER`, else any (marked as a
    fallback)."""
    if lang in labels:
        return Picked(labels[lang], lang, False)
    for other in FALLBACK_ORDER:
        if other in labels:
            return Picked(labels[other], other, True)
    if labels:
        other = sorted(labels)[0]
        return Picked(labels[other], other, True)
    return None


def local_name(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri.rstrip("/#"):
            return iri.rstrip("/#").rsplit(sep, 1)[1]
    return iri


class ConceptIndex:
    """Everything the browser needs about vocabularies, held in memory for one store build."""

    #: The label search over this index (made at the end of :meth:`load`).
    search: SearchIndex

    def __init__(self, build_id: str, built_at: float) -> None:
        self.build_id = build_id
        self.built_at = built_at
        self.labels: dict[str, Labels] = defaultdict(Labels)
        self.vocabularies: dict[str, Vocabulary] = {}
        self.concepts: dict[str, Concept] = {}
        self.deprecated: dict[str, list[str]] = {}
        self.notations: dict[str, str] = {}
        self.types: dict[str, list[str]] = defaultdict(list)
        self.related: dict[str, list[str]] = defaultdict(list)
        self.scheme_vocab: dict[str, str] = {}
        #: resource → (property, subject) of the links pointing at it ("where it is used").
        self.incoming: dict[str, list[tuple[str, str]]] = {}
        #: resource → language → skos:definition (one per language; the search's snippets).
        self.definitions: dict[str, dict[str, str]] = defaultdict(dict)
        #: resource → its lifecycle status concept (rake:status; the search's status facet).
        self.statuses: dict[str, str] = {}
        #: resource → the status of the project's translations of its texts
        #: (rake:translationStatus; counted under the status facet too)
        self.translation_statuses: dict[str, str] = {}

    # -- building -------------------------------------------------------------------------------
    @classmethod
    def load(cls, store: Store, settings: Settings, build_id: str, built_at: float):
        index = cls(build_id, built_at)
        qdir = settings.queries_dir
        private = Literal(graph_iri(settings, "client") + "/")
        for row in select(store, qdir, "web/labels", private=private):
            kind = _LABEL_KIND[row["property"].value]
            label = row["label"]
            lang = getattr(label, "language", None) or ""
            entry = index.labels[row["resource"].value]
            if kind == "pref":
                entry.pref.setdefault(lang, label.value)
            elif kind == "rdfs":
                entry.rdfs.setdefault(lang, label.value)
            else:
                texts = getattr(entry, kind)[lang]
                if label.value not in texts:
                    texts.append(label.value)
        for row in select(store, qdir, "web/notations", private=private):
            index.notations.setdefault(row["resource"].value, row["notation"].value)
        deprecations = select(store, qdir, "web/deprecated-flagged", private=private)
        deprecations += select(
            store,
            qdir,
            "web/deprecated-by-status",
            private=private,
            status=Literal(settings.base_iri + "concept/status/"),
            rakestatus=NamedNode(ontology_ns(settings) + "status"),
        )
        for row in deprecations:
            repl = index.deprecated.setdefault(row["resource"].value, [])
            if "replacement" in row and row["replacement"].value not in repl:
                repl.append(row["replacement"].value)
        for row in select(store, qdir, "web/concept-types", private=private):
            index.types[row["resource"].value].append(row["type"].value)
        index._load_schemes(store, settings, private)
        index._load_ontology(store, settings, private)
        index._load_hierarchy(store, settings, private)
        index._load_related(store, settings, private)
        index._load_incoming(store, settings)
        index._load_definitions_and_statuses(store, settings, private)
        for row in select(store, qdir, "web/search-tiers", private=private):
            concept = index.concepts.get(row["concept"].value)
            if concept is not None:
                concept.tier = int(row["tier"].value)
        index._finish()
        index.search = SearchIndex(index.label_entries())
        return index

    def label_entries(self) -> Iterator[LabelEntry]:
        """Every label of every concept not deprecated, for the search (rdfs:label where a
        concept has no skos:prefLabel; the notation as a label of its own)."""
        for iri, concept in self.concepts.items():
            if concept.deprecated:
                continue
            labels = self.labels.get(iri)
            if labels is None:
                continue
            vocabs = tuple(concept.vocabs)
            links = len(self.incoming.get(iri, ()))
            items: list[tuple[str, str, str]] = [("pref", lg, t) for lg, t in labels.pref.items()]
            items += [("alt", lg, t) for lg, ts in labels.alt.items() for t in ts]
            items += [("hidden", lg, t) for lg, ts in labels.hidden.items() for t in ts]
            if not labels.pref:
                items += [("pref", lg, t) for lg, t in labels.rdfs.items()]
            if concept.notation:
                items.append(("notation", "", concept.notation))
            for kind, lang, text in items:
                yield LabelEntry(iri, kind, lang, text, vocabs, concept.tier, links)

    def _vocab_id(self, scheme: str, settings: Settings) -> str:
        prefix = settings.base_iri + "scheme/"
        slug = scheme[len(prefix) :] if scheme.startswith(prefix) else local_name(scheme)
        slug = slug.strip("/").replace("/", "-") or "scheme"
        base, n = slug, 2
        while slug in self.vocabularies or slug == ONTOLOGY_VOCAB:
            slug, n = f"{base}-{n}", n + 1
        return slug

    def _load_schemes(self, store: Store, settings: Settings, private: Literal) -> None:
        qdir = settings.queries_dir
        for row in select(store, qdir, "web/schemes", private=private):
            scheme = row["scheme"].value
            if scheme not in self.scheme_vocab:
                vid = self._vocab_id(scheme, settings)
                self.scheme_vocab[scheme] = vid
                self.vocabularies[vid] = Vocabulary(vid, scheme, "scheme")
            if "label" in row:
                lab = row["label"]
                self.labels[scheme].pref.setdefault(getattr(lab, "language", None) or "", lab.value)
        for row in select(store, qdir, "web/scheme-members", private=private):
            scheme = row["scheme"].value
            known = self.scheme_vocab.get(scheme)
            if known is not None:
                vid = known
            else:  # skos:inScheme pointing at an undeclared scheme
                vid = self._vocab_id(scheme, settings)
                self.scheme_vocab[scheme] = vid
                self.vocabularies[vid] = Vocabulary(vid, scheme, "scheme")
            iri = row["concept"].value
            concept = self.concepts.setdefault(iri, Concept(iri))
            if vid not in concept.vocabs:
                concept.vocabs.append(vid)
            if row["top"].value == "true" and vid not in concept.top_of:
                concept.top_of.append(vid)

    def _load_ontology(self, store: Store, settings: Settings, private: Literal) -> None:
        qdir = settings.queries_dir
        ns = ontology_ns(settings)
        rows = select(store, qdir, "web/ontology-terms", ns=Literal(ns), private=private)
        if not rows:
            return
        onto_iri = ns.rstrip("/")
        for row in select(store, qdir, "web/ontologies", private=private):
            if row["ontology"].value.startswith(settings.base_iri):
                onto_iri = row["ontology"].value
                break
        vocab = Vocabulary(ONTOLOGY_VOCAB, onto_iri, "ontology")
        self.vocabularies[ONTOLOGY_VOCAB] = vocab
        self.scheme_vocab[onto_iri] = ONTOLOGY_VOCAB
        parents: dict[str, set[str]] = defaultdict(set)
        for row in rows:
            iri = row["term"].value
            concept = self.concepts.get(iri)
            if concept is None:
                concept = self.concepts[iri] = Concept(iri, kind=row["kind"].value)
            elif concept.kind == SKOS + "Concept":
                concept.kind = row["kind"].value
            if ONTOLOGY_VOCAB not in concept.vocabs:
                concept.vocabs.append(ONTOLOGY_VOCAB)
            if "parent" in row:
                parents[iri].add(row["parent"].value)
        for iri, ps in parents.items():
            for p in sorted(ps):
                if p in self.concepts and p not in self.concepts[iri].broader:
                    self.concepts[iri].broader.append(p)
        for concept in self.concepts.values():
            if ONTOLOGY_VOCAB in concept.vocabs and not concept.broader:
                concept.top_of.append(ONTOLOGY_VOCAB)

    def _load_hierarchy(self, store: Store, settings: Settings, private: Literal) -> None:
        for row in select(store, settings.queries_dir, "web/broader-pairs", private=private):
            child, parent = row["concept"].value, row["broader"].value
            if child in self.concepts and parent in self.concepts:
                if parent not in self.concepts[child].broader:
                    self.concepts[child].broader.append(parent)

    def _load_related(self, store: Store, settings: Settings, private: Literal) -> None:
        for row in select(store, settings.queries_dir, "web/related-pairs", private=private):
            a, b = row["concept"].value, row["related"].value
            if a in self.concepts and b not in self.related[a]:
                self.related[a].append(b)

    def _load_incoming(self, store: Store, settings: Settings) -> None:
        """Who links to what, for every resource: one query per public graph, once per build.

        The statistical records (tens of thousands of observations and indicator values pointing
        at the same status, indicator or region) are never scanned: graphs holding records are
        read through the types of their other resources (``queries/web/links-in-record-graph``).
        Asking the store per page instead took up to 17 s for a status concept. The build's
        ``graph/indicator-values`` holds nothing but records (every subject an indicator value
        or a slice: :mod:`kgservice.indicators.materialise`) and is not read at all: its types
        alone grew with every indicator and year (1.8 s of the warm-up at 25 × 20 years).
        """
        qdir = settings.queries_dir
        private = graph_iri(settings, "client") + "/"
        records_only = graph_iri(settings, "indicator-values")
        record_graphs = {r["g"].value for r in select(store, qdir, "web/record-graphs")}
        links: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for graph in store.graphs():
            if graph.startswith(private) or graph == records_only:
                continue
            name = "web/links-in-record-graph" if graph in record_graphs else "web/links-in-graph"
            for row in select(store, qdir, name, g=NamedNode(graph)):
                links[row["resource"].value].add((row["property"].value, row["subject"].value))
        self.incoming = {iri: sorted(pairs)[:MAX_INCOMING] for iri, pairs in links.items()}

    def _load_definitions_and_statuses(
        self, store: Store, settings: Settings, private: Literal
    ) -> None:
        qdir = settings.queries_dir
        for row in select(store, qdir, "web/definitions", private=private):
            definition = row["definition"]
            lang = getattr(definition, "language", None) or ""
            self.definitions[row["resource"].value].setdefault(lang, definition.value)
        rakestatus = NamedNode(ontology_ns(settings) + "status")
        for row in select(store, qdir, "web/statuses", private=private, rakestatus=rakestatus):
            self.statuses.setdefault(row["resource"].value, row["status"].value)
        translated = NamedNode(ontology_ns(settings) + "translationStatus")
        for row in select(store, qdir, "web/statuses", private=private, rakestatus=translated):
            self.translation_statuses.setdefault(row["resource"].value, row["status"].value)

    def _finish(self) -> None:
        for iri, repl in self.deprecated.items():
            if iri in self.concepts:
                self.concepts[iri].deprecated = True
                self.concepts[iri].replaced_by = repl
        for iri, concept in self.concepts.items():
            concept.notation = self.notations.get(iri)
            for parent in concept.broader:
                self.concepts[parent].narrower.append(iri)
        for vocab in self.vocabularies.values():
            vocab.concepts = []
            vocab.tops = []
        for iri, concept in self.concepts.items():
            if concept.deprecated:
                continue
            for vid in concept.vocabs:
                vocab = self.vocabularies[vid]
                vocab.concepts.append(iri)
                in_vocab_parents = [
                    p
                    for p in concept.broader
                    if vid in self.concepts[p].vocabs and not self.concepts[p].deprecated
                ]
                if vid in concept.top_of or (vocab.kind == "scheme" and not in_vocab_parents):
                    vocab.tops.append(iri)
        for vocab in self.vocabularies.values():
            has_declared_tops = any(
                vid == vocab.id for c in vocab.tops for vid in self.concepts[c].top_of
            )
            if has_declared_tops and vocab.kind == "scheme":
                vocab.tops = [c for c in vocab.tops if vocab.id in self.concepts[c].top_of]
            vocab.tops.sort(key=lambda c: collation_key(self.label(c, FALLBACK_LANG).text))

    # -- reading --------------------------------------------------------------------------------
    def label(self, iri: str, lang: str) -> Picked:
        """The display label of any resource in ``lang`` (with fallback); the IRI's tail if none."""
        found = self.labels.get(iri)
        picked = pick(found.preferred(), lang) if found else None
        if picked is None and iri in TERM_LABELS:
            picked = pick(TERM_LABELS[iri], lang)
        if picked is None:
            notation = self.notations.get(iri)
            return Picked(notation or local_name(iri), "", False)
        return picked

    def types_of(self, iri: str) -> list[str]:
        concept = self.concepts.get(iri)
        found = list(self.types.get(iri, []))
        if concept is not None and concept.kind not in found:
            found.insert(0, concept.kind)
        return found

    def has_label(self, iri: str) -> bool:
        return iri in self.labels

    def vocab_title(self, vid: str, lang: str) -> Picked:
        vocab = self.vocabularies[vid]
        found = self.labels.get(vocab.iri)
        picked = pick(found.preferred(), lang) if found else None
        return picked or Picked(vid, "", False)

    def active_children(self, iri: str, vid: str | None = None) -> list[str]:
        kids = [
            c
            for c in self.concepts[iri].narrower
            if not self.concepts[c].deprecated and (vid is None or vid in self.concepts[c].vocabs)
        ]
        return kids

    def sorted_iris(self, iris: list[str], lang: str) -> list[str]:
        return sorted(iris, key=lambda c: collation_key(self.label(c, lang).text))

    def alphabetical(self, vid: str, lang: str) -> list[tuple[str, Picked, str]]:
        """``(index letter, label, iri)`` of every active concept of vocabulary ``vid``, in
        Finnish alphabetical order of the labels in ``lang``."""
        entries = []
        for iri in self.vocabularies[vid].concepts:
            picked = self.label(iri, lang)
            entries.append((index_letter(picked.text), picked, iri))
        entries.sort(key=lambda e: collation_key(e[1].text))
        return entries

    def sorted_vocabularies(self, lang: str) -> list[Vocabulary]:
        return sorted(
            self.vocabularies.values(),
            key=lambda v: (v.kind == "ontology", collation_key(self.vocab_title(v.id, lang).text)),
        )


class IndexHolder:
    """Keeps the :class:`ConceptIndex` of each build served, keyed on its build id.

    An index is built on first use for a build (that request waits; a new build is answered
    from its own index on the very next request). The previous build's index is kept too, so a
    request that began on it finishes on it, then dropped when a third build comes.
    """

    #: Indexes kept: the build served now and the one before it.
    KEEP = 2

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._indexes: dict[str, ConceptIndex] = {}
        self._last: ConceptIndex | None = None

    @property
    def current(self) -> ConceptIndex | None:
        """The index built last (``None`` before the first build)."""
        return self._last

    def get(self, store: Store, version: BuildVersion) -> ConceptIndex:
        index = self._indexes.get(version.id)
        if index is not None:
            return index
        with self._lock:
            index = self._indexes.get(version.id)
            if index is None:
                index = ConceptIndex.load(store, self.settings, version.id, version.built_at)
                self._indexes[version.id] = self._last = index
                while len(self._indexes) > self.KEEP:
                    del self._indexes[next(iter(self._indexes))]
                settle_heap()
            return index


def settle_heap() -> None:
    """Collect once, then keep the collector off the objects alive now (the indexes: millions of
    small objects at 50,000 concepts). Without it, a full collection walks them all every so
    often, in the middle of a request: a search of 1 ms then takes 100 ms (bench/search.py).
    Unfreezing first lets the collection free what an index dropped just now held in cycles."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
