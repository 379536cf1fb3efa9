"""A :class:`~kgservice.sosmeta.schema.Structure` as ontology data, and back.

IRIs (canonical base ``B``): the structure ``B sosmeta/structure/<OID without version>``, a
version ``B sosmeta/<full OID>``, an entry ``B sosmeta/<full OID>/entry/<JSON path>``. Both the
structure and its versions are ``skos:Concept`` s of ``B scheme/sosmeta-structures`` (versions are
narrower than their structure), so the term browser lists them like any vocabulary.

:func:`structure_from_triples` reads the same data back; the generated SHACL is made from that
read-back model, so the path JSON Schema → OWL → SHACL is one real round trip.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator

from pyoxigraph import Literal, NamedNode, Triple

from kgservice.config import CANONICAL_BASE_IRI
from kgservice.errors import ParseError
from kgservice.namespaces import CANONICAL, DCT, RDF, RDFS, SH, SKOS, XSD
from kgservice.sosmeta.schema import Entry, LangText, Structure

B = CANONICAL_BASE_IRI
RAKE = CANONICAL.ontology

PREFIXES = {
    "rake": RAKE,
    "rdf": RDF,
    "rdfs": RDFS,
    "skos": SKOS,
    "xsd": XSD,
    "dcterms": DCT,
    "sh": SH,
    "structure": CANONICAL.sosmeta + "structure/",
    "sosmeta": CANONICAL.sosmeta,
}

SCHEME = B + "scheme/sosmeta-structures"
SOURCE_NOTE = (
    "THL Sosmeta, JSON Schema -lataus (all_sosmeta_schemas_2025-05-20) "
    "juntunen-ai/sosmeta-repositorion kautta, commit ae2985d04496f3c6e4265bd4b7b261f4cb69c21d"
)


STATUS_VALID = B + "concept/status/VALID"


def _definition(s: Structure) -> str:
    subject = f", aihe {s.subject}" if s.subject else ""
    return f"Sosmeta-asiakirjarakenne, asiakirjatyyppi {s.document_type}{subject}."


def n(iri: str) -> NamedNode:
    return NamedNode(iri)


def r(term: str) -> NamedNode:
    return NamedNode(RAKE + term)


def slug(text: str) -> str:
    """ASCII slug of a Finnish label: ``Päätös`` → ``paatos``."""
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-") or "x"


def structure_iri(base_oid: str) -> str:
    return f"{B}sosmeta/structure/{base_oid}"


def version_iri(oid: str) -> str:
    return f"{B}sosmeta/{oid}"


def entry_iri(oid: str, path: Iterable[str]) -> str:
    return f"{version_iri(oid)}/entry/{'/'.join(path)}"


def datatype_iri(label: str) -> str:
    return f"{B}sosmeta/datatype/{slug(label)}"


def doctype_iri(label: str) -> str:
    return f"{B}sosmeta/document-type/{slug(label)}"


def obligation_iri(obligation: str) -> str:
    return f"{B}concept/obligation/{obligation}"


def _lits(texts: LangText) -> Iterator[Literal]:
    for lang, value in texts.items():
        yield Literal(value, language=lang) if lang else Literal(value)


def _bool(value: bool) -> Literal:
    return Literal("true" if value else "false", datatype=n(XSD + "boolean"))


def _int(value: int) -> Literal:
    return Literal(str(value), datatype=n(XSD + "integer"))


def structure_triples(s: Structure) -> list[Triple]:
    """All triples describing one structure version (and its structure resource)."""
    out: list[Triple] = []
    st, v = n(structure_iri(s.base_oid)), n(version_iri(s.oid))

    def add(subj: NamedNode, pred: NamedNode, obj) -> None:
        out.append(Triple(subj, pred, obj))

    a, label = n(RDF + "type"), n(SKOS + "prefLabel")
    add(st, a, r("DocumentStructure"))
    add(st, a, n(SKOS + "Concept"))
    add(st, n(SKOS + "inScheme"), n(SCHEME))
    add(st, n(SKOS + "topConceptOf"), n(SCHEME))
    add(st, r("oid"), Literal(s.base_oid))
    add(st, n(SKOS + "notation"), Literal(s.base_oid))
    for lit in _lits(s.names):
        add(st, label, lit)
    add(st, n(SKOS + "narrower"), v)
    add(st, r("hasVersion"), v)
    add(st, r("status"), n(STATUS_VALID))
    add(st, n(SKOS + "definition"), Literal(_definition(s), language="fi"))

    add(v, a, r("DocumentStructureVersion"))
    add(v, a, n(SKOS + "Concept"))
    add(v, n(SKOS + "inScheme"), n(SCHEME))
    add(v, n(SKOS + "broader"), st)
    add(v, r("versionOf"), st)
    add(v, r("status"), n(STATUS_VALID))
    add(
        v,
        n(SKOS + "definition"),
        Literal(f"{_definition(s)} Versio {s.version_date}.", language="fi"),
    )
    add(v, r("oid"), Literal(s.oid))
    add(v, n(SKOS + "notation"), Literal(s.oid))
    for lang, name in s.names.items():
        add(v, label, Literal(f"{name} ({s.version_date})", language=lang or "fi"))
    add(v, r("versionDate"), Literal(s.version_date, datatype=n(XSD + "date")))
    add(v, r("sosmetaStatus"), Literal(s.status, language="fi"))
    add(v, r("documentType"), n(doctype_iri(s.document_type)))
    if s.author:
        add(v, r("documentAuthor"), Literal(s.author, language="fi"))
    if s.subject:
        add(v, r("documentSubject"), Literal(s.subject, language="fi"))
    if s.component_library_version:
        add(v, r("dataComponentLibraryVersion"), Literal(s.component_library_version))
    add(v, r("partial"), _bool(False))
    add(v, n(DCT + "source"), Literal(f"{SOURCE_NOTE}, {s.source or s.oid + '.json'}"))
    add(v, r("rootKey"), Literal(s.root.key))

    dt = n(doctype_iri(s.document_type))
    add(dt, a, r("DocumentType"))
    add(dt, n(RDFS + "label"), Literal(s.document_type, language="fi"))

    _entry_triples(s, s.root, 1, add)
    return out


def _entry_triples(s: Structure, e: Entry, order: int, add) -> None:
    a = n(RDF + "type")
    it = n(entry_iri(s.oid, e.path))
    add(n(version_iri(s.oid)), r("hasEntry"), it)
    add(it, a, r("DataEntry"))
    add(it, r("jsonKey"), Literal(e.key))
    add(it, r("jsonPath"), Literal(e.rel))
    add(it, r("order"), _int(order))
    names = e.names or {"fi": e.key}
    for lit in _lits(names):
        add(it, n(RDFS + "label"), lit)
    for lit in _lits(e.descriptions):
        add(it, n(SKOS + "definition"), lit)
    for lit in _lits(e.titles):
        add(it, r("displayTitle"), lit)
    for lit in _lits(e.notes):
        add(it, r("implementationNote"), lit)
    add(it, r("jsonType"), Literal(e.json_type))
    if e.item_type:
        add(it, r("itemType"), Literal(e.item_type))
    add(it, r("jsonRequired"), _bool(e.required))
    if e.min_items is not None:
        add(it, r("minItems"), _int(e.min_items))
    if e.min_length is not None:
        add(it, r("minLength"), _int(e.min_length))
    if e.pattern is not None:
        add(it, r("pattern"), Literal(e.pattern))
    if e.enum is not None:
        for pos, value in enumerate(e.enum):
            add(it, r("allowedValue"), Literal(f"{pos}:{value}"))
    if e.has_sosmeta:
        add(it, r("obligation"), n(obligation_iri(e.obligation)))
        add(it, r("repeatable"), _bool(e.repeatable))
        add(it, r("hidden"), _bool(e.hidden))
        add(it, r("hiddenTitle"), _bool(e.hidden_title))
        add(it, r("nationwideRecorded"), _bool(e.nationwide))
        if e.row is not None:
            add(it, r("rowNumber"), _int(e.row))
    if e.representation:
        dt = n(datatype_iri(e.representation.get("fi") or next(iter(e.representation.values()))))
        add(it, r("dataType"), dt)
        add(dt, a, r("DataType"))
        for lit in _lits(e.representation):
            add(dt, n(RDFS + "label"), lit)
    if e.system_uri:
        add(it, r("identifierSystem"), Literal(e.system_uri))
    if e.code_list:
        add(it, r("codeList"), n(e.code_list))
        add(n(e.code_list), a, r("CodeList"))
    for lit in _lits(e.code_list_name):
        add(it, r("codeListName"), lit)
    if e.code_list_link:
        add(it, r("codeListLink"), Literal(e.code_list_link, datatype=n(XSD + "anyURI")))
    for lit in _lits(e.value_set):
        add(it, r("valueSet"), lit)
    for position, child in enumerate(e.children, start=1):
        add(it, r("hasSubEntry"), n(entry_iri(s.oid, child.path)))
        _entry_triples(s, child, position, add)


# -- reading back -------------------------------------------------------------------------------
def _texts_of(props: dict[str, list], pred: str) -> LangText:
    out: LangText = {}
    for lit in props.get(pred, []):
        out.setdefault(lit.language or "", lit.value)
    return out


def structure_from_triples(triples: Iterable[Triple], oid: str) -> Structure:
    """Rebuild the :class:`Structure` of version ``oid`` from its ontology data."""
    by_subject: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for t in triples:
        by_subject[t.subject.value][t.predicate.value].append(t.object)  # type: ignore[union-attr]
    v = by_subject.get(version_iri(oid))
    if not v:
        raise ParseError(f"no structure version {oid} in the data", rule="sosmeta-version")

    def one(props, pred, default=None):
        vals = props.get(RAKE + pred) or []
        return vals[0].value if vals else default

    entries: dict[str, Entry] = {}
    children: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for e_iri in [x.value for x in v.get(RAKE + "hasEntry", [])]:
        p = by_subject[e_iri]
        allowed = sorted(
            (x.value.split(":", 1) for x in p.get(RAKE + "allowedValue", [])),
            key=lambda kv: int(kv[0]),
        )
        rep = p.get(RAKE + "dataType")
        labels = _texts_of(p, RDFS + "label")
        has_sosmeta = bool(p.get(RAKE + "obligation"))
        obligation = one(p, "obligation", "")
        row = one(p, "rowNumber")
        e = Entry(
            path=tuple(one(p, "jsonPath").split("/")),
            json_type=one(p, "jsonType"),
            required=one(p, "jsonRequired") == "true",
            item_type=one(p, "itemType"),
            min_items=int(x) if (x := one(p, "minItems")) is not None else None,
            min_length=int(x) if (x := one(p, "minLength")) is not None else None,
            pattern=one(p, "pattern"),
            enum=tuple(v for _, v in allowed) if allowed else None,
            names=labels if has_sosmeta else {},
            descriptions=_texts_of(p, SKOS + "definition"),
            titles=_texts_of(p, RAKE + "displayTitle"),
            representation=_texts_of(by_subject[rep[0].value], RDFS + "label") if rep else {},
            notes=_texts_of(p, RAKE + "implementationNote"),
            row=int(row) if row is not None else None,
            sosmeta_required=obligation.endswith("/pakollinen"),
            repeatable=one(p, "repeatable") == "true",
            conditional=obligation.endswith("/ehdollisesti-pakollinen"),
            hidden=one(p, "hidden") == "true",
            hidden_title=one(p, "hiddenTitle") == "true",
            nationwide=one(p, "nationwideRecorded") == "true",
            system_uri=one(p, "identifierSystem"),
            code_list=one(p, "codeList"),
            code_list_name=_texts_of(p, RAKE + "codeListName"),
            code_list_link=one(p, "codeListLink"),
            value_set=_texts_of(p, RAKE + "valueSet"),
        )
        entries[e_iri] = e
        for c in p.get(RAKE + "hasSubEntry", []):
            children[e_iri].append((int(one(by_subject[c.value], "order")), c.value))
    for parent, kids in children.items():
        entries[parent].children = [entries[c] for _, c in sorted(kids)]
    root_iri = entry_iri(oid, [one(v, "rootKey")])
    st = by_subject[one(v, "versionOf")]
    names = _texts_of(st, SKOS + "prefLabel")
    source = next(iter(x.value for x in v.get(DCT + "source", [])), "")
    doc_type = by_subject[one(v, "documentType")]
    return Structure(
        oid=oid,
        base_oid=one(st, "oid"),
        version_date=one(v, "versionDate"),
        names=names,
        status=one(v, "sosmetaStatus", ""),
        document_type=_texts_of(doc_type, RDFS + "label").get("fi", ""),
        author=one(v, "documentAuthor"),
        subject=one(v, "documentSubject"),
        component_library_version=one(v, "dataComponentLibraryVersion"),
        root=entries[root_iri],
        source=source.rsplit(", ", 1)[-1] if source else "",
    )
