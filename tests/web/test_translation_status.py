"""The status of the project's translations (issue 16) is a lifecycle status, not words in a note:
``rake:translationStatus status:DRAFT`` on every concept whose Swedish or English definitions or
labels the project translated (its ``skos:editorialNote`` says which); the concept page shows it
beside the concept's own status, in the page's language, and the search's status facet finds those
concepts under DRAFT. On the bundled build."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
import rdflib

from kgservice.config import PROJECT_ROOT
from kgservice.texts import translate
from kgservice.web.terms import current_index

RAKE = rdflib.Namespace("https://rake-kg.example/ontology/")
STATUS = "https://rake-kg.example/concept/status/"
HOMELESSNESS = "https://rake-kg.example/concept/phenomenon/asunnottomuus"


def translated_concepts() -> dict[str, str]:
    """Concept → its translation status, read from every ontology module."""
    out = {}
    for module in sorted((PROJECT_ROOT / "ontology").glob("*.ttl")):
        g = rdflib.Graph().parse(module)
        out |= {str(c): str(s) for c, s in g.subject_objects(RAKE.translationStatus)}
    return out


@pytest.mark.parametrize(
    ("lang", "draft", "valid"),
    [("fi", "Luonnos", "Voimassa oleva"), ("sv", "Utkast", None), ("en", "Draft", None)],
)
def test_the_concept_page_shows_the_translation_status_beside_its_own(client, lang, draft, valid):
    html = client.get(f"/page?uri={quote(HOMELESSNESS, safe='')}&lang={lang}").get_data(
        as_text=True
    )
    shown = re.search(r'<dd class="translation-status">(.*?)</dd>', html, re.S)
    assert shown and draft in shown.group(1) and "DRAFT" in shown.group(1)
    assert translate("translation_status", lang) in html
    own = re.search(
        r"<dt>" + re.escape(translate("status", lang)) + r"</dt>\s*<dd>(.*?)</dd>", html, re.S
    )
    assert own and "status%2FVALID" in own.group(1)


def test_the_status_facet_finds_every_concept_with_draft_translations(app, client):
    expected = {c for c, s in translated_concepts().items() if s == STATUS + "DRAFT"}
    assert len(expected) >= 19
    with app.test_request_context("/"):
        index = current_index()
    assert {c for c, s in index.translation_statuses.items() if s == STATUS + "DRAFT"} == expected
    body = client.get(
        "/search", query_string={"q": "asunnottomuus", "status": STATUS + "DRAFT", "lang": "fi"}
    ).get_data(as_text=True)
    assert quote(HOMELESSNESS, safe="") in body


def test_a_concept_without_translations_has_no_translation_status(client):
    iri = "https://rake-kg.example/concept/indicator/pienituloisuusaste"
    html = client.get(f"/page?uri={quote(iri, safe='')}&lang=fi").get_data(as_text=True)
    assert 'class="translation-status"' not in html
