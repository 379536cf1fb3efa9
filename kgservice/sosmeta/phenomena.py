"""Which Sosmeta entries record which phenomenon, and which entries the client-data indicators
count: ``kgservice sosmeta link-phenomena`` → ``ontology/phenomenon-entries.ttl``.

The rules and the indicator counts are data, ``mappings/sosmeta/phenomena.toml`` (its header
teaches the syntax). :func:`find_links` runs every rule over every entry of the bundled
structures (``queries/sosmeta/entries-for-linking.rq`` over ``data/sosmeta/``); a rule finds an
entry when all of its tests hold (classification, name, value list, structure, place in the
structure). The output file holds, per (entry, phenomenon):

* a link resource ``data/phenomenon-entry/<phenomenon>/<hash of the entry IRI>`` with
  ``rake:linkedEntry``, ``rake:linkedPhenomenon``, ``rake:foundBy "rule"`` and the names of the
  rules that found it (``rake:linkRule``), or ``rake:foundBy "review"`` for a link a terminologist
  wrote or corrected (``rake:accepted false`` rejects a link a rule would find);
* ``<entry> rake:usesConcept <phenomenon>`` for every accepted link (what the traceability
  queries and the term browser read);

and, per client-data indicator, ``<entry> rake:feedsIndicator <indicator>`` with a count
resource naming the entry (``rake:countedEntry``) or whole structure (``rake:countedStructure``)
and the codes counted (``rake:countedCode``). Reviewed links are read back from the existing
file and kept as written; rule links are made afresh on every run.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Triple, serialize

from kgservice.config import CANONICAL_BASE_IRI, Settings
from kgservice.errors import ParseError
from kgservice.namespaces import RDF
from kgservice.queries import select
from kgservice.sosmeta.model_rdf import PREFIXES, RAKE, structure_iri
from kgservice.sources.rdf import read_quads
from kgservice.store.base import Store

SPEC = Path("sosmeta") / "phenomena.toml"
OUTPUT = "phenomenon-entries.ttl"
PHENOMENON = CANONICAL_BASE_IRI + "concept/phenomenon/"
INDICATOR = CANONICAL_BASE_IRI + "concept/indicator/"
LINK = CANONICAL_BASE_IRI + "data/phenomenon-entry/"
COUNT = CANONICAL_BASE_IRI + "data/indicator-count/"
RULE_KEYS = {
    "name",
    "phenomenon",
    "why",
    "classifications",
    "names",
    "name_pattern",
    "value_labels",
    "structure_names",
    "not_path",
}


@dataclass(frozen=True)
class Rule:
    name: str
    phenomenon: str
    why: str = ""
    classifications: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()
    name_pattern: re.Pattern[str] | None = None
    value_labels: tuple[str, ...] = ()
    structure_names: re.Pattern[str] | None = None
    not_path: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Count:
    structure: str  # OID without the version
    entry: str  # JSON path
    codes: tuple[str, ...]  # empty: any code


@dataclass(frozen=True)
class ClientIndicator:
    slug: str
    phenomenon: str
    documents: tuple[str, ...] = ()
    counts: tuple[Count, ...] = ()
    published_by: str = ""

    @property
    def iri(self) -> str:
        return INDICATOR + self.slug


@dataclass(frozen=True)
class Spec:
    rules: tuple[Rule, ...]
    indicators: tuple[ClientIndicator, ...]


@dataclass(frozen=True)
class EntryInfo:
    iri: str
    oid: str  # the version's OID
    structure_oid: str
    path: str
    name: str
    structure_name: str
    code_lists: frozenset[str] = frozenset()
    value_sets: tuple[str, ...] = ()


def _pattern(value: Any, where: str, file: str) -> re.Pattern[str] | None:
    if value is None:
        return None
    try:
        return re.compile(str(value), re.IGNORECASE)
    except re.error as exc:
        raise ParseError(f"{where}: bad regular expression: {exc}", file=file, rule="spec") from exc


def _rule(raw: dict[str, Any], file: str) -> Rule:
    unknown = set(raw) - RULE_KEYS
    if unknown or "name" not in raw or "phenomenon" not in raw:
        raise ParseError(
            f"rule {raw.get('name', '?')!r}: needs name and phenomenon; unknown keys "
            f"{sorted(unknown)}; valid keys: {', '.join(sorted(RULE_KEYS))}",
            file=file,
            rule="spec",
        )
    where = f"rule {raw['name']}"
    return Rule(
        name=raw["name"],
        phenomenon=raw["phenomenon"],
        why=raw.get("why", ""),
        classifications=frozenset(f"urn:oid:{c}" for c in raw.get("classifications", [])),
        names=frozenset(n.casefold() for n in raw.get("names", [])),
        name_pattern=_pattern(raw.get("name_pattern"), where, file),
        value_labels=tuple(v.casefold() for v in raw.get("value_labels", [])),
        structure_names=_pattern(raw.get("structure_names"), where, file),
        not_path=_pattern(raw.get("not_path"), where, file),
    )


def load_spec(path: Path) -> Spec:
    """Read ``mappings/sosmeta/phenomena.toml``; a mistake is a :class:`ParseError`."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ParseError(str(exc), file=str(path), rule="spec") from exc
    rules = tuple(_rule(r, str(path)) for r in raw.get("rule", []))
    indicators = tuple(
        ClientIndicator(
            slug=i["slug"],
            phenomenon=i["phenomenon"],
            documents=tuple(i.get("documents", [])),
            counts=tuple(
                Count(c["structure"], c["entry"], tuple(str(x) for x in c.get("codes", [])))
                for c in i.get("count", [])
            ),
            published_by=i.get("published_by", ""),
        )
        for i in raw.get("indicator", [])
    )
    names = [r.name for r in rules]
    if len(set(names)) != len(names):
        raise ParseError("two rules share a name", file=str(path), rule="spec")
    return Spec(rules, indicators)


