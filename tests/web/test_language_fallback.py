"""One fallback order for a label missing in the chosen language, marked in the page's language,
the same on every page and in the REST API (``kgservice/terms/index.py::FALLBACK_ORDER``).

Regression tests named after the language-fallback bugs Skosmos users reported; each asserts
the behaviour here on the bundled data (expected labels read from ``ontology/`` with rdflib).
"""

from __future__ import annotations

import re

import pytest
import rdflib
from rdflib.namespace import SKOS

from kgservice.config import PROJECT_ROOT
from kgservice.terms.index import FALLBACK_ORDER
from kgservice.texts import translate

B = "https://rake-kg.example/"


def source(*modules: str) -> rdflib.Graph:
    g = rdflib.Graph()
    for m in modules:
        g.parse(PROJECT_ROOT / "ontology" / f"{m}.ttl")
    return g


def labels(g: rdflib.Graph, iri: str, prop=SKOS.prefLabel) -> dict[str, str]:
    return {(o.language or ""): str(o) for o in g.objects(rdflib.URIRef(iri), prop)}


def expected(found: dict[str, str], lang: str) -> tuple[str, str]:
    """(text, language) by the documented order, computed here from the source."""
    if lang in found:
        return found[lang], lang
    for other in FALLBACK_ORDER:
        if other in found:
            return found[other], other
    other = sorted(found)[0]
    return found[other], other


def scheme_members(g: rdflib.Graph, scheme: str) -> list[str]:
    return [str(c) for c in g.subjects(SKOS.inScheme, rdflib.URIRef(B + "scheme/" + scheme))]


def test_skosmos_717_every_hierarchy_label_falls_back_in_the_one_order(client):
    """Skosmos #717: in the hierarchy each missing label fell back to a random language. Here
    every label of the Swedish tree is Swedish or the first of the order, page and REST alike."""
    g = source("production-phases")
    html = client.get("/vocab/production-phase/hierarchy?lang=sv").get_data(as_text=True)
    members = scheme_members(g, "production-phase")
    for iri in members:
        text, lang = expected(labels(g, iri), "sv")
        assert f'<span lang="{lang}">{text}</span>' in html
        if lang != "sv":
            m = re.search(
                re.escape(f'<span lang="{lang}">{text}</span>')
                + r' <span class="fallback" data-lang="(\w+)"[^>]*>\(([^)]*)\)',
                html,
            )
            assert m and m.group(1) == lang and m.group(2) == translate(f"in_lang.{lang}", "sv")
    top = next(c for c in members if (rdflib.URIRef(c), SKOS.topConceptOf, None) in g)
    rest = client.get(f"/rest/v1/production-phase/hierarchy?uri={top}&lang=sv").get_json()
    for iri, node in rest["broaderTransitive"].items():
        assert node["prefLabel"] == expected(labels(g, iri), "sv")[0]


def test_skosmos_1634_labels_from_outside_the_vocabulary_use_the_same_order(client):
    """Skosmos #1634: resources outside the vocabulary (here the lifecycle statuses on a
    vocabulary's information page) did not use the fallback order. Here they do."""
    g = source("status")
    html = client.get("/vocab/information-need/?lang=sv").get_data(as_text=True)
    rows = re.findall(r'<tr data-status="([^"]+)"><th scope="row">(.*?)</th>', html, re.S)
    assert rows
    for status, cell in rows:
        text, lang = expected(labels(g, status), "sv")
        assert f'<span lang="{lang}">{text}</span>' in cell
        assert ('class="fallback"' in cell) == (lang != "sv")


def test_skosmos_1634_a_code_list_title_on_the_finnish_front_page_is_marked_in_finnish(client):
    """The SDMX sex code list has no Finnish title: its card says so in Finnish, not "(en)"."""
    html = client.get("/?lang=fi").get_data(as_text=True)
    card = re.search(r'<li data-vocab="sex">(.*?)</li>', html, re.S).group(1)
    m = re.search(r'<span class="fallback" data-lang="(\w+)"[^>]*>\(([^)]*)\)', card)
    assert m, card
    assert m.group(2) == translate(f"in_lang.{m.group(1)}", "fi")
    assert m.group(2) != m.group(1)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_skosmos_1707_custom_property_labels_never_fall_back_to_a_random_language(app, lang):
    """Skosmos #1707: a custom property with no label in the UI language showed a random
    language. Here every property of the rake model is labelled by the one order."""
    from kgservice.web.terms import current_index

    g = rdflib.Graph()
    for module in sorted((PROJECT_ROOT / "ontology").glob("*.ttl")):
        g.parse(module)
    props = {str(p) for p in g.subjects(rdflib.RDF.type, rdflib.OWL.ObjectProperty)}
    props |= {str(p) for p in g.subjects(rdflib.RDF.type, rdflib.OWL.DatatypeProperty)}
    assert props
    with app.test_request_context("/"):
        idx = current_index()
        for prop in sorted(props):
            found = labels(g, prop, rdflib.RDFS.label) | labels(g, prop)  # prefLabel wins
            if not found:
                continue
            picked = idx.label(prop, lang)
            # the language by the order (the text may come from another module's label)
            assert picked.lang == expected(found, lang)[1], prop
            assert picked.fallback == (lang not in found)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_skosmos_1812_missing_labels_do_not_change_the_hierarchy(client, lang):
    """Skosmos #1812: groups without an English label moved to the wrong level of the tree.
    Here the tree's parent → child pairs are the same in every language."""

    def pairs(html: str) -> set[tuple[str, str]]:
        found: set[tuple[str, str]] = set()
        stack: list[str] = []
        last = ""
        tree = html.split('<ul class="tree">', 1)[1]
        for token in re.finditer(r'<li><a href="/page\?uri=([^"&]+)|<ul>|</ul>', tree):
            if token.group(0) == "<ul>":
                stack.append(last)
            elif token.group(0) == "</ul>":
                if not stack:  # the end of the tree
                    break
                stack.pop()
            else:
                last = token.group(1)
                if stack:
                    found.add((stack[-1], last))
        return found

    for vid in ("information-need-theme", "population-group", "information-need"):
        fi = pairs(client.get(f"/vocab/{vid}/hierarchy?lang=fi").get_data(as_text=True))
        other = pairs(client.get(f"/vocab/{vid}/hierarchy?lang={lang}").get_data(as_text=True))
        assert other == fi, vid
