"""SHACL generated from a structure's ontology data (``shapes/generated/<OID>.ttl``).

Rules (one property shape per rule, each with a Finnish ``sh:message`` naming the Sosmeta entry,
its row number and JSON path; shape IRIs ``sosmeta/<OID>/shape/<path>#<rule>``):

* required (JSON ``required``) → ``sh:minCount 1``; not repeatable (not a JSON array) →
  ``sh:maxCount 1``;
* JSON types → ``sh:datatype`` (string ``xsd:string``, boolean ``xsd:boolean``, number
  ``xsd:decimal``) or ``sh:nodeKind sh:BlankNode`` (objects, array items);
  ``minLength`` → ``sh:minLength``, ``pattern`` → ``sh:pattern``, ``enum`` → ``sh:in``;
* every object is a closed node shape (``sh:targetObjectsOf`` its entry), so unknown keys fail;
  array items must carry ``rake:arrayIndex``; an empty array is allowed only for optional arrays;
* a conditionally required identifier group (Henkilötunnus / Tilapäinen yksilöintitunnus /
  Syntymäaika, "toinen on pakollinen") → a node shape with ``sh:or``;
* a Henkilötunnus value must look like a Finnish identity code (``sh:pattern``; the check digit is
  verified by the lift with python-stdnum).

The mapping of documents to RDF is :mod:`kgservice.sosmeta.docgraph`.
"""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, serialize

from kgservice.namespaces import SH
from kgservice.sosmeta import docgraph as dg
from kgservice.sosmeta.model_rdf import PREFIXES, RDF, XSD, entry_iri, version_iri
from kgservice.sosmeta.schema import Entry, Structure

HETU_PATTERN = r"^[0-9]{6}[-+A-FU-Y][0-9]{3}[0-9A-FHJ-NPR-Y]$"
IDENTIFIER_KEYS = ("henkilotunnus", "tilapainen_yksilointitunnus", "syntymaaika")
_ALTERNATIVE_WORDS = ("toinen", "yksi", "joko")
_DATATYPES = {"string": XSD + "string", "boolean": XSD + "boolean", "number": XSD + "decimal"}
_TYPE_WORDS = {"string": "tekstiä", "boolean": "totuusarvo", "number": "luku"}


def shape_iri(oid: str, path: Iterable[str] = (), rule: str = "") -> str:
    base = version_iri(oid) + "/shape"
    p = "/".join(path)
    return base + ("/" + p if p else "") + ("#" + rule if rule else "")


class _Writer:
    def __init__(self, s: Structure) -> None:
        self.s = s
        self.triples: list[Triple] = []
        self._blank = 0

    def add(self, subj, pred: str, obj) -> None:
        self.triples.append(Triple(subj, NamedNode(pred), obj))

    def blank(self) -> BlankNode:
        self._blank += 1
        return BlankNode(f"b{self._blank}")

    def rdf_list(self, items: list) -> NamedNode | BlankNode:
        if not items:
            return NamedNode(RDF + "nil")
        head = self.blank()
        cell: BlankNode | NamedNode = head
        for i, item in enumerate(items):
            self.add(cell, RDF + "first", item)
            nxt = self.blank() if i < len(items) - 1 else NamedNode(RDF + "nil")
            self.add(cell, RDF + "rest", nxt)
            cell = nxt
        return head


def _name(e: Entry, parent: Entry | None) -> str:
    if e.names:
        return e.names.get("fi") or next(iter(e.names.values()))
    if parent is not None:
        return f"{_name(parent, None)} / {e.key}"
    return e.key


def _where(e: Entry) -> str:
    row = f"Sosmeta-rivi {e.row}, " if e.row is not None else ""
    return f"({row}polku {e.rel})"


def generate(s: Structure) -> list[Triple]:
    """The SHACL shapes of one structure version."""
    w = _Writer(s)
    root_shape = NamedNode(shape_iri(s.oid))
    a = RDF + "type"
    w.add(root_shape, a, NamedNode(SH + "NodeShape"))
    w.add(root_shape, SH + "targetClass", NamedNode(dg.CLIENT_DOCUMENT))
    w.add(root_shape, SH + "closed", Literal("true", datatype=NamedNode(XSD + "boolean")))
    w.add(root_shape, SH + "ignoredProperties", w.rdf_list([NamedNode(RDF + "type")]))
    w.add(
        root_shape,
        SH + "message",
        Literal(
            f"Asiakirjassa on juuritason kenttä, joka ei kuulu rakenteeseen "
            f"«{s.names.get('fi', s.root.key)}» ({s.oid})",
            language="fi",
        ),
    )
    _entry(w, root_shape, s.root, None)
    return w.triples