def entries(store: Store, settings: Settings) -> list[EntryInfo]:
    """Every entry of every structure version in ``store`` with what the rules look at."""
    found: dict[str, dict[str, Any]] = {}
    for r in select(store, settings.queries_dir, "sosmeta/entries-for-linking"):
        iri = r["entry"].value
        e = found.setdefault(
            iri,
            {
                "iri": iri,
                "oid": r["oid"].value,
                "structure_oid": r["structureOid"].value,
                "path": r["path"].value,
                "name": "",
                "structure_name": "",
                "code_lists": set(),
                "value_sets": [],
            },
        )
        if _finnish(r.get("name")):
            e["name"] = r["name"].value
        if _finnish(r.get("structureName")):
            e["structure_name"] = r["structureName"].value
        if r.get("codeList"):
            e["code_lists"].add(r["codeList"].value)
        if _finnish(r.get("valueSet")) and r["valueSet"].value not in e["value_sets"]:
            e["value_sets"].append(r["valueSet"].value)
    return [
        EntryInfo(
            **{k: v for k, v in e.items() if k not in ("code_lists", "value_sets")},
            code_lists=frozenset(e["code_lists"]),
            value_sets=tuple(e["value_sets"]),
        )
        for e in found.values()
    ]


def _finnish(term: Any) -> bool:
    return term is not None and getattr(term, "language", None) == "fi"


def _value_labels(value_sets: tuple[str, ...]) -> set[str]:
    """``"8 = Päihteiden ongelmakäytöstä aiheutuva tuen tarve,"`` → the label, case-folded."""
    labels = set()
    for text in value_sets:
        for line in re.split(r"[\n,]\s*(?=\d+(?:\.\d+)?\s*=)", text):
            _, sep, label = line.partition("=")
            if sep:
                labels.add(label.strip().rstrip(",.").strip().casefold())
    return labels


def matches(rule: Rule, e: EntryInfo) -> bool:
    """Whether every test the rule names holds for the entry."""
    name = e.name.casefold()
    tests = []
    if rule.classifications:
        tests.append(bool(rule.classifications & e.code_lists))
    if rule.names:
        tests.append(name in rule.names)
    if rule.name_pattern is not None:
        tests.append(bool(rule.name_pattern.search(e.name)))
    if rule.value_labels:
        labels = _value_labels(e.value_sets)
        tests.append(any(v in labels for v in rule.value_labels))
    if rule.structure_names is not None:
        tests.append("/" not in e.path and bool(rule.structure_names.search(e.structure_name)))
    if rule.not_path is not None:
        tests.append(not rule.not_path.search(e.path))
    return bool(tests) and all(tests)


