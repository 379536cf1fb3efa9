"""Every concept of the phenomena, views, levels and population-groups schemes has a Swedish and
an English definition; a translation made by the project says so in each language
(skos:editorialNote), for the Swedish and the English definition, and its status is a lifecycle
status (rake:translationStatus status:DRAFT until reviewed), not words in the note: the concept
keeps its own rake:status."""

from __future__ import annotations

import pytest
import rdflib
from rdflib.namespace import SKOS

from kgservice.config import PROJECT_ROOT
from kgservice.texts import LANGUAGES

RAKE = rdflib.Namespace("https://rake-kg.example/ontology/")
DRAFT = rdflib.URIRef("https://rake-kg.example/concept/status/DRAFT")

MODULES = {
    "phenomena": "phenomenon",
    "views": "view",
    "levels": "level",
    "population-groups": "population-group",
}


@pytest.mark.parametrize(("module", "scheme"), MODULES.items())
def test_every_concept_has_definitions_in_all_languages_and_a_translation_note(module, scheme):
    g = rdflib.Graph().parse(PROJECT_ROOT / "ontology" / f"{module}.ttl")
    concepts = set(
        g.subjects(SKOS.inScheme, rdflib.URIRef(f"https://rake-kg.example/scheme/{scheme}"))
    )
    assert concepts
    for c in concepts:
        languages = {d.language for d in g.objects(c, SKOS.definition)}
        assert set(LANGUAGES) <= languages, c
        notes = {n.language: str(n) for n in g.objects(c, SKOS.editorialNote)}
        assert set(LANGUAGES) <= set(notes), c
        assert "ruotsin- ja englanninkielinen" in notes["fi"].lower(), c
        assert "Swedish and English" in notes["en"], c
        assert list(g.objects(c, RAKE.translationStatus)) == [DRAFT], c
        assert len(list(g.objects(c, RAKE.status))) == 1, c  # the concept's own, unchanged