def _prop(w: _Writer, container, e: Entry, rule: str, path: str, message: str, **rules) -> None:
    ps = NamedNode(shape_iri(w.s.oid, e.path, rule))
    w.add(container, SH + "property", ps)
    w.add(ps, RDF + "type", NamedNode(SH + "PropertyShape"))
    w.add(ps, SH + "path", NamedNode(path))
    for key, value in rules.items():
        w.add(ps, SH + key, value)
    w.add(ps, SH + "message", Literal(message, language="fi"))


def _int(value: int) -> Literal:
    return Literal(str(value), datatype=NamedNode(XSD + "integer"))


def _scalar_rules(
    w: _Writer, container, e: Entry, parent: Entry | None, path: str, prefix: str
) -> None:
    """Type, length, pattern and enumeration rules of a scalar value at ``path``."""
    name, where = _name(e, parent), _where(e)
    jtype = (e.item_type or "string") if e.json_type == "array" else e.json_type
    w_rule = prefix + "datatype"
    _prop(
        w,
        container,
        e,
        w_rule,
        path,
        f"«{name}» {where}: arvon on oltava {_TYPE_WORDS[jtype]} ({jtype})",
        datatype=NamedNode(_DATATYPES[jtype]),
    )
    if e.min_length is not None:
        _prop(
            w,
            container,
            e,
            prefix + "min-length",
            path,
            f"«{name}» {where}: arvo on liian lyhyt (vähintään {e.min_length} merkkiä)",
            minLength=_int(e.min_length),
        )
    if e.pattern is not None:
        _prop(
            w,
            container,
            e,
            prefix + "pattern",
            path,
            f"«{name}» {where}: arvo ei ole sallitussa muodossa",
            pattern=Literal(e.pattern),
        )
    if e.enum is not None:
        _prop(
            w,
            container,
            e,
            prefix + "in",
            path,
            f"«{name}» {where}: arvo ei ole sallittujen arvojen joukossa",
            **{"in": w.rdf_list([Literal(v) for v in e.enum])},
        )
    if _is_hetu(e, parent):
        _prop(
            w,
            container,
            e,
            prefix + "hetu",
            path,
            f"«{name}» {where}: arvo ei ole henkilötunnuksen muotoinen",
            pattern=Literal(HETU_PATTERN),
        )


def _is_hetu(e: Entry, parent: Entry | None) -> bool:
    if e.key == "henkilotunnus" and e.json_type == "string":
        return True
    return (
        e.key == "value"
        and parent is not None
        and parent.key == "henkilotunnus"
        and e.json_type == "string"
    )


def _entry(w: _Writer, container, e: Entry, parent: Entry | None) -> None:
    """Rules for entry ``e`` as a property of ``container``; recurse into its node shape."""
    pred = entry_iri(w.s.oid, e.path)
    name, where = _name(e, parent), _where(e)
    if e.required:
        _prop(
            w,
            container,
            e,
            "min-count",
            pred,
            f"Pakollinen tieto puuttuu: «{name}» {where}",
            minCount=_int(max(1, e.min_items or 1)),
        )
    if e.json_type != "array":
        _prop(
            w,
            container,
            e,
            "max-count",
            pred,
            f"«{name}» {where} ei ole toistuva: enintään yksi arvo",
            maxCount=_int(1),
        )
    if e.json_type in ("object", "array"):
        kind = "tietokokonaisuus (JSON-objekti)" if e.json_type == "object" else "lista"
        _prop(
            w,
            container,
            e,
            "node-kind",
            pred,
            f"«{name}» {where}: arvon on oltava {kind}",
            nodeKind=NamedNode(SH + "BlankNode"),
        )
        _node_shape(w, e, parent)
    else:
        _scalar_rules(w, container, e, parent, pred, "")


