"""The traceability queries (queries/trace/*.rq) on a small fictional chain beside this test."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import NamedNode, RdfFormat

from kgservice.config import PROJECT_ROOT
from kgservice.queries import select
from kgservice.store.embedded import EmbeddedStore

FIXTURE = Path(__file__).parent / "fixtures" / "trace-chain.ttl"
QUERIES = PROJECT_ROOT / "queries"
EX = "https://example.org/trace/"
RAKE = "https://rake-kg.example/ontology/"
HOMELESSNESS = NamedNode("https://rake-kg.example/concept/phenomenon/asunnottomuus")


@pytest.fixture(scope="module")
def store():
    s = EmbeddedStore()
    s.load(FIXTURE, RdfFormat.TURTLE, "https://example.org/graph/trace")
    yield s
    s.close()


def short(term) -> str | None:
    return None if term is None else term.value.replace(EX, "").replace(RAKE, "rake:")


def test_indicators_using_a_concept_follow_entries_measures_and_influencing_factors(store):
    found = select(store, QUERIES, "trace/indicators-using-concept", concept=HOMELESSNESS)
    paths = {(short(r["indicator"]), short(r["via"]), short(r.get("entry"))) for r in found}
    assert paths == {
        ("ind-1", "rake:usesConcept", "entry-a"),
        ("ind-1", "rake:usesConcept", "entry-b"),  # entry-b records a narrower concept
        ("ind-2", "rake:usesConcept", "entry-b"),
        ("ind-3", "rake:measures", None),
        ("ind-5", "rake:influences", None),
    }


def test_indicators_using_a_concept_report_the_views_they_are_shown_in(store):
    found = select(store, QUERIES, "trace/indicators-using-concept", concept=HOMELESSNESS)
    views = {short(r["view"]) for r in found if short(r["indicator"]) == "ind-1"}
    assert views == {"view-x", "view-y"}
    labels = {r["label"].value for r in found if "label" in r}
    assert labels == {"Esimerkki yksi"}


def test_an_indicator_answering_a_need_is_found_from_the_needs_theme(store):
    found = select(
        store, QUERIES, "trace/indicators-using-concept", concept=NamedNode(EX + "theme")
    )
    assert {(short(r["indicator"]), short(r["via"])) for r in found} == {("ind-4", "rake:hasTheme")}


def test_entries_feeding_an_indicator_come_with_row_version_and_concept(store):
    found = select(
        store, QUERIES, "trace/entries-feeding-indicator", indicator=NamedNode(EX + "ind-1")
    )
    table = [
        (
            short(r["entry"]),
            r["label"].value,
            int(r["rowNumber"].value),
            short(r["version"]),
            r["oid"].value,
            r["concept"].value.rsplit("/", 1)[1],
        )
        for r in found
    ]
    assert table == [
        ("entry-a", "Asumistilanne", 3, "version", "0.0.0.example.1", "asunnottomuus"),
        ("entry-b", "Asunnon menetys", 4, "version", "0.0.0.example.1", "narrower-concept"),
    ]


def test_an_indicator_no_entry_feeds_has_no_rows(store):
    found = select(
        store, QUERIES, "trace/entries-feeding-indicator", indicator=NamedNode(EX + "ind-5")
    )
    assert found == []
