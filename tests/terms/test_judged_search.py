"""The judged query set (``tests/fixtures/search_judgements.toml``) against the search of the
bundled build: every must-have concept in the first five hits, and recall@5 over the whole set
at least what the lemmatised search measured when it came (the prefix search before it: 0.40)."""

from __future__ import annotations

import pytest
from fixtures import search_judgements as sj

from kgservice.store.served import served_store
from kgservice.terms.index import ConceptIndex
from kgservice.terms.search import SearchIndex

#: recall@5 measured on the set with Voikko (0.91; the prefix search: 0.40); MRR 0.91.
MIN_RECALL_AT_5 = 0.90
MIN_MRR = 0.88
JUDGEMENTS = sj.load("https://rake-kg.example/")


@pytest.fixture(scope="module")
def index(built_settings) -> ConceptIndex:
    assert built_settings.base_iri == "https://rake-kg.example/"
    return ConceptIndex.load(served_store(built_settings), built_settings, "test-build", 0.0)


def found(search: SearchIndex, q: str) -> list[str]:
    return [h.concept for h in search.search(q, limit=sj.DEPTH)]


def test_the_judged_set_has_at_least_forty_queries_of_every_kind():
    assert len(JUDGEMENTS) >= 40
    kinds = {j.kind for j in JUDGEMENTS}
    assert kinds == {"inflected", "compound", "sv", "en", "typo", "prefix", "exact"}


def test_every_judged_concept_exists_in_the_bundled_build(index):
    for j in JUDGEMENTS:
        for concept in j.expected + j.must:
            assert concept in index.concepts, (j.q, concept)
        assert set(j.must) <= set(j.expected), j.q


@pytest.mark.parametrize("judgement", [j for j in JUDGEMENTS if j.must], ids=lambda j: j.q)
def test_must_have_concepts_are_in_the_first_five_hits(index, judgement):
    top = found(index.search, judgement.q)[: sj.CUTOFF]
    assert [c for c in judgement.must if c not in top] == [], top


def test_recall_at_5_and_mrr_over_the_judged_set_reach_the_measured_level(index):
    outcomes = sj.evaluate(lambda q: found(index.search, q), JUDGEMENTS)
    assert sj.recall_at_5(outcomes) >= MIN_RECALL_AT_5
    assert sj.mrr(outcomes) >= MIN_MRR


def test_lemmatised_search_finds_more_of_the_judged_set_than_the_prefix_search(index):
    prefix = SearchIndex(index.label_entries(), base_forms=False)
    before = sj.evaluate(lambda q: found(prefix, q), JUDGEMENTS)
    after = sj.evaluate(lambda q: found(index.search, q), JUDGEMENTS)
    assert sj.recall_at_5(after) > sj.recall_at_5(before) + 0.3
    assert sj.mrr(after) > sj.mrr(before)
    # the prefix search's own strengths are kept
    for kind in ("prefix", "exact"):
        same = [o for o in after if o.judgement.kind == kind]
        assert sj.recall_at_5(same) == 1.0
