"""Label search (unit level, on a hand-made index) and Finnish collation."""

from __future__ import annotations

import pytest

from kgservice.terms.collation import collation_key, index_letter
from kgservice.terms.index import Concept, ConceptIndex, Labels, Vocabulary
from kgservice.terms.search import SearchIndex, normalise


def make_index(concepts: dict[str, dict]) -> ConceptIndex:
    idx = ConceptIndex("test-build", 0.0)
    idx.vocabularies["v"] = Vocabulary("v", "http://x/scheme/v", "scheme")
    idx.vocabularies["w"] = Vocabulary("w", "http://x/scheme/w", "scheme")
    for iri, spec in concepts.items():
        idx.concepts[iri] = Concept(
            iri, vocabs=spec.get("vocabs", ["v"]), deprecated=spec.get("deprecated", False)
        )
        labels = Labels()
        labels.pref.update(spec.get("pref", {}))
        for lang, alts in spec.get("alt", {}).items():
            labels.alt[lang].extend(alts)
        for lang, hidden in spec.get("hidden", {}).items():
            labels.hidden[lang].extend(hidden)
        idx.labels[iri] = labels
    return idx


@pytest.fixture(scope="module")
def search() -> SearchIndex:
    return SearchIndex(
        make_index(
            {
                "x:paihde": {"pref": {"fi": "päihde", "en": "intoxicant"}},
                "x:paihdehuolto": {
                    "pref": {"fi": "päihdehuolto"},
                    "alt": {"fi": ["päihdepalvelut"]},
                },
                "x:paihteet": {"pref": {"fi": "päihteet ja riippuvuudet"}},
                "x:alt-paihde": {"pref": {"fi": "huumausaine"}, "alt": {"fi": ["päihde"]}},
                "x:hidden": {"pref": {"fi": "rahapelaaminen"}, "hidden": {"fi": ["uhkapeli"]}},
                "x:old": {"pref": {"fi": "päihdetyö"}, "deprecated": True},
                "x:sv": {"pref": {"fi": "asunnottomuus", "sv": "hemlöshet"}, "vocabs": ["w"]},
            }
        ).label_entries()
    )


def hits(search: SearchIndex, q: str, **kw) -> list[str]:
    return [h.concept for h in search.search(q, **kw)]


def test_normalise_strips_accents_and_case():
    assert normalise("Päihde  Å") == "paihde a"


def test_search_is_accent_and_case_insensitive(search):
    assert hits(search, "PAIHDE")[:1] == ["x:paihde"]
    assert hits(search, "päihde") == hits(search, "paihde")


def test_exact_preferred_label_ranks_before_exact_alt_label_inflected_words_and_prefixes(search):
    result = hits(search, "päihde")
    assert result[0] == "x:paihde"  # exact prefLabel
    assert result[1] == "x:alt-paihde"  # exact altLabel
    assert result[2] == "x:paihteet"  # a word of the prefLabel in base form (päihteet → päihde)
    assert result[3:] == ["x:paihdehuolto"]  # prefix of a prefLabel (and of its alt)


def test_prefix_matches_any_word_of_a_label(search):
    assert hits(search, "riippu") == ["x:paihteet"]


def test_hidden_labels_are_searchable(search):
    assert hits(search, "uhkap") == ["x:hidden"]


def test_deprecated_concepts_are_not_found(search):
    assert "x:old" not in hits(search, "päihdetyö")


def test_filters_by_vocabulary_and_label_language(search):
    assert hits(search, "hem", vocabs=["w"]) == ["x:sv"]
    assert hits(search, "hem", vocabs=["v"]) == []
    assert hits(search, "intox", lang="fi") == []
    assert hits(search, "intox", lang="en") == ["x:paihde"]


def test_trailing_wildcard_and_paging(search):
    assert hits(search, "päih*") == hits(search, "päih")
    first = hits(search, "p", limit=2)
    second = hits(search, "p", limit=2, offset=2)
    assert len(first) == 2 and not set(first) & set(second)
    assert hits(search, "   ") == []


def test_finnish_collation_puts_a_ring_a_umlaut_o_umlaut_after_z():
    words = ["öljy", "ääni", "zeta", "åland", "aakkonen", "Örebro", "vesi", "waltteri", "yö"]
    assert sorted(words, key=collation_key) == [
        "aakkonen",
        "vesi",
        "waltteri",  # w is its own letter after v
        "yö",
        "zeta",
        "åland",
        "ääni",
        "öljy",
        "Örebro",
    ]


def test_accented_latin_letters_sort_with_their_base_letter():
    assert sorted(["éclair", "eka", "fysiikka"], key=collation_key) == ["éclair", "eka", "fysiikka"]


def test_index_letter_keeps_finnish_letters_and_folds_others():
    assert index_letter("äiti") == "Ä"
    assert index_letter("Östersund") == "Ö"
    assert index_letter("élite") == "E"
    assert index_letter("3-vuotiaat") == "0–9"
