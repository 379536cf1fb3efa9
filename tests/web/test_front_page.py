"""The front page: a way in for the analyst, the terminologist and the developer, and the
vocabularies grouped, each card with its description in the page's language."""

from __future__ import annotations

import re

import pytest
import rdflib
from rdflib.namespace import SKOS

from kgservice.config import PROJECT_ROOT
from kgservice.texts import LANGUAGES, translate

PHENOMENA = rdflib.URIRef("https://rake-kg.example/scheme/phenomenon")


def card(html: str, vid: str) -> str:
    m = re.search(rf'<li data-vocab="{vid}">(.*?)</li>', html, re.S)
    assert m, f"no card for {vid}"
    return m.group(1)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_audience_gets_a_sentence_and_its_links_in_the_page_language(client, lang):
    html = client.get(f"/?lang={lang}").get_data(as_text=True)
    audiences = dict(re.findall(r'<li data-audience="(\w+)">(.*?)</li>', html, re.S))
    assert set(audiences) == {"analyst", "terminologist", "developer"}
    for who, text in audiences.items():
        assert translate(f"front_{who}", lang) in text
    assert f'href="/views/?lang={lang}"' in audiences["analyst"]
    assert 'href="#vocabularies"' in audiences["terminologist"]
    for href in (
        f"/sparql?lang={lang}",
        f"/rest/v1/vocabularies?lang={lang}",
        "/dump/rake-kg.nq.gz",
    ):
        assert f'href="{href}"' in audiences["developer"]


def test_vocabularies_are_grouped_concept_model_then_code_lists_then_sosmeta(client):
    html = client.get("/?lang=fi").get_data(as_text=True)
    groups = re.findall(r'<section class="vocab-group" data-group="(\w+)"', html)
    assert groups == ["model", "codes", "sosmeta"]
    sections = dict(re.findall(r'data-group="(\w+)".*?(<ul.*?</ul>)', html, re.S))
    assert 'data-vocab="phenomenon"' in sections["model"]
    assert 'data-vocab="status"' in sections["codes"]
    assert 'data-vocab="sosmeta-structures"' in sections["sosmeta"]
    assert translate("vocab_group.codes", "fi") in html


def test_a_card_shows_the_scheme_definition_in_the_page_language_or_marks_the_fallback(client):
    g = rdflib.Graph().parse(PROJECT_ROOT / "ontology" / "phenomena.ttl")
    definitions = {o.language: str(o) for o in g.objects(PHENOMENA, SKOS.definition)}
    english = card(client.get("/?lang=en").get_data(as_text=True), "phenomenon")
    assert definitions["en"] in english and 'class="fallback"' not in english
    swedish = card(client.get("/?lang=sv").get_data(as_text=True), "phenomenon")
    if "sv" in definitions:
        assert definitions["sv"] in swedish
    else:
        assert definitions["fi"] in swedish and 'class="fallback"' in swedish
