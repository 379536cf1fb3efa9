"""Search by base form (issue 16): Finnish through Voikko, Swedish and English through Snowball,
Snowball for Finnish too when Voikko is off; compounds match on their parts; exact labels and
prefixes still rank first. On hand-made labels, no store."""

from __future__ import annotations

import pytest

from kgservice.terms.lemmas import Lemmatiser, content_word_count
from kgservice.terms.search import LabelEntry as L
from kgservice.terms.search import SearchIndex, shared_lemmatiser

LABELS = [
    L("x:riippuvuudet", "pref", "fi", "päihteet ja riippuvuudet", ("phenomenon",)),
    L("x:riippuvuudet", "pref", "sv", "rusmedel och beroenden", ("phenomenon",)),
    L("x:riippuvuudet", "pref", "en", "substances and addictions", ("phenomenon",)),
    L("x:asunnottomuus", "pref", "fi", "asunnottomuus", ("phenomenon",)),
    L("x:asunnottomuus", "pref", "sv", "hemlöshet", ("phenomenon",)),
    L("x:hoidetut", "pref", "fi", "Päihteiden vuoksi hoidetut potilaat", ("indicators",)),
    L("x:avohoito", "pref", "fi", "Mielenterveyspalvelujen avohoitokäynnit", ("indicators",)),
    L("x:huolto", "pref", "fi", "päihdehuolto", ("service-task",)),
    L("x:toimeentulotuki", "pref", "fi", "toimeentulotuki", ("indicators",)),
    L("x:palvelut", "pref", "fi", "työikäisten palvelut", ("service-task",)),
    L("x:kuolleisuus", "pref", "fi", "Itsemurhakuolleisuus", ("indicators",)),
]


@pytest.fixture(scope="module")
def voikko() -> SearchIndex:
    index = SearchIndex(LABELS)
    assert index.lemmatiser.backend == "voikko", "Voikko (libvoikko1 + voikko-fi) is not installed"
    return index


@pytest.fixture(scope="module")
def snowball() -> SearchIndex:
    return SearchIndex(LABELS, Lemmatiser(use_voikko=False))


def found(index: SearchIndex, q: str, **kw) -> list[str]:
    return [h.concept for h in index.search(q, **kw)]


def test_finnish_inflected_forms_find_the_base_form_where_the_stem_changes(voikko):
    # päihde → päihteet, päihteiden: consonant gradation, no common prefix beyond "päih"
    assert found(voikko, "päihde")[:2] == ["x:riippuvuudet", "x:hoidetut"]
    assert found(voikko, "päihteiden")[:2] == ["x:riippuvuudet", "x:hoidetut"]
    assert "x:asunnottomuus" in found(voikko, "asunnottomuuden")


def test_a_word_finds_the_compounds_and_derivations_made_of_it(voikko):
    assert found(voikko, "asunto") == ["x:asunnottomuus"]  # asunno-ton-uus
    assert "x:avohoito" in found(voikko, "mielenterveys")  # mielen+terveys+palvelujen
    assert found(voikko, "itsemurha") == ["x:kuolleisuus"]  # itse+murha+kuolleisuus
    assert "x:toimeentulotuki" in found(voikko, "tuki")


def test_finnish_words_without_diacritics_or_misspelt_are_found(voikko):
    assert found(voikko, "paihteiden")[:2] == ["x:riippuvuudet", "x:hoidetut"]
    assert found(voikko, "asunnottomyys") == ["x:asunnottomuus"]  # Voikko's speller


def test_swedish_and_english_words_go_through_snowball(voikko):
    assert found(voikko, "beroende") == ["x:riippuvuudet"]
    assert found(voikko, "addiction") == ["x:riippuvuudet"]
    assert found(voikko, "substance") == ["x:riippuvuudet"]
    assert found(voikko, "hemloshet") == ["x:asunnottomuus"]


def test_every_word_of_the_query_must_match_a_word_of_the_label(voikko):
    assert found(voikko, "päihteiden riippuvuus") == ["x:riippuvuudet"]
    assert found(voikko, "päihteiden asunto") == []


def test_exact_label_then_same_words_then_prefix_rank_before_other_base_form_matches(voikko):
    hits = voikko.search("päihdehuolto")
    assert hits[0].concept == "x:huolto" and hits[0].rank == 0
    same = voikko.search("päihteet riippuvuudet")  # "ja" is not a word that counts
    assert same[0].concept == "x:riippuvuudet" and same[0].rank == 2
    # a label starting with the query word, then a prefix, then compounds of it
    assert found(voikko, "päihde") == ["x:riippuvuudet", "x:hoidetut", "x:huolto"]


