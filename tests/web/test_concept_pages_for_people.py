"""Concept pages for people (issue 16), on the bundled build: figures in the views instead of
data slices, technical properties collapsed with translated labels, no region inside itself,
a breadcrumb, mapped YSO concepts by their labels, downloads named after the concept."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import parse_qs, quote, unquote, urlsplit

import pytest
from pyoxigraph import NamedNode

from kgservice.namespaces import SKOS
from kgservice.store.embedded import EmbeddedStore
from kgservice.store.served import served_dir

RAKE = "https://rake-kg.example/"
LOW_INCOME = RAKE + "concept/indicator/pienituloisuusaste"
KAJAANI = RAKE + "region/kunta/205"
CENTRAL_OSTROBOTHNIA = RAKE + "region/hyvinvointialue/18"
HOMELESSNESS = RAKE + "concept/phenomenon/asunnottomuus"
RECORD_TYPES = (
    "http://purl.org/linked-data/cube#Observation",
    RAKE + "ontology/MissingObservation",
    RAKE + "ontology/IndicatorValue",
    RAKE + "ontology/IndicatorSlice",
)


def html_of(client, iri: str, lang: str = "fi") -> str:
    resp = client.get(f"/page?uri={quote(iri, safe='')}&lang={lang}")
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def block(html: str, pattern: str) -> str:
    m = re.search(pattern, html, re.S)
    assert m, f"no {pattern!r} on the page"
    return m.group(1)


def linked_iris(html: str) -> list[str]:
    """The IRIs of every link to a resource page (``/page?uri=``)."""
    out = []
    for href in re.findall(r'href="(/page\?[^"]+)"', html):
        query = parse_qs(urlsplit(href.replace("&amp;", "&")).query)
        out.append(query["uri"][0])
    return out


@pytest.fixture(scope="module")
def store(built_settings) -> Iterator[EmbeddedStore]:
    s = EmbeddedStore(served_dir(built_settings), read_only=True)
    yield s
    s.close()


def sparql(
    store: EmbeddedStore, query: str, bindings: dict[str, NamedNode] | None = None
) -> list[dict[str, str]]:
    """An ad-hoc test query (its text fixed in this file, values bound as terms): each row's
    values as strings."""
    return [{k: v.value for k, v in row.items()} for row in store.select(query, bindings or {})]


def scheme_members(store: EmbeddedStore, scheme: str) -> list[str]:
    rows = sparql(
        store,
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "SELECT DISTINCT ?c WHERE { GRAPH ?g { ?c skos:inScheme ?scheme } }",
        {"scheme": NamedNode(f"{RAKE}scheme/{scheme}")},
    )
    return sorted(r["c"] for r in rows)


class _VisibleLinks(HTMLParser):
    """Counts the links a reader sees before opening anything: those outside a closed
    ``<details>`` (its ``<summary>`` stays visible)."""

    def __init__(self) -> None:
        super().__init__()
        self.closed = 0  # depth inside closed <details>
        self.summary = 0
        self.visible = 0
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "details" and (self.closed or "open" not in dict(attrs)):
            self.closed += 1
        elif tag == "summary" and self.closed:
            self.summary += 1
        elif tag == "a":
            if self.closed and not self.summary:
                self.hidden += 1
            else:
                self.visible += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "details" and self.closed:
            self.closed -= 1
        elif tag == "summary" and self.summary:
            self.summary -= 1


def visible_links(html: str) -> tuple[int, int]:
    parser = _VisibleLinks()
    parser.feed(html)
    return parser.visible, parser.hidden


def test_indicator_page_links_to_the_phenomenon_view_of_its_phenomenon(client):
    html = html_of(client, LOW_INCOME)
    href = block(html, r'<a class="figures" href="([^"]+)">Näytä luvut</a>')
    assert unquote(href.replace("&amp;", "&")) == (
        "/views/phenomenon-view?phenomenon=taloudellinen-tilanne-ja-toimeentulo&lang=fi"
    )
    assert client.get(href.replace("&amp;", "&")).status_code == 200


@pytest.mark.parametrize(
    ("iri", "lang", "text", "expected"),
    [
        (KAJAANI, "sv", "Visa siffrorna", "/views/situation-picture?area=205&lang=sv"),
        (
            HOMELESSNESS,
            "en",
            "Show the figures",
            "/views/phenomenon-in-brief?phenomenon=asunnottomuus&lang=en",
        ),
    ],
)
def test_region_and_phenomenon_pages_link_to_their_view(client, iri, lang, text, expected):
    href = block(html_of(client, iri, lang), rf'<a class="figures" href="([^"]+)">{text}</a>')
    assert href.replace("&amp;", "&") == expected
    assert client.get(expected).status_code == 200


def test_indicator_page_lists_no_data_slice_or_observation(client, store):
    html = html_of(client, LOW_INCOME)
    texts = re.findall(r"<a [^>]*>(?:<[^>]+>)*([^<]*)", html)
    assert not [t for t in texts if re.fullmatch(r"\d{4}|\w+/\w+/\w+", t.strip())]
    iris = set(linked_iris(html))
    values = " ".join(f"<{i}>" for i in iris)
    types = " ".join(f"<{t}>" for t in RECORD_TYPES)
    records = sparql(
        store,
        f"SELECT ?r WHERE {{ VALUES ?r {{ {values} }} VALUES ?t {{ {types} }}"
        " GRAPH ?g { ?r a ?t } }",
    )
    assert records == []


def test_technical_properties_are_collapsed_with_labels_in_the_page_language(client):
    expected = {
        "fi": ("laskentakysely", "ei"),
        "sv": ("beräkningsfråga", "nej"),
        "en": ("computed by", "no"),
    }
    for lang, (computed_by, no) in expected.items():
        html = html_of(client, LOW_INCOME, lang)
        details = block(html, r'(<details class="technical">.*?</details>)')
        assert not details.startswith('<details class="technical" open')
        labels = re.findall(r"<dt>(.*?)</dt>", details, re.S)
        assert all(f'<span lang="{lang}">' in dt and "fallback" not in dt for dt in labels)
        assert computed_by in details and "indicators/ratio-of-sums" in details
        outgoing = block(html, r'<dl class="props outgoing">(.*?)</dl>')
        assert computed_by not in outgoing  # only in the technical block
        assert re.search(rf"<li><span>{no}</span></li>", details)  # rake:isIndex false
        assert ">false<" not in html and ">true<" not in html


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_region_page_has_no_english_property_label_on_a_finnish_or_swedish_page(client, lang):
    html = html_of(client, CENTRAL_OSTROBOTHNIA, lang)
    labels = re.findall(r"<dt>(.*?)</dt>", html, re.S)
    assert labels
    assert not [dt for dt in labels if "fallback" in dt or 'lang="en"' in dt]
    assert "Sotkanet region id" not in html and "(en)" not in html


def test_a_literal_with_the_same_text_in_several_languages_shows_once(client):
    html = html_of(client, LOW_INCOME, "fi")
    outgoing = block(html, r'<dl class="props outgoing">(.*?)</dl>')
    unit = block(outgoing, r"yksikkö</span></dt>\s*<dd>(.*?)</dd>")
    assert re.sub(r"<[^>]+>", "", unit).strip() == "%"
    source = block(outgoing, r"lähdeviite</span></dt>\s*<dd>(.*?)</dd>")
    assert source.count("<li>") == 1 and "(sv)" not in source and "(en)" not in source


def test_no_region_is_inside_itself_and_the_closure_keeps_every_area_above(client, store):
    assert (
        sparql(
            store,
            f"SELECT ?r WHERE {{ GRAPH ?g {{ ?r <{RAKE}ontology/inArea> ?r }} }}",
        )
        == []
    )
    broader = defaultdict(set)
    for r in sparql(
        store,
        f"SELECT ?c ?b WHERE {{ GRAPH <{RAKE}graph/regions> {{ ?c <{SKOS}broader> ?b }} }}",
    ):
        broader[r["c"]].add(r["b"])

    def above(region: str) -> set[str]:
        out: set[str] = set()
        todo = list(broader.get(region, ()))
        while todo:
            area = todo.pop()
            if area not in out:
                out.add(area)
                todo.extend(broader.get(area, ()))
        return out

    closure = defaultdict(set)
    for r in sparql(
        store, f"SELECT ?r ?a WHERE {{ GRAPH ?g {{ ?r <{RAKE}ontology/inArea> ?a }} }}"
    ):
        closure[r["r"]].add(r["a"])
    assert {r: above(r) for r in list(broader)} == dict(closure)
    html = html_of(client, CENTRAL_OSTROBOTHNIA)
    assert CENTRAL_OSTROBOTHNIA not in linked_iris(html.split("</h1>", 1)[1])


def test_breadcrumb_walks_from_the_vocabulary_down_the_broader_chain(client):
    html = html_of(client, KAJAANI)
    crumbs = block(html, r'<nav class="breadcrumb"[^>]*>(.*?)</nav>')
    texts = [
        re.sub(r"<[^>]+>", "", li).strip()
        for li in re.findall(r"<li[^>]*>(.*?)</li>", crumbs, re.S)
    ]
    assert texts == [
        "Alueet",
        "Koko Suomi",
        "Pohjois-Suomen yhteistyöalue",
        "Kainuun hyvinvointialue",
        "Kajaani",
    ]
    hrefs = re.findall(r'href="([^"]+)"', crumbs)
    assert hrefs[0] == "/vocab/regions/?lang=fi" and len(hrefs) == 4  # the page itself: no link


def test_uri_is_a_link_with_a_copy_button_hidden_until_the_script_runs(client):
    html = html_of(client, HOMELESSNESS)
    assert f'<a class="uri" href="{HOMELESSNESS}">{HOMELESSNESS}</a>' in html
    assert re.search(
        rf'<button type="button" class="copy" data-copy="{HOMELESSNESS}"[^>]* hidden>', html
    )
    assert '<script src="/static/copy.js" defer></script>' in html


def test_mapped_yso_concepts_show_their_labels_from_the_bundled_yso_file(client, store, shared_dir):
    raw = shared_dir / "data-raw" / "vocab" / "yso_2017_social_welfare_subset_fi_sv_en.csv"
    with raw.open(encoding="utf-8") as f:
        yso = {row["uri"]: row for row in csv.DictReader(f)}
    mapped = sparql(
        store,
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT DISTINCT ?c ?m WHERE {"
        " GRAPH ?g { ?c skos:exactMatch|skos:closeMatch|skos:broadMatch|skos:narrowMatch"
        "|skos:relatedMatch ?m }"
        ' FILTER(STRSTARTS(STR(?m), "http://www.yso.fi/")) }',
    )
    assert len(mapped) >= 12
    for row in mapped:
        concept, target = row["c"], row["m"]
        for lang in ("fi", "sv"):
            mappings = block(
                html_of(client, concept, lang), r'<dl class="props mappings">(.*?)</dl>'
            )
            label = yso[target][f"prefLabel_{lang}"]
            assert f'href="{target}" lang="{lang}" rel="external">{label} (YSO)</a>' in mappings


def test_download_is_named_after_the_concept(client):
    for ext in ("ttl", "jsonld", "rdf", "nt"):
        resp = client.get(f"/data?uri={quote(HOMELESSNESS, safe='')}&format={ext}")
        assert resp.status_code == 200
        assert resp.headers["Content-Disposition"] == f'attachment; filename="asunnottomuus.{ext}"'


def test_every_concept_page_of_phenomena_indicators_and_regions_has_few_links(client, store):
    """The route-level companion of the browser's height test: every page of the three schemes,
    the links a reader sees counted (341 slice links on an indicator page before issue 16).
    Long lists (a phenomenon's hundreds of catalogue indicators, its entries per structure)
    stay on the page but collapsed under a summary that gives their number."""
    counts, hidden = {}, {}
    for scheme in ("phenomenon", "indicators", "regions"):
        for iri in scheme_members(store, scheme):
            counts[iri], hidden[iri] = visible_links(html_of(client, iri))
    assert len(counts) > 300
    assert max(counts.values()) < 80, sorted(counts.items(), key=lambda kv: -kv[1])[:3]
    assert hidden[RAKE + "concept/phenomenon/paihteet-ja-riippuvuudet"] > 100  # still reachable
