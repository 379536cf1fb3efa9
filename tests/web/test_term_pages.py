"""The term browser's HTML pages: vocabularies, top concepts, tree, index, concept pages."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import quote

ST = "concept/service-task/"


class _Links(HTMLParser):
    """Collects (href, text) of every link."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._buf: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href = dict(attrs).get("href")
            self._buf = []

    def handle_data(self, data):
        if self._href is not None:
            self._buf.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._buf).strip()))
            self._href = None


def links(html: str) -> list[tuple[str, str]]:
    p = _Links()
    p.feed(html)
    return p.links


def section(html: str, css_class: str) -> str:
    m = re.search(
        rf'<(ul|ol|dl|table)[^>]*class="[^"]*\b{css_class}\b[^"]*"[^>]*>(.*?)</\1>', html, re.S
    )
    assert m, f"no element with class {css_class}"
    return m.group(2)


def page(client, base: str, path: str, lang: str = "fi") -> str:
    resp = client.get(f"/page?uri={quote(base + path, safe='')}&lang={lang}")
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def test_front_page_lists_schemes_and_owl_model_with_concept_counts(web_client):
    html = web_client.get("/?lang=fi").get_data(as_text=True)
    counts = dict(re.findall(r'data-vocab="([\w-]+)">.*?<span class="n">(\d+)</span>', html, re.S))
    # 6 active service tasks: the deprecated one is not counted
    assert counts == {"phenomenon": "4", "service-task": "6", "ontology": "7"}
    assert "Palvelutehtävät" in html and "OWL-tietomalli" in html


def test_vocabulary_page_lists_top_concepts_in_requested_language(web_client):
    html = web_client.get("/vocab/phenomenon/?lang=en").get_data(as_text=True)
    texts = [t for _, t in links(section(html, "top-concepts"))]
    assert texts == [
        "economic situation and livelihood",
        "homelessness",
        "mental health",
        "substances and addictions",
    ]


def test_hierarchy_tree_nests_children_and_leaves_out_deprecated(web_client):
    html = web_client.get("/vocab/service-task/hierarchy?lang=fi").get_data(as_text=True)
    tree = section(html, "tree")
    assert "<details open><summary" in tree
    texts = [t for _, t in links(tree)]
    assert texts[0] == "sosiaalipalvelut"
    assert "päihdetyö" not in texts
    # Finnish order among the children: ä after z
    assert texts[1:] == [
        "lastensuojelu",
        "päihdehuolto",
        "vammaispalvelut",
        "zeta-palvelu",
        "äitiysneuvola",
    ]


def test_alphabetical_index_uses_finnish_letters_and_order(web_client):
    html = web_client.get("/vocab/service-task/index?lang=fi").get_data(as_text=True)
    letters = [t for _, t in links(section(html, "letters"))]
    assert letters == ["L", "P", "S", "V", "Z", "Ä"]
    a_umlaut = web_client.get("/vocab/service-task/index?lang=fi&letter=Ä").get_data(as_text=True)
    assert [t for _, t in links(section(a_umlaut, "alpha-index"))] == ["äitiysneuvola"]
    p = web_client.get("/vocab/service-task/index?lang=fi&letter=P").get_data(as_text=True)
    assert "päihdetyö" not in p  # deprecated: out of the index


def test_missing_translation_falls_back_to_finnish_marked_as_such(web_client):
    html = web_client.get("/vocab/service-task/index?lang=sv&letter=V").get_data(as_text=True)
    assert re.search(
        r'<span lang="fi">vammaispalvelut</span> <span class="fallback"[^>]*>\(på finska\)', html
    )
    sv = web_client.get("/vocab/service-task/index?lang=sv&letter=B").get_data(as_text=True)
    assert '<span lang="sv">barnskydd</span></a>' in sv  # no marker when the language exists


def test_concept_page_shows_labels_definition_status_schemes_and_mappings(web_client, base):
    html = page(web_client, base, "concept/phenomenon/asunnottomuus")
    labels = section(html, "labels")
    assert re.search(r'data-lang="sv">.*?hemlöshet', labels, re.S)
    assert re.search(r'data-lang="fi">.*?asunnottomuus.*?kodittomuus', labels, re.S)
    assert "Tilanne, jossa ihmisellä ei ole omaa asuntoa." in html
    assert ">voimassa</a>" in html  # status with its label
    assert ">Ilmiöt</a>" in html  # scheme
    mappings = section(html, "mappings")
    assert 'href="http://example.org/external-vocabulary/homelessness" rel="external"' in mappings
    downloads = [t for _, t in links(section(html, "downloads"))]
    assert downloads == ["Turtle", "JSON-LD", "RDF/XML", "N-Triples"]


def test_concept_page_shows_notation_and_related(web_client, base):
    html = page(web_client, base, ST + "lastensuojelu", lang="en")
    assert "<dd>LS</dd>" in html
    assert [t for _, t in links(section(html, "related"))] == ["substance abuse services"]


def test_traceability_is_navigable_both_ways(web_client, base):
    html = page(web_client, base, "concept/phenomenon/asunnottomuus")
    used = dict((t, h) for h, t in links(section(html, "used-in")))
    assert "asunnottomat yksin eläjät (testi)" in used  # an indicator measuring it
    assert "tilannekuva" in used  # a view showing it
    recorded = [t for _, t in links(section(html, "recorded-in"))]
    assert "Sukunimi" in recorded  # a document-structure entry recording it, grouped by structure
    assert "Sukunimi" not in used  # shown once, in its own section
    indicator = web_client.get(used["asunnottomat yksin eläjät (testi)"]).get_data(as_text=True)
    back = [t for _, t in links(section(indicator, "outgoing"))]
    assert "asunnottomuus" in back
    assert ">mittaa<" in indicator  # the property's own label


