"""Walks of the SKOS hierarchy (``kgservice.terms.skos``) and Skosmos's label lookup, on a
hand-made concept index."""

from __future__ import annotations

import pytest

from kgservice.terms import skos
from kgservice.terms.index import Concept, ConceptIndex, Labels, Vocabulary
from kgservice.terms.search import SearchIndex


def make_index(
    labels: dict[str, str],
    broader: list[tuple[str, str]],
    *,
    deprecated: frozenset[str] = frozenset(),
    other_vocab: frozenset[str] = frozenset(),
) -> ConceptIndex:
    """Concepts ``x:<name>`` with Finnish preferred labels, in vocabulary ``v`` (or ``w``), and
    ``(child, parent)`` broader pairs."""
    idx = ConceptIndex("test-build", 0.0)
    idx.vocabularies["v"] = Vocabulary("v", "http://x/scheme/v", "scheme")
    idx.vocabularies["w"] = Vocabulary("w", "http://x/scheme/w", "scheme")
    for name, text in labels.items():
        vocab = "w" if name in other_vocab else "v"
        idx.concepts[name] = Concept(name, vocabs=[vocab], deprecated=name in deprecated)
        idx.labels[name] = Labels(pref={"fi": text})
    for child, parent in broader:
        idx.concepts[child].broader.append(parent)
        idx.concepts[parent].narrower.append(child)
    return idx


@pytest.fixture(scope="module")
def index() -> ConceptIndex:
    idx = make_index(
        {
            "x:root": "juuri",
            "x:a": "äiti",
            "x:b": "bussi",
            "x:c": "celsius",
            "x:old": "vanha",
            "x:loop": "silmukka",
            "x:foreign": "vieras",
        },
        [
            ("x:a", "x:root"),
            ("x:b", "x:root"),
            ("x:old", "x:root"),
            ("x:c", "x:b"),
            ("x:c", "x:foreign"),
            ("x:loop", "x:c"),
            ("x:c", "x:loop"),  # a cycle in the data: c → loop → c
        ],
        deprecated=frozenset({"x:old"}),
        other_vocab=frozenset({"x:foreign"}),
    )
    idx.vocabularies["v"].tops = ["x:root"]
    idx.vocabularies["v"].concepts = ["x:a", "x:root", "x:b", "x:c", "x:loop"]  # the active ones
    idx.related["x:a"] = ["x:b"]
    return idx


def test_direct_narrower_leaves_out_deprecated_concepts(index):
    assert skos.direct(index, "x:root", "narrower") == ["x:a", "x:b"]


def test_direct_related_and_broader_are_the_stated_ones(index):
    assert skos.direct(index, "x:a", "related") == ["x:b"]
    assert skos.direct(index, "x:c", "broader") == ["x:b", "x:foreign", "x:loop"]


def test_direct_refuses_an_unknown_relation_naming_the_known_ones(index):
    with pytest.raises(ValueError, match="broader, narrower, related"):
        skos.direct(index, "x:a", "sibling")


def test_transitive_broader_walks_breadth_first_and_ends_at_a_cycle(index):
    walk = skos.transitive(index, "x:c", "broader", limit=100)
    assert list(walk) == ["x:c", "x:b", "x:foreign", "x:loop", "x:root"]
    assert walk["x:loop"] == ["x:c"]
    assert walk["x:root"] == []


def test_transitive_stops_at_the_limit(index):
    assert list(skos.transitive(index, "x:root", "narrower", limit=2)) == ["x:root", "x:a"]


def test_broader_chain_stays_in_the_vocabulary(index):
    chain = skos.broader_chain(index, "x:c", "v")
    assert chain == {"x:c": ["x:b", "x:loop"], "x:b": ["x:root"], "x:loop": ["x:c"], "x:root": []}


def test_tree_sorts_siblings_in_finnish_order_and_cuts_a_cycle(index):
    (root,) = skos.tree(index, index.vocabularies["v"], "fi")
    assert root["iri"] == "x:root"
    assert [n["iri"] for n in root["children"]] == ["x:b", "x:a"]  # bussi before äiti
    (c,) = root["children"][0]["children"]
    (loop,) = c["children"]
    assert (c["iri"], loop["iri"], loop["children"]) == ("x:c", "x:loop", [])


def test_alphabetical_index_groups_by_finnish_letter(index):
    entries = index.alphabetical("v", "fi")
    assert [(letter, str(picked), iri) for letter, picked, iri in entries] == [
        ("B", "bussi", "x:b"),
        ("C", "celsius", "x:c"),
        ("J", "juuri", "x:root"),
        ("S", "silmukka", "x:loop"),
        ("Ä", "äiti", "x:a"),
    ]


@pytest.fixture(scope="module")
def lookup_index() -> SearchIndex:
    idx = make_index({"x:upper": "Päihde", "x:exact": "päihde", "x:alt": "huume"}, [])
    idx.labels["x:alt"].alt["fi"].append("päihdeaine")
    return SearchIndex(idx.label_entries())


def test_lookup_prefers_the_exact_preferred_label_to_one_differing_in_case(lookup_index):
    assert [h.concept for h in lookup_index.lookup("päihde", vocab="v")] == ["x:exact"]
    assert [h.concept for h in lookup_index.lookup("Päihde", vocab="v")] == ["x:upper"]


def test_lookup_falls_back_to_an_alternative_label_and_finds_nothing_else(lookup_index):
    assert [h.concept for h in lookup_index.lookup("PÄIHDEAINE", vocab="v")] == ["x:alt"]
    assert lookup_index.lookup("päih", vocab="v") == []
    assert lookup_index.lookup("päihde", vocab="w") == []
