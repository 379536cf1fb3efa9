"""The indicator values are written as N-Triples text (:mod:`kgservice.indicators.materialise`):
every literal must read back as exactly the string, datatype and language it was made from."""

from __future__ import annotations

import json

import pytest
from pyoxigraph import Literal, NamedNode, RdfFormat, parse

from kgservice.indicators.materialise import nt_iri, nt_literal

RDF_JSON = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON"
TRICKY = [
    "Kainuu",
    'lainausmerkki " ja kenoviiva \\ samassa',
    "rivinvaihto\nja\rpaluu",
    "ääkköset ja 🏠 ja tabulaattori\t",
    json.dumps([{"area": "x", "note": 'sanoi "ei"\n'}], ensure_ascii=False),
    "",
]


def read_back(term: str) -> Literal:
    line = f"{nt_iri('https://rake-kg.example/s')} {nt_iri('https://rake-kg.example/p')} {term} .\n"
    (triple,) = parse(line.encode(), format=RdfFormat.N_TRIPLES)
    assert isinstance(triple.object, Literal)
    return triple.object


@pytest.mark.parametrize("text", TRICKY)
def test_a_plain_literal_reads_back_as_the_same_string(text):
    assert read_back(nt_literal(text)) == Literal(text)


@pytest.mark.parametrize("text", TRICKY)
def test_a_json_record_literal_keeps_its_text_and_datatype(text):
    assert read_back(nt_literal(text, RDF_JSON)) == Literal(text, datatype=NamedNode(RDF_JSON))


def test_a_gap_note_keeps_its_language_tag():
    note = 'Luku puuttuu: 3 / 51 kunnasta "ilmoitti"'
    assert read_back(nt_literal(note, language="fi")) == Literal(note, language="fi")