def test_the_label_language_filter_applies_to_base_form_matches(voikko):
    assert found(voikko, "beroende", lang="fi") == []
    assert found(voikko, "päihteiden", lang="sv") == []
    assert found(voikko, "päihteiden", lang="fi")[:1] == ["x:riippuvuudet"]


def test_without_voikko_snowball_finds_the_inflected_finnish_forms_it_handles(snowball):
    assert snowball.lemmatiser.backend == "snowball"
    # Snowball cuts case endings (palvelujen, palvelut → palvelu) and handles sv and en as before
    assert found(snowball, "palvelujen") == ["x:palvelut"]
    assert found(snowball, "työikäisten") == ["x:palvelut"]
    assert found(snowball, "addiction") == ["x:riippuvuudet"]
    assert set(found(snowball, "päih")) == {"x:riippuvuudet", "x:hoidetut", "x:huolto"}
    # what only Voikko knows: the changed stem and the compound's parts
    assert "x:riippuvuudet" not in found(snowball, "päihde")
    assert found(snowball, "asunto") == []


def test_a_lemmatiser_without_voikko_is_what_a_machine_without_the_library_gets(monkeypatch):
    import kgservice.terms.lemmas as lemmas

    monkeypatch.setattr(lemmas, "open_voikko", lambda: None)
    assert Lemmatiser().backend == "snowball"


def test_prefix_only_mode_is_the_search_before_base_forms(voikko):
    prefix = SearchIndex(LABELS, shared_lemmatiser(), base_forms=False)
    assert found(prefix, "päihde") == ["x:huolto"]
    assert found(prefix, "päih") == found(voikko, "päih")


def test_function_words_and_dates_do_not_count_as_words_of_a_label():
    assert content_word_count("päihteet ja riippuvuudet") == 2
    assert content_word_count("Lastensuojeluilmoitus (2023-04-28)") == 1


def test_the_speller_is_asked_about_three_short_enough_words_at_most(monkeypatch):
    lemmatiser = Lemmatiser()
    asked: list[str] = []
    real = lemmatiser._suggest
    monkeypatch.setattr(lemmatiser, "_suggest", lambda w: asked.append(w) or real(w))
    index = SearchIndex(LABELS, lemmatiser)
    unknown = [f"qzx{c}ttomyys" for c in "abcdefgh"]
    assert index.search(" ".join(unknown)) == []
    assert asked == unknown[:3]
    assert index.search("asunnottomyys" * 3) == [] and len(asked) == 3  # 39 letters: not spelt
    assert found(index, "asunnottomyys") == ["x:asunnottomuus"] and len(asked) == 4


TIERED = [
    L("x:catalogue", "pref", "fi", "Päihdehuollon asumispalvelut", ("indicators",), tier=1),
    L("x:structure", "pref", "fi", "Päihdetyön suunnitelma", ("sosmeta-structures",)),
    L("x:version", "pref", "fi", "Päihdetyön suunnitelma (2024)", ("sosmeta-structures",), tier=2),
    L("x:phenomenon", "pref", "fi", "päihteet ja riippuvuudet", ("phenomenon",), links=300),
    L("x:theme", "pref", "fi", "päihteet ja mielenterveys", ("information-need-theme",), links=4),
    L("x:property", "pref", "fi", "päihdetieto", ("ontology",)),
]


def test_the_concept_model_ranks_before_the_bulk_at_an_equal_kind_of_match():
    """A prefix every label shares: the concept model first (the phenomenon, which more of the
    graph links to, before the theme sharing its words), then the structure, the catalogue
    indicator without figures and the ontology's property, the dated version last."""
    hits = found(SearchIndex(TIERED), "päih")
    assert hits[:2] == ["x:phenomenon", "x:theme"]
    assert set(hits[2:5]) == {"x:structure", "x:catalogue", "x:property"}
    assert hits[5] == "x:version"


def test_a_bulk_label_matching_exactly_still_ranks_before_a_partial_match_of_the_model():
    index = SearchIndex(TIERED)
    assert found(index, "Päihdehuollon asumispalvelut")[0] == "x:catalogue"
    assert found(index, "päihdetieto")[0] == "x:property"


def test_thousands_of_bulk_keys_before_it_do_not_hide_a_concept_of_the_model():
    """The bulk has key lists of its own: a prefix shared by many structures whose keys sort
    before the phenomenon's cannot use up the scan."""
    bulk = [
        L(f"x:s{i}", "pref", "fi", f"Päihde-{i:04d} suunnitelma", ("sosmeta-structures",))
        for i in range(3000)
    ]
    hits = found(SearchIndex(bulk + TIERED[3:4]), "päih", limit=5)
    assert hits[0] == "x:phenomenon"
