"""The search results page (issue 16): each hit with its vocabulary and a definition snippet with
the match highlighted, the hit count, and facets by vocabulary, type and status that filter; the
autocomplete names the vocabulary. On the bundled build."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from kgservice.terms.index import ConceptIndex, Labels
from kgservice.terms.results import snippet
from kgservice.terms.search import SearchIndex
from kgservice.web.terms import current_index

PHENOMENON = "https://rake-kg.example/concept/phenomenon/paihteet-ja-riippuvuudet"
INDICATOR_TYPE = "https://rake-kg.example/ontology/Indicator"


@pytest.fixture(scope="module")
def index(app) -> ConceptIndex:
    with app.test_request_context("/"):
        return current_index()


def page(client, **params) -> str:
    resp = client.get("/search", query_string=params)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:400]
    return resp.get_data(as_text=True)


def hit_count(text: str) -> int:
    found = re.search(r'id="hit-count">[^<:]*: (\d+)<', text)
    assert found, "no hit count"
    return int(found.group(1))


def result_items(text: str) -> list[str]:
    ol = re.search(r'<ol class="results">(.*?)</ol>', text, re.S)
    assert ol, "no result list"
    return re.findall(r"<li>(.*?)</li>", ol.group(1), re.S)


def facet_links(text: str, facet: str) -> dict[str, tuple[str, int]]:
    """value → (href, count) of a facet's links."""
    section = re.search(rf'data-facet="{facet}">(.*?)</section>', text, re.S)
    assert section, f"no {facet} facet"
    out = {}
    for href, count in re.findall(r'<a href="([^"]+)">.*?</a> \((\d+)\)', section.group(1)):
        href = html.unescape(href)
        value = parse_qs(urlsplit(href).query).get(facet, [""])[0]
        out[value] = (href, int(count))
    return out


def test_paihde_lists_the_phenomenon_on_the_first_page_with_vocabulary_and_marked_snippet(client):
    items = result_items(page(client, q="päihde", lang="fi"))
    first_five = items[:5]
    mine = [i for i in first_five if "paihteet-ja-riippuvuudet" in i]
    assert mine, first_five
    item = mine[0]
    assert "Ilmiöt" in item  # its vocabulary, in Finnish
    snippet_html = re.search(r'<p class="snippet" lang="fi">(.*?)</p>', item, re.S)
    assert snippet_html and "<mark>Päihteiden</mark>" in snippet_html.group(1)


def test_hit_count_is_the_number_of_concepts_the_search_finds(client, index):
    for q in ("päihde", "asunto", "hyvinvointialue"):
        expected = len(index.search.search(q, limit=2000))
        text = page(client, q=q, lang="fi")
        assert hit_count(text) == expected
        assert len(result_items(text)) == min(expected, 100)


def test_vocabulary_facet_link_filters_to_that_vocabulary_with_the_count_it_showed(client, index):
    links = facet_links(page(client, q="päihde", lang="fi"), "vocab")
    assert "indicators" in links and "phenomenon" in links
    href, count = links["indicators"]
    filtered = client.get(href).get_data(as_text=True)
    assert hit_count(filtered) == count
    shown = re.findall(r'href="/page\?uri=([^&"]+)', "".join(result_items(filtered)))
    assert shown and all("indicators" in index.concepts[_iri(u)].vocabs for u in shown)


def test_type_and_status_facets_count_the_types_and_statuses_of_the_hits(client, index):
    text = page(client, q="päihde", lang="fi")
    hits = index.search.search("päihde", limit=2000)
    types = facet_links(text, "type")
    assert types[INDICATOR_TYPE][1] == sum(
        INDICATOR_TYPE in index.types_of(h.concept) for h in hits
    )
    statuses = facet_links(text, "status")
    for status, (_, count) in statuses.items():
        # its own status or the status of its translations (rake:translationStatus)
        mine = [
            (index.statuses.get(h.concept), index.translation_statuses.get(h.concept)) for h in hits
        ]
        assert count == sum(status in pair for pair in mine)
    href, count = types[INDICATOR_TYPE]
    assert hit_count(client.get(href).get_data(as_text=True)) == count


def test_a_chosen_facet_value_is_marked_and_can_be_cleared(client):
    text = page(client, q="päihde", lang="fi", vocab="indicators")
    section = re.search(r'data-facet="vocab">(.*?)</section>', text, re.S).group(1)
    assert 'aria-current="true"' in section
    all_link = re.search(r'<a href="([^"]+)">Kaikki</a>', section)
    assert all_link and "vocab=" not in html.unescape(all_link.group(1))


def test_an_unknown_facet_value_is_a_400_naming_the_valid_choices(client):
    resp = client.get("/search?q=päihde&status=bogus", headers={"Accept": "application/json"})
    assert resp.status_code == 400
    body = resp.get_json()
    assert body["parameter"] == "status"
    assert "https://rake-kg.example/concept/status/VALID" in body["valid"]


def test_suggestions_name_the_vocabulary_in_the_page_language(client):
    hits = client.get("/search/suggest?q=päihde&lang=sv").get_json()
    mine = [h for h in hits if h["uri"] == PHENOMENON]
    assert mine and mine[0]["vocabTitle"] == "Fenomen"


def test_snippet_marks_the_matching_words_and_leaves_markup_as_text():
    idx = ConceptIndex("t", 0.0)
    idx.labels["x:a"] = Labels()
    idx.search = SearchIndex([])
    text = "Haitat <b>päihteiden</b> käytöstä & päihdehuolto."
    forms = idx.search.query_forms("päihde", "fi")
    pieces = snippet(idx, text, "fi", "päihde", forms)
    assert "".join(p for p, _ in pieces) == text
    assert [p for p, marked in pieces if marked] == ["päihteiden", "päihdehuolto"]


def test_a_long_definition_is_cut_around_its_first_match():
    idx = ConceptIndex("t", 0.0)
    idx.search = SearchIndex([])
    text = "alku " * 60 + "asunnottomuuden torjunta " + "loppu " * 60
    pieces = snippet(
        idx, text, "fi", "asunnottomuus", idx.search.query_forms("asunnottomuus", "fi")
    )
    joined = "".join(p for p, _ in pieces)
    assert joined.startswith("…") and joined.endswith("…") and len(joined) < 260
    assert ("asunnottomuuden", True) in pieces


def _iri(quoted: str) -> str:
    from urllib.parse import unquote

    return unquote(quoted)


def test_skosmos_rest_search_finds_inflected_forms_with_its_usual_fields(client):
    body = client.get("/rest/v1/search?query=päihde&lang=fi").get_json()
    mine = [r for r in body["results"] if r["uri"] == PHENOMENON]
    assert mine, [r["uri"] for r in body["results"]]
    assert {"uri", "type", "prefLabel", "lang", "vocab"} <= set(mine[0])
    assert mine[0]["prefLabel"] == "päihteet ja riippuvuudet" and mine[0]["vocab"] == "phenomenon"