def test_deprecated_concept_stays_dereferenceable_with_banner_to_replacement(web_client, base):
    html = page(web_client, base, ST + "paihdetyo")
    banner = re.search(
        r'<div class="banner" role="alert" id="deprecated-banner">(.*?)</div>', html, re.S
    )
    assert banner
    assert "poistettu käytöstä" in banner.group(1)
    assert f"/page?uri={quote(base + ST + 'paihdehuolto', safe='')}&amp;lang=fi" in banner.group(1)
    assert "päihdehuolto" in banner.group(1)
    assert "deprecated-banner" not in page(web_client, base, ST + "paihdehuolto")


def test_narrower_list_excludes_deprecated_children(web_client, base):
    html = page(web_client, base, ST + "sosiaalipalvelut", lang="fi")
    assert "päihdetyö" not in [t for _, t in links(section(html, "narrower"))]


def test_document_structure_page_shows_entries_table_like_sosmeta(web_client, base):
    html = page(web_client, base, "sosmeta/1.2.246.537.6.1506.11052.2022.6.28")
    table = section(html, "entries")
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
    cells = [
        [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S)
        ]
        for r in rows
    ]
    assert cells[0][:2] == ["Nro", "Nimi"]
    assert cells[1] == ["1", "Asiakas", "Yksityishenkilö (TK)", "PAKOLLINEN", "TOISTUVA"]
    assert cells[2] == ["2", "Sukunimi", "Nimi", "PAKOLLINEN", ""]
    assert "Luettelo on osittainen." in html


def test_page_of_unknown_uri_is_404_and_missing_uri_is_400(web_client, base):
    resp = web_client.get(f"/page?uri={quote(base + 'concept/x/y', safe='')}")
    assert resp.status_code == 404
    assert web_client.get("/page").status_code == 400


def test_search_page_ranks_exact_preferred_label_first_and_filters(web_client):
    html = web_client.get("/search?q=lastensuojelu&lang=fi").get_data(as_text=True)
    results = [t for h, t in links(section(html, "results")) if h.startswith("/page")]
    assert results[0] == "lastensuojelu"
    filtered = web_client.get("/search?q=lastensuojelu&vocab=phenomenon").get_data(as_text=True)
    assert "Ei tuloksia." in filtered
    assert web_client.get("/search?q=x&vocab=nope").status_code == 400


def test_suggest_is_accent_insensitive_and_matches_alt_and_hidden_labels(web_client):
    hits = web_client.get("/search/suggest?q=paihde&lang=fi").get_json()
    # "päihteet" in base form is "päihde" (before the prefix match "päihdehuolto")
    assert [h["label"] for h in hits] == ["päihteet ja riippuvuudet", "päihdehuolto"]
    alt = web_client.get("/search/suggest?q=kodittomuus").get_json()
    assert alt[0]["label"] == "asunnottomuus"
    assert alt[0]["matched"] == "kodittomuus" and alt[0]["matchedKind"] == "alt"
    hidden = web_client.get("/search/suggest?q=paihteet").get_json()
    assert hidden[0]["label"] == "päihteet ja riippuvuudet"


def test_suggest_filters_by_label_language_and_shows_fallback(web_client):
    sv = web_client.get("/search/suggest?q=hem&search_lang=sv&lang=sv").get_json()
    assert [h["label"] for h in sv] == ["hemlöshet"]
    en = web_client.get("/search/suggest?q=vammais&lang=en").get_json()
    assert en[0]["label"] == "vammaispalvelut" and en[0]["fallback"] is True


def test_language_switch_links_keep_the_current_page(web_client, base):
    html = page(web_client, base, ST + "lastensuojelu")
    hrefs = [h for h, t in links(html) if t in ("svenska", "English")]
    assert len(hrefs) == 2
    assert all(h.startswith("/page?uri=") for h in hrefs)
    assert any("lang=sv" in h for h in hrefs)


def test_retired_lifecycle_status_alone_deprecates_a_concept(web_client, base):
    html = page(web_client, base, ST + "vanha-palvelu", lang="fi")
    assert "deprecated-banner" in html
    assert ">vammaispalvelut</a>" in html  # its replacement
    tree = web_client.get("/vocab/service-task/hierarchy").get_data(as_text=True)
    assert "vanha palvelu" not in tree
    assert web_client.get("/search/suggest?q=vanha").get_json() == []


def test_change_history_lists_changes_with_affected_entry(web_client, base):
    html = page(web_client, base, "sosmeta/1.2.246.537.6.1506.11052.2022.6.28")
    table = section(html, "changes")
    assert "added" in table
    assert "Lisätty tietosisältö Sukunimi (testiaineisto)." in table
    assert [t for _, t in links(table)] == ["Sukunimi"]


def test_standard_terms_without_labels_in_the_data_get_ui_labels(web_client, base):
    html = page(web_client, base, "concept/phenomenon/asunnottomuus", lang="sv")
    assert ">exakt matchning<" in html  # skos:exactMatch
    assert ">begrepp</a>" in html  # skos:Concept as a type


def test_anonymous_union_class_is_shown_by_its_members(web_client, base):
    html = page(web_client, base, "ontology/measures", lang="en")
    outgoing = [t for _, t in links(section(html, "outgoing"))]
    assert "Phenomenon" in outgoing and "Factor" in outgoing
    assert "[…]" not in html


def test_search_suggestions_revalidate_with_304_from_the_store_build(web_client):
    first = web_client.get("/search/suggest?q=lastensuojelu")
    assert first.status_code == 200 and first.get_json() and first.headers["ETag"]
    again = web_client.get(
        "/search/suggest?q=lastensuojelu", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304 and again.data == b""
    assert web_client.get("/search/suggest?q=paihde").headers["ETag"] != first.headers["ETag"]
