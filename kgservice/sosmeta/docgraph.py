"""A client document (parsed JSON) as RDF, shaped so the generated SHACL sees every JSON detail.

The mapping is schema-agnostic, so a broken document stays broken in RDF:

* the document is a node typed ``rake:ClientDocument``; a JSON key at path ``k1/…/kn`` becomes
  the predicate ``sosmeta/<OID>/entry/k1/…/kn`` (the entry IRI of the structure);
* an object becomes a blank node; an array item becomes a blank node with ``rake:arrayIndex``
  (its value under ``rdf:value`` when the item is not an object; a nested array gets
  ``rake:nestedArray true``); an empty array becomes ``<parent> rake:emptyArray <entry>``;
* strings are ``xsd:string``, booleans ``xsd:boolean``, numbers ``xsd:decimal``, ``null`` is
  ``rdf:nil``.

:func:`lift_terms` yields plain tuples (fast, used by the compiled checker); :func:`to_triples`
turns the same stream into pyoxigraph triples (for pyshacl and the store).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from kgservice.sosmeta.model_rdf import RAKE, RDF, XSD, version_iri

# Plain terms: ("i", iri) | ("b", id) | ("l", lexical, datatype IRI)
Term = tuple
TYPE = RDF + "type"
NIL = ("i", RDF + "nil")
CLIENT_DOCUMENT = RAKE + "ClientDocument"
ARRAY_INDEX = RAKE + "arrayIndex"
EMPTY_ARRAY = RAKE + "emptyArray"
NESTED_ARRAY = RAKE + "nestedArray"
VALUE = RDF + "value"
XSD_STRING, XSD_BOOLEAN, XSD_DECIMAL, XSD_INTEGER = (
    XSD + "string",
    XSD + "boolean",
    XSD + "decimal",
    XSD + "integer",
)


@lru_cache(maxsize=65536)
def _quote(key: str) -> str:
    return quote(key, safe="_-.~")


def _number(value: int | float) -> str:
    if isinstance(value, int):
        return str(value)
    text = format(Decimal(repr(value)), "f")
    return text


def literal_term(value: Any) -> Term:
    if value is None:
        return NIL
    if isinstance(value, bool):
        return ("l", "true" if value else "false", XSD_BOOLEAN)
    if isinstance(value, int | float):
        return ("l", _number(value), XSD_DECIMAL)
    return ("l", str(value), XSD_STRING)


def lift_terms(doc: Any, oid: str, doc_id: str = "d") -> Iterator[tuple[Term, str, Term]]:
    """``(subject, predicate IRI, object)`` for one document; blank ids are ``<doc_id>.<n>``."""
    base = version_iri(oid) + "/entry/"
    counter = iter(range(1_000_000_000))
    root = ("b", doc_id)
    yield root, TYPE, ("i", CLIENT_DOCUMENT)

    def bnode() -> Term:
        return ("b", f"{doc_id}.{next(counter)}")

    def emit(subject: Term, prefix: str, key: str, value: Any):
        pred = prefix + _quote(key)
        if isinstance(value, list):
            if not value:
                yield subject, EMPTY_ARRAY, ("i", pred)
            for index, item in enumerate(value):
                node = bnode()
                yield subject, pred, node
                yield node, ARRAY_INDEX, ("l", str(index), XSD_INTEGER)
                if isinstance(item, dict):
                    for k, v in item.items():
                        yield from emit(node, pred + "/", k, v)
                elif isinstance(item, list):
                    yield node, NESTED_ARRAY, ("l", "true", XSD_BOOLEAN)
                else:
                    yield node, VALUE, literal_term(item)
        elif isinstance(value, dict):
            node = bnode()
            yield subject, pred, node
            for k, v in value.items():
                yield from emit(node, pred + "/", k, v)
        else:
            yield subject, pred, literal_term(value)

    if isinstance(doc, dict):
        for key, value in doc.items():
            yield from emit(root, base, key, value)


def to_rdf_term(term: Term, blank_prefix: str = ""):
    kind = term[0]
    if kind == "i":
        return NamedNode(term[1])
    if kind == "b":
        return BlankNode(blank_prefix + term[1].replace(".", "x"))
    return Literal(term[1], datatype=NamedNode(term[2]))


def to_triples(doc: Any, oid: str, doc_id: str = "d") -> list[Triple]:
    """The document as pyoxigraph triples (blank node ids derived from ``doc_id``)."""
    return [
        Triple(to_rdf_term(s), NamedNode(p), to_rdf_term(o))
        for s, p, o in lift_terms(doc, oid, doc_id)
    ]