def find_links(spec: Spec, found: list[EntryInfo]) -> dict[tuple[str, str], list[str]]:
    """(entry IRI, phenomenon slug) → names of the rules that link them."""
    links: dict[tuple[str, str], list[str]] = defaultdict(list)
    for e in found:
        for rule in spec.rules:
            if matches(rule, e):
                links[(e.iri, rule.phenomenon)].append(rule.name)
    return dict(links)


def link_iri(entry: str, phenomenon: str) -> str:
    digest = hashlib.sha1(entry.encode(), usedforsecurity=False).hexdigest()[:16]
    return f"{LINK}{phenomenon}/{digest}"


@dataclass
class Reviewed:
    """The links a terminologist wrote (``rake:foundBy "review"``), as written."""

    triples: list[Triple] = field(default_factory=list)
    accepted: dict[tuple[str, str], bool] = field(default_factory=dict)


def read_reviewed(path: Path) -> Reviewed:
    out = Reviewed()
    if not path.is_file():
        return out
    quads: list[Quad] = read_quads(path)
    by_subject: dict[str, list[Triple]] = defaultdict(list)
    for q in quads:
        by_subject[str(q.subject)].append(q.triple)
    review = str(Literal("review"))
    for triples in by_subject.values():
        props: dict[str, list[str]] = defaultdict(list)
        for t in triples:
            props[t.predicate.value].append(str(t.object))
        if review not in props.get(RAKE + "foundBy", []):
            continue
        entry, phen = props.get(RAKE + "linkedEntry"), props.get(RAKE + "linkedPhenomenon")
        if not entry or not phen:
            raise ParseError(
                "a reviewed link needs rake:linkedEntry and rake:linkedPhenomenon",
                file=str(path),
                rule="phenomenon-link",
            )
        slug = phen[0].strip("<>").removeprefix(PHENOMENON)
        accepted = props.get(RAKE + "accepted", [""])[0]
        out.accepted[(entry[0].strip("<>"), slug)] = not accepted.startswith('"false"')
        # a review overrides what a rule said about the same link
        triples = [
            t
            for t in triples
            if t.predicate.value != RAKE + "linkRule"
            and not (t.predicate.value == RAKE + "foundBy" and str(t.object) != review)
        ]
        out.triples.extend(triples)
    return out


def link_triples(links: dict[tuple[str, str], list[str]], reviewed: Reviewed) -> list[Triple]:
    """The rule links not overridden by a review, the reviewed links, and ``rake:usesConcept``
    for every accepted one."""
    out = list(reviewed.triples)
    a, r = NamedNode(RDF + "type"), RAKE
    for (entry, slug), rules in sorted(links.items()):
        if (entry, slug) in reviewed.accepted:
            continue
        link = NamedNode(link_iri(entry, slug))
        out += [
            Triple(link, a, NamedNode(r + "PhenomenonEntryLink")),
            Triple(link, NamedNode(r + "linkedEntry"), NamedNode(entry)),
            Triple(link, NamedNode(r + "linkedPhenomenon"), NamedNode(PHENOMENON + slug)),
            Triple(link, NamedNode(r + "foundBy"), Literal("rule")),
        ]
        out += [Triple(link, NamedNode(r + "linkRule"), Literal(name)) for name in rules]
    accepted = {k for k in links if k not in reviewed.accepted}
    accepted |= {k for k, ok in reviewed.accepted.items() if ok}
    out += [
        Triple(NamedNode(entry), NamedNode(r + "usesConcept"), NamedNode(PHENOMENON + slug))
        for entry, slug in sorted(accepted)
    ]
    return out