def _node_shape(w: _Writer, e: Entry, parent: Entry | None) -> None:
    """The closed node shape of the objects (or array items) of entry ``e``."""
    pred = entry_iri(w.s.oid, e.path)
    name, where = _name(e, parent), _where(e)
    ns = NamedNode(shape_iri(w.s.oid, e.path))
    w.add(ns, RDF + "type", NamedNode(SH + "NodeShape"))
    w.add(ns, SH + "targetObjectsOf", NamedNode(pred))
    w.add(ns, SH + "closed", Literal("true", datatype=NamedNode(XSD + "boolean")))
    w.add(
        ns,
        SH + "message",
        Literal(f"«{name}» {where}: kenttä, jota Sosmeta-rakenne ei tunne", language="fi"),
    )
    is_array = e.json_type == "array"
    if is_array:
        _prop(
            w,
            ns,
            e,
            "array-index",
            dg.ARRAY_INDEX,
            f"«{name}» {where} on toistuva: arvot annetaan listana",
            minCount=_int(1),
        )
    if is_array and e.item_type != "object":
        _prop(
            w,
            ns,
            e,
            "item-min-count",
            dg.VALUE,
            f"«{name}» {where}: listan alkio puuttuu",
            minCount=_int(1),
        )
        _scalar_rules(w, ns, e, parent, dg.VALUE, "item-")
        return
    optional_arrays = [
        NamedNode(entry_iri(w.s.oid, c.path))
        for c in e.children
        if c.json_type == "array" and not c.required and not c.min_items
    ]
    if optional_arrays:
        _prop(
            w,
            ns,
            e,
            "empty-arrays",
            dg.EMPTY_ARRAY,
            f"«{name}» {where}: tyhjä lista on sallittu vain valinnaisille toistuville tiedoille",
            **{"in": w.rdf_list(optional_arrays)},
        )
    for child in e.children:
        _entry(w, ns, child, e)
    _identifier_alternatives(w, e, parent)


def _identifier_alternatives(w: _Writer, e: Entry, parent: Entry | None) -> None:
    group = [c for c in e.children if c.conditional and c.key in IDENTIFIER_KEYS]
    keys = {c.key for c in group}
    if "henkilotunnus" not in keys or len(group) < 2:
        return
    note = next(c for c in group if c.key == "henkilotunnus").notes.get("fi", "").lower()
    if not any(word in note for word in _ALTERNATIVE_WORDS):
        return
    shape = NamedNode(shape_iri(w.s.oid, e.path, "identifier-alternatives"))
    w.add(shape, RDF + "type", NamedNode(SH + "NodeShape"))
    w.add(shape, SH + "targetObjectsOf", NamedNode(entry_iri(w.s.oid, e.path)))
    alternatives = []
    for c in group:
        alt = w.blank()
        w.add(alt, SH + "path", NamedNode(entry_iri(w.s.oid, c.path)))
        w.add(alt, SH + "minCount", _int(1))
        alternatives.append(alt)
    w.add(shape, SH + "or", w.rdf_list(alternatives))
    names = " tai ".join(f"«{_name(c, e)}» (Sosmeta-rivi {c.row})" for c in group)
    w.add(
        shape,
        SH + "message",
        Literal(
            f"Ehdollisesti pakollinen tieto puuttuu: «{_name(e, parent)}» {_where(e)} "
            f"tarvitsee joko {names}",
            language="fi",
        ),
    )


def to_turtle(triples: list[Triple]) -> bytes:
    """Deterministic Turtle: triples grouped by subject in order of first appearance."""
    order: dict = {}
    for t in triples:
        order.setdefault(t.subject, len(order))
    ranked = sorted(enumerate(triples), key=lambda it: (order[it[1].subject], it[0]))
    return serialize([t for _, t in ranked], format=RdfFormat.TURTLE, prefixes=PREFIXES) or b""


def shapes_turtle(s: Structure) -> bytes:
    header = (
        f"# Generated by `kgservice import sosmeta` from the ontology data of Sosmeta structure\n"
        f"# {s.names.get('fi', '')} {s.oid} ({s.version_date}). Do not edit: regenerate.\n"
        f"# @oid: {s.oid}\n# @version: {s.version_date}\n# @root-key: {s.root.key}\n"
    ).encode()
    return header + to_turtle(generate(s))