def indicator_triples(spec: Spec, found: list[EntryInfo]) -> list[Triple]:
    """Per client-data indicator: the entries it counts (``rake:feedsIndicator``) and one count
    resource per counted entry or whole structure, with the codes counted."""
    out: list[Triple] = []
    r = RAKE
    by_place = defaultdict(list)
    for e in found:
        by_place[(e.structure_oid, e.path)].append(e.iri)
        if "/" not in e.path:
            by_place[(e.structure_oid, "")].append(e.iri)
    for ind in spec.indicators:
        iri = NamedNode(ind.iri)
        places: list[tuple[str, str, tuple[str, ...]]] = [(d, "", ()) for d in ind.documents]
        places += [(c.structure, c.entry, c.codes) for c in ind.counts]
        for n, (structure, path, codes) in enumerate(places, start=1):
            count = NamedNode(f"{COUNT}{ind.slug}/{n}")
            out += [
                Triple(count, NamedNode(RDF + "type"), NamedNode(r + "IndicatorCount")),
                Triple(count, NamedNode(r + "countsFor"), iri),
            ]
            if not path:
                out.append(
                    Triple(
                        count,
                        NamedNode(r + "countedStructure"),
                        NamedNode(structure_iri(structure)),
                    )
                )
            out += [Triple(count, NamedNode(r + "countedCode"), Literal(code)) for code in codes]
            for entry in sorted(by_place.get((structure, path), [])):
                out.append(Triple(NamedNode(entry), NamedNode(r + "feedsIndicator"), iri))
                if path:
                    out.append(Triple(count, NamedNode(r + "countedEntry"), NamedNode(entry)))
    return out


HEADER = """# Which Sosmeta document entries record which phenomenon, and which entries the
# client-data indicators count. Generated by `kgservice sosmeta link-phenomena` from the rules of
# mappings/sosmeta/phenomena.toml over data/sosmeta/structures.nt.gz.
#
# Links with rake:foundBy "rule" are made afresh on every run: do not edit them. To correct a
# link, write it with rake:foundBy "review" (keep the link IRI, drop rake:linkRule; add
# rake:accepted false to reject it) and run the command again: reviewed links are kept as
# written and win over the rules. See docs/terminologists.md, "Phenomena in the documents".

"""


def turtle(triples: list[Triple]) -> bytes:
    """Deterministic Turtle: subjects sorted, each subject's triples in a stable order."""
    ordered = sorted(set(triples), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    # no prefix for entries: their IRIs are written whole, without escaped slashes
    keep = {k: v for k, v in PREFIXES.items() if k not in ("sosmeta", "structure")}
    prefixes = dict(keep, phen=PHENOMENON, ind=INDICATOR)
    return HEADER.encode() + (serialize(ordered, format=RdfFormat.TURTLE, prefixes=prefixes) or b"")


def structures_store(settings: Settings) -> Store:
    """An in-memory store holding the bundled structures of ``data/sosmeta/``."""
    from kgservice.store.embedded import EmbeddedStore

    store = EmbeddedStore(None)
    folder = settings.data_dir / "sosmeta"
    files = sorted([*folder.glob("*.nt.gz"), *folder.glob("*.ttl")])
    triples = [q.triple for path in files for q in read_quads(path)]
    store.bulk_load(serialize(triples, format=RdfFormat.N_TRIPLES) or b"", RdfFormat.N_TRIPLES)
    return store


@dataclass
class LinkReport:
    path: Path
    per_phenomenon: dict[str, int]
    reviewed: int
    feeding: int

    def summary(self) -> str:
        counts = ", ".join(f"{p} {n}" for p, n in sorted(self.per_phenomenon.items()))
        return (
            f"wrote {self.path}: entries per phenomenon: {counts}; {self.reviewed} links from "
            f"review; {self.feeding} entry → client-data indicator links"
        )


def run_link_command(settings: Settings, output: Path | None = None) -> LinkReport:
    spec = load_spec(settings.mappings_dir / SPEC)
    store = structures_store(settings)
    found = entries(store, settings)
    path = output or settings.ontology_dir / OUTPUT
    reviewed = read_reviewed(path)
    triples = link_triples(find_links(spec, found), reviewed)
    triples += indicator_triples(spec, found)
    path.write_bytes(turtle(triples))
    per: dict[str, int] = defaultdict(int)
    for t in set(triples):
        if t.predicate.value == RAKE + "usesConcept":
            per[str(t.object).strip("<>").removeprefix(PHENOMENON)] += 1
    feeding = sum(t.predicate.value == RAKE + "feedsIndicator" for t in set(triples))
    return LinkReport(path, dict(per), len(reviewed.accepted), feeding)
